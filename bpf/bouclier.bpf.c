// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* bouclier's XDP program: drops frames whose source is listed in the
 * compiled table (maps/bouclier.h describes it). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bouclier.h"

/* The template for the inner map; user space builds the real ones. */
struct bouclier_table {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP | BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct bouclier_line));
};

/* Slot 0: the live compiled table; replaced whole by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct bouclier_table);
} BOUCLIER_MAP_TABLES SEC(".maps");

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

#define BOUCLIER_CTX void *
#define BOUCLIER_LINE(ctx, i)                                                    \
	({                                                                       \
		__u32 __k = (i);                                                 \
		(const struct bouclier_line *)bpf_map_lookup_elem(ctx, &__k);    \
	})
#include "lookup.h"

static __always_inline void *bouclier_table(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&BOUCLIER_MAP_TABLES, &zero);
}

static __always_inline __u32 bouclier_find4(__u32 addr)
{
	void *t = bouclier_table();

	return t ? bouclier_lookup4(t, addr) : 0;
}

static __always_inline __u32 bouclier_find6(__u64 hi, __u64 lo)
{
	void *t = bouclier_table();

	return t ? bouclier_lookup6(t, hi, lo) : 0;
}

#include "filter.h"
