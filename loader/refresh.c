// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * refresh.c - `bouclier refresh`: every configured feed read, checked and
 * swapped in at once.  A feed that fails or is refused
 * keeps its last good list; the others still refresh.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "ctx.h"
#include "feed.h"
#include "alert.h"
#include "lists.h"
#include "log.h"
#include "publish.h"
#include "region.h"

/* Entries in b and not in a, and the reverse; both sorted. */
static void diff(const struct cidr *a, size_t na, const struct cidr *b, size_t nb,
		 size_t *added, size_t *removed)
{
	size_t i = 0, j = 0;

	*added = *removed = 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : cidr_cmp(&a[i], &b[j]);

		if (c < 0)
			(*removed)++, i++;
		else if (c > 0)
			(*added)++, j++;
		else
			i++, j++;
	}
}

struct outcome {
	struct feed_result r;
	struct cidr *old_v; /* the list it replaces, freed once the swap is done */
	size_t old_n;
	int swapped;      /* its new list is in the in-memory state */
	int ok;           /* replaces the live list */
	const char *why;  /* when not */
	char whybuf[160];
	struct region_signed region; /* verify =: what the list says of itself */
	struct region_signed old_region; /* the live list's, put back if it stays */
	size_t added, removed;
	double ms;
};

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Reads and checks one feed; never touches the state. */
static void read_one(const struct config *c, const struct config_feed *f,
		     const struct feed_state *old, int force, struct outcome *o)
{
	char file[PATH_MAX];
	struct timespec t0;
	size_t oldn = old ? old->n : 0;
	int err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	config_feed_file(c, f, file, sizeof(file));
	if (f->url[0] && access(file, R_OK)) {
		o->why = "no downloaded copy yet (run tools/bouclier-fetch)";
		return;
	}
	if (f->verify[0]) { /* the region's: signed, and not older than the live one */
		err = region_verify(file, f->verify, old ? &old->region : NULL, &o->r,
				    &feed_diag_stderr, &o->region, o->whybuf, sizeof(o->whybuf));
		if (err) {
			o->why = o->whybuf;
			return;
		}
	} else {
		err = feed_parse_file(file, &(struct feed_options){ f->format, f->min_score },
				      &o->r, &feed_diag_stderr);
	}
	if (err) {
		o->why = err == -EBADMSG ? "refused: the file is cut short" : strerror(-err);
		return;
	}
	cidr_normalise(o->r.v, &o->r.n);
	o->ms = ms_since(&t0);
	if (old)
		diff(old->v, old->n, o->r.v, o->r.n, &o->added, &o->removed);
	else
		o->added = o->r.n;
	if (!o->r.n && !force && !o->r.deprecated && !o->r.says_empty) {
		o->why = "refused: no entry at all (--force to accept, or the list must say it is "
			 "deprecated)";
		return;
	}
	/* the region's list shrinks as sources leave its window: signed and
	 * counted, it is whole as it is */
	if (oldn && o->r.n < oldn && (double)(oldn - o->r.n) / oldn > f->max_shrink && !force &&
	    !o->r.deprecated && !o->r.says_empty && !f->verify[0]) {
		static char why[160];

		snprintf(why, sizeof(why), "refused: shrinks from %zu to %zu entries, more than "
			 "max_shrink %.2f allows (--force to accept)", oldn, o->r.n, f->max_shrink);
		o->why = why;
		return;
	}
	o->ok = 1;
}

/* A publisher retiring its list (Spamhaus merged EDROP into DROP) says so
 * in the file: the feed takes what the file holds, usually nothing, and one
 * log line a day says what happened and what to do, instead of a refusal
 * every hour. */
static void retired_notice(const struct ctx *x, struct feed_state *f, const struct feed_result *r)
{
	char today[11];
	time_t now = x->now;
	struct tm tm;

	if (!r->deprecated)
		return;
	localtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (!strcmp(f->notice_day, today)) {
		pr_debug("feed %s: retired by its publisher (already said today)\n", f->name);
		return;
	}
	pr_warn("feed %s: its publisher retired it (\"%s\"); it now holds %zu entries. Remove "
		"[feed %s] from %s, or replace it with the list the notice names\n", f->name,
		r->notice, r->n, f->name, x->config_path);
	snprintf(f->notice_day, sizeof(f->notice_day), "%s", today);
}

struct refresh_opts {
	bool dry_run, force;
};

/* The refreshed feed whose new list weighs most in the table: what a
 * table over table_memory refuses first.  A prefix costs the keys it
 * expands to (an IPv4 /25 is 128 host keys). */
static int heaviest(const struct outcome *out, const struct config *c, const struct state *s)
{
	double best = -1;
	int i, pick = -1;
	size_t k;

	for (i = 0; i < c->nfeeds; i++) {
		const struct feed_state *f = state_feed((struct state *)s, c->feeds[i].name);
		double w = 0;

		if (!out[i].ok || !out[i].swapped || !f)
			continue;
		for (k = 0; k < f->n; k++)
			w += f->v[k].family == 4 && f->v[k].plen > 24 ? 1u << (32 - f->v[k].plen) : 1;
		if (w > best) {
			best = w;
			pick = i;
		}
	}
	return pick;
}

static int run_refresh(struct ctx *x, void *o)
{
	struct refresh_opts *a = o;
	struct outcome out[BOUCLIER_MAX_FEEDS] = { 0 };
	struct staged staged[BOUCLIER_MAX_FEEDS + 1];
	struct feed_state removed[BOUCLIER_MAX_FEEDS];
	const struct config *c = &x->cfg;
	struct table_stats st;
	struct state s;
	struct timespec t0;
	bool live = false;
	int err, i, k, failed = 0, changed = 0, nremoved = 0, nstaged = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	log_setup(LOG_LVL_INFO + x->verbose, !a->dry_run);
	if (!x->config_exists) {
		pr_warn("%s: no configuration to refresh from (%s)\n", x->config_path,
			strerror(ENOENT));
		return -E_CONFIG;
	}
	if (!a->dry_run && geteuid() != 0) {
		pr_warn("refresh needs root (CAP_BPF and CAP_NET_ADMIN); --dry-run does not\n");
		return -EPERM;
	}
	/* a dry run reads, takes no lock and writes nothing */
	err = state_open_loaded(&s, x->state_dir, a->dry_run ? STATE_READ_ONLY : STATE_LOCK_WAIT);
	if (err && !(a->dry_run && (err == -EACCES || err == -ENOENT))) {
		state_close(&s);
		return err;
	}
	for (i = 0; i < c->nfeeds; i++) {
		read_one(c, &c->feeds[i], state_feed(&s, c->feeds[i].name), a->force, &out[i]);
		failed += !out[i].ok;
	}
	/* The in-memory state: new lists in (the old ones kept until the swap
	 * is done), feeds gone from the configuration out. */
	for (i = 0; i < c->nfeeds; i++) {
		struct feed_state *f;

		if (!out[i].ok)
			continue;
		if (state_feed_add(&s, c->feeds[i].name, &f)) {
			out[i].ok = 0;
			out[i].why = "more than 30 feeds (the last two indexes are the bans')";
			failed++;
			continue;
		}
		changed += out[i].added || out[i].removed || !f->from_config;
		out[i].old_v = f->v;
		out[i].old_n = f->n;
		f->changed = true;
		f->was = f->v;
		f->nwas = f->n;
		f->v = out[i].r.v;
		f->n = out[i].r.n;
		out[i].r.v = NULL;
		out[i].swapped = 1;
		f->from_config = 1;
		f->loaded_at = time(NULL);
		snprintf(f->category, sizeof(f->category), "%s", c->feeds[i].category);
		f->direction = c->feeds[i].direction;
		f->monitor = c->feeds[i].monitor;
		out[i].old_region = f->region;
		f->region = out[i].region; /* key "" unless verified */
		retired_notice(x, f, &out[i].r);
		config_feed_file(c, &c->feeds[i], f->source, sizeof(f->source));
		if (c->feeds[i].url[0])
			snprintf(f->source, sizeof(f->source), "%s", c->feeds[i].url);
	}
	for (k = s.nfeeds - 1; k >= 0; k--) {
		for (i = 0; i < c->nfeeds && strcmp(c->feeds[i].name, s.feeds[k].name); i++)
			;
		if (i == c->nfeeds && s.feeds[k].from_config) {
			pr_info("feed %s: no longer in %s; removed\n", s.feeds[k].name, c->file);
			state_feed_take(&s, s.feeds[k].name, &removed[nremoved++]);
			changed++;
		}
	}
	free(s.allow_conf);
	s.allow_conf = NULL;
	s.nallow_conf = 0;
	if (c->nallow) {
		s.allow_conf = malloc(c->nallow * sizeof(*s.allow_conf));
		if (!s.allow_conf) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(s.allow_conf, c->allow, c->nallow * sizeof(*s.allow_conf));
		s.nallow_conf = c->nallow;
	}
	if (a->dry_run) {
		err = 0;
		goto report;
	}

	/* Stage the files, swap, then commit: a full disk fails before anything
	 * changed.  A feed that would take the table past its memory limit is
	 * refused alone and the others go on. */
	for (;;) {
		nstaged = 0;
		for (i = 0; !err && i < c->nfeeds; i++) {
			struct feed_state *f = state_feed(&s, c->feeds[i].name);

			if (out[i].ok && f)
				err = state_stage_feed(&s, f, &staged[nstaged++]);
		}
		if (!err)
			err = state_stage_allow_conf(&s, &staged[nstaged++]);
		if (!err)
			err = lists_publish(x, &s, &live, &st);
		if (err)
			for (k = 0; k < nstaged; k++)
				state_abort(&staged[k]);
		if (err != -EFBIG || (i = heaviest(out, c, &s)) < 0)
			break;
		{
			struct feed_state *f = state_feed(&s, c->feeds[i].name);
			static char why[BOUCLIER_MAX_FEEDS][160];

			snprintf(why[i], sizeof(why[0]), "refused: the table would take %.1f MiB, more "
				 "than table_memory (%.1f MiB) allows", st.bytes / 1048576.0,
				 c->table_memory / 1048576.0);
			out[i].why = why[i];
			out[i].ok = 0;
			out[i].swapped = 0;
			failed++;
			out[i].r.v = f->v; /* freed with the outcome */
			f->v = out[i].old_v;
			f->n = out[i].old_n;
			f->region = out[i].old_region;
			f->changed = false;
			out[i].old_v = NULL;
			if (!f->v && !f->n)
				state_feed_take(&s, f->name, &removed[nremoved++]);
			err = 0;
		}
	}
	if (err == -EFBIG)
		pr_warn("the table would take %.1f MiB, more than table_memory (%.1f MiB), with the "
			"lists as they were: raise table_memory in [general]\n",
			st.bytes / 1048576.0, c->table_memory / 1048576.0);
report:
	for (i = 0; i < c->nfeeds; i++) {
		if (out[i].ok)
			pr_info("feed %s: %zu entries, +%zu -%zu, read in %.0f ms%s\n",
				c->feeds[i].name, state_feed(&s, c->feeds[i].name)
				? state_feed(&s, c->feeds[i].name)->n : 0, out[i].added,
				out[i].removed, out[i].ms, a->dry_run ? " (dry run)" : "");
		else {
			pr_warn("feed %s: %s; its last good list stays live\n", c->feeds[i].name,
				out[i].why);
			if (!a->dry_run)
				alert_refused(x, c->feeds[i].name, out[i].why);
		}
	}
	if (a->dry_run)
		goto out;
	if (err) {
		pr_warn("refresh failed: %s; the previous lists stay live\n", strerror(-err));
		goto out;
	}
	fault_point("before-save");
	for (i = 0; i < nstaged; i++) {
		int e = state_commit(&staged[i]);

		if (e && !err) {
			pr_warn("the lists are live, but %s could not be saved (%s): fix the cause "
				"and refresh again\n", staged[i].path, strerror(-e));
			err = e;
		}
	}
	/* only now that the swap is done do the removed feeds' files go */
	for (k = 0; k < nremoved; k++) {
		state_feed_restore(&s, &removed[k]);
		state_feed_drop(&s, removed[k].name);
	}
	nremoved = 0;
	if (!err)
		pr_info("refresh: %d feeds, %d changed, %d refused or failed, %s in %.0f ms\n",
			c->nfeeds, changed, failed, live ? "swapped in" : "saved", ms_since(&t0));
out:
	for (k = 0; k < nremoved; k++)
		state_feed_restore(&s, &removed[k]); /* freed by state_close */
	for (i = 0; i < c->nfeeds; i++) {
		free(out[i].old_v);
		feed_result_free(&out[i].r);
	}
	state_close(&s);
	if (!err && failed)
		return -EBADMSG;
	return err;
}

static const struct opt refresh_opts[] = {
	{ .name = "dry-run", .short_name = 'n', OPT_FIELD(BOOL, struct refresh_opts, dry_run),
	  .help = "read and check every feed, change nothing (no root needed)" },
	{ .name = "force", OPT_FIELD(BOOL, struct refresh_opts, force),
	  .help = "accept feeds that come back empty or shrink past max_shrink" },
	{ NULL },
};

const struct command cmd_refresh = {
	.name = "refresh",
	.summary = "read every configured feed and swap them in at once (for cron)",
	.run = run_refresh,
	.size = sizeof(struct refresh_opts),
	.opts = refresh_opts,
	.flags = CMD_LISTS,
};
