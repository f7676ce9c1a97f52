/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * config.h - /etc/bouclier/bouclier.conf: feeds, allowlist, weather
 * thresholds.  An INI-like file; tools/examples/bouclier.conf documents every
 * key.  config_load() reports every problem as FILE:LINE and returns
 * -E_CONFIG (exit 78) when there was any.
 */
#ifndef BOUCLIER_CONFIG_H
#define BOUCLIER_CONFIG_H

#include <limits.h>
#include "bouclier.h"
#include "cidr.h"
#include "feed.h"

#define CONFIG_PATH_DEFAULT "/etc/bouclier/bouclier.conf"

struct config_feed {
	char name[BOUCLIER_NAME_LEN];
	char category[BOUCLIER_NAME_LEN];
	enum feed_format format;
	char url[1024];      /* fetched by tools/bouclier-fetch into downloads/NAME */
	char path[PATH_MAX]; /* or read from here */
	double max_shrink;   /* refuse a refresh that loses more than this fraction */
	unsigned long line;
};

struct config {
	char file[PATH_MAX];
	char town[64];
	char state_dir[PATH_MAX];
	double max_shrink;      /* default for feeds */
	long stale_after;       /* seconds: older lists make the weather unknown */
	long weather[3];        /* attacks since midnight for light rain, storm, tornado */
	struct config_feed feeds[BOUCLIER_MAX_FEEDS];
	int nfeeds;
	struct cidr *allow;
	size_t nallow;
};

int config_load(const char *path, struct config *c);
void config_free(struct config *c);
/* Where refresh reads feed f: its path, or the fetched copy. */
void config_feed_file(const struct config *c, const struct config_feed *f, char *buf,
		      size_t len);

#endif
