// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "table.h"

typedef unsigned __int128 u128;

/* IPv6 prefixes longer than /16 are rounded up to one of these lengths:
 * at most 2^3 keys each up to /64 (where feeds live), 2^15 beyond. */
static const __u8 ladder[BOUCLIER_V6_LEVELS] = {
	20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 80, 96, 112, 128,
};

#define V4_LOAD 0.90 /* bucketised cuckoo hashing stays insertable well past this */
#define V6_LOAD 0.80
#define FILL_TRIES 16
#define MAX_KICKS 1000

struct emitted {
	struct cidr c;
	__u32 val;
};

struct table_plan {
	struct emitted *em;
	size_t nem;
	size_t v6_keys[BOUCLIER_V6_LEVELS]; /* by ladder index */
	int v6_level[BOUCLIER_V6_LEVELS];   /* ladder index -> level, or -1 */
	__u8 v6_plen[BOUCLIER_V6_LEVELS];   /* level -> length, longest first */
	__u32 v6_nb[BOUCLIER_V6_LEVELS], v6_off[BOUCLIER_V6_LEVELS];
	__u32 nlevels;
	struct bouclier_hdr hdr;
	struct table_stats st;
	__u32 nlines;
};

static int ladder_index(__u8 plen)
{
	int i;

	for (i = 0; i < BOUCLIER_V6_LEVELS; i++)
		if (ladder[i] >= plen)
			return i;
	return BOUCLIER_V6_LEVELS - 1;
}

static int entry_cmp(const void *a, const void *b)
{
	return cidr_cmp(&((const struct table_entry *)a)->c, &((const struct table_entry *)b)->c);
}

static __u32 buckets_for(size_t keys, int slots, double load)
{
	double nb = (double)keys / (slots * load);

	return keys ? (__u32)nb + 1 : 1;
}

/* What an address inside an entry resolves to: allow, or a feed mask. */
#define EFF_ALLOW (1ULL << 32)

int table_plan(struct table_entry *e, size_t n, table_set_fn set_id, void *ctx,
	       struct table_plan **out)
{
	struct { struct cidr c; __u64 eff; } stack[130];
	struct table_plan *p;
	size_t i, j, v4_hosts = 0, v4_nets = 0, v4_net20 = 0, v6_32s = 0;
	__u32 line;
	int depth = 0, err = 0, lv;

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
				v4_hosts += 1u << (32 - m.c.plen);
			else if (m.c.plen > 20)
				v4_nets += 1u << (24 - m.c.plen);
			else if (m.c.plen > 16)
				v4_net20 += 1u << (20 - m.c.plen);
		} else {
			p->st.v6_prefixes++;
			if (m.c.plen > 16) {
				int li = ladder_index(m.c.plen);
				size_t keys = (size_t)1 << (ladder[li] - m.c.plen);

				p->v6_keys[li] += keys;
				v6_32s += ladder[li] >= 32 ? keys : (size_t)1 << (32 - ladder[li]);
			}
		}
	}

	/* Layout: header, two lines of IPv6 levels, then the regions. */
	line = 3;
	p->hdr.v4_dense = line;
	line += BOUCLIER_DENSE_LINES;
	p->hdr.v4_filter = line;
	line += BOUCLIER_V4_FILTER_LINES;
	p->hdr.v4_host_off = line;
	p->hdr.v4_host_nb = buckets_for(v4_hosts, BOUCLIER_V4_SLOTS, V4_LOAD);
	line += p->hdr.v4_host_nb;
	p->hdr.v4_net_off = line;
	p->hdr.v4_net_nb = buckets_for(v4_nets, BOUCLIER_V4_SLOTS, V4_LOAD);
	line += p->hdr.v4_net_nb;
	p->hdr.v4_net20_off = line;
	p->hdr.v4_net20_nb = buckets_for(v4_net20, BOUCLIER_V4_SLOTS, V4_LOAD);
	line += p->hdr.v4_net20_nb;
	p->hdr.v6_dense = line;
	line += BOUCLIER_DENSE_LINES;
	p->hdr.v6_filter = line;
	p->hdr.v6_filter_nb = (__u32)((2 * v6_32s + 15) / 16) + 1;
	line += p->hdr.v6_filter_nb;
	for (lv = BOUCLIER_V6_LEVELS - 1; lv >= 0; lv--) {
		p->v6_level[lv] = -1;
		if (!p->v6_keys[lv])
			continue;
		p->v6_level[lv] = p->nlevels;
		p->v6_plen[p->nlevels] = ladder[lv];
		p->v6_off[p->nlevels] = line;
		p->v6_nb[p->nlevels] = buckets_for(p->v6_keys[lv], BOUCLIER_V6_SLOTS, V6_LOAD);
		line += p->v6_nb[p->nlevels];
		p->st.v6_keys += p->v6_keys[lv];
		p->nlevels++;
	}
	memcpy(p->hdr.v6_plen, p->v6_plen, sizeof(p->v6_plen));
	p->nlines = line;
	p->st.v4_hosts = v4_hosts;
	p->st.v4_nets = v4_nets + v4_net20;
	p->st.v6_levels = p->nlevels;
	*out = p;
	return 0;
fail:
	table_plan_free(p);
	return err;
}

__u32 table_plan_lines(const struct table_plan *p)
{
	return p->nlines;
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

static int fill_v6(struct table_plan *p, struct bouclier_line *lines, const struct emitted *e,
		   struct ht *levels)
{
	__u64 hi, lo, i, n;
	u128 a;
	int li, lv, err;

	cidr_v6(&e->c, &hi, &lo);
	a = (u128)hi << 64 | lo;
	if (e->c.plen <= 16) {
		for (i = 0, n = 1u << (16 - e->c.plen); i < n; i++)
			dense_set(lines + p->hdr.v6_dense, (__u32)(hi >> 48) + i, e->val);
		return 0;
	}
	li = ladder_index(e->c.plen);
	lv = p->v6_level[li];
	for (i = 0, n = 1ULL << (ladder[li] - e->c.plen); i < n; i++) {
		u128 k = a + ((u128)i << (128 - ladder[li]));
		__u32 top = (__u32)(k >> 96), j, span;

		err = ht_insert(&levels[lv], k, e->val);
		if (err)
			return err;
		span = ladder[li] >= 32 ? 1 : 1u << (32 - ladder[li]);
		for (j = 0; j < span; j++) {
			__u32 slot = bouclier_range((__u32)bouclier_hash4(top + j, p->hdr.seed,
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
	struct bouclier_v6_levels *lvl = (void *)&lines[1];
	__u32 i;
	size_t k;
	int err;

	memcpy(&lines[0], &p->hdr, sizeof(p->hdr));
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
			memset(lines, 0, (size_t)p->nlines * sizeof(*lines));
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
