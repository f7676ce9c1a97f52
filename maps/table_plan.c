// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * table_plan.c - the first step of a compile: the entries sorted and
 * folded (each prefix against those that contain it), the IPv6 levels
 * chosen from the lengths listed, and the image's layout measured in 64
 * bits before anything is allocated; and the capacity classes a table is
 * allocated in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "table_int.h"

#define V4_LOAD 0.90 /* bucketised cuckoo hashing stays insertable well past this */
#define V6_LOAD 0.80
#define MAX_LINES (1ULL << 31) /* 128 GiB: far past any memory limit */

int table_entry_cmp(const void *a, const void *b)
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
void table_choose_levels(struct table_plan *p, const __u8 *present)
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
	sort_runs(e, n, sizeof(*e), table_entry_cmp);

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

	table_choose_levels(p, present);
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
