// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * observatory.c - `bouclier observatory`: many towns' `weather --json`
 * reports (read by town_report.c) merged into one regional view, and the
 * region's list made from the sources they name (region.h).
 *
 * A town is its name: of its several reports (one an hour, say), the newest
 * readable one is shown, and every one made within --window gives its
 * sources, counted once for the town.  Towns whose report is stale,
 * unreadable or missing (from --roster) are shown as unknown; the worst
 * come first; regional totals and the trend over the last 30 days follow,
 * in attacks.  Each town is shown against its own usual (from its report)
 * and against the region's median town.  Reports of schema
 * bouclier.weather/1 counted packets as attacks: their figures are shown as
 * packets and kept out of the attack totals.  With --publish, the sources
 * at least --min-towns towns saw are written and signed; the view says how
 * many, how many towns fed them, and what the region's list blocked in
 * towns that had not seen a source yet.  Every name goes out through the
 * escaping of the format written.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "ctx.h"
#include "log.h"
#include "observatory.h"
#include "out.h"
#include "parsers.h"
#include "region.h"
#include "weather/weather.h"

#define MAX_TOWNS 4096
#define HASH_SLOTS (2 * MAX_TOWNS) /* names to towns, open addressing */
#define TREND_DAYS OBSERVATORY_DAYS
#define NLEVELS OBSERVATORY_LEVELS

static const char *rank_name(int rank)
{
	return observatory_rank_name(rank, "en");
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

/* Everything read: the towns, by name, and the sightings of sources. */
struct reading {
	struct town *v;
	int n;
	int slot[HASH_SLOTS]; /* town index + 1; 0 free */
	long stale;
	time_t now, since;
	struct region_sightings seen;
	size_t reports, truncated;
	bool roster;                       /* --roster given: only its towns count */
	unsigned char rostered[MAX_TOWNS]; /* town index on the roster */
};

static unsigned int name_hash(const char *s)
{
	unsigned int h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The town named name: its index, a new one, or -ENOSPC past MAX_TOWNS. */
static int town_index(struct reading *g, const char *name, bool *fresh)
{
	unsigned int h = name_hash(name) % HASH_SLOTS;

	*fresh = false;
	while (g->slot[h]) {
		if (!strcmp(g->v[g->slot[h] - 1].name, name))
			return g->slot[h] - 1;
		h = (h + 1) % HASH_SLOTS;
	}
	if (g->n == MAX_TOWNS)
		return -ENOSPC;
	g->slot[h] = ++g->n;
	*fresh = true;
	return g->n - 1;
}

/* One report read: the town's row if it is the newest readable one (the
 * first file name on a tie, whatever order the reports came in), and its
 * sources as the town's sightings.  Under the reading's lock. */
static int merge_report(struct reading *g, const struct town *t, const struct town_sources *src)
{
	const struct town *was;
	size_t i;
	bool fresh;
	int k, err = 0;

	g->reports++;
	k = town_index(g, t->name, &fresh);
	if (k < 0) {
		g->truncated++;
		return 0;
	}
	was = &g->v[k];
	if (fresh || (t->why != observatory_why_unreadable &&
		      (was->why == observatory_why_unreadable || t->generated > was->generated ||
		       (t->generated == was->generated && strcmp(t->file, was->file) < 0))))
		g->v[k] = *t;
	for (i = 0; !err && i < src->n; i++)
		err = region_sighting_add(&g->seen, src->v[i].hi, src->v[i].lo, k,
					  src->v[i].attacks);
	return err;
}

/* The report files: the paths given, and the *.json of the directories. */
static int list_files(const struct strlist *paths, char ***files, size_t *n)
{
	size_t cap = 0;
	int i, err = 0;

	*files = NULL;
	*n = 0;
	for (i = 0; i < paths->n && !err; i++) {
		const char *path = paths->v[i];
		struct dirent *de = NULL;
		struct stat st;
		DIR *d = NULL;
		char p[4096];

		if (stat(path, &st)) {
			pr_warn("%s: %s\n", path, strerror(errno));
			return -ENOENT;
		}
		if (S_ISDIR(st.st_mode) && !(d = opendir(path)))
			return -errno;
		while (!err && (d ? (de = readdir(d)) != NULL : !de)) {
			size_t l = d ? strlen(de->d_name) : 0;

			if (d && (l < 6 || strcmp(de->d_name + l - 5, ".json")))
				continue;
			snprintf(p, sizeof(p), "%s%s%s", path, d ? "/" : "", d ? de->d_name : "");
			if (*n == cap) {
				void *grown = realloc(*files, (cap = cap ? cap * 2 : 1024) *
							      sizeof(**files));

				if (!grown) {
					err = -ENOMEM;
					break;
				}
				*files = grown;
			}
			if (!((*files)[*n] = strdup(p)))
				err = -ENOMEM;
			else
				(*n)++;
			if (!d)
				break;
		}
		if (d)
			closedir(d);
	}
	return err;
}

/* Reports are read by a few threads at once: parsing is nearly all of the
 * observatory's time (a thousand towns' reports are 60 MB of JSON), and
 * reports are independent; the merge is a short step under a lock. */
struct readers {
	struct reading *g;
	char **files;
	size_t nfiles;
	size_t next;      /* the next file to read, under lock */
	pthread_mutex_t lock;
	int err;
};

static void *reader(void *arg)
{
	struct readers *r = arg;
	struct town_sources src = { 0 };
	struct town t;
	size_t i;
	int err;

	for (;;) {
		pthread_mutex_lock(&r->lock);
		i = r->err ? r->nfiles : r->next++;
		pthread_mutex_unlock(&r->lock);
		if (i >= r->nfiles)
			break;
		src.n = 0;
		err = observatory_read_town(r->files[i], r->g->stale, r->g->now, &t, r->g->since,
					    &src);
		pthread_mutex_lock(&r->lock);
		if (!err)
			err = merge_report(r->g, &t, &src);
		if (err && !r->err)
			r->err = err;
		pthread_mutex_unlock(&r->lock);
	}
	free(src.v);
	observatory_arena_free();
	return NULL;
}

#define READERS_MAX 8

static int read_reports(struct reading *g, const struct strlist *paths)
{
	struct readers r = { .g = g, .lock = PTHREAD_MUTEX_INITIALIZER };
	pthread_t th[READERS_MAX];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int n = cpus < 1 ? 1 : cpus > READERS_MAX ? READERS_MAX : (int)cpus, k, started = 0;
	size_t i;

	r.err = list_files(paths, &r.files, &r.nfiles);
	json_object_seed(0); /* once, before the threads: jansson's own rule */
	observatory_fast_alloc();
	for (k = 1; !r.err && k < n && (size_t)k < r.nfiles; k++)
		started += !pthread_create(&th[started], NULL, reader, &r);
	if (!r.err)
		reader(&r);
	for (k = 0; k < started; k++)
		pthread_join(th[k], NULL);
	for (i = 0; i < r.nfiles; i++)
		free(r.files[i]);
	free(r.files);
	return r.err;
}

struct summary {
	int counts[NLEVELS], ndates, infected_towns, packets_only;
	unsigned long long total, packets, yesterday, trend[TREND_DAYS];
	double median;  /* attacks of the region's median town (reports in attacks, not down) */
	char dates[TREND_DAYS][11];
	/* the region's list */
	size_t entries, towns_fed;
	unsigned long long regional; /* summed over the towns' figures.regional */
	int regional_towns;          /* towns whose report says it (/3) */
	unsigned int min_towns;
	long window;
	const char *published;       /* the file, when --publish wrote it */
	bool withheld;               /* --publish refused: too few towns reported */
	unsigned long long sequence;
};

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static void sum_region(const struct town *v, int n, struct summary *g)
{
	unsigned long long *known = calloc(n ? n : 1, sizeof(*known));
	int nknown = 0, i, k;

	for (i = 0; i < n; i++) {
		g->counts[v[i].level]++;
		g->infected_towns += v[i].infected > 0;
		g->packets_only += v[i].packets_only;
		g->total += v[i].attacks;
		g->packets += v[i].packets;
		g->yesterday += v[i].packets_only ? 0 : v[i].yesterday;
		g->regional += v[i].regional;
		g->regional_towns += v[i].has_regional;
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

/* "3.2x", or "-" when there is nothing to compare with. */
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

/* A town's note in the language of w: why it is unknown, or that its
 * figures are packets. */
static const char *note(const struct town *t, const struct obs_words *w)
{
	if (t->why == observatory_why_unreadable)
		return w->unreadable;
	if (t->why == observatory_why_stale)
		return w->stale;
	if (t->why == observatory_why_missing)
		return w->missing;
	if (t->why)
		return w->down;
	return t->packets_only ? w->packets_only : "";
}

static json_t *region_json(const struct summary *g)
{
	json_t *x = json_object();

	jset(x, "entries", ju64(g->entries));
	jset(x, "towns_fed", ju64(g->towns_fed));
	jset(x, "min_towns", json_integer(g->min_towns));
	jset(x, "window_seconds", json_integer(g->window));
	jset(x, "published", jstr(g->published));
	jset(x, "sequence", g->published ? ju64(g->sequence) : json_null());
	/* what the region's list blocked in towns that had not seen the source */
	jset(x, "attacks_blocked_seen_first_elsewhere", ju64(g->regional));
	jset(x, "towns_reporting_it", json_integer(g->regional_towns));
	return x;
}

static void write_json(const struct town *v, int n, const struct summary *g, time_t now)
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
		jset(t, "regional", x->has_regional ? ju64(x->regional) : json_null());
		jset(t, "fed_the_regional_list", json_boolean(x->fed));
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
	jset(j, "region", region_json(g));
	jset(j, "towns", towns);
	jset(j, "trend", trend);
	json_print(stdout, j);
}

/* printf into a buffer, then escaped into the page. */
static void html_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void html_printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	html_esc(stdout, buf);
}

static void write_html(const struct town *v, int n, const struct summary *g, const char *lang)
{
	static const char *const css[NLEVELS] = { "tornado", "storm", "unknown", "light", "sunny" };
	const struct obs_words *w = weather_obs_words(lang);
	char u[32], r[32], a[WEATHER_NUMLEN], b[WEATHER_NUMLEN], c[WEATHER_NUMLEN];
	int i;

	printf("<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\"><title>"
	       "bouclier observatory</title><style>body{font-family:sans-serif;margin:2em}"
	       "td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}"
	       ".tornado{background:#e9b8b8}.storm{background:#d4d9e2}.unknown{background:"
	       "#eee}.light{background:#e3eef8}.sunny{background:#fff6d6}.def{color:#555}"
	       ".region{border-left:4px solid #2a6;padding-left:1em}"
	       "</style></head><body><h1>", w->lang);
	html_printf(w->title, n, weather_num(a, sizeof(a), g->total, lang));
	printf("</h1><p class=\"def\">");
	html_esc(stdout, weather_attack_definition(lang));
	printf("</p><p>");
	for (i = 0; i < NLEVELS; i++) {
		printf("%s", i ? " · " : "");
		html_printf("%s: %d", observatory_rank_name(i, lang), g->counts[i]);
	}
	printf(" · ");
	html_printf("%s: %d", w->infected, g->infected_towns);
	printf("</p><section class=\"region\"><h2>");
	html_esc(stdout, w->region);
	printf("</h2><p>");
	html_printf(w->region_list, weather_num(a, sizeof(a), g->entries, lang), g->min_towns,
		    (g->window + 3599) / 3600, weather_num(b, sizeof(b), g->towns_fed, lang));
	printf("</p><p><strong>");
	html_printf(w->region_saved, weather_num(c, sizeof(c), g->regional, lang));
	printf("</strong></p>");
	if (g->published) {
		printf("<p>");
		html_printf(w->region_published, g->published, g->sequence);
		printf("</p>");
	}
	printf("</section><table><tr>");
	for (i = 0; i < 9; i++) {
		const char *h[] = { w->town, w->weather, w->attacks, w->vs_usual, w->vs_region,
				    w->yesterday, w->machines, w->region_fed, w->note };

		printf("<th>");
		html_esc(stdout, h[i]);
		printf("</th>");
	}
	printf("</tr>");
	for (i = 0; i < n; i++) {
		const struct town *x = &v[i];
		int ok = !x->packets_only && !x->why;

		printf("<tr class=\"%s\"><td>", css[x->level]);
		html_esc(stdout, x->name);
		printf("</td><td>");
		html_esc(stdout, observatory_rank_name(x->level, lang));
		printf("</td><td>%s</td>", x->packets_only ? "-"
				: weather_num(a, sizeof(a), x->attacks, lang));
		printf("<td>%s</td><td>%s</td><td>%s</td><td>%llu</td><td>",
		       versus(x->attacks, x->usual, ok && x->has_usual, u, sizeof(u)),
		       versus(x->attacks, g->median, ok, r, sizeof(r)),
		       weather_num(b, sizeof(b), x->packets_only ? 0 : x->yesterday, lang),
		       x->infected);
		html_esc(stdout, x->fed ? w->yes : "");
		printf("</td><td>");
		html_esc(stdout, note(x, w));
		printf("</td></tr>");
	}
	printf("</table><h2>");
	html_esc(stdout, w->trend);
	printf("</h2><table>");
	for (i = 0; i < g->ndates; i++)
		printf("<tr><td>%s</td><td>%s</td></tr>", g->dates[i],
		       weather_num(a, sizeof(a), g->trend[i], lang));
	printf("</table></body></html>\n");
}

static void write_text(const struct town *v, int n, const struct summary *g)
{
	const struct obs_words *w = weather_obs_words("en");
	char name[64], u[32], r[32], a[32], e[32], f[32], s[32];
	int i;

	printf("%d towns, %llu attacks blocked today (%llu yesterday), %llu packets\n", n,
	       g->total, g->yesterday, g->packets);
	for (i = 0; i < NLEVELS; i++)
		printf("%s%s %d", i ? ", " : "  ", rank_name(i), g->counts[i]);
	printf("\n  towns with infected machines: %d\n", g->infected_towns);
	if (g->packets_only)
		printf("  towns counting packets (older bouclier, not in the totals): %d\n",
		       g->packets_only);
	printf("  %s\n  %s: ", weather_attack_definition("en"), w->region);
	printf(w->region_list, weather_num(e, sizeof(e), g->entries, "en"), g->min_towns,
	       (g->window + 3599) / 3600, weather_num(f, sizeof(f), g->towns_fed, "en"));
	printf("\n  ");
	printf(w->region_saved, weather_num(s, sizeof(s), g->regional, "en"));
	if (g->published) {
		printf("\n  ");
		printf(w->region_published, g->published, g->sequence);
	}
	printf("\n\n%-28s %-11s %10s %8s %8s %10s %9s  %s\n", "town", "weather", "attacks",
	       "usual", "region", "yesterday", "infected", "note");
	for (i = 0; i < n; i++) {
		const struct town *x = &v[i];
		int ok = !x->packets_only && !x->why;

		snprintf(a, sizeof(a), x->packets_only ? "-" : "%llu", x->attacks);
		printf("%-28s %-11s %10s %8s %8s %10llu %9llu  %s\n",
		       text_safe_buf(name, sizeof(name), x->name), rank_name(x->level), a,
		       versus(x->attacks, x->usual, ok && x->has_usual, u, sizeof(u)),
		       versus(x->attacks, g->median, ok, r, sizeof(r)),
		       x->packets_only ? 0 : x->yesterday, x->infected, note(x, w));
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

static const char *const *obs_langs(void)
{
	static const char *const names[] = { "en", "fr", NULL };

	return names;
}

struct obs_opts {
	struct strlist paths;
	int format, lang;
	bool json;
	long stale_after, window;
	const char *roster, *publish, *key, *min_towns;
};

static int read_roster(const char *path, struct reading *g)
{
	FILE *f = fopen(path, "re");
	char line[256];
	bool fresh;
	int k;

	if (!f) {
		pr_warn("%s: %s\n", path, strerror(errno));
		return -ENOENT;
	}
	g->roster = true;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n#")] = 0;
		line[63] = 0;
		if (!line[0])
			continue;
		k = town_index(g, line, &fresh);
		if (k < 0)
			continue;
		g->rostered[k] = 1;
		if (!fresh)
			continue;
		memset(&g->v[k], 0, sizeof(g->v[k]));
		snprintf(g->v[k].name, sizeof(g->v[k].name), "%.63s", line);
		g->v[k].level = observatory_rank("unknown");
		g->v[k].why = observatory_why_missing;
	}
	fclose(f);
	return 0;
}

/* The towns whose sightings count (the roster's, when there is one) with a
 * readable report made within the window; those off the roster are named. */
static unsigned int towns_reporting(const struct reading *g)
{
	unsigned int n = 0;
	int i;

	for (i = 0; i < g->n; i++) {
		const struct town *t = &g->v[i];
		bool read = t->why != observatory_why_unreadable && t->why != observatory_why_missing;

		if (g->roster && !g->rostered[i]) {
			if (read)
				pr_warn("%s: town \"%s\" is not on the roster: its sources do not count "
					"toward the region's list (add it to the roster if it is one of "
					"the region's)\n", t->file, t->name);
			continue;
		}
		n += read && t->generated >= g->since;
	}
	return n;
}

/* The region's list from the sightings: its figures in *sum, each town's
 * fed flag, and with --publish the list written and signed.  A list is
 * published only from the reports of at least min_towns towns made within
 * the window: reports that stopped arriving would otherwise publish an
 * empty list, signed, that empties every town's regional feed. */
static int make_list(struct reading *g, const struct obs_opts *a, struct summary *sum)
{
	struct region_params p = { sum->min_towns, a->window, 0, g->now };
	struct region_entry *v = NULL;
	unsigned char *fed = calloc(g->n ? g->n : 1, 1);
	unsigned int reporting = towns_reporting(g);
	size_t n = 0;
	int i, err;

	if (!fed)
		return -ENOMEM;
	err = region_select(&g->seen, sum->min_towns, g->roster ? g->rostered : NULL, fed, g->n,
			    &v, &n);
	for (i = 0; !err && i < g->n; i++) {
		g->v[i].fed = fed[i];
		sum->towns_fed += fed[i];
	}
	sum->entries = n;
	p.towns_fed = sum->towns_fed;
	if (!err && a->publish && reporting < sum->min_towns) {
		pr_warn("%s: not published: %u towns%s sent a readable report made within the "
			"window (--window), fewer than --min-towns %u; the list there stays as it "
			"was. Check that the towns' reports still arrive\n", a->publish, reporting,
			g->roster ? " of the roster" : "", sum->min_towns);
		sum->withheld = true;
	} else if (!err && a->publish) {
		err = region_publish(a->publish, a->key, v, n, &p, &sum->sequence);
		if (!err) {
			sum->published = a->publish;
			pr_info("%s: %zu sources seen by at least %u towns, from %zu towns' "
				"reports; sequence %llu, signed (%s.sig)\n", a->publish, n,
				sum->min_towns, sum->towns_fed, sum->sequence, a->publish);
		}
	}
	free(v);
	free(fed);
	return err;
}

static int run_observatory(struct ctx *c, void *o)
{
	struct obs_opts *a = o;
	struct summary sum = { 0 };
	struct reading *g;
	long min_towns = a->min_towns ? parse_count(a->min_towns) : 2;
	int err = 0;

	if (min_towns < 1 || min_towns > MAX_TOWNS) {
		pr_warn("--min-towns %s: a whole number from 1 to %d expected\n", a->min_towns,
			MAX_TOWNS);
		err = -E_USAGE;
	} else if (!a->publish != !a->key) {
		pr_warn("--publish FILE and --key SECRETKEY go together: the list is always signed "
			"(`bouclier keygen` makes the key)\n");
		err = -E_USAGE;
	} else if (a->window <= 0) {
		pr_warn("--window: a duration above 0 expected\n");
		err = -E_USAGE;
	}
	g = calloc(1, sizeof(*g));
	if (!err && (!g || !(g->v = calloc(MAX_TOWNS, sizeof(*g->v)))))
		err = -ENOMEM;
	if (err)
		goto out;
	g->stale = a->stale_after;
	g->now = c->now;
	g->since = c->now - a->window;
	sum.min_towns = min_towns;
	sum.window = a->window;
	err = read_reports(g, &a->paths);
	if (!err && g->truncated)
		pr_warn("%zu reports of towns past the first %d were left out\n", g->truncated,
			MAX_TOWNS);
	if (!err && a->roster)
		err = read_roster(a->roster, g);
	if (!err)
		err = make_list(g, a, &sum);
	if (!err || sum.entries) { /* a list that could not be written: the view still shows */
		qsort(g->v, g->n, sizeof(*g->v), cmp_town);
		sum_region(g->v, g->n, &sum);
		if (a->json || a->format == OBS_JSON)
			write_json(g->v, g->n, &sum, c->now);
		else if (a->format == OBS_HTML)
			write_html(g->v, g->n, &sum, obs_langs()[a->lang]);
		else
			write_text(g->v, g->n, &sum);
	}
	if (!err && sum.withheld)
		err = -EWOULDBLOCK; /* exit 75: try again when the reports are in */
out:
	if (g) {
		free(g->v);
		region_sightings_free(&g->seen);
	}
	free(g);
	free(a->paths.v);
	return err;
}

static const struct obs_opts obs_defaults = { .stale_after = 7200, .window = 86400 };

static const struct opt obs_opts[] = {
	{ .name = "FILES|DIR", OPT_FIELD(LIST, struct obs_opts, paths),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "FILES|DIR",
	  .help = "reports, or directories of *.json; a town's several reports count once" },
	{ .name = "format", OPT_FIELD(ENUM, struct obs_opts, format), .metavar = "FORMAT",
	  .help = "text (default), json or an HTML page", .choices = obs_formats },
	{ .name = "json", OPT_FIELD(BOOL, struct obs_opts, json),
	  .help = "the same as --format json" },
	{ .name = "lang", OPT_FIELD(ENUM, struct obs_opts, lang), .metavar = "LANG",
	  .help = "the page's language: en (default) or fr", .choices = obs_langs },
	{ .name = "stale-after", OPT_FIELD(DURATION, struct obs_opts, stale_after),
	  .metavar = "DURATION", .help = "reports older than this are unknown (default 2h)" },
	{ .name = "roster", OPT_FIELD(STR, struct obs_opts, roster), .metavar = "FILE",
	  .help = "the towns expected, one a line: those without a report are unknown" },
	{ .name = "publish", OPT_FIELD(STR, struct obs_opts, publish), .metavar = "OUT",
	  .help = "write the region's list to OUT and its signature to OUT.sig, for the towns "
		  "to fetch (its sequence one more than the OUT there)" },
	{ .name = "key", OPT_FIELD(STR, struct obs_opts, key), .metavar = "SECRETKEY",
	  .help = "the secret key that signs it (bouclier keygen)" },
	{ .name = "min-towns", OPT_FIELD(STR, struct obs_opts, min_towns), .metavar = "N",
	  .help = "list the sources that attacked at least N towns (default 2)" },
	{ .name = "window", OPT_FIELD(DURATION, struct obs_opts, window), .metavar = "DURATION",
	  .help = "... within this time: sources last seen earlier, and reports made earlier, "
		  "are left out (default 24h)" },
	{ NULL },
};

const struct command cmd_observatory = {
	.name = "observatory",
	.summary = "merge towns' `weather --json` reports into a regional view; publish the "
		   "region's signed list",
	.run = run_observatory,
	.size = sizeof(struct obs_opts),
	.defaults = &obs_defaults,
	.opts = obs_opts,
	.flags = CMD_NO_CONFIG,
};
