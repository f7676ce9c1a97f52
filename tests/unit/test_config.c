// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctx.h"
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

/* Each text is refused as a whole, exit 78. */
static void refused(const char *const *bad, size_t n)
{
	struct config c;
	size_t i;

	for (i = 0; i < n; i++) {
		write_conf(bad[i]);
		cr_expect_eq(config_load(path, &c), -E_CONFIG, "accepted:\n%s", bad[i]);
		config_free(&c);
	}
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
	cr_assert_eq(c.weather[2], 10000);
	cr_assert(c.weather_absolute, "a threshold written in the file makes the levels absolute");
	config_free(&c);
}

Test(config, the_levels_follow_the_usual_unless_told, .fini = cleanup)
{
	struct config c;

	write_conf("[weather]\nflood_sources = 0\n");
	cr_assert_eq(config_load(path, &c), 0);
	cr_assert_not(c.weather_absolute, "without thresholds, the town's usual decides");
	cr_assert_eq(c.storm_floor, 20);
	cr_assert_eq(c.tornado_floor, 200);
	cr_assert_eq(c.flood_sources, 0);
	config_free(&c);
	write_conf("[weather]\nlevels = usual\nstorm = 50\n");
	cr_assert_eq(config_load(path, &c), 0);
	cr_assert_not(c.weather_absolute, "levels = usual keeps thresholds for the first week");
	config_free(&c);
	write_conf("[weather]\nlevels = absolute\n");
	cr_assert_eq(config_load(path, &c), 0);
	cr_assert(c.weather_absolute);
	config_free(&c);
	write_conf("[weather]\nlevels = relative\n");
	cr_assert_eq(config_load(path, &c), -E_CONFIG);
	write_conf("[weather]\nstorm_floor = 300\ntornado_floor = 200\n");
	cr_assert_eq(config_load(path, &c), -E_CONFIG);
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
	struct config c;

	refused(bad, sizeof(bad) / sizeof(bad[0]));
	cr_expect_eq(config_load("/nonexistent/bouclier.conf", &c), -ENOENT);
}

/* A CrowdSec LAPI feed is polled by watch, not compiled: it leaves feeds[]
 * for lapis[], and what only a list can have is refused. */
Test(config, a_lapi_feed_stands_apart_from_the_lists, .fini = cleanup)
{
	static const char *const bad[] = {
		"[feed cs]\nlapi = http://127.0.0.1:8080/\n",
		"[feed cs]\nlapi = http://127.0.0.1:8080/\napi_key_file = key\n",
		"[feed cs]\nlapi = file:///srv/x\napi_key_file = /k\n",
		"[feed cs]\nlapi = http://a/\napi_key_file = /k\npath = /x\n",
		"[feed cs]\nlapi = http://a/\napi_key_file = /k\nformat = crowdsec\n",
		"[feed cs]\nlapi = http://a/\napi_key_file = /k\naction = monitor\n",
		"[feed cs]\nlapi = http://a/\napi_key_file = /k\nlapi_interval = 2h\n",
		"[feed cs]\nlapi = http://a/\napi_key_file = /k\nlapi_interval = 0s\n",
		"[feed x]\npath = /x\napi_key_file = /k\n",
		"[feed x]\npath = /x\nlapi_interval = 30s\n",
		"[feed a]\nlapi = http://a/\napi_key_file = /k\n[feed b]\nlapi = http://a/\n"
		"api_key_file = /k\n[feed c]\nlapi = http://a/\napi_key_file = /k\n[feed d]\n"
		"lapi = http://a/\napi_key_file = /k\n[feed e]\nlapi = http://a/\n"
		"api_key_file = /k\n",
	};
	struct config c;

	refused(bad, sizeof(bad) / sizeof(bad[0]));
	write_conf("[feed drop]\nurl = https://example.org/drop.txt\n[feed cs]\n"
		   "lapi = https://127.0.0.1:8080/\napi_key_file = /etc/bouclier/cs.key\n"
		   "category = crowdsec\n[feed cs2]\nlapi = http://[::1]:8080\n"
		   "api_key_file = /k\nlapi_interval = 1m\ndirection = in\n");
	cr_assert_eq(config_load(path, &c), 0);
	cr_assert_eq(c.nfeeds, 1, "only the list is a feed to refresh");
	cr_assert_str_eq(c.feeds[0].name, "drop");
	cr_assert_eq(c.nlapis, 2);
	cr_assert_str_eq(c.lapis[0].name, "cs");
	cr_assert_str_eq(c.lapis[0].lapi, "https://127.0.0.1:8080/");
	cr_assert_str_eq(c.lapis[0].api_key_file, "/etc/bouclier/cs.key");
	cr_assert_eq(c.lapis[0].lapi_interval, 10, "10 s by default");
	cr_assert_eq(c.lapis[0].direction, DIR_BOTH, "both ways, as `ban import`");
	cr_assert_eq(c.lapis[1].lapi_interval, 60);
	cr_assert_eq(c.lapis[1].direction, DIR_IN);
	config_free(&c);
	write_conf("[feed cs]\nlapi = http://a/\napi_key_file = /k\n[feed cs]\npath = /x\n");
	cr_expect_eq(config_load(path, &c), -E_CONFIG, "one name for a list and a LAPI feed");
	config_free(&c);
}

Test(config, free_text_names_are_checked_at_the_door, .fini = cleanup)
{
	static const char *const bad[] = {
		"[general]\ntown = Saint-\x1b[31mEvil\n",
		"[general]\ntown = \xc3\n",                /* cut UTF-8 */
		"[general]\ntown = \xc0\xaf\n",            /* overlong '/' */
		"[feed x]\npath = /x\ncategory = bad\"cat\n",
		"[feed x]\npath = /x\ncategory = two words\n",
		"[feed x]\nurl = https://example.org/a list.txt\n",
	};
	struct config c;

	refused(bad, sizeof(bad) / sizeof(bad[0]));
	write_conf("[general]\ntown = Le \"Bourg\" à Saint-Étienne\n[feed x]\npath = /x\n"
		   "category = botnet-c2\n");
	cr_assert_eq(config_load(path, &c), 0);
	cr_assert_str_eq(c.town, "Le \"Bourg\" à Saint-Étienne");
	cr_assert_str_eq(c.feeds[0].category, "botnet-c2");
	config_free(&c);
	cr_assert(town_name_ok("Ville-d'Avray"));
	cr_assert_not(town_name_ok(""));
	cr_assert_not(category_name_ok("a\"b"));
	cr_assert_not(feed_name_ok(".hidden"));
}

/* One resolution for every command: option, then environment, then the
 * configuration, then the default. */
Test(config, the_state_directory_is_resolved_once, .fini = cleanup)
{
	struct ctx c;

	unsetenv("BOUCLIER_STATE_DIR");
	write_conf("[general]\nstate_dir = /srv/bouclier\n");
	memset(&c, 0, sizeof(c));
	c.opt_config = path;
	cr_assert_eq(ctx_resolve(&c, false), 0);
	cr_assert_str_eq(c.state_dir, "/srv/bouclier");
	cr_assert_str_eq(c.state_dir_from, "config");
	ctx_free(&c);

	setenv("BOUCLIER_STATE_DIR", "/tmp/from-env", 1);
	memset(&c, 0, sizeof(c));
	c.opt_config = path;
	cr_assert_eq(ctx_resolve(&c, false), 0);
	cr_assert_str_eq(c.state_dir, "/tmp/from-env");
	cr_assert_str_eq(c.cfg.state_dir, "/tmp/from-env", "downloads follow the state");
	ctx_free(&c);

	memset(&c, 0, sizeof(c));
	c.opt_config = path;
	c.opt_state_dir = "/tmp/from-option";
	cr_assert_eq(ctx_resolve(&c, false), 0);
	cr_assert_str_eq(c.state_dir, "/tmp/from-option");
	ctx_free(&c);
	unsetenv("BOUCLIER_STATE_DIR");

	/* A configuration named on the command line must exist; a bad one stops
	 * every command (exit 78) rather than fall back to another directory. */
	memset(&c, 0, sizeof(c));
	c.opt_config = "/nonexistent/bouclier.conf";
	cr_assert_eq(ctx_resolve(&c, false), -E_CONFIG);
	ctx_free(&c);
	write_conf("[general]\nstate_dir = relative/dir\n");
	memset(&c, 0, sizeof(c));
	c.opt_config = path;
	cr_assert_eq(ctx_resolve(&c, false), -E_CONFIG);
	ctx_free(&c);
}

/* bouclier runs as root: a configuration another account can change would
 * hand it root's pen. */
Test(config, a_file_others_can_write_is_refused, .fini = cleanup)
{
	struct config c;

	write_conf("[general]\ntown = Safe\n");
	cr_assert_eq(chmod(path, 0666), 0);
	cr_expect_eq(config_load(path, &c), -E_CONFIG, "writable by every account");
	config_free(&c);
	cr_assert_eq(chmod(path, 0600), 0);
	cr_expect_eq(config_load(path, &c), 0);
	config_free(&c);
	if (geteuid() == 0) {
		cr_assert_eq(chown(path, 65534, 0), 0);
		cr_expect_eq(config_load(path, &c), -E_CONFIG, "owned by another account");
		config_free(&c);
		cr_assert_eq(chown(path, 0, 65534), 0);
		cr_assert_eq(chmod(path, 0660), 0);
		cr_expect_eq(config_load(path, &c), -E_CONFIG, "writable by a group other than root");
		config_free(&c);
	}
}
