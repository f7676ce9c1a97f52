// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The compiled table against a brute-force reference: for random nested
 * prefixes of both families, random feeds and allowlist entries, every
 * lookup must give what scanning all entries gives.  This runs the kernel's
 * own lookup code (maps/lookup.h) on an image in memory.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#define RNG_SEED 0x2545f4914f6cdd1dULL
#include "table_test.h"


struct image {
	struct bouclier_line *lines;
	__u32 nlines;
	struct sets sets;
};

static void compile(struct table_entry *e, size_t n, struct image *img)
{
	struct table_entry *copy = malloc((n ? n : 1) * sizeof(*e));
	struct table_plan *p;

	if (n) /* e is NULL for the empty table, and memcpy's arguments are nonnull */
		memcpy(copy, e, n * sizeof(*e));
	memset(&img->sets, 0, sizeof(img->sets));
	cr_assert_eq(table_plan(copy, n, set_id, &img->sets, &p), 0);
	img->nlines = table_plan_lines(p);
	img->lines = calloc(img->nlines, sizeof(*img->lines));
	cr_assert_eq(table_fill(p, img->lines), 0);
	table_plan_free(p);
	free(copy);
}

/* What the lookup must answer, by scanning every entry. */
static __u32 reference(const struct table_entry *e, size_t n, const struct cidr *q, __u32 *mask)
{
	size_t i;
	int allow = 0;

	*mask = 0;
	for (i = 0; i < n; i++) {
		struct cidr c = e[i].c;

		cidr_mask(&c);
		if (!cidr_contains(&c, q))
			continue;
		allow |= e[i].allow;
		*mask |= e[i].feeds;
	}
	return allow ? BOUCLIER_ALLOW : *mask ? 1 : 0;
}

static void check(const struct table_entry *e, size_t n, const struct image *img,
		  const struct cidr *q)
{
	__u32 mask, want = reference(e, n, q, &mask), got;
	char buf[CIDR_STRLEN];

	got = table_lookup(img->lines, img->nlines, q);
	if (want == BOUCLIER_ALLOW)
		cr_assert_eq(got, BOUCLIER_ALLOW, "%s: want allow, got %#x",
			     cidr_format(q, buf, sizeof(buf)), got);
	else if (!want)
		cr_assert_eq(got, 0, "%s: want unlisted, got %#x", cidr_format(q, buf, sizeof(buf)),
			     got);
	else
		cr_assert(got && !(got & BOUCLIER_ALLOW) && img->sets.mask[got] == mask,
			  "%s: want feeds %#x, got value %#x (feeds %#x)",
			  cidr_format(q, buf, sizeof(buf)), mask, got,
			  got < BOUCLIER_MAX_SETS ? img->sets.mask[got] : 0);
}

static void random_entry(struct table_entry *e, int family, const __u8 pool[][16], int npool)
{
	memset(e, 0, sizeof(*e));
	e->c.family = family;
	memcpy(e->c.addr, pool[rnd() % npool], 16);
	if (family == 4) {
		static const __u8 lens[] = { 8, 12, 16, 18, 20, 22, 24, 24, 26, 28, 30, 31, 32, 32, 32 };

		e->c.plen = lens[rnd() % sizeof(lens)];
		e->c.addr[3] ^= rnd() & 0x0f;
		e->c.addr[2] ^= rnd() & 0x03;
	} else {
		static const __u8 lens[] = { 12, 16, 19, 29, 32, 33, 40, 47, 48, 56, 63, 64, 65,
					     100, 127, 128, 128 };

		e->c.plen = lens[rnd() % sizeof(lens)];
		e->c.addr[15] ^= rnd() & 0x0f;
		e->c.addr[5] ^= rnd() & 0x03;
		e->c.addr[7] ^= rnd() & 0x01;
	}
	cidr_mask(&e->c);
	if (rnd() % 10 == 0)
		e->allow = 1;
	else
		e->feeds = 1u << (rnd() % 6);
}

static void probe_around(const struct table_entry *e, size_t n, const struct image *img,
			 const struct cidr *c)
{
	struct cidr q = *c;
	int bytes = c->family == 4 ? 4 : 16, i;

	q.plen = c->family == 4 ? 32 : 128;
	check(e, n, img, &q); /* first address */
	for (i = bytes - 1; i >= 0; i--) /* last address */
		if ((i + 1) * 8 > c->plen)
			q.addr[i] |= (__u8)(0xff >> (c->plen > i * 8 ? c->plen - i * 8 : 0));
	check(e, n, img, &q);
	q.addr[bytes - 1] ^= 1; /* a neighbour, inside or just outside */
	check(e, n, img, &q);
	for (i = 0; i < bytes; i++)
		q.addr[i] = c->addr[i] ^ (i >= bytes - 2 ? rnd() & 0xff : 0);
	check(e, n, img, &q);
}

Test(table, random_nested_prefixes_match_reference, .timeout = 60)
{
	static const __u8 pool4[][16] = { { 198, 51, 100, 0 }, { 203, 0, 113, 0 },
					  { 192, 0, 2, 0 }, { 198, 51, 101, 0 } };
	static const __u8 pool6[][16] = {
		{ 0x20, 0x01, 0x0d, 0xb8 },
		{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01 },
		{ 0x20, 0x01, 0x0d, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	};
	struct table_entry e[600];
	struct image img;
	size_t i, n = sizeof(e) / sizeof(e[0]);
	int round;

	for (round = 0; round < 8; round++) {
		for (i = 0; i < n; i++)
			random_entry(&e[i], i % 2 ? 4 : 6, i % 2 ? pool4 : pool6,
				     i % 2 ? 4 : 3);
		compile(e, n, &img);
		for (i = 0; i < n; i++)
			probe_around(e, n, &img, &e[i].c);
		free(img.lines);
	}
}

Test(table, allowlist_wins_over_any_feed)
{
	struct table_entry e[4] = { 0 };
	struct image img;
	const char *why;
	struct cidr q;
	int f;

	cidr_parse("198.51.100.0/24", 15, &e[0].c, &f, &why);
	e[0].feeds = 1;
	cidr_parse("198.51.100.128/25", 17, &e[1].c, &f, &why);
	e[1].allow = 1;
	cidr_parse("198.51.100.200", 14, &e[2].c, &f, &why); /* listed inside the allowed /25 */
	e[2].feeds = 2;
	cidr_parse("2001:db8::/32", 13, &e[3].c, &f, &why);
	e[3].feeds = 4;
	compile(e, 4, &img);

	cidr_parse_addr("198.51.100.200", 14, &q, &why);
	cr_assert_eq(table_lookup(img.lines, img.nlines, &q), BOUCLIER_ALLOW);
	cidr_parse_addr("198.51.100.127", 14, &q, &why);
	cr_assert_eq(img.sets.mask[table_lookup(img.lines, img.nlines, &q)], 1);
	cidr_parse_addr("2001:db8:ffff::1", 16, &q, &why);
	cr_assert_eq(img.sets.mask[table_lookup(img.lines, img.nlines, &q)], 4);
	cidr_parse_addr("2001:db9::1", 11, &q, &why);
	cr_assert_eq(table_lookup(img.lines, img.nlines, &q), 0);
	free(img.lines);
}

Test(table, empty_table_lists_nothing)
{
	struct image img;
	const char *why;
	struct cidr q;

	compile(NULL, 0, &img);
	cidr_parse_addr("198.51.100.1", 12, &q, &why);
	cr_assert_eq(table_lookup(img.lines, img.nlines, &q), 0);
	cidr_parse_addr("2001:db8::1", 11, &q, &why);
	cr_assert_eq(table_lookup(img.lines, img.nlines, &q), 0);
	free(img.lines);
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

Test(table, many_hosts_fit_and_are_found, .timeout = 60)
{
	size_t n = 200000, i;
	struct table_entry *e = calloc(n, sizeof(*e));
	__u32 *keys = calloc(n, sizeof(*keys));
	struct image img;
	struct cidr q;

	for (i = 0; i < n; i++) {
		keys[i] = (__u32)rnd();
		cidr_from_v4(&e[i].c, keys[i], 32);
		e[i].feeds = 1;
	}
	compile(e, n, &img);
	for (i = 0; i < n; i++)
		cr_assert_eq(img.sets.mask[table_lookup(img.lines, img.nlines, &e[i].c)], 1,
			     "host %zu", i);
	qsort(keys, n, sizeof(*keys), cmp_u32);
	for (i = 0; i < 100000; i++) {
		__u32 a = (__u32)rnd();
		int listed = bsearch(&a, keys, n, sizeof(*keys), cmp_u32) != NULL;

		cidr_from_v4(&q, a, 32);
		cr_assert_eq(!!table_lookup(img.lines, img.nlines, &q), listed, "random %u", a);
	}
	free(keys);
	free(img.lines);
	free(e);
}

/* Every IPv6 prefix length from /1 to /128 in one table: the levels are
 * chosen from the lengths present, every lookup still matches the
 * reference. */
Test(table, every_ipv6_length_at_once, .timeout = 60)
{
	static const __u8 pool6[][16] = {
		{ 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0 },
		{ 0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 7 },
	};
	struct table_entry e[3 * 128];
	struct image img;
	size_t i, n = 0;
	int len, k;

	for (len = 1; len <= 128; len++)
		for (k = 0; k < 3; k++) {
			memset(&e[n], 0, sizeof(e[n]));
			e[n].c.family = 6;
			e[n].c.plen = len;
			memcpy(e[n].c.addr, pool6[k % 2], 16);
			e[n].c.addr[15] ^= (__u8)rnd();
			e[n].c.addr[(len - 1) / 8] ^= 0x80 >> ((len - 1) % 8); /* vary the last bit */
			cidr_mask(&e[n].c);
			if (k == 2)
				e[n].allow = rnd() % 4 == 0;
			if (!e[n].allow)
				e[n].feeds = 1u << (rnd() % 5);
			n++;
		}
	compile(e, n, &img);
	for (i = 0; i < n; i++)
		probe_around(e, n, &img, &e[i].c);
	free(img.lines);
}

/* Memory stays proportional to the prefixes whatever their lengths: 3000
 * /65 prefixes once made a 3.4 GB map, 250,000 /113 crashed feed load. */
static __u64 plan_bytes(int plen, size_t n, int check)
{
	struct table_entry *e = calloc(n, sizeof(*e));
	struct table_plan *p;
	struct sets sets = { 0 };
	struct bouclier_line *lines;
	__u64 bytes;
	size_t i;

	cr_assert_not_null(e);
	for (i = 0; i < n; i++) {
		cidr_from_v6(&e[i].c, 0x20010db800000000ULL | (rnd() & 0xffffffffULL), rnd(), plen);
		cidr_mask(&e[i].c);
		e[i].feeds = 1;
	}
	cr_assert_eq(table_plan(e, n, set_id, &sets, &p), 0);
	bytes = table_plan_bytes(p);
	if (check) {
		lines = calloc(table_plan_lines(p), sizeof(*lines));
		cr_assert_not_null(lines);
		cr_assert_eq(table_fill(p, lines), 0);
		for (i = 0; i < n; i += n / 1000 + 1)
			cr_assert_eq(sets.mask[table_lookup(lines, table_plan_lines(p), &e[i].c) &
					       BOUCLIER_SET_MASK], 1, "entry %zu", i);
		free(lines);
	}
	table_plan_free(p);
	free(e);
	return bytes;
}

Test(table, odd_ipv6_lengths_stay_proportional, .timeout = 120)
{
	__u64 empty = plan_bytes(48, 0, 0), b65 = plan_bytes(65, 3000, 1),
	      b113 = plan_bytes(113, 250000, 1);

	/* at most 8 keys a prefix, about 27 bytes a key, a filter slot or two */
	cr_expect_leq(b65 - empty, 3000 * 8 * 40, "3000 /65: %llu bytes", (unsigned long long)b65);
	cr_expect_leq(b113 - empty, 250000ULL * 8 * 40, "250k /113: %llu bytes",
		      (unsigned long long)b113);
}
