// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* text.c - the weather for a terminal or a mail, in English or French. */
#include <stdlib.h>
#include <string.h>
#include "names.h"
#include "out.h"
#include "weather.h"

/* The comparison with the town's usual day, once it is known; what stands
 * in for it until then. */
static void trend(FILE *f, const struct wreport *r, const char *lang)
{
	const struct words *w = weather_words(lang);
	const struct wlevels *lv = &r->levels;
	char a[WEATHER_NUMLEN], b[WEATHER_NUMLEN], usual[128];

	if (r->level == LEVEL_UNKNOWN)
		return;
	if (lv->known_days < WEATHER_USUAL_DAYS) {
		fputs("  ", f);
		fprintf(f, w->young, lv->known_days, WEATHER_USUAL_DAYS);
		fputc('\n', f);
		return;
	}
	snprintf(usual, sizeof(usual), w->usual_by, weather_usual_day(r, lang));
	fprintf(f, "  %s%s %s   %s%s %s\n", usual, w->colon,
		weather_dec(a, sizeof(a), lv->usual, 0, lang), w->busiest_by, w->colon,
		weather_dec(b, sizeof(b), lv->max, 0, lang));
}

/* The report, with every figure through numbers.c. */
static void report(FILE *f, const struct wreport *r, const char *lang, int utf8)
{
	const struct words *w = weather_words(lang);
	static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	char when[64], out[1024], n1[WEATHER_NUMLEN], n2[WEATHER_NUMLEN], n3[WEATHER_NUMLEN],
		n4[WEATHER_NUMLEN];
	int k, shown, order[4];
	__u64 max = 0;

	weather_time(r->now, when, sizeof(when), "%Y-%m-%d %H:%M");
	text_safe(f, r->town);
	fprintf(f, " — %s, %s (", w->title, when);
	text_safe(f, r->tz);
	fprintf(f, ")\n\n  %s  %s", weather_level_sign(r->level, lang, utf8),
		weather_level_name(r->level, lang));
	if (weather_why(r, lang, out, sizeof(out)))
		fprintf(f, " — %s", out);
	fprintf(f, "\n  %s\n\n", weather_advice(r, lang));
	if (r->level == LEVEL_UNKNOWN)
		fprintf(f, "  %s%s %s\n\n", w->unknown_why, w->colon,
			weather_reason(r->reason, lang));
	if (weather_outbound_sentence(r, lang, out, sizeof(out))) {
		fprintf(f, "  %s ", utf8 ? "\u26a0\ufe0f" : "(!)");
		text_safe(f, out);
		fprintf(f, ".\n  %s\n\n", weather_outbound_todo(r, lang));
	}
	fprintf(f, "  %s %s %s%s%s%s (%s %s, %s), %s %s\n",
		weather_num(n1, sizeof(n1), r->attacks, lang), w->attacks, w->since,
		r->attacks_upper_bound ? " (" : "", r->attacks_upper_bound ? w->upper_bound : "",
		r->attacks_upper_bound ? ")" : "", weather_num(n2, sizeof(n2), r->packets, lang),
		w->packets, weather_bytes(n3, sizeof(n3), r->bytes, lang),
		weather_num(n4, sizeof(n4), r->distinct, lang), w->sources);
	fprintf(f, "  %s\n", weather_attack_definition(lang));
	trend(f, r, lang);
	fprintf(f, "  %s%s %s   %s%s %s\n", w->yesterday, w->colon,
		r->yesterday_known ? weather_num(n1, sizeof(n1), r->yesterday, lang) : "—",
		w->week, w->colon,
		r->week_days ? weather_dec(n2, sizeof(n2), r->week_average, 0, lang) : "—");
	fprintf(f, "  %s%s", w->feeds, w->colon);
	for (k = 0, shown = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (r->feed_packets[k] && r->in->feeds[k].name[0]) {
			fprintf(f, "%s ", shown++ ? "," : "");
			text_safe(f, r->in->feeds[k].name);
			fputs(" (", f);
			text_safe(f, weather_category(r->in->feeds[k].category, lang));
			fprintf(f, ") %s", weather_num(n1, sizeof(n1), r->feed_packets[k], lang));
		}
	fprintf(f, "%s\n", shown ? "" : " —");
	fprintf(f, "  %s%s", w->ports, w->colon);
	shown = weather_top_services(r, order, 4);
	for (k = 0; k < shown; k++)
		fprintf(f, "%s %s %s", k ? "," : "", service_name(order[k]),
			weather_num(n1, sizeof(n1), r->ports[order[k]], lang));
	fprintf(f, "%s\n", shown ? "" : " —");
	if (weather_detect_sentence(r, lang, out, sizeof(out)))
		fprintf(f, "  %s\n", out);
	if (weather_monitor_sentence(r, lang, out, sizeof(out))) {
		fputs("  ", f);
		text_safe(f, out);
		fputc('\n', f);
	}
	if (r->ntop) {
		fprintf(f, "  %s%s", w->top, w->colon);
		for (k = 0; k < r->ntop && k < 5; k++) {
			fprintf(f, "%s %s (", k ? "," : "", r->top[k].addr);
			text_safe(f, weather_feed_of(r, r->top[k].set));
			fputc(')', f);
		}
		fprintf(f, "\n");
	}
	for (k = 0; k < r->nhours; k++)
		max = r->hourly[k] > max ? r->hourly[k] : max;
	fprintf(f, "  %s%s ", w->hourly, w->colon);
	for (k = 0; k < r->nhours; k++) {
		int lvl = max ? (int)((r->hourly[k] * 8 + max - 1) / max) : 0;

		fputs(utf8 ? bars[lvl] : (lvl ? (lvl > 4 ? "#" : "+") : "."), f);
	}
	fprintf(f, " (00h-%02dh)\n", r->hour_label[r->nhours - 1] + 1);
}

void weather_text(FILE *f, const struct wreport *r, const char *lang, int utf8)
{
	static const char *const nbsp[] = { "\u202f", "\u00a0" };
	char *buf = NULL;
	size_t len = 0, i;
	FILE *m;
	int k;

	if (utf8) {
		report(f, r, lang, utf8);
		return;
	}
	/* A terminal that is not UTF-8: the no-break spaces of the figures
	 * and of French punctuation become plain spaces. */
	m = open_memstream(&buf, &len);
	if (!m) {
		report(f, r, lang, utf8);
		return;
	}
	report(m, r, lang, utf8);
	fclose(m);
	for (i = 0; i < len; i++) {
		for (k = 0; k < 2 && strncmp(buf + i, nbsp[k], strlen(nbsp[k])); k++)
			;
		if (k < 2)
			i += strlen(nbsp[k]) - 1;
		fputc(k < 2 ? ' ' : buf[i], f);
	}
	free(buf);
}
