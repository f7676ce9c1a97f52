// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the table compiler (maps/table_plan.c and
 * table_fill.c): prefix sets decoded from the input — both families, every
 * prefix length from 1, allow flags, masks over three feeds, prefixes built
 * from earlier ones so that they nest and overlap — go through table_plan()
 * and table_fill() into zeroed lines (see image()).  Asserted: no crash, no undefined behaviour, no leak; and
 * for each entry's first and last address, and the addresses just below and
 * above, table_lookup() (the kernel's lookup.h) answers what scanning every
 * entry answers: allow if an allow entry covers the address, else the union
 * of the feeds of every covering entry — read back through the set id the
 * callback gave that union, with the direction bits of those feeds.
 *
 * Input: up to 256 entries of 5 bytes each (see decode()).  So that a run
 * stays fast, a set is skipped when its image would pass 6 MiB (the IPv4
 * filter and dense regions alone take 4.6 MiB) or its hash regions would
 * hold more than 32768 keys: a long IPv6 prefix rounded up its ladder is
 * 2^15 keys alone.
 *
 * fuzz-build: maps/table_plan.c maps/table_fill.c maps/cidr.c
 * fuzz-run: -max_len=1280
 */
#include <sanitizer/asan_interface.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "table.h"

#define MAX_ENTRIES 256
#define MAX_IMAGE (6u << 20) /* bytes */
#define MAX_KEYS 32768
#define NFEEDS 3

/* Feed 0 drops on the way in, feed 1 on the way out, feed 2 both: the
 * value's direction bits are the union of theirs. */
static __u32 dirs(__u32 feeds)
{
	return (feeds & 5 ? BOUCLIER_IN : 0) | (feeds & 6 ? BOUCLIER_OUT : 0);
}

/* Set ids: one a distinct mask, stable within a run. */
struct sets {
	__u32 mask[1 << NFEEDS];
	int n;
};

static int set_id(__u32 feeds, void *ctx)
{
	struct sets *s = ctx;
	int i;

	if (!feeds || feeds >> NFEEDS) {
		fprintf(stderr, "set_id called for mask %#x\n", feeds);
		abort();
	}
	for (i = 1; i <= s->n; i++)
		if (s->mask[i] == feeds)
			return i | dirs(feeds);
	s->mask[++s->n] = feeds;
	return s->n | dirs(feeds);
}

/*
 * Each entry takes 5 bytes:
 *   0: bit 0 IPv6, bit 1 allow, bits 2-4 the feed mask, bits 5-7 where the
 *      address starts: 0-5 from an earlier entry (chosen by byte 2), 6-7
 *      from a fixed base (198.51.100.0, 2001:db8::)
 *   1: prefix length, 1 to 32 or 1 to 128
 *   2: the earlier entry
 *   3, 4: a byte position and the value XORed into it
 * The prefix is masked as every reader masks it (host bits off).
 */
static size_t decode(const unsigned char *d, size_t size, struct table_entry *e)
{
	static const __u8 base4[4] = { 198, 51, 100, 0 };
	static const __u8 base6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	size_t n = 0;

	for (; size >= 5 && n < MAX_ENTRIES; d += 5, size -= 5, n++) {
		struct table_entry *x = &e[n];
		int v6 = d[0] & 1, bytes = v6 ? 16 : 4;

		memset(x, 0, sizeof(*x));
		x->c.family = v6 ? 6 : 4;
		x->c.plen = 1 + d[1] % (v6 ? 128 : 32);
		x->allow = !!(d[0] & 2);
		x->feeds = (d[0] >> 2) & 7;
		if ((d[0] >> 5) < 6 && n)
			memcpy(x->c.addr, e[d[2] % n].c.addr, bytes);
		else
			memcpy(x->c.addr, v6 ? base6 : base4, bytes);
		x->c.addr[d[3] % bytes] ^= d[4];
		cidr_mask(&x->c);
	}
	return n;
}

/* What the lookup must answer, scanning every entry. */
static __u32 reference(const struct table_entry *e, size_t n, const struct cidr *q, __u32 *mask)
{
	int allow = 0;
	size_t i;

	*mask = 0;
	for (i = 0; i < n; i++)
		if (cidr_contains(&e[i].c, q)) {
			allow |= e[i].allow;
			*mask |= e[i].feeds;
		}
	return allow ? BOUCLIER_ALLOW : *mask;
}

/* A value names feeds through its set id; its direction bits are theirs. */
static __u32 feeds_of(const struct sets *s, __u32 val)
{
	__u32 id = val & BOUCLIER_SET_MASK;

	if (!id || (int)id > s->n || (val & ~BOUCLIER_SET_MASK) != dirs(s->mask[id]))
		return ~0u;
	return s->mask[id];
}

static void check(const struct table_entry *e, size_t n, const struct bouclier_line *img,
		  __u32 nlines, const struct sets *s, const struct cidr *q)
{
	__u32 mask, want = reference(e, n, q, &mask), got = table_lookup(img, nlines, q);
	char buf[CIDR_STRLEN];

	if (want == BOUCLIER_ALLOW || !want ? got == want
					    : !(got & BOUCLIER_ALLOW) && feeds_of(s, got) == mask)
		return;
	fprintf(stderr, "%s: want %s, feeds %#x; got value %#x (feeds %#x)\n",
		cidr_format(q, buf, sizeof(buf)), want == BOUCLIER_ALLOW ? "allow" : "feeds", mask,
		got, feeds_of(s, got));
	abort();
}

/*
 * The image: zeroed lines as calloc() gives them, but carved from the end of
 * one buffer kept across runs, with what lies before them poisoned: a fresh
 * 5 MiB calloc() a run spends most of the run in ASan's shadow and page
 * faults, and this catches the same overflows on both sides.
 */
static struct bouclier_line *image(__u32 nlines)
{
	static struct bouclier_line *buf;
	const size_t max = MAX_IMAGE / sizeof(*buf);
	struct bouclier_line *img;

	if (!buf && !(buf = malloc(max * sizeof(*buf))))
		abort();
	ASAN_UNPOISON_MEMORY_REGION(buf, max * sizeof(*buf));
	img = buf + (max - nlines);
	memset(img, 0, (size_t)nlines * sizeof(*img));
	ASAN_POISON_MEMORY_REGION(buf, (max - nlines) * sizeof(*buf));
	return img;
}

/* q += delta (1 or -1) over the family's bits; false when it wraps. */
static int step(struct cidr *q, int delta)
{
	int i = q->family == 4 ? 3 : 15;

	for (; i >= 0; i--) {
		int wrap = delta > 0 ? q->addr[i] == 0xff : q->addr[i] == 0;

		q->addr[i] += delta;
		if (!wrap)
			return 1;
	}
	return 0;
}

/* An entry's first and last address, and the ones just outside. */
static void probe(const struct table_entry *e, size_t n, const struct bouclier_line *img,
		  __u32 nlines, const struct sets *s, const struct cidr *c)
{
	struct cidr first = *c, last = *c, q;
	int bytes = c->family == 4 ? 4 : 16, i;

	first.plen = last.plen = bytes * 8;
	for (i = 0; i < bytes; i++) {
		int keep = (int)c->plen - i * 8;

		if (keep < 8)
			last.addr[i] |= keep <= 0 ? 0xff : (__u8)(0xff >> keep);
	}
	check(e, n, img, nlines, s, &first);
	check(e, n, img, nlines, s, &last);
	q = first;
	if (step(&q, -1))
		check(e, n, img, nlines, s, &q);
	q = last;
	if (step(&q, 1))
		check(e, n, img, nlines, s, &q);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct table_entry e[MAX_ENTRIES], *copy;
	struct bouclier_line *img;
	const struct table_stats *st;
	struct sets sets = { 0 };
	struct table_plan *p;
	size_t n = decode(data, size, e), i;
	__u32 nlines;
	int err;

	/* table_plan() reorders its entries: give it a copy, keep e for the
	 * reference */
	copy = malloc((n ? n : 1) * sizeof(*copy));
	if (!copy)
		return 0;
	memcpy(copy, e, n * sizeof(*e));
	err = table_plan(copy, n, set_id, &sets, &p);
	free(copy);
	if (err) {
		fprintf(stderr, "table_plan: %d\n", err);
		abort();
	}
	nlines = table_plan_lines(p);
	st = table_plan_stats(p);
	if ((size_t)nlines * sizeof(*img) > MAX_IMAGE ||
	    (size_t)st->v4_hosts + st->v4_nets + st->v6_keys > MAX_KEYS) {
		table_plan_free(p);
		return 0;
	}
	img = image(nlines);
	err = table_fill(p, img);
	table_plan_free(p);
	if (err) {
		fprintf(stderr, "table_fill: %d\n", err);
		abort();
	}
	for (i = 0; i < n; i++)
		probe(e, n, img, nlines, &sets, &e[i].c);
	return 0;
}
