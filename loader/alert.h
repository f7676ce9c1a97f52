/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * alert.h - [alert]: tell someone when what a town's IT person must know
 * happens: the weather's level changes, the filter stops filtering (or
 * filters again, or falls back to generic mode, or its lists go stale), a
 * refresh refuses a feed, detection banned sources (told together, at most
 * once in min_interval).  Each event runs the configured command and posts
 * to the configured webhook (curl), once: STATE_DIR/alert.state remembers
 * what was told.  A level that goes down again is told at most once in
 * min_interval; a level that goes up and a filter that stops are told at
 * once.  Failures to deliver are logged, never fatal.
 */
#ifndef BOUCLIER_ALERT_H
#define BOUCLIER_ALERT_H

#include "ctx.h"

/* Compares the weather now with what was last told, and tells the change
 * (nothing the first time, unless the filter is down).  Returns the number
 * of alerts sent, or -errno. */
int alert_check(const struct ctx *c);

/* A test message to the command and the webhook; 0 when one took it. */
int alert_test(const struct ctx *c);

/* A refresh that refused feed name: why, in English. */
void alert_refused(const struct ctx *c, const char *feed, const char *why);

#endif
