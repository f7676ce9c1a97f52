// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The benchmark's measure of everything but the lookup: bouclier's parsing
 * and counting with a lookup that finds nothing. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bouclier.h"

static __always_inline __u32 bouclier_find4(__u32 addr)
{
	return 0;
}

static __always_inline __u32 bouclier_find6(__u64 hi, __u64 lo)
{
	return 0;
}

#include "filter.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
