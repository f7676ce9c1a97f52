/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * live.h - the running filter: its pinned program, links and maps under the
 * pin directory, attach/detach, and the atomic swap of a compiled table.
 * Functions return 0 or -errno and print what the user needs to know.
 */
#ifndef BOUCLIER_LIVE_H
#define BOUCLIER_LIVE_H

#include <limits.h>
#include "state.h"
#include "table.h"

struct live {
	char pin_dir[PATH_MAX];
	int tables_fd, sets_fd, feeds_fd, info_fd, stats_fd, set_stats_fd, slots_fd, sources_fd;
	int clock_fd;
};

enum attach_mode { MODE_AUTO, MODE_NATIVE, MODE_GENERIC };

/* BOUCLIER_PIN_DIR from the environment, or the default. */
const char *live_pin_dir(void);
/* Opens the pinned maps; -ENOENT when bouclier is not attached. */
int live_open(struct live *l);
void live_close(struct live *l);

/* Compiles the state (plus the automatic allowlist of the attached
 * interfaces) and swaps it in whole. */
int live_swap(struct live *l, const struct state *s, struct table_stats *st);
/* Tells the XDP program the wall clock's offset (bouclier.h, bouclier_clock). */
int live_clock_sync(struct live *l);
/* Creates an inner map holding the planned table, filled and frozen;
 * returns its fd or -errno. */
int live_table_new(struct table_plan *plan);

/* The allowlist added on its own: networks and default gateways of the
 * attached interfaces.  *v is malloc'd. */
int live_auto_allow(struct cidr **v, size_t *n);

/* Looks an address up in the live table, as the XDP program does. */
int live_lookup(struct live *l, const struct cidr *addr, __u32 *val);

int live_attach(const char *ifname, enum attach_mode mode, struct state *s);
int live_detach(const char *ifname);

/* Interfaces with a pinned bouclier link. Returns how many, or -errno. */
int live_links(char names[][32], int max);

/* Test hook: the process kills itself at a named point when the environment
 * variable BOUCLIER_FAULT names it, to prove a crash there is harmless. */
void live_fault(const char *point);

#endif
