/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * parsers.h - the small values that both the command line (cli.c) and the
 * configuration (config.c) read: durations and whole numbers.  Below both,
 * it calls nothing of bouclier's, so that either can be linked (and fuzzed)
 * without the other.  Each parser returns the value, or -1 for text that is
 * not one; the caller says what was expected, with the words below.
 */
#ifndef BOUCLIER_PARSERS_H
#define BOUCLIER_PARSERS_H

/* What a message says a duration looks like. */
#define DURATION_EXAMPLES "such as 90s, 45m, 26h or 2d"

/* "90", "90s", "45m", "26h", "2d": seconds (at most a century), or -1. */
long parse_duration(const char *s);

/* A whole number, 0 or more, nothing after it: the number, or -1. */
long parse_count(const char *s);

#endif
