/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * filter.h - the XDP program body: parse, look up, count, decide.
 *
 * The including .bpf.c defines how a source is looked up, before including:
 *   static __u32 bouclier_find4(__u32 addr);
 *   static __u32 bouclier_find6(__u64 hi, __u64 lo);
 * each returning a lookup value (bouclier.h).  bouclier.bpf.c uses the
 * compiled table; the benchmark's baseline uses LPM tries; both share every
 * other instruction, so the benchmark compares lookups and nothing else.
 */
#ifndef BOUCLIER_FILTER_H
#define BOUCLIER_FILTER_H

#include "parse.h"

/* Packets and bytes by verdict, protocol and family; written here only. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bouclier_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_STATS SEC(".maps");

/* Drops by feed set (see bouclier_sets); written here only. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BOUCLIER_MAX_SETS);
	__type(key, __u32);
	__type(value, struct bouclier_set_stat);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_SET_STATS SEC(".maps");

/* Drops by 15-minute slot, for the weather; written here only. */
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

/* Sampled drops, a ring per CPU; written here only. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, BOUCLIER_SOURCES);
	__type(key, __u32);
	__type(value, struct bouclier_src_sample);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_SOURCES SEC(".maps");

static __always_inline __u32 bouclier_port_class(__u16 port)
{
	switch (port) {
#define BOUCLIER_X(e, name, number) case number: return BOUCLIER_PORT_##e;
	BOUCLIER_SERVICES(BOUCLIER_X)
#undef BOUCLIER_X
	default: return BOUCLIER_PORT_OTHER;
	}
}

/* The drop path's extra work: the time slot, and one drop in
 * BOUCLIER_SAMPLE remembered by source. */
static __always_inline void bouclier_count_drop(struct bouclier_stats *st,
						const struct bouclier_pkt *p, __u64 len,
						__u32 set, __u64 ndrops)
{
	struct bouclier_src_sample *src;
	struct bouclier_clock *clk;
	struct bouclier_slot *sl;
	__u64 hi = p->hi, lo = p->lo;
	__u32 idx, zero = 0;
	__u64 slot, now;
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
	slot = st->slot_now;
	idx = st->slot_idx;

	if (p->family == BOUCLIER_F_V4) {
		hi = 0;
		lo = 0xffff00000000ULL | p->v4;
	}
	sl = bpf_map_lookup_elem(&BOUCLIER_MAP_SLOTS, &idx);
	if (sl) {
		if (sl->slot != slot) {
			__builtin_memset(sl, 0, sizeof(*sl));
			sl->slot = slot;
		}
		sl->pkts++;
		sl->bytes += len;
		sl->proto[p->proto & 3]++;
		if (p->dport)
			sl->ports[bouclier_port_class(p->dport) % BOUCLIER_PORTS]++;
		sl->sets[set < BOUCLIER_SLOT_SETS ? set : BOUCLIER_SLOT_SETS - 1]++;
		bouclier_hll_add(sl->hll, bouclier_hll_hash(hi, lo));
	}
	if ((ndrops & (BOUCLIER_SAMPLE - 1)) != 1) /* the first drop on a CPU, then 1 in N */
		return;
	idx = (ndrops / BOUCLIER_SAMPLE) & (BOUCLIER_SOURCES - 1);
	src = bpf_map_lookup_elem(&BOUCLIER_MAP_SOURCES, &idx);
	if (src) {
		src->hi = hi;
		src->lo = lo;
		src->set = set;
		src->slot = (__u32)slot;
	}
}

static __always_inline void bouclier_count(int verdict, const struct bouclier_pkt *p,
					   __u64 len, __u32 val)
{
	struct bouclier_stats *s;
	struct bouclier_set_stat *ss;
	__u32 key = 0;
	int d;

	s = bpf_map_lookup_elem(&BOUCLIER_MAP_STATS, &key);
	if (!s)
		return;
	if (verdict < 0 || verdict >= BOUCLIER_V_MAX)
		return;
	s->pkts[verdict]++;
	s->bytes[verdict] += len;
	if (verdict > BOUCLIER_V_ALLOW)
		return;
	d = verdict == BOUCLIER_V_DROP;
	s->proto_pkts[d][p->proto & 3]++;
	s->proto_bytes[d][p->proto & 3] += len;
	s->family_pkts[d][p->family & 1]++;
	if (p->fragment)
		s->fragments++;
	if (!d)
		return;
	key = val & BOUCLIER_SET_MASK;
	ss = bpf_map_lookup_elem(&BOUCLIER_MAP_SET_STATS, &key);
	if (ss) {
		ss->pkts++;
		ss->bytes += len;
	}
	bouclier_count_drop(s, p, len, key, s->pkts[BOUCLIER_V_DROP]);
}

static __always_inline int bouclier_filter(struct xdp_md *ctx, int raw_ip)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct bouclier_pkt p = {};
	__u32 val = 0;
	int verdict;

	verdict = raw_ip ? bouclier_parse_ip(data, end, &p) : bouclier_parse(data, end, &p);
	if (verdict == BOUCLIER_PARSED) {
		val = p.family == BOUCLIER_F_V4 ? bouclier_find4(p.v4)
						: bouclier_find6(p.hi, p.lo);
		verdict = !val ? BOUCLIER_V_PASS
		        : (val & BOUCLIER_ALLOW) ? BOUCLIER_V_ALLOW : BOUCLIER_V_DROP;
	}
	bouclier_count(verdict, &p, end - data, val);
	return verdict == BOUCLIER_V_DROP ? XDP_DROP : XDP_PASS;
}

/* Ethernet links (and VLANs, PPPoE sessions on them). */
SEC("xdp")
int BOUCLIER_PROG_NAME(struct xdp_md *ctx)
{
	return bouclier_filter(ctx, 0);
}

/* Links whose frames start at the IP header: tun, ppp, WireGuard. */
SEC("xdp")
int BOUCLIER_PROG_IP_NAME(struct xdp_md *ctx)
{
	return bouclier_filter(ctx, 1);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif /* BOUCLIER_FILTER_H */
