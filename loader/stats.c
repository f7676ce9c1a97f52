// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "stats.h"

static void sum_cpus(const struct bouclier_stats *per, int ncpu, struct bouclier_stats *dst)
{
	int c, i;

	for (c = 0; c < ncpu; c++)
		for (i = 0; i < BOUCLIER_STATS_COUNTERS; i++)
			((__u64 *)dst)[i] += ((const __u64 *)&per[c])[i];
}

int stats_read(struct live *l, struct stats *st)
{
	int ncpu = libbpf_num_possible_cpus(), c, f, dir;
	struct bouclier_set_stat *ss = NULL;
	struct bouclier_stats *per = NULL;
	struct bouclier_set set;
	__u32 k;
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
	for (dir = 0; dir < BOUCLIER_D_MAX; dir++) {
		k = dir;
		if (bpf_map_lookup_elem(l->stats_fd, &k, per)) {
			err = -errno;
			goto out;
		}
		sum_cpus(per, ncpu, dir ? &st->out : &st->sum);
	}
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
		bpf_map_lookup_elem(l->feeds_fd, &k, &st->feeds[k]);
	for (k = 1; k < BOUCLIER_MAX_SETS; k++) {
		if (bpf_map_lookup_elem(l->sets_fd, &k, &set) || !set.feeds)
			continue;
		/* drops in, out; would-drops in, out */
		for (dir = 0; dir < 2 * BOUCLIER_D_MAX; dir++) {
			__u32 key = k + dir * BOUCLIER_MAX_SETS;
			__u64 pkts = 0, bytes = 0;

			if (bpf_map_lookup_elem(l->set_stats_fd, &key, ss))
				continue;
			for (c = 0; c < ncpu; c++) {
				pkts += ss[c].pkts;
				bytes += ss[c].bytes;
			}
			for (f = 0; f < BOUCLIER_MAX_FEEDS; f++) {
				if (!(set.feeds & (1u << f)))
					continue;
				/* a monitored feed drops nothing; what it lists, dropped
				 * by another feed or passed, it would have dropped */
				if (st->feeds[f].flags & BOUCLIER_FEED_MONITOR) {
					st->feed_mon_pkts[f] += pkts;
					st->feed_mon_bytes[f] += bytes;
				} else if (dir < BOUCLIER_D_MAX) {
					(dir ? st->feed_out_pkts : st->feed_pkts)[f] += pkts;
					(dir ? st->feed_out_bytes : st->feed_bytes)[f] += bytes;
				}
			}
		}
	}
	k = 0;
	bpf_map_lookup_elem(l->info_fd, &k, &st->info);
out:
	free(per);
	free(ss);
	return err;
}
