// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the observatory's reading of a town's report
 * (observatory_read_town(), loader/town_report.c): any bytes as the file
 * TOWN.json that another town sent.  It is read three times: fresh with
 * its sources, stale, and with a window that ends before it was made.
 * Asserted: no crash, no undefined behaviour, no leak; the level is a rank
 * in 0..OBSERVATORY_LEVELS-1; the name, the file and every date are
 * NUL-terminated in their arrays, a date is YYYY-MM-DD, at most
 * OBSERVATORY_DAYS of them; a report taken as read (no reason to be unknown)
 * carries a town's name; and being stale changes nothing but the level and
 * the reason.  Its sources for the region are at most
 * OBSERVATORY_SOURCES_MAX, each an IPv4 address (as ::ffff:a.b.c.d) or an
 * IPv6 /64, none special; only a /3 report gives any, and none when the
 * window starts after it was made.
 *
 * stand_in.h takes the place of log.c.  Reports are read through the
 * arena the command uses (observatory_fast_alloc()).
 *
 * fuzz-build: loader/town_report.c loader/out.c loader/weather/words.c
 * fuzz-build: loader/weather/numbers.c maps/cidr.c -ljansson
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
	observatory_fast_alloc(); /* as the command reads them */
	snprintf(path, sizeof(path), "%s/town.json", dir);
	atexit(cleanup);
	return 0;
}

static void check_sources(const struct town *t, const struct town_sources *s)
{
	size_t i;

	if (s->n > OBSERVATORY_SOURCES_MAX)
		fail("more sources than a report may give");
	if (s->n && !t->has_regional)
		fail("sources from a report older than /3");
	for (i = 0; i < s->n; i++) {
		const struct town_source *x = &s->v[i];

		if (x->hi ? x->lo != 0 : (x->lo >> 32) != 0xffff)
			fail("a source neither an IPv4 address nor an IPv6 /64");
		if (town_source_special(x->hi, x->lo))
			fail("a special address given to the region");
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct town fresh, stale, later;
	struct town_sources src = { 0 }, none = { 0 };
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(path);
		abort();
	}
	if (observatory_read_town(path, 100L * 365 * 86400, NOW, &fresh, 0, &src))
		fail("out of memory");
	check(&fresh);
	check_sources(&fresh, &src);
	observatory_read_town(path, 0, NOW, &stale, 0, NULL);
	check(&stale);
	if (fresh.generated < NOW) /* no overflow of a town's year 292 billion */
		observatory_read_town(path, 0, NOW, &later, fresh.generated + 1, &none);
	if (none.n)
		fail("sources from a report made before the window");
	free(src.v);
	free(none.v);
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
