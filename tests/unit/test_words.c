// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Every word of the weather in both languages (loader/weather/words.c):
 * no French word is the English one (but for the few the two languages
 * share), each sentence takes the same figures in the same order in both,
 * and the French text and page show nothing of bouclier's own in English,
 * the default feed category and the bans' included.  Feed names and the
 * town's own categories are the town's words and stay as written.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "weather_input.h"

#define NWORDS (sizeof(struct words) / sizeof(const char *))
_Static_assert(sizeof(struct words) % sizeof(const char *) == 0,
	       "struct words holds strings only: the test walks it as an array");

/* Words the same in English and French. */
static const char *const same_in_both[] = { "volume", "(?)", NULL };

static int shared(const char *s)
{
	int i;

	for (i = 0; same_in_both[i]; i++)
		if (!strcmp(s, same_in_both[i]))
			return 1;
	return 0;
}

/* The printf conversions of s, in order ("sd" for "%s ... %d"). */
static void conversions(const char *s, char *out, size_t len)
{
	size_t n = 0;

	for (; *s && n + 1 < len; s++) {
		if (*s != '%')
			continue;
		if (*++s == '%')
			continue;
		while (*s && strchr("0123456789.-+ #lhz", *s))
			s++;
		if (*s)
			out[n++] = *s;
	}
	out[n] = 0;
}

static void differ(const char *what, const char *en, const char *fr)
{
	char ce[16], cf[16];

	cr_assert_not_null(en, "%s: no English", what);
	cr_assert_not_null(fr, "%s: no French", what);
	cr_expect(strcmp(en, fr) || shared(en), "%s: untranslated: \"%s\"", what, fr);
	conversions(en, ce, sizeof(ce));
	conversions(fr, cf, sizeof(cf));
	cr_expect_str_eq(ce, cf, "%s: \"%s\" and \"%s\" take other figures", what, en, fr);
}

Test(words, every_word_has_its_french)
{
	const char *en[NWORDS], *fr[NWORDS];
	char what[32];
	size_t i;
	int l;

	memcpy(en, weather_words("en"), sizeof(en));
	memcpy(fr, weather_words("fr"), sizeof(fr));
	for (i = 0; i < NWORDS; i++) {
		snprintf(what, sizeof(what), "struct words, field %zu", i);
		differ(what, en[i], fr[i]);
	}
	for (l = LEVEL_UNKNOWN; l < LEVEL_MAX; l++) {
		differ("level name", weather_level_name(l, "en"), weather_level_name(l, "fr"));
		differ("level advice", weather_level_advice(l, "en"),
		       weather_level_advice(l, "fr"));
		differ("level sign", weather_level_sign(l, "en", 0),
		       weather_level_sign(l, "fr", 0));
		cr_expect_str_eq(weather_level_sign(l, "en", 1), weather_level_sign(l, "fr", 1),
				 "an emoji is every language's");
	}
	differ("attack definition", weather_attack_definition("en"),
	       weather_attack_definition("fr"));
	differ("default category", weather_category(CATEGORY_DEFAULT, "en"),
	       weather_category(CATEGORY_DEFAULT, "fr"));
	differ("bans' category", weather_category(BOUCLIER_FEED_BAN_CATEGORY, "en"),
	       weather_category(BOUCLIER_FEED_BAN_CATEGORY, "fr"));
	cr_expect_str_eq(weather_category("hijacked-netblocks", "fr"), "hijacked-netblocks",
			 "the town's own category is its word");
}

Test(words, the_french_page_shows_bouclier_s_categories_in_french)
{
	static const char *const fmts[] = { "text", "ascii", "html" };
	static struct level_day d;
	size_t i;
	char *s;

	level_day(&d, LEVEL_LIGHT_RAIN);
	/* the first feed without a category; bans dropping a quarter */
	snprintf(d.in.feeds[0].category, sizeof(d.in.feeds[0].category), "%s", CATEGORY_DEFAULT);
	snprintf(d.in.feeds[BOUCLIER_FEED_BAN].name, BOUCLIER_NAME_LEN, "%s",
		 BOUCLIER_FEED_BAN_NAME);
	snprintf(d.in.feeds[BOUCLIER_FEED_BAN].category, BOUCLIER_NAME_LEN, "%s",
		 BOUCLIER_FEED_BAN_CATEGORY);
	d.in.set_feeds[3] = 1u << BOUCLIER_FEED_BAN;
	for (i = 0; i < d.in.nslots; i++)
		d.slots[i].sets[3] = d.slots[i].pkts / 4;
	weather_compute(&d.in, &d.r);
	cr_assert_eq(d.r.level, LEVEL_LIGHT_RAIN);
	cr_assert(d.r.feed_packets[0] && d.r.feed_packets[BOUCLIER_FEED_BAN]);
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		s = weather_render(&d.r, fmts[i], "fr");
		cr_expect_null(strstr(s, CATEGORY_DEFAULT), "%s: in English: %s", fmts[i], s);
		cr_expect_null(strstr(s, BOUCLIER_FEED_BAN_CATEGORY), "%s: in English: %s",
			       fmts[i], s);
		cr_expect(strstr(s, "non classé") && strstr(s, "manuel"), "%s: %s", fmts[i], s);
		cr_expect(strstr(s, "hijacked-netblocks"), "%s: the town's own category: %s",
			  fmts[i], s);
		free(s);
		s = weather_render(&d.r, fmts[i], "en");
		cr_expect(strstr(s, CATEGORY_DEFAULT) && strstr(s, BOUCLIER_FEED_BAN_CATEGORY),
			  "%s: %s", fmts[i], s);
		free(s);
	}
	s = weather_render(&d.r, "ascii", "fr");
	cr_expect(strstr(s, "(pluie)"), "the level's sign in French: %s", s);
	free(s);
	s = weather_render(&d.r, "text", "en");
	cr_expect(strstr(s, BOUCLIER_FEED_BAN_NAME " (" BOUCLIER_FEED_BAN_CATEGORY ")"),
		  "the bans in English, as `bouclier weather` says them: %s", s);
	free(s);
}
