/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * state.h - what bouclier keeps on disk under its state directory
 * (/var/lib/bouclier by default): every feed's normalised prefixes and the
 * allowlist, from which the live table is compiled, and the lock that
 * serialises changes.  Files are replaced atomically (write, fsync, rename).
 */
#ifndef BOUCLIER_STATE_H
#define BOUCLIER_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include "bouclier.h"
#include "cidr.h"
#include "region.h"

struct feed_state {
	char name[BOUCLIER_NAME_LEN];
	char category[BOUCLIER_NAME_LEN];
	char source[PATH_MAX];
	int index;          /* bit in feed masks; stable while the feed exists */
	int from_config;    /* managed by `bouclier refresh` (else by `feed load`) */
	__u64 loaded_at;
	char notice_day[11]; /* YYYY-MM-DD the publisher's retirement notice was last logged */
	int direction;       /* enum direction (config.h) */
	int monitor;         /* monitor mode: its addresses pass, counted as would-drops */
	/* the region's list (verify =): the key that signed the live list and
	 * its sequence, so that an older one is refused; key "" for others */
	struct region_signed region;
	struct cidr *v;
	size_t n;
	/* Set by the command that replaced v: the list the live table has,
	 * so a small change is applied as such (publish_feed.was). */
	bool changed;
	const struct cidr *was;
	size_t nwas;
};

struct state {
	char dir[PATH_MAX];
	int lock_fd;
	struct feed_state feeds[BOUCLIER_MAX_FEEDS];
	int nfeeds;
	struct cidr *allow;      /* `bouclier allow add` */
	size_t nallow;
	struct cidr *allow_conf; /* the config's [allow], replaced by each refresh */
	size_t nallow_conf;
};

/* Creates the directory if needed and takes the lock (waits up to
 * wait_ms, then -EWOULDBLOCK).  With STATE_READ_ONLY, neither: readers need
 * no lock, since every file is replaced whole by a rename. */
#define STATE_READ_ONLY (-1)
#define STATE_TRY (-2)  /* the lock if it is free at once, quietly; else -EWOULDBLOCK */
/* path (created 0600, never through a link) locked exclusively, waiting up
 * to wait_ms (0 or less: not at all): its fd, -EWOULDBLOCK while another
 * holds it, or -errno.  state_open's lock, and alert.c's. */
int state_lock_file(const char *path, int wait_ms);
#define STATE_LOCK_WAIT 30000 /* ms */
int state_open(struct state *s, const char *dir, int wait_ms);
int state_load(struct state *s);
/* state_open() and state_load() with the message a command prints. */
int state_open_loaded(struct state *s, const char *dir, int wait_ms);
void state_close(struct state *s);

struct feed_state *state_feed(struct state *s, const char *name);
/* Adds a feed with a free index, or returns the existing one; -ENOSPC when
 * all BOUCLIER_MAX_FEEDS indexes are taken. */
int state_feed_add(struct state *s, const char *name, struct feed_state **out);
int state_feed_drop(struct state *s, const char *name);
/* Takes a feed out of the in-memory state only (disk untouched), into *out;
 * state_feed_restore() puts it back. */
int state_feed_take(struct state *s, const char *name, struct feed_state *out);
void state_feed_restore(struct state *s, const struct feed_state *f);
/* Changes are written in two steps, so that the live table and the files
 * change together: stage (a new file beside the old one, written and
 * flushed; a full disk fails here, before anything changed), then swap the
 * table, then commit (rename, directory flushed) or abort (remove). */
struct staged {
	char path[PATH_MAX * 2];
	char tmp[PATH_MAX * 2 + 16];
};
#define STATE_MODE 0600 /* lists and history: root's */
int state_stage(const char *path, const char *buf, size_t len, mode_t mode, struct staged *st);
int state_commit(struct staged *st);
void state_abort(struct staged *st);
int state_stage_feed(struct state *s, const struct feed_state *f, struct staged *st);
int state_stage_allow(struct state *s, struct staged *st);
int state_stage_allow_conf(struct state *s, struct staged *st);

/* The automatic allowlist of the last swap (auto-allow.list), what the
 * live table holds; a missing file is an empty list. */
int state_save_auto(const char *dir, const struct cidr *v, size_t n);
int state_load_auto(const char *dir, struct cidr **v, size_t *n);

/* Writes buf to path atomically and durably (stage and commit). */
int state_write_atomic(const char *path, const char *buf, size_t len, mode_t mode);

/* The small tab-separated files the loader keeps (timed.list, detected.list).
 * state_read_lines() hands take() each line that is neither blank nor a
 * comment; take() returns 0, 1 for a line it cannot read (warned of as
 * "path:line: not <what>; skipped"), or -errno to stop.  A missing file is
 * no line at all.  state_write_stream() closes the memstream m over *text,
 * writes it to path atomically and frees it. */
int state_read_lines(const char *path, const char *what, int (*take)(char *line, void *ctx),
		     void *ctx);
int state_write_stream(const char *path, FILE *m, char **text, size_t *len);

#endif
