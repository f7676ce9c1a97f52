// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "commands.h"
#include "config.h"

static char path[64];

static void write_conf(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/bouclier-conf-%d.conf", getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void cleanup(void)
{
	unlink(path);
}

Test(config, a_full_file_with_defaults, .fini = cleanup)
{
	struct config c;

	write_conf("# comment\n[general]\ntown = Saint-Exemple  # trailing\nstale_after = 2d\n"
		   "[feed drop]\ncategory = hijacked-netblocks\nurl = https://example.org/a#b\n"
		   "max_shrink = 0.25\n[feed local]\npath = /srv/list.txt\nformat = netset\n"
		   "[allow]\n192.0.2.0/28\n2001:db8::/32\n[weather]\nstorm = 500\n");
	cr_assert_eq(config_load(path, &c), 0);
	cr_assert_str_eq(c.town, "Saint-Exemple");
	cr_assert_eq(c.stale_after, 2 * 86400);
	cr_assert_eq(c.nfeeds, 2);
	cr_assert_str_eq(c.feeds[0].url, "https://example.org/a#b", "a URL keeps its #fragment");
	cr_assert_float_eq(c.feeds[0].max_shrink, 0.25, 1e-9);
	cr_assert_float_eq(c.feeds[1].max_shrink, 0.5, 1e-9, "the default max_shrink");
	cr_assert_eq(c.feeds[1].format, FEED_NETSET);
	cr_assert_eq(c.nallow, 2);
	cr_assert_eq(c.weather[0], 1);
	cr_assert_eq(c.weather[1], 500);
	cr_assert_eq(c.weather[2], 100000);
	config_free(&c);
}

Test(config, every_problem_is_refused_with_exit_78, .fini = cleanup)
{
	static const char *const bad[] = {
		"[feed x]\nformat = csvv\npath = /x\n",
		"[feed x]\nurl = ftp://example.org/x\n",
		"[feed x]\n",
		"[feed x]\npath = /a\nurl = https://b\n",
		"[feed bad name]\npath = /x\n",
		"[general]\nmax_shrink = 2\n",
		"[general]\nstale_after = soon\n",
		"[weather]\nstorm = 10\nlight_rain = 20\n",
		"[allow]\n010.0.0.1\n",
		"[nonsense]\n",
		"town = x\n",
		"[feed x]\npath = /a\n[feed x]\npath = /b\n",
	};
	size_t i;
	struct config c;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_conf(bad[i]);
		cr_expect_eq(config_load(path, &c), -E_CONFIG, "accepted:\n%s", bad[i]);
		config_free(&c);
	}
	cr_expect_eq(config_load("/nonexistent/bouclier.conf", &c), -ENOENT);
}
