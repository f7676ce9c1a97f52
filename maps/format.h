/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * format.h - what a feed format is, for maps/feed.c (the reader every
 * format shares) and maps/formats.c (one table row a format).  Not included
 * elsewhere: the rest of the code sees feed.h.
 *
 * Adding a format: a value in enum feed_format (feed.h) and a row in
 * feed_formats[] (formats.c) with its detect and line (or document)
 * functions.  Nothing else names formats.
 */
#ifndef BOUCLIER_FORMAT_H
#define BOUCLIER_FORMAT_H

#include "feed.h"

/* What one parse carries besides the text. */
struct pctx {
	const char *name;
	struct feed_result *r;
	const struct feed_diag *d;
	const struct feed_options *o;
	unsigned long ln;
	unsigned long entry_lines; /* lines that held an entry, good or bad */
	long declared;             /* count the file announces; -1 = none */
	const char *declared_by;   /* what announced it */
	int trailer;               /* the format's end marker was seen */
	void *own;                 /* the format's own state, freed by its finish */
};

/* The start of a file, to be recognised: head (up to 8 KiB), tail (up to
 * 512 bytes). */
struct sniff {
	const char *head, *tail;
	size_t hlen, tlen;
};

struct feed_format_def {
	const char *name;
	const char *what; /* one line for help and messages */
	/* How surely the file is of this format, 0 (not at all) to 100, from
	 * its structure only; *why says what was recognised. */
	int (*detect)(const struct sniff *s, const char **why);
	/* One line [s, e) without its newline; or NULL and document set. */
	int (*line)(struct pctx *p, const char *s, const char *e);
	int (*document)(struct pctx *p, const char *buf, size_t len);
	/* After the last line: trailer checks, deferred entries; may be NULL.
	 * Runs whatever happened, to free p->own. */
	int (*finish)(struct pctx *p, int err);
};

extern const struct feed_format_def feed_formats[FEED_FORMAT_MAX];

/* Shared by the formats. */
enum feed_severity { FEED_ERROR, FEED_WARNING, FEED_NOTE };
/* One problem of kind `what` on the current line; severity ERROR means the
 * line was skipped, NOTE is counted and summed up but never shown line by
 * line. */
void feed_report(struct pctx *p, int severity, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int feed_push(struct pctx *p, const struct cidr *c);
/* One address, CIDR or range in [s, s + len): pushed, or reported. */
int feed_add_token(struct pctx *p, const char *s, size_t len);
int feed_plain_line(struct pctx *p, const char *s, const char *e);
int feed_is_space(char c);
void feed_trim(const char **s, const char **e);
/* A decimal number in [s, e) after optional spaces, ':' or '('; -1 if none.
 * Never reads past e (buffers are not NUL-terminated). */
long feed_num(const char *s, const char *e);
/* Case-insensitive search of needle in [s, e). */
const char *feed_find(const char *s, const char *e, const char *needle);
/* Whether [s, e) starts with prefix. */
int feed_starts(const char *s, const char *e, const char *prefix);
/* The next line of [*s, end) into [*ls, *le) without its newline and CR;
 * 0 at the end. */
int feed_next_line(const char **s, const char *end, const char **ls, const char **le);
/* Shows at most 60 characters of what was refused. */
#define FEED_SHOWN(len) (int)((len) > 60 ? 60 : (len))

#endif
