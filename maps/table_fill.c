// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * table_fill.c - the second step of a compile: a plan's keys written into
 * zeroed lines (dense arrays, filters, cuckoo hash regions), again with
 * another seed when a region will not take them; and the kernel's own
 * lookup (lookup.h) run on an image in memory, for the tests and
 * `bouclier lookup`.  The delta writes its keys through table_put() too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "table_int.h"

#define FILL_TRIES 16
#define MAX_KICKS 1000

static void ht_buckets(const struct ht *t, u128 key, __u32 b[2])
{
	__u64 h = t->v6 ? bouclier_hash6((__u64)(key >> 64), (__u64)key, t->seed, t->tag)
			: bouclier_hash4((__u32)key, t->seed, t->tag);

	b[0] = bouclier_range((__u32)h, t->nb);
	b[1] = bouclier_range((__u32)(h >> 32), t->nb);
}

static int ht_slots(const struct ht *t)
{
	return t->v6 ? BOUCLIER_V6_SLOTS : BOUCLIER_V4_SLOTS;
}

static __u32 *ht_val(const struct ht *t, __u32 b, int s)
{
	void *line = &t->base[b];

	return t->v6 ? &((struct bouclier_bucket6 *)line)->val[s]
		     : &((struct bouclier_bucket4 *)line)->val[s];
}

static u128 ht_key(const struct ht *t, __u32 b, int s)
{
	void *line = &t->base[b];

	if (t->v6) {
		struct bouclier_bucket6 *k = line;

		return (u128)k->key[s][0] << 64 | k->key[s][1];
	}
	return ((struct bouclier_bucket4 *)line)->key[s];
}

static void ht_set(const struct ht *t, __u32 b, int s, u128 key, __u32 val)
{
	void *line = &t->base[b];

	if (t->v6) {
		struct bouclier_bucket6 *k = line;

		k->key[s][0] = (__u64)(key >> 64);
		k->key[s][1] = (__u64)key;
	} else {
		((struct bouclier_bucket4 *)line)->key[s] = (__u32)key;
	}
	*ht_val(t, b, s) = val;
}

/* Insert or overwrite: a later entry is more specific than an earlier one
 * with the same key, so the last write wins. */
static int ht_insert(struct ht *t, u128 key, __u32 val)
{
	__u32 b[2], victim_val;
	u128 victim;
	int i, s, kick;

	ht_buckets(t, key, b);
	for (i = 0; i < 2; i++)
		for (s = 0; s < ht_slots(t); s++)
			if (*ht_val(t, b[i], s) && ht_key(t, b[i], s) == key) {
				*ht_val(t, b[i], s) = val;
				return 0;
			}
	for (kick = 0; kick < MAX_KICKS; kick++) {
		for (i = 0; i < 2; i++)
			for (s = 0; s < ht_slots(t); s++)
				if (!*ht_val(t, b[i], s)) {
					ht_set(t, b[i], s, key, val);
					return 0;
				}
		/* Both full: evict a random resident, carry it to its other bucket. */
		t->rng ^= t->rng << 13;
		t->rng ^= t->rng >> 7;
		t->rng ^= t->rng << 17;
		i = t->rng & 1;
		s = (t->rng >> 1) % ht_slots(t);
		victim = ht_key(t, b[i], s);
		victim_val = *ht_val(t, b[i], s);
		ht_set(t, b[i], s, key, val);
		key = victim;
		val = victim_val;
		ht_buckets(t, key, b);
	}
	return -ENOSPC;
}

/* Removes key if present: its slot is free again (a stale key with value 0
 * is never a match, as the lookup ORs the values of matching slots). */
static void ht_remove(struct ht *t, u128 key)
{
	__u32 b[2];
	int i, s;

	ht_buckets(t, key, b);
	for (i = 0; i < 2; i++)
		for (s = 0; s < ht_slots(t); s++)
			if (*ht_val(t, b[i], s) && ht_key(t, b[i], s) == key)
				*ht_val(t, b[i], s) = 0;
}

void table_filler_init(struct filler *f, struct table_plan *p, struct bouclier_line *lines)
{
	__u32 i;

	memset(f, 0, sizeof(*f));
	f->p = p;
	f->level_of = p->level_of;
	f->lines = lines;
	f->hosts = (struct ht){ lines + p->hdr.v4_host_off, p->hdr.v4_host_nb, p->hdr.seed,
				BOUCLIER_SALT_HOST, 0, 0x9e3779b97f4a7c15ULL };
	f->nets = (struct ht){ lines + p->hdr.v4_net_off, p->hdr.v4_net_nb, p->hdr.seed,
			       BOUCLIER_SALT_NET, 0, 0xbf58476d1ce4e5b9ULL };
	f->net20 = (struct ht){ lines + p->hdr.v4_net20_off, p->hdr.v4_net20_nb, p->hdr.seed,
				BOUCLIER_SALT_NET20, 0, 0x2545f4914f6cdd1dULL };
	for (i = 0; i < p->nlevels; i++)
		f->levels[i] = (struct ht){ lines + p->v6_off[i], p->v6_nb[i], p->hdr.seed,
					    p->v6_plen[i], 1, 0x94d049bb133111ebULL + i };
}

/* val, or a removal when val is 0 (filter bits stay: a bit with no key
 * behind it costs a probe, never a wrong answer). */
static int put_key(struct ht *t, u128 key, __u32 val)
{
	if (val)
		return ht_insert(t, key, val);
	ht_remove(t, key);
	return 0;
}

static void dense_set(struct bouclier_line *dense, __u32 idx, __u32 val)
{
	dense[idx / 16].w[idx % 16] = val;
}

static void filter_set(struct table_plan *p, struct bouclier_line *lines, __u32 n24, __u32 bit)
{
	lines[p->hdr.v4_filter + (n24 >> 8)].w[(n24 >> 4) & 15] |= bit << ((n24 & 15) * 2);
}

/* table_put() for IPv4 (table_int.h says what it writes). */
static int put_v4(struct filler *f, int rlen, const struct cidr *q, __u32 val)
{
	struct table_plan *p = f->p;
	__u32 a = cidr_v4(q), i, j, n;
	int err;

	if (rlen <= 16) {
		if (q->plen > 16)
			return 0;
		for (i = 0, n = 1u << (16 - q->plen); i < n; i++)
			dense_set(f->lines + p->hdr.v4_dense, (a >> 16) + i, val);
		f->keys += n;
		return 0;
	}
	if (rlen <= 20) {
		if (q->plen > 20)
			return 0;
		for (i = 0, n = 1u << (20 - q->plen); i < n; i++) {
			__u32 k = (a >> 12) + i;

			err = put_key(&f->net20, k, val);
			if (err)
				return err;
			for (j = 0; val && j < 16; j++)
				filter_set(p, f->lines, (k << 4) + j, BOUCLIER_F4_NET);
		}
		f->keys += n;
		return 0;
	}
	if (rlen <= 24) {
		if (q->plen > 24)
			return 0;
		for (i = 0, n = 1u << (24 - q->plen); i < n; i++) {
			__u32 k = (a >> 8) + i;

			err = put_key(&f->nets, k, val);
			if (err)
				return err;
			if (val)
				filter_set(p, f->lines, k, BOUCLIER_F4_NET);
		}
		f->keys += n;
		return 0;
	}
	for (i = 0, n = 1u << (32 - q->plen); i < n; i++) {
		err = put_key(&f->hosts, a + i, val);
		if (err)
			return err;
		if (val)
			filter_set(p, f->lines, (a + i) >> 8, BOUCLIER_F4_HOST);
	}
	f->keys += n;
	return 0;
}

static void dense6_set(struct table_plan *p, struct bouclier_line *lines, __u32 idx,
		       __u32 val)
{
	lines[p->hdr.v6_dense + idx / 8].w[(idx % 8) * 2] = val;
}

static int put_v6(struct filler *f, int rlen, const struct cidr *q, __u32 val)
{
	struct table_plan *p = f->p;
	__u64 hi, lo, i, n;
	u128 a;
	int lv, len, err;

	cidr_v6(q, &hi, &lo);
	a = (u128)hi << 64 | lo;
	if (rlen <= 16) {
		if (q->plen > 16)
			return 0;
		for (i = 0, n = 1u << (16 - q->plen); i < n; i++)
			dense6_set(p, f->lines, (__u32)(hi >> 48) + i, val);
		f->keys += n;
		return 0;
	}
	lv = f->level_of[rlen];
	if (lv < 0)
		return -ENOSPC; /* a length the layout does not take */
	len = p->v6_plen[lv];
	if (q->plen > len)
		return 0;
	if (val && len >= BOUCLIER_V6_SHORT && !p->hdr.v6_filter_nb)
		return -ENOSPC; /* a delta's key where the layout has no filter */
	for (i = 0, n = 1ULL << (len - q->plen); i < n; i++) {
		u128 k = a + ((u128)i << (128 - len));
		__u32 top = (__u32)(k >> 96);

		err = put_key(&f->levels[lv], k, val);
		if (err)
			return err;
		if (!val)
			continue;
		if (len < BOUCLIER_V6_SHORT) {
			/* flagged in the /16's dense entry */
			f->lines[p->hdr.v6_dense + (top >> 16) / 8].w[((top >> 16) % 8) * 2 + 1] |=
				1u << lv;
		} else {
			__u32 slot = bouclier_range((__u32)bouclier_hash4(top, p->hdr.seed,
									  BOUCLIER_SALT_F6),
						    p->hdr.v6_filter_nb * 16);

			f->lines[p->hdr.v6_filter + slot / 16].w[slot % 16] |= 1u << lv;
		}
	}
	f->keys += n;
	return 0;
}

int table_put(struct filler *f, int rlen, const struct cidr *q, __u32 val)
{
	return q->family == 4 ? put_v4(f, rlen, q, val) : put_v6(f, rlen, q, val);
}

static int fill_once(struct table_plan *p, struct bouclier_line *lines)
{
	struct bouclier_v6_levels *lvl = (void *)&lines[BOUCLIER_V6_LEVEL_LINE];
	struct bouclier_v6_plens *pl = (void *)&lines[BOUCLIER_V6_PLEN_LINE];
	struct filler f;
	__u32 i;
	size_t k;
	int err;

	memcpy(&lines[0], &p->hdr, sizeof(p->hdr));
	memcpy(pl->plen, p->v6_plen, sizeof(p->v6_plen));
	for (i = 0; i < p->nlevels; i++) {
		lvl[i / 8].l[i % 8].off = p->v6_off[i];
		lvl[i / 8].l[i % 8].nb = p->v6_nb[i];
	}
	table_filler_init(&f, p, lines);
	for (k = 0; k < p->nem; k++) {
		err = table_put(&f, p->em[k].c.plen, &p->em[k].c, p->em[k].val);
		if (err)
			return err;
	}
	return 0;
}

int table_fill(struct table_plan *p, struct bouclier_line *lines)
{
	int try, err = -ENOSPC;

	for (try = 0; try < FILL_TRIES; try++) {
		p->hdr.seed = (__u32)bouclier_mix(0x626f75636c696572ULL + try);
		if (try)
			memset(lines, 0, p->nlines * sizeof(*lines));
		err = fill_once(p, lines);
		if (err != -ENOSPC)
			break;
	}
	return err;
}

struct table_view {
	const struct bouclier_line *lines;
	__u32 nlines;
};

#define BOUCLIER_CTX const struct table_view *
#define BOUCLIER_LINE(ctx, i) ((__u32)(i) < (ctx)->nlines ? &(ctx)->lines[(__u32)(i)] : NULL)
#include "lookup.h"

__u32 table_lookup(const struct bouclier_line *lines, __u32 nlines, const struct cidr *addr)
{
	struct table_view v = { lines, nlines };
	__u64 hi, lo;

	if (addr->family == 4)
		return bouclier_lookup4(&v, cidr_v4(addr));
	cidr_v6(addr, &hi, &lo);
	return bouclier_lookup6(&v, hi, lo);
}
