// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * observatory.c - `bouclier observatory`: many towns' `weather --json`
 * reports merged into one regional view.  A report is outside data: it is
 * read with a JSON parser (any valid JSON, whatever its whitespace), every
 * field is checked for its type, and every name goes out through the
 * escaping of the format written.  Towns whose report is stale, unreadable
 * or missing (from --roster) are shown as unknown; the worst come first;
 * regional totals and the trend over the last 30 days follow, in attacks.
 * Each town is shown against its own usual (from its report) and against
 * the region's median town.  Reports of schema bouclier.weather/1 counted
 * packets as attacks: their figures are shown as packets and kept out of
 * the attack totals.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cli.h"
#include "ctx.h"
#include "log.h"
#include "observatory.h"
#include "out.h"
#include "weather/weather.h"

#define MAX_TOWNS 4096
#define TREND_DAYS OBSERVATORY_DAYS
#define REPORT_MAX (4u << 20) /* bytes: a report is a few kilobytes */

/* Levels in the order of concern: a town whose filter is down comes after
 * storms.  Their names are the weather's (words.c). */
static const enum level order[] = { LEVEL_TORNADO, LEVEL_STORM, LEVEL_UNKNOWN, LEVEL_LIGHT_RAIN,
				    LEVEL_SUNNY };
#define NLEVELS OBSERVATORY_LEVELS
_Static_assert(sizeof(order) / sizeof(order[0]) == NLEVELS, "one rank a level");

static const char *rank_name(int rank)
{
	return weather_level_name(order[rank], "en");
}

static int level_rank(const char *level)
{
	int i;

	for (i = 0; level && i < NLEVELS; i++)
		if (!strcmp(level, rank_name(i)))
			return i;
	return level_rank("unknown");
}

static int cmp_town(const void *a, const void *b)
{
	const struct town *x = a, *y = b;

	if (x->level != y->level)
		return x->level - y->level;
	if (x->attacks != y->attacks)
		return x->attacks < y->attacks ? 1 : -1;
	return strcmp(x->name, y->name);
}

static unsigned long long num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) > 0 ? json_integer_value(v) : 0;
}

/* A number a report may write as an integer or a real; -1 when absent,
 * negative or not finite. */
static double real(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	double d = json_is_number(v) ? json_number_value(v) : -1;

	return d >= 0 && d < 1e18 ? d : -1;
}

/* A date as the reports write it: YYYY-MM-DD, nothing else. */
static int date_ok(const char *s)
{
	int i;

	if (!s || strlen(s) != 10)
		return 0;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

void observatory_read_town(const char *path, long stale, time_t now, struct town *t)
{
	const char *base = strrchr(path, '/'), *s;
	json_error_t jerr;
	struct stat st;
	json_t *j = NULL, *fig, *days, *d;
	size_t i;

	memset(t, 0, sizeof(*t));
	snprintf(t->file, sizeof(t->file), "%s", path);
	snprintf(t->name, sizeof(t->name), "%s", base ? base + 1 : path);
	t->level = level_rank("unknown");
	t->why = "unreadable report";
	if (stat(path, &st) || st.st_size > REPORT_MAX)
		return;
	j = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!j || !json_is_object(j) ||
	    !(s = json_string_value(json_object_get(j, "schema"))) ||
	    (strcmp(s, WEATHER_SCHEMA) && strcmp(s, WEATHER_SCHEMA_V2) &&
	     strcmp(s, WEATHER_SCHEMA_V1)) ||
	    !(s = json_string_value(json_object_get(j, "town"))) || !*s) {
		pr_debug("%s: %s\n", path, j ? "not a weather report" : jerr.text);
		json_decref(j);
		return;
	}
	snprintf(t->name, sizeof(t->name), "%s", s);
	t->packets_only = !strcmp(json_string_value(json_object_get(j, "schema")),
				  WEATHER_SCHEMA_V1);
	t->why = NULL;
	t->level = level_rank(json_string_value(json_object_get(j, "level")));
	t->generated = num(j, "generated_at_unix");
	fig = json_object_get(j, "figures");
	if (t->packets_only) {
		t->packets = num(fig, "attacks");
	} else {
		json_t *lv = json_object_get(j, "levels");
		const char *basis = json_string_value(json_object_get(lv, "basis"));

		t->attacks = num(fig, "attacks");
		t->packets = num(fig, "packets");
		t->usual = real(lv, "usual");
		t->has_usual = basis && !strcmp(basis, "usual") && t->usual >= 0;
	}
	t->yesterday = num(fig, "yesterday");
	t->distinct = num(fig, "distinct_sources");
	t->infected = json_array_size(json_object_get(json_object_get(fig, "outbound"),
						      "inside_hosts"));
	days = json_object_get(fig, "last_30_days");
	json_array_foreach(days, i, d) {
		const char *date = json_string_value(json_object_get(d, "date"));

		/* the trend is in attacks: days counted in packets stay out */
		if (t->ndays == TREND_DAYS || !date_ok(date) || t->packets_only ||
		    !json_is_integer(json_object_get(d, "attacks")))
			continue;
		memcpy(t->dates[t->ndays], date, 11);
		t->days[t->ndays++] = num(d, "attacks");
	}
	if (now - t->generated > stale) {
		t->level = level_rank("unknown");
		t->why = "stale report";
	} else if (t->level == level_rank("unknown")) {
		t->why = "the town's filter reports unknown";
	}
	json_decref(j);
}

static int add_path(const char *path, long stale, time_t now, struct town *v, int *n)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char p[4096];

	if (stat(path, &st)) {
		pr_warn("%s: %s\n", path, strerror(errno));
		return -ENOENT;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (*n < MAX_TOWNS)
			observatory_read_town(path, stale, now, &v[(*n)++]);
		return 0;
	}
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)) && *n < MAX_TOWNS) {
		size_t l = strlen(de->d_name);

		if (l < 6 || strcmp(de->d_name + l - 5, ".json"))
			continue;
		snprintf(p, sizeof(p), "%s/%s", path, de->d_name);
		observatory_read_town(p, stale, now, &v[(*n)++]);
	}
	closedir(d);
	return 0;
}

struct region {
	int counts[NLEVELS], ndates, infected_towns, packets_only;
	unsigned long long total, packets, yesterday, trend[TREND_DAYS];
	double median;  /* attacks of the region's median town (reports in attacks, not down) */
	char dates[TREND_DAYS][11];
};

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static void sum_region(const struct town *v, int n, struct region *g)
{
	int i, k;

	unsigned long long *known = calloc(n ? n : 1, sizeof(*known));
	int nknown = 0;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < n; i++) {
		g->counts[v[i].level]++;
		g->infected_towns += v[i].infected > 0;
		g->packets_only += v[i].packets_only;
		g->total += v[i].attacks;
		g->packets += v[i].packets;
		g->yesterday += v[i].packets_only ? 0 : v[i].yesterday;
		if (known && !v[i].packets_only && !v[i].why)
			known[nknown++] = v[i].attacks;
		for (k = 0; k < v[i].ndays; k++) {
			int d;

			for (d = 0; d < g->ndates && strcmp(g->dates[d], v[i].dates[k]); d++)
				;
			if (d == g->ndates) {
				if (g->ndates == TREND_DAYS)
					continue;
				memcpy(g->dates[g->ndates++], v[i].dates[k], 11);
			}
			g->trend[d] += v[i].days[k];
		}
	}
	for (i = 1; i < g->ndates; i++) /* dates in order; a handful, insertion sort */
		for (k = i; k > 0 && strcmp(g->dates[k - 1], g->dates[k]) > 0; k--) {
			char t[11];
			unsigned long long x = g->trend[k];

			memcpy(t, g->dates[k], 11);
			memcpy(g->dates[k], g->dates[k - 1], 11);
			memcpy(g->dates[k - 1], t, 11);
			g->trend[k] = g->trend[k - 1];
			g->trend[k - 1] = x;
		}
	if (nknown) {
		qsort(known, nknown, sizeof(*known), cmp_ull);
		g->median = nknown % 2 ? known[nknown / 2]
				       : (known[nknown / 2 - 1] + known[nknown / 2]) / 2.0;
	}
	free(known);
}

/* "3.2x", or "" when there is nothing to compare with. */
static const char *versus(double today, double usual, int ok, char *buf, size_t len)
{
	if (!ok || usual <= 0)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1fx", today / usual);
	return buf;
}

static json_t *ratio(double today, double usual, int ok)
{
	return ok && usual > 0 ? json_real(round(today / usual * 100) / 100) : json_null();
}

/* A town's note: why it is unknown, or that its figures are packets. */
static const char *note(const struct town *t)
{
	if (t->why)
		return t->why;
	return t->packets_only ? "counts packets, not attacks (an older bouclier): "
				 "not in the totals" : "";
}

static void write_json(const struct town *v, int n, const struct region *g, time_t now)
{
	json_t *j = json_object(), *lv = json_object(), *towns = json_array(), *trend = json_array();
	int i;

	for (i = 0; i < NLEVELS; i++)
		jset(lv, rank_name(i), json_integer(g->counts[i]));
	for (i = 0; i < n; i++) {
		const struct town *x = &v[i];
		json_t *t = json_object();
		int ok = !x->packets_only && !x->why;

		jset(t, "town", jstr(x->name));
		jset(t, "level", jstr(rank_name(x->level)));
		jset(t, "attacks", x->packets_only ? json_null() : ju64(x->attacks));
		jset(t, "packets", ju64(x->packets));
		jset(t, "usual", ok && x->has_usual ? json_real(round(x->usual * 10) / 10)
						    : json_null());
		jset(t, "versus_usual", ratio(x->attacks, x->usual, ok && x->has_usual));
		jset(t, "versus_region", ratio(x->attacks, g->median, ok));
		jset(t, "yesterday", x->packets_only ? json_null() : ju64(x->yesterday));
		jset(t, "distinct_sources", ju64(x->distinct));
		jset(t, "infected_hosts", ju64(x->infected));
		jset(t, "generated_at_unix", json_integer(x->generated));
		jset(t, "why", jstr(x->why));
		jset(t, "counts_packets", json_boolean(x->packets_only));
		json_array_append_new(towns, t);
	}
	for (i = 0; i < g->ndates; i++)
		json_array_append_new(trend, jset(jset(json_object(), "date", jstr(g->dates[i])),
						  "attacks", ju64(g->trend[i])));
	jset(j, "schema", jstr("bouclier.observatory/2"));
	jset(j, "generated_at_unix", json_integer(now));
	jset(j, "towns_count", json_integer(n));
	jset(j, "attacks", ju64(g->total));
	jset(j, "packets", ju64(g->packets));
	jset(j, "median_town_attacks", json_real(round(g->median * 10) / 10));
	jset(j, "towns_counting_packets", json_integer(g->packets_only));
	jset(j, "yesterday", ju64(g->yesterday));
	jset(j, "levels", lv);
	jset(j, "towns_with_infected_machines", json_integer(g->infected_towns));
	jset(j, "attacks_definition", jstr(weather_attack_definition("en")));
	jset(j, "towns", towns);
	jset(j, "trend", trend);
	json_print(stdout, j);
}

static void write_html(const struct town *v, int n, const struct region *g)
{
	static const char *const css[NLEVELS] = { "tornado", "storm", "unknown", "light", "sunny" };
	char u[32], r[32];
	int i;

	printf("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>"
	       "bouclier observatory</title><style>body{font-family:sans-serif;margin:2em}"
	       "td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}"
	       ".tornado{background:#e9b8b8}.storm{background:#d4d9e2}.unknown{background:"
	       "#eee}.light{background:#e3eef8}.sunny{background:#fff6d6}.def{color:#555}"
	       "</style></head><body><h1>Observatory: %d towns, %llu attacks blocked today</h1>"
	       "<p class=\"def\">%s<br>%s</p><p>", n, g->total,
	       weather_attack_definition("en"), weather_attack_definition("fr"));
	for (i = 0; i < NLEVELS; i++)
		printf("%s%s: %d", i ? " · " : "", rank_name(i), g->counts[i]);
	printf(" · towns with infected machines: %d", g->infected_towns);
	printf("</p><table><tr><th>town</th><th>weather</th><th>attacks today</th>"
	       "<th>vs its usual</th><th>vs the region</th><th>yesterday</th>"
	       "<th>infected machines</th><th>note</th></tr>");
	for (i = 0; i < n; i++) {
		const struct town *x = &v[i];
		int ok = !x->packets_only && !x->why;

		printf("<tr class=\"%s\"><td>", css[x->level]);
		html_esc(stdout, x->name);
		if (x->packets_only)
			printf("</td><td>%s</td><td>-</td>", rank_name(x->level));
		else
			printf("</td><td>%s</td><td>%llu</td>", rank_name(x->level), x->attacks);
		printf("<td>%s</td><td>%s</td><td>%llu</td><td>%llu</td><td>",
		       versus(x->attacks, x->usual, ok && x->has_usual, u, sizeof(u)),
		       versus(x->attacks, g->median, ok, r, sizeof(r)),
		       x->packets_only ? 0 : x->yesterday, x->infected);
		html_esc(stdout, note(x));
		printf("</td></tr>");
	}
	printf("</table><h2>Trend (attacks)</h2><table>");
	for (i = 0; i < g->ndates; i++)
		printf("<tr><td>%s</td><td>%llu</td></tr>", g->dates[i], g->trend[i]);
	printf("</table></body></html>\n");
}

static void write_text(const struct town *v, int n, const struct region *g)
{
	char name[64], u[32], r[32], a[32];
	int i;

	printf("%d towns, %llu attacks blocked today (%llu yesterday), %llu packets\n", n,
	       g->total, g->yesterday, g->packets);
	for (i = 0; i < NLEVELS; i++)
		printf("%s%s %d", i ? ", " : "  ", rank_name(i), g->counts[i]);
	printf("\n  towns with infected machines: %d\n", g->infected_towns);
	if (g->packets_only)
		printf("  towns counting packets (older bouclier, not in the totals): %d\n",
		       g->packets_only);
	printf("  %s\n", weather_attack_definition("en"));
	printf("\n%-28s %-11s %10s %8s %8s %10s %9s  %s\n", "town", "weather", "attacks",
	       "usual", "region", "yesterday", "infected", "note");
	for (i = 0; i < n; i++) {
		const struct town *x = &v[i];
		int ok = !x->packets_only && !x->why;

		snprintf(a, sizeof(a), x->packets_only ? "-" : "%llu", x->attacks);
		printf("%-28s %-11s %10s %8s %8s %10llu %9llu  %s\n",
		       text_safe_buf(name, sizeof(name), x->name), rank_name(x->level), a,
		       versus(x->attacks, x->usual, ok && x->has_usual, u, sizeof(u)),
		       versus(x->attacks, g->median, ok, r, sizeof(r)),
		       x->packets_only ? 0 : x->yesterday, x->infected, note(x));
	}
	if (g->ndates) {
		printf("\ntrend (attacks, all towns):\n");
		for (i = g->ndates > 7 ? g->ndates - 7 : 0; i < g->ndates; i++)
			printf("  %s %12llu\n", g->dates[i], g->trend[i]);
	}
}

enum obs_format { OBS_TEXT, OBS_JSON, OBS_HTML };

static const char *const *obs_formats(void)
{
	static const char *const names[] = { "text", "json", "html", NULL };

	return names;
}

struct obs_opts {
	struct strlist paths;
	int format;
	bool json;
	long stale_after;
	const char *roster;
};

static int read_roster(const char *path, struct town *v, int *n)
{
	FILE *f = fopen(path, "re");
	char line[256];
	int i;

	if (!f) {
		pr_warn("%s: %s\n", path, strerror(errno));
		return -ENOENT;
	}
	while (fgets(line, sizeof(line), f) && *n < MAX_TOWNS) {
		line[strcspn(line, "\r\n#")] = 0;
		if (!line[0])
			continue;
		for (i = 0; i < *n && strcmp(v[i].name, line); i++)
			;
		if (i < *n)
			continue;
		memset(&v[*n], 0, sizeof(v[*n]));
		snprintf(v[*n].name, sizeof(v[*n].name), "%.63s", line);
		v[*n].level = level_rank("unknown");
		v[(*n)++].why = "no report";
	}
	fclose(f);
	return 0;
}

static int run_observatory(struct ctx *c, void *o)
{
	struct obs_opts *a = o;
	struct region g;
	struct town *v;
	int n = 0, i, err = 0;

	v = calloc(MAX_TOWNS, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < a->paths.n && !err; i++)
		err = add_path(a->paths.v[i], a->stale_after, c->now, v, &n);
	if (!err && a->roster)
		err = read_roster(a->roster, v, &n);
	if (!err) {
		qsort(v, n, sizeof(*v), cmp_town);
		sum_region(v, n, &g);
		if (a->json || a->format == OBS_JSON)
			write_json(v, n, &g, c->now);
		else if (a->format == OBS_HTML)
			write_html(v, n, &g);
		else
			write_text(v, n, &g);
	}
	free(v);
	free(a->paths.v);
	return err;
}

static const struct obs_opts obs_defaults = { .stale_after = 7200 };

static const struct opt obs_opts[] = {
	{ .name = "FILES|DIR", OPT_FIELD(LIST, struct obs_opts, paths),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "FILES|DIR",
	  .help = "reports, or directories of *.json" },
	{ .name = "format", OPT_FIELD(ENUM, struct obs_opts, format), .metavar = "FORMAT",
	  .help = "text (default), json or an HTML page", .choices = obs_formats },
	{ .name = "json", OPT_FIELD(BOOL, struct obs_opts, json),
	  .help = "the same as --format json" },
	{ .name = "stale-after", OPT_FIELD(DURATION, struct obs_opts, stale_after),
	  .metavar = "DURATION", .help = "reports older than this are unknown (default 2h)" },
	{ .name = "roster", OPT_FIELD(STR, struct obs_opts, roster), .metavar = "FILE",
	  .help = "the towns expected, one a line: those without a report are unknown" },
	{ NULL },
};

const struct command cmd_observatory = {
	.name = "observatory",
	.summary = "merge towns' `weather --json` reports into a regional view",
	.run = run_observatory,
	.size = sizeof(struct obs_opts),
	.defaults = &obs_defaults,
	.opts = obs_opts,
	.flags = CMD_NO_CONFIG,
};
