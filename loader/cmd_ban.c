// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cmd_ban.c - timed bans: `ban add`, `ban del`, `ban list`, `ban import`,
 * and the timed allows `allow add --for` writes (timed.h).  Each change is
 * saved in STATE_DIR/timed.list, then written to the running programs' map:
 * it acts within milliseconds, the table is not recompiled.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "config.h"
#include "ctx.h"
#include "detect.h"
#include "feed.h"
#include "log.h"
#include "out.h"
#include "pins.h"
#include "state.h"
#include "timed.h"
#include "weather/weather.h"

int timed_apply(struct ctx *x, struct timed_list *t, bool *live)
{
	struct live l;
	int err;

	timed_expire(t, x->now);
	err = timed_save(x->state_dir, t);
	if (err) {
		pr_warn("cannot write %s/timed.list: %s; nothing changed\n", x->state_dir,
			strerror(-err));
		return err;
	}
	*live = false;
	err = pins_open(&l);
	if (err == -ENOENT) {
		pr_info("bouclier is not attached: saved, and applied at `bouclier attach IFACE`\n");
		return 0;
	}
	if (err)
		return err;
	err = timed_sync(&l, t, x->now);
	live_close(&l);
	if (err)
		pr_warn("saved, but the running filter could not take it (%s); the next change or "
			"`bouclier watch` applies it\n", strerror(-err));
	*live = !err;
	return err;
}

int timed_tidy(struct ctx *x)
{
	struct timed_list t;
	struct state s;
	size_t i, ended = 0;
	bool live;
	int err;

	/* a look without the lock first: most minutes, nothing ended */
	if (timed_load(x->state_dir, &t))
		return 0;
	for (i = 0; i < t.n; i++)
		ended += t.v[i].expires <= (__u64)x->now;
	timed_free(&t);
	if (!ended)
		return 0;
	err = state_open(&s, x->state_dir, STATE_TRY); /* busy: the next minute */
	if (err)
		return err;
	err = timed_load(x->state_dir, &t);
	if (!err) {
		err = timed_apply(x, &t, &live);
		timed_free(&t);
	}
	state_close(&s);
	return err;
}

static int parse_prefix(const char *arg, struct cidr *c)
{
	const char *why;
	int flags;

	if (cidr_parse(arg, strlen(arg), c, &flags, &why)) {
		pr_warn("\"%s\": %s\n", arg, why);
		return -EINVAL;
	}
	if (!timed_prefix_ok(c)) {
		pr_warn("\"%s\": an IPv6 prefix this wide covers ::ffff:0:0/96, where IPv4 "
			"addresses are kept: ban the IPv4 prefixes themselves\n", arg);
		return -EINVAL;
	}
	return 0;
}

int timed_change(struct ctx *x, enum timed_kind kind, const char *arg, long seconds,
		 const char *reason, int direction, bool add)
{
	const char *what = kind == TIMED_BAN ? "ban" : "timed allow";
	struct timed_entry e = { 0 };
	struct timed_list t;
	struct state s;
	char buf[CIDR_STRLEN], until[32];
	bool live = false;
	int err;

	err = parse_prefix(arg, &e.c);
	if (err)
		return err;
	if (add && seconds <= 0) {
		pr_warn("%s: --for DURATION is required (such as 30m, 24h or 7d)\n", what);
		return -E_USAGE;
	}
	err = need_root(kind == TIMED_BAN ? (add ? "ban add" : "ban del")
					  : (add ? "allow add --for" : "allow del"));
	if (err)
		return err;
	err = state_open(&s, x->state_dir, STATE_LOCK_WAIT);
	if (err)
		return err;
	err = timed_load(x->state_dir, &t);
	if (err)
		goto out;
	cidr_format(&e.c, buf, sizeof(buf));
	if (add) {
		e.kind = kind;
		e.added = (__u64)x->now;
		e.expires = (__u64)x->now + (__u64)seconds;
		e.direction = direction ? direction : DIR_BOTH;
		timed_who(e.by, sizeof(e.by));
		snprintf(e.reason, sizeof(e.reason), "%s", reason ? reason : "");
		err = timed_put(&t, &e);
	} else if (timed_del(&t, kind, &e.c)) {
		pr_warn("no %s on %s (see `bouclier %s list`)\n", what, buf,
			kind == TIMED_BAN ? "ban" : "allow");
		err = -ENOENT;
	}
	if (!err)
		err = timed_apply(x, &t, &live);
	if (!err && add) {
		weather_time((time_t)e.expires, until, sizeof(until), "%Y-%m-%d %H:%M");
		pr_info("%s %s until %s%s\n", kind == TIMED_BAN ? "banned" : "allowed", buf, until,
			live ? ", live" : "");
	} else if (!err) {
		pr_info("%s on %s removed%s\n", what, buf, live ? ", live" : "");
	}
	timed_free(&t);
out:
	state_close(&s);
	return err;
}

/* ---- ban add, ban del */

struct ban_opts {
	const char *cidr, *reason;
	long seconds;
	int direction;
};

static int run_add(struct ctx *x, void *o)
{
	struct ban_opts *a = o;

	return timed_change(x, TIMED_BAN, a->cidr, a->seconds, a->reason, a->direction, true);
}

/* A ban detection made on the prefix (an IPv4 address, an IPv6 /64 or an
 * address in it) goes; 0, -ENOENT when there was none, or -errno. */
static int lift_detected(struct ctx *x, const char *arg)
{
	struct state s;
	struct cidr c;
	struct live l;
	const char *why;
	char buf[CIDR_STRLEN];
	int flags, err, live;

	if (cidr_parse(arg, strlen(arg), &c, &flags, &why) ||
	    c.plen < (c.family == 4 ? 32 : 64))
		return -ENOENT;
	err = need_root("ban del");
	if (err)
		return err;
	err = state_open(&s, x->state_dir, STATE_LOCK_WAIT);
	if (err)
		return err;
	live = !pins_open(&l);
	err = detect_lift(live ? &l : NULL, x->state_dir, &c);
	if (live)
		live_close(&l);
	state_close(&s);
	if (!err) {
		struct bouclier_addr_key k;

		detect_key_of(&c, &k);
		detect_cidr_of(&k, &c);
		pr_info("detected ban on %s lifted%s\n", cidr_format(&c, buf, sizeof(buf)),
			live ? ", live" : "");
	}
	return err;
}

static int run_del(struct ctx *x, void *o)
{
	struct ban_opts *a = o;
	int detected = lift_detected(x, a->cidr), err;

	if (detected && detected != -ENOENT)
		return detected;
	if (!detected) {
		/* a timed ban of the same prefix goes too, quietly when none */
		struct timed_list t;
		struct cidr c;
		const char *why;
		int flags, any = 0;

		/* timed_del on a copy read for the question: is there one? */
		if (!timed_load(x->state_dir, &t) &&
		    !cidr_parse(a->cidr, strlen(a->cidr), &c, &flags, &why))
			any = !timed_del(&t, TIMED_BAN, &c);
		timed_free(&t);
		if (!any)
			return 0;
	}
	err = timed_change(x, TIMED_BAN, a->cidr, 0, NULL, 0, false);
	return err;
}

static const struct opt add_opts[] = {
	{ .name = "CIDR", OPT_FIELD(STR, struct ban_opts, cidr),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "CIDR",
	  .help = "an address or prefix" },
	{ .name = "for", OPT_FIELD(DURATION, struct ban_opts, seconds), .flags = OPT_REQUIRED,
	  .metavar = "DURATION",
	  .help = "how long: 30m, 24h, 7d; it stops dropping at that time by itself" },
	{ .name = "reason", OPT_FIELD(STR, struct ban_opts, reason), .metavar = "TEXT",
	  .help = "why, shown by `ban list` and `why`" },
	{ .name = "direction", OPT_FIELD(ENUM, struct ban_opts, direction), .metavar = "WHERE",
	  .help = "drop it as a source coming in, a destination going out, or both (default)",
	  .choices = direction_names },
	{ NULL },
};

static const struct opt del_opts[] = {
	{ .name = "CIDR", OPT_FIELD(STR, struct ban_opts, cidr),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "CIDR",
	  .help = "the banned address or prefix" },
	{ NULL },
};

const struct command cmd_ban_add = {
	.name = "ban add",
	.summary = "drop CIDR for a while, at once, without recompiling the lists",
	.run = run_add,
	.size = sizeof(struct ban_opts),
	.opts = add_opts,
};

const struct command cmd_ban_del = {
	.name = "ban del",
	.summary = "lift a ban before its time",
	.run = run_del,
	.size = sizeof(struct ban_opts),
	.opts = del_opts,
};

/* ---- ban list (and the timed allows of allow list) */

json_t *timed_json(const struct timed_entry *e, time_t now)
{
	json_t *x = json_object();
	char buf[CIDR_STRLEN];

	jset(x, "kind", jstr(e->kind == TIMED_BAN ? "ban" : "allow"));
	jset(x, "prefix", jstr(cidr_format(&e->c, buf, sizeof(buf))));
	jset(x, "expires", ju64(e->expires));
	jset(x, "seconds_left", json_integer((json_int_t)e->expires - now));
	jset(x, "added", ju64(e->added));
	if (e->kind == TIMED_BAN)
		jset(x, "direction", jstr(direction_names()[e->direction]));
	jset(x, "by", jstr(e->by));
	jset(x, "reason", jstr(e->reason));
	return x;
}

void timed_print(const struct timed_entry *e, time_t now)
{
	char buf[CIDR_STRLEN], until[32], added[32], left[32];

	weather_time((time_t)e->expires, until, sizeof(until), "%Y-%m-%d %H:%M");
	weather_time((time_t)e->added, added, sizeof(added), "%Y-%m-%d %H:%M");
	timed_left((long)e->expires - now, left, sizeof(left));
	printf("%-20s until %s (%s left)%s%s, by %s on %s", cidr_format(&e->c, buf, sizeof(buf)),
	       until, left, e->kind == TIMED_BAN && e->direction != DIR_BOTH ? ", " : "",
	       e->kind == TIMED_BAN && e->direction != DIR_BOTH
		       ? (e->direction == DIR_IN ? "coming in only" : "going out only") : "",
	       e->by, added);
	if (e->reason[0]) {
		printf(": ");
		text_safe(stdout, e->reason);
	}
	printf("\n");
}

/* The bans detection made: the kernel's while it runs, else the file's. */
static int detected_bans(const struct ctx *x, struct detect_list *d)
{
	struct live l;
	int err;

	if (pins_open(&l))
		return detect_load(x->state_dir, d);
	err = detect_read(&l, d);
	live_close(&l);
	return err;
}

static int by_time(const void *a, const void *b)
{
	const struct detect_entry *x = a, *y = b;

	return x->b.at < y->b.at ? -1 : x->b.at > y->b.at;
}

static int run_list(struct ctx *x, void *o)
{
	struct json_opts *a = o;
	struct detect_list d = { 0 };
	struct timed_list t;
	json_t *arr;
	size_t i, shown = 0, detected = 0;
	int err;

	err = timed_load(x->state_dir, &t);
	if (err)
		return err;
	if (detected_bans(x, &d))
		pr_warn("cannot read the bans detection made\n");
	if (d.n) /* qsort(NULL, 0) is undefined */
		qsort(d.v, d.n, sizeof(d.v[0]), by_time);
	arr = json_array();
	for (i = 0; i < t.n; i++) {
		if (t.v[i].kind != TIMED_BAN || t.v[i].expires <= (__u64)x->now)
			continue;
		shown++;
		if (a->json)
			json_array_append_new(arr, timed_json(&t.v[i], x->now));
		else
			timed_print(&t.v[i], x->now);
	}
	for (i = 0; i < d.n; i++) {
		if (!detect_active(&d.v[i].b, x->now))
			continue;
		if (!a->json && !detected++)
			printf("%sdetected by their behaviour (`bouclier ban del PREFIX` lifts one):\n",
			       shown ? "\n" : "");
		shown++;
		if (a->json)
			json_array_append_new(arr, detect_json(&d.v[i], x->now));
		else
			detect_print(&d.v[i], x->now);
	}
	if (a->json)
		json_print(stdout, jset(json_object(), "bans", arr));
	else
		json_decref(arr);
	if (!a->json && !shown)
		printf("no ban (`bouclier ban add CIDR --for 24h --reason TEXT` adds one)\n");
	timed_free(&t);
	detect_list_free(&d);
	return 0;
}

const struct command cmd_ban_list = {
	.name = "ban list",
	.summary = "the bans in force, with who, when and why",
	.run = run_list,
	.size = sizeof(struct json_opts),
	.opts = json_only_opts,
};

/* ---- ban import FILE: CrowdSec decisions, each for its own duration */

struct import_opts {
	const char *file;
	long seconds;
};

static int run_import(struct ctx *x, void *o)
{
	struct import_opts *a = o;
	struct feed_options fo = { FEED_CROWDSEC, 0 };
	struct feed_result r = { 0 };
	struct timed_list t;
	struct state s;
	size_t i, added = 0;
	bool live = false;
	int err;

	err = feed_parse_file(a->file, &fo, &r, &feed_diag_stderr);
	if (err)
		goto out_free;
	err = need_root("ban import");
	if (err)
		goto out_free;
	err = state_open(&s, x->state_dir, STATE_LOCK_WAIT);
	if (err)
		goto out_free;
	err = timed_load(x->state_dir, &t);
	for (i = 0; !err && i < r.n; i++) {
		struct timed_entry e = { .kind = TIMED_BAN, .c = r.v[i], .direction = DIR_BOTH };
		__u32 ttl = r.ttl && r.ttl[i] ? r.ttl[i] : (__u32)a->seconds;

		if (!ttl || ttl == FEED_TTL_ENDED || !timed_prefix_ok(&r.v[i]))
			continue;
		e.added = (__u64)x->now;
		e.expires = (__u64)x->now + ttl;
		timed_who(e.by, sizeof(e.by));
		snprintf(e.reason, sizeof(e.reason), "crowdsec decision (%s)", a->file);
		err = timed_put(&t, &e);
		added++;
	}
	if (!err)
		err = timed_apply(x, &t, &live);
	if (!err)
		pr_info("%zu bans from %s (%zu skipped: no duration, ended, or an IPv6 prefix "
			"covering IPv4)%s\n", added,
			a->file, r.n - added, live ? ", live" : "");
	timed_free(&t);
	state_close(&s);
out_free:
	feed_result_free(&r);
	return err;
}

static const struct opt import_opts[] = {
	{ .name = "FILE", OPT_FIELD(STR, struct import_opts, file),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "FILE",
	  .help = "CrowdSec decisions: LAPI stream or decisions, or cscli decisions list -o json" },
	{ .name = "for", OPT_FIELD(DURATION, struct import_opts, seconds), .metavar = "DURATION",
	  .help = "for decisions that give no duration (default: skip them)" },
	{ NULL },
};

const struct command cmd_ban_import = {
	.name = "ban import",
	.summary = "CrowdSec ban decisions as timed bans, each for its own duration",
	.run = run_import,
	.size = sizeof(struct import_opts),
	.opts = import_opts,
};
