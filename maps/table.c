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

/* With room for a few more keys (a thirty-second, and 16): the next small
 * change then fits in place (table_delta) instead of a compile. */
static __u64 buckets_for(__u64 keys, int slots, double load)
{
	return keys ? (__u64)((double)(keys + keys / 32 + 16) / (slots * load)) + 1 : 1;
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

/* The fold: entries in cidr order (duplicates merged), each against the
 * prefixes before it that contain it.  Shared by the full compile and the
 * delta, so both keep the same prefixes. */
struct fold {
	struct { struct cidr c; __u64 eff; } stack[130];
	int depth;
};

/* The value of the addresses of m (EFF_ALLOW or a feed mask), or 0 when m
 * adds nothing to the prefixes containing it: then it is not written. */
static __u64 fold_next(struct fold *f, const struct table_entry *m)
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
static int eff_value(__u64 eff, table_set_fn set_id, void *ctx, __u32 *val)
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

int table_plan(struct table_entry *e, size_t n, table_set_fn set_id, void *ctx,
	       struct table_plan **out)
{
	struct fold fold = { .depth = 0 };
	struct table_plan *p;
	size_t i, j;
	__u64 v4_hosts = 0, v4_nets = 0, v4_net20 = 0, v6_long_keys = 0, line;
	__u8 present[129] = { 0 };
	int err = 0, lv;

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
		__u64 eff;

		for (j = i + 1; j < n && !cidr_cmp(&e[j].c, &m.c); j++) {
			m.allow |= e[j].allow;
			m.feeds |= e[j].feeds;
		}
		if (!m.allow && !m.feeds)
			continue;
		if (m.allow)
			p->st.allow++;
		/* the levels come from every IPv6 length listed, kept or folded
		 * away: the delta chooses them from the lists alike, so a change
		 * elsewhere keeps them */
		if (m.c.family == 6)
			present[m.c.plen] = 1;
		eff = fold_next(&fold, &m);
		if (!eff)
			continue;
		p->em[p->nem].c = m.c;
		err = eff_value(eff, set_id, ctx, &p->em[p->nem].val);
		if (err)
			goto fail;
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

/* Where the keys go: the image, its layout, its hash regions. */
struct filler {
	struct table_plan *p;
	const __s8 *level_of; /* IPv6 length -> level: the plan's, or a version's */
	struct bouclier_line *lines;
	struct ht hosts, nets, net20, levels[BOUCLIER_V6_LEVELS];
	__u64 keys; /* written or removed */
};

static void filler_init(struct filler *f, struct table_plan *p, struct bouclier_line *lines)
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

/* Writes val (0: removes) at each key that a prefix of length rlen takes
 * inside q, which is that prefix or a longer one inside it (the delta
 * rewrites only what a change covers); none when q is longer than the
 * keys of rlen's region. */
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

static int put(struct filler *f, int rlen, const struct cidr *q, __u32 val)
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
	filler_init(&f, p, lines);
	for (k = 0; k < p->nem; k++) {
		err = put(&f, p->em[k].c.plen, &p->em[k].c, p->em[k].val);
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

/* ---- the delta */

/* One entry's part of the fingerprint; t and t0 from list_salt(). */
struct salt {
	__u64 t, t0;
};

static struct salt list_salt(const struct table_list *l)
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

static __u64 list_fingerprint(const struct table_list *l)
{
	struct salt salt = list_salt(l);
	__u64 sum = 0;
	size_t k;

	for (k = 0; k < l->n; k++)
		sum += entry_hash(&l->v[k], salt);
	return sum;
}

__u64 table_fingerprint(const struct table_list *l, int n)
{
	__u64 sum = 0;
	int i;

	for (i = 0; i < n; i++)
		sum += list_fingerprint(&l[i]);
	return sum ? sum : 1; /* 0 is an image without one */
}

void table_image_mark(struct bouclier_line *lines, __u64 fingerprint, __u32 deltas)
{
	struct bouclier_hdr *h = (void *)&lines[0];

	h->fingerprint[0] = (__u32)fingerprint;
	h->fingerprint[1] = (__u32)(fingerprint >> 32);
	h->deltas = deltas;
}

__u64 table_image_fingerprint(const struct bouclier_line *lines, __u32 *deltas)
{
	const struct bouclier_hdr *h = (const void *)&lines[0];

	*deltas = h->deltas;
	return (__u64)h->fingerprint[1] << 32 | h->fingerprint[0];
}

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
	sort_runs(d->loc, d->nloc, sizeof(*d->loc), entry_cmp);
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
			err = put(&d->f, m.c.plen, &q, val);
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
		choose_levels(want, present);
		if (want->nlevels != lay->nlevels ||
		    memcmp(want->v6_plen, lay->v6_plen, lay->nlevels)) {
			ds->why = "the IPv6 prefix lengths change the table's levels";
			err = -EAGAIN;
		}
		memcpy(d.level_of[ver], want->level_of, sizeof(want->level_of));
	}
	if (!err)
		filler_init(&d.f, lay, lines);
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
