/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * table_int.h - what the pieces of the table compiler share, and nothing
 * outside them includes: the plan (table_plan.c), the hash regions and the
 * filler that writes keys (table_fill.c), the fold that both the compile
 * and the delta run (table_delta.c), and one entry's part of a list's
 * fingerprint (table_fingerprint.c, and the delta's scan).  table.h is the
 * interface.
 */
#ifndef BOUCLIER_TABLE_INT_H
#define BOUCLIER_TABLE_INT_H

#include <string.h>
#include "table.h"

typedef unsigned __int128 u128;

/* A prefix the fold kept, with its lookup value. */
struct emitted {
	struct cidr c;
	__u32 val;
};

/* What table_plan() decided: the prefixes to write and the image's layout
 * (a delta reads the same fields back from an image's header). */
struct table_plan {
	struct emitted *em;
	size_t nem;
	__s8 level_of[129];                /* IPv6 prefix length -> level, -1 */
	__u8 v6_plen[BOUCLIER_V6_LEVELS];   /* level -> length, longest first */
	__u64 v6_keys[BOUCLIER_V6_LEVELS];  /* by level */
	__u32 v6_nb[BOUCLIER_V6_LEVELS], v6_off[BOUCLIER_V6_LEVELS];
	__u32 nlevels;
	struct bouclier_hdr hdr;
	struct table_stats st;
	__u64 nlines;
};

/* cidr order, for sort_runs() */
int table_entry_cmp(const void *a, const void *b);

/* The IPv6 levels for the lengths present[] (table_plan.c says how): the
 * compile and the delta choose them alike. */
void table_choose_levels(struct table_plan *p, const __u8 *present);

/* What an address inside an entry resolves to: allow, or a feed mask. */
#define EFF_ALLOW (1ULL << 32)

/* The fold: entries in cidr order (duplicates merged), each against the
 * prefixes before it that contain it.  Shared by the full compile and the
 * delta, so both keep the same prefixes. */
struct fold {
	struct { struct cidr c; __u64 eff; } stack[130];
	int depth;
};

/* The value of the addresses of m (EFF_ALLOW or a feed mask), or 0 when m
 * adds nothing to the prefixes containing it: then it is not written. */
static inline __u64 fold_next(struct fold *f, const struct table_entry *m)
{
	__u64 parent, eff;

	while (f->depth && !cidr_contains(&f->stack[f->depth - 1].c, &m->c))
		f->depth--;
	parent = f->depth ? f->stack[f->depth - 1].eff : 0;
	if ((parent & EFF_ALLOW) || m->allow)
		eff = EFF_ALLOW;
	else
		eff = parent | m->feeds;
	if (eff == parent)
		return 0; /* covered: adds nothing to its parent */
	f->stack[f->depth].c = m->c;
	f->stack[f->depth++].eff = eff;
	return eff;
}

/* The lookup value for an effective value, or -errno. */
static inline int eff_value(__u64 eff, table_set_fn set_id, void *ctx, __u32 *val)
{
	int id;

	if (eff & EFF_ALLOW) {
		*val = BOUCLIER_ALLOW;
		return 0;
	}
	id = set_id((__u32)eff, ctx);
	if (id < 0)
		return id;
	*val = (__u32)id;
	return 0;
}

/* One cuckoo hash region: IPv4 buckets of 8 u32 keys or IPv6 of 3 u128. */
struct ht {
	struct bouclier_line *base;
	__u32 nb, seed, tag; /* tag: salt (IPv4) or level length (IPv6) */
	int v6;
	__u64 rng;
};

/* Where the keys go: the image, its layout, its hash regions. */
struct filler {
	struct table_plan *p;
	const __s8 *level_of; /* IPv6 length -> level: the plan's, or a version's */
	struct bouclier_line *lines;
	struct ht hosts, nets, net20, levels[BOUCLIER_V6_LEVELS];
	__u64 keys; /* written or removed */
};

/* The filler of an image laid out as p says, with p's IPv6 levels. */
void table_filler_init(struct filler *f, struct table_plan *p, struct bouclier_line *lines);
/* Writes val (0: removes) at each key that a prefix of length rlen takes
 * inside q, which is that prefix or a longer one inside it (the delta
 * rewrites only what a change covers); none when q is longer than the
 * keys of rlen's region.  -ENOSPC when a hash region is full, or (IPv6) a
 * length the layout does not take. */
int table_put(struct filler *f, int rlen, const struct cidr *q, __u32 val);

/* One entry's part of the fingerprint; t and t0 from list_salt(). */
struct salt {
	__u64 t, t0;
};

static inline struct salt list_salt(const struct table_list *l)
{
	__u64 t = bouclier_mix((__u64)l->feeds << 32 ^ (__u64)l->tag << 1 ^ l->allow);

	return (struct salt){ t, bouclier_mix(t) }; /* t0: what an IPv4 entry's low half gives */
}

static inline __u64 entry_hash(const struct cidr *c, struct salt s)
{
	__u64 hi, lo;

	memcpy(&hi, c->addr, 8);
	memcpy(&lo, c->addr + 8, 8);
	return bouclier_mix(hi ^ (lo ? bouclier_mix(lo ^ s.t) : s.t0) ^
			    ((__u64)c->family << 8 | c->plen) * 0x9e3779b97f4a7c15ULL);
}

#endif
