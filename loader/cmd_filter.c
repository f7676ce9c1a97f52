// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cmd_filter.c - the filter on its interfaces: attach, detach, status,
 * stats and lookup.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include "attach.h"
#include "bridge.h"
#include "cli.h"
#include "ctx.h"
#include "detect.h"
#include "lapi.h"
#include "lists.h"
#include "log.h"
#include "names.h"
#include "out.h"
#include "pins.h"
#include "publish.h"
#include "stats.h"
#include "timed.h"
#include "verdict.h"
#include "weather/weather.h"

static void fmt_time(__u64 t, char *buf, size_t len)
{
	time_t tt = t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm))
		snprintf(buf, len, "never");
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

/* ---- attach IFACE */

struct attach_opts {
	const char *iface;
	int mode;
};

static int run_attach(struct ctx *c, void *o)
{
	struct attach_opts *a = o;
	struct lists_attach la = { c, c->state };
	bool added;

	/* the lists, with the interface's own networks, go live before it is
	 * filtered at all */
	return attach_iface(a->iface, a->mode, &added, lists_publish_attach, &la);
}

static const struct opt attach_opts[] = {
	{ .name = "IFACE", OPT_FIELD(STR, struct attach_opts, iface),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "IFACE", .help = "the interface" },
	{ .name = "mode", OPT_FIELD(ENUM, struct attach_opts, mode), .metavar = "MODE",
	  .help = "XDP mode (default auto: native, else generic)", .choices = attach_mode_names },
	{ NULL },
};

const struct command cmd_attach = {
	.name = "attach",
	.summary = "attach the filter to an interface (again: nothing to do)",
	.run = run_attach,
	.size = sizeof(struct attach_opts),
	.opts = attach_opts,
	.flags = CMD_LISTS | CMD_ROOT | CMD_STATE,
};

/* ---- detach IFACE */

struct iface_opts {
	const char *iface;
};

static int run_detach(struct ctx *c, void *o)
{
	struct iface_opts *a = o;
	struct state s;
	int err;

	/* not while an attach or a refresh is under way */
	err = state_open(&s, c->state_dir, STATE_LOCK_WAIT);
	if (!err)
		err = detach_iface(a->iface);
	state_close(&s);
	return err;
}

static const struct opt iface_opts[] = {
	{ .name = "IFACE", OPT_FIELD(STR, struct iface_opts, iface),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "IFACE", .help = "the interface" },
	{ NULL },
};

const struct command cmd_detach = {
	.name = "detach",
	.summary = "detach from an interface; the last detach removes every pinned object",
	.run = run_detach,
	.size = sizeof(struct iface_opts),
	.opts = iface_opts,
	.flags = CMD_ROOT,
};

/* ---- status */

/* The CrowdSec LAPI feeds, live or not (lapi.h), when there are any. */
static json_t *with_lapi(const struct ctx *c, json_t *j)
{
	json_t *lapi = lapi_status(c->state_dir, &c->cfg, time(NULL));

	return lapi ? jset(j, "lapi", lapi) : j;
}

/* A filtered bridge port: the outside one, unless the default gateway was
 * plainly learnt behind another port of its bridge (attach warned of it). */
static void say_port(const struct iface_state *s)
{
	char port[IF_NAMESIZE], gw[INET6_ADDRSTRLEN];
	struct bridge_info b;

	if (!bridge_info(s->name, &b) && !bridge_outside(&b, port, gw) && port[0] &&
	    strcmp(port, s->name))
		printf("; bridge %s, port %s, BUT the gateway %s is behind %s: the town's traffic "
		       "would be taken for the Internet's (`bouclier detach %s && bouclier attach "
		       "%s`)", s->bridge, s->name, gw, port, s->name, port);
	else
		printf("; bridge %s, outside port %s", s->bridge, s->name);
}

static int run_status(struct ctx *c, void *o)
{
	struct json_opts *a = o;
	struct iface_state ifs[64];
	struct stats st;
	struct live l;
	char when[64];
	int n, i, err, nfeeds = 0, filtering = 0;
	json_t *j, *arr, *lapi;

	n = attach_states(ifs, 64);
	if (n < 0)
		return n;
	for (i = 0; i < n; i++)
		filtering += ifs[i].filtering;
	err = n > 0 ? pins_open(&l) : -ENOENT;
	if (err) {
		if (a->json)
			json_print(stdout, with_lapi(c, jset(jset(jset(json_object(), "attached",
								      json_false()),
								 "filtering", json_false()),
							    "interfaces", json_array())));
		else
			printf("bouclier is not attached (nothing pinned under %s)\n", pins_dir());
		return err == -ENOENT ? -ENXIO : err;
	}
	err = stats_read(&l, &st);
	live_close(&l);
	if (err)
		return err;
	for (i = 0; i < BOUCLIER_MAX_FEEDS; i++)
		nfeeds += !!st.feeds[i].name[0];
	if (a->json) {
		arr = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(arr, jset(jset(jset(jset(json_object(), "name",
								       jstr(ifs[i].name)),
								  "mode", jstr(ifs[i].mode)),
							     "filtering", json_boolean(ifs[i].filtering)),
							"frames", jstr(ifs[i].raw_ip ? "ip" : "ethernet")));
		for (i = 0; i < n; i++) {
			jset(json_array_get(arr, i), "outbound", jstr(ifs[i].egress));
			jset(json_array_get(arr, i), "bridge",
			     ifs[i].bridge[0] ? jstr(ifs[i].bridge) : json_null());
		}
		j = json_object();
		jset(j, "attached", json_true());
		jset(j, "filtering", json_boolean(filtering > 0));
		jset(j, "interfaces", arr);
		jset(j, "generation", json_integer(st.info.generation));
		jset(j, "swapped_at", ju64(st.info.swapped_at));
		jset(j, "table_bytes", ju64(st.info.table_bytes));
		jset(j, "v4_prefixes", json_integer(st.info.v4_entries));
		jset(j, "v6_prefixes", json_integer(st.info.v6_entries));
		jset(j, "allow_entries", json_integer(st.info.allow_entries));
		jset(j, "feeds", json_integer(nfeeds));
		jset(j, "pin_dir", jstr(pins_dir()));
		json_print(stdout, with_lapi(c, j));
	} else {
		for (i = 0; i < n; i++) {
			if (ifs[i].filtering)
				printf("filtering %s (%s mode%s); the way out: %s", ifs[i].name,
				       ifs[i].mode, ifs[i].raw_ip ? ", raw IP frames" : "",
				       !strcmp(ifs[i].egress, "off") ? "NOT FILTERED"
				       : !strcmp(ifs[i].egress, "tcx") ? "filtered (TC egress, tcx)"
								       : "filtered (TC egress, clsact)");
			else
				printf("NOT filtering %s: %s", ifs[i].name,
				       !strcmp(ifs[i].mode, "gone") ? "the interface is gone"
				       : !strcmp(ifs[i].mode, "replaced")
					       ? "another XDP program runs there"
					       : "bouclier's program is not on it");
			if (ifs[i].bridge[0])
				say_port(&ifs[i]);
			printf("\n");
		}
		fmt_time(st.info.swapped_at, when, sizeof(when));
		printf("table generation %u, swapped in at %s, %.1f MiB\n", st.info.generation, when,
		       st.info.table_bytes / 1048576.0);
		printf("%u IPv4 and %u IPv6 prefixes from %d feeds, %u allowlist entries\n",
		       st.info.v4_entries, st.info.v6_entries, nfeeds, st.info.allow_entries);
		printf("pinned under %s\n", pins_dir());
		lapi = lapi_status(c->state_dir, &c->cfg, time(NULL));
		lapi_status_print(stdout, lapi, time(NULL));
		json_decref(lapi);
	}
	if (!filtering) {
		pr_warn("not filtering anywhere\n");
		return -ENXIO;
	}
	return 0;
}

const struct command cmd_status = {
	.name = "status",
	.summary = "where the filter runs (as the kernel says) and what it holds; exit 69 when it "
		   "filters nowhere",
	.run = run_status,
	.size = sizeof(struct json_opts),
	.opts = json_only_opts,
};

/* ---- stats */

static int open_live_or_say(struct live *l)
{
	int err = pins_open(l);

	if (err == -ENOENT) {
		pr_warn("bouclier is not attached (see `bouclier attach`)\n");
		return -ENXIO;
	}
	if (err && err != -EPROTO)
		pr_warn("cannot open the pinned maps in %s: %s\n", pins_dir(), strerror(-err));
	return err;
}

static json_t *pkts_bytes(const char *pk, __u64 p, const char *bk, __u64 b)
{
	return jset(jset(json_object(), pk, ju64(p)), bk, ju64(b));
}

static int run_stats(struct ctx *c, void *o)
{
	struct json_opts *a = o;
	struct bouclier_stats *s;
	struct stats st;
	struct live l;
	int err, v, p, f;

	(void)c;
	err = open_live_or_say(&l);
	if (err)
		return err;
	err = stats_read(&l, &st);
	live_close(&l);
	if (err)
		return err;
	s = &st.sum;
	if (a->json) {
		json_t *j = json_object(), *verdicts = json_object(), *protos = json_object();
		json_t *feeds = json_array(), *fam = json_object();

		for (v = 0; v < BOUCLIER_V_MAX; v++)
			jset(verdicts, verdict_name(v), pkts_bytes("packets", s->pkts[v], "bytes",
								   s->bytes[v]));
		for (p = 0; p < BOUCLIER_P_MAX; p++) {
			json_t *x = pkts_bytes("passed_packets", s->proto_pkts[0][p], "passed_bytes",
					       s->proto_bytes[0][p]);

			jset(x, "dropped_packets", ju64(s->proto_pkts[1][p]));
			jset(x, "dropped_bytes", ju64(s->proto_bytes[1][p]));
			jset(protos, proto_name(p), x);
		}
		jset(fam, "ipv4", pkts_bytes("passed_packets", s->family_pkts[0][0],
					     "dropped_packets", s->family_pkts[1][0]));
		jset(fam, "ipv6", pkts_bytes("passed_packets", s->family_pkts[0][1],
					     "dropped_packets", s->family_pkts[1][1]));
		for (f = 0; f < BOUCLIER_MAX_FEEDS; f++) {
			json_t *x;

			if (!st.feeds[f].name[0])
				continue;
			x = jset(jset(json_object(), "name", jstr(st.feeds[f].name)), "category",
				 jstr(st.feeds[f].category));
			jset(x, "dropped_packets", ju64(st.feed_pkts[f]));
			jset(x, "dropped_bytes", ju64(st.feed_bytes[f]));
			json_array_append_new(feeds, x);
		}
		jset(j, "verdicts", verdicts);
		jset(j, "protocols", protos);
		jset(j, "families", fam);
		jset(j, "fragments", ju64(s->fragments));
		jset(j, "feeds", feeds);
		fam = json_object();
		for (f = 0; f < BOUCLIER_DT_MAX; f++)
			jset(fam, detect_count_name(f), ju64(s->detect[f]));
		jset(j, "detection", fam);
		return json_print(stdout, j) ? -EIO : 0;
	}
	printf("%-10s %14s %16s\n", "verdict", "packets", "bytes");
	for (v = 0; v < BOUCLIER_V_MAX; v++)
		printf("%-10s %14llu %16llu\n", verdict_name(v), (unsigned long long)s->pkts[v],
		       (unsigned long long)s->bytes[v]);
	printf("\n%-10s %14s %16s\n", "protocol", "passed", "dropped");
	for (p = 0; p < BOUCLIER_P_MAX; p++)
		printf("%-10s %14llu %16llu\n", proto_name(p),
		       (unsigned long long)s->proto_pkts[0][p], (unsigned long long)s->proto_pkts[1][p]);
	printf("%-10s %14llu %16llu\n%-10s %14llu %16llu\n", "ipv4",
	       (unsigned long long)s->family_pkts[0][0], (unsigned long long)s->family_pkts[1][0],
	       "ipv6", (unsigned long long)s->family_pkts[0][1],
	       (unsigned long long)s->family_pkts[1][1]);
	printf("\n%-20s %-18s %14s %16s\n", "feed", "category", "dropped", "bytes");
	for (f = 0; f < BOUCLIER_MAX_FEEDS; f++)
		if (st.feeds[f].name[0])
			printf("%-20s %-18s %14llu %16llu\n", st.feeds[f].name, st.feeds[f].category,
			       (unsigned long long)st.feed_pkts[f],
			       (unsigned long long)st.feed_bytes[f]);
	printf("(a packet listed by several feeds counts once for each)\n");
	printf("\ndetection (since the filter was loaded):");
	for (f = 0; f < BOUCLIER_DT_MAX; f++)
		printf("%s %s %llu", f ? "," : "", detect_count_name(f),
		       (unsigned long long)s->detect[f]);
	printf("\n");
	return 0;
}

const struct command cmd_stats = {
	.name = "stats",
	.summary = "packets and bytes by verdict, protocol and feed",
	.run = run_stats,
	.size = sizeof(struct json_opts),
	.opts = json_only_opts,
};

/* ---- lookup ADDRESS */

struct lookup_opts {
	const char *address;
	bool json;
};

/* The words for what the filter does: both ways, one way, would drop. */
static const char *lookup_phrase(int in, int out, int timed)
{
	if (in == BOUCLIER_V_ALLOW)
		return timed ? "passes (timed allow, until" : "passes (on the allowlist)";
	if (in == BOUCLIER_V_DROP && out == BOUCLIER_V_DROP)
		return "dropped both ways, listed by";
	if (in == BOUCLIER_V_DROP)
		return "dropped as a source (on the way in), listed by";
	if (out == BOUCLIER_V_DROP)
		return "dropped as a destination (on the way out), listed by";
	if (in == BOUCLIER_V_MONITOR || out == BOUCLIER_V_MONITOR)
		return "passes; would drop (monitor:";
	return "passes (not listed)";
}

static int run_lookup(struct ctx *c, void *o)
{
	struct lookup_opts *a = o;
	struct bouclier_timed_val tv = { 0 };
	struct bouclier_set set = { 0 };
	struct bouclier_ban ban = { 0 };
	struct stats st;
	struct cidr addr;
	struct live l;
	const char *why, *verdict;
	char until[32] = "", reason[128] = "";
	__u32 val, dval, id;
	int err, f, first = 1, mon, timed, detected = 0, in, out;
	json_t *feeds, *monitor;

	(void)c;
	if (cidr_parse_addr(a->address, strlen(a->address), &addr, &why)) {
		pr_warn("\"%s\": %s\n", a->address, why);
		return -EINVAL;
	}
	err = open_live_or_say(&l);
	if (err)
		return err;
	err = live_lookup(&l, &addr, &val);
	/* then the timed bans and allows, and the bans detection made, as the
	 * programs do (maps/verdict.h) */
	timed = !err && timed_lookup(&l, &addr, &val, &tv) > 0;
	dval = val;
	if (!err && detect_lookup(&l, &addr, &dval, &ban) && (dval & BOUCLIER_DETECTED)) {
		detected = 1;
		detect_describe(&ban, reason, sizeof(reason));
	}
	if (!err)
		err = stats_read(&l, &st);
	id = val & BOUCLIER_SET_MASK;
	if (!err && val && !(val & BOUCLIER_ALLOW))
		bpf_map_lookup_elem(l.sets_fd, &id, &set);
	live_close(&l);
	if (err)
		return err;
	if (timed)
		weather_time((time_t)tv.expires, until, sizeof(until), "%Y-%m-%d %H:%M");
	in = bouclier_verdict(dval, BOUCLIER_D_IN);
	out = bouclier_verdict(val, BOUCLIER_D_OUT);
	mon = (in == BOUCLIER_V_MONITOR || out == BOUCLIER_V_MONITOR) &&
	      in != BOUCLIER_V_DROP && out != BOUCLIER_V_DROP;
	verdict = in == BOUCLIER_V_ALLOW ? "allow"
		  : in == BOUCLIER_V_DROP || out == BOUCLIER_V_DROP ? "drop"
		  : mon ? "monitor" : "pass";
	feeds = json_array();
	monitor = json_array();
	if (!a->json && detected) {
		char bt[32];

		weather_time((time_t)ban.expires, bt, sizeof(bt), "%Y-%m-%d %H:%M");
		printf("%s: %s by detection (%s) until %s", a->address,
		       in == BOUCLIER_V_DROP ? "dropped as a source, banned" : "passes; would be banned",
		       reason, bt);
		/* what the lists say besides */
		if (val & (BOUCLIER_IN | BOUCLIER_OUT | BOUCLIER_MON_IN | BOUCLIER_MON_OUT))
			printf("; also %s", lookup_phrase(bouclier_verdict(val, BOUCLIER_D_IN), out,
							  timed));
	} else if (!a->json) {
		printf("%s: %s", a->address, lookup_phrase(in, out, timed));
	}
	if (in == BOUCLIER_V_ALLOW && timed && !a->json)
		printf(" %s)", until);
	for (f = 0; f < BOUCLIER_MAX_FEEDS; f++) {
		int is_mon = !!(st.feeds[f].flags & BOUCLIER_FEED_MONITOR);

		if (!(set.feeds & (1u << f)) || (is_mon && !mon))
			continue;
		json_array_append_new(is_mon ? monitor : feeds, jstr(st.feeds[f].name));
		if (!a->json)
			printf("%s %s", first ? "" : ",",
			       f == BOUCLIER_FEED_BAN ? "a timed ban" : st.feeds[f].name);
		if (!a->json && f == BOUCLIER_FEED_BAN)
			printf(" until %s", until);
		first = 0;
	}
	/* monitored feeds that list it beside the ones that drop it */
	for (f = 0; !mon && f < BOUCLIER_MAX_FEEDS; f++)
		if ((set.feeds & (1u << f)) && (st.feeds[f].flags & BOUCLIER_FEED_MONITOR))
			json_array_append_new(monitor, jstr(st.feeds[f].name));
	if (a->json) {
		json_t *d = json_array(), *j = json_object();

		if (in == BOUCLIER_V_DROP)
			json_array_append_new(d, jstr("in"));
		if (out == BOUCLIER_V_DROP)
			json_array_append_new(d, jstr("out"));
		jset(j, "address", jstr(a->address));
		jset(j, "verdict", jstr(verdict));
		jset(j, "directions", d);
		jset(j, "feeds", feeds);
		jset(j, "monitor", monitor);
		jset(j, "timed_until", timed ? ju64(tv.expires) : json_null());
		jset(j, "detected", reason[0] ? jset(jset(json_object(), "reason", jstr(reason)),
						     "until", ju64(ban.expires))
					      : json_null());
		return json_print(stdout, j);
	}
	if (mon)
		printf(")");
	else if (json_array_size(monitor))
		printf(" (monitor mode would drop it too: %s)",
		       json_string_value(json_array_get(monitor, 0)));
	json_decref(feeds);
	json_decref(monitor);
	printf("\n");
	return 0;
}

static const struct opt lookup_opts[] = {
	{ .name = "ADDRESS", OPT_FIELD(STR, struct lookup_opts, address),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "ADDRESS",
	  .help = "an IPv4 or IPv6 address" },
	{ .name = "json", OPT_FIELD(BOOL, struct lookup_opts, json),
	  .help = "print JSON instead of text" },
	{ NULL },
};

const struct command cmd_lookup = {
	.name = "lookup",
	.summary = "what the live filter does with ADDRESS, and which feeds list it",
	.run = run_lookup,
	.size = sizeof(struct lookup_opts),
	.opts = lookup_opts,
};
