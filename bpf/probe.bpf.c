// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * probe.bpf.c - the benchmark's floor: the physical cost of any exact
 * lookup among a million entries is one memory miss, and this program
 * makes exactly one: the source address (IPv4 or IPv6), hashed, picks one
 * 8-byte word of a 32 MiB array, which it reads.  Run through the harness
 * on a stream of distinct sources (tools/bench.c), each frame's read
 * misses the caches and the TLB as a table lookup would.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bouclier.h"

#define PROBE_WORDS (4u << 20) /* 32 MiB */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PROBE_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} probe_words SEC(".maps");

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
	k = (__u32)h & (PROBE_WORDS - 1);
	w = bpf_map_lookup_elem(&probe_words, &k);
	/* the word decides, so the read cannot be left out */
	return w && *w == 0x70726f6265ULL ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
