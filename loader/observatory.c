// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * observatory.c - `bouclier observatory`: many towns' `weather --json`
 * reports merged into one regional view.  Towns whose report is stale,
 * unreadable or missing (from --roster) are shown as unknown; the worst come
 * first; regional totals and the trend over the last 30 days follow.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "commands.h"
#include "log.h"
#include "weather.h"

#define MAX_TOWNS 2048
#define TREND_DAYS 30

struct town {
	char name[64], file[256], level[16];
	const char *why; /* why unknown */
	long long generated;
	unsigned long long attacks, yesterday, distinct;
	char dates[TREND_DAYS][11];
	unsigned long long days[TREND_DAYS];
	int ndays;
};

static const char *jfind(const char *s, const char *key)
{
	char k[64];

	snprintf(k, sizeof(k), "\"%s\":", key);
	s = strstr(s, k);
	return s ? s + strlen(k) : NULL;
}

static int jstr(const char *s, const char *key, char *out, size_t len)
{
	const char *v = jfind(s, key), *e;

	if (!v || *v != '"')
		return -1;
	e = strchr(++v, '"');
	if (!e)
		return -1;
	snprintf(out, len, "%.*s", (int)(e - v), v);
	return 0;
}

static long long jnum(const char *s, const char *key, long long dflt)
{
	const char *v = jfind(s, key);

	return v ? strtoll(v, NULL, 10) : dflt;
}

static int level_rank(const char *level)
{
	/* the order of concern: a town whose filter is down comes after storms */
	static const char *const order[] = { "tornado", "storm", "unknown", "light rain", "sunny" };
	int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(level, order[i]))
			return i;
	return 2;
}

static int cmp_town(const void *a, const void *b)
{
	const struct town *x = a, *y = b;
	int r = level_rank(x->level) - level_rank(y->level);

	if (r)
		return r;
	if (x->attacks != y->attacks)
		return x->attacks < y->attacks ? 1 : -1;
	return strcmp(x->name, y->name);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = n >= 0 && n < (1 << 22) ? malloc(n + 1) : NULL;
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = 0;
	fclose(f);
	return buf;
}

static void read_town(const char *path, long stale, time_t now, struct town *t)
{
	char *j = slurp(path), *p;
	const char *base = strrchr(path, '/');

	memset(t, 0, sizeof(*t));
	snprintf(t->file, sizeof(t->file), "%s", path);
	snprintf(t->name, sizeof(t->name), "%s", base ? base + 1 : path);
	strcpy(t->level, "unknown");
	if (!j || !strstr(j, WEATHER_SCHEMA) || jstr(j, "town", t->name, sizeof(t->name))) {
		t->why = "unreadable report";
		free(j);
		return;
	}
	jstr(j, "level", t->level, sizeof(t->level));
	t->generated = jnum(j, "generated_at_unix", 0);
	t->attacks = jnum(j, "attacks", 0);
	t->yesterday = jnum(j, "yesterday", 0);
	t->distinct = jnum(j, "distinct_sources", 0);
	p = strstr(j, "\"last_30_days\":[");
	while (p && t->ndays < TREND_DAYS && (p = strstr(p, "{\"date\":\""))) {
		snprintf(t->dates[t->ndays], sizeof(t->dates[0]), "%.10s", p + 9);
		t->days[t->ndays++] = jnum(p, "attacks", 0);
		p++;
	}
	if (now - t->generated > stale) {
		strcpy(t->level, "unknown");
		t->why = "stale report";
	} else if (!strcmp(t->level, "unknown")) {
		t->why = "the town's filter reports unknown";
	}
	free(j);
}

static long parse_age(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (end == s || n <= 0)
		return -1;
	switch (*end) {
	case 0: case 's': return n;
	case 'm': return n * 60;
	case 'h': return n * 3600;
	case 'd': return n * 86400;
	default: return -1;
	}
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
			read_town(path, stale, now, &v[(*n)++]);
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
		read_town(p, stale, now, &v[(*n)++]);
	}
	closedir(d);
	return 0;
}

int cmd_observatory(struct args *a)
{
	const char *fmt = a->format ? a->format : a->json ? "json" : "text";
	long stale = a->stale_after ? parse_age(a->stale_after) : 7200;
	static const char *const levels[] = { "tornado", "storm", "unknown", "light rain", "sunny" };
	char dates[TREND_DAYS][11];
	unsigned long long trend[TREND_DAYS] = { 0 }, total = 0, yesterday = 0;
	int counts[5] = { 0 }, n = 0, i, k, ndates = 0, err;
	struct town *v;
	time_t now = getenv("BOUCLIER_NOW") ? strtoll(getenv("BOUCLIER_NOW"), NULL, 10) : time(NULL);

	if (stale < 0) {
		pr_warn("--stale-after %s: a duration expected, such as 90m or 2h\n", a->stale_after);
		return -E_USAGE;
	}
	v = calloc(MAX_TOWNS, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < a->npos; i++) {
		err = add_path(a->pos[i], stale, now, v, &n);
		if (err) {
			free(v);
			return err;
		}
	}
	if (a->roster) {
		FILE *f = fopen(a->roster, "re");
		char line[128];

		if (!f) {
			pr_warn("%s: %s\n", a->roster, strerror(errno));
			free(v);
			return -ENOENT;
		}
		while (fgets(line, sizeof(line), f) && n < MAX_TOWNS) {
			line[strcspn(line, "\r\n#")] = 0;
			if (!line[0])
				continue;
			for (i = 0; i < n && strcmp(v[i].name, line); i++)
				;
			if (i < n)
				continue;
			memset(&v[n], 0, sizeof(v[n]));
			snprintf(v[n].name, sizeof(v[n].name), "%.63s", line);
			strcpy(v[n].level, "unknown");
			v[n++].why = "no report";
		}
		fclose(f);
	}
	qsort(v, n, sizeof(*v), cmp_town);
	/* Regional figures, and the trend by date across every town. */
	for (i = 0; i < n; i++) {
		counts[level_rank(v[i].level)]++;
		total += v[i].attacks;
		yesterday += v[i].yesterday;
		for (k = 0; k < v[i].ndays; k++) {
			int d;

			for (d = 0; d < ndates && strcmp(dates[d], v[i].dates[k]); d++)
				;
			if (d == ndates) {
				if (ndates == TREND_DAYS)
					continue;
				snprintf(dates[ndates++], sizeof(dates[0]), "%s", v[i].dates[k]);
			}
			trend[d] += v[i].days[k];
		}
	}
	for (i = 1; i < ndates; i++) /* dates in order; a handful, insertion sort */
		for (k = i; k > 0 && strcmp(dates[k - 1], dates[k]) > 0; k--) {
			char t[11];
			unsigned long long x = trend[k];

			memcpy(t, dates[k], 11);
			memcpy(dates[k], dates[k - 1], 11);
			memcpy(dates[k - 1], t, 11);
			trend[k] = trend[k - 1];
			trend[k - 1] = x;
		}

	if (!strcmp(fmt, "json")) {
		printf("{\"schema\":\"bouclier.observatory/1\",\"generated_at_unix\":%lld,"
		       "\"towns_count\":%d,\"attacks\":%llu,\"yesterday\":%llu,\"levels\":{",
		       (long long)now, n, total, yesterday);
		for (i = 0; i < 5; i++)
			printf("%s\"%s\":%d", i ? "," : "", levels[i], counts[i]);
		printf("},\"towns\":[");
		for (i = 0; i < n; i++)
			printf("%s{\"town\":\"%s\",\"level\":\"%s\",\"attacks\":%llu,\"yesterday\":%llu,"
			       "\"distinct_sources\":%llu,\"generated_at_unix\":%lld,\"why\":%s%s%s}",
			       i ? "," : "", v[i].name, v[i].level, v[i].attacks, v[i].yesterday,
			       v[i].distinct, v[i].generated, v[i].why ? "\"" : "",
			       v[i].why ? v[i].why : "null", v[i].why ? "\"" : "");
		printf("],\"trend\":[");
		for (i = 0; i < ndates; i++)
			printf("%s{\"date\":\"%s\",\"attacks\":%llu}", i ? "," : "", dates[i], trend[i]);
		printf("]}\n");
	} else if (!strcmp(fmt, "html")) {
		printf("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>"
		       "bouclier observatory</title><style>body{font-family:sans-serif;margin:2em}"
		       "td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}"
		       ".tornado{background:#e9b8b8}.storm{background:#d4d9e2}.unknown{background:"
		       "#eee}.light{background:#e3eef8}.sunny{background:#fff6d6}</style></head>"
		       "<body><h1>Observatory: %d towns, %llu attacks blocked today</h1><p>",
		       n, total);
		for (i = 0; i < 5; i++)
			printf("%s%s: %d", i ? " · " : "", levels[i], counts[i]);
		printf("</p><table><tr><th>town</th><th>weather</th><th>attacks today</th>"
		       "<th>yesterday</th><th>note</th></tr>");
		for (i = 0; i < n; i++)
			printf("<tr class=\"%s\"><td>%s</td><td>%s</td><td>%llu</td><td>%llu</td>"
			       "<td>%s</td></tr>", strncmp(v[i].level, "light", 5) ? v[i].level : "light",
			       v[i].name, v[i].level, v[i].attacks, v[i].yesterday,
			       v[i].why ? v[i].why : "");
		printf("</table><h2>Trend</h2><table>");
		for (i = 0; i < ndates; i++)
			printf("<tr><td>%s</td><td>%llu</td></tr>", dates[i], trend[i]);
		printf("</table></body></html>\n");
	} else {
		printf("%d towns, %llu attacks blocked today (%llu yesterday)\n", n, total, yesterday);
		for (i = 0; i < 5; i++)
			printf("%s%s %d", i ? ", " : "  ", levels[i], counts[i]);
		printf("\n\n%-28s %-11s %12s %12s  %s\n", "town", "weather", "today", "yesterday",
		       "note");
		for (i = 0; i < n; i++)
			printf("%-28s %-11s %12llu %12llu  %s\n", v[i].name, v[i].level, v[i].attacks,
			       v[i].yesterday, v[i].why ? v[i].why : "");
		if (ndates) {
			printf("\ntrend (all towns):\n");
			for (i = ndates > 7 ? ndates - 7 : 0; i < ndates; i++)
				printf("  %s %12llu\n", dates[i], trend[i]);
		}
	}
	free(v);
	return 0;
}
