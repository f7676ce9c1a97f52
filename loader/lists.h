/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lists.h - the state's lists made live: every feed, the allowlist of the
 * state and of the configuration, and the automatic allowlist of the
 * interfaces bouclier filters, compiled and swapped in (maps/publish.h).
 */
#ifndef BOUCLIER_LISTS_H
#define BOUCLIER_LISTS_H

#include <stdbool.h>
#include "state.h"
#include "table.h"

/* Publishes s if bouclier is loaded (*live true), else changes nothing and
 * says so (*live false, returns 0).  st may be NULL. */
int lists_publish(const struct state *s, bool *live, struct table_stats *st);

/* The automatic allowlist of the interfaces bouclier is attached to. */
int lists_auto_allow(struct cidr **v, size_t *n);

#endif
