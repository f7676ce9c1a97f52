// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The weather: level rules, the midnight boundary and DST days (with an
 * injected clock and time zone), counter resets, the distinct-source
 * estimate, each output format (promtool, headless Chromium), the
 * observatory over 100 towns, and the level moving on a live filter.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "lab.h"
#include "weather.h"

static time_t local(const char *tz, int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			 .tm_min = mi, .tm_isdst = -1 };

	setenv("TZ", tz, 1);
	tzset();
	return mktime(&tm);
}

static struct wslot slot_at(time_t t, __u64 pkts)
{
	struct wslot s = { .slot = (__u64)t / BOUCLIER_SLOT_SECONDS, .pkts = pkts,
			   .bytes = pkts * 100 };

	s.proto[BOUCLIER_P_TCP] = pkts;
	s.ports[BOUCLIER_PORT_SSH] = pkts;
	s.sets[1] = pkts;
	return s;
}

static void input(struct winput *in, time_t now, struct wslot *slots, size_t n)
{
	memset(in, 0, sizeof(*in));
	in->now = now;
	strcpy(in->town, "Testville");
	in->thresholds[0] = 1;
	in->thresholds[1] = 10;
	in->thresholds[2] = 100;
	in->stale_after = 3600;
	in->attached = 1;
	in->lists_loaded_at = now - 60;
	in->nfeeds = 1;
	strcpy(in->feeds[0].name, "scanners");
	strcpy(in->feeds[0].category, "scanners");
	in->set_feeds[1] = 1;
	in->slots = slots;
	in->nslots = n;
}

Test(weather, levels_follow_the_thresholds_and_unknown_wins)
{
	time_t now = local("Europe/Paris", 2026, 11, 28, 14, 0);
	static const __u64 attacks[] = { 0, 1, 9, 10, 99, 100, 5000 };
	static const enum level want[] = { LEVEL_SUNNY, LEVEL_LIGHT_RAIN, LEVEL_LIGHT_RAIN,
					   LEVEL_STORM, LEVEL_STORM, LEVEL_TORNADO, LEVEL_TORNADO };
	struct wslot s;
	struct winput in;
	struct wreport r;
	size_t i;

	for (i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
		s = slot_at(now - 3600, attacks[i]);
		input(&in, now, &s, 1);
		weather_compute(&in, &r);
		cr_assert_eq(r.level, want[i], "%llu attacks: %s", (unsigned long long)attacks[i],
			     weather_level_name(r.level, "en"));
		cr_assert_eq(r.attacks, attacks[i]);
	}
	in.attached = 0;
	weather_compute(&in, &r);
	cr_assert_eq(r.level, LEVEL_UNKNOWN, "a filter that is down is never sunny");
	input(&in, now, NULL, 0);
	in.lists_loaded_at = now - 7200;
	weather_compute(&in, &r);
	cr_assert_eq(r.level, LEVEL_UNKNOWN, "stale lists");
	cr_assert(strstr(r.reason, "stale"));
	in.lists_loaded_at = 0;
	weather_compute(&in, &r);
	cr_assert_eq(r.level, LEVEL_UNKNOWN, "no list");
	cr_assert_str_eq(weather_level_name(LEVEL_STORM, "fr"), "orage");
	cr_assert_str_eq(weather_level_name(LEVEL_UNKNOWN, "fr"), "inconnu");
}

Test(weather, midnight_splits_today_from_yesterday)
{
	time_t now = local("Europe/Paris", 2026, 11, 28, 0, 30);
	struct wslot s[3];
	struct winput in;
	struct wreport r;

	s[0] = slot_at(local("Europe/Paris", 2026, 11, 27, 23, 45), 7);  /* yesterday */
	s[1] = slot_at(local("Europe/Paris", 2026, 11, 28, 0, 0), 3);    /* the first slot */
	s[2] = slot_at(local("Europe/Paris", 2026, 11, 26, 12, 0), 11); /* the day before */
	input(&in, now, s, 3);
	weather_compute(&in, &r);
	cr_assert_eq(r.attacks, 3);
	cr_assert_eq(r.yesterday, 7);
	cr_assert_eq(r.hourly[0], 3);
	cr_assert_eq(r.feed_attacks[0], 3);
	cr_assert_eq(r.ports[BOUCLIER_PORT_SSH], 3);
	cr_assert_eq(r.days[WEATHER_DAYS - 1], 3);
	cr_assert_eq(r.days[WEATHER_DAYS - 2], 7);
	cr_assert_eq(r.days[WEATHER_DAYS - 3], 11);
	cr_assert_eq(r.week_days, 2);
	cr_assert_float_eq(r.week_average, 9.0, 1e-9);
	/* The same instant seen from New York is still the 27th there. */
	now = local("America/New_York", 2026, 11, 27, 18, 30);
	input(&in, now, s, 3);
	weather_compute(&in, &r);
	cr_assert_eq(r.attacks, 10, "New York's day holds both Paris slots");
}

static void dst_day(int month, int day, int hours, int repeated_hour)
{
	time_t m = local("Europe/Paris", 2026, month, day, 0, 0), now;
	struct wslot s[25];
	struct winput in;
	struct wreport r;
	int k, seen = 0;

	now = local("Europe/Paris", 2026, month, day, 23, 50);
	for (k = 0; k < hours; k++)
		s[k] = slot_at(m + k * 3600 + 60, k + 1);
	input(&in, now, s, hours);
	weather_compute(&in, &r);
	cr_assert_eq(r.nhours, hours, "%d-%d has %d hours, got %d", month, day, hours, r.nhours);
	for (k = 0; k < hours; k++)
		cr_assert_eq(r.hourly[k], (__u64)k + 1, "hour %d", k);
	cr_assert_eq(r.attacks, (__u64)hours * (hours + 1) / 2);
	for (k = 0; k < hours; k++)
		seen += r.hour_label[k] == repeated_hour;
	cr_assert_eq(seen, repeated_hour >= 0 ? 2 : 0, "wall-clock hour %d", repeated_hour);
}

Test(weather, dst_days_have_23_and_25_hours)
{
	dst_day(3, 29, 23, -1); /* 02:00 does not exist */
	dst_day(10, 25, 25, 2); /* 02:00 happens twice */
	dst_day(11, 28, 24, -1);
}

Test(weather, a_counter_reset_never_lowers_or_doubles_a_figure)
{
	time_t now = local("UTC", 2026, 11, 28, 12, 0);
	struct wslot *v = NULL, a = slot_at(now - 1800, 100), b = slot_at(now - 1800, 10);
	size_t n = 0;

	cr_assert_eq(weather_slots_merge(&v, &n, &a), 0);
	cr_assert_eq(weather_slots_merge(&v, &n, &b), 0); /* the kernel restarted mid-slot */
	cr_assert_eq(n, 1);
	cr_assert_eq(v[0].pkts, 100);
	b.pkts = 150; /* the kernel's copy grew past the history's */
	cr_assert_eq(weather_slots_merge(&v, &n, &b), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(v[0].pkts, 150);
	free(v);
}

Test(weather, distinct_sources_are_estimated_within_a_few_percent)
{
	static const int counts[] = { 1, 10, 200, 5000, 100000 };
	size_t c;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		__u8 regs[BOUCLIER_HLL_REGS] = { 0 };
		double e;
		int i;

		for (i = 0; i < counts[c]; i++) {
			/* the kernel's own register update, for ::ffff:198.51.x.y */
			bouclier_hll_add(regs, bouclier_hll_hash(0, 0xffff00000000ULL | (0xc6330000u + i)));
		}
		e = weather_hll_estimate(regs);
		cr_assert(e > counts[c] * 0.8 - 1 && e < counts[c] * 1.2 + 1, "%d sources: %.0f",
			  counts[c], e);
	}
}

static void report_file(const char *path, const char *fmt, time_t now, __u64 attacks,
			const char *town)
{
	struct wslot s = slot_at(now - 600, attacks);
	struct winput in;
	struct wreport r;
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	input(&in, now, &s, 1);
	snprintf(in.town, sizeof(in.town), "%s", town);
	weather_compute(&in, &r);
	if (!strcmp(fmt, "prom")) {
		struct bouclier_stats sum = { .pkts = { 5, attacks } };
		__u64 fp[BOUCLIER_MAX_FEEDS] = { attacks }, fb[BOUCLIER_MAX_FEEDS] = { attacks * 100 };

		weather_prom(f, &r, &sum, fp, fb);
	} else if (!strcmp(fmt, "html")) {
		weather_html(f, &r, "fr");
	} else {
		weather_json(f, &r);
	}
	fclose(f);
}

Test(weather, prometheus_output_passes_promtool)
{
	char path[128], cmd[256];

	if (system("command -v promtool >/dev/null"))
		cr_skip_test("promtool is not installed (Debian package prometheus)");
	snprintf(path, sizeof(path), "/tmp/bouclier-prom-%d.prom", getpid());
	report_file(path, "prom", time(NULL), 42, "Saint-\"Quote\" town");
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1", path);
	cr_assert_eq(system(cmd), 0, "promtool refused %s", path);
	unlink(path);
}

Test(weather, html_is_self_contained_and_renders_in_chromium, .timeout = 120)
{
	char html[128], png[128], cmd[1024], page[65536], profile[128];
	struct stat st;
	FILE *f;
	size_t n;

	snprintf(html, sizeof(html), "/tmp/bouclier-weather-%d.html", getpid());
	snprintf(png, sizeof(png), "/tmp/bouclier-weather-%d.png", getpid());
	snprintf(profile, sizeof(profile), "/tmp/bouclier-chromium-%d", getpid());
	report_file(html, "html", time(NULL), 1234, "Saint-Exemple");
	f = fopen(html, "r");
	n = fread(page, 1, sizeof(page) - 1, f);
	page[n] = 0;
	fclose(f);
	cr_assert(strstr(page, "<svg"), "the weather picture is inline SVG");
	cr_assert(strstr(page, "tornade"), "French level word");
	cr_assert_null(strstr(page, "<script"), "no script");
	cr_assert_null(strstr(page, "src="), "no outside asset");
	cr_assert_null(strstr(page, "href="), "no outside asset");
	if (system("command -v chromium >/dev/null")) {
		unlink(html);
		cr_skip_test("chromium is not installed");
	}
	snprintf(cmd, sizeof(cmd), "timeout 90 chromium --headless --no-sandbox --disable-gpu "
		 "--disable-quic --no-first-run --disable-background-networking "
		 "--disable-component-update --disable-sync --user-data-dir=%s "
		 "--window-size=800,1200 --screenshot=%s file://%s >/dev/null 2>&1",
		 profile, png, html);
	system(cmd);
	cr_assert_eq(stat(png, &st), 0, "chromium wrote no screenshot");
	cr_assert_gt(st.st_size, 10000, "the screenshot is nearly empty (%ld bytes)",
		     (long)st.st_size);
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s %s", html, png, profile);
	system(cmd);
}

Test(weather, observatory_ranks_a_hundred_towns, .timeout = 60)
{
	const char *bin = getenv("BOUCLIER");
	char dir[128], path[256], out[262144], cmd[512];
	time_t now = time(NULL);
	unsigned long long total = 0;
	int i;

	if (!bin)
		cr_skip_test("run through `make test` (BOUCLIER unset)");
	snprintf(dir, sizeof(dir), "/tmp/bouclier-obs-%d", getpid());
	mkdir(dir, 0755);
	for (i = 0; i < 100; i++) {
		__u64 attacks = i == 42 ? 250000 : (__u64)(i * 37) % 500;
		time_t when = i % 10 == 9 ? now - 5 * 3600 : now; /* every tenth is stale */
		char town[32];

		snprintf(town, sizeof(town), "town-%03d", i);
		snprintf(path, sizeof(path), "%s/%s.json", dir, town);
		report_file(path, "json", when, attacks, town);
		total += attacks; /* a stale town counts as it last reported */
	}
	snprintf(path, sizeof(path), "%s/broken.json", dir);
	{
		FILE *f = fopen(path, "w");

		fputs("{\"schema\":\"bouclier.weather/1\",\"town\":", f); /* cut short */
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/roster.txt", dir);
	{
		FILE *f = fopen(path, "w");

		fputs("town-000\ntown-missing\n", f);
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd), "%s observatory %s --roster %s --json", bin, dir, path);
	cr_assert_eq(sh_out(out, sizeof(out), "%s", cmd), 0, "%s", out);
	cr_assert(strstr(out, "\"towns_count\":102"), "100 towns, a broken report, a missing "
		  "town: %.300s", out);
	cr_assert(strstr(out, "\"towns\":[{\"town\":\"town-042\",\"level\":\"tornado\""),
		  "the worst town first: %.300s", out);
	cr_assert(strstr(out, "\"unknown\":12"), "10 stale + 1 broken + 1 missing: %.300s", out);
	cr_assert(strstr(out, "\"why\":\"no report\""));
	cr_assert(strstr(out, "\"why\":\"stale report\""));
	{
		char want[64];

		snprintf(want, sizeof(want), "\"towns_count\":102,\"attacks\":%llu,", total);
		cr_assert(strstr(out, want), "regional total %s: %.200s", want, out);
	}
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s", bin, dir), 0);
	cr_assert(strstr(out, "101 towns"), "%.200s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s --format html", bin, dir), 0);
	cr_assert(strstr(out, "<table>") && !strstr(out, "<script"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	system(cmd);
}

Test(weather, the_level_moves_with_real_traffic, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384], conf[512];
	FILE *f;

	sh("mkdir -p %s", lab.state);
	snprintf(conf, sizeof(conf), "%s/bouclier.conf", lab.state);
	f = fopen(conf, "w");
	fprintf(f, "[general]\ntown = Labville\nstate_dir = %s\n[feed scan]\npath = %s/scan.txt\n"
		   "category = scanners\n[weather]\nlight_rain = 1\nstorm = 30\ntornado = 100000\n",
		lab.state, lab.state);
	fclose(f);
	sh("printf '198.51.100.7\\n' > %s/scan.txt", lab.state);
	setenv("BOUCLIER_CONFIG", conf, 1);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "refresh"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "weather --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"level\":\"sunny\""), "%s", out);
	cr_expect(strstr(out, "\"town\":\"Labville\""), "%s", out);

	ping_from("198.51.100.7", "192.0.2.1", 5);
	bouclier(out, sizeof(out), "weather --json");
	cr_expect(strstr(out, "\"level\":\"light rain\""), "%s", out);
	cr_expect(strstr(out, "\"attacks\":5,"), "%s", out);

	ping_from("198.51.100.7", "192.0.2.1", 30);
	bouclier(out, sizeof(out), "weather --lang fr");
	cr_expect(strstr(out, "orage"), "%s", out);
	bouclier(out, sizeof(out), "weather --json");
	cr_expect(strstr(out, "\"level\":\"storm\""), "%s", out);
	cr_expect(strstr(out, "{\"name\":\"scan\",\"category\":\"scanners\",\"attacks\":35}"), "%s", out);
	cr_expect(strstr(out, "\"distinct_sources\":1,"), "%s", out);
	cr_expect(strstr(out, "\"address\":\"198.51.100.7\""), "top source: %s", out);

	cr_assert_eq(bouclier(out, sizeof(out), "record"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "history --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"attacks\":35"), "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "detach wan0"), 0, "%s", out);
	bouclier(out, sizeof(out), "weather --json");
	cr_expect(strstr(out, "\"level\":\"unknown\""), "unknown after detach: %s", out);
	cr_expect(strstr(out, "\"attacks\":35"), "the history keeps today's figures: %s", out);
}
