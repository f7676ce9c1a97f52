// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The benchmark's upper bound for the pass path. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bare_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
