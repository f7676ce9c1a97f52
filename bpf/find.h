/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * find.h - the compiled-table lookup for XDP programs (kernel side only):
 * the outer map that holds the live table and bouclier_find4/6() over it.
 * Included by bouclier.bpf.c and by the benchmark's loop programs, so both
 * measure the same code.
 */
#ifndef BOUCLIER_BPF_FIND_H
#define BOUCLIER_BPF_FIND_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bouclier.h"

/* The template for the inner map; user space builds the real ones, all of
 * this size (the loader sets it before loading, bouclier.h says why). */
struct bouclier_table {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, BOUCLIER_TABLE_MIN_LINES);
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

/* Global functions, so the verifier checks each lookup once, whatever
 * calls it (both XDP entry points, both TC ones), instead of once for
 * every path of every caller: the lookups' many exits would otherwise
 * multiply the paths of everything after them. */
__noinline __u32 bouclier_find4(__u32 addr)
{
	void *t = bouclier_table();

	return t ? bouclier_lookup4(t, addr) : 0;
}

__noinline __u32 bouclier_find6(__u64 hi, __u64 lo)
{
	void *t = bouclier_table();

	return t ? bouclier_lookup6(t, hi, lo) : 0;
}

#endif
