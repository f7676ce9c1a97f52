/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lists.h - the state's lists made live: every feed, the allowlist of the
 * state and of the configuration, and the automatic allowlist of the
 * interfaces bouclier filters, compiled and swapped in (maps/publish.h).
 */
#ifndef BOUCLIER_LISTS_H
#define BOUCLIER_LISTS_H

#include <stdbool.h>
#include "ctx.h"
#include "state.h"
#include "table.h"

/* Publishes s if bouclier is loaded (*live true), else changes nothing and
 * says so (*live false, returns 0).  st may be NULL.  -EFBIG: the table
 * would pass the configuration's table_memory, nothing changed (st says
 * how big it would be). */
int lists_publish(const struct ctx *c, const struct state *s, bool *live, struct table_stats *st);
/* The same, with the automatic allowlist of also (an interface about to be
 * attached) besides the attached ones. */
int lists_publish_with(const struct ctx *c, const struct state *s, const char *also, bool *live,
		       struct table_stats *st);

/* For attach_iface(): arg is a struct lists_attach. */
struct lists_attach {
	const struct ctx *c;
	const struct state *s;
};
int lists_publish_attach(void *arg, const char *ifname);

/* The automatic allowlist of the interfaces bouclier is attached to, and
 * of also (NULL for none). */
int lists_auto_allow(const char *also, struct cidr **v, size_t *n);

#endif
