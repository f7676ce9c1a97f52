// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "cidr.h"
#include "lcg.h"

/* Arrays, not pointers: Criterion copies parameters into another process. */
struct parse_case {
	char in[40];
	char out[40]; /* canonical form, or "" when refused */
	int hostbits;
};

ParameterizedTestParameters(cidr, parse)
{
	static struct parse_case cases[] = {
		{ "198.51.100.7", "198.51.100.7/32", 0 },
		{ "198.51.100.0/24", "198.51.100.0/24", 0 },
		{ "198.51.100.7/24", "198.51.100.0/24", 1 },
		{ "203.0.113.255/25", "203.0.113.128/25", 1 },
		{ "0.0.0.0/8", "0.0.0.0/8", 0 },
		{ "255.255.255.255", "255.255.255.255/32", 0 },
		{ "2001:db8::/32", "2001:db8::/32", 0 },
		{ "2001:DB8:0:0::1", "2001:db8::1/128", 0 },
		{ "2001:db8::1/48", "2001:db8::/48", 1 },
		{ "::ffff:198.51.100.1", "::ffff:198.51.100.1/128", 0 },
		{ "010.1.1.1", "", 0 },
		{ "198.051.100.1", "", 0 },
		{ "256.1.1.1", "", 0 },
		{ "1.2.3", "", 0 },
		{ "1.2.3.4.5", "", 0 },
		{ "1.2.3.4/33", "", 0 },
		{ "1.2.3.4/0", "", 0 },
		{ "1.2.3.4/", "", 0 },
		{ "1.2.3.4/08", "", 0 },
		{ "1.2.3.4/x", "", 0 },
		{ "2001:db8::/0", "", 0 },
		{ "2001:db8::/129", "", 0 },
		{ "fe80::1%eth0", "", 0 },
		{ "2001:db8:::1", "", 0 },
		{ "", "", 0 },
		{ "example.org", "", 0 },
	};
	return cr_make_param_array(struct parse_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct parse_case *c, cidr, parse)
{
	char buf[CIDR_STRLEN];
	const char *why = NULL;
	struct cidr out;
	int flags = 0, err;

	err = cidr_parse(c->in, strlen(c->in), &out, &flags, &why);
	if (!c->out[0]) {
		cr_assert_neq(err, 0, "%s should be refused", c->in);
		cr_assert_not_null(why, "a refusal says why");
		return;
	}
	cr_assert_eq(err, 0, "%s: %s", c->in, why);
	cr_assert_str_eq(cidr_format(&out, buf, sizeof(buf)), c->out);
	cr_assert_eq(!!(flags & CIDR_HOSTBITS), c->hostbits, "%s host bits flag", c->in);
}

static size_t normalise(const char **in, size_t n, char out[][CIDR_STRLEN])
{
	struct cidr v[64];
	size_t i;
	int flags;
	const char *why;

	for (i = 0; i < n; i++)
		cr_assert_eq(cidr_parse(in[i], strlen(in[i]), &v[i], &flags, &why), 0, "%s", in[i]);
	cidr_normalise(v, &n);
	for (i = 0; i < n; i++)
		cidr_format(&v[i], out[i], CIDR_STRLEN);
	return n;
}

Test(cidr, normalise_folds_duplicates_covered_and_siblings)
{
	const char *in[] = {
		"198.51.100.0/25", "198.51.100.128/25", /* siblings: one /24 */
		"198.51.100.7",                         /* covered */
		"203.0.113.9", "203.0.113.9",           /* duplicate */
		"192.0.2.0/26", "192.0.2.64/26", "192.0.2.128/25", /* two merges */
		"2001:db8::/33", "2001:db8:8000::/33", "2001:db8:1::1",
	};
	char out[16][CIDR_STRLEN];
	size_t n = normalise(in, sizeof(in) / sizeof(in[0]), out);

	cr_assert_eq(n, 4);
	cr_assert_str_eq(out[0], "192.0.2.0/24");
	cr_assert_str_eq(out[1], "198.51.100.0/24");
	cr_assert_str_eq(out[2], "203.0.113.9/32");
	cr_assert_str_eq(out[3], "2001:db8::/32");
}

/* Halves of the whole space stay halves: every reader of a list refuses a
 * /0 (cidr_parse, the state's image), so `feed check --print` and the state
 * must never write one. */
Test(cidr, normalise_never_makes_a_slash_zero)
{
	const char *in[] = {
		"0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1", /* all of IPv4 */
		"::/1", "8000::/2", "c000::/2",          /* all of IPv6 */
	};
	char out[16][CIDR_STRLEN];
	size_t n = normalise(in, sizeof(in) / sizeof(in[0]), out);

	cr_assert_eq(n, 4);
	cr_expect_str_eq(out[0], "0.0.0.0/1");
	cr_expect_str_eq(out[1], "128.0.0.0/1");
	cr_expect_str_eq(out[2], "::/1");
	cr_expect_str_eq(out[3], "8000::/1");
}

/* The same with more than the 1024 IPv4 entries that take the fast fold. */
Test(cidr, normalise_never_makes_a_slash_zero_at_scale)
{
	size_t n = 2048, i;
	struct cidr *v = calloc(n, sizeof(*v));

	cr_assert_not_null(v);
	for (i = 0; i < n; i++) /* every /11 */
		cidr_from_v4(&v[i], (__u32)i << 21, 11);
	cidr_normalise(v, &n);
	cr_assert_eq(n, 2, "%zu prefixes", n);
	cr_expect_eq(v[0].plen, 1);
	cr_expect_eq(v[1].plen, 1);
	free(v);
}

static char ranges[16][CIDR_STRLEN];
static int nranges;

static int collect(const struct cidr *c, void *ctx)
{
	(void)ctx;
	cidr_format(c, ranges[nranges++], CIDR_STRLEN);
	return nranges == 16;
}

static int range(const char *lo, const char *hi)
{
	struct cidr a, b;
	const char *why;

	nranges = 0;
	cr_assert_eq(cidr_parse_addr(lo, strlen(lo), &a, &why), 0);
	cr_assert_eq(cidr_parse_addr(hi, strlen(hi), &b, &why), 0);
	return cidr_range(&a, &b, collect, NULL);
}

Test(cidr, range_splits_into_fewest_prefixes)
{
	cr_assert_eq(range("198.51.100.0", "198.51.100.255"), 0);
	cr_assert_eq(nranges, 1);
	cr_assert_str_eq(ranges[0], "198.51.100.0/24");

	cr_assert_eq(range("192.0.2.1", "192.0.2.6"), 0);
	cr_assert_eq(nranges, 4);
	cr_assert_str_eq(ranges[0], "192.0.2.1/32");
	cr_assert_str_eq(ranges[1], "192.0.2.2/31");
	cr_assert_str_eq(ranges[2], "192.0.2.4/31");
	cr_assert_str_eq(ranges[3], "192.0.2.6/32");

	cr_assert_eq(range("203.0.113.9", "203.0.113.9"), 0);
	cr_assert_eq(nranges, 1);
	cr_assert_str_eq(ranges[0], "203.0.113.9/32");

	cr_assert_eq(range("2001:db8::", "2001:db8::ffff"), 0);
	cr_assert_eq(nranges, 1);
	cr_assert_str_eq(ranges[0], "2001:db8::/112");

	cr_assert_eq(range("0.0.0.0", "127.255.255.255"), 0);
	cr_assert_str_eq(ranges[0], "0.0.0.0/1");

	cr_assert_neq(range("192.0.2.9", "192.0.2.1"), 0, "reversed range");
	cr_assert_neq(range("192.0.2.1", "2001:db8::1"), 0, "mixed families");
	cr_assert_neq(range("0.0.0.0", "255.255.255.255"), 0, "whole space");
}

Test(cidr, contains_and_order)
{
	struct cidr a, b;
	const char *why;
	int f;

	cidr_parse("198.51.100.0/24", 15, &a, &f, &why);
	cidr_parse("198.51.100.77", 13, &b, &f, &why);
	cr_assert(cidr_contains(&a, &b));
	cr_assert_not(cidr_contains(&b, &a));
	cr_assert_lt(cidr_cmp(&a, &b), 0, "a covering prefix sorts first");
	cidr_parse("2001:db8::/32", 13, &b, &f, &why);
	cr_assert_not(cidr_contains(&a, &b), "families never contain each other");
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

Test(cidr, sort_runs_sorts_like_qsort)
{
	static int a[5000], b[5000];
	unsigned int seed = 7, i, shape;

	for (shape = 0; shape < 4; shape++) {
		for (i = 0; i < 5000; i++) {
			seed = seed * 1103515245 + 12345;
			/* random, sorted, reversed, and sorted runs end to end */
			a[i] = shape == 0 ? (int)(seed >> 8) % 1000 : shape == 1 ? (int)i
			     : shape == 2 ? 5000 - (int)i : (int)(i % 700);
			b[i] = a[i];
		}
		sort_runs(a, 5000, sizeof(int), cmp_int);
		qsort(b, 5000, sizeof(int), cmp_int);
		cr_assert_arr_eq(a, b, sizeof(a), "shape %u", shape);
	}
}

Test(cidr, normalise_large_mixed_lists)
{
	static struct cidr in[6000], out[6000];
	unsigned int seed = 11, i, j;
	size_t n = 6000;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245 + 12345;
		if (i % 5 == 4)
			cidr_from_v6(&in[i], 0x20010db800000000ULL | (seed >> 20), seed,
				     32 + seed % 97);
		else
			cidr_from_v4(&in[i], 0xc6336400u ^ (seed & 0x3fff), 18 + seed % 15);
		cidr_mask(&in[i]);
	}
	memcpy(out, in, sizeof(in));
	cidr_normalise(out, &n);
	cr_assert_lt(n, 6000);
	for (i = 1; i < n; i++) {
		cr_assert_lt(cidr_cmp(&out[i - 1], &out[i]), 0, "sorted at %u", i);
		cr_assert_not(cidr_contains(&out[i - 1], &out[i]), "nothing covered at %u", i);
	}
	for (i = 0; i < 6000; i++) {
		for (j = 0; j < n && !cidr_contains(&out[j], &in[i]); j++)
			;
		cr_assert_lt(j, n, "input %u lost", i);
	}
}

/* "2001:db8::1\0garbage" was read as 2001:db8::1. */
Test(cidr, an_embedded_nul_is_an_error)
{
	struct cidr c;
	const char *why;
	int flags;

	cr_assert_neq(cidr_parse("2001:db8::1\0garbage", 19, &c, &flags, &why), 0);
	cr_assert(strstr(why, "NUL"), "%s", why);
	cr_assert_neq(cidr_parse("198.51.100.1\0", 13, &c, &flags, &why), 0);
	cr_assert_neq(cidr_parse_addr("2001:db8::1\0", 12, &c, &why), 0);
}

/* The fold against an independent reference: the addresses of a /18 as a
 * bitmap, cut into the largest aligned blocks.  The same list in order, in
 * order but for a few entries (yesterday's list changed), reversed and
 * shuffled must give exactly those blocks. */
Test(cidr, normalise_any_order_gives_the_fewest_blocks)
{
	enum { BITS = 14, N = 5000 };
	static __u8 set[1 << BITS];
	static struct cidr in[N], v[N], want[1 << BITS];
	const __u32 base = 0xc6334000u; /* 198.51.64.0/18 */
	unsigned int seed = 7, shape, i, a, h, len;
	size_t nw = 0, n;

	for (i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		len = 22 + (seed >> 8) % 11;
		cidr_from_v4(&in[i], base | ((seed >> 12) & ((1u << BITS) - 1)), len);
		cidr_mask(&in[i]);
		a = cidr_v4(&in[i]) - base;
		for (h = 0; h < 1u << (32 - len); h++)
			set[a + h] = 1;
	}
	for (a = 0; a < 1u << BITS;) {
		int k = BITS;

		if (!set[a]) {
			a++;
			continue;
		}
		for (;; k--) { /* the largest aligned block from a, all set */
			unsigned int size = 1u << k, j;

			if (a % size)
				continue;
			for (j = a; j < a + size && set[j]; j++)
				;
			if (j == a + size)
				break;
		}
		cidr_from_v4(&want[nw++], base + a, 32 - k);
		a += 1u << k;
	}
	sort_runs(in, N, sizeof(in[0]), (int (*)(const void *, const void *))cidr_cmp);
	for (shape = 0; shape < 4; shape++) {
		memcpy(v, in, sizeof(in));
		for (i = 0; shape == 1 && i < N; i += 97) { /* a few out of place */
			struct cidr t = v[i];

			v[i] = v[(i * 7919) % N];
			v[(i * 7919) % N] = t;
		}
		for (i = 0; shape == 2 && i < N / 2; i++) {
			struct cidr t = v[i];

			v[i] = v[N - 1 - i];
			v[N - 1 - i] = t;
		}
		for (i = N - 1; shape == 3 && i > 0; i--) {
			unsigned int j;
			struct cidr t = v[i];

			seed = seed * 1103515245 + 12345;
			j = (seed >> 8) % (i + 1);
			v[i] = v[j];
			v[j] = t;
		}
		n = N;
		cidr_normalise(v, &n);
		cr_assert_eq(n, nw, "shape %u: %zu prefixes, the fewest are %zu", shape, n, nw);
		for (i = 0; i < n; i++)
			cr_assert_eq(cidr_cmp(&v[i], &want[i]), 0, "shape %u: prefix %u", shape, i);
	}
}

/* The fast path of feed lines never accepts what the careful parser
 * refuses or reads otherwise: random strings of digits, dots and slashes,
 * and the edges (leading zeros, 255/256, /0, /32, /33, host bits). */
Test(cidr, the_fast_ipv4_line_agrees_with_the_parser)
{
	static const char *const edges[] = {
		"0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3.04", "1.2.3.4/0",
		"1.2.3.4/32", "1.2.3.4/33", "1.2.3.0/24", "1.2.3.4/24", "1.2.3.4/024", "1.2.3",
		"1.2.3.4.", "1.2.3.4/", "1.2.3.4 ", "1.2.3.1000", "10.0.0.0/8", "198.51.100.7",
	};
	static const char *const parts[] = { "0", "00", "01", "7", "25", "198", "255", "256", "1000",
					     "51", "100", "", "9" };
	static const char *const tails[] = { "", "", "", "/0", "/1", "/8", "/24", "/28", "/31", "/32",
					     "/33", "/024", "/", ".", " " };
	unsigned int seed = 3, i, k, fast = 0;
	char buf[40];

	for (i = 0; i < 200000 + sizeof(edges) / sizeof(edges[0]); i++) {
		struct cidr a, b;
		const char *why;
		size_t len;
		int flags, ok;

		if (i < sizeof(edges) / sizeof(edges[0])) {
			snprintf(buf, sizeof(buf), "%s", edges[i]);
		} else {
			len = 0;
			for (k = 0; k < 4; k++) {
				seed = seed * 1103515245 + 12345;
				len += snprintf(buf + len, sizeof(buf) - len, "%s%s", k ? "." : "",
						parts[(seed >> 16) % (sizeof(parts) / sizeof(parts[0]))]);
			}
			seed = seed * 1103515245 + 12345;
			snprintf(buf + len, sizeof(buf) - len, "%s",
				 tails[(seed >> 16) % (sizeof(tails) / sizeof(tails[0]))]);
		}
		len = strlen(buf);
		if (!cidr_parse_v4_line(buf, buf + len, &a))
			continue;
		fast++;
		ok = !cidr_parse(buf, len, &b, &flags, &why);
		cr_assert(ok && !flags && !cidr_cmp(&a, &b) && a.family == 4,
			  "\"%s\": the fast path reads it, the parser does not agree", buf);
	}
	cr_assert_geq(fast, 5000, "the random strings reached the fast path %u times", fast);
}

/* The fold as it was before its fast paths (qsort, then prefixes compared
 * whole), kept here as the reference for them. */
static bool ref_siblings(const struct cidr *a, const struct cidr *b)
{
	struct cidr pa = *a, pb = *b;

	if (a->family != b->family || a->plen != b->plen || a->plen <= 1)
		return false;
	pa.plen--;
	pb.plen--;
	cidr_mask(&pa);
	cidr_mask(&pb);
	return !memcmp(pa.addr, pb.addr, 16) && memcmp(a->addr, b->addr, 16);
}

static int ref_cmp(const void *a, const void *b)
{
	return cidr_cmp(a, b);
}

static size_t ref_normalise(struct cidr *v, size_t n)
{
	size_t i, top = 0;

	qsort(v, n, sizeof(*v), ref_cmp);
	for (i = 0; i < n; i++) {
		if (top && cidr_contains(&v[top - 1], &v[i]))
			continue;
		v[top++] = v[i];
		while (top >= 2 && ref_siblings(&v[top - 2], &v[top - 1])) {
			top--;
			v[top - 1].plen--;
			cidr_mask(&v[top - 1]);
			while (top >= 2 && cidr_contains(&v[top - 1], &v[top - 2])) {
				v[top - 2] = v[top - 1];
				top--;
			}
		}
	}
	return top;
}

/* Random, sorted, sorted but for a few swaps or copies, just past the
 * sixteenth the one-pass sort takes, and sorted but for runs of 1 to 10
 * neighbours changed (runs of spikes or dips, shorter and longer than the
 * run the one pass sets aside whole); /1 pairs, which stay two /1s; both
 * families: the same result as the reference, entry for entry. */
Test(cidr, normalise_equals_the_plain_fold, .timeout = 60)
{
	unsigned int seed = 5, round;

	for (round = 0; round < 480; round++) {
		size_t n = 1024 + lcg(&seed) % 3000, i, na, nb;
		struct cidr *a = calloc(n, sizeof(*a)), *b = calloc(n, sizeof(*b));
		unsigned int shape = round % 6, bits = 6 + lcg(&seed) % 14;

		for (i = 0; i < n; i++) {
			if (lcg(&seed) % 17) {
				__u32 x = (__u32)(lcg(&seed) & ((1u << bits) - 1)) << (32 - bits);
				unsigned int pl = lcg(&seed) % 8 ? 32 - lcg(&seed) % (bits + 1) : 1 + lcg(&seed) % 32;

				cidr_from_v4(&a[i], x, lcg(&seed) % 1000 ? pl : 1);
			} else {
				cidr_from_v6(&a[i], 0x2000000000000000ULL | (__u64)(lcg(&seed) & 1) << 48,
					     lcg(&seed) & 0xff, 120 + lcg(&seed) % 9);
			}
			cidr_mask(&a[i]);
		}
		if (shape)
			qsort(a, n, sizeof(*a), ref_cmp);
		for (i = 0; shape == 2 && i < n / 40; i++) { /* a few swapped */
			size_t x = lcg(&seed) % n, y = lcg(&seed) % n;
			struct cidr t = a[x];

			a[x] = a[y];
			a[y] = t;
		}
		for (i = 0; shape == 3 && i < n / 20; i++) /* a few copied out of place */
			a[lcg(&seed) % n] = a[lcg(&seed) % n];
		for (i = 0; shape == 4 && i < n / 17; i++) { /* about the sixteenth */
			size_t x = lcg(&seed) % n, y = lcg(&seed) % n;
			struct cidr t = a[x];

			a[x] = a[y];
			a[y] = t;
		}
		for (i = 0; shape == 5 && i < n / 100 + 1; i++) { /* runs changed */
			size_t x = lcg(&seed) % n, end = x + 1 + lcg(&seed) % 10;

			for (; x < end && x < n; x++)
				a[x] = a[lcg(&seed) % n];
		}
		memcpy(b, a, n * sizeof(*a));
		na = n;
		cidr_normalise(a, &na);
		nb = ref_normalise(b, n);
		cr_assert_eq(na, nb, "round %u shape %u: %zu prefixes, the reference %zu", round,
			     shape, na, nb);
		for (i = 0; i < na; i++)
			cr_assert(!memcmp(&a[i], &b[i], sizeof(a[i])), "round %u shape %u: prefix %zu",
				  round, shape, i);
		free(a);
		free(b);
	}
}
