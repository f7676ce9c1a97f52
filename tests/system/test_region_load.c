// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `bouclier feed load NAME FILE --verify KEY.pub` as root, with pins of its
 * own (nothing attached: the state changes, the kernel is not touched): the
 * region's list signed by the observatory is taken and its key and sequence
 * kept in the feed's state; a replayed older list, a tampered one, one
 * signed by another key and one without its signature are refused with exit
 * 65 and the feed's live list and sequence stay as they were.  Skipped
 * without root.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "run.h"

static char dir[64];
static const char *bin;

static void setup(void)
{
	time_t now = time(NULL);
	int t;

	bin = getenv("BOUCLIER");
	if (!bin)
		cr_skip_test("run through `make test` (BOUCLIER unset)");
	if (geteuid() != 0)
		cr_skip_test("feed load needs root");
	snprintf(dir, sizeof(dir), "/tmp/bouclier-region-load-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(sh("mkdir %s/reports && %s keygen %s/k >/dev/null && %s keygen %s/other "
			">/dev/null", dir, bin, dir, bin, dir), 0);
	/* two towns saw 198.51.100.7: the list holds it */
	for (t = 0; t < 2; t++)
		cr_assert_eq(sh("printf '{\"schema\":\"bouclier.weather/3\",\"town\":\"T%d\","
				"\"level\":\"sunny\",\"generated_at_unix\":%lld,\"figures\":"
				"{\"sources\":{\"rows\":[[\"198.51.100.7\",2,%lld]]}}}' > "
				"%s/reports/t%d.json", t, (long long)now, (long long)now, dir, t), 0);
}

static void teardown(void)
{
	if (dir[0])
		sh("rm -rf %s", dir);
}

static void publish(void)
{
	cr_assert_eq(sh("%s observatory %s/reports --publish %s/l --key %s/k >/dev/null 2>&1",
			bin, dir, dir, dir), 0);
}

/* feed load of file, verified with key's public half: its exit code, what
 * it said in out. */
static int load(const char *file, const char *key, char *out, size_t len)
{
	return sh_out(out, len, "BOUCLIER_PIN_DIR=%s/pins %s --state-dir %s/state feed load "
		      "region %s/%s --verify %s/%s.pub 2>&1", dir, bin, dir, dir, file, dir, key);
}

/* The live sequence the feed's state keeps. */
static long long live_sequence(void)
{
	char out[256];

	if (sh_out(out, sizeof(out), "sed -n 's/^# sequence: //p' %s/state/feeds/region.list",
		   dir))
		return -1;
	return atoll(out);
}

Test(region_load, feed_load_verify_refuses_and_keeps_the_live_list, .init = setup,
     .fini = teardown, .timeout = 60)
{
	char out[4096], want[128];
	long long first, second;

	publish();
	cr_assert_eq(sh("cp %s/l %s/l1 && cp %s/l.sig %s/l1.sig", dir, dir, dir, dir), 0);
	cr_assert_eq(load("l", "k", out, sizeof(out)), 0, "%s", out);
	first = live_sequence();
	cr_expect_geq(first, 1795000000, "numbered from the clock");
	publish();
	cr_assert_eq(load("l", "k", out, sizeof(out)), 0, "%s", out);
	second = live_sequence();
	cr_expect_gt(second, first);

	cr_expect_eq(load("l1", "k", out, sizeof(out)), 65, "a replay: %s", out);
	snprintf(want, sizeof(want), "its sequence %lld is older than the live list's %lld", first,
		 second);
	cr_expect(strstr(out, want), "%s", out);
	cr_expect(strstr(out, "The live list stays"), "%s", out);
	cr_expect_eq(live_sequence(), second, "the live list is the one it was");

	cr_expect_eq(load("l", "other", out, sizeof(out)), 65, "another key: %s", out);
	cr_expect(strstr(out, "is signed by key"), "%s", out);

	cr_assert_eq(sh("sed -i 's/198.51.100.7/198.51.100.8/' %s/l1", dir), 0);
	cr_expect_eq(load("l1", "k", out, sizeof(out)), 65, "a tampered byte: %s", out);
	cr_expect(strstr(out, "the signature does not match the list"), "%s", out);

	cr_assert_eq(sh("rm %s/l.sig", dir), 0);
	cr_expect_eq(load("l", "k", out, sizeof(out)), 65, "no signature: %s", out);
	cr_expect(strstr(out, "no signature"), "%s", out);
	cr_expect_eq(live_sequence(), second, "nothing refused changed the live list");
	cr_assert_eq(sh_out(out, sizeof(out), "BOUCLIER_PIN_DIR=%s/pins %s --state-dir %s/state "
			    "feed list --json", dir, bin, dir), 0, "%s", out);
	snprintf(want, sizeof(want), "\"sequence\":%lld", second);
	cr_expect(strstr(out, "\"region\":{\"key\":") && strstr(out, want), "%s", out);
}
