// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The observatory and the region's list, through `bouclier observatory`
 * without root: a town's several reports count once, reports and sources
 * older than the window are left out, the list holds what at least
 * --min-towns towns saw, is signed, numbered one more each time, and a town
 * verifies it; the page says, in both languages, how big the list is, how
 * many towns fed it and what it blocked; and 1,000 towns of 1,000 sources
 * each are read and published (the time is printed, not asserted: the
 * machines are noisy; tools/bench_region.sh measures it with peak memory).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "run.h"
#include "tmpdir.h"

static char dir[64];
static const char *bin;

static void setup(void)
{
	bin = getenv("BOUCLIER");
	if (!bin)
		cr_skip_test("run through `make unit` (BOUCLIER unset)");
	tmpdir_make(dir, sizeof(dir), "obs");
	cr_assert_eq(mkdir(strcat(strcpy((char[128]){ 0 }, dir), "/reports"), 0700), 0);
	cr_assert_eq(sh("%s keygen %s/region.key >/dev/null", bin, dir), 0);
}

static void teardown(void)
{
	if (bin)
		tmpdir_remove(dir);
}

/* A /3 report of town, made at when, naming the sources addrs (each last
 * seen at when), with regional attacks; written through jansson as
 * `weather --json` writes it, into dir/reports/file. */
static void report(const char *file, const char *town, time_t when, const char *const *addrs,
		   int n, unsigned long long regional)
{
	json_t *j = json_object(), *fig = json_object(), *src = json_object();
	json_t *rows = json_array();
	char path[256];
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(rows, json_pack("[s, i, I, [s], [s], n]", addrs[i], 2,
						      (json_int_t)when, "ssh", "scanners"));
	json_object_set_new(src, "rows", rows);
	json_object_set_new(fig, "attacks", json_integer(100));
	json_object_set_new(fig, "packets", json_integer(1000));
	json_object_set_new(fig, "regional", json_integer(regional));
	json_object_set_new(fig, "sources", src);
	json_object_set_new(j, "schema", json_string("bouclier.weather/3"));
	json_object_set_new(j, "town", json_string(town));
	json_object_set_new(j, "level", json_string("light rain"));
	json_object_set_new(j, "generated_at_unix", json_integer(when));
	json_object_set_new(j, "figures", fig);
	snprintf(path, sizeof(path), "%s/reports/%s", dir, file);
	cr_assert_eq(json_dump_file(j, path, JSON_COMPACT), 0, "%s", path);
	json_decref(j);
}

/* The list's entries, one a line, from `feed check --print`. */
static int entries(char *out, size_t len)
{
	return sh_out(out, len, "%s feed check %s/region.list --verify %s/region.key.pub --print",
		      bin, dir, dir);
}

Test(observatory, the_regions_list_from_towns_reports, .init = setup, .fini = teardown)
{
	static const char *const a[] = { "198.51.100.7", "2001:db8:1:2::/64", "203.0.113.5",
					 "10.0.0.1" };
	static const char *const b[] = { "198.51.100.7", "2001:db8:1:2:aaaa::1", "10.0.0.1" };
	static const char *const c[] = { "203.0.113.77", "192.0.2.44" };
	static const char *const old[] = { "192.0.2.44", "198.51.100.99" };
	time_t now = time(NULL);
	char out[65536];
	json_t *j, *region;
	json_int_t seq;

	report("a-10h.json", "Aville", now - 3600, a, 4, 7);
	report("a-11h.json", "Aville", now - 60, a, 3, 9); /* the same town, an hour later */
	report("b.json", "Bville", now - 60, b, 3, 5);
	report("c.json", "Cville", now - 60, c, 2, 0);
	report("d-old.json", "Dville", now - 2 * 86400, old, 2, 0); /* out of the window */
	report("c-old.json", "Cville", now - 3 * 86400, old, 2, 0);
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s/reports --publish %s/region.list "
			    "--key %s/region.key --json 2>&1", bin, dir, dir, dir), 0, "%s", out);
	j = json_loads(strchr(out, '{'), 0, NULL);
	cr_assert_not_null(j, "%s", out);
	cr_expect_eq(json_integer_value(json_object_get(j, "towns_count")), 4, "%s", out);
	region = json_object_get(j, "region");
	cr_expect_eq(json_integer_value(json_object_get(region, "entries")), 2,
		     "198.51.100.7 and 2001:db8:1:2::/64, in two towns each: %s", out);
	cr_expect_eq(json_integer_value(json_object_get(region, "towns_fed")), 2);
	seq = json_integer_value(json_object_get(region, "sequence"));
	cr_expect_geq(seq, (json_int_t)now, "numbered from the clock: %s", out);
	cr_expect_eq(json_integer_value(json_object_get(region,
							"attacks_blocked_seen_first_elsewhere")),
		     14, "Aville's newest report (9) and Bville's (5): %s", out);
	json_decref(j);
	cr_assert_eq(entries(out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, "198.51.100.7/32\n2001:db8:1:2::/64\n",
			 "never 10.0.0.1, however many towns name it");

	/* Dville, now, sees what Cville saw: next list, next sequence */
	report("d.json", "Dville", now - 60, c, 2, 0);
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s/reports --publish %s/region.list "
			    "--key %s/region.key --format html --lang fr 2>&1", bin, dir, dir, dir),
		     0, "%s", out);
	cr_expect(strstr(out, "4 sources ont attaqué au moins 2 communes en 24 heures ; 4 "
			      "communes les ont vues."), "%s", out);
	cr_expect(strstr(out, "14 attaques ont été bloquées dans une commune parce qu&#39;une "
			      "autre commune avait vu la source la première."), "%s", out);
	cr_expect(strstr(out, "numéro ") && atoll(strstr(out, "numéro ") + strlen("numéro ")) > seq,
		  "the next list, a later number: %s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s/reports --min-towns 3 "
			    "--format html 2>&1", bin, dir), 0, "%s", out);
	cr_expect(strstr(out, "0 sources attacked at least 3 towns within 24 hours; 0 towns saw "
			      "them."), "%s", out);
	cr_expect(strstr(out, "14 attacks were blocked in a town because another town saw the "
			      "source first."), "%s", out);
	cr_assert_eq(entries(out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "203.0.113.77/32"), "%s", out);
	cr_expect_eq(sh_out(out, sizeof(out), "%s observatory %s/reports --publish %s/x.list 2>&1",
			    bin, dir, dir), 64, "--publish without --key: %s", out);
}

/* What may never become the region's list: one published from too few
 * reports (the reports stopped arriving), sightings of names the roster
 * does not have (one writer posing as several towns), a report from the
 * future (it would never go stale). */
Test(observatory, what_a_list_is_not_made_of, .init = setup, .fini = teardown)
{
	static const char *const a[] = { "198.51.100.7", "203.0.113.5" };
	static const char *const fake[] = { "198.51.100.7", "192.0.2.99" };
	static const char *const b[] = { "203.0.113.5" };
	time_t now = time(NULL);
	char out[65536], roster[128], roster_opt[160];
	FILE *f;

#define PUBLISH(extra) sh_out(out, sizeof(out), "%s observatory %s/reports --publish " \
			      "%s/region.list --key %s/region.key %s 2>&1", bin, dir, dir, dir, \
			      extra)
	report("a.json", "Aville", now - 60, a, 2, 0);
	report("b-old.json", "Bville", now - 3 * 86400, b, 1, 0);
	cr_expect_eq(PUBLISH(""), 75, "one town in the window, two wanted: %s", out);
	cr_expect(strstr(out, "not published: 1 towns sent a readable report made within the "
			      "window"), "%s", out);
	cr_expect_neq(access(strcat(strcpy((char[128]){ 0 }, dir), "/region.list"), F_OK), 0,
		      "nothing written");

	report("b.json", "Bville", now - 60, b, 1, 0);
	report("f1.json", "Fake1", now - 60, fake, 2, 0);
	report("f2.json", "Fake2", now - 60, fake, 2, 0);
	cr_assert_eq(PUBLISH(""), 0, "%s", out);
	cr_assert_eq(entries(out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, "192.0.2.99/32\n198.51.100.7/32\n203.0.113.5/32\n",
			 "without a roster, every name counts");

	snprintf(roster, sizeof(roster), "%s/roster", dir);
	f = fopen(roster, "w");
	cr_assert_not_null(f);
	fprintf(f, "Aville\nBville\nCville\n");
	fclose(f);
	snprintf(roster_opt, sizeof(roster_opt), "--roster %s", roster);
	cr_assert_eq(PUBLISH(roster_opt), 0, "%s", out);
	cr_expect(strstr(out, "town \"Fake1\" is not on the roster"), "%s", out);
	cr_assert_eq(entries(out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, "203.0.113.5/32\n", "only the roster's towns count");

	/* Cville's clock is a day ahead: its report is no sighting */
	report("c.json", "Cville", now + 86400, fake, 2, 0);
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s/reports --publish %s/region.list "
			    "--key %s/region.key --roster %s --json 2>&1", bin, dir, dir, dir,
			    roster), 0, "%s", out);
	cr_expect(strstr(out, "c.json: made 86400 seconds in the future") ||
		  strstr(out, "c.json: made 86399 seconds in the future"), "%s", out);
	cr_assert_eq(entries(out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, "203.0.113.5/32\n", "Cville and Aville do not make two");
#undef PUBLISH
}

/* 1,000 towns of 1,000 sources each: a third of each town's from a pool of
 * 5,000 scanners every town meets, the rest its own. */
Test(observatory, a_thousand_towns_are_read_and_published, .init = setup, .fini = teardown,
     .timeout = 300)
{
	time_t now = time(NULL);
	struct timespec t0, t1;
	char out[4096], addr[32];
	const char *rows[1000];
	static char pool[1000][32];
	int t, i;

	srand(21);
	for (t = 0; t < 1000; t++) {
		char name[32], file[32];

		for (i = 0; i < 1000; i++) {
			unsigned int x = i < 333 ? (unsigned int)rand() % 5000
						 : 100000u + t * 1000u + i;

			snprintf(addr, sizeof(addr), "%u.%u.%u.%u", 11 + (x >> 16) % 100,
				 (x >> 8) & 255, x & 255, 1 + t % 200);
			if (i < 333) /* the pool: the same address in every town */
				snprintf(addr, sizeof(addr), "%u.%u.%u.9", 11 + (x >> 16) % 100,
					 (x >> 8) & 255, x & 255);
			snprintf(pool[i], sizeof(pool[i]), "%s", addr);
			rows[i] = pool[i];
		}
		snprintf(name, sizeof(name), "town-%04d", t);
		snprintf(file, sizeof(file), "town-%04d.json", t);
		report(file, name, now - 60, rows, 1000, t);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s/reports --publish %s/region.list "
			    "--key %s/region.key --json | head -c 1000", bin, dir, dir, dir),
		     0, "%s", out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_log_info("observatory: 1,000 towns' reports read and published in %.2f s",
		    (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	fprintf(stderr, "observatory: 1,000 towns' reports read and published in %.2f s\n",
		(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	cr_expect(strstr(out, "\"towns_count\":1000"), "%s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "%s feed check %s/region.list --verify "
			    "%s/region.key.pub", bin, dir, dir), 0, "%s", out);
	cr_expect(strstr(out, "region format"), "%s", out);
}
