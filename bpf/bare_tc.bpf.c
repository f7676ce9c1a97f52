// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The benchmark's upper bound for the way out: a TC program that passes
 * everything, looking at nothing. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int bare_tc(struct __sk_buff *skb)
{
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
