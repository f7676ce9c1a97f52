// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * probe.bpf.c - the benchmark's floor: the physical cost of any lookup in a
 * table of a given size is one memory miss in a structure that large, and
 * this program makes exactly one: the source address (IPv4 or IPv6),
 * hashed, picks one 8-byte word of an array as large as the table under
 * test (the benchmark sizes it before loading), which it reads.  Run through
 * the harness on a stream of a million distinct sources (tools/bench.c),
 * each frame's read meets the caches and the TLB as a table lookup would.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bouclier.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1u << 22); /* set before loading: a power of two */
	__type(key, __u32);
	__type(value, __u64);
} probe_words SEC(".maps");

const volatile __u32 probe_mask = (1u << 22) - 1; /* max_entries - 1 */

SEC("xdp")
int probe(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u64 h, *w;
	__u32 k;

	if ((void *)(eth + 1) + 40 > end)
		return XDP_ABORTED;
	if (eth->h_proto == bpf_htons(ETH_P_IPV6))
		h = bouclier_mix(*(__u64 *)((void *)(eth + 1) + 8) ^
				 bouclier_mix(*(__u64 *)((void *)(eth + 1) + 16)));
	else
		h = bouclier_mix(*(__u32 *)((void *)(eth + 1) + 12));
	k = (__u32)h & probe_mask;
	w = bpf_map_lookup_elem(&probe_words, &k);
	/* the word decides, so the read cannot be left out */
	return w && *w == 0x70726f6265ULL ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
