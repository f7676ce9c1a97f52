/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * feed.h - reads blocklist files into prefixes.
 *
 * A bad line is reported as "FILE:LINE: reason" through the diag callback
 * and skipped; the rest of the file is used.  A file that is refused as a
 * whole (unreadable, or cut short) makes feed_parse_* return an error.
 * The formats themselves are rows of one table (format.h, formats.c).
 */
#ifndef BOUCLIER_FEED_H
#define BOUCLIER_FEED_H

#include <stdio.h>
#include "cidr.h"

enum feed_format {
	FEED_AUTO = 0,
	FEED_PLAIN,         /* one address, CIDR or A-B range a line (CINS, blocklist.de, Tor) */
	FEED_NETSET,        /* FireHOL .netset/.ipset: "# Entries : N" header */
	FEED_SPAMHAUS,      /* "1.10.16.0/20 ; SBL256894", ';' comments, "; EOF" */
	FEED_SPAMHAUS_JSON, /* NDJSON {"cidr":...}, last line metadata with "records" */
	FEED_DSHIELD,       /* block.txt: start, end, prefix length, ... tab columns */
	FEED_ABUSECH,       /* abuse.ch: one address a line, "# END N entries" trailer */
	FEED_IPSET,         /* ipset save: "add SET CIDR" */
	FEED_CROWDSEC,      /* CrowdSec decisions JSON: "value", "scope" Ip or Range */
	FEED_FORMAT_MAX,
};

enum feed_severity { FEED_ERROR, FEED_WARNING };

struct feed_diag {
	/* severity: "error" (line skipped) or "warning" (line used) */
	void (*report)(void *ctx, const char *file, unsigned long line,
		       const char *severity, const char *msg);
	void *ctx;
};

struct feed_result {
	struct cidr *v;
	size_t n, cap;
	unsigned long lines, errors, warnings;
	enum feed_format format;  /* the one used */
	const char *detected_why; /* what detection recognised (static text) */
	int deprecated;           /* the file says the list is deprecated or empty */
};

const char *feed_format_name(enum feed_format f);
/* Returns the format for a name, or -EINVAL. */
int feed_format_parse(const char *name);
/* "auto, plain, ...", from the table */
const char *feed_format_list(void);
/* The names, NULL-terminated, "auto" first: for option parsers. */
const char *const *feed_format_names(void);

/* name is used in messages; returns 0, -errno (-EBADMSG: refused). */
int feed_parse_buf(const char *name, const char *buf, size_t len, enum feed_format fmt,
		   struct feed_result *r, const struct feed_diag *diag);
int feed_parse_file(const char *path, enum feed_format fmt, struct feed_result *r,
		    const struct feed_diag *diag);
void feed_result_free(struct feed_result *r);

/* A diag that prints to stderr. */
extern const struct feed_diag feed_diag_stderr;

#endif
