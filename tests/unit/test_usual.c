// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Levels against the town's own usual: the same day is light rain for a
 * busy town and a storm or tornado for a quiet one; a young history or the
 * configuration falls back to absolute thresholds and says so; a flood of
 * sources is a tornado at once; the sentence that explains the level; old
 * history rows (packets only) are never taken for attacks.  And the attack
 * sketch's error, measured over many random sets against exact counts.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "weather_input.h"

#define TZ_TOWN "Europe/Paris"
/* Saturday 28 November 2026, 14:00 */
#define NOW() local(TZ_TOWN, 2026, 11, 28, 14, 0)

static struct wslot slots[40 * 96];
static size_t nslots;

static void add(time_t t, __u64 attacks)
{
	cr_assert_lt(nslots, sizeof(slots) / sizeof(slots[0]));
	slots[nslots++] = slot_at(t, attacks);
}

/* days past days, each with per_hour attacks at every hour of the day. */
static void history(int days, __u64 per_hour)
{
	int d, h;

	nslots = 0;
	for (d = 1; d <= days; d++)
		for (h = 0; h < 24; h++)
			add(local(TZ_TOWN, 2026, 11, 28 - d, h, 0), per_hour);
}

/* Today until 14:00: attacks spread over the hours before. */
static void today(__u64 attacks)
{
	int h;

	for (h = 0; h < 14; h++)
		add(local(TZ_TOWN, 2026, 11, 28, h, 0), attacks / 14 + (h < (int)(attacks % 14)));
}

static void compute(struct winput *in, struct wreport *r)
{
	input(in, NOW(), slots, nslots);
	in->absolute = 0;
	in->thresholds[1] = 1000;
	in->thresholds[2] = 10000;
	weather_compute(in, r);
}

static const char *why(const struct wreport *r, const char *lang)
{
	static char buf[512];

	weather_why(r, lang, buf, sizeof(buf));
	return buf;
}

Test(usual, a_busy_town_stays_at_light_rain_on_a_busy_day)
{
	struct winput in;
	struct wreport r;

	history(30, 20); /* 480 attacks a day, 300 by 14:00 */
	today(280);
	compute(&in, &r);
	cr_assert_eq(r.attacks, 280);
	cr_assert_eq(r.levels.basis, BASIS_USUAL);
	cr_assert_eq(r.levels.known_days, 29);
	cr_assert(r.levels.same_weekday, "four Saturdays in the window");
	cr_assert_float_eq(r.levels.usual, 300, 1e-9);
	cr_assert_eq(r.level, LEVEL_LIGHT_RAIN, "280 attacks, usual 300: %s",
		     weather_level_name(r.level, "en"));
	cr_expect_str_eq(why(&r, "en"), "about a usual Saturday (0.9×)");
	cr_expect_str_eq(why(&r, "fr"), "comme un samedi habituel (0,9×)");
}

Test(usual, a_quiet_town_gets_a_storm_or_a_tornado_on_the_same_day)
{
	struct winput in;
	struct wreport r;
	int d;

	nslots = 0;
	for (d = 1; d <= 30; d++) /* one attack a day, at 03:00 */
		add(local(TZ_TOWN, 2026, 11, 28 - d, 3, 0), 1);
	today(280);
	compute(&in, &r);
	cr_assert_eq(r.levels.basis, BASIS_USUAL);
	cr_assert(r.level == LEVEL_STORM || r.level == LEVEL_TORNADO, "%s",
		  weather_level_name(r.level, "en"));
	cr_expect_eq(r.level, LEVEL_TORNADO, "280 attacks against a busiest day of 1");
	cr_expect_str_eq(why(&r, "en"), "280× the busiest of the last 30 days by this time");

	/* below the tornado floor: a storm, said against the usual Saturday */
	nslots = 30;
	today(100);
	compute(&in, &r);
	cr_expect_eq(r.level, LEVEL_STORM);
	cr_expect_str_eq(why(&r, "en"), "100× a usual Saturday");
	cr_expect_str_eq(why(&r, "fr"), "100× un samedi habituel");

	/* a few attacks, under the storm floor: light rain */
	nslots = 30;
	today(5);
	compute(&in, &r);
	cr_expect_eq(r.level, LEVEL_LIGHT_RAIN);
	cr_expect_str_eq(why(&r, "en"), "5.0× a usual Saturday, but only 5 attacks");
	/* busier than usual, within what the window has seen */
	history(30, 20);
	for (d = 1; d <= 4; d++) /* four busy mornings this week: 700 by 14:00 */
		add(local(TZ_TOWN, 2026, 11, 28 - d, 10, 30), 400);
	today(580);
	compute(&in, &r);
	cr_expect_float_eq(r.levels.p90, 700, 1e-9);
	cr_expect_eq(r.level, LEVEL_LIGHT_RAIN);
	cr_expect_str_eq(why(&r, "en"), "1.9× a usual Saturday, within what the last 30 days "
					"have seen");
}

Test(usual, three_times_a_usual_saturday_is_a_storm)
{
	struct winput in;
	struct wreport r;
	int d, h;

	nslots = 0;
	for (d = 1; d <= 28; d++)
		for (h = 0; h < 14; h++) /* Saturdays 14 by 14:00, other days 28 */
			add(local(TZ_TOWN, 2026, 11, 28 - d, h, 0), d % 7 ? 2 : 1);
	today(45);
	compute(&in, &r);
	cr_assert(r.levels.same_weekday);
	cr_assert_float_eq(r.levels.usual, 14, 1e-9, "Saturdays: %f", r.levels.usual);
	cr_expect_eq(r.level, LEVEL_STORM);
	cr_expect_str_eq(why(&r, "en"), "3.2× a usual Saturday");
}

Test(usual, nothing_yet_on_a_usually_busy_day_is_sunny_and_said_so)
{
	struct winput in;
	struct wreport r;

	history(30, 20);
	compute(&in, &r);
	cr_assert_eq(r.level, LEVEL_SUNNY);
	cr_expect_str_eq(why(&r, "en"), "nothing blocked yet; a usual Saturday has 300 attacks by "
					"this time");
	nslots = 0;
	history(30, 0);
	compute(&in, &r);
	cr_assert_eq(r.level, LEVEL_SUNNY);
	cr_expect_str_eq(why(&r, "en"), "quiet as usual");
	cr_expect_str_eq(why(&r, "fr"), "calme, comme d'habitude");
}

Test(usual, a_young_history_uses_absolute_thresholds_and_says_so)
{
	struct winput in;
	struct wreport r;

	history(3, 0);
	today(1500);
	compute(&in, &r);
	cr_assert_eq(r.levels.basis, BASIS_YOUNG);
	cr_assert_eq(r.levels.known_days, 3);
	cr_assert_eq(r.level, LEVEL_STORM, "1500 against storm = 1000");
	cr_expect_str_eq(why(&r, "en"), "3 day(s) of history: absolute thresholds (storm from "
					"1,000, tornado from 10,000 attacks) until 7 days are known");
	cr_expect_str_eq(why(&r, "fr"), "3 jour(s) d'historique : seuils fixes (orage dès "
					"1\u202f000, tornade dès 10\u202f000 attaques) jusqu'à 7 jours");
	/* the configuration's thresholds decide whatever the history */
	history(30, 0);
	today(1500);
	input(&in, NOW(), slots, nslots);
	in.absolute = 1;
	in.thresholds[1] = 2000;
	in.thresholds[2] = 5000;
	weather_compute(&in, &r);
	cr_assert_eq(r.levels.basis, BASIS_CONFIGURED);
	cr_assert_eq(r.level, LEVEL_LIGHT_RAIN);
	cr_expect(strstr(why(&r, "en"), "from the configuration: storm from 2,000"), "%s",
		  why(&r, "en"));
}

Test(usual, a_flood_of_sources_is_a_tornado_at_once)
{
	struct winput in;
	struct wreport r;
	struct wslot *s;
	int i;

	history(30, 20);
	today(280);
	s = &slots[nslots - 1];
	s->has_hll = 1;
	for (i = 0; i < 3000; i++)
		bouclier_hll_add(s->hll, bouclier_hll_hash(1, i));
	compute(&in, &r);
	cr_assert_eq(r.level, LEVEL_TORNADO);
	cr_assert_geq(r.levels.flood, 1000);
	cr_expect(strstr(why(&r, "en"), "a flood: about "), "%s", why(&r, "en"));
	in.flood_sources = 0; /* switched off */
	weather_compute(&in, &r);
	cr_expect_eq(r.level, LEVEL_LIGHT_RAIN);
}

Test(usual, rows_counted_in_packets_are_never_taken_for_attacks)
{
	struct winput in;
	struct wreport r;
	size_t i;

	history(30, 20);
	for (i = 0; i < nslots; i++) { /* the history of an older bouclier */
		slots[i].has_attacks = 0;
		slots[i].attacks = 0;
	}
	slots[nslots] = slot_at(local(TZ_TOWN, 2026, 11, 28, 1, 0), 500);
	slots[nslots].has_attacks = 0;
	slots[nslots++].attacks = 0;
	add(local(TZ_TOWN, 2026, 11, 28, 13, 0), 4);
	compute(&in, &r);
	cr_assert_eq(r.levels.known_days, 0, "days of packets are not days of attacks");
	cr_assert_eq(r.levels.basis, BASIS_YOUNG);
	cr_assert(r.attacks_upper_bound);
	cr_assert_eq(r.attacks, 504, "today's packets before the upgrade bound its attacks");
	cr_assert_eq(r.packets, 504);
	cr_assert_not(r.yesterday_known);
	cr_assert_eq(r.week_days, 0);
	cr_assert_not(r.day_attacks[WEATHER_DAYS - 2]);
	cr_assert_eq(r.days_packets[WEATHER_DAYS - 2], 480);
}

/* xorshift64*, seeded: the same sets every run */
static __u64 rnd(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* The sketch, fed as the kernel feeds it (bouclier.h's hash and register
 * update), against exact counts: over 200 random sets of each size, the
 * mean error stays within 2% and the root mean square within the stated
 * 6.5% (with a margin of a fifth for 200 samples). */
Test(usual, the_attack_sketch_holds_its_stated_error)
{
	static const int sizes[] = { 20, 200, 700, 1000, 3000, 20000 };
	__u64 seed = 0x626f75636c696572ULL;
	size_t k;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		double sum = 0, sq = 0;
		int t, i;

		for (t = 0; t < 200; t++) {
			__u8 regs[BOUCLIER_HLL_REGS] = { 0 };
			double e;

			for (i = 0; i < sizes[k]; i++) {
				__u64 hi = 0x20010db800000000ULL | (rnd(&seed) & 0xffffffff);
				__u64 h = bouclier_hll_hash(hi, rnd(&seed));

				/* each source twice on one service, once on another:
				 * two attacks a source */
				bouclier_hll_add(regs, bouclier_attack_hash(h, BOUCLIER_PORT_SSH));
				bouclier_hll_add(regs, bouclier_attack_hash(h, BOUCLIER_PORT_SSH));
				bouclier_hll_add(regs, bouclier_attack_hash(h, BOUCLIER_PORT_OTHER));
			}
			e = ((double)weather_hll_count(regs) - 2.0 * sizes[k]) / (2.0 * sizes[k]);
			sum += e;
			sq += e * e;
		}
		printf("attack sketch: %5d attacks: mean error %+.2f%%, rms %.2f%%\n",
		       2 * sizes[k], sum / 200 * 100, sqrt(sq / 200) * 100);
		cr_expect_leq(fabs(sum / 200), 0.02, "%d attacks: bias %.3f", 2 * sizes[k],
			      sum / 200);
		cr_expect_leq(sqrt(sq / 200), 0.065 * 1.2, "%d attacks: rms %.3f", 2 * sizes[k],
			      sqrt(sq / 200));
	}
}
