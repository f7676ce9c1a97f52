/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * publish.h - what user space writes into the running filter's maps: the
 * compiled table and its atomic swap, the feed-set ids the counters are kept
 * by, the feed names bpftool shows, the swap information and the clock.
 * Functions return 0 or -errno.  No state files, no configuration: the loader
 * hands over the lists it resolved.
 */
#ifndef BOUCLIER_PUBLISH_H
#define BOUCLIER_PUBLISH_H

#include <stddef.h>
#include "live.h"
#include "table.h"

struct publish_feed {
	const char *name, *category;
	int index;        /* bit in feed masks, 0..BOUCLIER_MAX_FEEDS-1 */
	__u64 loaded_at;
	const struct cidr *v;
	size_t n;
	__u32 flags;      /* BOUCLIER_FEED_IN, BOUCLIER_FEED_OUT: where it drops */
	/* changed: v replaced was, the list the live table was compiled with.
	 * Then a small change is applied to a copy of the live table instead
	 * of a full compile; a wrong or missing one only costs the full
	 * compile (the table's fingerprint says which lists it holds). */
	const struct cidr *was;
	size_t nwas;
	bool changed;
};

struct publish_input {
	const struct publish_feed *feeds;
	int nfeeds;
	const struct cidr *allow; /* every allowlist entry, whatever its origin */
	size_t nallow;
	__u64 max_bytes;          /* the table's memory limit; 0: none */
	/* A table of another capacity class than the running programs' (see
	 * bouclier.h) is handed to reload, which brings programs of that class
	 * with the table in place and swaps them in; NULL: such a table is
	 * refused with -ENOSPC. */
	int (*reload)(void *arg, __u32 capacity, int table_fd);
	void *reload_arg;
	/* Reload even within the class: the pinned programs do not all read
	 * the pinned outer map (a reload cut short between its pins), so a
	 * swap into that map would reach none or only some of them. */
	bool torn;
};

/* How publish() made the table it swapped in. */
struct publish_result {
	bool delta;        /* a change applied to a copy of the live table */
	const char *why;   /* else why it was compiled in full (NULL: the first) */
	struct table_delta_stats ds;
};

/* Compiles the lists and swaps the new table in whole; the feed-set ids,
 * feed names and swap information follow.  *st (may be NULL) gets the
 * compiled table's figures, also when the table would pass in->max_bytes:
 * then nothing changes and the return is -EFBIG.  When only some feeds
 * changed and say what they were (publish_feed.was), the change is applied
 * to a copy of the live table (table_delta()) instead: the same table, key
 * for key, made in time proportional to the change. */
int publish(struct live *l, const struct publish_input *in, struct table_stats *st);
/* The same, saying which way the table was made (res may be NULL). */
int publish_ex(struct live *l, const struct publish_input *in, struct table_stats *st,
	       struct publish_result *res);

/* Creates an inner map of capacity lines holding the planned table, filled,
 * marked with the fingerprint of its lists (0: none) and frozen; returns its
 * fd or -errno. */
int publish_table_new(struct table_plan *plan, __u32 capacity, __u64 fingerprint);

/* The capacity of the running programs' tables: the size of the table the
 * outer map holds, else bouclier_info's, else the smallest class. */
__u32 publish_capacity(struct live *l);

/* Tells the XDP program the wall clock's offset (bouclier.h, bouclier_clock),
 * keeping the count of timed entries. */
int publish_clock(struct live *l);

/* The feed-set id of a pseudo-feed that lists nothing in the table but
 * decides in the programs (BOUCLIER_FEED_BAN, the timed bans;
 * BOUCLIER_FEED_DETECT, the bans detection made), given out the first
 * time. */
int publish_pseudo_set(struct live *l, int index, __u32 *set);

/* Looks an address up in the live table, as the XDP program does. */
int live_lookup(struct live *l, const struct cidr *addr, __u32 *val);

/* Test hook: the process kills itself at a named point when the environment
 * variable BOUCLIER_FAULT names it, to prove a crash there is harmless. */
void fault_point(const char *point);

#endif
