/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * config.h - /etc/bouclier/bouclier.conf: feeds, allowlist, weather
 * thresholds, detection, alerts.  An INI-like file whose keys are one table (config_keys in
 * config.c: name, type, help), from which the parser, `config check` and
 * bouclier.conf(5) are made.  config_load() reports every problem as
 * FILE:LINE and returns -E_CONFIG (exit 78) when there was any.
 */
#ifndef BOUCLIER_CONFIG_H
#define BOUCLIER_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include "bouclier.h"
#include "cidr.h"
#include "detect.h"
#include "feed.h"
#include "parsers.h" /* enum direction */

#define CONFIG_PATH_DEFAULT "/etc/bouclier/bouclier.conf"
#define STATE_DIR_DEFAULT "/var/lib/bouclier"
/* A feed's category when neither its configuration nor `feed load` names
 * one; the weather writes it in the reader's language (weather_category()). */
#define CATEGORY_DEFAULT "uncategorised"
#define TOWN_LEN 64

struct config_feed {
	char name[BOUCLIER_NAME_LEN];
	char category[BOUCLIER_NAME_LEN];
	int format;          /* enum feed_format */
	char url[1024];      /* fetched by tools/bouclier-fetch into downloads/NAME */
	char path[PATH_MAX]; /* or read from here */
	char verify[PATH_MAX]; /* the region's public key: the list must be signed with it */
	double max_shrink;   /* refuse a refresh that loses more than this fraction */
	long min_score;      /* score column (ipsum): keep addresses named by this many lists */
	int direction;       /* enum direction, or -1: from the category */
	int monitor;         /* action = monitor: counted as would-drops, passed */
	char lapi[512];      /* CrowdSec's Local API, polled by `watch` (lapi.h) */
	char api_key_file[PATH_MAX]; /* its bouncer key, alone in a file of root's */
	long lapi_interval;  /* seconds between two polls */
	unsigned long line;
};

/* [feed NAME] sections with lapi = are not lists to compile: config_load()
 * moves them from feeds[] to lapis[], so that refresh, config urls and the
 * table never see them.  A few is plenty: a town runs one CrowdSec. */
#define CONFIG_LAPI_FEEDS 4

struct config {
	char file[PATH_MAX];
	char town[TOWN_LEN];
	char state_dir[PATH_MAX];
	bool state_dir_set;     /* state_dir = was in the file */
	double max_shrink;      /* default for feeds */
	long stale_after;       /* seconds: older lists make the weather unknown */
	long long table_memory; /* bytes the compiled table may take */
	long weather[3];        /* attacks since midnight for light rain, storm, tornado */
	int levels;             /* enum levels_mode, LEVELS_AUTO until the file says */
	bool weather_absolute;  /* the levels follow weather[] rather than the usual */
	long storm_floor, tornado_floor; /* fewest attacks for a storm, a tornado by the usual */
	long flood_sources;     /* distinct sources in one quarter hour making a tornado */
	long report_sources;    /* the day's top sources a report gives the region */
	char alert_command[PATH_MAX]; /* [alert]: run on each alert; "" = none */
	char alert_webhook[1024];     /* posted to on each alert; "" = none */
	long alert_min_interval;      /* seconds between two "better" level alerts */
	struct detect_settings detect; /* [detect] */
	struct config_feed feeds[BOUCLIER_MAX_FEEDS];
	int nfeeds;
	struct config_feed lapis[CONFIG_LAPI_FEEDS]; /* the feeds with lapi = */
	int nlapis;
	struct cidr *allow;
	size_t nallow;
};

/* [weather] levels: the town's usual (absolute thresholds until a week is
 * known), or the thresholds always.  Unset, thresholds written in the file
 * mean absolute, as they did before the usual was known. */
enum levels_mode { LEVELS_AUTO, LEVELS_USUAL, LEVELS_ABSOLUTE };

/* Whether the open configuration file may be trusted by a root process:
 * not writable by others, owned by root when we are root.  Says why not. */
bool config_trusted(int fd, const char *path);
/* The same rule for any file root reads (st is its stat): NULL when it may
 * be trusted, else why not and the command that fixes it, in buf.  A
 * secret (an API key) must not be readable by every account either. */
const char *config_distrust(const struct stat *st, const char *path, bool secret, char *buf,
			    size_t len);

/* The keys of the file, for bouclier.conf(5) and its test: the i-th row of
 * the table that the parser reads, or false past the end.  section is as
 * written in the file ("general", "feed NAME"); choices, when not NULL, the
 * values the key takes, comma-separated. */
struct config_key_doc {
	const char *section, *name, *metavar, *dflt, *help, *choices;
};
bool config_key_doc(size_t i, struct config_key_doc *d);
/* The sections, in the file's order, NULL-terminated: [allow] has no keys
 * but is a section all the same. */
const char *const *config_sections(void);

/* The defaults alone, as with no file. */
void config_defaults(struct config *c);
int config_load(const char *path, struct config *c);
void config_free(struct config *c);
/* Where refresh reads feed f: its path, or the fetched copy. */
void config_feed_file(const struct config *c, const struct config_feed *f, char *buf,
		      size_t len);

/* Free-text names, checked wherever they come in (configuration, options).
 * A town: 1 to 63 bytes of UTF-8 without control characters.  A category:
 * 1 to 31 letters, digits, '-', '_' or '.' (it is a Prometheus label and a
 * CSS-free word in every report). */
bool town_name_ok(const char *s);
bool category_name_ok(const char *s);
/* Feed names: 1 to 31 letters, digits, '-', '_' or '.', not starting with '.'. */
bool feed_name_ok(const char *name);

#endif
