/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * observatory.h - one town's `weather --json` report as the observatory
 * reads it (observatory.c says how).  Declared here for the fuzzer
 * (tests/fuzz/fuzz_observatory.c): a report is outside data.
 */
#ifndef BOUCLIER_OBSERVATORY_H
#define BOUCLIER_OBSERVATORY_H

#include <time.h>

#define OBSERVATORY_LEVELS 5
#define OBSERVATORY_DAYS 30

struct town {
	char name[64], file[256];
	int level;       /* rank in the order of concern: 0 (tornado) to OBSERVATORY_LEVELS - 1 */
	const char *why; /* why unknown */
	long long generated;
	int packets_only;  /* a /1 report: its "attacks" were packets */
	int has_usual;     /* its level follows its usual, whose figure is usual */
	double usual;      /* attacks the town usually has by this time of day */
	unsigned long long attacks, packets, yesterday, distinct;
	unsigned long long infected; /* inside machines that tried listed destinations today */
	char dates[OBSERVATORY_DAYS][11];
	unsigned long long days[OBSERVATORY_DAYS];
	int ndays;
};

/* Reads the report at path into *t; an unreadable, foreign or stale
 * (older than stale seconds at now) report leaves the town unknown, with
 * t->why saying why. */
void observatory_read_town(const char *path, long stale, time_t now, struct town *t);

#endif
