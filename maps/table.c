// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "table.h"

typedef unsigned __int128 u128;

#define V4_LOAD 0.90 /* bucketised cuckoo hashing stays insertable well past this */
#define V6_LOAD 0.80
#define FILL_TRIES 16
#define MAX_KICKS 1000
#define MAX_LINES (1ULL << 31) /* 128 GiB: far past any memory limit */

struct emitted {
	struct cidr c;
	__u32 val;
};

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

static int entry_cmp(const void *a, const void *b)
{
	return cidr_cmp(&((const struct table_entry *)a)->c, &((const struct table_entry *)b)->c);
}

static __u64 buckets_for(__u64 keys, int slots, double load)
{
	return keys ? (__u64)((double)keys / (slots * load)) + 1 : 1;
}

/* The IPv6 levels: among the lengths present (longer than /16), each level
 * takes every length up to BOUCLIER_V6_SPAN bits shorter than itself, the
 * longest possible, so a prefix is at most 2^SPAN keys whatever the lengths
 * of a feed (3000 /65 prefixes once made 3.4 GB with a fixed ladder).
 * Greedy from the shortest length: the fewest levels for that bound, at
 * most 112 / (SPAN + 1) = 28. */
static void choose_levels(struct table_plan *p, const __u8 *present)
{
	__u8 level[BOUCLIER_V6_LEVELS];
	int n = 0, len, top, k, i;

	memset(p->level_of, -1, sizeof(p->level_of));
	for (len = 17; len <= 128; len++) {
		if (!present[len] || p->level_of[len] >= 0)
			continue;
		for (top = len + BOUCLIER_V6_SPAN > 128 ? 128 : len + BOUCLIER_V6_SPAN;
		     !present[top]; top--)
			;
		for (k = len; k <= top; k++)
			p->level_of[k] = n; /* ascending for now */
		level[n++] = top;
	}
	/* longest first, as the lookup probes them */
	for (i = 0; i < n; i++)
		p->v6_plen[i] = level[n - 1 - i];
	for (len = 17; len <= 128; len++)
		if (p->level_of[len] >= 0)
			p->level_of[len] = n - 1 - p->level_of[len];
	p->nlevels = n;
}

/* What an address inside an entry resolves to: allow, or a feed mask. */
#define EFF_ALLOW (1ULL << 32)

int table_plan(struct table_entry *e, size_t n, table_set_fn set_id, void *ctx,
	       struct table_plan **out)
{
	struct { struct cidr c; __u64 eff; } stack[130];
	struct table_plan *p;
	size_t i, j;
	__u64 v4_hosts = 0, v4_nets = 0, v4_net20 = 0, v6_long_keys = 0, line;
	__u8 present[129] = { 0 };
	int depth = 0, err = 0, lv;

	*out = NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->em = calloc(n ? n : 1, sizeof(*p->em));
	if (!p->em) {
		free(p);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		cidr_mask(&e[i].c);
	sort_runs(e, n, sizeof(*e), entry_cmp);

	for (i = 0; i < n; i = j) {
		struct table_entry m = e[i];
		__u64 parent, eff;

		for (j = i + 1; j < n && !cidr_cmp(&e[j].c, &m.c); j++) {
			m.allow |= e[j].allow;
			m.feeds |= e[j].feeds;
		}
		if (!m.allow && !m.feeds)
			continue;
		if (m.allow)
			p->st.allow++;
		while (depth && !cidr_contains(&stack[depth - 1].c, &m.c))
			depth--;
		parent = depth ? stack[depth - 1].eff : 0;
		if ((parent & EFF_ALLOW) || m.allow)
			eff = EFF_ALLOW;
		else
			eff = parent | m.feeds;
		if (eff == parent)
			continue; /* covered: adds nothing to its parent */
		stack[depth].c = m.c;
		stack[depth++].eff = eff;

		p->em[p->nem].c = m.c;
		if (eff & EFF_ALLOW) {
			p->em[p->nem].val = BOUCLIER_ALLOW;
		} else {
			err = set_id((__u32)eff, ctx);
			if (err < 0)
				goto fail;
			p->em[p->nem].val = err;
			err = 0;
		}
		p->nem++;

		if (m.c.family == 4) {
			p->st.v4_prefixes++;
			if (m.c.plen > 24)
				v4_hosts += 1ULL << (32 - m.c.plen);
			else if (m.c.plen > 20)
				v4_nets += 1ULL << (24 - m.c.plen);
			else if (m.c.plen > 16)
				v4_net20 += 1ULL << (20 - m.c.plen);
		} else {
			p->st.v6_prefixes++;
			present[m.c.plen] = 1;
		}
	}

	choose_levels(p, present);
	for (i = 0; i < p->nem; i++) {
		const struct cidr *c = &p->em[i].c;
		__u64 keys;

		if (c->family != 6 || c->plen <= 16)
			continue;
		lv = p->level_of[c->plen];
		keys = 1ULL << (p->v6_plen[lv] - c->plen);
		p->v6_keys[lv] += keys;
		if (p->v6_plen[lv] >= BOUCLIER_V6_SHORT)
			v6_long_keys += keys; /* one filter slot each, at most */
	}

	/* Layout: header, IPv6 level lines, then the regions; in 64 bits, so
	 * a list of any size is measured before anything is allocated. */
	line = BOUCLIER_TABLE_FIRST;
	p->hdr.v4_dense = line;
	line += BOUCLIER_DENSE_LINES;
	p->hdr.v4_filter = line;
	line += BOUCLIER_V4_FILTER_LINES;
	p->hdr.v4_host_off = line;
	p->hdr.v4_host_nb = buckets_for(v4_hosts, BOUCLIER_V4_SLOTS, V4_LOAD);
	line += buckets_for(v4_hosts, BOUCLIER_V4_SLOTS, V4_LOAD);
	p->hdr.v4_net_off = line;
	p->hdr.v4_net_nb = buckets_for(v4_nets, BOUCLIER_V4_SLOTS, V4_LOAD);
	line += buckets_for(v4_nets, BOUCLIER_V4_SLOTS, V4_LOAD);
	p->hdr.v4_net20_off = line;
	p->hdr.v4_net20_nb = buckets_for(v4_net20, BOUCLIER_V4_SLOTS, V4_LOAD);
	line += buckets_for(v4_net20, BOUCLIER_V4_SLOTS, V4_LOAD);
	p->hdr.v6_dense = line;
	line += BOUCLIER_V6_DENSE_LINES;
	p->hdr.v6_filter = line;
	p->hdr.v6_filter_nb = v6_long_keys ? (v6_long_keys * 2 + 15) / 16 + 1 : 0;
	line += v6_long_keys ? (v6_long_keys * 2 + 15) / 16 + 1 : 0;
	for (lv = 0; lv < (int)p->nlevels; lv++) {
		__u64 nb = buckets_for(p->v6_keys[lv], BOUCLIER_V6_SLOTS, V6_LOAD);

		p->v6_off[lv] = line;
		p->v6_nb[lv] = nb;
		line += nb;
		p->st.v6_keys += p->v6_keys[lv];
		if (line >= MAX_LINES)
			break;
	}
	p->hdr.v6_nlevels = p->nlevels;
	p->nlines = line;
	p->st.bytes = line * BOUCLIER_LINE_BYTES;
	p->st.v4_hosts = v4_hosts;
	p->st.v4_nets = v4_nets + v4_net20;
	p->st.v6_levels = p->nlevels;
	if (line >= MAX_LINES) {
		err = -EFBIG;
		goto fail;
	}
	*out = p;
	return 0;
fail:
	table_plan_free(p);
	return err;
}

__u64 table_plan_bytes(const struct table_plan *p)
{
	return p->nlines * BOUCLIER_LINE_BYTES;
}

__u32 table_plan_lines(const struct table_plan *p)
{
	return (__u32)p->nlines;
}

/* Classes 2^k and 1.5 * 2^k: at most a third of a table's memory idle. */
__u32 table_capacity_for(__u32 lines, __u64 max_bytes)
{
	__u64 want = (__u64)lines + lines / 4, c = BOUCLIER_TABLE_MIN_LINES, max;

	while (c < want)
		c = (c & (c - 1)) ? (c / 3) * 4 : c + c / 2; /* 2^k -> 1.5 * 2^k -> 2^(k+1) */
	max = max_bytes ? max_bytes / BOUCLIER_LINE_BYTES : c;
	if (c > max) /* the limit wins over the headroom, never over the table */
		c = max > lines ? max : lines;
	return (__u32)c;
}

bool table_capacity_fits(__u32 lines, __u32 capacity)
{
	return lines <= capacity &&
	       (capacity <= BOUCLIER_TABLE_MIN_LINES || (__u64)lines * 4 >= capacity);
}

const struct table_stats *table_plan_stats(const struct table_plan *p)
{
	return &p->st;
}

void table_plan_free(struct table_plan *p)
{
	if (!p)
		return;
	free(p->em);
	free(p);
}

/* One cuckoo hash region: IPv4 buckets of 8 u32 keys or IPv6 of 3 u128. */
struct ht {
	struct bouclier_line *base;
	__u32 nb, seed, tag; /* tag: salt (IPv4) or level length (IPv6) */
	int v6;
	__u64 rng;
};

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

static void dense_set(struct bouclier_line *dense, __u32 idx, __u32 val)
{
	dense[idx / 16].w[idx % 16] = val;
}

static void filter_set(struct table_plan *p, struct bouclier_line *lines, __u32 n24, __u32 bit)
{
	lines[p->hdr.v4_filter + (n24 >> 8)].w[(n24 >> 4) & 15] |= bit << ((n24 & 15) * 2);
}

static int fill_v4(struct table_plan *p, struct bouclier_line *lines, const struct emitted *e,
		   struct ht *hosts, struct ht *nets, struct ht *net20)
{
	__u32 a = cidr_v4(&e->c), i, j, n;
	int err;

	if (e->c.plen <= 16) {
		for (i = 0, n = 1u << (16 - e->c.plen); i < n; i++)
			dense_set(lines + p->hdr.v4_dense, (a >> 16) + i, e->val);
		return 0;
	}
	if (e->c.plen <= 20) {
		for (i = 0, n = 1u << (20 - e->c.plen); i < n; i++) {
			__u32 k = (a >> 12) + i;

			err = ht_insert(net20, k, e->val);
			if (err)
				return err;
			for (j = 0; j < 16; j++)
				filter_set(p, lines, (k << 4) + j, BOUCLIER_F4_NET);
		}
		return 0;
	}
	if (e->c.plen <= 24) {
		for (i = 0, n = 1u << (24 - e->c.plen); i < n; i++) {
			__u32 k = (a >> 8) + i;

			err = ht_insert(nets, k, e->val);
			if (err)
				return err;
			filter_set(p, lines, k, BOUCLIER_F4_NET);
		}
		return 0;
	}
	for (i = 0, n = 1u << (32 - e->c.plen); i < n; i++) {
		err = ht_insert(hosts, a + i, e->val);
		if (err)
			return err;
		filter_set(p, lines, (a + i) >> 8, BOUCLIER_F4_HOST);
	}
	return 0;
}

static void dense6_set(struct table_plan *p, struct bouclier_line *lines, __u32 idx,
		       __u32 val)
{
	lines[p->hdr.v6_dense + idx / 8].w[(idx % 8) * 2] = val;
}

static int fill_v6(struct table_plan *p, struct bouclier_line *lines, const struct emitted *e,
		   struct ht *levels)
{
	__u64 hi, lo, i, n;
	u128 a;
	int lv, len, err;

	cidr_v6(&e->c, &hi, &lo);
	a = (u128)hi << 64 | lo;
	if (e->c.plen <= 16) {
		for (i = 0, n = 1u << (16 - e->c.plen); i < n; i++)
			dense6_set(p, lines, (__u32)(hi >> 48) + i, e->val);
		return 0;
	}
	lv = p->level_of[e->c.plen];
	len = p->v6_plen[lv];
	for (i = 0, n = 1ULL << (len - e->c.plen); i < n; i++) {
		u128 k = a + ((u128)i << (128 - len));
		__u32 top = (__u32)(k >> 96);

		err = ht_insert(&levels[lv], k, e->val);
		if (err)
			return err;
		if (len < BOUCLIER_V6_SHORT) {
			/* flagged in the /16's dense entry */
			lines[p->hdr.v6_dense + (top >> 16) / 8].w[((top >> 16) % 8) * 2 + 1] |=
				1u << lv;
		} else {
			__u32 slot = bouclier_range((__u32)bouclier_hash4(top, p->hdr.seed,
									  BOUCLIER_SALT_F6),
						    p->hdr.v6_filter_nb * 16);

			lines[p->hdr.v6_filter + slot / 16].w[slot % 16] |= 1u << lv;
		}
	}
	return 0;
}

static int fill_once(struct table_plan *p, struct bouclier_line *lines)
{
	struct ht hosts = { lines + p->hdr.v4_host_off, p->hdr.v4_host_nb, p->hdr.seed,
			    BOUCLIER_SALT_HOST, 0, 0x9e3779b97f4a7c15ULL };
	struct ht nets = { lines + p->hdr.v4_net_off, p->hdr.v4_net_nb, p->hdr.seed,
			   BOUCLIER_SALT_NET, 0, 0xbf58476d1ce4e5b9ULL };
	struct ht net20 = { lines + p->hdr.v4_net20_off, p->hdr.v4_net20_nb, p->hdr.seed,
			    BOUCLIER_SALT_NET20, 0, 0x2545f4914f6cdd1dULL };
	struct ht levels[BOUCLIER_V6_LEVELS];
	struct bouclier_v6_levels *lvl = (void *)&lines[BOUCLIER_V6_LEVEL_LINE];
	struct bouclier_v6_plens *pl = (void *)&lines[BOUCLIER_V6_PLEN_LINE];
	__u32 i;
	size_t k;
	int err;

	memcpy(&lines[0], &p->hdr, sizeof(p->hdr));
	memcpy(pl->plen, p->v6_plen, sizeof(p->v6_plen));
	for (i = 0; i < p->nlevels; i++) {
		levels[i] = (struct ht){ lines + p->v6_off[i], p->v6_nb[i], p->hdr.seed,
					 p->v6_plen[i], 1, 0x94d049bb133111ebULL + i };
		lvl[i / 8].l[i % 8].off = p->v6_off[i];
		lvl[i / 8].l[i % 8].nb = p->v6_nb[i];
	}
	for (k = 0; k < p->nem; k++) {
		err = p->em[k].c.family == 4 ? fill_v4(p, lines, &p->em[k], &hosts, &nets, &net20)
					     : fill_v6(p, lines, &p->em[k], levels);
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
