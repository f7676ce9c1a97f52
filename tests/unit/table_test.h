/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * table_test.h - what the table's unit tests share: a feed-set registry for
 * table_plan()'s set_id (ids given out in order, as publish() would) and a
 * xorshift generator (each test file seeds its own with RNG_SEED).
 */
#ifndef BOUCLIER_TABLE_TEST_H
#define BOUCLIER_TABLE_TEST_H

#include <errno.h>
#include "table.h"

struct sets {
	__u32 mask[BOUCLIER_MAX_SETS];
	int n;
};

static inline int set_id(__u32 feeds, void *ctx)
{
	struct sets *s = ctx;
	int i;

	for (i = 1; i <= s->n; i++)
		if (s->mask[i] == feeds)
			return i;
	if (s->n + 1 >= BOUCLIER_MAX_SETS)
		return -ENOSPC;
	s->mask[++s->n] = feeds;
	return s->n;
}

static __u64 rng = RNG_SEED;

static inline __u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#endif
