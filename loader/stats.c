// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "stats.h"

int stats_read(struct live *l, struct stats *st)
{
	int ncpu = libbpf_num_possible_cpus(), c, i, f;
	struct bouclier_set_stat *ss = NULL;
	struct bouclier_stats *per = NULL;
	struct bouclier_set set;
	__u32 k, zero = 0;
	int err = 0;

	memset(st, 0, sizeof(*st));
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	per = calloc(ncpu, sizeof(*per));
	ss = calloc(ncpu, sizeof(*ss));
	if (!per || !ss) {
		err = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_elem(l->stats_fd, &zero, per)) {
		err = -errno;
		goto out;
	}
	for (c = 0; c < ncpu; c++) {
		__u64 *dst = (__u64 *)&st->sum, *src = (__u64 *)&per[c];

		for (i = 0; i < BOUCLIER_STATS_COUNTERS; i++)
			dst[i] += src[i];
	}
	for (k = 1; k < BOUCLIER_MAX_SETS; k++) {
		__u64 pkts = 0, bytes = 0;

		if (bpf_map_lookup_elem(l->sets_fd, &k, &set) || !set.feeds)
			continue;
		if (bpf_map_lookup_elem(l->set_stats_fd, &k, ss))
			continue;
		for (c = 0; c < ncpu; c++) {
			pkts += ss[c].pkts;
			bytes += ss[c].bytes;
		}
		for (f = 0; f < BOUCLIER_MAX_FEEDS; f++)
			if (set.feeds & (1u << f)) {
				st->feed_pkts[f] += pkts;
				st->feed_bytes[f] += bytes;
			}
	}
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
		bpf_map_lookup_elem(l->feeds_fd, &k, &st->feeds[k]);
	bpf_map_lookup_elem(l->info_fd, &zero, &st->info);
out:
	free(per);
	free(ss);
	return err;
}
