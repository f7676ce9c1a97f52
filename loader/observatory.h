/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * observatory.h - one town's `weather --json` report as the observatory
 * reads it (town_report.c says how; observatory.c merges them and
 * publishes the region's list).  Declared here for the fuzzer
 * (tests/fuzz/fuzz_observatory.c): a report is outside data.
 */
#ifndef BOUCLIER_OBSERVATORY_H
#define BOUCLIER_OBSERVATORY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <linux/types.h>

#define OBSERVATORY_LEVELS 5
#define OBSERVATORY_DAYS 30
#define OBSERVATORY_REPORT_MAX (4u << 20) /* bytes: a report is under 1 MB */

struct town {
	char name[64], file[256];
	int level;       /* rank in the order of concern: 0 (tornado) to OBSERVATORY_LEVELS - 1 */
	const char *why; /* why unknown: one of the observatory_why_* strings */
	long long generated;
	int packets_only;  /* a /1 report: its "attacks" were packets */
	int has_usual;     /* its level follows its usual, whose figure is usual */
	int has_regional;  /* a /3 report: regional is known */
	int fed;           /* a source it reported is on the region's list */
	double usual;      /* attacks the town usually has by this time of day */
	unsigned long long attacks, packets, yesterday, distinct;
	unsigned long long infected; /* inside machines that tried listed destinations today */
	unsigned long long regional; /* attacks only the region's list dropped today */
	char dates[OBSERVATORY_DAYS][11];
	unsigned long long days[OBSERVATORY_DAYS];
	int ndays;
};

/* Why a town is unknown (English; the page says them in its language). */
extern const char observatory_why_unreadable[], observatory_why_stale[],
	observatory_why_missing[], observatory_why_down[];

/* One source a report gives the region: IPv4 as ::ffff:a.b.c.d (hi 0), an
 * IPv6 address or prefix cut to its /64 (lo 0). */
struct town_source {
	__u64 hi, lo;
	__u32 attacks;
};

/* The sources of one report, appended by observatory_read_town(); the
 * caller empties it (n = 0) between reports and frees v. */
struct town_sources {
	struct town_source *v;
	size_t n, cap;
};
#define OBSERVATORY_SOURCES_MAX 10000 /* read from one report at most */

/* Reads the report at path into *t; an unreadable, foreign or stale
 * (older than stale seconds at now) report leaves the town unknown, with
 * t->why saying why.  When src is not NULL, the sources of a /3 report last
 * seen at since or later are appended to it, at most
 * OBSERVATORY_SOURCES_MAX, each an address or a prefix of /64 or longer,
 * none of them special (town_source_special()); a report generated before
 * since gives none.  -ENOMEM, else 0. */
int observatory_read_town(const char *path, long stale, time_t now, struct town *t,
			  time_t since, struct town_sources *src);

/* Makes jansson allocate a report's values from an arena of the reading
 * thread's while observatory_read_town() reads it (a third of the time of
 * a thousand reports); malloc and free otherwise.  Once, before any other
 * use of jansson; observatory_arena_free() gives a thread's arena back. */
void observatory_fast_alloc(void);
void observatory_arena_free(void);

/* Whether a source must never be listed whatever towns say: private,
 * loopback, link-local, multicast, unspecified and other special-purpose
 * ranges (a report naming one is wrong or forged, and a region that listed
 * it would cut towns off their own networks). */
bool town_source_special(__u64 hi, __u64 lo);

/* A level's rank in the order of concern, and the rank's level name in a
 * language ("en", "fr"). */
int observatory_rank(const char *level);
const char *observatory_rank_name(int rank, const char *lang);

#endif
