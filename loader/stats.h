/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* stats.h - the filter's counters summed over CPUs and attributed to feeds,
 * for each direction. */
#ifndef BOUCLIER_STATS_H
#define BOUCLIER_STATS_H

#include "live.h"

struct stats {
	struct bouclier_stats sum;             /* on the way in (XDP) */
	struct bouclier_stats out;             /* on the way out (TC egress) */
	struct bouclier_feed feeds[BOUCLIER_MAX_FEEDS];
	__u64 feed_pkts[BOUCLIER_MAX_FEEDS];  /* drops by a source this feed lists */
	__u64 feed_bytes[BOUCLIER_MAX_FEEDS];
	__u64 feed_out_pkts[BOUCLIER_MAX_FEEDS]; /* drops of a destination it lists */
	__u64 feed_out_bytes[BOUCLIER_MAX_FEEDS];
	/* monitored feeds: packets they list, both ways, passed or dropped by
	 * another feed: what they would drop */
	__u64 feed_mon_pkts[BOUCLIER_MAX_FEEDS];
	__u64 feed_mon_bytes[BOUCLIER_MAX_FEEDS];
	struct bouclier_info info;
};

int stats_read(struct live *l, struct stats *st);

#endif
