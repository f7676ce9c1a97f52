// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cmd_why.c - `bouclier why ADDRESS`: everything that decides what happens
 * to an address, for the person who is asked why it is blocked: what the
 * running filter does with it, each feed and prefix that lists it with the
 * list's age and source, the allowlist and the timed bans and allows that
 * cover it, what the sampled drops saw of it, and how to unblock it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include "cli.h"
#include "config.h"
#include "ctx.h"
#include "detect.h"
#include "lists.h"
#include "log.h"
#include "out.h"
#include "pins.h"
#include "publish.h"
#include "state.h"
#include "timed.h"
#include "verdict.h"
#include "weather/weather.h"

struct why_opts {
	const char *address;
	bool json;
};

/* "3 h ago", "2 d ago": the age of a list. */
static void age(time_t now, __u64 t, char *buf, size_t len)
{
	long s = t && (__u64)now > t ? (long)((__u64)now - t) : 0;

	if (!t)
		snprintf(buf, len, "never loaded");
	else if (s < 3600)
		snprintf(buf, len, "loaded %ld min ago", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, len, "loaded %ld h ago", s / 3600);
	else
		snprintf(buf, len, "loaded %ld days ago", s / 86400);
}

/* The most specific prefix of v covering a, or NULL. */
static const struct cidr *covering(const struct cidr *v, size_t n, const struct cidr *a)
{
	const struct cidr *best = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (cidr_contains(&v[i], a) && (!best || v[i].plen > best->plen))
			best = &v[i];
	return best;
}

static const char *url_of(const struct ctx *x, const char *feed)
{
	int i;

	for (i = 0; i < x->cfg.nfeeds; i++)
		if (!strcmp(x->cfg.feeds[i].name, feed))
			return x->cfg.feeds[i].url[0] ? x->cfg.feeds[i].url : x->cfg.feeds[i].path;
	return NULL;
}

static int run_why(struct ctx *x, void *o)
{
	struct why_opts *a = o;
	json_t *j = json_object(), *listed = json_array(), *allowed = json_array(),
	       *timed = json_array();
	struct cidr addr, *autov = NULL;
	struct timed_list t = { 0 };
	struct wsource *src = NULL;
	struct state s;
	struct live l;
	const struct cidr *c;
	char buf[CIDR_STRLEN], when[64], agebuf[48], pfx[CIDR_STRLEN];
	const char *why, *verdict = "not running";
	size_t nauto = 0, nsrc = 0, i;
	__u64 samples = 0, mon_samples = 0;
	__u32 last = 0, val = 0, dval = 0;
	struct bouclier_ban ban = { 0 };
	int err, running, dropped_by_feed = 0, banned = 0, allow_hit = 0, have_ban = 0;
	int in = BOUCLIER_V_PASS, out = BOUCLIER_V_PASS, detected_ban = 0;

	if (cidr_parse_addr(a->address, strlen(a->address), &addr, &why)) {
		pr_warn("\"%s\": %s\n", a->address, why);
		json_decref(j);
		return -EINVAL;
	}
	cidr_format(&addr, buf, sizeof(buf));
	*strchr(buf, '/') = 0;
	err = state_open_loaded(&s, x->state_dir, STATE_READ_ONLY);
	if (err)
		goto out;
	timed_load(x->state_dir, &t);
	state_load_auto(x->state_dir, &autov, &nauto);

	/* what the running filter does, as the programs do */
	running = pins_open(&l) == 0;
	if (running) {
		struct bouclier_timed_val tv;

		if (!live_lookup(&l, &addr, &val)) {
			timed_lookup(&l, &addr, &val, &tv);
			/* detection's bans act on the way in only, as in
			 * bpf/filter.h: the way out keeps the lists' value */
			dval = val;
			have_ban = detect_lookup(&l, &addr, &dval, &ban);
		}
		weather_read_sources(&l, &src, &nsrc);
		live_close(&l);
		in = bouclier_verdict(dval, BOUCLIER_D_IN);
		out = bouclier_verdict(val, BOUCLIER_D_OUT);
		verdict = in == BOUCLIER_V_ALLOW ? "passes"
			  : in == BOUCLIER_V_DROP || out == BOUCLIER_V_DROP ? "dropped"
			  : in == BOUCLIER_V_MONITOR || out == BOUCLIER_V_MONITOR
				  ? "passes, would be dropped" : "passes";
	} else {
		/* not attached: the file of the bans detection made */
		struct detect_list d = { 0 };
		struct bouclier_addr_key k;
		size_t j;

		detect_key_of(&addr, &k);
		detect_load(x->state_dir, &d);
		for (j = 0; j < d.n; j++)
			if (!memcmp(&d.v[j].k, &k, sizeof(k))) {
				ban = d.v[j].b;
				have_ban = 1;
			}
		detect_list_free(&d);
	}
	for (i = 0; i < nsrc; i++)
		if (!strcmp(src[i].addr, buf)) {
			*(src[i].monitor ? &mon_samples : &samples) += src[i].samples;
			last = src[i].last > last ? src[i].last : last;
		}
	if (!a->json) {
		printf("%s: %s", buf, verdict);
		if (running && in == BOUCLIER_V_DROP && out == BOUCLIER_V_DROP)
			printf(" both ways");
		else if (running && in == BOUCLIER_V_DROP)
			printf(" as a source (coming in)");
		else if (running && out == BOUCLIER_V_DROP)
			printf(" as a destination (going out)");
		printf(running ? "\n" : " (bouclier is not attached: what the lists say)\n");
	}

	/* the feeds */
	for (i = 0; i < (size_t)s.nfeeds; i++) {
		const struct feed_state *f = &s.feeds[i];
		const char *url = url_of(x, f->name);
		json_t *e;

		c = covering(f->v, f->n, &addr);
		if (!c)
			continue;
		cidr_format(c, pfx, sizeof(pfx));
		age(x->now, f->loaded_at, agebuf, sizeof(agebuf));
		dropped_by_feed |= !f->monitor;
		e = json_object();
		jset(e, "feed", jstr(f->name));
		jset(e, "category", jstr(f->category));
		jset(e, "prefix", jstr(pfx));
		jset(e, "mode", jstr(f->monitor ? "monitor" : "enforce"));
		jset(e, "direction", jstr(direction_names()[f->direction]));
		jset(e, "loaded_at", ju64(f->loaded_at));
		jset(e, "source", jstr(url ? url : f->source));
		json_array_append_new(listed, e);
		if (!a->json) {
			printf("  listed by feed %s (%s%s, %s) as %s; %s from ", f->name, f->category,
			       f->monitor ? ", monitor mode: counted, not dropped" : "",
			       f->direction == DIR_BOTH ? "both ways" : f->direction == DIR_OUT
								       ? "going out" : "coming in",
			       pfx, agebuf);
			text_safe(stdout, url ? url : f->source);
			printf("\n");
		}
	}
	/* the allowlists */
	{
		struct { const struct cidr *v; size_t n; const char *what; } al[] = {
			{ s.allow, s.nallow, "the allowlist (`allow add`)" },
			{ x->cfg.allow, x->cfg.nallow, "the configuration's [allow]" },
			{ autov, nauto, "the automatic allowlist (an interface's network or gateway)" },
		};

		for (i = 0; i < sizeof(al) / sizeof(al[0]); i++) {
			c = covering(al[i].v, al[i].n, &addr);
			if (!c)
				continue;
			allow_hit = 1;
			cidr_format(c, pfx, sizeof(pfx));
			json_array_append_new(allowed, jset(jset(json_object(), "prefix", jstr(pfx)),
							    "from", jstr(al[i].what)));
			if (!a->json)
				printf("  on %s as %s: never filtered\n", al[i].what, pfx);
		}
	}
	/* the timed bans and allows */
	for (i = 0; i < t.n; i++) {
		if (t.v[i].expires <= (__u64)x->now || !cidr_contains(&t.v[i].c, &addr))
			continue;
		banned |= t.v[i].kind == TIMED_BAN;
		json_array_append_new(timed, timed_json(&t.v[i], x->now));
		if (!a->json) {
			printf("  timed %s: ", t.v[i].kind == TIMED_BAN ? "ban" : "allow");
			timed_print(&t.v[i], x->now);
		}
	}
	/* what detection saw of it */
	if (have_ban) {
		struct detect_entry de = { .b = ban };
		char what[128], at[32], until[32];
		int acts = detect_active(&ban, x->now);

		detect_key_of(&addr, &de.k);
		detect_describe(&ban, what, sizeof(what));
		weather_time((time_t)ban.at, at, sizeof(at), "%Y-%m-%d %H:%M");
		weather_time((time_t)ban.expires, until, sizeof(until),
			     ban.expires - ban.at >= 86400 ? "%Y-%m-%d %H:%M" : "%H:%M");
		banned |= acts && !(ban.flags & BOUCLIER_BAN_MONITOR);
		detected_ban = acts;
		if (!a->json) {
			if (ban.flags & BOUCLIER_BAN_LIFTED)
				printf("  detected: %s, %s; the ban was lifted when a machine of the "
				       "town contacted it\n", what, at);
			else if (!acts)
				printf("  detected earlier: %s, %s, banned until %s (ended; banned "
				       "again soon, it would be for twice as long)\n", what, at, until);
			else
				printf("  detected: %s, %s, %s until %s%s\n", what, at,
				       ban.flags & BOUCLIER_BAN_MONITOR ? "would be banned (monitor mode)"
									: "banned",
				       until, ban.offences > 1 ? " (a repeat offender)" : "");
		}
		jset(j, "detected", detect_json(&de, x->now));
	} else {
		jset(j, "detected", json_null());
	}
	/* what the filter saw of it */
	if (last)
		weather_time((time_t)last * BOUCLIER_SLOT_SECONDS, when, sizeof(when), "%Y-%m-%d %H:%M");
	if (!a->json) {
		if (samples || mon_samples)
			printf("  seen: %llu of its packets among the sampled drops (one in %d is "
			       "kept, the latest first)%s%llu among the would-drops, last in the "
			       "quarter hour of %s\n", (unsigned long long)samples, BOUCLIER_SAMPLE,
			       mon_samples ? ", " : "; ", (unsigned long long)mon_samples, when);
		else if (running)
			printf("  seen: not among the sampled drops (it sent nothing lately, or too "
			       "little to be sampled)\n");
		if (!dropped_by_feed && !banned && !allow_hit && !json_array_size(listed) &&
		    !have_ban)
			printf("  no feed, ban or allow covers it\n");
		if (!allow_hit && detected_ban && in == BOUCLIER_V_DROP)
			printf("  to unblock: bouclier ban del %s (lifts the detected ban), or bouclier "
			       "allow add %s --for 2h --reason \"...\"\n", buf, buf);
		else if (!allow_hit && banned)
			printf("  to unblock: bouclier ban del PREFIX (the ban's, above), or bouclier "
			       "allow add %s --for 2h --reason \"...\"\n", buf);
		else if (!allow_hit && dropped_by_feed)
			printf("  to unblock: bouclier allow add %s --for 2h --reason \"...\" (at once, "
			       "for a while), or bouclier allow add %s (for good)\n", buf, buf);
	} else {
		jset(j, "address", jstr(buf));
		jset(j, "running", json_boolean(running));
		jset(j, "verdict", jstr(verdict));
		jset(j, "listed_by", listed);
		jset(j, "allowed_by", allowed);
		jset(j, "timed", timed);
		jset(j, "sampled_drops", ju64(samples));
		jset(j, "sampled_would_drops", ju64(mon_samples));
		jset(j, "last_seen_slot_start", last ? ju64((__u64)last * BOUCLIER_SLOT_SECONDS)
						     : json_null());
		listed = allowed = timed = NULL;
		json_print(stdout, j);
		j = NULL;
	}
out:
	json_decref(listed);
	json_decref(allowed);
	json_decref(timed);
	json_decref(j);
	free(src);
	free(autov);
	timed_free(&t);
	state_close(&s);
	return err;
}

static const struct opt why_opts[] = {
	{ .name = "ADDRESS", OPT_FIELD(STR, struct why_opts, address),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "ADDRESS",
	  .help = "an IPv4 or IPv6 address" },
	{ .name = "json", OPT_FIELD(BOOL, struct why_opts, json),
	  .help = "print JSON instead of text" },
	{ NULL },
};

const struct command cmd_why = {
	.name = "why",
	.summary = "why ADDRESS is dropped or not: feeds, prefixes, bans, allows, drops seen, how "
		   "to unblock it",
	.run = run_why,
	.size = sizeof(struct why_opts),
	.opts = why_opts,
};
