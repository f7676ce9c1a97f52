// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * table_fingerprint.c - which lists an image was made from: a sum over
 * every entry of the lists (table_int.h's entry_hash()), kept in the
 * image's header with the number of deltas applied since its compile, so
 * that a delta starts only from the lists the live table holds.
 */
#include "table_int.h"

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
