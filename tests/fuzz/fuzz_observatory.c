// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the observatory's reading of a town's report
 * (observatory_read_town(), loader/observatory.c): any bytes as the file
 * TOWN.json that another town sent.  It is read twice, fresh and stale.
 * Asserted: no crash, no undefined behaviour, no leak; the level is a rank
 * in 0..OBSERVATORY_LEVELS-1; the name, the file and every date are
 * NUL-terminated in their arrays, a date is YYYY-MM-DD, at most
 * OBSERVATORY_DAYS of them; a report taken as read (no reason to be unknown)
 * carries a town's name; and being stale changes nothing but the level and
 * the reason.
 *
 * stand_in.h takes the place of log.c.
 *
 * fuzz-build: loader/observatory.c loader/out.c loader/weather/words.c
 * fuzz-build: loader/weather/numbers.c -ljansson
 * fuzz-run: -max_len=65536
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "observatory.h"
#define FUZZ_LOG
#include "stand_in.h"

#define NOW 1798761600 /* 2027-01-01, after the seeds were written */

static char dir[256], path[300];

static void fail(const char *what)
{
	fprintf(stderr, "%s\n", what);
	abort();
}

static int terminated(const char *s, size_t len)
{
	return memchr(s, 0, len) != NULL;
}

static void check(const struct town *t)
{
	int i, k;

	if (t->level < 0 || t->level >= OBSERVATORY_LEVELS)
		fail("level out of range");
	if (!terminated(t->name, sizeof(t->name)) || !terminated(t->file, sizeof(t->file)))
		fail("name or file not terminated");
	if (t->why && !strlen(t->why))
		fail("an empty reason");
	if (!t->why && !t->name[0])
		fail("a report read without a town's name");
	if (t->ndays < 0 || t->ndays > OBSERVATORY_DAYS)
		fail("days out of range");
	for (i = 0; i < t->ndays; i++) {
		if (!terminated(t->dates[i], sizeof(t->dates[i])) || strlen(t->dates[i]) != 10)
			fail("date not terminated");
		for (k = 0; k < 10; k++)
			if (k == 4 || k == 7 ? t->dates[i][k] != '-'
					     : t->dates[i][k] < '0' || t->dates[i][k] > '9')
				fail("date not YYYY-MM-DD");
	}
}

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_tmpdir(dir, sizeof(dir), "observatory");
	snprintf(path, sizeof(path), "%s/town.json", dir);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct town fresh, stale;
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(path);
		abort();
	}
	observatory_read_town(path, 100L * 365 * 86400, NOW, &fresh);
	check(&fresh);
	observatory_read_town(path, 0, NOW, &stale);
	check(&stale);
	if (strcmp(fresh.name, stale.name) || fresh.attacks != stale.attacks ||
	    fresh.yesterday != stale.yesterday || fresh.distinct != stale.distinct ||
	    fresh.infected != stale.infected || fresh.generated != stale.generated ||
	    fresh.packets != stale.packets || fresh.packets_only != stale.packets_only ||
	    fresh.has_usual != stale.has_usual || fresh.usual != stale.usual ||
	    fresh.ndays != stale.ndays ||
	    memcmp(fresh.dates, stale.dates, sizeof(fresh.dates)) ||
	    memcmp(fresh.days, stale.days, sizeof(fresh.days)))
		fail("a stale report read differently");
	return 0;
}
