// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* bouclier's programs: XDP drops frames whose source is listed in the
 * compiled table (maps/bouclier.h describes it) on the way in; TC egress
 * drops packets whose destination is listed on the way out, naming the
 * inside machine by its source (egress_ct.bpf.c reads it from conntrack
 * instead, behind NAT, where the kernel allows). */
#include "find.h"

/* Feed sets, feeds and swap information: written by user space, never read
 * here; they live in the object so that they are pinned beside the counters
 * they explain and bpftool prints them with their BTF. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BOUCLIER_MAX_SETS);
	__type(key, __u32);
	__type(value, struct bouclier_set);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_SETS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BOUCLIER_MAX_FEEDS);
	__type(key, __u32);
	__type(value, struct bouclier_feed);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_FEEDS SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bouclier_info);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_INFO SEC(".maps");

#include "filter.h"
#include "egress.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
