// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The delta (table_delta) against the full compile: random lists of four
 * feeds and an allowlist, nested across lists, compiled in full; then a
 * small random change applied to a copy of that image, and the new lists
 * compiled in full.  Both images must hold the same keys with the same
 * values in every region (the filter bits of the delta may hold more), the
 * same dense entries, give the brute-force reference's answer at the edges
 * of every prefix, and count the same prefixes.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#define RNG_SEED 0x9e3779b97f4a7c15ULL
#include "table_test.h"

#define NL 5 /* lists 0..3: feeds 1 << i; list 4: the allowlist */


struct version {
	struct cidr *v[NL];
	size_t n[NL];
	struct table_list l[NL];
};

/* Nested across lists in a few blocks, every region of both families: the
 * dense /1-/16, /17-/20, /21-/24, hosts, IPv6 levels short and long. */
static void random_prefix(struct cidr *c, int family)
{
	static const __u8 lens4[] = { 1, 2, 8, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
				      27, 28, 29, 30, 31, 32, 32, 32, 32, 32, 32, 32, 32, 32 };
	static const __u8 lens6[] = { 1, 8, 16, 17, 20, 29, 32, 33, 40, 48, 48, 56, 64, 100,
				      128, 128 };

	memset(c, 0, sizeof(*c));
	c->family = family;
	if (family == 4) {
		c->addr[0] = rnd() % 64 ? 198 : (__u8)rnd();
		c->addr[1] = 51 + (rnd() % 4 == 0);
		c->addr[2] = rnd() & 0x13;
		c->addr[3] = (__u8)rnd();
		c->plen = lens4[rnd() % sizeof(lens4)];
		if (c->plen < 8 && rnd() % 4)
			c->plen = 24; /* few very short ones: each covers most of the rest */
	} else {
		static const __u8 base[] = { 0x20, 0x01, 0x0d, 0xb8 };

		memcpy(c->addr, base, 4);
		c->addr[1] ^= rnd() % 8 == 0;
		c->addr[5] = rnd() & 3;
		c->addr[7] = rnd() & 1;
		c->addr[15] = (__u8)rnd();
		c->plen = lens6[rnd() % sizeof(lens6)];
		if (c->plen < 16 && rnd() % 4)
			c->plen = 48;
	}
	cidr_mask(c);
}

static void version_lists(struct version *v)
{
	int i;

	for (i = 0; i < NL; i++)
		v->l[i] = (struct table_list){ v->v[i], v->n[i], i < 4 ? 1u << i : 0, i == 4, 0 };
}

static void random_version(struct version *v, size_t per_list)
{
	size_t k;
	int i;

	for (i = 0; i < NL; i++) {
		size_t n = i == 4 ? per_list / 8 : per_list;

		v->v[i] = calloc(n + 1, sizeof(struct cidr));
		for (k = 0; k < n; k++)
			random_prefix(&v->v[i][k], k % 3 ? 4 : 6);
		v->n[i] = n;
		cidr_normalise(v->v[i], &v->n[i]);
	}
	version_lists(v);
}

/* A copy of a with about one entry in `removed` gone and `added` new ones
 * in each list it changes (lists whose bit is in which). */
static void changed_version(const struct version *a, struct version *b, unsigned which,
			    size_t removed, size_t added)
{
	size_t k, n;
	int i;

	for (i = 0; i < NL; i++) {
		if (!(which & (1u << i))) {
			b->v[i] = a->v[i]; /* the same list: unchanged */
			b->n[i] = a->n[i];
			continue;
		}
		b->v[i] = calloc(a->n[i] + added + 1, sizeof(struct cidr));
		for (k = n = 0; k < a->n[i]; k++)
			if (!removed || rnd() % removed)
				b->v[i][n++] = a->v[i][k];
		for (k = 0; k < added; k++)
			random_prefix(&b->v[i][n++], k % 3 ? 4 : 6);
		b->n[i] = n;
		cidr_normalise(b->v[i], &b->n[i]);
	}
	version_lists(b);
}

static void version_free(struct version *v, const struct version *shared)
{
	int i;

	for (i = 0; i < NL; i++)
		if (!shared || v->v[i] != shared->v[i])
			free(v->v[i]);
}

struct image {
	struct bouclier_line *lines;
	__u32 nlines;
	struct table_stats st;
};

static void compile(const struct version *v, struct sets *sets, struct image *img)
{
	struct table_entry *e;
	struct table_plan *p;
	size_t n = 0, k;
	int i;

	for (i = 0; i < NL; i++)
		n += v->n[i];
	e = calloc(n + 1, sizeof(*e));
	for (i = 0, n = 0; i < NL; i++)
		for (k = 0; k < v->n[i]; k++)
			e[n++] = (struct table_entry){ .c = v->v[i][k], .allow = v->l[i].allow,
						       .feeds = v->l[i].feeds };
	cr_assert_eq(table_plan(e, n, set_id, sets, &p), 0);
	img->nlines = table_plan_lines(p);
	img->st = *table_plan_stats(p);
	img->lines = calloc(img->nlines, sizeof(*img->lines));
	cr_assert_eq(table_fill(p, img->lines), 0);
	table_plan_free(p);
	free(e);
}

/* Every (key, value) of a hash region, sorted: 5 words a key. */
static int cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, 4 * sizeof(__u32));
}

static size_t region_keys(const struct bouclier_line *lines, __u32 off, __u32 nb, int v6,
			  __u32 **out)
{
	size_t n = 0, b;
	int s;
	__u32 *v = calloc((size_t)nb * 8 * 5 + 1, sizeof(*v));

	for (b = off; b < off + nb; b++) {
		if (v6) {
			const struct bouclier_bucket6 *k = (const void *)&lines[b];

			for (s = 0; s < BOUCLIER_V6_SLOTS; s++)
				if (k->val[s]) {
					__u32 *r = &v[5 * n++];

					r[0] = (__u32)(k->key[s][0] >> 32);
					r[1] = (__u32)k->key[s][0];
					r[2] = (__u32)(k->key[s][1] >> 32);
					r[3] = (__u32)k->key[s][1];
					r[4] = k->val[s];
				}
		} else {
			const struct bouclier_bucket4 *k = (const void *)&lines[b];

			for (s = 0; s < BOUCLIER_V4_SLOTS; s++)
				if (k->val[s]) {
					__u32 *r = &v[5 * n++];

					r[0] = r[1] = r[2] = 0;
					r[3] = k->key[s];
					r[4] = k->val[s];
				}
		}
	}
	qsort(v, n, 5 * sizeof(*v), cmp_key);
	*out = v;
	return n;
}

static void same_region(const struct bouclier_line *a, __u32 aoff, __u32 anb,
			const struct bouclier_line *b, __u32 boff, __u32 bnb, int v6,
			const char *what)
{
	__u32 *ka, *kb;
	size_t na = region_keys(a, aoff, anb, v6, &ka), nb = region_keys(b, boff, bnb, v6, &kb),
	       i;

	cr_assert_eq(na, nb, "%s: %zu keys after the delta, %zu after the compile", what, na,
		     nb);
	for (i = 0; i < na; i++)
		cr_assert(!memcmp(&ka[5 * i], &kb[5 * i], 5 * sizeof(__u32)),
			  "%s: key %zu: %08x%08x%08x%08x = %#x after the delta, "
			  "%08x%08x%08x%08x = %#x after the compile", what, i, ka[5 * i],
			  ka[5 * i + 1], ka[5 * i + 2], ka[5 * i + 3], ka[5 * i + 4], kb[5 * i],
			  kb[5 * i + 1], kb[5 * i + 2], kb[5 * i + 3], kb[5 * i + 4]);
	free(ka);
	free(kb);
}

/* The reference: every list scanned. */
static __u32 reference(const struct version *v, const struct sets *sets, const struct cidr *q)
{
	__u32 mask = 0;
	size_t k;
	int i, j, allow = 0;

	for (i = 0; i < NL; i++)
		for (k = 0; k < v->n[i]; k++)
			if (cidr_contains(&v->v[i][k], q)) {
				allow |= v->l[i].allow;
				mask |= v->l[i].feeds;
			}
	if (allow)
		return BOUCLIER_ALLOW;
	for (j = 1; mask && j <= sets->n; j++)
		if (sets->mask[j] == mask)
			return j;
	return mask ? ~0u : 0;
}

static void probe(const struct version *v, const struct sets *sets, const struct image *d,
		  const struct cidr *c)
{
	struct cidr q = *c;
	int bytes = c->family == 4 ? 4 : 16, i, k;
	char buf[CIDR_STRLEN];

	q.plen = c->family == 4 ? 32 : 128;
	for (k = 0; k < 4; k++) {
		if (k == 1) /* the last address */
			for (i = bytes - 1; i >= 0; i--)
				if ((i + 1) * 8 > c->plen)
					q.addr[i] |= (__u8)(0xff >> (c->plen > i * 8 ? c->plen - i * 8 : 0));
		if (k == 2) /* a neighbour, inside or just outside */
			q.addr[bytes - 1] ^= 1;
		if (k == 3) /* just past the end */
			for (i = bytes - 1; i >= 0 && ++q.addr[i] == 0; i--)
				;
		cr_assert_eq(table_lookup(d->lines, d->nlines, &q), reference(v, sets, &q),
			     "%s after the delta", cidr_format(&q, buf, sizeof(buf)));
	}
}

static void same_image(const struct image *d, const struct image *f)
{
	const struct bouclier_hdr *hd = (const void *)&d->lines[0], *hf = (const void *)&f->lines[0];
	const struct bouclier_v6_levels *ld = (const void *)&d->lines[BOUCLIER_V6_LEVEL_LINE];
	const struct bouclier_v6_levels *lf = (const void *)&f->lines[BOUCLIER_V6_LEVEL_LINE];
	__u32 i, w;

	same_region(d->lines, hd->v4_host_off, hd->v4_host_nb, f->lines, hf->v4_host_off,
		    hf->v4_host_nb, 0, "IPv4 hosts");
	same_region(d->lines, hd->v4_net_off, hd->v4_net_nb, f->lines, hf->v4_net_off,
		    hf->v4_net_nb, 0, "IPv4 /24s");
	same_region(d->lines, hd->v4_net20_off, hd->v4_net20_nb, f->lines, hf->v4_net20_off,
		    hf->v4_net20_nb, 0, "IPv4 /20s");
	cr_assert_eq(hd->v6_nlevels, hf->v6_nlevels);
	cr_assert(!memcmp(&d->lines[BOUCLIER_V6_PLEN_LINE], &f->lines[BOUCLIER_V6_PLEN_LINE],
			  BOUCLIER_LINE_BYTES), "IPv6 levels");
	for (i = 0; i < hd->v6_nlevels; i++)
		same_region(d->lines, ld[i / 8].l[i % 8].off, ld[i / 8].l[i % 8].nb, f->lines,
			    lf[i / 8].l[i % 8].off, lf[i / 8].l[i % 8].nb, 1, "IPv6 level");
	for (i = 0; i < BOUCLIER_DENSE_LINES; i++)
		cr_assert(!memcmp(&d->lines[hd->v4_dense + i], &f->lines[hf->v4_dense + i],
				  BOUCLIER_LINE_BYTES), "IPv4 dense line %u", i);
	for (i = 0; i < BOUCLIER_V4_FILTER_LINES; i++)
		for (w = 0; w < 16; w++)
			cr_assert(!(f->lines[hf->v4_filter + i].w[w] &
				    ~d->lines[hd->v4_filter + i].w[w]),
				  "IPv4 filter line %u: a bit the delta lacks", i);
	for (i = 0; i < BOUCLIER_V6_DENSE_LINES; i++)
		for (w = 0; w < 16; w += 2) {
			cr_assert_eq(d->lines[hd->v6_dense + i].w[w], f->lines[hf->v6_dense + i].w[w],
				     "IPv6 dense line %u", i);
			cr_assert(!(f->lines[hf->v6_dense + i].w[w + 1] &
				    ~d->lines[hd->v6_dense + i].w[w + 1]),
				  "IPv6 dense line %u: a level flag the delta lacks", i);
		}
	cr_assert_eq(d->st.v4_prefixes, f->st.v4_prefixes, "IPv4 prefixes counted");
	cr_assert_eq(d->st.v6_prefixes, f->st.v6_prefixes, "IPv6 prefixes counted");
}

/* One round: a full compile of a, the delta to b on a copy, a full compile
 * of b; returns table_delta's answer. */
static int round_trip(const struct version *a, const struct version *b, size_t max_changed)
{
	struct sets sets = { 0 };
	struct image ia, ib, id;
	struct table_delta_stats ds;
	int err, i, k;

	compile(a, &sets, &ia);
	id = ia;
	id.lines = malloc((size_t)ia.nlines * sizeof(*id.lines));
	memcpy(id.lines, ia.lines, (size_t)ia.nlines * sizeof(*id.lines));
	struct table_scan sc;

	cr_assert_eq(table_scan(a->l, b->l, NL, max_changed, &sc), 0);
	cr_assert_eq(sc.fp_was, table_fingerprint(a->l, NL), "the scan's fingerprints");
	cr_assert_eq(sc.fp_now, table_fingerprint(b->l, NL), "the scan's fingerprints");
	err = table_delta(id.lines, id.nlines, a->l, b->l, NL, &sc, set_id, &sets, &ds);
	table_scan_free(&sc);
	if (!err) {
		compile(b, &sets, &ib);
		id.st.v4_prefixes = ia.st.v4_prefixes + ds.v4_prefixes;
		id.st.v6_prefixes = ia.st.v6_prefixes + ds.v6_prefixes;
		same_image(&id, &ib);
		for (i = 0; i < NL; i++)
			for (k = 0; k < (int)b->n[i]; k++)
				probe(b, &sets, &id, &b->v[i][k]);
		for (i = 0; i < NL; i++) /* where the old entries were */
			for (k = 0; k < (int)a->n[i]; k++)
				probe(b, &sets, &id, &a->v[i][k]);
		free(ib.lines);
	}
	free(ia.lines);
	free(id.lines);
	return err;
}

Test(delta, random_changes_equal_a_full_compile, .timeout = 120)
{
	int round, applied = 0, rounds = 60;

	for (round = 0; round < rounds; round++) {
		struct version a, b;
		unsigned which = round % 7 == 6 ? 0x1f : 1u << (rnd() % NL);
		int err;

		random_version(&a, 300 + rnd() % 300);
		changed_version(&a, &b, which, 8 + rnd() % 20, 2 + rnd() % 12);
		err = round_trip(&a, &b, 100000);
		cr_assert(!err || err == -EAGAIN, "round %d: %d", round, err);
		applied += !err;
		version_free(&b, &a);
		version_free(&a, NULL);
	}
	/* -EAGAIN is right when a hash region is full or the IPv6 levels
	 * change; most rounds must still have gone through the delta */
	cr_assert_geq(applied, rounds * 2 / 3, "only %d of %d rounds applied as a delta", applied,
		      rounds);
}

static void parse_into(struct version *v, int list, const char *const *s, int n)
{
	const char *why;
	int i, f;

	v->v[list] = calloc(n + 1, sizeof(struct cidr));
	for (i = 0; i < n; i++)
		cr_assert_eq(cidr_parse(s[i], strlen(s[i]), &v->v[list][i], &f, &why), 0, "%s",
			     s[i]);
	v->n[list] = n;
	cidr_normalise(v->v[list], &v->n[list]);
}

/* The lists of text, each NULL-terminated (NULL: an empty list). */
static int text_count(const char *const *t)
{
	int n = 0;

	while (t && t[n])
		n++;
	return n;
}

static void text_version(struct version *v, const char *const *const lists[NL])
{
	int i;

	for (i = 0; i < NL; i++)
		parse_into(v, i, lists[i], text_count(lists[i]));
	version_lists(v);
}

/* The lists, then list `which` made of entries instead: the change and its
 * reverse must both go through the delta, and give the compile's table. */
static void change_both_ways(const char *const *const lists[NL], int which,
			     const char *const *entries)
{
	struct version a = { 0 }, b;

	text_version(&a, lists);
	b = a;
	parse_into(&b, which, entries, text_count(entries));
	version_lists(&b);
	cr_assert_eq(round_trip(&a, &b, 100), 0, "the change");
	cr_assert_eq(round_trip(&b, &a, 100), 0, "its reverse");
	free(b.v[which]);
	version_free(&a, NULL);
}

/* A /24 listed over another feed's hosts changes their values; an
 * allowed host inside stays allowed; taken away, all comes back. */
Test(delta, a_covering_prefix_comes_and_goes)
{
	static const char *const hosts[] = { "198.51.100.7", "198.51.100.9/32",
					     "198.51.100.64/27", "2001:db8::7", NULL };
	static const char *const other[] = { "2001:db8:1::/48", NULL }; /* the same levels */
	static const char *const allow[] = { "198.51.100.9", NULL };
	static const char *const net[] = { "198.51.100.0/24", "2001:db8::/48", NULL };

	change_both_ways((const char *const *const[NL]){ hosts, NULL, other, NULL, allow }, 1,
			 net);
}

/* A change inside a prefix of the same region rewrites only its own keys:
 * another feed's /28 beside it, inside the same /26, keeps its value. */
Test(delta, a_change_leaves_its_neighbours_alone)
{
	static const char *const outer[] = { "198.51.100.0/26", NULL };
	static const char *const beside[] = { "198.51.100.16/28", NULL };
	static const char *const change[] = { "198.51.100.40/30", NULL };

	change_both_ways((const char *const *const[NL]){ outer, beside, NULL, NULL, NULL }, 2,
			 change);
}

/* An IPv6 length leaves the lists but the levels stay (/40 and /43 share
 * the level of /43): the /40's keys are found where the old lists put
 * them, and go. */
Test(delta, a_length_that_leaves_is_removed_from_its_level)
{
	static const char *const v40[] = { "2001:db8::/40", NULL };
	static const char *const v43[] = { "2001:db8:100::/43", "2001:db8::/128", NULL };

	change_both_ways((const char *const *const[NL]){ v40, v43, NULL, NULL, NULL }, 0, NULL);
}

/* An IPv6 prefix of a feed under an allowed one adds nothing to the table,
 * but its length counts in the levels of both the compile and the delta:
 * an IPv4 change beside it is still a delta, and the same table. */
Test(delta, a_folded_ipv6_length_keeps_the_levels)
{
	static const char *const f0[] = { "2001:db8:1::/56", "198.51.100.0/24", NULL };
	static const char *const f1a[] = { "203.0.113.0/24", NULL };
	static const char *const f1b[] = { "203.0.113.0/24", "192.0.2.0/24", NULL };
	static const char *const allow[] = { "2001:db8::/32", NULL };

	change_both_ways((const char *const *const[NL]){ f0, f1a, NULL, NULL, allow }, 1, f1b);
}

/* Thirty deltas in a row on one image, each checked against a compile of
 * the lists of the moment; a delta refused is replaced by a compile, as
 * publish() does. */
Test(delta, deltas_in_a_row_stay_the_compile, .timeout = 120)
{
	int round, step, applied = 0, steps = 0;

	for (round = 0; round < 8; round++) {
		struct version v[2];
		struct sets sets = { 0 };
		struct image img, ib;
		int cur = 0, i, k;

		random_version(&v[0], 200 + rnd() % 200);
		compile(&v[0], &sets, &img);
		for (step = 0; step < 30; step++, steps++) {
			struct table_scan sc;
			struct table_delta_stats ds;
			int err;

			changed_version(&v[cur], &v[!cur], 1u << (rnd() % NL), 4 + rnd() % 10,
					1 + rnd() % 6);
			cr_assert_eq(table_scan(v[cur].l, v[!cur].l, NL, 100000, &sc), 0);
			err = table_delta(img.lines, img.nlines, v[cur].l, v[!cur].l, NL, &sc, set_id,
					  &sets, &ds);
			table_scan_free(&sc);
			if (err) {
				cr_assert_eq(err, -EAGAIN);
				free(img.lines);
				compile(&v[!cur], &sets, &img);
			}
			applied += !err;
			version_free(&v[cur], &v[!cur]);
			cur = !cur;
			compile(&v[cur], &sets, &ib);
			for (i = 0; i < NL; i++)
				for (k = 0; k < (int)v[cur].n[i]; k++)
					probe(&v[cur], &sets, &img, &v[cur].v[i][k]);
			free(ib.lines);
		}
		version_free(&v[cur], NULL);
		free(img.lines);
	}
	cr_assert_geq(applied, steps / 2, "only %d of %d steps were deltas", applied, steps);
}

/* A list with host bits set (the compile masks them, the delta would not
 * find the keys): the scan says it is not in order, the delta refuses. */
Test(delta, host_bits_ask_for_a_compile)
{
	struct version a = { 0 }, b = { 0 };
	struct table_scan sc;
	int i;

	a.v[0] = calloc(2, sizeof(struct cidr));
	cidr_from_v4(&a.v[0][0], 0xc6336405u, 30); /* 198.51.100.5/30 */
	a.n[0] = 1;
	for (i = 1; i < NL; i++)
		a.v[i] = calloc(1, sizeof(struct cidr));
	version_lists(&a);
	b = a;
	b.v[0] = calloc(1, sizeof(struct cidr));
	b.n[0] = 0;
	version_lists(&b);
	cr_assert_eq(table_scan(a.l, b.l, NL, 100, &sc), 0);
	cr_assert_not(sc.ordered);
	table_scan_free(&sc);
	cr_assert_eq(round_trip(&a, &b, 100), -EAGAIN);
	free(b.v[0]);
	version_free(&a, NULL);
}

Test(delta, what_does_not_fit_asks_for_a_compile)
{
	static const char *const v6[] = { "2001:db8::/48", "2001:db8:1::/48", NULL };
	static const char *const odd[] = { "2001:db8:2::/61" };
	struct version a = { 0 }, b = { 0 };

	text_version(&a, (const char *const *const[NL]){ v6, NULL, NULL, NULL, NULL });
	b = a;
	parse_into(&b, 1, odd, 1); /* a length the levels do not take */
	version_lists(&b);
	cr_assert_eq(round_trip(&a, &b, 100), -EAGAIN);
	cr_assert_eq(round_trip(&a, &b, 0), -EAGAIN, "more changes than allowed");
	free(b.v[1]);
	version_free(&a, NULL);
}

Test(delta, the_fingerprint_sees_any_change)
{
	static const char *const more[] = { "203.0.113.0/24" }; /* outside the random pool */
	struct version a, b;
	__u64 fa, fb;
	struct table_list swapped[NL];
	int i;

	random_version(&a, 200);
	fa = table_fingerprint(a.l, NL);
	for (i = 0; i < NL; i++)
		swapped[i] = a.l[NL - 1 - i];
	cr_assert_eq(table_fingerprint(swapped, NL), fa, "the order of the lists does not count");
	b = a;
	parse_into(&b, 2, more, 1);
	version_lists(&b);
	fb = table_fingerprint(b.l, NL);
	cr_assert_neq(fa, fb);
	b.l[2].tag = 1;
	cr_assert_neq(table_fingerprint(b.l, NL), fb, "the tag counts");
	version_free(&b, &a);
	version_free(&a, NULL);
}
