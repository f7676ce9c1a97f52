// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "ctx.h"
#include "parsers.h"

enum section { S_NONE, S_GENERAL, S_FEED, S_ALLOW, S_WEATHER, S_DETECT, S_ALERT, S_MAX };

/* NULL-terminated after the last section, for config_sections() */
static const char *const section_names[S_MAX + 1] = {
	[S_GENERAL] = "general", [S_FEED] = "feed NAME", [S_ALLOW] = "allow",
	[S_WEATHER] = "weather", [S_DETECT] = "detect", [S_ALERT] = "alert",
};

enum key_type { K_TOWN, K_PATH, K_FRACTION, K_DURATION, K_COUNT, K_CATEGORY, K_FORMAT, K_URL,
		K_DIRECTION, K_SIZE, K_LEVELS, K_ACTION, K_ONOFF, K_DETECT_ACTION };

struct key {
	enum section sect;
	const char *name;
	enum key_type type;
	size_t off, len; /* into struct config, or struct config_feed for [feed] */
	const char *metavar, *dflt, *help;
	long min, max;   /* K_COUNT, K_DURATION: the values taken (0, 0: any above 0) */
};

#define G(field) offsetof(struct config, field), sizeof(((struct config *)0)->field)
#define F(field) offsetof(struct config_feed, field), sizeof(((struct config_feed *)0)->field)

/* Every key of the file, once: the parser, the messages and bouclier.conf(5)
 * read this table. */
static const struct key keys[] = {
	{ S_GENERAL, "town", K_TOWN, G(town), "NAME", "the host's name",
	  "the name the weather reports carry (up to 63 bytes of UTF-8)" },
	{ S_GENERAL, "state_dir", K_PATH, G(state_dir), "DIR", STATE_DIR_DEFAULT,
	  "lists, downloads and history; --state-dir and $BOUCLIER_STATE_DIR override it" },
	{ S_GENERAL, "max_shrink", K_FRACTION, G(max_shrink), "FRACTION", "0.5",
	  "refuse a refresh that loses more than this fraction of a feed" },
	{ S_GENERAL, "stale_after", K_DURATION, G(stale_after), "DURATION", "26h",
	  "lists older than this make the weather unknown" },
	{ S_GENERAL, "table_memory", K_SIZE, G(table_memory), "SIZE", "256M",
	  "the most kernel memory the compiled table may take (k, M, G); a feed that would "
	  "pass it is refused alone and keeps its last list while the others refresh" },
	{ S_FEED, "category", K_CATEGORY, F(category), "WORD", CATEGORY_DEFAULT,
	  "what the feed lists: botnet-c2, scanners, tor-exit, hijacked-netblocks, ..." },
	{ S_FEED, "url", K_URL, F(url), "URL", NULL,
	  "fetched by bouclier-fetch into STATE_DIR/downloads/NAME (http, https or file)" },
	{ S_FEED, "path", K_PATH, F(path), "FILE", NULL,
	  "or read from this file (absolute path); exactly one of url and path" },
	{ S_FEED, "format", K_FORMAT, F(format), "FORMAT", "auto",
	  "the file's format; auto recognises it from the file's structure" },
	{ S_FEED, "max_shrink", K_FRACTION, F(max_shrink), "FRACTION", "[general] max_shrink",
	  "this feed's own limit" },
	{ S_FEED, "direction", K_DIRECTION, F(direction), "in|out|both",
	  "both for categories botnet-c2, c2, botnet and malware and for lapi feeds, else in",
	  "drop the feed's addresses as sources on the way in, as destinations on the way out "
	  "(a machine of the town calling a command server), or both" },
	{ S_FEED, "action", K_ACTION, F(monitor), "enforce|monitor", "enforce",
	  "monitor: the feed's addresses pass and are counted as \"would drop\" (packets, "
	  "sources, top sources), to see what a list would block before enforcing it; an "
	  "address an enforcing feed lists too is dropped" },
	{ S_FEED, "verify", K_PATH, F(verify), "KEYFILE", NULL,
	  "the region's public key (bouclier keygen's KEY.pub): the feed is the region's list, "
	  "taken only with its signature FILE.sig by that key and never older than the live "
	  "one; else refused like a cut download, the live list kept. bouclier-fetch fetches "
	  "URL.sig with it. max_shrink does not apply: the list shrinks as sources leave the "
	  "observatory's window" },
	{ S_FEED, "min_score", K_COUNT, F(min_score), "N", "0 (every line)",
	  "with a score column (ipsum: how many lists name the address), keep the lines "
	  "scoring at least N" },
	{ S_FEED, "lapi", K_URL, F(lapi), "URL", NULL,
	  "CrowdSec's Local API, as the bouncers' configuration names it (such as "
	  "http://127.0.0.1:8080/), instead of url and path: bouclier watch polls its "
	  "decisions stream and bans the addresses and ranges of its ban decisions as timed bans, "
	  "each for its own duration, until they end or CrowdSec deletes them (captchas and other "
	  "decisions are never bans)" },
	{ S_FEED, "api_key_file", K_PATH, F(api_key_file), "FILE", NULL,
	  "with lapi: the file holding the bouncer's API key alone (cscli bouncers add "
	  "bouclier -o raw), root's, readable by no other account; sent as X-Api-Key, never on "
	  "a command line or in a log" },
	{ S_FEED, "lapi_interval", K_DURATION, F(lapi_interval), "DURATION", "10s",
	  "with lapi: how often the decisions are polled", 1, 3600 },
	{ S_WEATHER, "levels", K_LEVELS, G(levels), "usual|absolute",
	  "usual, or absolute when a threshold below is set",
	  "usual: storm when today is above the 90th percentile of the town's last 30 days "
	  "(compared up to the same time of day) and at least storm_floor, tornado when above "
	  "twice their busiest; until 7 days are known, and always with absolute, the "
	  "thresholds below decide" },
	{ S_WEATHER, "light_rain", K_COUNT, G(weather[0]), "N", "1",
	  "attacks since local midnight from which the weather is light rain (one attack: one "
	  "source trying one service in a quarter hour)" },
	{ S_WEATHER, "storm", K_COUNT, G(weather[1]), "N", "1000",
	  "attacks since local midnight from which the weather is a storm" },
	{ S_WEATHER, "tornado", K_COUNT, G(weather[2]), "N", "10000",
	  "attacks since local midnight from which the weather is a tornado" },
	{ S_WEATHER, "storm_floor", K_COUNT, G(storm_floor), "N", "20",
	  "with levels = usual, the fewest attacks that make a storm" },
	{ S_WEATHER, "tornado_floor", K_COUNT, G(tornado_floor), "N", "200",
	  "with levels = usual, the fewest attacks that make a tornado" },
	{ S_ALERT, "command", K_PATH, G(alert_command), "FILE", NULL,
	  "a program run on each alert (absolute path, no arguments): the event in "
	  "BOUCLIER_EVENT, BOUCLIER_TOWN, BOUCLIER_LEVEL, BOUCLIER_MESSAGE (English), "
	  "BOUCLIER_MESSAGE_FR, and as JSON on its standard input" },
	{ S_ALERT, "webhook", K_URL, G(alert_webhook), "URL", NULL,
	  "an http or https address each alert is posted to as JSON (with a \"text\" field, "
	  "as chat webhooks want), by curl" },
	{ S_ALERT, "min_interval", K_DURATION, G(alert_min_interval), "DURATION", "1h",
	  "a level going down again is told at most this often (a level going up, and the "
	  "filter stopping or starting again, are told at once)" },
	{ S_WEATHER, "flood_sources", K_COUNT, G(flood_sources), "N", "1000",
	  "distinct sources dropped within one quarter hour that make a tornado at once "
	  "(0: never)" },
	{ S_WEATHER, "report_sources", K_COUNT, G(report_sources), "N", "1000",
	  "the day's top sources `weather --json` gives the region's observatory (figures."
	  "sources: what each tried, its attacks, listed by which feeds or detected as what); "
	  "about 70 bytes each, 0 for none", 0, 10000 },
	{ S_DETECT, "detect", K_ONOFF, G(detect.on), "on|off", "on",
	  "watch each source's behaviour on the way in and ban, by itself, one that scans "
	  "ports, sweeps the town's addresses or guesses passwords" },
	{ S_DETECT, "action", K_DETECT_ACTION, G(detect.monitor), "ban|monitor", "ban",
	  "monitor: what would be banned is counted and listed, nothing is dropped" },
	{ S_DETECT, "window", K_DURATION, G(detect.window), "DURATION", "60s",
	  "the time in which a source's probes are counted, from its first one", 1, 86400 },
	{ S_DETECT, "scan_ports", K_COUNT, G(detect.scan_ports), "N", "20",
	  "distinct destination ports (TCP SYN, UDP requests) that make a port scan", 2, 200 },
	{ S_DETECT, "sweep_addresses", K_COUNT, G(detect.sweep_addresses), "N", "10",
	  "distinct addresses of the town probed that make an address sweep", 2, 100 },
	{ S_DETECT, "guess_connections", K_COUNT, G(detect.guesses), "N", "30",
	  "new connections to one sensitive service (ssh, telnet, ftp, mail, smb, rdp, vnc, "
	  "sip, vpn, databases) that make password guessing", 2, 65535 },
	{ S_DETECT, "ban", K_DURATION, G(detect.ban), "DURATION", "1h",
	  "how long a first ban lasts; each new ban of a repeat offender doubles it", 1,
	  365L * 86400 },
	{ S_DETECT, "max_ban", K_DURATION, G(detect.max_ban), "DURATION", "24h",
	  "the longest ban; a source banned again within this time of its last ban's end is a "
	  "repeat offender", 1, 365L * 86400 },
	{ S_DETECT, "max_bans", K_COUNT, G(detect.max_bans), "N", "10000",
	  "bans held at most; the oldest go first (fixed at attach)", 64, 1000000 },
	{ S_DETECT, "sources", K_COUNT, G(detect.sources), "N", "65536",
	  "sources whose behaviour is followed at once, about 150 bytes each of kernel memory; "
	  "a source takes one at its second probe, so forged sources of one packet take none, "
	  "and a flood of new ones pushes the oldest out, never a ban (fixed at attach)", 1024,
	  16777216 },
	{ S_DETECT, "peers", K_COUNT, G(detect.peers), "N", "65536",
	  "addresses the town's machines contacted that are remembered (fixed at attach)", 1024,
	  16777216 },
	{ S_DETECT, "peer_memory", K_DURATION, G(detect.peer_seconds), "DURATION", "1h",
	  "an address a machine of the town contacted within this time is never banned, and "
	  "contacting a banned one lifts its ban", 60, 30L * 86400 },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct cfgctx {
	struct config *c;
	unsigned long ln;
	int errors;
	bool thresholds_set; /* light_rain, storm or tornado was written */
};

static void bad(struct cfgctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bad(struct cfgctx *x, const char *fmt, ...)
{
	va_list ap;

	if (x->ln)
		fprintf(stderr, "%s:%lu: ", x->c->file, x->ln);
	else
		fprintf(stderr, "%s: ", x->c->file);
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

static bool name_chars_ok(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (!n || n >= max)
		return false;
	for (i = 0; i < n; i++)
		if (!(s[i] == '-' || s[i] == '_' || s[i] == '.' || (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return false;
	return true;
}

bool feed_name_ok(const char *name)
{
	return name_chars_ok(name, BOUCLIER_NAME_LEN) && name[0] != '.';
}

bool category_name_ok(const char *s)
{
	return name_chars_ok(s, BOUCLIER_NAME_LEN);
}

/* Well-formed UTF-8 (no overlongs, no surrogates) without control characters. */
bool town_name_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	if (!n || n >= TOWN_LEN)
		return false;
	while (*p) {
		unsigned int c = *p, need, cp, min;

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return false;
			p++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			need = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			need = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			need = 3, cp = c & 0x07, min = 0x10000;
		else
			return false;
		for (p++; need; need--, p++) {
			if ((*p & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (*p & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (cp >= 0x80 && cp < 0xa0))
			return false;
	}
	return true;
}

static void set_value(struct cfgctx *x, const struct key *k, void *base, const char *v)
{
	char *dst = (char *)base + k->off, *end;
	double d;
	long n;
	int fmt;

	switch (k->type) {
	case K_TOWN:
		if (!town_name_ok(v))
			bad(x, "%s = \"%s\": 1 to %d bytes of UTF-8 text without control characters "
			       "expected", k->name, v, TOWN_LEN - 1);
		else
			snprintf(dst, k->len, "%s", v);
		break;
	case K_CATEGORY:
		if (!category_name_ok(v))
			bad(x, "%s = \"%s\": use 1 to %d letters, digits, '-', '_' or '.'", k->name, v,
			    BOUCLIER_NAME_LEN - 1);
		else
			snprintf(dst, k->len, "%s", v);
		break;
	case K_PATH:
		if (v[0] != '/')
			bad(x, "%s = \"%s\": an absolute path expected", k->name, v);
		else if (strlen(v) >= k->len)
			bad(x, "%s = \"%s\": too long", k->name, v);
		else
			snprintf(dst, k->len, "%s", v);
		if (!strcmp(k->name, "state_dir"))
			x->c->state_dir_set = true;
		break;
	case K_URL:
		if (strncmp(v, "https://", 8) && strncmp(v, "http://", 7) && strncmp(v, "file://", 7))
			bad(x, "%s = \"%s\": expected an http://, https:// or file:// address",
			    k->name, v);
		else if (strpbrk(v, " \t\"'\\"))
			bad(x, "%s = \"%s\": spaces, quotes and backslashes must be %%-encoded in a "
			       "URL", k->name, v);
		else if (strlen(v) >= k->len)
			bad(x, "%s = \"%s\": too long", k->name, v);
		else
			snprintf(dst, k->len, "%s", v);
		break;
	case K_FRACTION:
		d = strtod(v, &end);
		if (end == v || *end || !(d > 0 && d <= 1))
			bad(x, "%s = \"%s\": a fraction above 0 and at most 1 expected (0.5 refuses a "
			       "refresh that loses more than half a feed)", k->name, v);
		else
			*(double *)dst = d;
		break;
	case K_DURATION:
		n = parse_duration(v);
		if (n <= 0)
			bad(x, "%s = \"%s\": a duration expected, " DURATION_EXAMPLES, k->name, v);
		else if (k->max && (n < k->min || n > k->max))
			bad(x, "%s = \"%s\": between %lds and %lds expected", k->name, v, k->min,
			    k->max);
		else
			*(long *)dst = n;
		break;
	case K_COUNT:
		n = parse_count(v);
		if (n < 0)
			bad(x, "%s = \"%s\": a whole number expected", k->name, v);
		else if (k->max && (n < k->min || n > k->max))
			bad(x, "%s = \"%s\": a whole number from %ld to %ld expected", k->name, v,
			    k->min, k->max);
		else
			*(long *)dst = n;
		break;
	case K_ONOFF:
		if (!strcmp(v, "on") || !strcmp(v, "off"))
			*(bool *)dst = !strcmp(v, "on");
		else
			bad(x, "%s = \"%s\": on or off expected", k->name, v);
		break;
	case K_DETECT_ACTION:
		if (!strcmp(v, "ban") || !strcmp(v, "monitor"))
			*(bool *)dst = !strcmp(v, "monitor");
		else
			bad(x, "%s = \"%s\": ban or monitor expected", k->name, v);
		break;
	case K_DIRECTION:
		for (fmt = DIR_IN; fmt <= DIR_BOTH && strcmp(direction_names()[fmt], v); fmt++)
			;
		if (fmt > DIR_BOTH)
			bad(x, "%s = \"%s\": in, out or both expected", k->name, v);
		else
			*(int *)dst = fmt;
		break;
	case K_SIZE: {
		unsigned long long sz;

		errno = 0;
		sz = strtoull(v, &end, 10);
		if (*end == 'k' || *end == 'K')
			sz <<= 10, end++;
		else if (*end == 'M')
			sz <<= 20, end++;
		else if (*end == 'G')
			sz <<= 30, end++;
		if (end == v || *end || errno || sz < (8ULL << 20) || sz > (64ULL << 30))
			bad(x, "%s = \"%s\": a size between 8M and 64G expected, such as 256M",
			    k->name, v);
		else
			*(long long *)dst = sz;
		break;
	}
	case K_ACTION:
		if (!strcmp(v, "enforce") || !strcmp(v, "monitor"))
			*(int *)dst = !strcmp(v, "monitor");
		else
			bad(x, "%s = \"%s\": enforce or monitor expected", k->name, v);
		break;
	case K_LEVELS:
		if (!strcmp(v, "usual"))
			*(int *)dst = LEVELS_USUAL;
		else if (!strcmp(v, "absolute"))
			*(int *)dst = LEVELS_ABSOLUTE;
		else
			bad(x, "%s = \"%s\": usual or absolute expected", k->name, v);
		break;
	case K_FORMAT:
		fmt = feed_format_parse(v);
		if (fmt < 0)
			bad(x, "unknown format \"%s\" (expected one of %s)", v, feed_format_list());
		else
			*(int *)dst = fmt;
		break;
	}
}

static void key_line(struct cfgctx *x, enum section sect, struct config_feed *f, const char *k,
		     const char *v)
{
	char expected[256];
	size_t i, len = 0;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].sect == sect && !strcmp(keys[i].name, k)) {
			set_value(x, &keys[i], sect == S_FEED ? (void *)f : (void *)x->c, v);
			if (sect == S_WEATHER && keys[i].off >= offsetof(struct config, weather) &&
			    keys[i].off < offsetof(struct config, weather) + sizeof(x->c->weather))
				x->thresholds_set = true;
			return;
		}
	for (i = 0; i < NKEYS; i++)
		if (keys[i].sect == sect)
			len += snprintf(expected + len, sizeof(expected) - len, "%s%s",
					len ? ", " : "", keys[i].name);
	if (sect == S_FEED)
		bad(x, "unknown key \"%s\" in [feed %s] (expected %s)", k, f->name, expected);
	else
		bad(x, "unknown key \"%s\" in [%s] (expected %s)", k, section_names[sect], expected);
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

bool config_key_doc(size_t i, struct config_key_doc *d)
{
	if (i >= NKEYS)
		return false;
	*d = (struct config_key_doc){ section_names[keys[i].sect], keys[i].name, keys[i].metavar,
				      keys[i].dflt, keys[i].help, NULL };
	if (keys[i].type == K_FORMAT)
		d->choices = feed_format_list();
	return true;
}

const char *const *config_sections(void)
{
	return section_names + S_GENERAL;
}

const char *config_distrust(const struct stat *st, const char *path, bool secret, char *buf,
			    size_t len)
{
	if (st->st_mode & S_IWOTH)
		snprintf(buf, len, "writable by every account; bouclier runs as root and will not "
			 "read it (chmod o-w %s)", path);
	else if ((st->st_mode & S_IWGRP) && st->st_gid != 0)
		snprintf(buf, len, "writable by group %u; bouclier runs as root and will not read "
			 "it (chmod g-w %s)", (unsigned)st->st_gid, path);
	else if (secret && (st->st_mode & S_IROTH))
		snprintf(buf, len, "a secret readable by every account (chmod o-r %s)", path);
	else if (geteuid() == 0 && st->st_uid != 0)
		snprintf(buf, len, "belongs to uid %u; as root bouclier reads only root's files "
			 "(chown root %s)", (unsigned)st->st_uid, path);
	else
		return NULL;
	return buf;
}

/* The configuration says which files bouclier reads and where it writes as
 * root: one another account may change would hand that account root's
 * pen.  Refused with the command that fixes it. */
bool config_trusted(int fd, const char *path)
{
	struct stat st;
	char why[PATH_MAX + 128];

	if (fstat(fd, &st))
		return false;
	if (config_distrust(&st, path, false, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", path, why);
		return false;
	}
	return true;
}

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->state_dir, sizeof(c->state_dir), "%s", STATE_DIR_DEFAULT);
	if (gethostname(c->town, sizeof(c->town) - 1) || !town_name_ok(c->town))
		snprintf(c->town, sizeof(c->town), "unnamed");
	c->max_shrink = 0.5;
	c->stale_after = 26 * 3600;
	c->table_memory = 256LL << 20;
	c->weather[0] = 1;
	c->weather[1] = 1000;
	c->weather[2] = 10000;
	c->storm_floor = 20;
	c->tornado_floor = 200;
	c->flood_sources = 1000;
	c->report_sources = 1000;
	c->alert_min_interval = 3600;
	detect_defaults(&c->detect);
}

static enum section section_line(struct cfgctx *x, char *s, struct config_feed **f)
{
	struct config *c = x->c;
	char *end = strchr(s, ']');
	int i;

	*f = NULL;
	if (!end || end[1]) {
		bad(x, "section header needs a closing ]");
		return S_NONE;
	}
	*end = 0;
	s = strip(s + 1);
	if (!strcmp(s, "general"))
		return S_GENERAL;
	if (!strcmp(s, "allow"))
		return S_ALLOW;
	if (!strcmp(s, "weather"))
		return S_WEATHER;
	if (!strcmp(s, "alert"))
		return S_ALERT;
	if (!strcmp(s, "detect"))
		return S_DETECT;
	if (strncmp(s, "feed ", 5)) {
		bad(x, "unknown section [%s] (expected [general], [feed NAME], [allow], [weather], "
		    "[detect], [alert])",
		    s);
		return S_NONE;
	}
	s = strip(s + 5);
	if (!feed_name_ok(s)) {
		bad(x, "feed name \"%s\": use 1 to %d letters, digits, '-', '_' or '.'", s,
		    BOUCLIER_NAME_LEN - 1);
		return S_NONE;
	}
	for (i = 0; i < c->nfeeds; i++)
		if (!strcmp(c->feeds[i].name, s))
			bad(x, "feed \"%s\" already defined at line %lu", s, c->feeds[i].line);
	if (c->nfeeds == BOUCLIER_USER_FEEDS) {
		bad(x, "more than %d feeds", BOUCLIER_USER_FEEDS);
		return S_NONE;
	}
	*f = &c->feeds[c->nfeeds++];
	snprintf((*f)->name, sizeof((*f)->name), "%s", s);
	snprintf((*f)->category, sizeof((*f)->category), "%s", CATEGORY_DEFAULT);
	(*f)->direction = -1;
	(*f)->line = x->ln;
	return S_FEED;
}

/* A [feed NAME] with lapi =: its bans are timed bans (lapi.h), so what
 * shapes a compiled list does not apply. */
static void lapi_feed(struct cfgctx *x, struct config_feed *f)
{
	if (f->url[0] || f->path[0])
		bad(x, "feed %s: lapi = is instead of url = and path =", f->name);
	if (strncmp(f->lapi, "http://", 7) && strncmp(f->lapi, "https://", 8))
		bad(x, "feed %s: lapi = \"%s\": an http:// or https:// address expected", f->name,
		    f->lapi);
	if (!f->api_key_file[0])
		bad(x, "feed %s: lapi = needs api_key_file = (the bouncer's key, alone in a file "
		       "of root's)", f->name);
	if (f->format != FEED_AUTO || f->min_score || f->monitor || f->max_shrink || f->verify[0])
		bad(x, "feed %s: format, min_score, max_shrink, verify and action = monitor are for "
		       "lists; a lapi feed's bans are timed bans", f->name);
	if (!f->lapi_interval)
		f->lapi_interval = 10;
	if (f->direction < 0)
		f->direction = DIR_BOTH; /* as `ban import`, and CrowdSec's own bouncers */
}

int config_load(const char *path, struct config *c)
{
	enum section sect = S_NONE;
	struct cfgctx x = { c, 0, 0 };
	struct config_feed *f = NULL;
	char line[2048];
	FILE *fp;
	int i, k;

	config_defaults(c);
	snprintf(c->file, sizeof(c->file), "%s", path);
	fp = fopen(path, "re");
	if (!fp) {
		int err = errno;

		fprintf(stderr, "%s: cannot read the configuration: %s\n", path, strerror(err));
		return err == ENOENT ? -ENOENT : -E_CONFIG;
	}
	if (!config_trusted(fileno(fp), path)) {
		fclose(fp);
		return -E_CONFIG;
	}
	while (fgets(line, sizeof(line), fp)) {
		char *s, *eq, *hash;

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
			sect = section_line(&x, s, &f);
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
		if (sect == S_NONE)
			bad(&x, "\"%s\" outside of any section", strip(s));
		else
			key_line(&x, sect, f, strip(s), strip(eq + 1));
	}
	fclose(fp);
	for (i = 0; i < c->nfeeds; i++) {
		f = &c->feeds[i];
		x.ln = f->line;
		if (f->lapi[0]) {
			lapi_feed(&x, f);
			continue;
		}
		if (!f->url[0] == !f->path[0])
			bad(&x, "feed %s needs exactly one of url =, path = or lapi =", f->name);
		if (f->api_key_file[0] || f->lapi_interval)
			bad(&x, "feed %s: api_key_file and lapi_interval go with lapi =", f->name);
		if (f->verify[0] && f->format != FEED_AUTO && f->format != FEED_REGION)
			bad(&x, "feed %s: verify = takes the region's list, whose format is "
			    "region: remove format = %s", f->name, feed_format_name(f->format));
		if (!f->max_shrink)
			f->max_shrink = c->max_shrink;
		if (f->direction < 0)
			f->direction = direction_for_category(f->category);
	}
	/* the LAPI feeds leave feeds[]: nothing that compiles lists sees them */
	for (i = 0, k = 0; i < c->nfeeds; i++) {
		if (!c->feeds[i].lapi[0])
			c->feeds[k++] = c->feeds[i];
		else if (c->nlapis < CONFIG_LAPI_FEEDS)
			c->lapis[c->nlapis++] = c->feeds[i];
		else {
			x.ln = c->feeds[i].line;
			bad(&x, "more than %d feeds with lapi =", CONFIG_LAPI_FEEDS);
		}
	}
	c->nfeeds = k;
	if (!(c->weather[0] <= c->weather[1] && c->weather[1] <= c->weather[2])) {
		x.ln = 0;
		bad(&x, "[weather] thresholds must grow: light_rain <= storm <= tornado");
	}
	if (c->alert_webhook[0] && strncmp(c->alert_webhook, "https://", 8) &&
	    strncmp(c->alert_webhook, "http://", 7)) {
		x.ln = 0;
		bad(&x, "[alert] webhook = \"%s\": an http:// or https:// address expected",
		    c->alert_webhook);
	}
	if (c->storm_floor > c->tornado_floor) {
		x.ln = 0;
		bad(&x, "[weather] storm_floor must be at most tornado_floor");
	}
	if (c->detect.ban > c->detect.max_ban) {
		x.ln = 0;
		bad(&x, "[detect] ban must be at most max_ban");
	}
	c->weather_absolute = c->levels == LEVELS_ABSOLUTE ||
			      (c->levels == LEVELS_AUTO && x.thresholds_set);
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
