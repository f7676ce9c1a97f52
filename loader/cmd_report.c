// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cmd_report.c - `bouclier weather`, `bouclier record` and `bouclier
 * history`: the weather's inputs (weather/inputs.c) rendered, or kept in the
 * history (history.c).
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "ctx.h"
#include "alert.h"
#include "history.h"
#include "log.h"
#include "out.h"
#include "state.h"
#include "weather/weather.h"

enum report_format { FMT_TEXT, FMT_JSON, FMT_PROM, FMT_HTML };

static const char *const *report_formats(void)
{
	static const char *const names[] = { "text", "json", "prom", "html", NULL };

	return names;
}

static const char *const *languages(void)
{
	static const char *const names[] = { "en", "fr", NULL };

	return names;
}

static int utf8_terminal(void)
{
	const char *cs;

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	return cs && !strcmp(cs, "UTF-8");
}

/* ---- weather */

struct weather_opts {
	int lang;
	bool json;
	int format;
	const char *textfile;
};

static int write_textfile(const char *dir, const struct wreport *r, const struct stats *st)
{
	char path[4096 + 32];
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int err;

	if (!m)
		return -errno;
	weather_prom(m, r, st);
	fclose(m);
	snprintf(path, sizeof(path), "%s/bouclier.prom", dir);
	err = state_write_atomic(path, buf, len, 0644); /* node_exporter reads it */
	free(buf);
	if (err)
		pr_warn("cannot write %s: %s\n", path, strerror(-err));
	return err;
}

static int run_weather(struct ctx *c, void *o)
{
	struct weather_opts *a = o;
	const char *lang = languages()[a->lang];
	struct weather_inputs w;
	struct wreport r;
	int err, fmt = a->json ? FMT_JSON : a->format;

	err = weather_inputs(c, &w);
	if (err) {
		weather_inputs_free(&w);
		return err;
	}
	weather_compute(&w.in, &r);
	if (a->textfile)
		err = write_textfile(a->textfile, &r, w.have_stats ? &w.st : NULL);
	else if (fmt == FMT_JSON)
		weather_json(stdout, &r);
	else if (fmt == FMT_PROM)
		weather_prom(stdout, &r, w.have_stats ? &w.st : NULL);
	else if (fmt == FMT_HTML)
		weather_html(stdout, &r, lang);
	else
		weather_text(stdout, &r, lang, utf8_terminal());
	weather_inputs_free(&w);
	return err;
}

static const struct opt weather_opts[] = {
	{ .name = "lang", OPT_FIELD(ENUM, struct weather_opts, lang), .metavar = "LANG",
	  .help = "language of the report (default en)", .choices = languages },
	{ .name = "json", OPT_FIELD(BOOL, struct weather_opts, json),
	  .help = "the same as --format json" },
	{ .name = "format", OPT_FIELD(ENUM, struct weather_opts, format), .metavar = "FORMAT",
	  .help = "text (default), json, Prometheus exposition or an HTML page",
	  .choices = report_formats },
	{ .name = "textfile", OPT_FIELD(STR, struct weather_opts, textfile), .metavar = "DIR",
	  .help = "write DIR/bouclier.prom atomically, for node_exporter's textfile collector" },
	{ NULL },
};

const struct command cmd_weather = {
	.name = "weather",
	.summary = "the cyber weather since local midnight: sunny, light rain, storm, tornado",
	.run = run_weather,
	.size = sizeof(struct weather_opts),
	.opts = weather_opts,
};

/* ---- record */

static int run_record(struct ctx *c, void *o)
{
	struct weather_inputs w;
	size_t i, kept = 0;
	__u64 now_slot;
	int err;

	(void)o;
	err = weather_inputs(c, &w);
	if (err)
		goto out;
	if (!w.have_stats)
		pr_info("bouclier is not attached: nothing new to record\n");
	now_slot = (__u64)(w.in.now + w.in.clock_offset) / BOUCLIER_SLOT_SECONDS;
	if (w.in.attached) {
		/* the filter is up: this slot is known, even with nothing dropped, so
		 * that a quiet day counts as quiet in the town's usual */
		struct wslot up = { .slot = now_slot, .has_attacks = 1 };

		err = weather_slots_merge(&w.in.slots, &w.in.nslots, &up);
		if (err)
			goto out;
	}
	err = history_write(c->state_dir, w.in.slots, w.in.nslots,
			    now_slot - (__u64)HISTORY_DAYS * 86400 / BOUCLIER_SLOT_SECONDS);
	for (i = 0; i < w.in.nslots; i++)
		kept += w.in.slots[i].pkts != 0;
	alert_check(c); /* hourly, with refresh: the level and the filter's state */
	if (!err)
		pr_info("history: %zu slots with drops kept in %s/history.csv\n", kept, c->state_dir);
	else
		pr_warn("cannot write %s/history.csv: %s\n", c->state_dir, strerror(-err));
out:
	weather_inputs_free(&w);
	return err;
}

const struct command cmd_record = {
	.name = "record",
	.summary = "keep the last 48 hours of drops in the history (run it hourly, with refresh)",
	.run = run_record,
};

/* ---- history: per local day, the last HISTORY_DAYS days (DST days have 23 or 25 hours) */

static int run_history(struct ctx *c, void *o)
{
	struct json_opts *a = o;
	struct weather_inputs w;
	json_t *days = json_array();
	int err, d;

	err = weather_inputs(c, &w);
	if (err)
		goto out;
	if (!a->json)
		printf("%-12s %12s %14s %16s\n", "day", "attacks", "packets", "bytes");
	for (d = HISTORY_DAYS - 1; d >= 0; d--) {
		struct tm tm;
		time_t m0, m1;
		__u64 lo, hi, attacks = 0, pkts = 0, bytes = 0;
		char day[16], att[24];
		size_t i;
		int known = 0, counted = 1;

		localtime_r(&w.in.now, &tm);
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_mday -= d;
		tm.tm_isdst = -1;
		m0 = mktime(&tm);
		tm.tm_mday += 1;
		tm.tm_isdst = -1;
		m1 = mktime(&tm);
		lo = (__u64)(m0 + w.in.clock_offset) / BOUCLIER_SLOT_SECONDS;
		hi = (__u64)(m1 + w.in.clock_offset) / BOUCLIER_SLOT_SECONDS;
		for (i = 0; i < w.in.nslots; i++)
			if (w.in.slots[i].slot >= lo && w.in.slots[i].slot < hi) {
				attacks += w.in.slots[i].attacks;
				pkts += w.in.slots[i].pkts;
				bytes += w.in.slots[i].bytes;
				counted &= w.in.slots[i].has_attacks;
				known = 1;
			}
		if (!known && d)
			continue;
		localtime_r(&m0, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		/* days of a history older than the attack count: packets only */
		if (a->json)
			json_array_append_new(days, jset(jset(jset(jset(json_object(), "date",
									jstr(day)),
								   "attacks",
								   counted ? ju64(attacks)
									   : json_null()),
							      "packets", ju64(pkts)),
							 "bytes", ju64(bytes)));
		else
			printf("%-12s %12s %14llu %16llu\n", day,
			       counted ? (snprintf(att, sizeof(att), "%llu",
						   (unsigned long long)attacks), att) : "-",
			       (unsigned long long)pkts, (unsigned long long)bytes);
	}
	if (a->json) {
		json_print(stdout, jset(jset(json_object(), "town", jstr(w.in.town)), "days", days));
		days = NULL;
	}
out:
	json_decref(days);
	weather_inputs_free(&w);
	return err;
}

const struct command cmd_history = {
	.name = "history",
	.summary = "attacks and packets blocked day by day, the last 100 days",
	.run = run_history,
	.size = sizeof(struct json_opts),
	.opts = json_only_opts,
};
