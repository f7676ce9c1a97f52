// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * report.c - `bouclier weather`, `bouclier record` and `bouclier history`:
 * gathers the weather's inputs from the live maps, the state and the history
 * file, and keeps that history.
 *
 * History: STATE_DIR/history.csv, one line a 15-minute slot with drops,
 * "slot,packets,bytes,tcp,udp,icmp,other,<14 services>", only for slots
 * that had any; `record` (hourly, with refresh) merges the kernel's last 48
 * hours into it, keeping the larger of two copies of a slot so that a counter
 * reset never lowers or double-counts a figure, and drops what is older than
 * HISTORY_DAYS.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "commands.h"
#include "config.h"
#include "live.h"
#include "log.h"
#include "stats.h"
#include "weather.h"

#define HISTORY_DAYS 100

/* The kernel's slots, summed over CPUs (HyperLogLog registers by maximum). */
static int read_slots(struct live *l, struct wslot **v, size_t *n)
{
	int ncpu = libbpf_num_possible_cpus(), c, k, err = 0;
	struct bouclier_slot *per;
	__u32 i;

	per = calloc(ncpu > 0 ? ncpu : 1, sizeof(*per));
	if (!per)
		return -ENOMEM;
	for (i = 0; i < BOUCLIER_SLOTS && !err; i++) {
		struct wslot s = { 0 };
		__u64 ids[2] = { 0, 0 };

		if (bpf_map_lookup_elem(l->slots_fd, &i, per))
			continue;
		/* CPUs may hold different slots at one index: the newest counts. */
		for (c = 0; c < ncpu; c++)
			ids[0] = per[c].slot > ids[0] ? per[c].slot : ids[0];
		if (!ids[0])
			continue;
		s.slot = ids[0];
		s.has_hll = 1;
		for (c = 0; c < ncpu; c++) {
			if (per[c].slot != s.slot)
				continue;
			s.pkts += per[c].pkts;
			s.bytes += per[c].bytes;
			for (k = 0; k < BOUCLIER_P_MAX; k++)
				s.proto[k] += per[c].proto[k];
			for (k = 0; k < BOUCLIER_PORTS; k++)
				s.ports[k] += per[c].ports[k];
			for (k = 0; k < BOUCLIER_SLOT_SETS; k++)
				s.sets[k] += per[c].sets[k];
			for (k = 0; k < BOUCLIER_HLL_REGS; k++)
				if (per[c].hll[k] > s.hll[k])
					s.hll[k] = per[c].hll[k];
		}
		err = weather_slots_merge(v, n, &s);
	}
	free(per);
	return err;
}

static int cmp_sample(const void *a, const void *b)
{
	const struct bouclier_src_sample *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void format_source(__u64 hi, __u64 lo, char *buf, size_t len)
{
	struct cidr c;

	if (!hi && (lo >> 32) == 0xffff)
		cidr_from_v4(&c, (__u32)lo, 32);
	else
		cidr_from_v6(&c, hi, lo, 128);
	cidr_format(&c, buf, len);
	*strchr(buf, '/') = 0;
}

/* Every CPU's ring of sampled drops, counted by source. */
static int read_sources(struct live *l, struct wsource **v, size_t *n)
{
	int ncpu = libbpf_num_possible_cpus(), c;
	struct bouclier_src_sample *per, *all;
	size_t nall = 0, i;
	__u32 k;

	*v = NULL;
	*n = 0;
	per = calloc(ncpu > 0 ? ncpu : 1, sizeof(*per));
	all = calloc((size_t)BOUCLIER_SOURCES * (ncpu > 0 ? ncpu : 1), sizeof(*all));
	if (!per || !all) {
		free(per);
		free(all);
		return -ENOMEM;
	}
	for (k = 0; k < BOUCLIER_SOURCES; k++) {
		if (bpf_map_lookup_elem(l->sources_fd, &k, per))
			continue;
		for (c = 0; c < ncpu; c++)
			if (per[c].slot)
				all[nall++] = per[c];
	}
	qsort(all, nall, sizeof(*all), cmp_sample);
	*v = calloc(nall ? nall : 1, sizeof(**v));
	if (!*v) {
		free(per);
		free(all);
		return -ENOMEM;
	}
	for (i = 0; i < nall; i++) {
		struct wsource *w = &(*v)[*n];

		if (i && !cmp_sample(&all[i - 1], &all[i])) {
			w = &(*v)[*n - 1];
		} else {
			format_source(all[i].hi, all[i].lo, w->addr, sizeof(w->addr));
			(*n)++;
		}
		w->samples++;
		w->set = all[i].set;
		if (all[i].slot > w->last)
			w->last = all[i].slot;
	}
	free(per);
	free(all);
	return 0;
}

static void history_path(const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/history.csv", dir);
}

/* record writes one line a slot in increasing order, so the rows are taken
 * as they come; a file out of order (edited by hand) is merged slot by slot. */
static int read_history(const char *dir, struct wslot **v, size_t *n)
{
	char path[PATH_MAX + 16], line[512];
	struct wslot *rows = NULL, *grown;
	size_t nrows = 0, cap = 0, i;
	int err = 0, ordered = 1;
	FILE *f;

	history_path(dir, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (!err && fgets(line, sizeof(line), f)) {
		struct wslot s = { 0 };
		unsigned long long x[7 + BOUCLIER_PORTS];
		char *p = line, *end;
		int k;

		if (line[0] == '#')
			continue;
		for (k = 0; k < 7 + BOUCLIER_PORTS; k++) {
			x[k] = strtoull(p, &end, 10);
			if (end == p)
				break;
			p = *end == ',' ? end + 1 : end;
		}
		if (k < 7 + BOUCLIER_PORTS)
			continue; /* a line cut short by a crash is ignored */
		s.slot = x[0];
		s.pkts = x[1];
		s.bytes = x[2];
		for (k = 0; k < BOUCLIER_P_MAX; k++)
			s.proto[k] = x[3 + k];
		for (k = 0; k < BOUCLIER_PORTS; k++)
			s.ports[k] = x[7 + k];
		if (nrows == cap) {
			cap = cap ? cap * 2 : 1024;
			grown = realloc(rows, cap * sizeof(*rows));
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			rows = grown;
		}
		ordered &= !nrows || rows[nrows - 1].slot < s.slot;
		rows[nrows++] = s;
	}
	fclose(f);
	if (!err && ordered && !*n) {
		free(*v);
		*v = rows;
		*n = nrows;
		return 0;
	}
	for (i = 0; i < nrows && !err; i++)
		err = weather_slots_merge(v, n, &rows[i]);
	free(rows);
	return err;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct wslot *x = a, *y = b;

	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

static int write_history(const char *dir, struct wslot *v, size_t n, __u64 oldest)
{
	char path[PATH_MAX + 16], *buf;
	size_t i, len = 0, cap = 128 + n * 256;
	int k, err;

	qsort(v, n, sizeof(*v), cmp_slot);
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	len += snprintf(buf, cap, "# bouclier history: slot (Unix seconds / 900), packets, bytes, "
				  "tcp, udp, icmp, other, %d services\n", BOUCLIER_PORTS);
	for (i = 0; i < n; i++) {
		if (!v[i].pkts || v[i].slot < oldest)
			continue;
		len += snprintf(buf + len, cap - len, "%llu,%llu,%llu",
				(unsigned long long)v[i].slot, (unsigned long long)v[i].pkts,
				(unsigned long long)v[i].bytes);
		for (k = 0; k < BOUCLIER_P_MAX; k++)
			len += snprintf(buf + len, cap - len, ",%llu",
					(unsigned long long)v[i].proto[k]);
		for (k = 0; k < BOUCLIER_PORTS; k++)
			len += snprintf(buf + len, cap - len, ",%llu",
					(unsigned long long)v[i].ports[k]);
		buf[len++] = '\n';
	}
	history_path(dir, path, sizeof(path));
	err = state_write_atomic(path, buf, len);
	free(buf);
	return err;
}

struct gathered {
	struct winput in;
	struct config cfg;
	struct stats st;
	int have_stats;
	char state_dir[PATH_MAX];
};

static int gather(struct args *a, struct gathered *g)
{
	struct state s;
	struct live l;
	__u32 i;
	int err, k, links;
	char names[1][32];

	memset(g, 0, sizeof(*g));
	if (access(args_config(a), F_OK) && !a->config) {
		/* no configuration: the defaults, and the host's name for the town */
		config_load("/dev/null", &g->cfg);
		gethostname(g->cfg.town, sizeof(g->cfg.town) - 1);
	} else {
		err = config_load(args_config(a), &g->cfg);
		if (err)
			return err == -ENOENT ? -E_CONFIG : err;
	}
	snprintf(g->state_dir, sizeof(g->state_dir), "%s",
		 a->state_dir_set ? a->state_dir : g->cfg.state_dir);
	g->in.now = time(NULL);
	if (getenv("BOUCLIER_NOW")) /* tests: a fixed clock */
		g->in.now = strtoll(getenv("BOUCLIER_NOW"), NULL, 10);
	g->in.clock_offset = 0; /* the kernel's slots are Unix time (bouclier_clock) */
	snprintf(g->in.town, sizeof(g->in.town), "%s", g->cfg.town);
	memcpy(g->in.thresholds, g->cfg.weather, sizeof(g->in.thresholds));
	g->in.stale_after = g->cfg.stale_after;

	err = state_open(&s, g->state_dir, 30000);
	if (!err)
		err = state_load(&s);
	if (err == -EACCES || err == -EPERM) {
		/* not root: no lists, no counters, so the report says unknown */
		pr_debug("cannot read %s: %s\n", g->state_dir, strerror(-err));
		state_close(&s);
		return 0;
	}
	if (err) {
		state_close(&s);
		return err;
	}
	for (k = 0; k < s.nfeeds; k++) {
		struct bouclier_feed *f = &g->in.feeds[s.feeds[k].index];

		snprintf(f->name, sizeof(f->name), "%s", s.feeds[k].name);
		snprintf(f->category, sizeof(f->category), "%s", s.feeds[k].category);
		f->loaded_at = s.feeds[k].loaded_at;
		if (s.feeds[k].loaded_at > g->in.lists_loaded_at)
			g->in.lists_loaded_at = s.feeds[k].loaded_at;
	}
	g->in.nfeeds = s.nfeeds;
	state_close(&s);
	err = read_history(g->state_dir, &g->in.slots, &g->in.nslots);
	if (err)
		return err;

	links = live_links(names, 1);
	if (links > 0 && !live_open(&l)) {
		live_clock_sync(&l);
		g->in.attached = !stats_read(&l, &g->st) &&
				 !read_slots(&l, &g->in.slots, &g->in.nslots) &&
				 !read_sources(&l, &g->in.sources, &g->in.nsources);
		g->have_stats = g->in.attached;
		for (i = 1; i < BOUCLIER_SLOT_SETS; i++) {
			struct bouclier_set set;

			if (!bpf_map_lookup_elem(l.sets_fd, &i, &set))
				g->in.set_feeds[i] = set.feeds;
		}
		live_close(&l);
	}
	return 0;
}

static void gathered_free(struct gathered *g)
{
	free(g->in.slots);
	free(g->in.sources);
	config_free(&g->cfg);
}

static int utf8_terminal(void)
{
	const char *cs;

	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	return cs && !strcmp(cs, "UTF-8");
}

int cmd_weather(struct args *a)
{
	const char *fmt = a->format ? a->format : a->json ? "json" : "text";
	const char *lang = a->lang ? a->lang : "en";
	struct gathered g;
	struct wreport r;
	int err;

	if (strcmp(lang, "en") && strcmp(lang, "fr")) {
		pr_warn("--lang %s: expected en or fr\n", lang);
		return -E_USAGE;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "prom") &&
	    strcmp(fmt, "html")) {
		pr_warn("--format %s: expected text, json, prom or html\n", fmt);
		return -E_USAGE;
	}
	err = gather(a, &g);
	if (err) {
		gathered_free(&g);
		return err;
	}
	weather_compute(&g.in, &r);
	if (a->textfile) {
		char path[PATH_MAX + 32];
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		weather_prom(m, &r, g.have_stats ? &g.st.sum : NULL, g.st.feed_pkts,
			     g.st.feed_bytes);
		fclose(m);
		snprintf(path, sizeof(path), "%s/bouclier.prom", a->textfile);
		err = state_write_atomic(path, buf, len);
		free(buf);
		if (err)
			pr_warn("cannot write %s: %s\n", path, strerror(-err));
	} else if (!strcmp(fmt, "json")) {
		weather_json(stdout, &r);
	} else if (!strcmp(fmt, "prom")) {
		weather_prom(stdout, &r, g.have_stats ? &g.st.sum : NULL, g.st.feed_pkts,
			     g.st.feed_bytes);
	} else if (!strcmp(fmt, "html")) {
		weather_html(stdout, &r, lang);
	} else {
		weather_text(stdout, &r, lang, utf8_terminal());
	}
	gathered_free(&g);
	return err;
}

int cmd_record(struct args *a)
{
	struct gathered g;
	size_t i, kept = 0;
	__u64 now_slot;
	int err;

	err = gather(a, &g);
	if (err)
		goto out;
	if (!g.in.attached)
		pr_info("bouclier is not attached: nothing new to record\n");
	now_slot = (__u64)(g.in.now + g.in.clock_offset) / BOUCLIER_SLOT_SECONDS;
	err = write_history(g.state_dir, g.in.slots, g.in.nslots,
			    now_slot - (__u64)HISTORY_DAYS * 86400 / BOUCLIER_SLOT_SECONDS);
	for (i = 0; i < g.in.nslots; i++)
		kept += g.in.slots[i].pkts != 0;
	if (!err)
		pr_info("history: %zu slots with drops kept in %s/history.csv\n", kept, g.state_dir);
out:
	gathered_free(&g);
	return err;
}

/* Per local day, the last HISTORY_DAYS days (DST days have 23 or 25 hours). */
int cmd_history(struct args *a)
{
	struct gathered g;
	int err, d, first = 1;

	err = gather(a, &g);
	if (err)
		goto out;
	if (a->json)
		printf("{\"town\":\"%s\",\"days\":[", g.in.town);
	else
		printf("%-12s %12s %14s\n", "day", "attacks", "bytes");
	for (d = HISTORY_DAYS - 1; d >= 0; d--) {
		struct tm tm;
		time_t m0, m1;
		__u64 lo, hi, pkts = 0, bytes = 0;
		char day[16];
		size_t i;
		int known = 0;

		localtime_r(&g.in.now, &tm);
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_mday -= d;
		tm.tm_isdst = -1;
		m0 = mktime(&tm);
		tm.tm_mday += 1;
		tm.tm_isdst = -1;
		m1 = mktime(&tm);
		lo = (__u64)(m0 + g.in.clock_offset) / BOUCLIER_SLOT_SECONDS;
		hi = (__u64)(m1 + g.in.clock_offset) / BOUCLIER_SLOT_SECONDS;
		for (i = 0; i < g.in.nslots; i++)
			if (g.in.slots[i].slot >= lo && g.in.slots[i].slot < hi) {
				pkts += g.in.slots[i].pkts;
				bytes += g.in.slots[i].bytes;
				known = 1;
			}
		if (!known && d)
			continue;
		localtime_r(&m0, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		if (a->json)
			printf("%s{\"date\":\"%s\",\"attacks\":%llu,\"bytes\":%llu}", first ? "" : ",",
			       day, (unsigned long long)pkts, (unsigned long long)bytes);
		else
			printf("%-12s %12llu %14llu\n", day, (unsigned long long)pkts,
			       (unsigned long long)bytes);
		first = 0;
	}
	if (a->json)
		printf("]}\n");
out:
	gathered_free(&g);
	return err;
}
