// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * inputs.c - the weather's inputs: the configuration's town and thresholds,
 * the state's feeds, the history file, and from the live filter (when the
 * kernel says it runs) the slots, the sampled sources and the counters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attach.h"
#include "history.h"
#include "names.h"
#include "log.h"
#include "pins.h"
#include "publish.h"
#include "state.h"
#include "weather.h"

/* The kernel's slots, summed over CPUs (HyperLogLog registers by maximum);
 * a slot's attacks are its (source, service) sketch's estimate. */
int weather_read_slots(struct live *l, struct wslot **v, size_t *n)
{
	int ncpu = libbpf_num_possible_cpus(), c, k, err = 0;
	struct bouclier_slot *per;
	__u8 att[BOUCLIER_HLL_REGS], det[BOUCLIER_HLL_REGS], reg[BOUCLIER_HLL_REGS];
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
		s.has_attacks = 1;
		memset(att, 0, sizeof(att));
		memset(det, 0, sizeof(det));
		memset(reg, 0, sizeof(reg));
		for (c = 0; c < ncpu; c++) {
			if (per[c].slot != s.slot)
				continue;
			s.pkts += per[c].pkts;
			s.bytes += per[c].bytes;
			s.out_pkts += per[c].out_pkts;
			s.out_bytes += per[c].out_bytes;
			for (k = 0; k < BOUCLIER_P_MAX; k++)
				s.proto[k] += per[c].proto[k];
			for (k = 0; k < BOUCLIER_PORTS; k++)
				s.ports[k] += per[c].ports[k];
			for (k = 0; k < BOUCLIER_SLOT_SETS; k++)
				s.sets[k] += per[c].sets[k];
			for (k = 0; k < BOUCLIER_HLL_REGS; k++)
				if (per[c].hll[k] > s.hll[k])
					s.hll[k] = per[c].hll[k];
			for (k = 0; k < BOUCLIER_HLL_REGS; k++)
				if (per[c].att_hll[k] > att[k])
					att[k] = per[c].att_hll[k];
			for (k = 0; k < BOUCLIER_HLL_REGS; k++)
				if (per[c].det_hll[k] > det[k])
					det[k] = per[c].det_hll[k];
			for (k = 0; k < BOUCLIER_HLL_REGS; k++)
				if (per[c].reg_hll[k] > reg[k])
					reg[k] = per[c].reg_hll[k];
			for (k = 0; k < BOUCLIER_DT_MAX; k++)
				s.detect[k] += per[c].detect[k];
			s.mon_pkts += per[c].mon_pkts;
			s.mon_bytes += per[c].mon_bytes;
			for (k = 0; k < BOUCLIER_HLL_REGS; k++)
				if (per[c].mon_hll[k] > s.mon_hll[k])
					s.mon_hll[k] = per[c].mon_hll[k];
		}
		s.attacks = weather_hll_count(att);
		s.det_attacks = weather_hll_count(det);
		s.has_detect = 1;
		s.reg_attacks = weather_hll_count(reg);
		s.has_regional = 1;
		err = weather_slots_merge(v, n, &s);
	}
	free(per);
	return err;
}

/* By source, drops apart from would-drops (monitor mode); within a source,
 * by slot and port, so that its attacks are counted in one pass. */
static int same_source(const struct bouclier_src_sample *x, const struct bouclier_src_sample *y)
{
	return x->hi == y->hi && x->lo == y->lo &&
	       (x->set & BOUCLIER_SAMPLE_MONITOR) == (y->set & BOUCLIER_SAMPLE_MONITOR);
}

static int cmp_sample(const void *a, const void *b)
{
	const struct bouclier_src_sample *x = a, *y = b;
	__u32 mx = x->set & BOUCLIER_SAMPLE_MONITOR, my = y->set & BOUCLIER_SAMPLE_MONITOR;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (mx != my)
		return mx < my ? -1 : 1;
	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return x->dport < y->dport ? -1 : x->dport > y->dport;
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

/* Adds what one sample says to its source's record. */
static void add_sample(struct wsource *w, const struct bouclier_src_sample *s)
{
	int k;

	w->samples++;
	w->set = s->set & ~BOUCLIER_SAMPLE_MONITOR;
	w->monitor = !!(s->set & BOUCLIER_SAMPLE_MONITOR);
	w->detected |= !!(s->flags & BOUCLIER_SAMPLE_DETECTED);
	if (s->slot > w->last)
		w->last = s->slot;
	for (k = 0; k < w->nsets && w->sets[k] != w->set; k++)
		;
	if (k == w->nsets && k < WSOURCE_SETS)
		w->sets[w->nsets++] = w->set;
	for (k = 0; s->dport && k < w->nports && w->ports[k] != s->dport; k++)
		;
	if (s->dport && k == w->nports && k < WSOURCE_PORTS)
		w->ports[w->nports++] = s->dport;
}

int weather_read_sources(struct live *l, struct wsource **v, size_t *n)
{
	int ncpu = libbpf_num_possible_cpus(), c;
	struct bouclier_src_sample *per, *all;
	size_t nall = 0, i;
	__u32 k, classes = 0;

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
		__u32 class = 1u << service_of_port(all[i].dport);

		if (i && same_source(&all[i - 1], &all[i])) {
			w = &(*v)[*n - 1];
			if (all[i - 1].slot != all[i].slot)
				classes = 0;
		} else {
			format_source(all[i].hi, all[i].lo, w->addr, sizeof(w->addr));
			w->hi = all[i].hi;
			w->lo = all[i].lo;
			classes = 0;
			(*n)++;
		}
		/* one attack: one service class tried in one slot */
		if (!(classes & class)) {
			classes |= class;
			w->attacks++;
		}
		add_sample(w, &all[i]);
	}
	free(per);
	free(all);
	return 0;
}

/* Every record of the outbound map (a few: an infected machine or two). */
static int read_outbound(struct live *l, struct woutbound **v, size_t *n)
{
	struct bouclier_out_key k, next;
	struct bouclier_out_val val;
	struct woutbound *grown;
	size_t cap = 0;
	void *prev = NULL;

	*v = NULL;
	*n = 0;
	while (!bpf_map_get_next_key(l->outbound_fd, prev, &next) &&
	       *n < BOUCLIER_OUTBOUND_ENTRIES) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(l->outbound_fd, &k, &val))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(*v, cap * sizeof(**v));
			if (!grown)
				return -ENOMEM;
			*v = grown;
		}
		format_source(k.in_hi, k.in_lo, (*v)[*n].inside, sizeof((*v)[*n].inside));
		format_source(k.dst_hi, k.dst_lo, (*v)[*n].dst, sizeof((*v)[*n].dst));
		(*v)[*n].attempts = val.attempts;
		(*v)[*n].set = val.set;
		(*v)[*n].slot = k.slot;
		(*v)[*n].natted = val.natted;
		(*n)++;
	}
	return 0;
}

/* Whether bouclier filters everywhere it was attached, as the kernel says;
 * *note tells of filtering that works, but less well than it should. */
static const char *down_reason(const char **note)
{
	struct iface_state ifs[64];
	int n = attach_states(ifs, 64), i, on = 0;

	*note = NULL;
	if (n <= 0)
		return "the filter is not attached or its counters cannot be read";
	for (i = 0; i < n; i++) {
		on += ifs[i].filtering;
		if (!ifs[i].filtering)
			pr_debug("not filtering %s: %s\n", ifs[i].name, ifs[i].mode);
		else if (!strcmp(ifs[i].mode, "generic") && !ifs[i].raw_ip)
			*note = "the filter runs in generic mode: it works, more slowly under a flood";
	}
	if (!on)
		return "the filter is not running on any interface";
	if (on < n)
		return "the filter is not running on every interface it should protect";
	return NULL;
}

int weather_inputs(const struct ctx *c, struct weather_inputs *w)
{
	struct winput *in = &w->in;
	struct state s;
	struct live l;
	__u32 i;
	int err, k;

	memset(w, 0, sizeof(*w));
	in->now = c->now;
	in->clock_offset = 0; /* the kernel's slots are Unix time (bouclier_clock) */
	snprintf(in->town, sizeof(in->town), "%s", c->cfg.town);
	memcpy(in->thresholds, c->cfg.weather, sizeof(in->thresholds));
	in->absolute = c->cfg.weather_absolute;
	in->storm_floor = c->cfg.storm_floor;
	in->tornado_floor = c->cfg.tornado_floor;
	in->flood_sources = c->cfg.flood_sources;
	in->stale_after = c->cfg.stale_after;
	in->report_sources = c->cfg.report_sources;

	err = state_open(&s, c->state_dir, STATE_READ_ONLY);
	if (!err)
		err = state_load(&s);
	if (err == -EACCES || err == -EPERM) {
		/* not root: no lists, no counters, so the report says unknown */
		pr_debug("cannot read %s: %s\n", c->state_dir, strerror(-err));
		state_close(&s);
		return 0;
	}
	if (err && err != -ENOENT) {
		state_close(&s);
		return err;
	}
	for (k = 0; k < s.nfeeds; k++) {
		struct bouclier_feed *f = &in->feeds[s.feeds[k].index];

		snprintf(f->name, sizeof(f->name), "%s", s.feeds[k].name);
		snprintf(f->category, sizeof(f->category), "%s", s.feeds[k].category);
		f->loaded_at = s.feeds[k].loaded_at;
		f->flags = (__u32)s.feeds[k].direction |
			   (s.feeds[k].monitor ? BOUCLIER_FEED_MONITOR : 0) |
			   (s.feeds[k].region.key[0] ? BOUCLIER_FEED_REGIONAL : 0);
		if (s.feeds[k].loaded_at > in->lists_loaded_at)
			in->lists_loaded_at = s.feeds[k].loaded_at;
	}
	in->nfeeds = s.nfeeds;
	/* the timed bans' pseudo-feed, by the name stats gives it */
	snprintf(in->feeds[BOUCLIER_FEED_BAN].name, BOUCLIER_NAME_LEN, "%s",
		 BOUCLIER_FEED_BAN_NAME);
	snprintf(in->feeds[BOUCLIER_FEED_BAN].category, BOUCLIER_NAME_LEN, "%s",
		 BOUCLIER_FEED_BAN_CATEGORY);
	in->feeds[BOUCLIER_FEED_BAN].flags = BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT;
	/* and the detected bans', by the name stats gives it */
	snprintf(in->feeds[BOUCLIER_FEED_DETECT].name, BOUCLIER_NAME_LEN, "%s",
		 BOUCLIER_FEED_DETECT_NAME);
	snprintf(in->feeds[BOUCLIER_FEED_DETECT].category, BOUCLIER_NAME_LEN, "%s",
		 BOUCLIER_FEED_DETECT_CATEGORY);
	in->detect_mode = !c->cfg.detect.on ? DETECT_OFF
			  : c->cfg.detect.monitor ? DETECT_MONITOR : DETECT_BAN;
	in->feeds[BOUCLIER_FEED_DETECT].flags =
		BOUCLIER_FEED_IN | (in->detect_mode == DETECT_MONITOR ? BOUCLIER_FEED_MONITOR : 0);
	state_close(&s);
	err = history_read(c->state_dir, &in->slots, &in->nslots);
	if (err && err != -EACCES)
		return err;

	in->down_reason = down_reason(&in->note);
	if (pins_open(&l))
		return 0;
	/* the programs' wall clock follows NTP; written under the lock, as
	 * timed_sync writes the same map word (a busy lock: the next run) */
	{
		struct state s;

		if (!state_open(&s, c->state_dir, STATE_TRY)) {
			publish_clock(&l);
			state_close(&s);
		}
	}
	w->have_stats = !stats_read(&l, &w->st) && !weather_read_slots(&l, &in->slots, &in->nslots) &&
			!weather_read_sources(&l, &in->sources, &in->nsources) &&
			!read_outbound(&l, &in->outbound, &in->noutbound);
	in->attached = w->have_stats && !in->down_reason;
	{
		struct detect_list d;

		if (!detect_read(&l, &d)) {
			in->bans = d.v;
			in->nbans = d.n;
		}
	}
	for (i = 1; i < BOUCLIER_SLOT_SETS; i++) {
		struct bouclier_set set;

		if (!bpf_map_lookup_elem(l.sets_fd, &i, &set))
			in->set_feeds[i] = set.feeds;
	}
	live_close(&l);
	return 0;
}

void weather_inputs_free(struct weather_inputs *w)
{
	free(w->in.slots);
	free(w->in.sources);
	free(w->in.outbound);
	free(w->in.bans);
}
