// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The benchmark's traffic generator, run with BPF_F_TEST_XDP_LIVE_FRAMES:
 * every frame gets the next source address of gen_addrs (so the filter meets
 * varied sources, which xdp-trafficgen cannot do) and is redirected out of
 * gen_ifindex.  The template is Ethernet + IPv4 or IPv6 + UDP, built by
 * tools/bench.c; the IPv4 header checksum is recomputed so the stack on the
 * other side accepts what the filter passes.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BENCH_ADDRS);
	__type(key, __u32);
	__type(value, struct bench_addr);
} gen_addrs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} gen_next SEC(".maps");

__u32 gen_count = 1;
__u32 gen_ifindex;

SEC("xdp")
int gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct bench_addr *a;
	__u32 zero = 0, *next, i;

	next = bpf_map_lookup_elem(&gen_next, &zero);
	if (!next || (void *)(eth + 1) > end)
		return XDP_ABORTED;
	i = *next;
	*next = i + 1 >= gen_count ? 0 : i + 1;
	a = bpf_map_lookup_elem(&gen_addrs, &i);
	if (!a)
		return XDP_ABORTED;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);
		__u16 *w = (void *)ip;
		__u32 sum = 0;
		int k;

		if ((void *)(ip + 1) > end)
			return XDP_ABORTED;
		ip->saddr = bpf_htonl(a->v4);
		ip->check = 0;
#pragma unroll
		for (k = 0; k < 10; k++)
			sum += w[k];
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		ip->check = ~sum;
	} else {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return XDP_ABORTED;
		*(__u64 *)&ip6->saddr.in6_u.u6_addr32[0] = bpf_cpu_to_be64(a->hi);
		*(__u64 *)&ip6->saddr.in6_u.u6_addr32[2] = bpf_cpu_to_be64(a->lo);
	}
	return bpf_redirect(gen_ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
