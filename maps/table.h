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

/* ---- the delta: a small change of the lists applied to a copy of the live
 * image instead of a full compile.  A list as the compile takes it: */
struct table_list {
	const struct cidr *v; /* sorted and disjoint, as cidr_normalise() leaves it */
	size_t n;
	__u32 feeds;          /* the feed's bit; 0 for an allowlist */
	__u8 allow;
	__u32 tag;            /* anything else the values depend on (the feed's
			       * directions): counted in the fingerprint only */
};

/* A sum over every entry of the lists (never 0): equal sums, equal lists
 * but for a 2^-64 chance.  Kept in the image's header (bouclier.h) so a
 * delta starts only from the lists the live table was compiled from. */
__u64 table_fingerprint(const struct table_list *l, int n);
void table_image_mark(struct bouclier_line *lines, __u64 fingerprint, __u32 deltas);
__u64 table_image_fingerprint(const struct bouclier_line *lines, __u32 *deltas);
/* The lines an image uses (its layout's end), at most nlines; 0 if its
 * header is not a layout that fits nlines. */
__u32 table_image_lines(const struct bouclier_line *lines, __u32 nlines);

/* Both versions of the lists in one pass: their fingerprints, whether all
 * are sorted, disjoint and masked (no host bits), and the prefixes in one
 * version only (sorted,
 * none inside another).  A list whose v and n are the same in both is
 * unchanged.  Past max_changed changes, too_many and no more are kept. */
struct table_scan {
	__u64 fp_was, fp_now;
	bool ordered, too_many;
	struct cidr *ch;
	size_t nch, cap;
};
int table_scan(const struct table_list *was, const struct table_list *now, int nlists,
	       size_t max_changed, struct table_scan *sc);
void table_scan_free(struct table_scan *sc);

struct table_delta_stats {
	size_t changed;            /* prefixes added to or removed from a list */
	__u64 keys;                /* keys rewritten */
	long v4_prefixes, v6_prefixes; /* what the compile would count, new minus old */
	const char *why;           /* when -EAGAIN: why a compile is needed */
};

/* Makes lines, an image of old (table_fill's, or an earlier delta's), into
 * what table_fill would make of new, key for key: only the keys inside
 * the prefixes that changed (sc, table_scan() of old and new) are
 * rewritten.  Filter bits of removed keys may stay set.  Returns 0;
 * -EAGAIN when the change does not fit the image (too many changes, lists
 * out of order, a hash region full, an IPv6 length its levels do not
 * take): compile in full instead; or -errno (lines then half changed:
 * throw them away). */
int table_delta(struct bouclier_line *lines, __u32 nlines, const struct table_list *old,
		const struct table_list *new, int nlists, const struct table_scan *sc,
		table_set_fn set_id, void *ctx, struct table_delta_stats *ds);

/* The kernel's own lookup (maps/lookup.h) run on an image in memory. */
__u32 table_lookup(const struct bouclier_line *lines, __u32 nlines, const struct cidr *addr);

#endif
