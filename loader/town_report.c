// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * town_report.c - one town's `weather --json` report as the observatory
 * reads it (observatory.h): outside data, read with a JSON parser (any
 * valid JSON, whatever its whitespace), every field checked for its type.
 * Schemas /1 (packets counted as attacks), /2 and /3 (with the sources the
 * region's list is made of) are read.  Nothing here writes: observatory.c
 * escapes every name for the format it writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cidr.h"
#include "log.h"
#include "observatory.h"
#include "weather/weather.h"

const char observatory_why_unreadable[] = "unreadable report";
const char observatory_why_stale[] = "stale report";
const char observatory_why_missing[] = "no report";
const char observatory_why_down[] = "the town's filter reports unknown";

/* Levels in the order of concern: a town whose filter is down comes after
 * storms.  Their names are the weather's (words.c). */
static const enum level order[] = { LEVEL_TORNADO, LEVEL_STORM, LEVEL_UNKNOWN, LEVEL_LIGHT_RAIN,
				    LEVEL_SUNNY };
_Static_assert(sizeof(order) / sizeof(order[0]) == OBSERVATORY_LEVELS, "one rank a level");

const char *observatory_rank_name(int rank, const char *lang)
{
	return weather_level_name(order[rank], lang);
}

int observatory_rank(const char *level)
{
	int i;

	for (i = 0; level && i < OBSERVATORY_LEVELS; i++)
		if (!strcmp(level, observatory_rank_name(i, "en")))
			return i;
	return observatory_rank("unknown");
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

bool town_source_special(__u64 hi, __u64 lo)
{
	static const struct {
		__u32 net, mask;
	} v4[] = {
		{ 0x00000000, 0xff000000 }, /* "this network" */
		{ 0x0a000000, 0xff000000 }, /* private */
		{ 0x64400000, 0xffc00000 }, /* shared address space (carrier NAT) */
		{ 0x7f000000, 0xff000000 }, /* loopback */
		{ 0xa9fe0000, 0xffff0000 }, /* link-local */
		{ 0xac100000, 0xfff00000 }, /* private */
		{ 0xc0000000, 0xffffff00 }, /* IETF protocol assignments */
		{ 0xc0a80000, 0xffff0000 }, /* private */
		{ 0xc6120000, 0xfffe0000 }, /* benchmarking */
		{ 0xe0000000, 0xe0000000 }, /* multicast, reserved, broadcast */
	};
	size_t i;

	/* the documentation ranges stay listable: they route nowhere, and the
	 * tests and examples are written with them */
	if (!hi && (lo >> 32) == 0xffff) {
		for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
			if (((__u32)lo & v4[i].mask) == v4[i].net)
				return true;
		return false;
	}
	return !hi ||                 /* ::/64: unspecified, loopback, mapped */
	       (hi >> 54) == 0x3fa || /* fe80::/10 link-local */
	       (hi >> 57) == 0x7e ||  /* fc00::/7 unique local */
	       (hi >> 56) == 0xff;    /* ff00::/8 multicast */
}

/* figures.sources.rows of a /3 report: [address, attacks, last_seen_unix,
 * ...], the rest for people.  A row of any other shape is skipped. */
static int read_sources(json_t *fig, time_t since, long long generated, struct town_sources *src)
{
	json_t *rows = json_object_get(json_object_get(fig, "sources"), "rows"), *row;
	size_t i, taken = 0;

	json_array_foreach(rows, i, row) {
		json_t *a = json_array_get(row, 0), *n = json_array_get(row, 1);
		json_t *seen = json_array_get(row, 2);
		long long last = json_is_integer(seen) ? json_integer_value(seen) : generated;
		const char *why;
		struct town_source s;
		struct cidr c;
		int flags;

		if (taken == OBSERVATORY_SOURCES_MAX)
			break;
		if (last > generated) /* seen after the report was made: not to outlive it */
			last = generated;
		if (!json_is_string(a) || last < since ||
		    cidr_parse(json_string_value(a), json_string_length(a), &c, &flags, &why))
			continue;
		if (c.family == 4 && c.plen == 32) {
			s.hi = 0;
			s.lo = 0xffff00000000ULL | cidr_v4(&c);
		} else if (c.family == 6 && c.plen >= 64) {
			cidr_v6(&c, &s.hi, &s.lo);
			s.lo = 0; /* an IPv6 attacker holds a /64 */
		} else {
			continue; /* a network: no town reports one */
		}
		if (town_source_special(s.hi, s.lo))
			continue;
		s.attacks = json_is_integer(n) && json_integer_value(n) > 0
				    ? (json_integer_value(n) < UINT32_MAX ? json_integer_value(n)
									  : UINT32_MAX)
				    : 0;
		if (src->n == src->cap) {
			size_t cap = src->cap ? src->cap * 2 : 1024;
			void *v = realloc(src->v, cap * sizeof(*src->v));

			if (!v)
				return -ENOMEM;
			src->v = v;
			src->cap = cap;
		}
		src->v[src->n++] = s;
		taken++;
	}
	return 0;
}

/* jansson allocates every value of a report apart: a thousand towns' are
 * ten million mallocs and frees, a third of the observatory's time.  While
 * a report is read, its values come from an arena of the thread's, emptied
 * at once when the report is done; outside, malloc and free as always. */
struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};
static __thread struct arena_block *arena;
static __thread bool arena_on;

static bool in_arena(const void *p)
{
	const struct arena_block *b;

	for (b = arena; b; b = b->next)
		if ((const char *)p >= (const char *)b->data &&
		    (const char *)p < (const char *)b->data + b->size)
			return true;
	return false;
}

static void *arena_alloc(size_t n)
{
	struct arena_block *b = arena;
	size_t want = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);

	if (!arena_on)
		return malloc(n);
	if (want < n)
		return NULL;
	/* the newest block first; older ones are full enough */
	if (!b || b->size - b->used < want) {
		size_t size = want > (1u << 20) ? want : 1u << 20;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->used = 0;
		b->size = size;
		b->next = arena;
		arena = b;
	}
	b->used += want;
	return (char *)b->data + b->used - want;
}

static void arena_free(void *p)
{
	if (p && !in_arena(p))
		free(p);
}

/* Empties the thread's arena: one block kept for the next report, the
 * rest given back. */
static void arena_reset(void)
{
	struct arena_block *b;

	while (arena && arena->next) {
		b = arena->next;
		arena->next = b->next;
		free(b);
	}
	if (arena)
		arena->used = 0;
}

void observatory_fast_alloc(void)
{
	json_set_alloc_funcs(arena_alloc, arena_free);
}

void observatory_arena_free(void)
{
	arena_reset();
	free(arena);
	arena = NULL;
}

/* The file whole, for json_loadb(): json_load_file() reads a byte at a time
 * through stdio, a tenth slower on a thousand reports. */
static json_t *load(const char *path, json_error_t *jerr)
{
	struct stat st;
	json_t *j = NULL;
	char *buf;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > OBSERVATORY_REPORT_MAX ||
	    !(buf = malloc(st.st_size ? st.st_size : 1))) {
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size && (n = read(fd, buf + got, st.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += n;
	}
	close(fd);
	if (got == (size_t)st.st_size)
		j = json_loadb(buf, got, JSON_REJECT_DUPLICATES, jerr);
	free(buf);
	return j;
}

/* A report made further ahead of the observatory's clock than this is the
 * town's clock gone wrong, not a late delivery. */
#define REPORT_AHEAD 600

int observatory_read_town(const char *path, long stale, time_t now, struct town *t,
			  time_t since, struct town_sources *src)
{
	const char *base = strrchr(path, '/'), *s;
	json_error_t jerr = { .text = "cannot read the file" };
	json_t *j = NULL, *fig, *days, *d;
	int err = 0, v3;
	bool ahead;
	size_t i;

	memset(t, 0, sizeof(*t));
	snprintf(t->file, sizeof(t->file), "%s", path);
	snprintf(t->name, sizeof(t->name), "%s", base ? base + 1 : path);
	t->level = observatory_rank("unknown");
	t->why = observatory_why_unreadable;
	arena_on = true;
	j = load(path, &jerr);
	if (!j || !json_is_object(j) ||
	    !(s = json_string_value(json_object_get(j, "schema"))) ||
	    (strcmp(s, WEATHER_SCHEMA) && strcmp(s, WEATHER_SCHEMA_V2) &&
	     strcmp(s, WEATHER_SCHEMA_V1)) ||
	    !(s = json_string_value(json_object_get(j, "town"))) || !*s) {
		pr_debug("%s: %s\n", path, j ? "not a weather report" : jerr.text);
		json_decref(j);
		arena_on = false;
		arena_reset();
		return 0;
	}
	snprintf(t->name, sizeof(t->name), "%s", s);
	s = json_string_value(json_object_get(j, "schema"));
	t->packets_only = !strcmp(s, WEATHER_SCHEMA_V1);
	v3 = !strcmp(s, WEATHER_SCHEMA);
	t->why = NULL;
	t->level = observatory_rank(json_string_value(json_object_get(j, "level")));
	t->generated = num(j, "generated_at_unix");
	ahead = t->generated > (long long)now + REPORT_AHEAD;
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
	if (v3) {
		t->has_regional = 1;
		t->regional = num(fig, "regional");
		if (src && t->generated >= since && !ahead)
			err = read_sources(fig, since, t->generated, src);
	}
	t->yesterday = num(fig, "yesterday");
	t->distinct = num(fig, "distinct_sources");
	t->infected = json_array_size(json_object_get(json_object_get(fig, "outbound"),
						      "inside_hosts"));
	days = json_object_get(fig, "last_30_days");
	json_array_foreach(days, i, d) {
		const char *date = json_string_value(json_object_get(d, "date"));

		/* the trend is in attacks: days counted in packets stay out */
		if (t->ndays == OBSERVATORY_DAYS || !date_ok(date) || t->packets_only ||
		    !json_is_integer(json_object_get(d, "attacks")))
			continue;
		memcpy(t->dates[t->ndays], date, 11);
		t->days[t->ndays++] = num(d, "attacks");
	}
	if (ahead) {
		/* it would never go stale, and hide the town's later reports */
		pr_warn("%s: made %lld seconds in the future (generated_at_unix): the town's "
			"clock is wrong; its report counts once the clock is set right\n", path,
			t->generated - (long long)now);
		t->level = observatory_rank("unknown");
		t->why = observatory_why_unreadable;
	} else if (now - t->generated > stale) {
		t->level = observatory_rank("unknown");
		t->why = observatory_why_stale;
	} else if (t->level == observatory_rank("unknown")) {
		t->why = observatory_why_down;
	}
	json_decref(j);
	arena_on = false;
	arena_reset();
	return err;
}
