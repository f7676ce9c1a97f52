// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The benchmark's cache-cold measure: each program walks bench_count
 * addresses of bench_addrs with bpf_loop and looks each one up, so the
 * lookup meets a stream of distinct addresses instead of one hot frame.
 * The *_none programs walk without looking up: their cost is subtracted.
 */
#include "find.h"
#include "lpm.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BENCH_ADDRS);
	__type(key, __u32);
	__type(value, struct bench_addr);
} bench_addrs SEC(".maps");

__u32 bench_count;
__u64 bench_sink;

#define LOOP(name, expr)                                                   \
	static long step_##name(__u32 i, void *ctx)                        \
	{                                                                  \
		struct bench_addr *a = bpf_map_lookup_elem(&bench_addrs, &i); \
		if (a)                                                     \
			*(__u64 *)ctx += (expr);                           \
		return 0;                                                  \
	}                                                                  \
	SEC("xdp") int loop_##name(struct xdp_md *xdp)                     \
	{                                                                  \
		__u64 acc = 0;                                             \
		bpf_loop(bench_count, step_##name, &acc, 0);               \
		bench_sink += acc;                                         \
		return XDP_PASS;                                           \
	}

LOOP(none4, a->v4)
LOOP(table4, bouclier_find4(a->v4) != 0)
LOOP(lpm4, lpm_find4(a->v4) != 0)
LOOP(none6, a->hi ^ a->lo)
LOOP(table6, bouclier_find6(a->hi, a->lo) != 0)
LOOP(lpm6, lpm_find6(a->hi, a->lo) != 0)

char LICENSE[] SEC("license") = "Dual BSD/GPL";
