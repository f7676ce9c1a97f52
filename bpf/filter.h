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
}

SEC("xdp")
int BOUCLIER_PROG_NAME(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct bouclier_pkt p = {};
	__u32 val = 0;
	int verdict;

	verdict = bouclier_parse(data, end, &p);
	if (verdict == BOUCLIER_PARSED) {
		val = p.family == BOUCLIER_F_V4 ? bouclier_find4(p.v4)
						: bouclier_find6(p.hi, p.lo);
		verdict = !val ? BOUCLIER_V_PASS
		        : (val & BOUCLIER_ALLOW) ? BOUCLIER_V_ALLOW : BOUCLIER_V_DROP;
	}
	bouclier_count(verdict, &p, end - data, val);
	return verdict == BOUCLIER_V_DROP ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#endif /* BOUCLIER_FILTER_H */
