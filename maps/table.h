/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * table.h - compiles blocklist and allowlist entries into the table image
 * the XDP program reads (layout in bouclier.h).  Pure user-space code with no
 * BPF calls: the loader writes the image into a new inner map, the tests into
 * plain memory.
 *
 * Use: table_plan() sorts and folds the entries and sizes the image;
 * table_fill() writes it into table_plan_lines() zeroed lines.
 */
#ifndef BOUCLIER_TABLE_H
#define BOUCLIER_TABLE_H

#include <stdbool.h>
#include "bouclier.h"
#include "cidr.h"

struct table_entry {
	struct cidr c;
	__u8 allow;  /* on the allowlist: always wins */
	__u8 pad;
	__u32 feeds; /* mask of feed indexes listing it */
};

/* Returns the lookup value for a mask of feeds: a set id
 * (1..BOUCLIER_MAX_SETS-1) with the BOUCLIER_IN / BOUCLIER_OUT bits of the
 * directions in which those feeds drop; or -errno. */
typedef int (*table_set_fn)(__u32 feeds, void *ctx);

struct table_stats {
	__u32 v4_prefixes, v6_prefixes; /* after folding */
	__u64 v4_hosts, v4_nets, v6_keys; /* hash keys after expansion */
	__u32 v6_levels;
	__u32 allow;
	__u64 bytes;                      /* the image */
};

struct table_plan;

/* Takes ownership of nothing; entries may be reordered.  Sizes are
 * computed in 64 bits before anything is allocated: -EFBIG when the image
 * would pass 2^31 lines; callers compare table_plan_bytes() with their
 * memory limit before they allocate the image. */
int table_plan(struct table_entry *e, size_t n, table_set_fn set_id, void *ctx,
	       struct table_plan **out);
__u32 table_plan_lines(const struct table_plan *p);
__u64 table_plan_bytes(const struct table_plan *p);
const struct table_stats *table_plan_stats(const struct table_plan *p);
int table_fill(struct table_plan *p, struct bouclier_line *lines);

/* The capacity class (bouclier.h) for a table of lines, with a quarter of
 * headroom, at most max_bytes (0: no limit) unless the table itself needs
 * more. */
__u32 table_capacity_for(__u32 lines, __u64 max_bytes);
/* Whether a table of lines stays in a class: it fits, and takes at least a
 * quarter of it (the smallest class excepted). */
bool table_capacity_fits(__u32 lines, __u32 capacity);
void table_plan_free(struct table_plan *p);

/* The kernel's own lookup (maps/lookup.h) run on an image in memory. */
__u32 table_lookup(const struct bouclier_line *lines, __u32 nlines, const struct cidr *addr);

#endif
