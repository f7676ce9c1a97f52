// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the reports say to a person, level by level and in both languages:
 * every level has a sentence of what it means and what to do, and the text
 * and the HTML page carry it; figures are written for people in text and
 * HTML and stay raw in JSON; the page holds the trend against the usual
 * day, the top sources and services, the outbound alert and the legend,
 * and fetches nothing.  How the page looks is tests/system/test_report.c's
 * (Chromium).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "weather_input.h"

static const char *const langs[] = { "en", "fr" };

/* s as html_esc() writes it (the French sentences hold apostrophes). */
static char *escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	html_esc(f, s);
	fclose(f);
	return buf;
}

/* The page without its <wbr> break hints, to find addresses in it. */
static void drop_wbr(char *s)
{
	char *p;

	while ((p = strstr(s, "<wbr>")))
		memmove(p, p + 5, strlen(p + 5) + 1);
}

static struct level_day *day(enum level l)
{
	static struct level_day *d;

	if (!d)
		d = calloc(1, sizeof(*d));
	cr_assert_not_null(d);
	level_day(d, l);
	cr_assert_eq(d->r.level, l, "the day meant as %s came out %s",
		     weather_level_name(l, "en"), weather_level_name(d->r.level, "en"));
	return d;
}

Test(page, every_level_says_what_it_means_and_what_to_do)
{
	int l, m, g;

	for (l = LEVEL_UNKNOWN; l < LEVEL_MAX; l++)
		for (g = 0; g < 2; g++) {
			const char *s = weather_level_advice(l, langs[g]);

			cr_assert(s && strlen(s) > 40, "%s/%s: %s", weather_level_name(l, "en"),
				  langs[g], s);
			cr_expect_eq(s[strlen(s) - 1], '.', "one sentence, ended: %s", s);
			for (m = LEVEL_UNKNOWN; m < l; m++)
				cr_expect_str_neq(s, weather_level_advice(m, langs[g]));
			cr_expect_str_neq(weather_level_advice(l, "en"),
					  weather_level_advice(l, "fr"));
		}
	cr_expect(strstr(weather_level_advice(LEVEL_UNKNOWN, "en"), "call the IT person now"));
	cr_expect(strstr(weather_level_advice(LEVEL_UNKNOWN, "fr"), "appelez"));
	cr_expect(strstr(weather_level_advice(LEVEL_SUNNY, "en"), "Nothing to do"));
	cr_expect(strstr(weather_level_advice(LEVEL_LIGHT_RAIN, "fr"), "Rien à faire"));
	cr_expect(strstr(weather_level_advice(LEVEL_STORM, "en"), "updates"));
	cr_expect(strstr(weather_level_advice(LEVEL_TORNADO, "fr"), "fournisseur d'accès"));
	cr_expect_str_eq(weather_level_advice(LEVEL_MAX, "en"),
			 weather_level_advice(LEVEL_UNKNOWN, "en"), "out of range is unknown");
}

/* A storm that a machine of the town calling out made is not "more attacks
 * than usual": it says what happened. */
Test(page, a_storm_made_by_a_machine_calling_out_says_so)
{
	struct level_day *d = day(LEVEL_SUNNY);

	d->r.level = LEVEL_STORM;
	d->r.levels.cause = CAUSE_OUTBOUND;
	cr_expect(strstr(weather_advice(&d->r, "en"), "A machine of the town tried to reach"));
	cr_expect(strstr(weather_advice(&d->r, "fr"), "Une machine de la commune"));
	d->r.levels.cause = CAUSE_STORM;
	cr_expect_str_eq(weather_advice(&d->r, "fr"), weather_level_advice(LEVEL_STORM, "fr"));
}

Test(page, text_and_html_carry_the_level_sentence_in_both_languages)
{
	int l, g, k;

	for (l = LEVEL_UNKNOWN; l < LEVEL_MAX; l++)
		for (g = 0; g < 2; g++) {
			struct level_day *d = day(l);
			char *text = weather_render(&d->r, "text", langs[g]);
			char *html = weather_render(&d->r, "html", langs[g]);
			char *adv = escaped(weather_advice(&d->r, langs[g]));

			cr_expect(strstr(text, weather_advice(&d->r, langs[g])), "%s", text);
			cr_expect(strstr(html, adv), "%s/%s: the page says %s",
				  weather_level_name(l, "en"), langs[g], adv);
			/* the legend: every level and what it means */
			for (k = LEVEL_UNKNOWN; k < LEVEL_MAX; k++) {
				char *e = escaped(weather_level_advice(k, langs[g]));

				cr_expect(strstr(html, e), "legend of %s/%s lacks %s",
					  weather_level_name(l, "en"), langs[g], e);
				free(e);
			}
			free(adv);
			free(text);
			free(html);
		}
}

/* 3,000,000 attacks and 300 MB, grouped and in units in text and HTML, raw
 * in JSON; a terminal that is not UTF-8 gets plain spaces. */
Test(page, figures_are_written_for_people_but_json_stays_raw)
{
	struct level_day *d = day(LEVEL_TORNADO);
	char *s;

	s = weather_render(&d->r, "text", "en");
	cr_expect(strstr(s, "3,000,000 attacks blocked since midnight (3,000,000 packets, "
			    "300\u00a0MB)"), "%s", s);
	cr_expect(strstr(s, "10.10.0.23 (2,402 times"), "%s", s);
	free(s);
	s = weather_render(&d->r, "text", "fr");
	cr_expect(strstr(s, "3\u202f000\u202f000 attaques bloquées depuis minuit "
			    "(3\u202f000\u202f000 paquets, 300\u00a0Mo)"), "%s", s);
	cr_expect(strstr(s, "4\u202f000× le jour le plus chargé"), "%s", s);
	free(s);
	s = weather_render(&d->r, "ascii", "fr");
	cr_expect(strstr(s, "3 000 000 attaques bloquées depuis minuit (3 000 000 paquets, "
			    "300 Mo)"), "%s", s);
	cr_expect_null(strstr(s, "\u202f"), "no narrow no-break space on a terminal that is "
		       "not UTF-8: %s", s);
	cr_expect_null(strstr(s, "\u00a0"), "nor a no-break space: %s", s);
	cr_expect(strstr(s, "(tornade)"), "the level's sign in French too: %s", s);
	free(s);
	s = weather_render(&d->r, "html", "fr");
	cr_expect(strstr(s, "<b>3\u202f000\u202f000</b> attaques bloquées"), "%s", s);
	cr_expect(strstr(s, "300\u00a0Mo"), "%s", s);
	free(s);
	s = weather_render(&d->r, "json", "en");
	cr_expect(strstr(s, "\"attacks\":3000000,"), "%s", s);
	cr_expect(strstr(s, "\"bytes\":300000000,"), "%s", s);
	free(s);
}

/* What the page holds besides the level: the trend (or why there is none
 * yet), the top sources with their feed, the services, the outbound alert,
 * the charts; and nothing that runs or is fetched. */
Test(page, the_page_shows_the_trend_sources_services_and_outbound)
{
	struct level_day *d;
	char *s, *why;
	char sentence[512];
	int k;

	d = day(LEVEL_TORNADO);
	s = weather_render(&d->r, "html", "en");
	drop_wbr(s);
	cr_expect(strstr(s, "<meta name=\"viewport\" content=\"width=device-width"),
		  "a phone lays the page out at its own width");
	cr_expect_null(strstr(s, "<script"));
	cr_expect_null(strstr(s, "src="));
	cr_expect_null(strstr(s, "href="));
	cr_expect(strstr(s, "<svg"));
	cr_expect(strstr(s, "Compared with a usual day"), "%s", s);
	cr_expect(strstr(s, "a usual Saturday by this time"), "%s", s);
	cr_expect(strstr(s, "today by 14:05"), "%s", s);
	weather_why(&d->r, "en", sentence, sizeof(sentence));
	why = escaped(sentence);
	cr_expect(strstr(s, why), "the sentence that explains the level: %s", why);
	free(why);
	for (k = 0; k < d->r.ntop; k++)
		cr_expect(strstr(s, d->r.top[k].addr), "top source %s", d->r.top[k].addr);
	cr_expect(strstr(s, "listed by spamhaus-drop-extended"), "%s", s);
	cr_expect(strstr(s, "<td>ssh</td><td class=\"n\">1,500,000</td>"), "%s", s);
	cr_expect(strstr(s, "2 machines of the town tried to reach servers on a blocklist"),
		  "the outbound alert stays");
	cr_expect(strstr(s, "hour by hour") && strstr(s, "last 30 days"));
	free(s);

	d = day(LEVEL_STORM); /* 3 days of history */
	s = weather_render(&d->r, "html", "fr");
	cr_expect(strstr(s, "Pas encore assez d&#39;historique"), "%s", s);
	cr_expect(strstr(s, "seuils fixes : averses dès 1, orage dès 1\u202f000, tornade dès "
			    "10\u202f000 attaques"), "%s", s);
	free(s);
	s = weather_render(&d->r, "text", "en");
	cr_expect(strstr(s, "Not enough history yet"), "%s", s);
	free(s);

	d = day(LEVEL_UNKNOWN);
	s = weather_render(&d->r, "html", "en");
	cr_expect_null(strstr(s, "Compared with a usual day"),
		       "no trend for a filter that is down");
	cr_expect(strstr(s, "the filter is not running on any interface"), "%s", s);
	free(s);
}

/* The observatory reads schema /2: the sentences are added, nothing else
 * moves. */
Test(page, json_adds_the_sentences_and_keeps_its_fields)
{
	struct level_day *d = day(LEVEL_STORM);
	char *s = weather_render(&d->r, "json", "en");
	json_t *j = json_loads(s, 0, NULL);

	cr_assert_not_null(j, "%s", s);
	cr_expect_str_eq(json_string_value(json_object_get(j, "schema")), "bouclier.weather/3");
	cr_expect_str_eq(json_string_value(json_object_get(j, "level")), "storm");
	cr_expect_str_eq(json_string_value(json_object_get(j, "level_fr")), "orage");
	cr_expect_str_eq(json_string_value(json_object_get(j, "advice")),
			 weather_level_advice(LEVEL_STORM, "en"));
	cr_expect_str_eq(json_string_value(json_object_get(j, "advice_fr")),
			 weather_level_advice(LEVEL_STORM, "fr"));
	cr_expect_not_null(json_object_get(json_object_get(j, "levels"), "sentence"));
	cr_expect_not_null(json_object_get(json_object_get(j, "levels"), "usual"));
	cr_expect(json_is_integer(json_object_get(json_object_get(j, "figures"), "attacks")));
	json_decref(j);
	free(s);
}

/* A feed tried in monitor mode is shown apart, in text and on the page,
 * with figures for people; nothing is said when no feed is monitored. */
Test(page, monitored_feeds_are_shown_apart)
{
	struct level_day *d = day(LEVEL_STORM);
	char *s, *e, buf[512];
	int g;

	cr_expect_eq(weather_monitor_sentence(&d->r, "en", buf, sizeof(buf)), 0);
	s = weather_render(&d->r, "html", "en");
	cr_expect_null(strstr(s, "monitor mode"), "%s", s);
	free(s);
	d->r.monitor_feeds = 1u << 1;
	d->r.monitor_pkts = 12345;
	d->r.monitor_sources = 678;
	for (g = 0; g < 2; g++) {
		cr_assert(weather_monitor_sentence(&d->r, langs[g], buf, sizeof(buf)));
		cr_expect(strstr(buf, g ? "12\u202f345" : "12,345"), "%s", buf);
		cr_expect(strstr(buf, "spamhaus-drop-extended"), "%s", buf);
		s = weather_render(&d->r, "text", langs[g]);
		cr_expect(strstr(s, buf), "%s", s);
		free(s);
		s = weather_render(&d->r, "html", langs[g]);
		e = escaped(buf);
		cr_expect(strstr(s, e), "%s not in %s", e, s);
		free(e);
		free(s);
	}
	/* a buffer too short is cut, never overrun */
	cr_expect_lt(weather_monitor_sentence(&d->r, "fr", buf, 20), 20);
}

/* What detection saw is a sentence of its own in both languages, on the
 * terminal and the page, and its figures in JSON. */
Test(page, attacks_detected_by_their_behaviour_are_shown_apart)
{
	struct level_day *d = day(LEVEL_LIGHT_RAIN);
	char buf[512], *s, *e;
	int g;

	cr_assert_eq(d->r.det_attacks, 60, "a tenth of each slot's 46 or 47");
	cr_assert_eq(d->r.detect[BOUCLIER_DT_BANNED], 30);
	for (g = 0; g < 2; g++) {
		cr_assert(weather_detect_sentence(&d->r, langs[g], buf, sizeof(buf)));
		cr_expect(strstr(buf, g ? "60 attaques détectées par leur comportement (30 sources "
					  "bannies par bouclier lui-même ; 15 épargnées"
					: "60 attacks detected by their behaviour (30 sources banned by "
					  "bouclier itself; 15 spared"), "%s", buf);
		s = weather_render(&d->r, "text", langs[g]);
		cr_expect(strstr(s, buf), "%s", s);
		free(s);
		s = weather_render(&d->r, "html", langs[g]);
		e = escaped(buf);
		cr_expect(strstr(s, e), "%s not in %s", e, s);
		free(e);
		free(s);
	}
	s = weather_render(&d->r, "json", "en");
	cr_expect(strstr(s, "\"detected\":{\"mode\":\"ban\",\"attacks\":60,\"banned\":30"), "%s",
		  s);
	free(s);
	/* in monitor mode: would-bans, and nothing dropped */
	d->in.detect_mode = DETECT_MONITOR;
	d->r.detect[BOUCLIER_DT_WOULD_BAN] = 4;
	cr_assert(weather_detect_sentence(&d->r, "fr", buf, sizeof(buf)));
	cr_expect(strstr(buf, "détection en observation : 4 sources auraient été bannies"), "%s",
		  buf);
	/* none yet: a plural in English, a singular in French */
	d->r.detect[BOUCLIER_DT_WOULD_BAN] = 0;
	cr_assert(weather_detect_sentence(&d->r, "en", buf, sizeof(buf)));
	cr_expect(strstr(buf, "monitor mode: 0 sources would have been banned"), "%s", buf);
	cr_assert(weather_detect_sentence(&d->r, "fr", buf, sizeof(buf)));
	cr_expect(strstr(buf, "observation : 0 source aurait été bannie "), "%s", buf);
	d->in.detect_mode = DETECT_OFF;
	cr_expect_eq(weather_detect_sentence(&d->r, "en", buf, sizeof(buf)), 0);
	cr_expect_lt(weather_detect_sentence(&(struct wreport){ .in = &d->in }, "en", buf, 8), 8);
}

/* Lists that only watch filter nothing: never a calm day. */
Test(page, monitor_mode_alone_is_no_protection)
{
	struct level_day *d = day(LEVEL_SUNNY);
	int k, named = 0;
	char *s;

	for (k = 0; k < BOUCLIER_USER_FEEDS; k++)
		if (d->in.feeds[k].name[0]) {
			d->in.feeds[k].flags |= BOUCLIER_FEED_MONITOR;
			named++;
		}
	cr_assert_gt(named, 0);
	weather_compute(&d->in, &d->r);
	cr_expect_eq(d->r.level, LEVEL_UNKNOWN, "%s", weather_level_name(d->r.level, "en"));
	cr_expect_str_eq(d->r.reason, "every blocklist is in monitor mode: nothing is dropped");
	s = weather_render(&d->r, "text", "fr");
	cr_expect(strstr(s, "toutes les listes sont en observation"), "%s", s);
	free(s);
	/* one list enforcing again: the day has its level */
	d->in.feeds[1].flags &= ~BOUCLIER_FEED_MONITOR;
	weather_compute(&d->in, &d->r);
	cr_expect_eq(d->r.level, LEVEL_SUNNY);
}

/* A day recorded before attacks were counted has no figure on the page: a
 * grey stub saying so, never a quiet day's empty bar. */
Test(page, a_day_before_attacks_were_counted_is_no_quiet_day)
{
	struct level_day *d = day(LEVEL_LIGHT_RAIN);
	size_t i;
	char *s;

	for (i = 4 * 24; i < 5 * 24; i++) /* the fifth day back: 11-23 */
		d->slots[i].has_attacks = 0;
	weather_compute(&d->in, &d->r);
	s = weather_render(&d->r, "html", "en");
	cr_expect(strstr(s, "11-23: no figure"), "%s", s);
	cr_expect_null(strstr(s, "11-22: no figure"), "the day before has its figure");
	free(s);
	s = weather_render(&d->r, "html", "fr");
	cr_expect(strstr(s, "11-23: pas de chiffre"), "%s", s);
	free(s);
}
