// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "config.h"
#include "state.h"

struct cfgctx {
	struct config *c;
	unsigned long ln;
	int errors;
};

static void bad(struct cfgctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(struct cfgctx *x, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%lu: ", x->c->file, x->ln);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	x->errors++;
}

static char *strip(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = 0;
	return s;
}

static int parse_fraction(struct cfgctx *x, const char *key, const char *v, double *out)
{
	char *end;
	double d = strtod(v, &end);

	if (end == v || *end || d <= 0 || d > 1) {
		bad(x, "%s = \"%s\": a fraction above 0 and at most 1 expected (0.5 refuses a "
		       "refresh that loses more than half a feed)", key, v);
		return -1;
	}
	*out = d;
	return 0;
}

static int parse_count(struct cfgctx *x, const char *key, const char *v, long *out)
{
	char *end;
	long n = strtol(v, &end, 10);

	if (end == v || *end || n < 0) {
		bad(x, "%s = \"%s\": a whole number expected", key, v);
		return -1;
	}
	*out = n;
	return 0;
}

/* "90", "90s", "45m", "26h", "2d" */
static int parse_duration(struct cfgctx *x, const char *key, const char *v, long *out)
{
	char *end;
	long n = strtol(v, &end, 10), mul = 1;

	if (end != v && *end && !end[1])
		mul = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : *end == 'd' ? 86400 : 0;
	else if (end != v && *end)
		mul = 0;
	if (end == v || n <= 0 || !mul) {
		bad(x, "%s = \"%s\": a duration expected, such as 90s, 45m, 26h or 2d", key, v);
		return -1;
	}
	*out = n * mul;
	return 0;
}

static void general_key(struct cfgctx *x, const char *k, const char *v)
{
	struct config *c = x->c;

	if (!strcmp(k, "town"))
		snprintf(c->town, sizeof(c->town), "%s", v);
	else if (!strcmp(k, "state_dir"))
		snprintf(c->state_dir, sizeof(c->state_dir), "%s", v);
	else if (!strcmp(k, "max_shrink"))
		parse_fraction(x, k, v, &c->max_shrink);
	else if (!strcmp(k, "stale_after"))
		parse_duration(x, k, v, &c->stale_after);
	else
		bad(x, "unknown key \"%s\" in [general] (expected town, state_dir, max_shrink, "
		       "stale_after)", k);
}

static void weather_key(struct cfgctx *x, const char *k, const char *v)
{
	static const char *const names[3] = { "light_rain", "storm", "tornado" };
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(k, names[i])) {
			parse_count(x, k, v, &x->c->weather[i]);
			return;
		}
	bad(x, "unknown key \"%s\" in [weather] (expected light_rain, storm, tornado)", k);
}

static void feed_key(struct cfgctx *x, struct config_feed *f, const char *k, const char *v)
{
	int fmt;

	if (!strcmp(k, "category")) {
		snprintf(f->category, sizeof(f->category), "%s", v);
	} else if (!strcmp(k, "format")) {
		fmt = feed_format_parse(v);
		if (fmt < 0)
			bad(x, "unknown format \"%s\" (expected one of %s)", v, feed_format_list());
		else
			f->format = fmt;
	} else if (!strcmp(k, "url")) {
		if (strncmp(v, "https://", 8) && strncmp(v, "http://", 7) && strncmp(v, "file://", 7))
			bad(x, "url = \"%s\": expected an http://, https:// or file:// address", v);
		snprintf(f->url, sizeof(f->url), "%s", v);
	} else if (!strcmp(k, "path")) {
		if (v[0] != '/')
			bad(x, "path = \"%s\": an absolute path expected", v);
		snprintf(f->path, sizeof(f->path), "%s", v);
	} else if (!strcmp(k, "max_shrink")) {
		parse_fraction(x, k, v, &f->max_shrink);
	} else {
		bad(x, "unknown key \"%s\" in [feed %s] (expected category, format, url, path, "
		       "max_shrink)", k, f->name);
	}
}

static void allow_line(struct cfgctx *x, const char *v)
{
	struct config *c = x->c;
	const char *why;
	struct cidr a, *n;
	int flags;

	if (cidr_parse(v, strlen(v), &a, &flags, &why)) {
		bad(x, "allowlist entry \"%s\": %s", v, why);
		return;
	}
	if (flags & CIDR_HOSTBITS)
		fprintf(stderr, "%s:%lu: warning: \"%s\" has host bits set; they are ignored\n",
			c->file, x->ln, v);
	n = realloc(c->allow, (c->nallow + 1) * sizeof(*n));
	if (!n) {
		x->errors++;
		return;
	}
	c->allow = n;
	c->allow[c->nallow++] = a;
}

int config_load(const char *path, struct config *c)
{
	enum { S_NONE, S_GENERAL, S_FEED, S_ALLOW, S_WEATHER } sect = S_NONE;
	struct cfgctx x = { c, 0, 0 };
	struct config_feed *f = NULL;
	char line[2048];
	FILE *fp;
	int i;

	memset(c, 0, sizeof(*c));
	snprintf(c->file, sizeof(c->file), "%s", path);
	snprintf(c->state_dir, sizeof(c->state_dir), "%s", STATE_DIR_DEFAULT);
	snprintf(c->town, sizeof(c->town), "unnamed");
	c->max_shrink = 0.5;
	c->stale_after = 26 * 3600;
	c->weather[0] = 1;
	c->weather[1] = 1000;
	c->weather[2] = 100000;
	fp = fopen(path, "re");
	if (!fp) {
		fprintf(stderr, "%s: cannot read the configuration: %s\n", path, strerror(errno));
		return errno == ENOENT ? -ENOENT : -E_CONFIG;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *s, *eq, *k, *v, *hash;

		x.ln++;
		if (!strchr(line, '\n') && !feof(fp)) {
			bad(&x, "line longer than %zu characters", sizeof(line) - 2);
			while (fgets(line, sizeof(line), fp) && !strchr(line, '\n'))
				;
			continue;
		}
		/* '#' starts a comment at the start of a line or after a space, so
		 * a URL's #fragment survives */
		for (hash = line; (hash = strchr(hash, '#')); hash++)
			if (hash == line || hash[-1] == ' ' || hash[-1] == '\t') {
				*hash = 0;
				break;
			}
		s = strip(line);
		if (!*s)
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');

			if (!end || end[1]) {
				bad(&x, "section header needs a closing ]");
				sect = S_NONE;
				continue;
			}
			*end = 0;
			s = strip(s + 1);
			f = NULL;
			if (!strcmp(s, "general"))
				sect = S_GENERAL;
			else if (!strcmp(s, "allow"))
				sect = S_ALLOW;
			else if (!strcmp(s, "weather"))
				sect = S_WEATHER;
			else if (!strncmp(s, "feed ", 5)) {
				char *name = strip(s + 5);

				sect = S_FEED;
				if (!state_feed_name_ok(name)) {
					bad(&x, "feed name \"%s\": use 1 to %d letters, digits, '-', "
						"'_' or '.'", name, BOUCLIER_NAME_LEN - 1);
					sect = S_NONE;
					continue;
				}
				for (i = 0; i < c->nfeeds; i++)
					if (!strcmp(c->feeds[i].name, name))
						bad(&x, "feed \"%s\" already defined at line %lu", name,
						    c->feeds[i].line);
				if (c->nfeeds == BOUCLIER_MAX_FEEDS) {
					bad(&x, "more than %d feeds", BOUCLIER_MAX_FEEDS);
					sect = S_NONE;
					continue;
				}
				f = &c->feeds[c->nfeeds++];
				snprintf(f->name, sizeof(f->name), "%s", name);
				snprintf(f->category, sizeof(f->category), "uncategorised");
				f->line = x.ln;
			} else {
				bad(&x, "unknown section [%s] (expected [general], [feed NAME], "
					"[allow], [weather])", s);
				sect = S_NONE;
			}
			continue;
		}
		if (sect == S_ALLOW) {
			allow_line(&x, s);
			continue;
		}
		eq = strchr(s, '=');
		if (!eq) {
			bad(&x, "expected key = value");
			continue;
		}
		*eq = 0;
		k = strip(s);
		v = strip(eq + 1);
		if (sect == S_GENERAL)
			general_key(&x, k, v);
		else if (sect == S_WEATHER)
			weather_key(&x, k, v);
		else if (sect == S_FEED)
			feed_key(&x, f, k, v);
		else
			bad(&x, "\"%s\" outside of any section", k);
	}
	fclose(fp);
	for (i = 0; i < c->nfeeds; i++) {
		f = &c->feeds[i];
		x.ln = f->line;
		if (!f->url[0] == !f->path[0])
			bad(&x, "feed %s needs exactly one of url = or path =", f->name);
		if (!f->max_shrink)
			f->max_shrink = c->max_shrink;
	}
	if (!(c->weather[0] <= c->weather[1] && c->weather[1] <= c->weather[2])) {
		x.ln = 0;
		bad(&x, "[weather] thresholds must grow: light_rain <= storm <= tornado");
	}
	if (x.errors) {
		fprintf(stderr, "%s: %d problem%s; nothing was changed\n", path, x.errors,
			x.errors > 1 ? "s" : "");
		return -E_CONFIG;
	}
	return 0;
}

void config_free(struct config *c)
{
	free(c->allow);
	c->allow = NULL;
	c->nallow = 0;
}

void config_feed_file(const struct config *c, const struct config_feed *f, char *buf,
		      size_t len)
{
	if (f->path[0])
		snprintf(buf, len, "%s", f->path);
	else
		snprintf(buf, len, "%s/downloads/%s", c->state_dir, f->name);
}
