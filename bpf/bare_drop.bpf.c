// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The benchmark's upper bound: drop everything, look nothing up.  Also the
 * "foreign" XDP program of the tests. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int bare_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
