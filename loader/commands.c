// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "commands.h"
#include "feed.h"
#include "live.h"
#include "log.h"
#include "stats.h"
#include "weather.h"

#define LOCK_WAIT_MS 30000

static int need_root(const char *what)
{
	if (geteuid() == 0)
		return 0;
	pr_warn("%s needs root (CAP_BPF and CAP_NET_ADMIN); run it with sudo\n", what);
	return -EPERM;
}

static int open_state(struct args *a, struct state *s)
{
	int err = state_open(s, a->state_dir, LOCK_WAIT_MS);

	if (!err)
		err = state_load(s);
	if (err && err != -EWOULDBLOCK)
		pr_warn("cannot read the state in %s: %s\n", a->state_dir, strerror(-err));
	return err;
}

/* Makes the state live if the filter is attached; says so if it is not. */
static int apply(struct state *s, bool *live_out)
{
	struct table_stats st;
	struct live l;
	int err;

	*live_out = false;
	err = live_open(&l);
	if (err == -ENOENT) {
		pr_info("bouclier is not attached: the change is saved and applies at "
			"`bouclier attach IFACE`\n");
		return 0;
	}
	if (err) {
		pr_warn("cannot open the pinned maps in %s: %s\n", live_pin_dir(), strerror(-err));
		return err;
	}
	err = live_swap(&l, s, &st);
	live_close(&l);
	if (!err) {
		*live_out = true;
		pr_debug("live: %u IPv4 and %u IPv6 prefixes, %u allowlist entries\n",
			 st.v4_prefixes, st.v6_prefixes, st.allow);
	}
	return err;
}

static int parse_mode(const char *m, enum attach_mode *mode)
{
	if (!m || !strcmp(m, "auto"))
		*mode = MODE_AUTO;
	else if (!strcmp(m, "native"))
		*mode = MODE_NATIVE;
	else if (!strcmp(m, "generic"))
		*mode = MODE_GENERIC;
	else
		return -1;
	return 0;
}

int cmd_attach(struct args *a)
{
	enum attach_mode mode;
	struct state s;
	int err;

	if (parse_mode(a->mode, &mode)) {
		pr_warn("--mode %s: expected auto, native or generic\n", a->mode);
		return -E_USAGE;
	}
	err = need_root("attach");
	if (err)
		return err;
	err = open_state(a, &s);
	if (!err)
		err = live_attach(a->pos[0], mode, &s);
	state_close(&s);
	return err;
}

int cmd_detach(struct args *a)
{
	int err = need_root("detach");

	return err ? err : live_detach(a->pos[0]);
}

static const char *mode_name(int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	if (!ifindex || bpf_xdp_query(ifindex, 0, &q))
		return "gone";
	switch (q.attach_mode) {
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_SKB:
		return "generic";
	case XDP_ATTACHED_HW:
		return "offload";
	case XDP_ATTACHED_MULTI:
		return "multi";
	default:
		return "detached";
	}
}

static void fmt_time(__u64 t, char *buf, size_t len)
{
	time_t tt = t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm))
		snprintf(buf, len, "never");
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

int cmd_status(struct args *a)
{
	char names[64][32], when[64];
	struct stats st;
	struct live l;
	int n, i, err, nfeeds = 0;

	n = live_links(names, 64);
	err = n > 0 ? live_open(&l) : -ENOENT;
	if (err) {
		if (a->json)
			printf("{\"attached\":false,\"interfaces\":[]}\n");
		else
			printf("bouclier is not attached (nothing pinned under %s)\n", live_pin_dir());
		return err == -ENOENT ? -ENXIO : err;
	}
	err = stats_read(&l, &st);
	live_close(&l);
	if (err)
		return err;
	for (i = 0; i < BOUCLIER_MAX_FEEDS; i++)
		nfeeds += !!st.feeds[i].name[0];
	fmt_time(st.info.swapped_at, when, sizeof(when));
	if (a->json) {
		printf("{\"attached\":true,\"interfaces\":[");
		for (i = 0; i < n; i++) {
			printf("%s{\"name\":", i ? "," : "");
			json_str(stdout, names[i]);
			printf(",\"mode\":\"%s\"}", mode_name(if_nametoindex(names[i])));
		}
		printf("],\"generation\":%u,\"swapped_at\":%llu,\"table_bytes\":%llu,"
		       "\"v4_prefixes\":%u,\"v6_prefixes\":%u,\"allow_entries\":%u,\"feeds\":%d,"
		       "\"pin_dir\":",
		       st.info.generation, (unsigned long long)st.info.swapped_at,
		       (unsigned long long)st.info.table_bytes, st.info.v4_entries,
		       st.info.v6_entries, st.info.allow_entries, nfeeds);
		json_str(stdout, live_pin_dir());
		printf("}\n");
		return 0;
	}
	for (i = 0; i < n; i++)
		printf("attached to %s (%s mode)\n", names[i], mode_name(if_nametoindex(names[i])));
	printf("table generation %u, swapped in at %s, %.1f MiB\n", st.info.generation, when,
	       st.info.table_bytes / 1048576.0);
	printf("%u IPv4 and %u IPv6 prefixes from %d feeds, %u allowlist entries\n",
	       st.info.v4_entries, st.info.v6_entries, nfeeds, st.info.allow_entries);
	printf("pinned under %s\n", live_pin_dir());
	return 0;
}

static int open_live_or_say(struct live *l)
{
	int err = live_open(l);

	if (err == -ENOENT) {
		pr_warn("bouclier is not attached (see `bouclier attach`)\n");
		return -ENXIO;
	}
	if (err)
		pr_warn("cannot open the pinned maps in %s: %s\n", live_pin_dir(), strerror(-err));
	return err;
}

int cmd_stats(struct args *a)
{
	struct bouclier_stats *s;
	struct stats st;
	struct live l;
	int err, v, p, f, first = 1;

	err = open_live_or_say(&l);
	if (err)
		return err;
	err = stats_read(&l, &st);
	live_close(&l);
	if (err)
		return err;
	s = &st.sum;
	if (a->json) {
		printf("{\"verdicts\":{");
		for (v = 0; v < BOUCLIER_V_MAX; v++)
			printf("%s\"%s\":{\"packets\":%llu,\"bytes\":%llu}", v ? "," : "",
			       verdict_names[v], (unsigned long long)s->pkts[v],
			       (unsigned long long)s->bytes[v]);
		printf("},\"protocols\":{");
		for (p = 0; p < BOUCLIER_P_MAX; p++)
			printf("%s\"%s\":{\"passed_packets\":%llu,\"passed_bytes\":%llu,"
			       "\"dropped_packets\":%llu,\"dropped_bytes\":%llu}", p ? "," : "",
			       proto_names[p], (unsigned long long)s->proto_pkts[0][p],
			       (unsigned long long)s->proto_bytes[0][p],
			       (unsigned long long)s->proto_pkts[1][p],
			       (unsigned long long)s->proto_bytes[1][p]);
		printf("},\"families\":{\"ipv4\":{\"passed_packets\":%llu,\"dropped_packets\":%llu},"
		       "\"ipv6\":{\"passed_packets\":%llu,\"dropped_packets\":%llu}},"
		       "\"fragments\":%llu,\"feeds\":[",
		       (unsigned long long)s->family_pkts[0][0], (unsigned long long)s->family_pkts[1][0],
		       (unsigned long long)s->family_pkts[0][1], (unsigned long long)s->family_pkts[1][1],
		       (unsigned long long)s->fragments);
		for (f = 0; f < BOUCLIER_MAX_FEEDS; f++) {
			if (!st.feeds[f].name[0])
				continue;
			printf("%s{\"name\":", first ? "" : ",");
			json_str(stdout, st.feeds[f].name);
			printf(",\"category\":");
			json_str(stdout, st.feeds[f].category);
			printf(",\"dropped_packets\":%llu,\"dropped_bytes\":%llu}",
			       (unsigned long long)st.feed_pkts[f],
			       (unsigned long long)st.feed_bytes[f]);
			first = 0;
		}
		printf("]}\n");
		return 0;
	}
	printf("%-10s %14s %16s\n", "verdict", "packets", "bytes");
	for (v = 0; v < BOUCLIER_V_MAX; v++)
		printf("%-10s %14llu %16llu\n", verdict_names[v], (unsigned long long)s->pkts[v],
		       (unsigned long long)s->bytes[v]);
	printf("\n%-10s %14s %16s\n", "protocol", "passed", "dropped");
	for (p = 0; p < BOUCLIER_P_MAX; p++)
		printf("%-10s %14llu %16llu\n", proto_names[p],
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
	return 0;
}

static int read_feed(const char *file, const char *format, struct feed_result *r)
{
	int fmt = FEED_AUTO, err;

	if (format) {
		fmt = feed_format_parse(format);
		if (fmt < 0) {
			pr_warn("unknown format \"%s\" (expected one of %s)\n", format,
				feed_format_list());
			return -E_USAGE;
		}
	}
	err = feed_parse_file(file, fmt, r, &feed_diag_stderr);
	if (err == -EBADMSG)
		pr_warn("%s: refused as a whole; nothing was changed\n", file);
	else if (err)
		pr_warn("cannot read %s: %s\n", file, strerror(-err));
	return err;
}

int cmd_feed_check(struct args *a)
{
	struct feed_result r = { 0 };
	char buf[CIDR_STRLEN];
	size_t i, v4 = 0;
	int err;

	err = read_feed(a->pos[0], a->format, &r);
	if (err)
		goto out;
	cidr_normalise(r.v, &r.n);
	for (i = 0; i < r.n; i++)
		v4 += r.v[i].family == 4;
	if (a->json) {
		printf("{\"file\":");
		json_str(stdout, a->pos[0]);
		printf(",\"format\":\"%s\",\"lines\":%lu,\"errors\":%lu,\"warnings\":%lu,"
		       "\"entries\":%zu,\"ipv4\":%zu,\"ipv6\":%zu,\"deprecated\":%s",
		       feed_format_name(r.format), r.lines, r.errors, r.warnings, r.n, v4, r.n - v4,
		       r.deprecated ? "true" : "false");
		if (a->print) {
			printf(",\"cidrs\":[");
			for (i = 0; i < r.n; i++)
				printf("%s\"%s\"", i ? "," : "", cidr_format(&r.v[i], buf, sizeof(buf)));
			printf("]");
		}
		printf("}\n");
	} else if (a->print) {
		for (i = 0; i < r.n; i++)
			printf("%s\n", cidr_format(&r.v[i], buf, sizeof(buf)));
	} else {
		printf("%s: %s format, %zu entries (%zu IPv4, %zu IPv6) after folding, "
		       "%lu bad lines, %lu warnings\n", a->pos[0], feed_format_name(r.format), r.n,
		       v4, r.n - v4, r.errors, r.warnings);
	}
	if (!r.n) {
		pr_warn("%s: no usable entry\n", a->pos[0]);
		err = -EBADMSG;
	}
out:
	feed_result_free(&r);
	return err;
}

int cmd_feed_load(struct args *a)
{
	const char *name = a->pos[0], *file = a->pos[1];
	struct feed_result r = { 0 };
	struct feed_state *f, old;
	struct state s;
	bool live;
	int err;

	if (!state_feed_name_ok(name)) {
		pr_warn("feed name \"%s\": use 1 to %d letters, digits, '-', '_' or '.'\n", name,
			BOUCLIER_NAME_LEN - 1);
		return -E_USAGE;
	}
	err = read_feed(file, a->format, &r);
	if (err)
		goto out_free;
	cidr_normalise(r.v, &r.n);
	if (!r.n && !a->force) {
		pr_warn("%s: no usable entry; feed %s keeps its current list "
			"(use --force to empty it)\n", file, name);
		err = -EBADMSG;
		goto out_free;
	}
	err = need_root("feed load");
	if (err)
		goto out_free;
	err = open_state(a, &s);
	if (err)
		goto out;
	err = state_feed_add(&s, name, &f);
	if (err) {
		pr_warn("already %d feeds: remove one first (`bouclier feed remove NAME`)\n",
			BOUCLIER_MAX_FEEDS);
		goto out;
	}
	old = *f;
	f->v = r.v;
	f->n = r.n;
	f->loaded_at = time(NULL);
	if (realpath(file, f->source) == NULL)
		snprintf(f->source, sizeof(f->source), "%s", file);
	if (a->category)
		snprintf(f->category, sizeof(f->category), "%s", a->category);
	err = apply(&s, &live);
	if (!err) {
		live_fault("before-save");
		err = state_save_feed(&s, f);
	}
	if (err) {
		f->v = old.v; /* state_close frees the old list; r frees the new */
		pr_warn("feed %s unchanged: %s\n", name, strerror(-err));
		goto out;
	}
	free(old.v);
	r.v = NULL;
	pr_info("feed %s: %zu entries from %s%s\n", name, r.n, file,
		live ? ", live" : "");
out:
	state_close(&s);
out_free:
	feed_result_free(&r);
	return err;
}

int cmd_feed_remove(struct args *a)
{
	struct feed_state f;
	struct state s;
	bool live;
	int err;

	err = need_root("feed remove");
	if (err)
		return err;
	err = open_state(a, &s);
	if (err)
		goto out;
	err = state_feed_take(&s, a->pos[0], &f);
	if (err) {
		pr_warn("no feed named \"%s\" (see `bouclier feed list`)\n", a->pos[0]);
		goto out;
	}
	err = apply(&s, &live);
	state_feed_restore(&s, &f);
	if (!err)
		err = state_feed_drop(&s, a->pos[0]);
	if (!err)
		pr_info("feed %s removed\n", a->pos[0]);
out:
	state_close(&s);
	return err;
}

int cmd_feed_list(struct args *a)
{
	struct stats st;
	struct state s;
	struct live l;
	bool live;
	char when[64];
	int err, i;

	err = open_state(a, &s);
	if (err)
		goto out;
	live = live_open(&l) == 0;
	if (live) {
		err = stats_read(&l, &st);
		live_close(&l);
		if (err)
			goto out;
	}
	if (a->json)
		printf("{\"live\":%s,\"feeds\":[", live ? "true" : "false");
	else
		printf("%-20s %-18s %10s %12s  %s\n", "feed", "category", "entries", "dropped",
		       "loaded");
	for (i = 0; i < s.nfeeds; i++) {
		const struct feed_state *f = &s.feeds[i];
		unsigned long long drops = live ? st.feed_pkts[f->index] : 0;

		fmt_time(f->loaded_at, when, sizeof(when));
		if (a->json) {
			printf("%s{\"name\":", i ? "," : "");
			json_str(stdout, f->name);
			printf(",\"category\":");
			json_str(stdout, f->category);
			printf(",\"entries\":%zu,\"dropped_packets\":%llu,\"loaded_at\":%llu,"
			       "\"source\":", f->n, drops, (unsigned long long)f->loaded_at);
			json_str(stdout, f->source);
			printf("}");
		} else {
			printf("%-20s %-18s %10zu %12llu  %s\n", f->name, f->category, f->n, drops,
			       when);
		}
	}
	if (a->json)
		printf("]}\n");
out:
	state_close(&s);
	return err;
}

static int parse_cidr_arg(const char *arg, struct cidr *c)
{
	const char *why;
	char buf[CIDR_STRLEN];
	int flags;

	if (cidr_parse(arg, strlen(arg), c, &flags, &why)) {
		pr_warn("\"%s\": %s\n", arg, why);
		return -EINVAL;
	}
	if (flags & CIDR_HOSTBITS)
		pr_warn("\"%s\" has host bits set; using %s\n", arg, cidr_format(c, buf, sizeof(buf)));
	return 0;
}

static int allow_change(struct args *a, bool add)
{
	struct cidr c, *v;
	struct state s;
	char buf[CIDR_STRLEN];
	size_t i;
	bool live;
	int err;

	err = parse_cidr_arg(a->pos[0], &c);
	if (err)
		return err;
	err = need_root(add ? "allow add" : "allow del");
	if (err)
		return err;
	err = open_state(a, &s);
	if (err)
		goto out;
	for (i = 0; i < s.nallow && cidr_cmp(&s.allow[i], &c); i++)
		;
	if (add == (i < s.nallow)) {
		pr_info("%s is %s on the allowlist\n", cidr_format(&c, buf, sizeof(buf)),
			add ? "already" : "not");
		err = add ? 0 : -ENOENT;
		goto out;
	}
	if (add) {
		v = realloc(s.allow, (s.nallow + 1) * sizeof(*v));
		if (!v) {
			err = -ENOMEM;
			goto out;
		}
		s.allow = v;
		s.allow[s.nallow++] = c;
	} else {
		s.allow[i] = s.allow[--s.nallow];
	}
	err = apply(&s, &live);
	if (!err)
		err = state_save_allow(&s);
	if (!err)
		pr_info("%s %s the allowlist%s\n", cidr_format(&c, buf, sizeof(buf)),
			add ? "added to" : "removed from", live ? ", live" : "");
out:
	state_close(&s);
	return err;
}

int cmd_allow_add(struct args *a)
{
	return allow_change(a, true);
}

int cmd_allow_del(struct args *a)
{
	return allow_change(a, false);
}

int cmd_allow_list(struct args *a)
{
	struct cidr *autov = NULL;
	size_t nauto = 0, i;
	struct state s;
	char buf[CIDR_STRLEN];
	int err;

	err = open_state(a, &s);
	if (err)
		goto out;
	err = live_auto_allow(&autov, &nauto);
	if (err)
		goto out;
	if (a->json) {
		printf("{\"configured\":[");
		for (i = 0; i < s.nallow; i++)
			printf("%s\"%s\"", i ? "," : "", cidr_format(&s.allow[i], buf, sizeof(buf)));
		printf("],\"automatic\":[");
		for (i = 0; i < nauto; i++)
			printf("%s\"%s\"", i ? "," : "", cidr_format(&autov[i], buf, sizeof(buf)));
		printf("]}\n");
	} else {
		for (i = 0; i < s.nallow; i++)
			printf("%s\n", cidr_format(&s.allow[i], buf, sizeof(buf)));
		for (i = 0; i < nauto; i++)
			printf("%s\t(automatic: attached interface or gateway)\n",
			       cidr_format(&autov[i], buf, sizeof(buf)));
	}
out:
	free(autov);
	state_close(&s);
	return err;
}

int cmd_lookup(struct args *a)
{
	struct bouclier_set set = { 0 };
	struct stats st;
	struct cidr c;
	struct live l;
	const char *why;
	__u32 val, id;
	int err, f, first = 1;

	if (cidr_parse_addr(a->pos[0], strlen(a->pos[0]), &c, &why)) {
		pr_warn("\"%s\": %s\n", a->pos[0], why);
		return -EINVAL;
	}
	err = open_live_or_say(&l);
	if (err)
		return err;
	err = live_lookup(&l, &c, &val);
	if (!err)
		err = stats_read(&l, &st);
	id = val & BOUCLIER_SET_MASK;
	if (!err && val && !(val & BOUCLIER_ALLOW))
		bpf_map_lookup_elem(l.sets_fd, &id, &set);
	live_close(&l);
	if (err)
		return err;
	if (a->json) {
		printf("{\"address\":");
		json_str(stdout, a->pos[0]);
		printf(",\"verdict\":\"%s\",\"feeds\":[",
		       !val ? "pass" : (val & BOUCLIER_ALLOW) ? "allow" : "drop");
	} else {
		printf("%s: %s", a->pos[0],
		       !val ? "passes (not listed)"
		       : (val & BOUCLIER_ALLOW) ? "passes (on the allowlist)" : "dropped, listed by");
	}
	for (f = 0; f < BOUCLIER_MAX_FEEDS; f++) {
		if (!(set.feeds & (1u << f)))
			continue;
		if (a->json) {
			printf("%s", first ? "" : ",");
			json_str(stdout, st.feeds[f].name);
		} else {
			printf("%s %s", first ? "" : ",", st.feeds[f].name);
		}
		first = 0;
	}
	printf(a->json ? "]}\n" : "\n");
	return 0;
}
