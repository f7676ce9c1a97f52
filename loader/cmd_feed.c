// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cmd_feed.c - feeds by hand: feed load, check, list and remove.  (The
 * configured feeds go through refresh.c.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "ctx.h"
#include "feed.h"
#include "lapi.h"
#include "lists.h"
#include "log.h"
#include "out.h"
#include "parsers.h"
#include "pins.h"
#include "publish.h"
#include "region.h"
#include "stats.h"

/* With verify (the region's public key), the file must be the region's
 * list signed with it (region.h); *got says what it says of itself. */
static int read_feed(const char *file, int format, long min_score, const char *verify,
		     struct feed_result *r, struct region_signed *got)
{
	struct feed_options o = { format, min_score > 0 ? (unsigned int)min_score : 0 };
	char why[160];
	int err;

	memset(got, 0, sizeof(*got));
	if (verify) {
		if (format != FEED_AUTO && format != FEED_REGION) {
			pr_warn("--verify takes the region's list, whose format is region: drop "
				"--format %s\n", feed_format_name(format));
			return -E_USAGE;
		}
		err = region_verify(file, verify, NULL, r, &feed_diag_stderr, got, why,
				    sizeof(why));
		if (err == -EBADMSG)
			pr_warn("%s: nothing was changed\n", file);
		return err;
	}
	err = feed_parse_file(file, &o, r, &feed_diag_stderr);
	if (err == -EBADMSG)
		pr_warn("%s: refused as a whole; nothing was changed\n", file);
	else if (err)
		pr_warn("cannot read %s: %s\n", file, strerror(-err));
	else if (r->deprecated)
		pr_warn("%s: the publisher says \"%s\"\n", file, r->notice);
	return err;
}

static long parse_score(const char *s)
{
	long n = s ? parse_count(s) : 0;

	return n < 1000000 ? n : -1;
}

/* ---- feed check FILE */

struct check_opts {
	const char *file;
	int format;
	const char *min_score, *verify;
	bool print, json;
};

static int run_check(struct ctx *c, void *o)
{
	struct check_opts *a = o;
	struct feed_result r = { 0 };
	struct region_signed got;
	char buf[CIDR_STRLEN];
	size_t i, v4 = 0;
	int err;

	if (parse_score(a->min_score) < 0) {
		pr_warn("--min-score %s: a whole number expected\n", a->min_score);
		return -E_USAGE;
	}
	err = read_feed(a->file, a->format, parse_score(a->min_score), a->verify, &r, &got);
	if (err)
		goto out;
	cidr_normalise(r.v, &r.n);
	for (i = 0; i < r.n; i++)
		v4 += r.v[i].family == 4;
	if (c->verbose && r.also != FEED_AUTO)
		pr_info("%s: %s chosen (%s) over %s (%s)\n", a->file, feed_format_name(r.format),
			r.format_why, feed_format_name(r.also), r.also_why);
	if (a->json) {
		json_t *j = json_object(), *kinds = json_array();
		int k;

		for (k = 0; k < r.nkinds; k++)
			json_array_append_new(kinds, json_pack("{s:s, s:s, s:I, s:I}", "what",
							       r.kinds[k].what, "severity",
							       r.kinds[k].severity, "count",
							       (json_int_t)r.kinds[k].count, "first_line",
							       (json_int_t)r.kinds[k].first_line));
		jset(j, "file", jstr(a->file));
		jset(j, "format", jstr(feed_format_name(r.format)));
		jset(j, "format_why", jstr(r.format_why));
		jset(j, "also_fits", r.also != FEED_AUTO ? jstr(feed_format_name(r.also)) : NULL);
		jset(j, "lines", ju64(r.lines));
		jset(j, "errors", ju64(r.errors));
		jset(j, "warnings", ju64(r.warnings));
		jset(j, "entries", ju64(r.n));
		jset(j, "ipv4", ju64(v4));
		jset(j, "ipv6", ju64(r.n - v4));
		jset(j, "deprecated", json_boolean(r.deprecated));
		jset(j, "notice", r.deprecated ? jstr(r.notice) : NULL);
		jset(j, "says_empty", json_boolean(r.says_empty));
		jset(j, "problems", kinds);
		if (got.key[0])
			jset(j, "signed", jset(jset(jset(json_object(), "key", jstr(got.key)),
						    "sequence", ju64(got.sequence)),
					       "made", ju64(got.made)));
		if (a->print) {
			json_t *cidrs = json_array();

			for (i = 0; i < r.n; i++)
				json_array_append_new(cidrs,
						      jstr(cidr_format(&r.v[i], buf, sizeof(buf))));
			jset(j, "cidrs", cidrs);
		}
		json_print(stdout, j);
	} else if (a->print) {
		for (i = 0; i < r.n; i++)
			printf("%s\n", cidr_format(&r.v[i], buf, sizeof(buf)));
	} else {
		printf("%s: %s format (%s), %zu entries (%zu IPv4, %zu IPv6) after folding, "
		       "%lu bad lines, %lu warnings\n", a->file, feed_format_name(r.format),
		       r.format_why, r.n, v4, r.n - v4, r.errors, r.warnings);
		if (got.key[0])
			printf("%s: signed by key %s, sequence %llu, made at %llu\n", a->file,
			       got.key, (unsigned long long)got.sequence,
			       (unsigned long long)got.made);
	}
	if (!r.n && (r.deprecated || r.says_empty)) {
		pr_info("%s: no entry, as the file itself says\n", a->file);
	} else if (!r.n) {
		pr_warn("%s: no usable entry\n", a->file);
		err = -EBADMSG;
	}
out:
	feed_result_free(&r);
	return err;
}

static const struct opt check_opts[] = {
	{ .name = "FILE", OPT_FIELD(STR, struct check_opts, file),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "FILE", .help = "the feed" },
	{ .name = "format", OPT_FIELD(ENUM, struct check_opts, format), .metavar = "FORMAT",
	  .help = "the feed's format (default auto: recognised; -v says why)",
	  .choices = feed_format_names },
	{ .name = "min-score", OPT_FIELD(STR, struct check_opts, min_score), .metavar = "N",
	  .help = "with a score column (ipsum), keep the lines scoring at least N" },
	{ .name = "verify", OPT_FIELD(STR, struct check_opts, verify), .metavar = "KEYFILE",
	  .help = "the file must be the region's list with its signature FILE.sig by this "
		  "public key (bouclier-fetch checks a download so before it keeps it)" },
	{ .name = "print", OPT_FIELD(BOOL, struct check_opts, print),
	  .help = "print the normalised entries, one CIDR a line" },
	{ .name = "json", OPT_FIELD(BOOL, struct check_opts, json),
	  .help = "print JSON instead of text" },
	{ NULL },
};

const struct command cmd_feed_check = {
	.name = "feed check",
	.summary = "parse FILE without changing anything (no root needed)",
	.run = run_check,
	.size = sizeof(struct check_opts),
	.opts = check_opts,
	.flags = CMD_NO_CONFIG | CMD_LISTS,
};

/* ---- feed load NAME FILE */

struct load_opts {
	const char *name, *file;
	int format;
	const char *category, *min_score, *verify;
	int direction;
	bool force, monitor, enforce;
};

/* The public key the configuration's feed NAME must be signed with, or NULL. */
static const char *configured_verify(const struct ctx *c, const char *name)
{
	int i;

	for (i = 0; i < c->cfg.nfeeds; i++)
		if (!strcmp(c->cfg.feeds[i].name, name) && c->cfg.feeds[i].verify[0])
			return c->cfg.feeds[i].verify;
	return NULL;
}

static int run_load(struct ctx *c, void *o)
{
	struct load_opts *a = o;
	struct feed_result r = { 0 };
	struct region_signed got;
	struct feed_state *f, old;
	char why[160];
	struct table_stats st;
	struct staged staged;
	struct state s;
	bool live, existed;
	int err;

	if (!feed_name_ok(a->name)) {
		pr_warn("feed name \"%s\": use 1 to %d letters, digits, '-', '_' or '.'\n", a->name,
			BOUCLIER_NAME_LEN - 1);
		return -E_USAGE;
	}
	if (a->category && !category_name_ok(a->category)) {
		pr_warn("--category \"%s\": use 1 to %d letters, digits, '-', '_' or '.'\n",
			a->category, BOUCLIER_NAME_LEN - 1);
		return -E_USAGE;
	}
	if (a->monitor && a->enforce) {
		pr_warn("--monitor and --enforce: one or the other\n");
		return -E_USAGE;
	}
	if (parse_score(a->min_score) < 0) {
		pr_warn("--min-score %s: a whole number expected\n", a->min_score);
		return -E_USAGE;
	}
	if (!a->verify && configured_verify(c, a->name)) {
		/* unsigned, it would also forget the sequence that refuses replays */
		pr_warn("feed %s is the region's signed list (verify = %s in %s): load it with "
			"--verify %s\n", a->name, configured_verify(c, a->name), c->cfg.file,
			configured_verify(c, a->name));
		return -E_USAGE;
	}
	err = read_feed(a->file, a->format, parse_score(a->min_score), a->verify, &r, &got);
	if (err)
		goto out_free;
	log_phase("read and parse the file");
	cidr_normalise(r.v, &r.n);
	log_phase("normalise");
	if (!r.n && !a->force && !r.deprecated && !r.says_empty) {
		pr_warn("%s: no usable entry; feed %s keeps its current list "
			"(use --force to empty it)\n", a->file, a->name);
		err = -EBADMSG;
		goto out_free;
	}
	err = need_root("feed load");
	if (err)
		goto out_free;
	err = state_open_loaded(&s, c->state_dir, STATE_LOCK_WAIT);
	if (err)
		goto out;
	log_phase("read the state");
	existed = state_feed(&s, a->name) != NULL;
	if (existed && a->verify &&
	    region_replayed(a->file, &state_feed(&s, a->name)->region, &got, why, sizeof(why))) {
		err = -EBADMSG;
		goto out;
	}
	err = state_feed_add(&s, a->name, &f);
	if (err) {
		pr_warn("already %d feeds: remove one first (`bouclier feed remove NAME`)\n",
			BOUCLIER_USER_FEEDS);
		goto out;
	}
	old = *f;
	f->v = r.v;
	f->n = r.n;
	f->changed = true;
	f->was = old.v;
	f->nwas = old.n;
	f->loaded_at = time(NULL);
	if (realpath(a->file, f->source) == NULL)
		snprintf(f->source, sizeof(f->source), "%s", a->file);
	if (a->category)
		snprintf(f->category, sizeof(f->category), "%s", a->category);
	if (a->monitor || a->enforce)
		f->monitor = a->monitor;
	if (a->direction)
		f->direction = a->direction;
	else if (!existed) /* a new feed: from its category */
		f->direction = direction_for_category(f->category);
	f->region = got; /* the region's when verified, else no longer */
	/* the new list is on disk beside the old one before the swap, so a full
	 * disk changes nothing and a crash leaves the old files whole */
	err = state_stage_feed(&s, f, &staged);
	log_phase("stage the new list");
	if (!err) {
		err = lists_publish(c, &s, &live, &st);
		if (err)
			state_abort(&staged);
	}
	if (err) {
		f->v = old.v; /* state_close frees the old list; r frees the new */
		f->region = old.region;
		if (err == -EFBIG)
			pr_warn("feed %s unchanged: the table would take %.1f MiB, more than "
				"table_memory (%.1f MiB); raise it in [general] or load a shorter "
				"list\n", a->name, st.bytes / 1048576.0,
				c->cfg.table_memory / 1048576.0);
		else
			pr_warn("feed %s unchanged: %s\n", a->name, strerror(-err));
		goto out;
	}
	fault_point("before-save");
	err = state_commit(&staged);
	log_phase("commit the state");
	if (err) {
		pr_warn("feed %s is live, but its list could not be saved in %s (%s): a later "
			"change would compile the previous list. Fix the cause and load it again\n",
			a->name, s.dir, strerror(-err));
		f->v = old.v;
		goto out;
	}
	free(old.v);
	r.v = NULL;
	pr_info("feed %s: %zu entries from %s%s%s\n", a->name, r.n, a->file, live ? ", live" : "",
		f->monitor ? " (monitor mode: counted, not dropped)" : "");
out:
	state_close(&s);
out_free:
	feed_result_free(&r);
	return err;
}

static const struct opt load_opts[] = {
	{ .name = "NAME", OPT_FIELD(STR, struct load_opts, name),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "NAME", .help = "the feed" },
	{ .name = "FILE", OPT_FIELD(STR, struct load_opts, file),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "FILE", .help = "its entries" },
	{ .name = "format", OPT_FIELD(ENUM, struct load_opts, format), .metavar = "FORMAT",
	  .help = "the file's format (default auto: detected)", .choices = feed_format_names },
	{ .name = "category", OPT_FIELD(STR, struct load_opts, category), .metavar = "WORD",
	  .help = "what the feed lists: botnet-c2, scanners, tor-exit, ..." },
	{ .name = "min-score", OPT_FIELD(STR, struct load_opts, min_score), .metavar = "N",
	  .help = "with a score column (ipsum), keep the lines scoring at least N" },
	{ .name = "direction", OPT_FIELD(ENUM, struct load_opts, direction), .metavar = "WHERE",
	  .help = "drop its addresses as sources coming in, destinations going out, or both "
		  "(default: both for botnet-c2, c2, botnet, malware; in for the rest)",
	  .choices = direction_names },
	{ .name = "verify", OPT_FIELD(STR, struct load_opts, verify), .metavar = "KEYFILE",
	  .help = "the region's list: taken only with its signature FILE.sig by this public key "
		  "and when not older than the live one (else exit 65, the live list kept); its "
		  "drops count as the region's" },
	{ .name = "force", OPT_FIELD(BOOL, struct load_opts, force),
	  .help = "accept a file with no usable entry (empties the feed)" },
	{ .name = "monitor", OPT_FIELD(BOOL, struct load_opts, monitor),
	  .help = "monitor mode: its addresses pass, counted as would-drops (see `feed list`), "
		  "until loaded again with --enforce" },
	{ .name = "enforce", OPT_FIELD(BOOL, struct load_opts, enforce),
	  .help = "drop its addresses (the default for a new feed)" },
	{ NULL },
};

const struct command cmd_feed_load = {
	.name = "feed load",
	.summary = "replace feed NAME with the entries of FILE, atomically",
	.run = run_load,
	.size = sizeof(struct load_opts),
	.opts = load_opts,
	.flags = CMD_LISTS,
};

/* ---- feed list */

static int run_list(struct ctx *c, void *o)
{
	struct json_opts *a = o;
	struct stats st;
	const struct state *s = c->state;
	struct live l;
	bool live;
	char when[64];
	json_t *feeds = json_array(), *lapi;
	int err = 0, i;

	live = pins_open(&l) == 0;
	if (live) {
		err = stats_read(&l, &st);
		live_close(&l);
		if (err)
			goto out;
	}
	if (!a->json)
		printf("%-20s %-18s %-8s %10s %12s  %s\n", "feed", "category", "mode", "entries",
		       "dropped", "loaded");
	for (i = 0; i < s->nfeeds; i++) {
		const struct feed_state *f = &s->feeds[i];
		unsigned long long drops = live ? (f->monitor ? st.feed_mon_pkts : st.feed_pkts)
							  [f->index] : 0;
		time_t t = f->loaded_at;
		struct tm tm;

		if (a->json) {
			json_t *x = json_object();

			jset(x, "name", jstr(f->name));
			jset(x, "category", jstr(f->category));
			jset(x, "entries", ju64(f->n));
			jset(x, "direction", jstr(direction_names()[f->direction]));
			jset(x, "mode", jstr(f->monitor ? "monitor" : "enforce"));
			/* a monitored feed drops nothing: what it would have dropped */
			jset(x, "dropped_packets", ju64(f->monitor ? 0 : drops));
			jset(x, "would_drop", ju64(live ? st.feed_mon_pkts[f->index] : 0));
			jset(x, "dropped_outbound", ju64(live ? st.feed_out_pkts[f->index] : 0));
			jset(x, "loaded_at", ju64(f->loaded_at));
			jset(x, "source", jstr(f->source));
			/* the region's list: which one runs */
			jset(x, "region", !f->region.key[0] ? json_null()
				: jset(jset(jset(json_object(), "key", jstr(f->region.key)),
					    "sequence", ju64(f->region.sequence)),
				       "made", ju64(f->region.made)));
			json_array_append_new(feeds, x);
			continue;
		}
		if (!t || !localtime_r(&t, &tm))
			snprintf(when, sizeof(when), "never");
		else
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm);
		printf("%-20s %-18s %-8s %10zu %12llu%s  %s\n", f->name, f->category,
		       f->monitor ? "monitor" : "enforce", f->n, drops, f->monitor ? "*" : " ", when);
	}
	lapi = lapi_status(c->state_dir, &c->cfg, time(NULL));
	if (a->json) {
		json_t *j = jset(jset(json_object(), "live", json_boolean(live)), "feeds", feeds);

		if (lapi)
			jset(j, "lapi", json_incref(lapi));
		json_print(stdout, j);
		feeds = NULL;
	} else {
		for (i = 0; i < s->nfeeds && !s->feeds[i].monitor; i++)
			;
		if (i < s->nfeeds)
			printf("* monitor mode: packets that would have been dropped; nothing was\n");
		lapi_status_print(stdout, lapi, time(NULL));
	}
	json_decref(lapi);
out:
	json_decref(feeds);
	return err;
}

const struct command cmd_feed_list = {
	.name = "feed list",
	.summary = "the feeds, their entries and drops, and whether the CrowdSec LAPI feeds are live",
	.run = run_list,
	.size = sizeof(struct json_opts),
	.opts = json_only_opts,
	.flags = CMD_STATE_READ,
};

/* ---- feed remove NAME */

struct name_opts {
	const char *name;
};

static int run_remove(struct ctx *c, void *o)
{
	struct name_opts *a = o;
	struct state *s = c->state;
	struct feed_state f;
	bool live;
	int err;

	err = state_feed_take(s, a->name, &f);
	if (err) {
		pr_warn("no feed named \"%s\" (see `bouclier feed list`)\n", a->name);
		return err;
	}
	err = lists_publish(c, s, &live, NULL);
	state_feed_restore(s, &f);
	if (!err)
		err = state_feed_drop(s, a->name);
	if (!err)
		pr_info("feed %s removed\n", a->name);
	return err;
}

static const struct opt name_opts[] = {
	{ .name = "NAME", OPT_FIELD(STR, struct name_opts, name),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "NAME", .help = "the feed" },
	{ NULL },
};

const struct command cmd_feed_remove = {
	.name = "feed remove",
	.summary = "remove feed NAME from the filter",
	.run = run_remove,
	.size = sizeof(struct name_opts),
	.opts = name_opts,
	.flags = CMD_LISTS | CMD_ROOT | CMD_STATE,
};
