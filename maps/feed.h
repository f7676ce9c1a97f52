/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * feed.h - reads blocklist files into prefixes.
 *
 * The format is recognised by the file's structure (a header line, a column
 * layout, a JSON shape), never by a word in a comment; --format forces one.
 * A bad line is reported as "FILE:LINE: reason" through the diag callback
 * and skipped; the rest of the file is used.  The first FEED_SHOWN_LINES of
 * each kind of problem are reported line by line, then one line says how
 * many more there were; feed_result keeps the full counts.  A file that is
 * refused as a whole (unreadable, or cut short: a count or an end marker its
 * publisher always writes is missing or wrong) makes feed_parse_* return
 * -EBADMSG.  The formats themselves are rows of one table (format.h,
 * formats.c).
 */
#ifndef BOUCLIER_FEED_H
#define BOUCLIER_FEED_H

#include <stdio.h>
#include "cidr.h"

enum feed_format {
	FEED_AUTO = 0,
	FEED_PLAIN,         /* one address, CIDR or A-B range a line, extra columns ignored */
	FEED_NETSET,        /* FireHOL .netset/.ipset: "# Entries : N" header */
	FEED_SPAMHAUS,      /* "1.10.16.0/20 ; SBL256894", ';' comments, "; EOF" */
	FEED_SPAMHAUS_JSON, /* NDJSON {"cidr":...}, last line metadata with "records" */
	FEED_DSHIELD,       /* block.txt: start, end, prefix length, ... tab columns */
	FEED_ABUSECH,       /* abuse.ch: one address a line, "# END N entries" trailer */
	FEED_IPSET,         /* ipset save: "add SET CIDR [nomatch]" */
	FEED_CROWDSEC,      /* CrowdSec: cscli alerts, LAPI stream, or a decision array */
	FEED_IPSUM,         /* stamparm/ipsum: ADDRESS<TAB>SCORE */
	FEED_REGION,        /* bouclier's regional list: its header, sequence, "# END N entries" */
	FEED_FORMAT_MAX,
};

#define FEED_SHOWN_LINES 10 /* problems of one kind reported line by line */
#define FEED_KINDS 24       /* kinds of problem counted apart */

struct feed_diag {
	/* severity: "error" (line skipped) or "warning" (line used, or skipped
	 * on purpose: a captcha decision, a score under min_score) */
	void (*report)(void *ctx, const char *file, unsigned long line,
		       const char *severity, const char *msg);
	void *ctx;
};

struct feed_options {
	enum feed_format format; /* FEED_AUTO: detected */
	unsigned int min_score;  /* lines with a score column under this are skipped (0: none) */
};

/* Every problem of one kind, counted. */
struct feed_kind {
	const char *what;        /* "host bits set", "bad addresses", ... */
	const char *severity;    /* "error": lines skipped; "warning": used anyway;
				  * "note": skipped on purpose (captcha, under min_score) */
	unsigned long count, first_line;
};

#define FEED_TTL_ENDED 0xffffffffu

struct feed_result {
	struct cidr *v;
	size_t n, cap;
	unsigned long lines, errors, warnings;
	enum feed_format format;  /* the one used */
	const char *format_why;   /* what was recognised (static text) */
	enum feed_format also;    /* another format that fits, or FEED_AUTO */
	const char *also_why;
	int deprecated;           /* the publisher says the list is retired (notice) */
	char notice[160];         /* its words, from the file */
	int says_empty;           /* a well-formed document that lists nothing on purpose */
	/* CrowdSec: how long each entry's decision lasts, in seconds (0: not
	 * said; FEED_TTL_ENDED: negative or under a second, it has ended),
	 * beside v before any normalisation; NULL for other formats */
	__u32 *ttl;
	/* bouclier's regional list: its sequence number and the Unix time it
	 * was made (0 for other formats) */
	__u64 sequence, made;
	struct feed_kind kinds[FEED_KINDS];
	int nkinds;
};

const char *feed_format_name(enum feed_format f);
/* Returns the format for a name, or -EINVAL. */
int feed_format_parse(const char *name);
/* "auto, plain, ...", from the table */
const char *feed_format_list(void);
/* The names, NULL-terminated, "auto" first: for option parsers. */
const char *const *feed_format_names(void);
/* One line on what the format is, for help and README. */
const char *feed_format_what(enum feed_format f);

/* name is used in messages; o may be NULL (auto, no score threshold);
 * returns 0, -errno (-EBADMSG: refused). */
int feed_parse_buf(const char *name, const char *buf, size_t len, const struct feed_options *o,
		   struct feed_result *r, const struct feed_diag *diag);
int feed_parse_file(const char *path, const struct feed_options *o, struct feed_result *r,
		    const struct feed_diag *diag);
void feed_result_free(struct feed_result *r);

/* A diag that prints to stderr. */
extern const struct feed_diag feed_diag_stderr;

#endif
