/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * counters.h - the maps the programs write and the counting both
 * directions share: packets and bytes by verdict, protocol and family, drops
 * by feed set, the weather's 15-minute slots, the sampled sources, and on
 * the way out the record of which inside machine tried what.  Kernel side
 * only; layouts in bouclier.h.
 */
#ifndef BOUCLIER_COUNTERS_H
#define BOUCLIER_COUNTERS_H

#include "parse.h"
#include "verdict.h"

/* Packets and bytes by verdict, protocol and family, per direction. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BOUCLIER_D_MAX);
	__type(key, __u32);
	__type(value, struct bouclier_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_STATS SEC(".maps");

/* Drops and would-drops by feed set (see bouclier_sets) and direction. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2 * BOUCLIER_D_MAX * BOUCLIER_MAX_SETS);
	__type(key, __u32);
	__type(value, struct bouclier_set_stat);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_SET_STATS SEC(".maps");

/* Drops by 15-minute slot, for the weather. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BOUCLIER_SLOTS);
	__type(key, __u32);
	__type(value, struct bouclier_slot);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_SLOTS SEC(".maps");

/* The wall clock's offset; written by user space (bouclier.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bouclier_clock);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_CLOCK SEC(".maps");

/* Sampled drops on the way in, a ring per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BOUCLIER_SOURCES);
	__type(key, __u32);
	__type(value, struct bouclier_src_sample);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_SOURCES SEC(".maps");

/* Timed bans and allows (bouclier.h). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, BOUCLIER_TIMED_ENTRIES);
	__type(key, struct bouclier_timed_key);
	__type(value, struct bouclier_timed_val);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_TIMED SEC(".maps");

/* Every drop on the way out, by inside machine and destination. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BOUCLIER_OUTBOUND_ENTRIES);
	__type(key, struct bouclier_out_key);
	__type(value, struct bouclier_out_val);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_OUTBOUND SEC(".maps");

/* Service class by port: one load from .rodata rather than a dozen
 * compares (64 KiB, of which the few lines of the ports attacks use stay in
 * cache). */
static const __u8 bouclier_port_classes[65536] = {
#define BOUCLIER_X(e, name, number) [number] = BOUCLIER_PORT_##e,
	BOUCLIER_SERVICES(BOUCLIER_X)
#undef BOUCLIER_X
};

/* This CPU's weather slot for now: the divisions that find it run once a
 * slot and CPU, their result kept in the CPU's stats memo. */
static __always_inline struct bouclier_slot *bouclier_slot_now(struct bouclier_stats *st)
{
	struct bouclier_clock *clk;
	struct bouclier_slot *sl;
	__u32 idx, zero = 0;
	__u64 now;
	__s64 wall;

	now = bpf_ktime_get_coarse_ns();
	if (now >= st->slot_end_ns) {
		clk = bpf_map_lookup_elem(&BOUCLIER_MAP_CLOCK, &zero);
		wall = (__s64)(now / 1000000000ULL) + (clk ? clk->wall_offset : 0);
		st->slot_now = (__u64)wall / BOUCLIER_SLOT_SECONDS;
		st->slot_end_ns = ((st->slot_now + 1) * BOUCLIER_SLOT_SECONDS -
				   (clk ? clk->wall_offset : 0)) * 1000000000ULL;
		st->slot_idx = st->slot_now % BOUCLIER_SLOTS;
	}
	idx = st->slot_idx;
	sl = bpf_map_lookup_elem(&BOUCLIER_MAP_SLOTS, &idx);
	if (sl && sl->slot != st->slot_now) {
		/* in two: clang's BPF backend inlines a memset of so many bytes
		 * at most; the sketches 8 bytes a store (att_hll is 8-aligned,
		 * bouclier.h; volatile, or clang makes the loop a memset again) */
		volatile __u64 *w = (volatile __u64 *)sl->att_hll;
		int i;

		__builtin_memset(sl, 0, __builtin_offsetof(struct bouclier_slot, att_hll));
#pragma unroll
		for (i = 0; i < 4 * BOUCLIER_HLL_REGS / 8; i++)
			w[i] = 0;
		sl->slot = st->slot_now;
	}
	return sl;
}

/* A parsed packet's source (dst 0) or destination (dst 1), IPv4 as
 * IPv4-mapped IPv6. */
static __always_inline void bouclier_addr(const struct bouclier_pkt *p, int dst, __u64 *hi,
					  __u64 *lo)
{
	if (p->family == BOUCLIER_F_V4) {
		*hi = 0;
		*lo = 0xffff00000000ULL | (dst ? p->dst4 : p->v4);
	} else {
		*hi = dst ? p->dhi : p->hi;
		*lo = dst ? p->dlo : p->lo;
	}
}

/* A timed ban or allow covering the address, when one has not expired,
 * decides instead of the table; the allowlist (in val) still wins.  A
 * global function, verified once; called only while there are any, with
 * the clock's wall offset its caller has read already. */
__noinline __u32 bouclier_timed_find(__u64 hi, __u64 lo, __u32 val, __s64 wall_offset)
{
	struct bouclier_timed_key k = { .prefixlen = 128 };
	struct bouclier_timed_val *t;
	__s64 now;

	if (val & BOUCLIER_ALLOW)
		return val;
	k.addr[0] = bpf_htonl((__u32)(hi >> 32));
	k.addr[1] = bpf_htonl((__u32)hi);
	k.addr[2] = bpf_htonl((__u32)(lo >> 32));
	k.addr[3] = bpf_htonl((__u32)lo);
	t = bpf_map_lookup_elem(&BOUCLIER_MAP_TIMED, &k);
	if (!t)
		return val;
	now = (__s64)(bpf_ktime_get_coarse_ns() / 1000000000ULL) + wall_offset;
	if (now >= (__s64)t->expires)
		return val;
	return bouclier_timed_merge(val, t->val);
}

static __always_inline __u32 bouclier_timed_apply(__u64 hi, __u64 lo, __u32 val)
{
	struct bouclier_clock *clk;
	__u32 zero = 0;

	clk = bpf_map_lookup_elem(&BOUCLIER_MAP_CLOCK, &zero);
	return clk && clk->timed ? bouclier_timed_find(hi, lo, val, clk->wall_offset) : val;
}

/* One sample in BOUCLIER_SAMPLE (and the first on a CPU) of what the
 * count-th packet of a kind came from, in the CPU's ring: drops in its
 * first half, would-drops in its second, so that a busy monitored list
 * never pushes the drops out of "top blocked sources". */
static __always_inline void bouclier_sample(struct bouclier_stats *st, __u64 count, __u64 hi,
					    __u64 lo, __u32 set, __u16 dport, __u16 flags)
{
	struct bouclier_src_sample *src;
	__u32 idx;

	if ((count & (BOUCLIER_SAMPLE - 1)) != 1)
		return;
	idx = ((count / BOUCLIER_SAMPLE) & (BOUCLIER_SOURCES / 2 - 1)) |
	      (set & BOUCLIER_SAMPLE_MONITOR ? BOUCLIER_SOURCES / 2 : 0);
	src = bpf_map_lookup_elem(&BOUCLIER_MAP_SOURCES, &idx);
	if (src) {
		src->hi = hi;
		src->lo = lo;
		src->set = set;
		src->slot = (__u32)st->slot_now;
		src->dport = dport;
		src->flags = flags;
	}
}

/* A would-drop on the way in (a feed in monitor mode lists the source):
 * the slot's monitor figures and a sample, flagged. */
static __always_inline void bouclier_count_monitor(struct bouclier_stats *st,
						   const struct bouclier_pkt *p, __u32 len,
						   __u32 set)
{
	struct bouclier_slot *sl;
	__u64 hi, lo;

	bouclier_addr(p, 0, &hi, &lo);
	sl = bouclier_slot_now(st);
	if (sl) {
		sl->mon_pkts++;
		sl->mon_bytes += len;
		bouclier_hll_add(sl->mon_hll, bouclier_hll_hash(hi, lo));
	}
	bouclier_sample(st, st->pkts[BOUCLIER_V_MONITOR], hi, lo, set | BOUCLIER_SAMPLE_MONITOR,
			p->dport, 0);
}

/* The drop path's extra work on the way in: the time slot (packets, bytes,
 * protocol, service, feed set, and the two sketches: sources, and attacks,
 * one attack being one source trying one service class in the slot), and
 * one drop in BOUCLIER_SAMPLE remembered by source. */
static __always_inline void bouclier_count_drop(struct bouclier_stats *st,
						const struct bouclier_pkt *p, __u32 len, __u32 val)
{
	__u32 service, set = val & BOUCLIER_SET_MASK;
	struct bouclier_slot *sl;
	__u64 hi, lo, h, ah;

	bouclier_addr(p, 0, &hi, &lo);
	sl = bouclier_slot_now(st);
	if (sl) {
		service = bouclier_port_classes[p->dport]; /* port 0: other */
		h = bouclier_hll_hash(hi, lo);
		ah = bouclier_attack_hash(h, service);
		sl->pkts++;
		sl->bytes += len;
		sl->proto[p->proto & 3]++;
		if (p->dport)
			sl->ports[service < BOUCLIER_PORTS ? service : 0]++;
		sl->sets[set < BOUCLIER_SLOT_SETS ? set : BOUCLIER_SLOT_SETS - 1]++;
		bouclier_hll_add(sl->hll, h);
		bouclier_hll_add(sl->att_hll, ah);
		if (val & BOUCLIER_DETECTED)
			bouclier_hll_add(sl->det_hll, ah);
		else if (val & BOUCLIER_REGIONAL)
			bouclier_hll_add(sl->reg_hll, ah);
	}
	bouclier_sample(st, st->pkts[BOUCLIER_V_DROP], hi, lo, set, p->dport,
			val & BOUCLIER_DETECTED ? BOUCLIER_SAMPLE_DETECTED : 0);
}

/* Everything counted of a packet in one direction: packets and bytes by
 * verdict, protocol, family and feed set, and on a drop the weather's slot
 * (on the way in, bouclier_count_drop; on the way out, the slot's outbound
 * figures).  Returns 1 when the packet was dropped.
 *
 * A global function, verified once rather than once for every way the
 * parser can reach it; p, on the caller's stack, may be NULL as far as the
 * verifier knows. */
__noinline int bouclier_count(const struct bouclier_pkt *p, __u32 dir, int verdict, __u32 len,
			      __u32 val)
{
	struct bouclier_set_stat *ss;
	struct bouclier_stats *s;
	__u32 key = dir & 1, proto, set = val & BOUCLIER_SET_MASK;
	int d, mon;

	if (!p)
		return 0;
	s = bpf_map_lookup_elem(&BOUCLIER_MAP_STATS, &key);
	if (!s)
		return 0;
	if (verdict < 0 || verdict >= BOUCLIER_V_MAX)
		return 0;
	s->pkts[verdict]++;
	s->bytes[verdict] += len;
	if (verdict > BOUCLIER_V_MONITOR)
		return 0;
	d = verdict == BOUCLIER_V_DROP;
	mon = verdict == BOUCLIER_V_MONITOR;
	proto = p->proto & 3;
	s->proto_pkts[d][proto]++;
	s->proto_bytes[d][proto] += len;
	s->family_pkts[d][p->family & 1]++;
	if (p->fragment)
		s->fragments++;
	if (!d && !mon)
		return 0;
	key = set + (mon * 2 + (dir & 1)) * BOUCLIER_MAX_SETS;
	ss = bpf_map_lookup_elem(&BOUCLIER_MAP_SET_STATS, &key);
	if (ss) {
		ss->pkts++;
		ss->bytes += len;
	}
#ifndef BOUCLIER_NO_BOOKKEEPING /* the benchmark's A/B (nobook.bpf.c) */
	if (mon) {
		if (dir == BOUCLIER_D_IN)
			bouclier_count_monitor(s, p, len, set);
		return 0;
	}
	if (dir == BOUCLIER_D_IN) {
		bouclier_count_drop(s, p, len, val);
	} else {
		struct bouclier_slot *sl = bouclier_slot_now(s);

		if (sl) {
			sl->out_pkts++;
			sl->out_bytes += len;
		}
	}
#endif
	return d;
}

#endif /* BOUCLIER_COUNTERS_H */
