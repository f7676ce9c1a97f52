/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * parsers.h - the small values that both the command line (cli.c) and the
 * configuration (config.c) read: durations, whole numbers, and the
 * directions a feed drops in (which the state's files and the timed list
 * keep too).  Below all of them, it calls nothing of bouclier's, so that
 * each can be linked (and fuzzed) without the others.  Each parser returns
 * the value, or -1 for text that is not one; the caller says what was
 * expected, with the words below.
 */
#ifndef BOUCLIER_PARSERS_H
#define BOUCLIER_PARSERS_H

/* What a message says a duration looks like. */
#define DURATION_EXAMPLES "such as 90s, 45m, 26h or 2d"

/* "90", "90s", "45m", "26h", "2d": seconds (at most a century), or -1. */
long parse_duration(const char *s);

/* A whole number, 0 or more, nothing after it: the number, or -1. */
long parse_count(const char *s);

/* Where a feed drops: its sources on the way in, its destinations on the
 * way out, or both (bouclier.h BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT). */
enum direction { DIR_IN = 1, DIR_OUT = 2, DIR_BOTH = 3 };
/* "in", "out", "both"; index 0 is unused so that names[d] works. */
const char *const *direction_names(void);
/* Command servers and malware are blocked both ways, the rest on the way in. */
int direction_for_category(const char *category);

#endif
