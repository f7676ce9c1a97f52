// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Differential test of the data path.  Random lists (2 or 3 feeds of random
 * directions and an allowlist, nested, adjacent, holes, every prefix length
 * of both families) are compiled and swapped in by the loader's own
 * publish(); structured random frames (VLAN tags, PPPoE, IPv4 options and
 * fragments, IPv6 extension chains, neighbour discovery, every L4, cut at
 * any byte) go through the four programs with BPF_PROG_TEST_RUN, and each
 * answer is compared with the reference model (tests/model.c), which shares
 * no parsing or lookup code with the programs: the action; every counter of
 * both directions; for a parsed frame, the live table's value for the
 * looked-up address (allowed, or the feed set of exactly the feeds listing
 * it, with their directions); for a drop, its feed set's counters, the
 * weather slot (protocol, service port, set) and on the way out the inside
 * machine's record (port, protocol); once a round, the drops by feed that
 * stats_read() reports.
 *
 * Contract: deterministic for a seed (BOUCLIER_DIFF_SEED, printed; fixed by
 * default so CI is reproducible); BOUCLIER_DIFF_CASES random cases (CI_CASES
 * by default; `make check-deep` runs a million), plus a pass that cuts one
 * frame of each shape at every length; BOUCLIER_DIFF_ONLY=N replays case N.
 * A mismatch prints a reproducer that pastes into fixed_cases[] at the end,
 * and fails.  Maps are the test's own, unpinned; nothing is attached
 * anywhere.  Needs root; skips otherwise.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bouclier.skel.h"
#include "frames.h"
#include "model.h"
#include "names.h"
#include "publish.h"
#include "stats.h"
#include "table.h"

#define CI_CASES 50000        /* measured: 1.2 to 2 s on the 2-core VM */
#define DEFAULT_SEED 0x626f75636c696572ULL /* "bouclier" */
#define CASES_PER_ROUND 2000  /* new lists every round */
#define MIN_TEST_RUN 14       /* BPF_PROG_TEST_RUN refuses shorter frames */

typedef unsigned __int128 u128;

/* ---------------------------------------------------------------------------
 * Randomness: splitmix64.  Every round's lists and every case's frame get
 * their own stream derived from the seed, so a case is the same whatever
 * ran before it (BOUCLIER_DIFF_ONLY=N replays case N alone).
 */
struct rng {
	__u64 s;
};

static __u64 rnd(struct rng *r)
{
	__u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static struct rng rng_for(__u64 seed, __u64 stream, __u64 n)
{
	struct rng r = { seed ^ stream * 0xd1b54a32d192ed03ULL };

	r.s ^= rnd(&r) + n * 0xaef17502108ef2d9ULL;
	rnd(&r);
	return r;
}

static __u32 below(struct rng *r, __u32 n)
{
	return n ? (__u32)(rnd(r) % n) : 0;
}

static __u32 between(struct rng *r, __u32 lo, __u32 hi)
{
	return lo + below(r, hi - lo + 1);
}

static int chance(struct rng *r, __u32 percent)
{
	return below(r, 100) < percent;
}

/* ---------------------------------------------------------------------------
 * Addresses as integers of their family's width (32 or 128 bits).
 */
static int width(int fam)
{
	return fam == 4 ? 32 : 128;
}

static u128 ones(int fam)
{
	return fam == 4 ? (u128)0xffffffffu : ~(u128)0;
}

static u128 mask_of(int fam, int plen)
{
	return plen ? (ones(fam) << (width(fam) - plen)) & ones(fam) : 0;
}

static u128 addr_get(const __u8 *a, int fam)
{
	u128 v = 0;
	int i;

	for (i = 0; i < width(fam) / 8; i++)
		v = v << 8 | a[i];
	return v;
}

static void addr_put(u128 v, int fam, __u8 *a)
{
	int i;

	memset(a, 0, 16);
	for (i = width(fam) / 8 - 1; i >= 0; i--, v >>= 8)
		a[i] = (__u8)v;
}

static u128 rnd128(struct rng *r)
{
	return (u128)rnd(r) << 64 | rnd(r);
}

static void prefix_make(struct cidr *c, int fam, u128 v, int plen)
{
	memset(c, 0, sizeof(*c));
	c->family = fam;
	c->plen = plen;
	addr_put(v & mask_of(fam, plen), fam, c->addr);
}

/* ---------------------------------------------------------------------------
 * The round's lists.  Prefixes crowd into a few regions and are built from
 * one another (inside, beside, around), so that prefixes nest, touch, and
 * allowlist holes sit inside listed ones and listed ones inside allowlisted
 * ranges.  Every length of both families occurs; the IPv6 lengths past /64
 * that the current table expands (up to 2^15 keys each) are kept to a few
 * dozen a round and a bounded number of keys, for the time a round takes.
 */
#define MAX_FEEDS 3
#define MAX_FEED_PREFIXES 96
#define MAX_ALLOW 40
#define MAX_ALL (MAX_FEEDS * MAX_FEED_PREFIXES + MAX_ALLOW)
#define MAX_POOL (6 * MAX_ALL)
#define V6_LONG_MAX 30          /* off-ladder IPv6 lengths past /64 a round */
#define V6_KEYS_MAX (1u << 17)  /* keys they may expand to, all together */

struct round_feed {
	int index;
	__u32 flags;
	struct cidr v[MAX_FEED_PREFIXES];
	size_t n;
};

struct region {
	int fam;
	u128 base;
	int plen;
};

struct lists {
	int nfeeds;
	struct round_feed feed[MAX_FEEDS];
	struct cidr allow[MAX_ALLOW];
	size_t nallow;
	struct model_feed mf[MAX_FEEDS];
	struct model_lists ml;
	/* while generating */
	struct region reg[8];
	int nreg;
	const struct cidr *all[MAX_ALL];
	int nall;
	int short_used[2];
	int v6_long;
	__u32 v6_keys;
	/* the addresses frames use: every prefix's first and last address,
	 * one below, one above, one inside; by family (0: IPv4, 1: IPv6) */
	__u8 pool[2][MAX_POOL][16];
	int npool[2];
};

/* A rough size of what an IPv6 prefix expands to, after the fixed ladder
 * of 16 lengths the table once used (its levels now round a prefix up by at
 * most BOUCLIER_V6_SPAN bits, docs/design.md "IPv6"): used only to keep a
 * round's long prefixes few, never to decide what an address resolves to. */
static __u32 v6_expansion(int plen)
{
	int rung = plen <= 64 ? (plen + 3) / 4 * 4 : (plen + 15) / 16 * 16;

	return plen <= 16 ? 1 : 1u << (rung - plen);
}

static int v6_plen_ok(struct lists *L, int plen)
{
	__u32 keys = v6_expansion(plen);

	if (plen <= 64 || keys == 1)
		return 1;
	if (L->v6_long >= V6_LONG_MAX || L->v6_keys + keys > V6_KEYS_MAX)
		return 0;
	L->v6_long++;
	L->v6_keys += keys;
	return 1;
}

/* A prefix of the round so far, of family fam; only a feed's when
 * listed_only (an allowlist entry is made from a listed one). */
static const struct cidr *pick_existing(struct lists *L, struct rng *r, int fam, int listed_only)
{
	const struct cidr *c;
	int tries;

	for (tries = 0; tries < 16 && L->nall; tries++) {
		c = L->all[below(r, L->nall)];
		if (c->family != fam)
			continue;
		if (!listed_only || c < L->allow || c >= L->allow + MAX_ALLOW)
			return c;
	}
	return NULL;
}

/* One prefix of family fam into *out, for a feed or (allow) the allowlist:
 * inside, beside or around one made before, in a region, or anywhere. */
static void gen_prefix(struct lists *L, struct rng *r, int fam, int allow, struct cidr *out)
{
	const struct region *g = NULL;
	const struct cidr *p = NULL;
	int w = width(fam), plen, mode, i;
	u128 v;

	mode = below(r, 100);
	if (mode >= 40 && mode < 90)
		p = pick_existing(L, r, fam, allow);
	if (mode < 40 || (!p && mode < 90)) {
		for (i = 0; i < 8 && !g; i++) {
			g = &L->reg[below(r, L->nreg)];
			if (g->fam != fam)
				g = NULL;
		}
	}
	if (p && mode < (allow ? 70 : 65)) {
		/* inside an existing prefix: a hole, or a nested listing */
		plen = between(r, p->plen, w);
		v = addr_get(p->addr, fam) | (rnd128(r) & ~mask_of(fam, p->plen) & ones(fam));
	} else if (p && mode < 80) {
		/* beside it: the block after or before, at a nearby length */
		u128 size = (u128)1 << (w - p->plen);

		v = addr_get(p->addr, fam) + (chance(r, 50) ? size : -size);
		plen = (int)p->plen - 2 + (int)below(r, 7);
		plen = plen < 1 ? 1 : plen > w ? w : plen;
	} else if (p) {
		/* around it: a shorter prefix that covers it */
		plen = (int)p->plen - (int)below(r, 13);
		plen = plen < 1 ? 1 : plen;
		v = addr_get(p->addr, fam);
	} else if (g) {
		plen = between(r, g->plen, w);
		v = g->base | (rnd128(r) & ~mask_of(fam, g->plen) & ones(fam));
	} else {
		plen = between(r, 8, w);
		v = rnd128(r) & ones(fam);
	}
	/* At most one very short prefix (/1../7) a family and round: each
	 * covers a good part of the random addresses. */
	if (mode >= 97 && !L->short_used[fam == 6])
		plen = between(r, 1, 7);
	if (plen < 8) {
		if (L->short_used[fam == 6])
			plen = 8;
		L->short_used[fam == 6] = 1;
	}
	if (fam == 6 && !v6_plen_ok(L, plen))
		plen = plen <= 80 ? 80 : plen <= 96 ? 96 : plen <= 112 ? 112 : 128;
	prefix_make(out, fam, v, plen);
	L->all[L->nall++] = out;
}

/* The model's view of the lists. */
static void lists_finish(struct lists *L)
{
	int i;

	for (i = 0; i < L->nfeeds; i++)
		L->mf[i] = (struct model_feed){ L->feed[i].index, L->feed[i].flags, L->feed[i].v,
						L->feed[i].n };
	L->ml = (struct model_lists){ L->mf, L->nfeeds, L->allow, L->nallow };
}

static void pool_add(struct lists *L, int fam, u128 v)
{
	int f = fam == 6;

	if (L->npool[f] < MAX_POOL)
		addr_put(v & ones(fam), fam, L->pool[f][L->npool[f]++]);
}

static void gen_lists(struct lists *L, struct rng *r)
{
	static const __u32 dirs[] = { BOUCLIER_FEED_IN, BOUCLIER_FEED_OUT,
				      BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT };
	__u32 used = 0;
	int i, k, fam, n;

	memset(L, 0, sizeof(*L));
	for (i = 0; i < 6; i++) {
		struct region *g = &L->reg[L->nreg++];

		g->fam = i < 3 ? 4 : 6;
		g->plen = g->fam == 4 ? between(r, 8, 16) : between(r, 16, 48);
		g->base = rnd128(r) & mask_of(g->fam, g->plen);
	}
	L->nfeeds = 2 + below(r, 2);
	for (i = 0; i < L->nfeeds; i++) {
		struct round_feed *f = &L->feed[i];

		do
			f->index = below(r, BOUCLIER_MAX_FEEDS);
		while (used & (1u << f->index));
		used |= 1u << f->index;
		f->flags = dirs[below(r, 3)];
		if (chance(r, 3)) /* a list tried before it is enforced */
			f->flags |= BOUCLIER_FEED_MONITOR;
		for (fam = 4; fam <= 6; fam += 2) {
			n = chance(r, 5) ? 0 : fam == 4 ? between(r, 10, 50) : between(r, 6, 40);
			for (k = 0; k < n && f->n < MAX_FEED_PREFIXES; k++)
				gen_prefix(L, r, fam, 0, &f->v[f->n++]);
		}
	}
	for (fam = 4; fam <= 6; fam += 2) {
		n = between(r, 4, MAX_ALLOW / 2);
		for (k = 0; k < n; k++)
			gen_prefix(L, r, fam, 1, &L->allow[L->nallow++]);
	}
	for (i = 0; i < L->nall; i++) {
		const struct cidr *c = L->all[i];
		u128 lo = addr_get(c->addr, c->family);
		u128 hi = lo | (~mask_of(c->family, c->plen) & ones(c->family));

		pool_add(L, c->family, lo);
		pool_add(L, c->family, hi);
		pool_add(L, c->family, lo - 1);
		pool_add(L, c->family, hi + 1);
		pool_add(L, c->family, lo | (rnd128(r) & (hi - lo)));
	}
	lists_finish(L);
}

/* The lists of a round of a small change: base gets L with each feed
 * folded (the state keeps lists so, the delta needs them so; the model does
 * not care), then L becomes base with some entries gone and a few new ones
 * in each feed, folded again.  The frames still probe the old edges. */
static void change_lists(struct lists *L, struct lists *base, struct rng *r)
{
	int i, k, fam;
	size_t j, n;

	for (i = 0; i < L->nfeeds; i++)
		cidr_normalise(L->feed[i].v, &L->feed[i].n);
	lists_finish(L);
	*base = *L;
	lists_finish(base); /* its own arrays */
	L->nall = 0;
	for (i = 0; i < L->nfeeds; i++)
		for (j = 0; j < L->feed[i].n; j++)
			L->all[L->nall++] = &L->feed[i].v[j];
	for (j = 0; j < L->nallow; j++)
		L->all[L->nall++] = &L->allow[j];
	__u8 present[129] = { 0 };

	for (i = 0; i < L->nfeeds; i++)
		for (j = 0; j < L->feed[i].n; j++)
			if (L->feed[i].v[j].family == 6)
				present[L->feed[i].v[j].plen] = 1;
	/* IPv4 entries come and go; IPv6 ones only come, of lengths already
	 * listed: a new length may change the table's IPv6 levels, and then
	 * the change is compiled in full (the even rounds test that) */
	for (i = 0; i < L->nfeeds; i++) {
		struct round_feed *f = &L->feed[i];

		for (j = n = 0; j < f->n; j++)
			if (f->v[j].family == 6 || !chance(r, 8))
				f->v[n++] = f->v[j];
		f->n = n;
		for (fam = 4; fam <= 6; fam += 2)
			for (k = between(r, 0, 3); k > 0 && f->n < MAX_FEED_PREFIXES &&
						   L->nall < MAX_ALL; k--) {
				struct cidr *c = &f->v[f->n++];
				u128 lo, hi;

				gen_prefix(L, r, fam, 0, c);
				if (fam == 6 && !present[c->plen]) {
					f->n--;
					L->nall--;
					continue;
				}
				lo = addr_get(c->addr, c->family);
				hi = lo | (~mask_of(c->family, c->plen) & ones(c->family));
				pool_add(L, c->family, lo);
				pool_add(L, c->family, hi);
				pool_add(L, c->family, hi + 1);
			}
		cidr_normalise(f->v, &f->n);
	}
	lists_finish(L);
}

/* An address for a frame: mostly at the lists' edges, sometimes anywhere. */
static void pick_addr(const struct lists *L, struct rng *r, int fam, __u8 *a)
{
	int f = fam == 6;

	if (L->npool[f] && !chance(r, 15)) {
		memcpy(a, L->pool[f][below(r, L->npool[f])], 16);
		return;
	}
	if (fam == 6 && chance(r, 50)) {
		const struct region *g = &L->reg[3 + below(r, 3)];

		addr_put(g->base | (rnd128(r) & ~mask_of(6, g->plen)), 6, a);
		return;
	}
	addr_put(rnd128(r) & ones(fam), fam, a);
}

/* ---------------------------------------------------------------------------
 * Frames.  A spec says the frame's structure; build() writes it with
 * random contents.  The model never sees the spec, only the bytes.
 */
enum { EXT_HBH = 0, EXT_RT = 43, EXT_FRAG = 44, EXT_AH = 51, EXT_DST = 60 };

struct spec {
	int raw;            /* starts at the IP header */
	int ntags;
	__u16 tpid[3];
	__u16 ppp;          /* PPP protocol of a PPPoE session header; 0: none */
	__u16 ethertype;    /* when l3 is 0 and there is no PPPoE */
	int l3;             /* 4, 6, or 0: something else */
	int version;        /* the version nibble written */
	int ihl;            /* IPv4 */
	__u16 frag;         /* IPv4 flags and offset */
	int next_ext;       /* IPv6 extension headers */
	__u8 ext[8], extlen[8];
	__u16 fragfield[8]; /* offset, res, M of a fragment header */
	__u8 hop;
	__u8 proto;         /* after the IP header and its extensions */
	__u8 icmp_type;
	__u16 dport;
	int l4_other;       /* bytes of an "other" L4 header */
	int payload;
};

static const __u16 services[] = { 22, 23, 25, 53, 80, 443, 445, 1433, 3306, 3389, 5060,
				  5900, 8080 };
static const __u8 ext_kinds[] = { EXT_HBH, EXT_RT, EXT_FRAG, EXT_AH, EXT_DST };

static void spec_l4(struct spec *s, struct rng *r)
{
	static const __u8 others[] = { 0, 2, 4, 41, 47, 50, 59, 103, 132, 135, 139, 140, 253 };
	__u32 p = below(r, 100);

	s->proto = p < 30 ? 6 : p < 55 ? 17 : p < 78 ? (s->l3 == 6 ? 58 : 1)
		 : p < 82 ? (s->l3 == 6 ? 1 : 58) : p < 90 ? others[below(r, sizeof(others))]
		 : (__u8)below(r, 256);
	if (s->proto == 58)
		/* neighbour discovery, its neighbours 132 and 138, echo, any */
		s->icmp_type = chance(r, 50) ? between(r, 133, 137) : chance(r, 20)
			     ? (chance(r, 50) ? 132 : 138) : chance(r, 40) ? between(r, 128, 129)
			     : below(r, 256);
	else
		s->icmp_type = below(r, 256);
	p = below(r, 100);
	s->dport = p < 60 ? services[below(r, sizeof(services) / sizeof(services[0]))]
		 : p < 92 ? between(r, 1, 65535) : 0;
	s->l4_other = below(r, 17);
	s->payload = below(r, 25);
}

static void spec_ip(struct spec *s, struct rng *r)
{
	__u32 p;
	int i;

	/* now and then the other family's version (10 - 4 = 6), or any */
	s->version = chance(r, 96) ? s->l3 : chance(r, 50) ? 10 - s->l3 : (int)below(r, 16);
	if (s->l3 == 4) {
		p = below(r, 100);
		s->ihl = p < 75 ? 5 : p < 90 ? between(r, 6, 15) : below(r, 5);
		p = below(r, 100);
		s->frag = p < 60 ? 0 : p < 75 ? 0x4000 : p < 85 ? 0x2000
			: (below(r, 8) << 13) | between(r, 1, 0x1fff);
	} else {
		p = below(r, 100);
		s->next_ext = p < 35 ? 0 : p < 55 ? 1 : p < 70 ? 2 : p < 80 ? 3 : between(r, 4, 7);
		for (i = 0; i < s->next_ext; i++) {
			s->ext[i] = ext_kinds[below(r, sizeof(ext_kinds))];
			s->extlen[i] = s->ext[i] == EXT_AH ? below(r, 9)
				     : chance(r, 85) ? below(r, 4) : below(r, 32);
			s->fragfield[i] = chance(r, 60) ? below(r, 8)
					: between(r, 1, 0x1fff) << 3 | below(r, 8);
		}
		p = below(r, 100);
		s->hop = p < 40 ? 255 : p < 50 ? 254 : p < 60 ? 64 : below(r, 256);
	}
	spec_l4(s, r);
}

static void spec_random(struct spec *s, struct rng *r)
{
	static const __u16 nonip[] = { 0x0806, 0x8863, 0x88cc, 0x9000, 0x88b5 };
	__u32 p;
	int i;

	memset(s, 0, sizeof(*s));
	s->raw = chance(r, 20);
	if (s->raw) {
		p = below(r, 100);
		s->l3 = p < 47 ? 4 : p < 94 ? 6 : 0;
		if (s->l3)
			spec_ip(s, r);
		else
			s->version = (__u8)(chance(r, 50) ? below(r, 4) : between(r, 7, 15));
		return;
	}
	p = below(r, 100);
	s->ntags = p < 45 ? 0 : p < 70 ? 1 : p < 90 ? 2 : 3;
	for (i = 0; i < s->ntags; i++)
		s->tpid[i] = chance(r, 50) ? 0x8100 : 0x88a8;
	p = below(r, 100);
	if (p < 15) {
		p = below(r, 100);
		s->ppp = p < 45 ? 0x0021 : p < 90 ? 0x0057
		       : chance(r, 50) ? 0xc021 : (__u16)below(r, 65536);
		s->l3 = s->ppp == 0x0021 ? 4 : s->ppp == 0x0057 ? 6 : 0;
	} else if (p < 21) {
		s->ethertype = chance(r, 80) ? nonip[below(r, sizeof(nonip) / sizeof(nonip[0]))]
					     : (__u16)below(r, 65536);
	} else {
		s->l3 = chance(r, 50) ? 4 : 6;
	}
	if (s->l3)
		spec_ip(s, r);
}

static void fill(struct rng *r, __u8 *p, size_t n)
{
	while (n--)
		*p++ = (__u8)rnd(r);
}

/* The frame of spec s: each header filled with random bytes, then
 * written (frames.h writes only the fields that steer a parser), so the
 * random draws come in the order of the frame's bytes. */
static size_t build(const struct spec *s, const __u8 *src, const __u8 *dst, struct rng *r,
		    __u8 *buf)
{
	struct frame f;
	size_t size;
	int i;

	memset(buf, 0, FRAME_MAX);
	frame_start(&f, buf);
	if (!s->raw) {
		fill(r, buf, 12);
		frame_eth(&f, NULL, NULL);
		for (i = 0; i < s->ntags; i++)
			frame_vlan(&f, s->tpid[i], below(r, 65536));
		if (s->ppp)
			frame_pppoe(&f, below(r, 65536), s->ppp);
		else
			frame_ethertype(&f, s->l3 == 4 ? 0x0800 : s->l3 == 6 ? 0x86dd : s->ethertype);
	}
	if (!s->l3) {
		size = s->raw ? between(r, 14, 60) : between(r, 0, 46);
		fill(r, buf + f.len, size);
		if (s->raw) /* the version nibble of a frame that is neither */
			buf[0] = (__u8)(s->version << 4 | (buf[0] & 0x0f));
		frame_payload(&f, size);
		frame_pppoe_len(&f);
		return f.len;
	}
	if (s->l3 == 4) {
		fill(r, buf + f.len, 20 + (s->ihl > 5 ? s->ihl * 4 - 20 : 0));
		frame_ipv4(&f, &(struct frame_ip4){ .src = src, .dst = dst, .version = s->version,
						    .ihl = s->ihl, .proto = s->proto,
						    .frag = s->frag });
	} else {
		fill(r, buf + f.len, 8);
		frame_ipv6(&f, &(struct frame_ip6){ .src = src, .dst = dst, .version = s->version,
						    .next = s->next_ext ? s->ext[0] : s->proto,
						    .hop = s->hop });
		for (i = 0; i < s->next_ext; i++) {
			fill(r, buf + f.len, frame_ext6_size(s->ext[i], s->extlen[i]));
			frame_ext6(&f, s->ext[i], i + 1 < s->next_ext ? s->ext[i + 1] : s->proto,
				   s->extlen[i], s->fragfield[i]);
		}
	}
	size = s->proto == 6 ? 20 : s->proto == 17 || s->proto == 1 || s->proto == 58 ? 8
	     : (size_t)s->l4_other;
	fill(r, buf + f.len, size);
	frame_l4(&f, &(struct frame_l4){ .proto = s->proto, .size = size, .dport = s->dport,
					 .tcp_doff = 5, .icmp_type = s->icmp_type });
	fill(r, buf + f.len, s->payload);
	frame_payload(&f, s->payload);
	if (chance(r, 90))
		frame_ip_len(&f);
	frame_pppoe_len(&f);
	return f.len;
}

/* Shapes the truncation pass cuts at every length: one of each kind of
 * header the parser walks, and the ways they go wrong. */
struct shape {
	const char *what;
	int raw, l3, ntags, ihl, version;
	__u16 tpid0, ppp, frag, ethertype;
	int next_ext;
	__u8 ext[7], extlen[7];
	__u16 fragfield[7];
	__u8 proto, icmp_type, hop;
};

#define NF 0x8 /* a non-first fragment's offset field (offset 1) */
static const struct shape shapes[] = {
	{ "IPv4 TCP", 0, 4, 0, 5, 4, .proto = 6 },
	{ "802.1Q IPv4 UDP with options", 0, 4, 1, 7, 4, 0x8100, .proto = 17 },
	{ "QinQ IPv6 TCP", 0, 6, 2, 0, 6, 0x88a8, .proto = 6 },
	{ "three tags", 0, 4, 3, 5, 4, 0x8100, .proto = 6 },
	{ "PPPoE IPv4 TCP", 0, 4, 0, 5, 4, .ppp = 0x21, .proto = 6 },
	{ "802.1ad PPPoE IPv6 UDP", 0, 6, 1, 0, 6, 0x88a8, .ppp = 0x57, .proto = 17 },
	{ "PPPoE LCP", 0, 0, 0, 0, 0, .ppp = 0xc021 },
	{ "ARP in a VLAN", 0, 0, 1, 0, 0, 0x8100, .ethertype = 0x0806 },
	{ "IPv4 non-first fragment", 0, 4, 0, 5, 4, .frag = 0x2000 | 185, .proto = 17 },
	{ "IPv4 first fragment, options", 0, 4, 0, 9, 4, .frag = 0x2000, .proto = 6 },
	{ "IPv4 ihl 3", 0, 4, 0, 3, 4, .proto = 6 },
	{ "IPv4 ethertype, version 6", 0, 4, 0, 5, 6, .proto = 6 },
	{ "IPv6 ethertype, version 4", 0, 6, 0, 0, 4, .proto = 6 },
	{ "IPv6 hop-by-hop, destination options, TCP", 0, 6, 0, 0, 6, .next_ext = 2,
	  .ext = { EXT_HBH, EXT_DST }, .extlen = { 1, 0 }, .proto = 6 },
	{ "IPv6 routing, first fragment, UDP", 0, 6, 0, 0, 6, .next_ext = 2,
	  .ext = { EXT_RT, EXT_FRAG }, .extlen = { 2 }, .fragfield = { 0, 1 }, .proto = 17 },
	{ "IPv6 non-first fragment, UDP", 0, 6, 0, 0, 6, .next_ext = 1, .ext = { EXT_FRAG },
	  .fragfield = { NF | 1 }, .proto = 17 },
	{ "IPv6 AH, TCP", 0, 6, 0, 0, 6, .next_ext = 1, .ext = { EXT_AH }, .extlen = { 4 },
	  .proto = 6 },
	{ "IPv6 hop-by-hop, neighbour solicitation", 0, 6, 0, 0, 6, .next_ext = 1,
	  .ext = { EXT_HBH }, .proto = 58, .icmp_type = 135, .hop = 255 },
	{ "IPv6 router advertisement", 0, 6, 0, 0, 6, .proto = 58, .icmp_type = 134, .hop = 255 },
	{ "IPv6 six extension headers, TCP", 0, 6, 0, 0, 6, .next_ext = 6,
	  .ext = { EXT_HBH, EXT_DST, EXT_RT, EXT_FRAG, EXT_AH, EXT_DST },
	  .extlen = { 0, 1, 0, 0, 2, 0 }, .proto = 6 },
	{ "IPv6 seven extension headers, TCP", 0, 6, 0, 0, 6, .next_ext = 7,
	  .ext = { EXT_HBH, EXT_DST, EXT_RT, EXT_FRAG, EXT_AH, EXT_DST, EXT_DST }, .proto = 6 },
	{ "IPv6 six extension headers, neighbour advertisement", 0, 6, 0, 0, 6, .next_ext = 6,
	  .ext = { EXT_DST, EXT_DST, EXT_DST, EXT_DST, EXT_DST, EXT_DST },
	  .proto = 58, .icmp_type = 136, .hop = 255 },
	{ "IPv6 destination options, AH, fragment, routing, echo", 0, 6, 1, 0, 6, 0x8100,
	  .next_ext = 4, .ext = { EXT_DST, EXT_AH, EXT_FRAG, EXT_RT }, .extlen = { 3, 1, 0, 1 },
	  .proto = 58, .icmp_type = 128, .hop = 255 },
	{ "raw IPv4 TCP with options", 1, 4, 0, 6, 4, .proto = 6 },
	{ "raw IPv6 hop-by-hop, non-first fragment", 1, 6, 0, 0, 6, .next_ext = 2,
	  .ext = { EXT_HBH, EXT_FRAG }, .fragfield = { 0, NF }, .proto = 6 },
	{ "raw IPv6 neighbour solicitation", 1, 6, 0, 0, 6, .proto = 58, .icmp_type = 135,
	  .hop = 255 },
	{ "raw, neither version", 1, 0, 0, 0, 5 },
};
#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

static void spec_from_shape(struct spec *s, const struct shape *h, struct rng *r)
{
	int i;

	memset(s, 0, sizeof(*s));
	s->raw = h->raw;
	s->l3 = h->l3;
	s->ntags = h->ntags;
	for (i = 0; i < h->ntags; i++)
		s->tpid[i] = i ? 0x8100 : h->tpid0;
	s->ppp = h->ppp;
	s->ethertype = h->ethertype;
	s->version = h->version;
	s->ihl = h->ihl;
	s->frag = h->frag;
	s->next_ext = h->next_ext;
	memcpy(s->ext, h->ext, sizeof(h->ext));
	memcpy(s->extlen, h->extlen, sizeof(h->extlen));
	memcpy(s->fragfield, h->fragfield, sizeof(h->fragfield));
	s->hop = h->hop ? h->hop : 64;
	s->proto = h->proto;
	s->icmp_type = h->icmp_type;
	s->dport = 22;
	s->l4_other = 8;
	s->payload = below(r, 8);
}

/* ---------------------------------------------------------------------------
 * The harness: the programs, their maps, and the comparison of one case.
 */
struct tally {
	unsigned long cases, truncated, skipped, refused, mismatches;
	unsigned long verdicts[BOUCLIER_D_MAX][BOUCLIER_V_MAX];
	unsigned long classes[2][BOUCLIER_P_MAX]; /* [dropped][class] */
	unsigned long fragments, ports;
	double publish_s; /* compiling and swapping the lists in */
	unsigned long changed_rounds, deltas; /* rounds of a small change; made as deltas */
};

#define MAX_KINDS 32
struct kind {
	char key[160];
	unsigned long n;
	char first[96];
};

struct diff {
	struct bouclier *skel;
	struct live l;
	int prog[BOUCLIER_D_MAX][2]; /* [direction][raw] */
	int ncpu, cpu;
	__u64 seed;
	struct lists *L;
	struct bouclier_stats *st[2][BOUCLIER_D_MAX]; /* last read, and the one before */
	int cur;
	struct bouclier_set sets[BOUCLIER_MAX_SETS];
	__u8 sets_known[BOUCLIER_MAX_SETS];
	/* The live table, mapped once a swap: live_lookup() does the same
	 * table_lookup() but maps the whole table for every call (0.35 ms). */
	const struct bouclier_line *table;
	__u32 table_lines;
	struct bouclier_set_stat *ss;
	struct bouclier_slot *slot;
	struct tally t;
	struct kind kinds[MAX_KINDS];
	int nkinds, reports, max_reports;
	/* drops the model expects each feed to be credited with this round,
	 * [direction][feed index]: pkts, bytes */
	__u64 feed_want[BOUCLIER_D_MAX][BOUCLIER_MAX_FEEDS][2];
	__u64 feed_mon_want[BOUCLIER_MAX_FEEDS][2]; /* both ways */
};

static const char *const prog_names[BOUCLIER_D_MAX][2] = {
	{ "bouclier_xdp", "bouclier_xdp_ip" },
	{ "bouclier_tc", "bouclier_tc_ip" },
};
static const char *const verdict_enums[] = { "BOUCLIER_V_PASS", "BOUCLIER_V_DROP",
					     "BOUCLIER_V_ALLOW", "BOUCLIER_V_MONITOR",
					     "BOUCLIER_V_CONTROL", "BOUCLIER_V_NONIP",
					     "BOUCLIER_V_MALFORMED" };
static const char *const class_enums[] = { "BOUCLIER_P_TCP", "BOUCLIER_P_UDP",
					   "BOUCLIER_P_ICMP", "BOUCLIER_P_OTHER" };

static void table_unmap(struct diff *D)
{
	if (D->table)
		munmap((void *)D->table, (size_t)D->table_lines * BOUCLIER_LINE_BYTES);
	D->table = NULL;
}

/* Maps the table the programs now read (the inner map in the live slot). */
static void table_map(struct diff *D)
{
	struct bpf_map_info info = { 0 };
	__u32 zero = 0, id, len = sizeof(info);
	void *m;
	int fd;

	table_unmap(D);
	cr_assert_eq(bpf_map_lookup_elem(D->l.tables_fd, &zero, &id), 0, "no live table");
	fd = bpf_map_get_fd_by_id(id);
	cr_assert_geq(fd, 0, "the live table: %s", strerror(errno));
	cr_assert_eq(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	m = mmap(NULL, (size_t)info.max_entries * BOUCLIER_LINE_BYTES, PROT_READ, MAP_SHARED, fd,
		 0);
	close(fd);
	cr_assert_neq(m, MAP_FAILED, "mapping the live table: %s", strerror(errno));
	D->table = m;
	D->table_lines = info.max_entries;
}

static int diff_open(struct diff *D)
{
	struct bpf_map *m;
	int dir, err;

	memset(D, 0, sizeof(*D));
	D->skel = bouclier__open();
	if (!D->skel)
		return -errno;
	bpf_object__for_each_map(m, D->skel->obj) /* nothing of a test is pinned */
		bpf_map__set_pin_path(m, NULL);
	err = bouclier__load(D->skel);
	if (err)
		return err;
	err = live_from_object(&D->l, D->skel->obj);
	if (err)
		return err;
	D->prog[BOUCLIER_D_IN][0] = bpf_program__fd(D->skel->progs.bouclier_xdp);
	D->prog[BOUCLIER_D_IN][1] = bpf_program__fd(D->skel->progs.bouclier_xdp_ip);
	D->prog[BOUCLIER_D_OUT][0] = bpf_program__fd(D->skel->progs.bouclier_tc);
	D->prog[BOUCLIER_D_OUT][1] = bpf_program__fd(D->skel->progs.bouclier_tc_ip);
	D->ncpu = libbpf_num_possible_cpus();
	cr_assert_gt(D->ncpu, 0);
	for (dir = 0; dir < BOUCLIER_D_MAX; dir++) {
		D->st[0][dir] = calloc(D->ncpu, sizeof(struct bouclier_stats));
		D->st[1][dir] = calloc(D->ncpu, sizeof(struct bouclier_stats));
		cr_assert(D->st[0][dir] && D->st[1][dir]);
	}
	D->ss = calloc(D->ncpu, sizeof(*D->ss));
	D->slot = calloc(D->ncpu, sizeof(*D->slot));
	cr_assert(D->ss && D->slot);
	/* Per-CPU counters and the weather slot a CPU keeps in its memo are
	 * read for the CPU that ran the frame: stay on one. */
	{
		cpu_set_t set;

		D->cpu = sched_getcpu();
		cr_assert_geq(D->cpu, 0);
		CPU_ZERO(&set);
		CPU_SET(D->cpu, &set);
		cr_assert_eq(sched_setaffinity(0, sizeof(set), &set), 0);
	}
	D->max_reports = 3;
	return 0;
}

static void diff_close(struct diff *D)
{
	int dir;

	table_unmap(D);
	live_close(&D->l);
	bouclier__destroy(D->skel);
	for (dir = 0; dir < BOUCLIER_D_MAX; dir++) {
		free(D->st[0][dir]);
		free(D->st[1][dir]);
	}
	free(D->ss);
	free(D->slot);
}

/* Reads both directions' per-CPU stats into the current buffers. */
static void stats_now(struct diff *D)
{
	__u32 dir;

	for (dir = 0; dir < BOUCLIER_D_MAX; dir++)
		cr_assert_eq(bpf_map_lookup_elem(D->l.stats_fd, &dir, D->st[D->cur][dir]), 0,
			     "stats: %s", strerror(errno));
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Publishes L; was (NULL: none) is what the live table holds, so a small
 * change goes through the delta (counted in D->t.deltas). */
static int publish_change(struct diff *D, const struct lists *L, const struct lists *was)
{
	struct publish_feed pf[MAX_FEEDS];
	struct publish_input in = { pf, L->nfeeds, L->allow, L->nallow };
	struct publish_result res;
	char name[MAX_FEEDS][16];
	double t0;
	int i, err;

	for (i = 0; i < L->nfeeds; i++) {
		snprintf(name[i], sizeof(name[i]), "feed%d", L->feed[i].index);
		pf[i] = (struct publish_feed){ name[i], "test", L->feed[i].index, 1, L->feed[i].v,
					       L->feed[i].n, L->feed[i].flags };
		if (was) {
			pf[i].changed = true;
			pf[i].was = was->feed[i].v;
			pf[i].nwas = was->feed[i].n;
		}
	}
	t0 = now_s();
	err = publish_ex(&D->l, &in, NULL, &res);
	D->t.publish_s += now_s() - t0;
	D->t.deltas += was && res.delta;
	memset(D->sets_known, 0, sizeof(D->sets_known));
	table_map(D);
	{
		/* the mapping is the table live_lookup() reads */
		struct cidr a = { .family = 4, .plen = 32 };
		__u32 want = 0;

		if (L->npool[0])
			memcpy(a.addr, L->pool[0][0], 4);
		cr_assert_eq(live_lookup(&D->l, &a, &want), 0);
		cr_assert_eq(table_lookup(D->table, D->table_lines, &a), want);
	}
	stats_now(D);
	return err;
}

static int publish_lists(struct diff *D, const struct lists *L)
{
	return publish_change(D, L, NULL);
}

static const struct bouclier_set *set_of(struct diff *D, __u32 id)
{
	if (!D->sets_known[id]) {
		if (bpf_map_lookup_elem(D->l.sets_fd, &id, &D->sets[id]))
			memset(&D->sets[id], 0, sizeof(D->sets[id]));
		D->sets_known[id] = 1;
	}
	return &D->sets[id];
}

/* The words of a mismatch: key collects what differed (for the summary),
 * text the figures. */
struct why {
	char key[160];
	char text[2048];
	int n;
};

static void differ(struct why *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void differ(struct why *w, const char *key, const char *fmt, ...)
{
	size_t k = strlen(w->key), t = strlen(w->text);
	va_list ap;

	if (!strstr(w->key, key))
		snprintf(w->key + k, sizeof(w->key) - k, "%s%s", k ? " " : "", key);
	if (t < sizeof(w->text) - 1) {
		va_start(ap, fmt);
		t += snprintf(w->text + t, sizeof(w->text) - t, "    ");
		if (t < sizeof(w->text))
			t += vsnprintf(w->text + t, sizeof(w->text) - t, fmt, ap);
		if (t < sizeof(w->text) - 1)
			strcat(w->text, "\n");
		va_end(ap);
	}
	w->n++;
}

static const char *counter_name(int i, char *buf, size_t len)
{
	static const char *const dn[] = { "pass", "drop" };
	static const char *const fn[] = { "v4", "v6" };

	if (i < BOUCLIER_V_MAX)
		snprintf(buf, len, "pkts[%s]", verdict_name(i));
	else if ((i -= BOUCLIER_V_MAX) < BOUCLIER_V_MAX)
		snprintf(buf, len, "bytes[%s]", verdict_name(i));
	else if ((i -= BOUCLIER_V_MAX) < 2 * BOUCLIER_P_MAX)
		snprintf(buf, len, "proto_pkts[%s][%s]", dn[i / BOUCLIER_P_MAX],
			 proto_name(i % BOUCLIER_P_MAX));
	else if ((i -= 2 * BOUCLIER_P_MAX) < 2 * BOUCLIER_P_MAX)
		snprintf(buf, len, "proto_bytes[%s][%s]", dn[i / BOUCLIER_P_MAX],
			 proto_name(i % BOUCLIER_P_MAX));
	else if ((i -= 2 * BOUCLIER_P_MAX) < 2 * BOUCLIER_F_MAX)
		snprintf(buf, len, "family_pkts[%s][%s]", dn[i / BOUCLIER_F_MAX],
			 fn[i % BOUCLIER_F_MAX]);
	else
		snprintf(buf, len, "fragments");
	return buf;
}

/* The verdict whose counter moved in direction dir since buffer was, or
 * -1 when not exactly one did. */
static int verdict_moved(const struct diff *D, int dir, int was)
{
	int v, c, moved = -1;
	__u64 n;

	for (v = 0; v < BOUCLIER_V_MAX; v++) {
		for (c = 0, n = 0; c < D->ncpu; c++)
			n += D->st[D->cur][dir][c].pkts[v] - D->st[was][dir][c].pkts[v];
		if (n && moved >= 0)
			return -1;
		if (n == 1)
			moved = v;
	}
	return moved;
}

/* What a counter that differs says, for the summary of mismatches: the
 * verdict the model and the program gave, or which figure is off. */
static const char *counter_group(int i, int want, int got, char *buf, size_t len)
{
	if (i < 2 * BOUCLIER_V_MAX) {
		snprintf(buf, len, "verdict %s->%s", verdict_name(want),
			 got < 0 ? "?" : verdict_name(got));
		return buf;
	}
	i -= 2 * BOUCLIER_V_MAX;
	return i < 4 * BOUCLIER_P_MAX ? "class" : i < 4 * BOUCLIER_P_MAX + 2 * BOUCLIER_F_MAX
		? "family" : "fragments";
}

/* The table's answer for the looked-up address (the live table, which the
 * programs read, through the lookup they run) against the lists: allowed, or the set
 * of exactly the feeds that list it with the directions they drop in. */
static __u32 check_value(struct diff *D, const struct model_result *m, struct why *w)
{
	struct cidr a = { .family = m->fr.family == BOUCLIER_F_V4 ? 4 : 6 };
	const struct bouclier_set *set;
	__u32 val, id, want_dirs, dirs;

	a.plen = a.family == 4 ? 32 : 128;
	memcpy(a.addr, m->addr, 16);
	val = table_lookup(D->table, D->table_lines, &a);
	if (m->a.allowed) {
		if (val != BOUCLIER_ALLOW)
			differ(w, "table", "table value %#x, want BOUCLIER_ALLOW (allowlisted)", val);
		return val;
	}
	if (!m->a.feeds) {
		if (val)
			differ(w, "table", "table value %#x, want 0 (not listed)", val);
		return val;
	}
	id = val & BOUCLIER_SET_MASK;
	want_dirs = (m->a.drop_in ? BOUCLIER_IN : 0) | (m->a.drop_out ? BOUCLIER_OUT : 0) |
		    (m->a.mon_in ? BOUCLIER_MON_IN : 0) | (m->a.mon_out ? BOUCLIER_MON_OUT : 0);
	dirs = val & (BOUCLIER_IN | BOUCLIER_OUT | BOUCLIER_MON_IN | BOUCLIER_MON_OUT);
	if ((val & ~(BOUCLIER_IN | BOUCLIER_OUT | BOUCLIER_MON_IN | BOUCLIER_MON_OUT |
		     BOUCLIER_SET_MASK)) || !id ||
	    id >= BOUCLIER_MAX_SETS || dirs != want_dirs) {
		differ(w, "table", "table value %#x, want a feed set (feeds %#x) with directions %#x",
		       val, m->a.feeds, want_dirs);
		return val;
	}
	set = set_of(D, id);
	if (set->feeds != m->a.feeds)
		differ(w, "table", "table value %#x: set %u holds feeds %#x, want %#x", val, id,
		       set->feeds, m->a.feeds);
	return val;
}

static void addr_halves(const struct model_frame *fr, const __u8 *a, __u64 *hi, __u64 *lo)
{
	int i;

	if (fr->family == BOUCLIER_F_V4) {
		*hi = 0;
		*lo = 0xffff00000000ULL | (__u64)addr_get(a, 4);
		return;
	}
	*hi = *lo = 0;
	for (i = 0; i < 8; i++) {
		*hi = *hi << 8 | a[i];
		*lo = *lo << 8 | a[i + 8];
	}
}

/* The drop's other traces: its feed set's counters, the weather's slot of
 * the CPU that ran it, and on the way out the inside machine's record. */
struct drop_before {
	struct bouclier_set_stat ss;
	/* the slots both directions' memos point at: the program finds its
	 * slot with its own direction's memo, which may be unset or behind
	 * while the other direction already counts in the current slot */
	struct bouclier_slot slot[BOUCLIER_D_MAX];
	__u32 slot_idx[BOUCLIER_D_MAX];
	__u64 slot_now;
	struct bouclier_out_key ok;
	struct bouclier_out_val ov;
	int ov_found;
};

static void slot_read(struct diff *D, __u32 idx, struct bouclier_slot *out)
{
	if (bpf_map_lookup_elem(D->l.slots_fd, &idx, D->slot))
		memset(D->slot, 0, D->ncpu * sizeof(*D->slot));
	*out = D->slot[D->cpu];
}

/* The feed set's counters: drops, or would-drops of a monitored feed
 * (bouclier.h, bouclier_set_stats). */
static __u32 set_key(const struct model_result *m, int dir, __u32 set)
{
	return set + ((m->verdict == BOUCLIER_V_MONITOR) * 2 + dir) * BOUCLIER_MAX_SETS;
}

static void drop_before(struct diff *D, const struct model_result *m, int dir, __u32 set,
			struct drop_before *b)
{
	const struct bouclier_stats *st = &D->st[D->cur][dir][D->cpu];
	__u32 key = set_key(m, dir, set);
	int c;

	memset(b, 0, sizeof(*b));
	if (!bpf_map_lookup_elem(D->l.set_stats_fd, &key, D->ss))
		for (c = 0; c < D->ncpu; c++) {
			b->ss.pkts += D->ss[c].pkts;
			b->ss.bytes += D->ss[c].bytes;
		}
	for (c = 0; c < BOUCLIER_D_MAX; c++) {
		b->slot_idx[c] = D->st[D->cur][c][D->cpu].slot_idx;
		slot_read(D, b->slot_idx[c], &b->slot[c]);
	}
	b->slot_now = st->slot_now;
	if (dir == BOUCLIER_D_OUT && m->verdict == BOUCLIER_V_DROP) {
		addr_halves(&m->fr, m->fr.src, &b->ok.in_hi, &b->ok.in_lo);
		addr_halves(&m->fr, m->fr.dst, &b->ok.dst_hi, &b->ok.dst_lo);
		b->ok.slot = (__u32)b->slot_now;
		b->ov_found = !bpf_map_lookup_elem(D->l.outbound_fd, &b->ok, &b->ov);
	}
}

#define EXPECT_DELTA(w, key, what, got, want)                                              \
	do {                                                                                \
		if ((got) != (want))                                                        \
			differ(w, key, "%s moved by %lld, want %lld", what, (long long)(got),  \
			       (long long)(want));                                           \
	} while (0)

static void drop_after(struct diff *D, const struct model_result *m, int dir, __u32 set,
		       __u64 len, const struct drop_before *b, struct why *w)
{
	const struct bouclier_stats *st = &D->st[D->cur][dir][D->cpu];
	__u32 key = set_key(m, dir, set), svc;
	struct bouclier_slot now, base;
	struct bouclier_out_key ok;
	struct bouclier_out_val ov, ob = { 0 };
	__u64 pkts = 0, bytes = 0;
	int c, i;

	if (!bpf_map_lookup_elem(D->l.set_stats_fd, &key, D->ss))
		for (c = 0; c < D->ncpu; c++) {
			pkts += D->ss[c].pkts;
			bytes += D->ss[c].bytes;
		}
	EXPECT_DELTA(w, "set_stats", "the feed set's drops", pkts - b->ss.pkts, 1ULL);
	EXPECT_DELTA(w, "set_stats", "the feed set's dropped bytes", bytes - b->ss.bytes, len);
	if (m->verdict == BOUCLIER_V_MONITOR) {
		/* passed: the slot counts it apart on the way in, not at all out */
		slot_read(D, st->slot_idx, &now);
		memset(&base, 0, sizeof(base));
		for (i = 0; i < BOUCLIER_D_MAX; i++)
			if (st->slot_idx == b->slot_idx[i] && now.slot == b->slot[i].slot)
				base = b->slot[i];
		if (dir == BOUCLIER_D_IN) {
			EXPECT_DELTA(w, "slot", "slot would-drops", now.mon_pkts - base.mon_pkts,
				     1ULL);
			EXPECT_DELTA(w, "slot", "slot would-drop bytes",
				     now.mon_bytes - base.mon_bytes, len);
		}
		EXPECT_DELTA(w, "slot", "slot drops", now.pkts - base.pkts, 0ULL);
		EXPECT_DELTA(w, "slot", "slot out_pkts", now.out_pkts - base.out_pkts, 0ULL);
		return;
	}

	/* The weather's slot: the program resets a slot it finds holding an
	 * older time, so what was there before counts only if it is the same. */
	slot_read(D, st->slot_idx, &now);
	memset(&base, 0, sizeof(base));
	for (i = 0; i < BOUCLIER_D_MAX; i++)
		if (st->slot_idx == b->slot_idx[i] && now.slot == b->slot[i].slot)
			base = b->slot[i];
	if (now.slot != st->slot_now)
		differ(w, "slot", "slot %llu holds time %llu, the CPU's memo says %llu",
		       (unsigned long long)st->slot_idx,
		       (unsigned long long)now.slot, (unsigned long long)st->slot_now);
	if (dir == BOUCLIER_D_IN) {
		EXPECT_DELTA(w, "slot", "slot drops", now.pkts - base.pkts, 1ULL);
		EXPECT_DELTA(w, "slot", "slot bytes", now.bytes - base.bytes, len);
		for (i = 0; i < BOUCLIER_P_MAX; i++)
			if (now.proto[i] - base.proto[i] != (__u64)(i == m->fr.pclass))
				differ(w, "class", "slot proto[%s] moved by %lld", proto_name(i),
				       (long long)(now.proto[i] - base.proto[i]));
		/* a service counts when a port was read (0 means none) */
		svc = m->fr.dport ? (__u32)model_service(m->fr.dport) : BOUCLIER_PORTS;
		for (i = 0; i < BOUCLIER_PORTS; i++)
			if (now.ports[i] - base.ports[i] != (__u32)((__u32)i == svc))
				differ(w, "port",
				       "slot ports[%s] moved by %d (model: port %u)", service_name(i),
				       (int)(now.ports[i] - base.ports[i]), m->fr.dport);
		i = set < BOUCLIER_SLOT_SETS ? set : BOUCLIER_SLOT_SETS - 1;
		EXPECT_DELTA(w, "slot", "slot sets[set]", (long long)now.sets[i] - base.sets[i],
			     1LL);
		EXPECT_DELTA(w, "slot", "slot out_pkts", now.out_pkts - base.out_pkts, 0ULL);
		return;
	}
	EXPECT_DELTA(w, "slot", "slot out_pkts", now.out_pkts - base.out_pkts, 1ULL);
	EXPECT_DELTA(w, "slot", "slot out_bytes", now.out_bytes - base.out_bytes, len);
	EXPECT_DELTA(w, "slot", "slot drops (the way in)", now.pkts - base.pkts, 0ULL);

	ok = b->ok;
	ok.slot = (__u32)st->slot_now;
	if (ok.slot == b->ok.slot && b->ov_found)
		ob = b->ov;
	if (bpf_map_lookup_elem(D->l.outbound_fd, &ok, &ov)) {
		differ(w, "outbound", "no record of the inside machine's attempt");
		return;
	}
	EXPECT_DELTA(w, "outbound", "outbound attempts", ov.attempts - ob.attempts, 1ULL);
	EXPECT_DELTA(w, "outbound", "outbound bytes", ov.bytes - ob.bytes, len);
	if (ov.dport != m->fr.dport)
		differ(w, "port", "outbound dport %u, want %u", ov.dport, m->fr.dport);
	if (ov.proto != m->fr.pclass)
		differ(w, "class", "outbound proto %s, want %s", proto_name(ov.proto),
		       proto_name(m->fr.pclass));
	if (!(ok.slot == b->ok.slot && b->ov_found) && ov.set != set)
		differ(w, "outbound", "outbound set %u, want %u", ov.set, set);
	if (ov.natted)
		differ(w, "outbound", "outbound natted without conntrack");
}

static const char *action_name(int dir, int action)
{
	if (dir == BOUCLIER_D_IN)
		return action == XDP_DROP ? "XDP_DROP" : action == XDP_PASS ? "XDP_PASS" : "?";
	return action == TC_ACT_SHOT ? "TC_ACT_SHOT" : action == TC_ACT_UNSPEC ? "TC_ACT_UNSPEC"
									 : "?";
}

/* Frames BPF_PROG_TEST_RUN itself refuses, before any program runs: under
 * 14 bytes; and for TC (an skb built with eth_type_trans) an IPv4 or IPv6
 * ethertype in bytes 12..13 with less than that header after them (seen on
 * 6.18).  Those lengths cannot be tested here and are counted as skipped,
 * never as passes; a refusal of anything else is a mismatch. */
#define REFUSED (-2000)
static int test_run_refuses(const __u8 *f, size_t len, int dir)
{
	unsigned int type = len >= 14 ? (unsigned int)f[12] << 8 | f[13] : 0;

	if (len < MIN_TEST_RUN)
		return 1;
	return dir == BOUCLIER_D_OUT && ((type == 0x0800 && len < 14 + 20) ||
					 (type == 0x86dd && len < 14 + 40));
}

/* Runs one frame through the program of its direction and link; fills w
 * with every difference from the model.  Returns the program's action, or
 * REFUSED. */
static int run_case(struct diff *D, const __u8 *f, size_t len, int raw, int dir,
		    struct model_result *m, struct why *w)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = 1);
	struct bouclier_stats want[BOUCLIER_D_MAX], zero;
	struct drop_before b;
	char key[48];
	__u32 val = 0;
	int d, c, i, err, was;

	memset(w, 0, sizeof(*w));
	model_run(&D->L->ml, f, len, raw ? MODEL_RAW : MODEL_ETH, dir, m);
	if (m->fr.verdict < 0)
		val = check_value(D, m, w);
	if (m->verdict == BOUCLIER_V_DROP || m->verdict == BOUCLIER_V_MONITOR)
		drop_before(D, m, dir, val & BOUCLIER_SET_MASK, &b);
	err = bpf_prog_test_run_opts(D->prog[dir][raw], &o);
	if (err && errno == EINVAL && test_run_refuses(f, len, dir))
		return REFUSED;
	if (err) {
		differ(w, "test_run", "BPF_PROG_TEST_RUN failed: %s", strerror(errno));
		return -1000;
	}
	if ((int)o.retval != m->action)
		differ(w, "action", "action %s, want %s", action_name(dir, o.retval),
		       action_name(dir, m->action));
	was = D->cur;
	D->cur ^= 1;
	stats_now(D);
	memset(&zero, 0, sizeof(zero));
	for (d = 0; d < BOUCLIER_D_MAX; d++) {
		if (d == dir)
			model_count(m, len, &want[d]);
		else
			want[d] = zero;
		for (i = 0; i < BOUCLIER_STATS_COUNTERS; i++) {
			__u64 got = 0;
			char name[48];

			for (c = 0; c < D->ncpu; c++)
				got += ((__u64 *)&D->st[D->cur][d][c])[i] -
				       ((__u64 *)&D->st[was][d][c])[i];
			if (got != ((__u64 *)&want[d])[i])
				differ(w, counter_group(i, m->verdict, verdict_moved(D, dir, was), key,
							sizeof(key)),
				       "%s %s moved by %llu, want %llu", d ? "out" : "in",
				       counter_name(i, name, sizeof(name)), (unsigned long long)got,
				       (unsigned long long)((__u64 *)&want[d])[i]);
		}
	}
	if ((m->verdict == BOUCLIER_V_DROP || m->verdict == BOUCLIER_V_MONITOR) &&
	    (int)o.retval == m->action)
		drop_after(D, m, dir, val & BOUCLIER_SET_MASK, len, &b, w);
	return (int)o.retval;
}

/* ---------------------------------------------------------------------------
 * Reproducers: what a developer pastes into fixed_cases[].
 */
static void print_cidrs(FILE *out, const struct cidr *v, size_t n)
{
	char buf[CIDR_STRLEN];
	size_t k, col = 0;

	fprintf(out, "\"");
	for (k = 0; k < n; k++) {
		cidr_format(&v[k], buf, sizeof(buf));
		if (col && col + strlen(buf) > 60) {
			fprintf(out, " \"\n\t\t\t\"");
			col = 0;
		} else if (k) {
			fprintf(out, " ");
		}
		col += fprintf(out, "%s", buf);
	}
	fprintf(out, "\"");
}

static const char *flag_words(__u32 flags)
{
	static const char *const words[] = {
		"0", "BOUCLIER_FEED_IN", "BOUCLIER_FEED_OUT", "BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT",
		"BOUCLIER_FEED_MONITOR", "BOUCLIER_FEED_IN | BOUCLIER_FEED_MONITOR",
		"BOUCLIER_FEED_OUT | BOUCLIER_FEED_MONITOR",
		"BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT | BOUCLIER_FEED_MONITOR",
	};

	return words[flags & 7];
}

static void print_repro(const struct diff *D, const struct lists *L, const char *label,
			const __u8 *f, size_t len, int raw, int dir, const struct model_result *m,
			int action, const struct why *w, int minimal)
{
	FILE *out = stdout;
	size_t k;
	int i;

	fprintf(out, "\ndiff: MISMATCH seed %#llx %s, program %s\n", (unsigned long long)D->seed,
		label, prog_names[dir][raw]);
	if (!strncmp(label, "case ", 5))
		fprintf(out, "  replay: BOUCLIER_DIFF_SEED=%#llx BOUCLIER_DIFF_ONLY=%s\n",
			(unsigned long long)D->seed, label + 5);
	fprintf(out, "  model:   verdict %s, action %s, class %s, family %s, fragment %d, "
		     "port %u, allowed %d, feeds %#x\n",
		verdict_name(m->verdict), action_name(dir, m->action), proto_name(m->fr.pclass),
		m->fr.family ? "v6" : "v4", m->fr.fragment, m->fr.dport, m->a.allowed,
		m->a.feeds);
	fprintf(out, "  program: action %s; differences:\n%s", action_name(dir, action), w->text);
	fprintf(out, "  lists: %s\n", minimal ? "only the prefixes that cover the looked-up "
						"address (the mismatch stays with them alone)"
					      : "the round's, whole");
	fprintf(out, "  paste into fixed_cases[]:\n\t{ \"%s\", \"%s\",\n\t  {", label,
		prog_names[dir][raw]);
	for (i = 0; i < L->nfeeds; i++) {
		fprintf(out, "%s { %d, %s,\n\t\t\t", i ? "\n\t   " : "", L->feed[i].index,
			flag_words(L->feed[i].flags));
		print_cidrs(out, L->feed[i].v, L->feed[i].n);
		fprintf(out, " },");
	}
	fprintf(out, " },\n\t  ");
	print_cidrs(out, L->allow, L->nallow);
	fprintf(out, ",\n\t  \"");
	for (k = 0; k < len; k++) {
		if (k && k % 32 == 0)
			fprintf(out, "\"\n\t  \"");
		fprintf(out, "%02x", f[k]);
	}
	fprintf(out, "\",\n\t  %s, %s, %d },\n", verdict_enums[m->verdict],
		class_enums[m->fr.pclass], m->fr.fragment);
	fflush(out);
}

/* The lists cut down to the prefixes that cover the looked-up address. */
static void lists_covering(const struct lists *L, const struct model_result *m,
			   struct lists *out)
{
	struct model_lists one;
	struct model_feed mf;
	struct model_addr a;
	int i;
	size_t k;

	memset(out, 0, sizeof(*out));
	out->nfeeds = L->nfeeds;
	for (i = 0; i < L->nfeeds; i++) {
		out->feed[i].index = L->feed[i].index;
		out->feed[i].flags = L->feed[i].flags;
		for (k = 0; m->addr && k < L->feed[i].n; k++) {
			mf = (struct model_feed){ 0, BOUCLIER_FEED_IN, &L->feed[i].v[k], 1 };
			one = (struct model_lists){ &mf, 1, NULL, 0 };
			model_lookup(&one, m->fr.family, m->addr, &a);
			if (a.feeds)
				out->feed[i].v[out->feed[i].n++] = L->feed[i].v[k];
		}
	}
	for (k = 0; m->addr && k < L->nallow; k++) {
		one = (struct model_lists){ NULL, 0, &L->allow[k], 1 };
		model_lookup(&one, m->fr.family, m->addr, &a);
		if (a.allowed)
			out->allow[out->nallow++] = L->allow[k];
	}
	lists_finish(out);
}

/* One case, counted; a mismatch is summarised by kind, and the first of
 * each kind (up to max_reports) printed as a reproducer, with the lists cut
 * down when the mismatch survives that. */
static int one_case(struct diff *D, const char *label, const __u8 *f, size_t len, int raw,
		    int dir)
{
	static struct lists small;
	struct model_result m, m2;
	struct why w, w2;
	int action, k;

	if (len < MIN_TEST_RUN) {
		D->t.skipped++;
		return 0;
	}
	action = run_case(D, f, len, raw, dir, &m, &w);
	if (action == REFUSED) {
		D->t.refused++;
		return 0;
	}
	D->t.cases++;
	D->t.verdicts[dir][m.verdict]++;
	/* stats_read: drops to the enforcing feeds of the set; to its
	 * monitored feeds, what they would drop (dropped or passed) */
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++) {
		__u64 *want = NULL;

		if (!(m.a.feeds & (1u << k)))
			continue;
		if (m.a.monitor & (1u << k))
			want = m.verdict == BOUCLIER_V_DROP || m.verdict == BOUCLIER_V_MONITOR
				       ? D->feed_mon_want[k] : NULL;
		else if (m.verdict == BOUCLIER_V_DROP)
			want = D->feed_want[dir][k];
		if (want) {
			want[0]++;
			want[1] += len;
		}
	}
	if (m.verdict <= BOUCLIER_V_MONITOR) {
		D->t.classes[m.verdict == BOUCLIER_V_DROP][m.fr.pclass]++;
		D->t.fragments += m.fr.fragment;
		D->t.ports += m.fr.dport != 0;
	}
	if (!w.n)
		return 1;
	D->t.mismatches++;
	for (k = 0; k < D->nkinds && strcmp(D->kinds[k].key, w.key); k++)
		;
	if (k < D->nkinds) {
		D->kinds[k].n++;
		return 1;
	}
	if (k < MAX_KINDS) {
		snprintf(D->kinds[k].key, sizeof(D->kinds[k].key), "%s", w.key);
		snprintf(D->kinds[k].first, sizeof(D->kinds[k].first), "%s", label);
		D->kinds[k].n = 1;
		D->nkinds++;
	}
	if (D->reports >= D->max_reports)
		return 1;
	D->reports++;
	/* Try the mismatch again with only the prefixes covering the address. */
	lists_covering(D->L, &m, &small);
	{
		struct lists *full = D->L;

		D->L = &small;
		cr_assert_eq(publish_lists(D, &small), 0);
		k = run_case(D, f, len, raw, dir, &m2, &w2);
		D->L = full;
		if (w2.n)
			print_repro(D, &small, label, f, len, raw, dir, &m2, k, &w2, 1);
		else
			print_repro(D, full, label, f, len, raw, dir, &m, action, &w, 0);
		cr_assert_eq(publish_lists(D, full), 0);
	}
	return 1;
}

/* What the report reads (stats_read: drops by feed, through the feed sets)
 * against the drops the model credited to each feed since *before. */
static void check_feeds(struct diff *D, const struct stats *before, unsigned long round)
{
	static struct stats after;
	__u64 got[2];
	int d, f;

	cr_assert_eq(stats_read(&D->l, &after), 0);
	for (d = 0; d < BOUCLIER_D_MAX; d++)
		for (f = 0; f < BOUCLIER_MAX_FEEDS; f++) {
			got[0] = (d ? after.feed_out_pkts : after.feed_pkts)[f] -
				 (d ? before->feed_out_pkts : before->feed_pkts)[f];
			got[1] = (d ? after.feed_out_bytes : after.feed_bytes)[f] -
				 (d ? before->feed_out_bytes : before->feed_bytes)[f];
			if (got[0] == D->feed_want[d][f][0] && got[1] == D->feed_want[d][f][1])
				continue;
			D->t.mismatches++;
			printf("diff: MISMATCH seed %#llx round %lu: stats_read credits feed %d with "
			       "%llu drops (%llu bytes) %s, the model %llu (%llu bytes)\n",
			       (unsigned long long)D->seed, round, f, (unsigned long long)got[0],
			       (unsigned long long)got[1], d ? "on the way out" : "on the way in",
			       (unsigned long long)D->feed_want[d][f][0],
			       (unsigned long long)D->feed_want[d][f][1]);
		}
	for (f = 0; f < BOUCLIER_MAX_FEEDS; f++) {
		got[0] = after.feed_mon_pkts[f] - before->feed_mon_pkts[f];
		got[1] = after.feed_mon_bytes[f] - before->feed_mon_bytes[f];
		if (got[0] == D->feed_mon_want[f][0] && got[1] == D->feed_mon_want[f][1])
			continue;
		D->t.mismatches++;
		printf("diff: MISMATCH seed %#llx round %lu: stats_read credits monitored feed %d "
		       "with %llu would-drops (%llu bytes), the model %llu (%llu bytes)\n",
		       (unsigned long long)D->seed, round, f, (unsigned long long)got[0],
		       (unsigned long long)got[1], (unsigned long long)D->feed_mon_want[f][0],
		       (unsigned long long)D->feed_mon_want[f][1]);
	}
}

/* ---------------------------------------------------------------------------
 * The random run.
 */
static unsigned long env_num(const char *name, unsigned long dflt)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : dflt;
}


static struct diff fx;
static struct lists round_lists, base_lists;

static void random_case(struct diff *D, unsigned long n)
{
	struct rng r = rng_for(D->seed, 1, n);
	__u8 frame[FRAME_MAX], src[16], dst[16];
	struct spec s;
	char label[64];
	size_t len;
	int dir, fam;

	spec_random(&s, &r);
	dir = chance(&r, 60) ? BOUCLIER_D_IN : BOUCLIER_D_OUT;
	fam = s.l3 == 6 ? 6 : 4;
	pick_addr(D->L, &r, fam, dir == BOUCLIER_D_IN ? src : dst);
	pick_addr(D->L, &r, fam, dir == BOUCLIER_D_IN ? dst : src);
	len = build(&s, src, dst, &r, frame);
	if (chance(&r, 25))
		len = between(&r, MIN_TEST_RUN, len > MIN_TEST_RUN ? len : MIN_TEST_RUN);
	snprintf(label, sizeof(label), "case %lu", n);
	one_case(D, label, frame, len, s.raw, dir);
}

/* One frame of a shape, from a listed source (or destination) most of the
 * time, cut at every length in both directions. */
static void truncation_pass(struct diff *D, unsigned long round, unsigned int sh)
{
	struct rng r = rng_for(D->seed, 2, round * NSHAPES + sh);
	__u8 frame[FRAME_MAX], src[16], dst[16];
	struct spec s;
	char label[96];
	size_t full, len;
	int dir, fam;

	spec_from_shape(&s, &shapes[sh], &r);
	fam = s.l3 == 6 ? 6 : 4;
	pick_addr(D->L, &r, fam, src);
	pick_addr(D->L, &r, fam, dst);
	full = build(&s, src, dst, &r, frame);
	for (len = s.raw ? 1 : MIN_TEST_RUN; len <= full; len++)
		for (dir = 0; dir < BOUCLIER_D_MAX; dir++) {
			snprintf(label, sizeof(label), "round %lu truncation of \"%s\" at %zu",
				 round, shapes[sh].what, len);
			D->t.truncated += one_case(D, label, frame, len, s.raw, dir);
		}
}

static void summary(const struct diff *D, double secs, unsigned long rounds)
{
	int d, v;

	printf("diff: seed %#llx: %lu cases (%lu of them truncations of fixed shapes) in %lu "
	       "rounds, %.1f s; not run: %lu lengths under %d bytes, %lu short IP frames TC's "
	       "test run refuses\n",
	       (unsigned long long)D->seed, D->t.cases, D->t.truncated, rounds, secs,
	       D->t.skipped, MIN_TEST_RUN, D->t.refused);
	for (d = 0; d < BOUCLIER_D_MAX; d++) {
		printf("diff:   %s:", d ? "out" : "in ");
		for (v = 0; v < BOUCLIER_V_MAX; v++)
			printf(" %s %lu", verdict_name(v), D->t.verdicts[d][v]);
		printf("\n");
	}
	printf("diff:   %.1f s of it compiling and swapping the lists in; %lu of %lu rounds of a "
	       "small change applied as a delta\n", D->t.publish_s, D->t.deltas,
	       D->t.changed_rounds);
	printf("diff:   classes passed tcp %lu udp %lu icmp %lu other %lu, dropped tcp %lu udp %lu "
	       "icmp %lu other %lu; non-first fragments %lu; ports read %lu\n",
	       D->t.classes[0][0], D->t.classes[0][1], D->t.classes[0][2], D->t.classes[0][3],
	       D->t.classes[1][0], D->t.classes[1][1], D->t.classes[1][2], D->t.classes[1][3],
	       D->t.fragments, D->t.ports);
	for (v = 0; v < D->nkinds; v++)
		printf("diff:   MISMATCH x%lu: %s (first: %s)\n", D->kinds[v].n, D->kinds[v].key,
		       D->kinds[v].first);
	fflush(stdout);
}

static void diff_setup(void)
{
	int err;

	if (geteuid() != 0)
		cr_skip_test("BPF_PROG_TEST_RUN needs root");
	err = diff_open(&fx);
	if (err)
		cr_skip_test("the kernel refused the program: %s", strerror(-err));
}

static void diff_teardown(void)
{
	diff_close(&fx);
}

Test(diff, random_frames_against_the_model, .init = diff_setup, .fini = diff_teardown)
{
	unsigned long cases = env_num("BOUCLIER_DIFF_CASES", CI_CASES);
	unsigned long only = env_num("BOUCLIER_DIFF_ONLY", ~0UL);
	static struct stats before;
	unsigned long rounds, round, n, lo, hi;
	unsigned long mismatches;
	unsigned int sh;
	double t0 = now_s();
	int d, v;

	fx.seed = env_num("BOUCLIER_DIFF_SEED", DEFAULT_SEED);
	fx.max_reports = env_num("BOUCLIER_DIFF_REPORTS", 3);
	printf("diff: seed %#llx (BOUCLIER_DIFF_SEED), %lu random cases (BOUCLIER_DIFF_CASES)\n",
	       (unsigned long long)fx.seed, cases);
	fflush(stdout);
	rounds = (cases + CASES_PER_ROUND - 1) / CASES_PER_ROUND;
	for (round = 0; round < rounds; round++) {
		struct rng r = rng_for(fx.seed, 0, round);

		lo = round * CASES_PER_ROUND;
		hi = lo + CASES_PER_ROUND < cases ? lo + CASES_PER_ROUND : cases;
		if (only != ~0UL && (only < lo || only >= hi))
			continue;
		fx.L = &round_lists;
		if (round % 2) {
			/* a small change of the round before: the delta's rounds */
			struct rng rp = rng_for(fx.seed, 0, round - 1);

			gen_lists(&round_lists, &rp);
			change_lists(&round_lists, &base_lists, &r);
			cr_assert_eq(publish_lists(&fx, &base_lists), 0, "publish, round %lu", round);
			cr_assert_eq(publish_change(&fx, &round_lists, &base_lists), 0,
				     "publish the change, round %lu", round);
			fx.t.changed_rounds++;
		} else {
			gen_lists(&round_lists, &r);
			cr_assert_eq(publish_lists(&fx, &round_lists), 0, "publish, round %lu", round);
		}
		cr_assert_eq(stats_read(&fx.l, &before), 0);
		memset(fx.feed_want, 0, sizeof(fx.feed_want));
		memset(fx.feed_mon_want, 0, sizeof(fx.feed_mon_want));
		mismatches = fx.t.mismatches;
		for (n = lo; n < hi; n++)
			if (only == ~0UL || only == n)
				random_case(&fx, n);
		/* every shape once a run at least, more in longer runs */
		for (sh = 0; sh < NSHAPES && only == ~0UL; sh++)
			if (rounds >= NSHAPES ? sh == round % NSHAPES : sh % rounds == round)
				truncation_pass(&fx, round, sh);
		/* once a round, the per-feed figures the reports print; a round
		 * with a mismatch already failed, and its figures say nothing more */
		if (fx.t.mismatches == mismatches)
			check_feeds(&fx, &before, round);
	}
	summary(&fx, now_s() - t0, rounds);
	cr_assert_eq(fx.t.mismatches, 0, "%lu cases of %lu differ from the model (seed %#llx); "
		     "the reproducers are printed above", fx.t.mismatches, fx.t.cases,
		     (unsigned long long)fx.seed);
	if (only != ~0UL || cases < 10000)
		return;
	/* A generator that stopped reaching a verdict would pass quietly. */
	for (d = 0; d < BOUCLIER_D_MAX; d++)
		for (v = 0; v < BOUCLIER_V_MAX; v++)
			cr_expect_gt(fx.t.verdicts[d][v], 0, "no %s case %s", verdict_name(v),
				     d ? "on the way out" : "on the way in");
	cr_expect_gt(fx.t.fragments, 0, "no non-first fragment");
	/* the others changed the IPv6 levels (a fold makes a new length) or
	 * filled a region: compiled in full, as they should */
	cr_expect_geq(fx.t.deltas * 4, fx.t.changed_rounds * 3,
		      "only %lu of %lu small changes went through the delta", fx.t.deltas,
		      fx.t.changed_rounds);
	for (v = 0; v < BOUCLIER_P_MAX; v++)
		cr_expect_gt(fx.t.classes[1][v], 0, "no %s drop", proto_name(v));
}

/* ---------------------------------------------------------------------------
 * Fixed cases: reproducers of past mismatches, pasted as printed, with the
 * answer the documents give.  The model must give that answer (checked
 * without root), and the programs must agree with the model in everything
 * the random run compares.
 */
struct fixed_case {
	const char *what;
	const char *prog; /* bouclier_xdp, bouclier_xdp_ip, bouclier_tc, bouclier_tc_ip */
	struct {
		int index;
		__u32 flags;
		const char *cidrs; /* NULL: no such feed */
	} feeds[MAX_FEEDS];
	const char *allow;
	const char *frame; /* hex */
	int verdict, pclass, fragment;
};

static const struct fixed_case fixed_cases[] = {
	/* docs/design.md: once the fixed IP header is whole the frame is
	 * filtered however broken the rest is; an extension header cut short
	 * ends the walk with class "other" (parse.h says so too).  Here a
	 * destination options header announces 16 bytes and the frame holds 8:
	 * the program takes the next header (TCP) from the stub and counts a
	 * TCP drop. */
	{ "destination options cut short after 8 of 16 bytes", "bouclier_xdp_ip",
	  { { 0, BOUCLIER_FEED_IN, "2001:db8:bad::/48" } },
	  "",
	  "6000000000103c4020010db80bad0000000000000000000120010db800010000"
	  "00000000000000010601010400000000",
	  BOUCLIER_V_DROP, BOUCLIER_P_OTHER, 0 },
	/* A fragment header is 8 bytes; with 4 of them the program reads a
	 * non-first offset and counts a UDP fragment. */
	{ "fragment header cut short after 4 of 8 bytes", "bouclier_xdp",
	  { { 0, BOUCLIER_FEED_IN, "2001:db8:bad::/48" } },
	  "",
	  "02000000000102000000000286dd6000000000082c4020010db80bad00000000"
	  "00000000000120010db8000100000000000000000001110005c8",
	  BOUCLIER_V_DROP, BOUCLIER_P_OTHER, 0 },
	/* The same on the way out: the outbound record says UDP too. */
	{ "hop-by-hop cut short on the way out", "bouclier_tc",
	  { { 1, BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT, "2001:db8:c2::/48" } },
	  "",
	  "02000000000102000000000286dd600000000018004020010db8001000000000"
	  "00000000002320010db800c20000000000000000000711020104000000000000",
	  BOUCLIER_V_DROP, BOUCLIER_P_OTHER, 0 },
	/* And on passed frames: an allowlisted source, AH announcing 24 bytes,
	 * 12 there. */
	{ "AH cut short, allowlisted source", "bouclier_xdp",
	  { { 0, BOUCLIER_FEED_IN, "2001:db8:bad::/48" } },
	  "2001:db8:bad:2::/64",
	  "02000000000102000000000286dd600000000018334020010db80bad00020000"
	  "00000000000520010db800010000000000000000000106040000000000000000"
	  "0000",
	  BOUCLIER_V_ALLOW, BOUCLIER_P_OTHER, 0 },
	/* docs/design.md: a frame whose fixed IP header (20 bytes of IPv4, 40
	 * of IPv6) is cut short passes as malformed, even when its source is
	 * readable: the kernel's IP layer drops it anyway.  (The README once
	 * said "cut short before its source address"; this case found the gap
	 * and the documents now say what the program does.) */
	{ "IPv4 cut after its source address", "bouclier_xdp",
	  { { 0, BOUCLIER_FEED_IN, "198.51.100.7/32" } },
	  "",
	  "0200000000010200000000020800450000280000000040060000c6336407",
	  BOUCLIER_V_MALFORMED, BOUCLIER_P_TCP, 0 },
	{ "IPv6 cut after its source address", "bouclier_xdp_ip",
	  { { 0, BOUCLIER_FEED_IN, "2001:db8:bad::/48" } },
	  "",
	  "600000000014064020010db80bad00000000000000000001",
	  BOUCLIER_V_MALFORMED, BOUCLIER_P_TCP, 0 },
	/* On the way out the verdicts are about the destination (bouclier.h):
	 * cut before it, the frame is malformed there. */
	{ "IPv4 cut before its destination, on the way out", "bouclier_tc",
	  { { 1, BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT, "203.0.113.99/32" } },
	  "",
	  "020000000001020000000002810000640800450000280000000040110000c000"
	  "0217",
	  BOUCLIER_V_MALFORMED, BOUCLIER_P_UDP, 0 },
	/* Six extension headers are skipped, then neighbour discovery. */
	{ "six destination options, then a neighbour advertisement", "bouclier_xdp_ip",
	  { { 0, BOUCLIER_FEED_IN, "2001:db8:bad::/48" } },
	  "",
	  "6000000000383cff20010db80bad0000000000000000000120010db800010000"
	  "00000000000000013c000000000000003c000000000000003c00000000000000"
	  "3c000000000000003c000000000000003a000000000000008800000000000000",
	  BOUCLIER_V_CONTROL, BOUCLIER_P_ICMP, 0 },
	{ "three VLAN tags on the way out", "bouclier_tc",
	  { { 1, BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT, "203.0.113.99/32" } },
	  "",
	  "0200000000010200000000028100006481000065810000660800450000140000"
	  "000040060000c0000217cb007163",
	  BOUCLIER_V_NONIP, BOUCLIER_P_TCP, 0 },
};

static size_t parse_cidrs(const char *s, struct cidr *v, size_t max)
{
	const char *why;
	size_t n = 0, len;
	int flags;

	while (*s) {
		while (*s == ' ')
			s++;
		len = strcspn(s, " ");
		if (!len)
			break;
		cr_assert_lt(n, max, "too many prefixes in a fixed case");
		cr_assert_eq(cidr_parse(s, len, &v[n], &flags, &why), 0, "%.*s: %s", (int)len, s,
			     why);
		n++;
		s += len;
	}
	return n;
}

static void fixed_lists(const struct fixed_case *c, struct lists *L)
{
	int i;

	memset(L, 0, sizeof(*L));
	for (i = 0; i < MAX_FEEDS && c->feeds[i].cidrs; i++) {
		L->feed[i].index = c->feeds[i].index;
		L->feed[i].flags = c->feeds[i].flags;
		L->feed[i].n = parse_cidrs(c->feeds[i].cidrs, L->feed[i].v, MAX_FEED_PREFIXES);
	}
	L->nfeeds = i;
	L->nallow = parse_cidrs(c->allow, L->allow, MAX_ALLOW);
	lists_finish(L);
}

static size_t unhex(const char *s, __u8 *f)
{
	size_t n = 0;
	unsigned int b;

	for (; s[0] && s[1] && n < FRAME_MAX; s += 2) {
		cr_assert_eq(sscanf(s, "%2x", &b), 1, "bad hex in a fixed case");
		f[n++] = b;
	}
	return n;
}

static void fixed_prog(const struct fixed_case *c, int *dir, int *raw)
{
	for (*dir = 0; *dir < BOUCLIER_D_MAX; (*dir)++)
		for (*raw = 0; *raw < 2; (*raw)++)
			if (!strcmp(prog_names[*dir][*raw], c->prog))
				return;
	cr_assert_fail("%s: no program %s", c->what, c->prog);
}

Test(diff, fixed_cases)
{
	static struct lists L;
	const size_t n = sizeof(fixed_cases) / sizeof(fixed_cases[0]);
	__u8 frame[FRAME_MAX];
	struct model_result m;
	struct why w;
	size_t k, len;
	int dir, raw, err, action;

	/* The documents' answers hold of the model, root or not. */
	for (k = 0; k < n; k++) {
		const struct fixed_case *c = &fixed_cases[k];

		fixed_prog(c, &dir, &raw);
		fixed_lists(c, &L);
		len = unhex(c->frame, frame);
		model_run(&L.ml, frame, len, raw ? MODEL_RAW : MODEL_ETH, dir, &m);
		cr_expect_eq(m.verdict, c->verdict, "%s: the model says %s, the documents %s",
			     c->what, verdict_name(m.verdict), verdict_name(c->verdict));
		if (c->verdict > BOUCLIER_V_ALLOW)
			continue;
		cr_expect_eq(m.fr.pclass, c->pclass, "%s: the model says %s, the documents %s",
			     c->what, proto_name(m.fr.pclass), proto_name(c->pclass));
		cr_expect_eq(m.fr.fragment, c->fragment, "%s: fragment", c->what);
	}
	if (geteuid() != 0)
		cr_skip_test("BPF_PROG_TEST_RUN needs root (the model's answers were checked)");
	err = diff_open(&fx);
	if (err)
		cr_skip_test("the kernel refused the program: %s", strerror(-err));
	for (k = 0; k < n; k++) {
		const struct fixed_case *c = &fixed_cases[k];

		fixed_prog(c, &dir, &raw);
		fixed_lists(c, &L);
		len = unhex(c->frame, frame);
		fx.L = &L;
		cr_assert_eq(publish_lists(&fx, &L), 0);
		action = run_case(&fx, frame, len, raw, dir, &m, &w);
		cr_expect_neq(action, REFUSED, "%s: BPF_PROG_TEST_RUN refuses the frame", c->what);
		cr_expect_eq(w.n, 0, "%s (%s): the program differs from the model:\n%s", c->what,
			     c->prog, w.text);
	}
	diff_close(&fx);
}
