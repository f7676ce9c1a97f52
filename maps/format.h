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
	unsigned long ln;
	unsigned long entry_lines; /* lines that held an entry, good or bad */
	long declared;             /* count the file announces; -1 = none */
	const char *declared_by;   /* what announced it */
	int trailer;               /* the format's end marker was seen */
};

struct feed_format_def {
	const char *name;
	const char *what; /* one line for help and messages */
	/* How well the start of a file (head, up to 8 KiB) and its end (tail,
	 * up to 512 bytes) fit this format: 0 not at all, higher is surer.
	 * *why says what was recognised. */
	int (*detect)(const char *head, size_t hlen, const char *tail, size_t tlen,
		      const char **why);
	/* One line [s, e) without its newline; or NULL and document set. */
	int (*line)(struct pctx *p, const char *s, const char *e);
	int (*document)(struct pctx *p, const char *buf, size_t len);
	/* After the last line: trailer checks; NULL when there are none. */
	int (*finish)(struct pctx *p);
};

extern const struct feed_format_def feed_formats[FEED_FORMAT_MAX];

/* Shared by the formats. */
void feed_report(struct pctx *p, int severity, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int feed_add_token(struct pctx *p, const char *s, size_t len);
int feed_plain_line(struct pctx *p, const char *s, const char *e);
int feed_is_space(char c);
void feed_trim(const char **s, const char **e);
/* A decimal number in [s, e) after optional spaces, ':' or '('; -1 if none.
 * Never reads past e (buffers are not NUL-terminated). */
long feed_num(const char *s, const char *e);
/* Case-insensitive search of needle in [s, e). */
const char *feed_find(const char *s, const char *e, const char *needle);
/* Shows at most 60 characters of what was refused. */
#define FEED_SHOWN(len) (int)((len) > 60 ? 60 : (len))

#endif
