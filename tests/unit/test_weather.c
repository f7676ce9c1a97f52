// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The weather's computation: level rules, the midnight boundary and DST
 * days (with an injected clock and time zone), counter resets, the
 * distinct-source estimate, and the words of both languages.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>
#include "weather_input.h"
#include "lcg.h"

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
	cr_assert_eq(r.feed_packets[0], 3);
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


/* The clock steps back over midnight (an NTP correction at 00:02): the
 * figures stay those of the day the clock now says, nothing goes negative,
 * and what was counted "after" now is kept for when that time comes. */
Test(weather, the_clock_stepping_back_over_midnight)
{
	time_t after = local("Europe/Paris", 2026, 11, 28, 0, 2),
	       before = local("Europe/Paris", 2026, 11, 27, 23, 58);
	struct wslot s[2];
	struct winput in;
	struct wreport r;

	s[0] = slot_at(local("Europe/Paris", 2026, 11, 27, 23, 30), 40);
	s[1] = slot_at(local("Europe/Paris", 2026, 11, 28, 0, 1), 7); /* counted "after" */
	input(&in, after, s, 2);
	weather_compute(&in, &r);
	cr_assert_eq(r.attacks, 7);
	cr_assert_eq(r.yesterday, 40);
	input(&in, before, s, 2);
	weather_compute(&in, &r);
	cr_assert_eq(r.attacks, 40, "the 27th again: only its slots up to now");
	cr_assert_eq(r.level, LEVEL_STORM);
	cr_assert_eq(r.days[WEATHER_DAYS - 1], 40);
}

/* The kernel's register update skips the rank count when the register
 * already holds as much: the same registers as the plain max of ranks. */
Test(weather, the_register_update_shortcut_changes_nothing)
{
	__u8 fast[BOUCLIER_HLL_REGS] = { 0 }, plain[BOUCLIER_HLL_REGS] = { 0 };
	__u64 x = 0x9e3779b97f4a7c15ULL;
	int i;

	for (i = 0; i < 200000; i++) {
		__u64 h = bouclier_mix(x += 0x632be59bd9b4e019ULL);
		__u32 reg = h >> 56, rank = 1;

		if (i % 3 == 0) /* long runs of leading zeros: high ranks */
			h = (h & 0xff00000000000000ULL) | ((h & 0x00ffffffffffffffULL) >> (i % 57));
		bouclier_hll_add(fast, h);
		while (rank < 57 && !((h << 8) & (1ULL << (64 - rank))))
			rank++;
		if (plain[reg] < rank)
			plain[reg] = rank;
	}
	cr_assert_arr_eq(fast, plain, sizeof(fast));
}

/* What a town tells the region: the day's top sources, detected ones
 * first (an IPv6 one as the /64 its ban holds, its sampled drops folded
 * in), then listed ones with their feeds and services; yesterday's, would-
 * drops, lifted and monitored bans left out, and sources only the region's
 * own list dropped; at most report_sources; and the attacks only the
 * region's list dropped. */
Test(weather, the_region_gets_the_days_top_sources)
{
	time_t now = local("Europe/Paris", 2026, 11, 28, 14, 0);
	__u32 slot = now / BOUCLIER_SLOT_SECONDS;
	struct wsource src[6] = {
		{ "198.51.100.7", 0, 0xffffc6336407ULL, 1, 5, slot, 0, 0, 3, { 1 }, 1, { 22, 3389 },
		  2 },
		{ "198.51.100.8", 0, 0xffffc6336408ULL, 1, 5, slot - 96, 0, 0, 3, { 1 }, 1, { 22 },
		  1 },
		{ "198.51.100.9", 0, 0xffffc6336409ULL, 2, 5, slot, 1, 0, 3, { 2 }, 1, { 22 }, 1 },
		{ "2001:db8:1:2::5", 0x20010db800010002ULL, 5, 5, 2, slot, 0, 1, 2, { 5 }, 1,
		  { 445 }, 1 },
		/* only the region's own list dropped it: not news for the region */
		{ "198.51.100.20", 0, 0xffffc6336414ULL, 6, 5, slot, 0, 0, 3, { 6 }, 1, { 22 }, 1 },
		/* dropped under a detected ban that a contact of the town lifted
		 * since: a peer of the town, never the region's */
		{ "203.0.113.1", 0, 0xffffcb007101ULL, 5, 5, slot, 0, 1, 2, { 5 }, 1, { 22 }, 1 },
	};
	struct detect_entry bans[4] = {
		{ { 0x20010db800010002ULL, 0 }, { .at = now - 600, .kind = BOUCLIER_B_SCAN,
						  .port = 22 } },
		{ { 0, 0xffffcb007101ULL }, { .at = now - 600, .flags = BOUCLIER_BAN_LIFTED } },
		{ { 0, 0xffffcb007102ULL }, { .at = now - 600, .flags = BOUCLIER_BAN_MONITOR } },
		{ { 0, 0xffffcb007103ULL }, { .at = now - 86400 } },
	};
	struct wregion_source *v;
	struct wslot s = slot_at(now - 1800, 10);
	struct winput in;
	struct wreport r;
	json_t *j, *rows;
	char *text = NULL;
	size_t n, len = 0;
	FILE *f;

	s.reg_attacks = 4;
	s.has_regional = 1;
	input(&in, now, &s, 1);
	in.sources = src;
	in.nsources = 6;
	in.bans = bans;
	in.nbans = 4;
	in.set_feeds[5] = 1u << BOUCLIER_FEED_DETECT;
	in.set_feeds[6] = 1u << 1;
	in.report_sources = 1000;
	in.nfeeds = 2;
	strcpy(in.feeds[1].name, "region");
	strcpy(in.feeds[1].category, "region");
	in.feeds[1].flags = BOUCLIER_FEED_IN | BOUCLIER_FEED_REGIONAL;
	weather_compute(&in, &r);
	cr_expect_eq(r.regional, 4);
	cr_assert_eq(weather_region_sources(&r, &v, &n), 0);
	cr_assert_eq(n, 2, "a detected /64 and a listed address");
	cr_expect_str_eq(v[0].addr, "2001:db8:1:2::/64");
	cr_expect(v[0].detected);
	cr_expect_eq(v[0].attacks, 3, "the ban, and two sampled attacks");
	cr_expect_eq(v[0].feeds, 0, "a ban is not a list");
	cr_expect_eq(v[0].nports, 2);
	cr_expect_str_eq(v[1].addr, "198.51.100.7");
	cr_expect_eq(v[1].feeds, 1);
	cr_expect_eq(v[1].last_seen, (__u64)now, "the quarter hour under way: now");
	free(v);

	f = open_memstream(&text, &len);
	weather_json(f, &r);
	fclose(f);
	j = json_loads(text, 0, NULL);
	cr_assert_not_null(j, "%s", text);
	cr_expect_str_eq(json_string_value(json_object_get(j, "schema")), "bouclier.weather/3");
	cr_expect_eq(json_integer_value(json_object_get(json_object_get(j, "figures"),
							"regional")), 4);
	cr_expect(json_is_false(json_object_get(json_array_get(json_object_get(
		json_object_get(j, "figures"), "by_feed"), 0), "regional")), "%s", text);
	cr_expect(json_is_true(json_object_get(json_array_get(json_object_get(
		json_object_get(j, "figures"), "by_feed"), 1), "regional")), "%s", text);
	rows = json_object_get(json_object_get(json_object_get(j, "figures"), "sources"), "rows");
	cr_assert_eq(json_array_size(rows), 2, "%s", text);
	cr_expect_str_eq(json_string_value(json_array_get(json_array_get(rows, 0), 5)),
			 "port scan");
	cr_expect_str_eq(json_string_value(json_array_get(json_array_get(json_array_get(rows, 0),
									 3), 1)), "smb");
	cr_expect_str_eq(json_string_value(json_array_get(json_array_get(json_array_get(rows, 1),
									 3), 1)), "rdp");
	cr_expect_str_eq(json_string_value(json_array_get(json_array_get(json_array_get(rows, 1),
									 4), 0)), "scanners");
	cr_expect(json_is_null(json_array_get(json_array_get(rows, 1), 5)));
	json_decref(j);
	free(text);

	in.report_sources = 1;
	cr_assert_eq(weather_region_sources(&r, &v, &n), 0);
	cr_expect_eq(n, 1, "report_sources bounds them");
	free(v);
}

/* At scale (a wave of scans: thousands of bans and sampled sources; keys
 * banned several times, today and on other days, some bans lifted or only
 * monitored): one entry a detected key, made from its first ban of today
 * that acts (its port says which), holding every attack sampled under it;
 * a key with no such ban gets its entry from its first ban of any day,
 * none when that one was lifted.  Each expectation is worked out here
 * from the bans in their order, as a reader of the rules would. */
Test(weather, the_regions_sources_at_scale)
{
	enum { NB = 3000, NS = 6000, KEYS = 2500 };
	time_t now = local("Europe/Paris", 2026, 11, 28, 14, 0);
	__u32 slot = now / BOUCLIER_SLOT_SECONDS;
	struct wslot sl = slot_at(now - 1800, 10);
	struct detect_entry *bans = calloc(NB, sizeof(*bans));
	struct wsource *src = calloc(NS, sizeof(*src));
	long *today = calloc(KEYS, sizeof(*today)), *first = calloc(KEYS, sizeof(*first));
	unsigned int *want = calloc(KEYS, sizeof(*want)), seed = 11;
	struct wregion_source *v;
	struct winput in;
	struct wreport r;
	size_t n, i, found = 0;

	cr_assert(bans && src && want && today && first);
	for (i = 0; i < KEYS; i++)
		today[i] = first[i] = -1;
	for (i = 0; i < NB; i++) {
		unsigned int key = lcg(&seed) % KEYS,
			     x = lcg(&seed);

		bans[i].k.lo = 0xffffc0000000ULL + key; /* ::ffff:192.0.0.0 + key */
		bans[i].b.at = x % 3 ? now - 600 : now - 86400; /* a third of another day */
		bans[i].b.flags = x % 7 == 0 ? BOUCLIER_BAN_LIFTED
				  : x % 11 == 0 ? BOUCLIER_BAN_MONITOR : 0;
		bans[i].b.port = 1000 + i; /* which ban made the entry */
		if (first[key] < 0)
			first[key] = i;
		if (today[key] < 0 && x % 3 && !bans[i].b.flags)
			today[key] = i;
	}
	for (i = 0; i < NS; i++) {
		/* a banned key: a sample under a ban */
		unsigned int key = bans[lcg(&seed) % NB].k.lo -
				   0xffffc0000000ULL;

		src[i].lo = 0xffffc0000000ULL + key;
		snprintf(src[i].addr, sizeof(src[i].addr), "192.0.%u.%u", key >> 8, key & 255);
		src[i].last = slot;
		src[i].detected = 1;
		src[i].attacks = 1 + i % 3;
		src[i].set = 5;
		src[i].sets[0] = 5;
		src[i].nsets = 1;
		if (today[key] >= 0 || !(bans[first[key]].b.flags & BOUCLIER_BAN_LIFTED))
			want[key] += src[i].attacks;
	}
	for (i = 0; i < KEYS; i++)
		if (today[i] >= 0)
			want[i]++; /* the ban of today: an attack */
	input(&in, now, &sl, 1);
	in.sources = src;
	in.nsources = NS;
	in.bans = bans;
	in.nbans = NB;
	in.set_feeds[5] = 1u << BOUCLIER_FEED_DETECT;
	in.report_sources = NB + NS;
	weather_compute(&in, &r);
	cr_assert_eq(weather_region_sources(&r, &v, &n), 0);
	for (i = 0; i < n; i++) {
		size_t key = v[i].lo - 0xffffc0000000ULL;
		long made = today[key] >= 0 ? today[key] : first[key];

		cr_assert(v[i].detected, "%s: a detected source", v[i].addr);
		cr_assert_lt(key, KEYS);
		cr_assert_eq(v[i].attacks, want[key], "%s: %u attacks, %u expected", v[i].addr,
			     v[i].attacks, want[key]);
		cr_assert_geq(v[i].nports, 1);
		cr_assert_eq(v[i].ports[0], 1000 + made, "%s: from ban %hu, not %ld", v[i].addr,
			     (unsigned short)(v[i].ports[0] - 1000), made);
		want[key] = 0; /* a second entry of the key would fail above */
		found++;
	}
	for (i = 0; i < KEYS; i++)
		cr_expect_eq(want[i], 0, "key %zu: no entry (%u attacks)", i, want[i]);
	cr_expect_gt(found, 1000);
	free(v);
	free(bans);
	free(src);
	free(want);
	free(today);
	free(first);
}
