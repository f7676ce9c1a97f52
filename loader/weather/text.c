// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* text.c - the weather for a terminal or a mail, in English or French. */
#include <string.h>
#include "names.h"
#include "out.h"
#include "weather.h"

static const char *symbol(enum level l, int utf8)
{
	static const char *const u[LEVEL_MAX] = { "\u2600\ufe0f", "\U0001F326\ufe0f",
						  "\u26c8\ufe0f", "\U0001F32A\ufe0f" };
	static const char *const a[LEVEL_MAX] = { "(sun)", "(rain)", "(storm)", "(tornado)" };

	if (l < LEVEL_SUNNY || l >= LEVEL_MAX)
		return utf8 ? "\u2753" : "(?)";
	return utf8 ? u[l] : a[l];
}

void weather_text(FILE *f, const struct wreport *r, const char *lang, int utf8)
{
	const struct words *w = weather_words(lang);
	static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	__u64 max = 0, ports[BOUCLIER_PORTS];
	char when[64], out[1024], yest[32];
	int k, shown;

	weather_time(r->now, when, sizeof(when), "%Y-%m-%d %H:%M");
	text_safe(f, r->town);
	fprintf(f, " — %s, %s (", w->title, when);
	text_safe(f, r->tz);
	fprintf(f, ")\n\n  %s  %s", symbol(r->level, utf8), weather_level_name(r->level, lang));
	if (weather_why(r, lang, out, sizeof(out)))
		fprintf(f, " — %s", out);
	fprintf(f, "\n\n");
	if (r->level == LEVEL_UNKNOWN)
		fprintf(f, "  %s: %s\n\n", w->unknown_why, weather_reason(r->reason, lang));
	if (weather_outbound_sentence(r, lang, out, sizeof(out))) {
		fprintf(f, "  %s ", utf8 ? "\u26a0\ufe0f" : "(!)");
		text_safe(f, out);
		fprintf(f, ".\n  %s\n\n", weather_outbound_todo(r, lang));
	}
	fprintf(f, "  %llu %s %s%s%s%s (%llu %s, %llu %s), %llu %s\n",
		(unsigned long long)r->attacks, w->attacks, w->since,
		r->attacks_upper_bound ? " (" : "", r->attacks_upper_bound ? w->upper_bound : "",
		r->attacks_upper_bound ? ")" : "", (unsigned long long)r->packets, w->packets,
		(unsigned long long)r->bytes, w->bytes, (unsigned long long)r->distinct, w->sources);
	fprintf(f, "  %s\n", weather_attack_definition(lang));
	if (r->yesterday_known)
		snprintf(yest, sizeof(yest), "%llu", (unsigned long long)r->yesterday);
	else
		snprintf(yest, sizeof(yest), "—");
	fprintf(f, "  %s: %s   %s: ", w->yesterday, yest, w->week);
	if (r->week_days)
		fprintf(f, "%.0f\n", r->week_average);
	else
		fprintf(f, "—\n");
	fprintf(f, "  %s:", w->feeds);
	for (k = 0, shown = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (r->feed_packets[k] && r->in->feeds[k].name[0])
			fprintf(f, "%s %s (%s) %llu", shown++ ? "," : "", r->in->feeds[k].name,
				r->in->feeds[k].category, (unsigned long long)r->feed_packets[k]);
	fprintf(f, "%s\n", shown ? "" : " —");
	fprintf(f, "  %s:", w->ports);
	memcpy(ports, r->ports, sizeof(ports));
	for (shown = 0; shown < 4; shown++) {
		int best = 1;

		for (k = 2; k < BOUCLIER_PORTS; k++)
			if (ports[k] > ports[best])
				best = k;
		if (!ports[best])
			break;
		fprintf(f, "%s %s %llu", shown ? "," : "", service_name(best),
			(unsigned long long)ports[best]);
		ports[best] = 0;
	}
	fprintf(f, "%s\n", shown ? "" : " —");
	if (r->monitor_feeds)
		weather_monitor_line(f, r, lang);
	if (r->ntop) {
		fprintf(f, "  %s:", w->top);
		for (k = 0; k < r->ntop && k < 5; k++)
			fprintf(f, "%s %s (%s)", k ? "," : "", r->top[k].addr,
				weather_feed_of(r, r->top[k].set));
		fprintf(f, "\n");
	}
	for (k = 0; k < r->nhours; k++)
		max = r->hourly[k] > max ? r->hourly[k] : max;
	fprintf(f, "  %s: ", w->hourly);
	for (k = 0; k < r->nhours; k++) {
		int lvl = max ? (int)((r->hourly[k] * 8 + max - 1) / max) : 0;

		fputs(utf8 ? bars[lvl] : (lvl ? (lvl > 4 ? "#" : "+") : "."), f);
	}
	fprintf(f, " (00h-%02dh)\n", r->hour_label[r->nhours - 1] + 1);
}
