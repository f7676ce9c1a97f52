// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * table_delta.c - a small change of the lists applied to a copy of the live
 * image instead of a full compile: the image's layout read back, both
 * versions of the lists scanned in one pass (fingerprints, order, the
 * prefixes in one version only), and the keys inside each changed prefix
 * rewritten as the compile would write them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "table_int.h"

/* The image's layout as a plan without entries; levels' lengths from
 * line 1.  -EINVAL when a region passes nlines. */
static int layout_read(const struct bouclier_line *lines, __u32 nlines, struct table_plan *p)
{
	const struct bouclier_v6_levels *lvl = (const void *)&lines[BOUCLIER_V6_LEVEL_LINE];
	const struct bouclier_v6_plens *pl = (const void *)&lines[BOUCLIER_V6_PLEN_LINE];
	__u64 end;
	__u32 i;

	memset(p, 0, sizeof(*p));
	if (nlines < BOUCLIER_TABLE_FIRST)
		return -EINVAL;
	memcpy(&p->hdr, &lines[0], sizeof(p->hdr));
	if (p->hdr.v6_nlevels > BOUCLIER_V6_LEVELS)
		return -EINVAL;
	p->nlevels = p->hdr.v6_nlevels;
	end = 0;
#define REGION(off, nb) \
	do { \
		if ((__u64)(off) + (nb) > nlines || !(nb)) \
			return -EINVAL; \
		if ((__u64)(off) + (nb) > end) \
			end = (__u64)(off) + (nb); \
	} while (0)
	REGION(p->hdr.v4_dense, BOUCLIER_DENSE_LINES);
	REGION(p->hdr.v4_filter, BOUCLIER_V4_FILTER_LINES);
	REGION(p->hdr.v4_host_off, p->hdr.v4_host_nb);
	REGION(p->hdr.v4_net_off, p->hdr.v4_net_nb);
	REGION(p->hdr.v4_net20_off, p->hdr.v4_net20_nb);
	REGION(p->hdr.v6_dense, BOUCLIER_V6_DENSE_LINES);
	if (p->hdr.v6_filter_nb)
		REGION(p->hdr.v6_filter, p->hdr.v6_filter_nb);
	for (i = 0; i < p->nlevels; i++) {
		p->v6_plen[i] = pl->plen[i];
		p->v6_off[i] = lvl[i / 8].l[i % 8].off;
		p->v6_nb[i] = lvl[i / 8].l[i % 8].nb;
		if (p->v6_plen[i] <= 16 || p->v6_plen[i] > 128)
			return -EINVAL;
		REGION(p->v6_off[i], p->v6_nb[i]);
	}
#undef REGION
	p->nlines = end;
	return 0;
}

__u32 table_image_lines(const struct bouclier_line *lines, __u32 nlines)
{
	struct table_plan p;

	return layout_read(lines, nlines, &p) ? 0 : (__u32)p.nlines;
}

/* The first index at or after from whose entry is not before c (cidr
 * order); from an earlier answer, as the changes come in order. */
static size_t seek(const struct table_list *l, size_t from, const struct cidr *c)
{
	size_t lo = from, hi, step = 1;

	if (lo >= l->n || cidr_cmp(&l->v[lo], c) >= 0)
		return lo;
	while (lo + step < l->n && cidr_cmp(&l->v[lo + step], c) < 0) {
		lo += step;
		step *= 2;
	}
	hi = lo + step < l->n ? lo + step : l->n;
	while (hi - lo > 1) { /* v[lo] before c; v[hi] not, or the end */
		size_t mid = lo + (hi - lo) / 2;

		if (cidr_cmp(&l->v[mid], c) < 0)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

struct delta {
	struct filler f;
	const struct table_list *lists[2]; /* old, new */
	int nlists;
	size_t *cursor[2];
	struct table_entry *loc;           /* what one change touches */
	size_t nloc, cap;
	table_set_fn set_id;
	void *ctx;
	struct table_delta_stats *ds;
	__s8 level_of[2][129];             /* each version's: old entries go where
					    * the old lists put them */
};

static int loc_push(struct delta *d, const struct table_list *l, const struct cidr *c)
{
	if (d->nloc == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		struct table_entry *n = realloc(d->loc, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		d->loc = n;
		d->cap = cap;
	}
	d->loc[d->nloc++] = (struct table_entry){ .c = *c, .allow = l->allow, .feeds = l->feeds };
	return 0;
}

/* Every entry of one version of the lists that touches ch: the one
 * containing it in each list (they are disjoint), and those inside it. */
static int gather(struct delta *d, int ver, const struct cidr *ch)
{
	int i, err;

	d->nloc = 0;
	for (i = 0; i < d->nlists; i++) {
		const struct table_list *l = &d->lists[ver][i];
		size_t j = seek(l, d->cursor[ver][i], ch);

		d->cursor[ver][i] = j;
		if (j && cidr_contains(&l->v[j - 1], ch) && (err = loc_push(d, l, &l->v[j - 1])))
			return err;
		for (; j < l->n && cidr_contains(ch, &l->v[j]); j++)
			if ((err = loc_push(d, l, &l->v[j])))
				return err;
	}
	sort_runs(d->loc, d->nloc, sizeof(*d->loc), table_entry_cmp);
	return 0;
}

/* Rewrites the keys inside ch: those the old lists wrote go, those the new
 * lists write come, in the compile's order (a more specific prefix last). */
static int delta_one(struct delta *d, const struct cidr *ch)
{
	int ver, err;

	for (ver = 0; ver < 2; ver++) {
		struct fold fold = { .depth = 0 };
		long inside = 0;
		size_t i, j;

		err = gather(d, ver, ch);
		if (err)
			return err;
		d->f.level_of = d->level_of[ver];
		for (i = 0; i < d->nloc; i = j) {
			struct table_entry m = d->loc[i];
			struct cidr q;
			__u32 val = 0;
			__u64 eff;
			bool in;

			for (j = i + 1; j < d->nloc && !cidr_cmp(&d->loc[j].c, &m.c); j++) {
				m.allow |= d->loc[j].allow;
				m.feeds |= d->loc[j].feeds;
			}
			eff = fold_next(&fold, &m);
			if (!eff)
				continue;
			/* only what lies inside the change: a prefix containing it
			 * writes the change's own keys, if its region's keys are
			 * not longer than the change */
			in = cidr_contains(ch, &m.c);
			q = in ? m.c : *ch;
			inside += in;
			if (ver && (err = eff_value(eff, d->set_id, d->ctx, &val)))
				return err;
			err = table_put(&d->f, m.c.plen, &q, val);
			if (err)
				return err;
		}
		*(ch->family == 4 ? &d->ds->v4_prefixes : &d->ds->v6_prefixes) +=
			ver ? inside : -inside;
	}
	return 0;
}

/* cidr_cmp(), with IPv4 by integers: the scan compares every entry. */
static inline int order(const struct cidr *a, const struct cidr *b)
{
	if (a->family == 4 && b->family == 4) {
		__u32 x = cidr_v4(a), y = cidr_v4(b);

		if (x != y)
			return x < y ? -1 : 1;
		return (a->plen > b->plen) - (a->plen < b->plen);
	}
	return cidr_cmp(a, b);
}

/* c has no bit set past its length, as the compile leaves every prefix. */
static inline bool masked(const struct cidr *c)
{
	struct cidr m;

	if (c->family == 4)
		return c->plen >= 32 || !(cidr_v4(c) << c->plen);
	m = *c;
	cidr_mask(&m);
	return !memcmp(m.addr, c->addr, sizeof(m.addr));
}

/* b comes after a with no address of a in it (a sorted, disjoint list). */
static inline bool after(const struct cidr *a, const struct cidr *b)
{
	if (a->family == 4 && b->family == 4)
		return cidr_v4(b) > (cidr_v4(a) | (a->plen >= 32 ? 0 : 0xffffffffu >> a->plen));
	return order(a, b) < 0 && !cidr_contains(a, b);
}

/* Entry k of l is where a sorted, disjoint, masked list has it. */
static inline bool in_place(const struct table_list *l, size_t k)
{
	return (!k || after(&l->v[k - 1], &l->v[k])) && masked(&l->v[k]);
}

static int scan_push(struct table_scan *sc, const struct cidr *c, size_t max)
{
	if (sc->nch >= max) {
		sc->too_many = true;
		return 0;
	}
	if (sc->nch == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 256;
		struct cidr *v = realloc(sc->ch, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		sc->ch = v;
		sc->cap = cap;
	}
	sc->ch[sc->nch++] = *c;
	return 0;
}

/* One list in both versions, in one pass: both fingerprints, whether both
 * are sorted, disjoint and masked, and the entries in one only. */
static int scan_list(const struct table_list *was, const struct table_list *now, size_t max,
		     struct table_scan *sc)
{
	struct salt sw = list_salt(was), sn = list_salt(now);
	size_t i = 0, j = 0;
	int c, err;

	if (was->v == now->v && was->n == now->n && sw.t == sn.t) { /* unchanged */
		for (j = 0; j < now->n; j++) {
			__u64 h = entry_hash(&now->v[j], sn);

			sc->fp_now += h;
			sc->fp_was += h;
			sc->ordered &= in_place(now, j);
		}
		return 0;
	}
	while (i < was->n || j < now->n) {
		c = i == was->n ? 1 : j == now->n ? -1 : order(&was->v[i], &now->v[j]);
		if (c <= 0) {
			sc->fp_was += entry_hash(&was->v[i], sw);
			sc->ordered &= in_place(was, i);
		}
		if (c >= 0) {
			sc->fp_now += entry_hash(&now->v[j], sn);
			sc->ordered &= in_place(now, j);
		}
		if (c && (err = scan_push(sc, c < 0 ? &was->v[i] : &now->v[j], max)))
			return err;
		i += c <= 0;
		j += c >= 0;
	}
	return 0;
}

static int cidr_qcmp(const void *a, const void *b)
{
	return cidr_cmp(a, b);
}

int table_scan(const struct table_list *was, const struct table_list *now, int nlists,
	       size_t max_changed, struct table_scan *sc)
{
	size_t i, k;
	int l, err;

	memset(sc, 0, sizeof(*sc));
	sc->ordered = true;
	for (l = 0; l < nlists; l++)
		if ((err = scan_list(&was[l], &now[l], max_changed, sc)))
			return err;
	sc->fp_now += !sc->fp_now; /* 0 is an image without one */
	sc->fp_was += !sc->fp_was;
	/* in order, and none inside another: each key is rewritten once */
	sort_runs(sc->ch, sc->nch, sizeof(*sc->ch), cidr_qcmp);
	for (i = k = 0; i < sc->nch; i++)
		if (!k || !cidr_contains(&sc->ch[k - 1], &sc->ch[i]))
			sc->ch[k++] = sc->ch[i];
	sc->nch = k;
	return 0;
}

void table_scan_free(struct table_scan *sc)
{
	free(sc->ch);
	memset(sc, 0, sizeof(*sc));
}

int table_delta(struct bouclier_line *lines, __u32 nlines, const struct table_list *old,
		const struct table_list *new, int nlists, const struct table_scan *sc,
		table_set_fn set_id, void *ctx, struct table_delta_stats *ds)
{
	struct table_plan *lay, *want;
	struct delta d = { .lists = { old, new }, .nlists = nlists, .set_id = set_id, .ctx = ctx,
			   .ds = ds };
	__u8 present[129] = { 0 };
	size_t i, k;
	int err, l, ver;

	memset(ds, 0, sizeof(*ds));
	ds->changed = sc->nch;
	ds->why = sc->too_many ? "the change is large" : "a list is not sorted and folded";
	if (sc->too_many || !sc->ordered)
		return -EAGAIN;
	ds->why = "the table's layout cannot be read";
	lay = calloc(1, sizeof(*lay));
	want = calloc(1, sizeof(*want));
	d.cursor[0] = calloc(nlists + 1, sizeof(size_t));
	d.cursor[1] = calloc(nlists + 1, sizeof(size_t));
	err = lay && want && d.cursor[0] && d.cursor[1] ? 0 : -ENOMEM;
	if (!err)
		err = layout_read(lines, nlines, lay) ? -EAGAIN : 0;
	/* the IPv6 levels of both versions must be the image's (IPv6 entries
	 * come last in each list); each keeps its own lengths' levels */
	for (ver = 0; !err && ver < 2; ver++) {
		const struct table_list *v = ver ? new : old;

		memset(present, 0, sizeof(present));
		for (l = 0; l < nlists; l++)
			for (k = v[l].n; k-- > 0 && v[l].v[k].family == 6;)
				present[v[l].v[k].plen] = 1;
		table_choose_levels(want, present);
		if (want->nlevels != lay->nlevels ||
		    memcmp(want->v6_plen, lay->v6_plen, lay->nlevels)) {
			ds->why = "the IPv6 prefix lengths change the table's levels";
			err = -EAGAIN;
		}
		memcpy(d.level_of[ver], want->level_of, sizeof(want->level_of));
	}
	if (!err)
		table_filler_init(&d.f, lay, lines);
	for (i = 0; i < sc->nch && !err; i++)
		err = delta_one(&d, &sc->ch[i]);
	if (err == -ENOSPC) {
		err = -EAGAIN; /* a hash region full: the compile sizes a new one */
		ds->why = "a region of the table is full";
	}
	ds->keys = d.f.keys;
	free(d.loc);
	free(d.cursor[0]);
	free(d.cursor[1]);
	free(lay);
	free(want);
	return err;
}
