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

/* Packets and bytes by verdict, protocol and family, per direction. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BOUCLIER_D_MAX);
	__type(key, __u32);
	__type(value, struct bouclier_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_STATS SEC(".maps");

/* Drops by feed set (see bouclier_sets) and direction. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BOUCLIER_D_MAX * BOUCLIER_MAX_SETS);
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
		__builtin_memset(sl, 0, sizeof(*sl));
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

/* The drop path's extra work on the way in: the time slot (packets, bytes,
 * protocol, service, feed set, and the two sketches: sources, and attacks,
 * one attack being one source trying one service class in the slot), and
 * one drop in BOUCLIER_SAMPLE remembered by source. */
static __always_inline void bouclier_count_drop(struct bouclier_stats *st,
						const struct bouclier_pkt *p, __u32 len, __u32 set)
{
	struct bouclier_src_sample *src;
	struct bouclier_slot *sl;
	__u64 ndrops = st->pkts[BOUCLIER_V_DROP], hi, lo, h;
	__u32 idx, service;

	bouclier_addr(p, 0, &hi, &lo);
	sl = bouclier_slot_now(st);
	if (sl) {
		service = bouclier_port_classes[p->dport]; /* port 0: other */
		h = bouclier_hll_hash(hi, lo);
		sl->pkts++;
		sl->bytes += len;
		sl->proto[p->proto & 3]++;
		if (p->dport)
			sl->ports[service < BOUCLIER_PORTS ? service : 0]++;
		sl->sets[set < BOUCLIER_SLOT_SETS ? set : BOUCLIER_SLOT_SETS - 1]++;
		bouclier_hll_add(sl->hll, h);
		bouclier_hll_add(sl->att_hll, bouclier_attack_hash(h, service));
	}
	if ((ndrops & (BOUCLIER_SAMPLE - 1)) != 1) /* the first drop on a CPU, then 1 in N */
		return;
	idx = (ndrops / BOUCLIER_SAMPLE) & (BOUCLIER_SOURCES - 1);
	src = bpf_map_lookup_elem(&BOUCLIER_MAP_SOURCES, &idx);
	if (src) {
		src->hi = hi;
		src->lo = lo;
		src->set = set;
		src->slot = (__u32)st->slot_now;
	}
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
	int d;

	if (!p)
		return 0;
	s = bpf_map_lookup_elem(&BOUCLIER_MAP_STATS, &key);
	if (!s)
		return 0;
	if (verdict < 0 || verdict >= BOUCLIER_V_MAX)
		return 0;
	s->pkts[verdict]++;
	s->bytes[verdict] += len;
	if (verdict > BOUCLIER_V_ALLOW)
		return 0;
	d = verdict == BOUCLIER_V_DROP;
	proto = p->proto & 3;
	s->proto_pkts[d][proto]++;
	s->proto_bytes[d][proto] += len;
	s->family_pkts[d][p->family & 1]++;
	if (p->fragment)
		s->fragments++;
	if (!d)
		return 0;
	key = set + (dir & 1) * BOUCLIER_MAX_SETS;
	ss = bpf_map_lookup_elem(&BOUCLIER_MAP_SET_STATS, &key);
	if (ss) {
		ss->pkts++;
		ss->bytes += len;
	}
#ifndef BOUCLIER_NO_BOOKKEEPING /* the benchmark's A/B (nobook.bpf.c) */
	if (dir == BOUCLIER_D_IN) {
		bouclier_count_drop(s, p, len, set);
	} else {
		struct bouclier_slot *sl = bouclier_slot_now(s);

		if (sl) {
			sl->out_pkts++;
			sl->out_bytes += len;
		}
	}
#endif
	return 1;
}

#endif /* BOUCLIER_COUNTERS_H */
