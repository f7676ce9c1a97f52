/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lpm.h - the obvious design, kept as the benchmark's baseline: one
 * BPF_MAP_TYPE_LPM_TRIE per family holding the same folded values as the
 * compiled table.  Never used by bouclier itself.
 */
#ifndef BOUCLIER_BPF_LPM_H
#define BOUCLIER_BPF_LPM_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bouclier.h"
#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, BENCH_LPM_MAX);
	__type(key, struct bench_lpm4_key);
	__type(value, __u32);
} bench_lpm4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, BENCH_LPM_MAX);
	__type(key, struct bench_lpm6_key);
	__type(value, __u32);
} bench_lpm6 SEC(".maps");

static __always_inline __u32 lpm_find4(__u32 addr)
{
	struct bench_lpm4_key k = { 32, bpf_htonl(addr) };
	__u32 *v = bpf_map_lookup_elem(&bench_lpm4, &k);

	return v ? *v : 0;
}

static __always_inline __u32 lpm_find6(__u64 hi, __u64 lo)
{
	struct bench_lpm6_key k = { 128, { bpf_cpu_to_be64(hi), bpf_cpu_to_be64(lo) } };
	__u32 *v = bpf_map_lookup_elem(&bench_lpm6, &k);

	return v ? *v : 0;
}

#endif
