// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* compute.c - the weather from its inputs; no I/O but the time zone. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "weather.h"

/* HyperLogLog with BOUCLIER_HLL_REGS registers (standard error about
 * 1.04/sqrt(256) = 6.5%), linear counting while many registers are empty. */
double weather_hll_estimate(const __u8 *regs)
{
	double m = BOUCLIER_HLL_REGS, sum = 0, alpha = 0.7213 / (1 + 1.079 / m), e;
	int i, zeros = 0;

	for (i = 0; i < BOUCLIER_HLL_REGS; i++) {
		sum += ldexp(1.0, -regs[i]);
		zeros += !regs[i];
	}
	e = alpha * m * m / sum;
	if (e <= 2.5 * m && zeros)
		e = m * log(m / zeros);
	return e;
}

__u64 weather_hll_count(const __u8 *regs)
{
	int i;

	for (i = 0; i < BOUCLIER_HLL_REGS && !regs[i]; i++)
		;
	return i == BOUCLIER_HLL_REGS ? 0 : (__u64)(weather_hll_estimate(regs) + 0.5);
}

/* Which of two copies of a slot to keep: counters reset (detach, reboot)
 * leave a smaller copy, so the larger wins; on a tie, the one that knows
 * more (attacks, then the sketch of sources). */
static int better_slot(const struct wslot *a, const struct wslot *b)
{
	if (a->pkts != b->pkts)
		return a->pkts > b->pkts;
	if (a->out_pkts != b->out_pkts)
		return a->out_pkts > b->out_pkts;
	if (a->has_attacks != b->has_attacks)
		return a->has_attacks;
	if (a->attacks != b->attacks)
		return a->attacks > b->attacks;
	if (a->has_detect != b->has_detect)
		return a->has_detect;
	if (a->detect[BOUCLIER_DT_BANNED] != b->detect[BOUCLIER_DT_BANNED])
		return a->detect[BOUCLIER_DT_BANNED] > b->detect[BOUCLIER_DT_BANNED];
	if (a->has_regional != b->has_regional)
		return a->has_regional;
	return a->has_hll && !b->has_hll;
}

int weather_slots_merge(struct wslot **v, size_t *n, const struct wslot *s)
{
	struct wslot *nv;
	size_t i;

	for (i = 0; i < *n; i++) {
		if ((*v)[i].slot != s->slot)
			continue;
		if (better_slot(s, &(*v)[i]))
			(*v)[i] = *s;
		return 0;
	}
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	(*v)[(*n)++] = *s;
	return 0;
}

static time_t local_midnight(time_t t, int day_offset)
{
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += day_offset;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static __u64 slot_of(time_t t, long clock_offset)
{
	return (__u64)(t + clock_offset) / BOUCLIER_SLOT_SECONDS;
}

static time_t slot_start(__u64 slot, long clock_offset)
{
	return (time_t)(slot * BOUCLIER_SLOT_SECONDS) - clock_offset;
}

static int cmp_top(const void *a, const void *b)
{
	const struct wsource *x = a, *y = b;

	return x->samples < y->samples ? 1 : x->samples > y->samples ? -1 : strcmp(x->addr, y->addr);
}

static int cmp_host(const void *a, const void *b)
{
	const struct whost *x = a, *y = b;

	return x->attempts < y->attempts ? 1 : x->attempts > y->attempts ? -1
										: strcmp(x->address, y->address);
}

/* Today's outbound records, by inside machine, most attempts first. */
static void outbound_hosts(const struct winput *in, __u64 first, __u64 last, struct wreport *r)
{
	struct whost all[256];
	size_t i;
	int n = 0, k, d;

	for (i = 0; i < in->noutbound; i++) {
		const struct woutbound *o = &in->outbound[i];
		struct whost *h = NULL;

		if (o->slot < (__u32)first || o->slot > (__u32)last)
			continue;
		for (k = 0; k < n && !h; k++)
			if (!strcmp(all[k].address, o->inside))
				h = &all[k];
		if (!h) {
			if (n == 256)
				continue;
			h = &all[n++];
			memset(h, 0, sizeof(*h));
			snprintf(h->address, sizeof(h->address), "%s", o->inside);
		}
		h->attempts += o->attempts;
		h->natted |= o->natted;
		if (o->set < BOUCLIER_SLOT_SETS)
			h->feeds |= in->set_feeds[o->set];
		for (d = 0; d < h->ndsts && strcmp(h->dsts[d], o->dst); d++)
			;
		if (d == h->ndsts && d < WEATHER_HOST_DSTS)
			snprintf(h->dsts[h->ndsts++], sizeof(h->dsts[0]), "%s", o->dst);
	}
	qsort(all, n, sizeof(all[0]), cmp_host);
	r->nhosts = n < WEATHER_HOSTS ? n : WEATHER_HOSTS;
	memcpy(r->hosts, all, r->nhosts * sizeof(all[0]));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of n sorted values. */
static double median(const double *v, int n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The town's usual: each past day of the window with attack figures,
 * summed up to the time of day it is now (a morning is compared with
 * mornings), then their median (of the same weekday when at least two are
 * known), 90th percentile (nearest rank) and maximum. */
static void usual_days(const struct winput *in, const struct wreport *r, struct wlevels *lv)
{
	double all[WEATHER_DAYS], same[WEATHER_DAYS];
	int d, n = 0, nsame = 0;
	struct tm tm;
	size_t i;

	localtime_r(&r->now, &tm);
	lv->weekday = tm.tm_wday;
	lv->elapsed = (long)(r->now - r->midnight);
	for (d = 0; d < WEATHER_DAYS - 1; d++) {
		time_t m0 = local_midnight(in->now, d - (WEATHER_DAYS - 1));
		time_t m1 = local_midnight(in->now, d - (WEATHER_DAYS - 2));
		time_t cut = m0 + lv->elapsed;
		__u64 a = slot_of(m0, in->clock_offset), b = slot_of(m1, in->clock_offset);
		__u64 upto = slot_of(cut < m1 ? cut : m1 - 1, in->clock_offset);
		double sum = 0;

		if (!r->day_attacks[d])
			continue;
		for (i = 0; i < in->nslots; i++) {
			const struct wslot *s = &in->slots[i];

			if (s->slot >= a && s->slot < b && s->slot <= upto)
				sum += s->attacks;
		}
		all[n++] = sum;
		localtime_r(&m0, &tm);
		if (tm.tm_wday == lv->weekday)
			same[nsame++] = sum;
	}
	lv->known_days = n;
	if (!n)
		return;
	qsort(all, n, sizeof(all[0]), cmp_double);
	qsort(same, nsame, sizeof(same[0]), cmp_double);
	lv->same_weekday = nsame >= 2;
	lv->usual = lv->same_weekday ? median(same, nsame) : median(all, n);
	lv->p90 = all[(9 * n + 9) / 10 - 1];
	lv->max = all[n - 1];
}

/* The level of a day that is filtered, with fresh lists. */
static void choose_level(const struct winput *in, struct wreport *r)
{
	struct wlevels *lv = &r->levels;
	double today = (double)r->attacks;

	usual_days(in, r, lv);
	lv->ratio = lv->usual > 0 ? today / lv->usual : 0;
	lv->basis = in->absolute ? BASIS_CONFIGURED
		  : lv->known_days < WEATHER_USUAL_DAYS ? BASIS_YOUNG : BASIS_USUAL;
	if (!r->attacks) {
		r->level = LEVEL_SUNNY;
		lv->cause = lv->basis == BASIS_USUAL && lv->usual > 0 ? CAUSE_BELOW : CAUSE_QUIET;
		return;
	}
	if (in->flood_sources > 0 && lv->flood >= (__u64)in->flood_sources) {
		r->level = LEVEL_TORNADO;
		lv->cause = CAUSE_FLOOD;
		return;
	}
	if (lv->basis != BASIS_USUAL) {
		lv->cause = CAUSE_THRESHOLD;
		if (r->attacks >= (__u64)in->thresholds[2])
			r->level = LEVEL_TORNADO;
		else if (r->attacks >= (__u64)in->thresholds[1])
			r->level = LEVEL_STORM;
		else if (r->attacks >= (__u64)in->thresholds[0])
			r->level = LEVEL_LIGHT_RAIN;
		else
			r->level = LEVEL_SUNNY;
		return;
	}
	if (today > 2 * lv->max && r->attacks >= (__u64)in->tornado_floor) {
		r->level = LEVEL_TORNADO;
		lv->cause = CAUSE_FAR;
	} else if (today > lv->p90 && r->attacks >= (__u64)in->storm_floor) {
		r->level = LEVEL_STORM;
		lv->cause = CAUSE_STORM;
	} else {
		r->level = LEVEL_LIGHT_RAIN;
		lv->cause = lv->usual <= 0 || lv->ratio > 1.5 ? CAUSE_ABOVE
			  : lv->ratio < 2.0 / 3 ? CAUSE_BELOW : CAUSE_AS_USUAL;
	}
}

/* Whether a loaded feed drops (not all in monitor mode).  The timed bans'
 * pseudo-feed does not count: bans come and go. */
static int enforcing(const struct winput *in)
{
	int k;

	for (k = 0; k < BOUCLIER_USER_FEEDS; k++)
		if (in->feeds[k].name[0] && !(in->feeds[k].flags & BOUCLIER_FEED_MONITOR))
			return 1;
	return 0;
}

void weather_compute(const struct winput *in, struct wreport *r)
{
	__u8 hll[BOUCLIER_HLL_REGS] = { 0 }, mon_hll[BOUCLIER_HLL_REGS] = { 0 };
	__u64 first, last, first_y;
	size_t i;
	int d, k, f, any_hll = 0, y_slots = 0, y_attacks = 1;
	time_t t;

	memset(r, 0, sizeof(*r));
	r->in = in;
	r->now = in->now;
	snprintf(r->town, sizeof(r->town), "%s", in->town);
	if (getenv("TZ") && *getenv("TZ")) {
		snprintf(r->tz, sizeof(r->tz), "%s", getenv("TZ") + (getenv("TZ")[0] == ':'));
	} else {
		FILE *tzf = fopen("/etc/timezone", "re");

		if (!tzf || !fgets(r->tz, sizeof(r->tz), tzf))
			snprintf(r->tz, sizeof(r->tz), "localtime");
		r->tz[strcspn(r->tz, "\n")] = 0;
		if (tzf)
			fclose(tzf);
	}
	memcpy(r->thresholds, in->thresholds, sizeof(r->thresholds));
	r->midnight = local_midnight(in->now, 0);
	r->next_midnight = local_midnight(in->now, 1);
	r->nhours = (int)((r->next_midnight - r->midnight + 1800) / 3600);
	if (r->nhours > 25)
		r->nhours = 25;
	for (k = 0; k < r->nhours; k++) {
		struct tm tm;

		t = r->midnight + (time_t)k * 3600;
		localtime_r(&t, &tm);
		r->hour_label[k] = tm.tm_hour;
	}
	first = slot_of(r->midnight, in->clock_offset);
	last = slot_of(in->now, in->clock_offset);
	first_y = slot_of(local_midnight(in->now, -1), in->clock_offset);

	for (i = 0; i < in->nslots; i++) {
		const struct wslot *s = &in->slots[i];
		/* a slot a history older than the attack count kept: its packets
		 * bound its attacks from above, never below */
		__u64 attacks = s->has_attacks ? s->attacks : s->pkts;

		if (s->slot >= first_y && s->slot < first) {
			r->yesterday += s->attacks;
			y_slots++;
			y_attacks &= s->has_attacks;
		}
		if (s->slot < first || s->slot > last)
			continue;
		r->attacks += attacks;
		r->attacks_upper_bound |= !s->has_attacks && s->pkts;
		r->packets += s->pkts;
		r->bytes += s->bytes;
		r->out_attempts += s->out_pkts;
		for (k = 0; k < BOUCLIER_P_MAX; k++)
			r->proto[k] += s->proto[k];
		for (k = 0; k < BOUCLIER_PORTS; k++)
			r->ports[k] += s->ports[k];
		for (k = 1; k < BOUCLIER_SLOT_SETS; k++) {
			if (!s->sets[k])
				continue;
			if (k == BOUCLIER_SLOT_SETS - 1 || !in->set_feeds[k]) {
				r->other_sets += s->sets[k];
				continue;
			}
			/* a monitored feed dropped nothing, even where another did */
			for (f = 0; f < BOUCLIER_MAX_FEEDS; f++)
				if ((in->set_feeds[k] & (1u << f)) &&
				    !(in->feeds[f].flags & BOUCLIER_FEED_MONITOR))
					r->feed_packets[f] += s->sets[k];
		}
		r->det_attacks += s->det_attacks;
		r->regional += s->reg_attacks;
		for (k = 0; k < BOUCLIER_DT_MAX; k++)
			r->detect[k] += s->detect[k];
		r->monitor_pkts += s->mon_pkts;
		r->monitor_bytes += s->mon_bytes;
		for (k = 0; k < BOUCLIER_HLL_REGS; k++)
			mon_hll[k] = mon_hll[k] > s->mon_hll[k] ? mon_hll[k] : s->mon_hll[k];
		if (s->has_hll) {
			__u64 sources = weather_hll_count(s->hll);

			any_hll = 1;
			for (k = 0; k < BOUCLIER_HLL_REGS; k++)
				hll[k] = hll[k] > s->hll[k] ? hll[k] : s->hll[k];
			if (sources > r->levels.flood)
				r->levels.flood = sources;
		}
		d = (int)((slot_start(s->slot, in->clock_offset) - r->midnight) / 3600);
		if (d < 0)
			d = 0;
		if (d < r->nhours)
			r->hourly[d] += attacks;
	}
	r->distinct = any_hll ? weather_hll_count(hll) : 0;
	r->monitor_sources = weather_hll_count(mon_hll);
	r->yesterday_known = y_slots && y_attacks;

	/* Day by day over 30 days, and the 7 before today. */
	for (d = 0; d < WEATHER_DAYS; d++) {
		time_t m0 = local_midnight(in->now, d - (WEATHER_DAYS - 1));
		time_t m1 = local_midnight(in->now, d - (WEATHER_DAYS - 2));
		__u64 a = slot_of(m0, in->clock_offset), b = slot_of(m1, in->clock_offset);
		int counted = 1;
		struct tm tm;

		localtime_r(&m0, &tm);
		strftime(r->day_label[d], sizeof(r->day_label[d]), "%Y-%m-%d", &tm);
		for (i = 0; i < in->nslots; i++)
			if (in->slots[i].slot >= a && in->slots[i].slot < b) {
				r->days[d] += in->slots[i].attacks;
				r->days_packets[d] += in->slots[i].pkts;
				r->day_known[d] = 1;
				counted &= in->slots[i].has_attacks;
			}
		r->day_attacks[d] = r->day_known[d] && counted;
	}
	r->day_known[WEATHER_DAYS - 1] = 1;
	r->days[WEATHER_DAYS - 1] = r->attacks;
	r->day_attacks[WEATHER_DAYS - 1] = !r->attacks_upper_bound;
	for (d = WEATHER_DAYS - 8; d < WEATHER_DAYS - 1; d++)
		if (r->day_attacks[d]) {
			r->week_average += r->days[d];
			r->week_days++;
		}
	if (r->week_days)
		r->week_average /= r->week_days;

	for (i = 0; i < in->nsources; i++) {
		struct wsource *top = in->sources[i].monitor ? r->monitor_top : r->top;
		int *ntop = in->sources[i].monitor ? &r->nmonitor_top : &r->ntop;

		if (in->sources[i].last < (__u32)first)
			continue;
		if (*ntop < WEATHER_TOP)
			top[(*ntop)++] = in->sources[i];
		else if (in->sources[i].samples > top[WEATHER_TOP - 1].samples)
			top[WEATHER_TOP - 1] = in->sources[i];
		else
			continue;
		qsort(top, *ntop, sizeof(top[0]), cmp_top);
	}
	/* detection in monitor mode has a sentence of its own */
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (in->feeds[k].name[0] && (in->feeds[k].flags & BOUCLIER_FEED_MONITOR) &&
		    k != BOUCLIER_FEED_DETECT)
			r->monitor_feeds |= 1u << k;
	/* the day's detected bans, newest first */
	for (i = 0; i < in->nbans; i++) {
		const struct detect_entry *e = &in->bans[i];

		if (e->b.at < (__u64)r->midnight || e->b.at > (__u64)in->now)
			continue;
		for (k = r->ndet_top; k > 0 && r->det_top[k - 1].b.at < e->b.at; k--)
			if (k < WEATHER_TOP)
				r->det_top[k] = r->det_top[k - 1];
		if (k < WEATHER_TOP)
			r->det_top[k] = *e;
		if (r->ndet_top < WEATHER_TOP)
			r->ndet_top++;
	}

	outbound_hosts(in, first, last, r);
	r->lists_age = in->lists_loaded_at && (__u64)in->now > in->lists_loaded_at
			       ? (__u64)in->now - in->lists_loaded_at : 0;
	if (!in->attached) {
		r->level = LEVEL_UNKNOWN;
		r->reason = in->down_reason ? in->down_reason
					    : "the filter is not attached or its counters cannot be read";
	} else if (!in->lists_loaded_at) {
		r->level = LEVEL_UNKNOWN;
		r->reason = "no blocklist is loaded";
	} else if (!enforcing(in)) {
		r->level = LEVEL_UNKNOWN;
		r->reason = "every blocklist is in monitor mode: nothing is dropped";
	} else if ((long)r->lists_age > in->stale_after) {
		r->level = LEVEL_UNKNOWN;
		r->reason = "the blocklists are stale: no successful refresh within stale_after";
	} else {
		choose_level(in, r);
		r->reason = in->note;
	}
	/* A machine of the town calling a command server is worse than any scan. */
	if (r->out_attempts && r->level >= LEVEL_SUNNY && r->level < LEVEL_STORM) {
		r->level = LEVEL_STORM;
		r->levels.cause = CAUSE_OUTBOUND;
	}
}


int weather_top_services(const struct wreport *r, int *order, int max)
{
	int n = 0, k, i;

	for (k = BOUCLIER_PORT_OTHER + 1; k < BOUCLIER_PORTS; k++) {
		if (!r->ports[k])
			continue;
		/* insert k, most packets first; a tie keeps the services' order */
		for (i = n; i > 0 && r->ports[order[i - 1]] < r->ports[k]; i--)
			if (i < max)
				order[i] = order[i - 1];
		if (i < max)
			order[i] = k;
		if (n < max)
			n++;
	}
	return n;
}

static int cmp_region(const void *a, const void *b)
{
	const struct wregion_source *x = a, *y = b;

	if (x->detected != y->detected)
		return x->detected ? -1 : 1;
	if (x->attacks != y->attacks)
		return x->attacks > y->attacks ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The key a detected ban holds for a source: the address, an IPv6 /64. */
static void ban_key(__u64 hi, __u64 lo, __u64 *khi, __u64 *klo)
{
	*khi = hi;
	*klo = !hi && (lo >> 32) == 0xffff ? lo : 0;
}

static void add_port(struct wregion_source *e, __u16 port)
{
	int k;

	for (k = 0; port && k < e->nports && e->ports[k] != port; k++)
		;
	if (port && k == e->nports && k < WSOURCE_PORTS)
		e->ports[e->nports++] = port;
}

/* The bans by key, each key's bans in their order in in->bans, and for
 * each the place of its source in the list being made (-1: none yet): a
 * source's ban is found by bisection, so that 10,000 bans and as many
 * sampled sources take milliseconds, not the seconds of a search of every
 * ban for every sample. */
struct ban_ix {
	__u64 hi, lo;
	size_t ban;  /* index in in->bans */
	long entry;  /* index in the list of the key's entry, or -1 */
};

static int cmp_ban_ix(const void *a, const void *b)
{
	const struct ban_ix *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->ban < y->ban ? -1 : x->ban > y->ban;
}

/* The first of the key's bans in ix (sorted), or NULL. */
static struct ban_ix *find_ban(struct ban_ix *ix, size_t n, __u64 hi, __u64 lo)
{
	size_t a = 0, b = n;

	while (a < b) { /* the first not below (hi, lo) */
		size_t m = a + (b - a) / 2;

		if (ix[m].hi < hi || (ix[m].hi == hi && ix[m].lo < lo))
			a = m + 1;
		else
			b = m;
	}
	return a < n && ix[a].hi == hi && ix[a].lo == lo ? &ix[a] : NULL;
}

static void region_from_ban(struct wregion_source *e, const struct detect_entry *b)
{
	struct cidr c;

	e->hi = b->k.hi;
	e->lo = b->k.lo;
	/* as detect_cidr_of(), which would bring libbpf to the fuzzers */
	if (!b->k.hi && (b->k.lo >> 32) == 0xffff)
		cidr_from_v4(&c, (__u32)b->k.lo, 32);
	else
		cidr_from_v6(&c, b->k.hi, 0, 64);
	cidr_format(&c, e->addr, sizeof(e->addr));
	if (c.family == 4)
		*strchr(e->addr, '/') = 0;
	e->detected = 1;
	e->behaviour = b->b.kind;
	e->guess = b->b.service;
	e->attacks = 1; /* what made the ban */
	e->last_seen = b->b.at;
	add_port(e, b->b.port);
}

/* Detected bans come from in->bans (made today, neither lifted by a
 * contact of the town nor only monitored), with the drops sampled under
 * them; listed sources from the samples alone. */
int weather_region_sources(const struct wreport *r, struct wregion_source **v, size_t *n)
{
	const struct winput *in = r->in;
	__u32 first = (__u32)slot_of(r->midnight, in->clock_offset);
	size_t cap = in->nbans + in->nsources, i, kept;
	struct ban_ix *ix = NULL, *g;
	struct wregion_source *e;
	__u32 regional;
	int k;

	*v = NULL;
	*n = 0;
	if (in->report_sources <= 0)
		return 0;
	*v = calloc(cap ? cap : 1, sizeof(**v));
	ix = calloc(in->nbans ? in->nbans : 1, sizeof(*ix));
	if (!*v || !ix) {
		free(*v);
		free(ix);
		*v = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < in->nbans; i++)
		ix[i] = (struct ban_ix){ in->bans[i].k.hi, in->bans[i].k.lo, i, -1 };
	if (in->nbans)
		qsort(ix, in->nbans, sizeof(*ix), cmp_ban_ix);
	/* a source's entry from its first ban made today, in in->bans' order;
	 * g: the head of the key's group, where its entry is kept */
	for (i = 0, g = ix; i < in->nbans; i++) {
		const struct detect_entry *b = &in->bans[ix[i].ban];

		if (ix[i].hi != g->hi || ix[i].lo != g->lo)
			g = &ix[i];
		if (b->b.at < (__u64)r->midnight || b->b.at > (__u64)in->now ||
		    (b->b.flags & (BOUCLIER_BAN_LIFTED | BOUCLIER_BAN_MONITOR)) || g->entry >= 0)
			continue;
		g->entry = (long)*n;
		region_from_ban(&(*v)[(*n)++], b);
	}
	for (i = 0; i < in->nsources; i++) {
		const struct wsource *s = &in->sources[i];
		const struct detect_entry *b;
		__u64 hi, lo, seen;

		if (s->monitor || s->last < first)
			continue;
		seen = ((__u64)s->last + 1) * BOUCLIER_SLOT_SECONDS - in->clock_offset;
		seen = seen < (__u64)in->now ? seen : (__u64)in->now;
		ban_key(s->hi, s->lo, &hi, &lo);
		g = s->detected ? find_ban(ix, in->nbans, hi, lo) : NULL;
		e = g && g->entry >= 0 ? &(*v)[g->entry] : NULL;
		if (!e && g) { /* a ban of another day */
			b = &in->bans[g->ban];
			/* or one a contact of the town lifted: a peer, not news
			 * for the region */
			if (b->b.flags & BOUCLIER_BAN_LIFTED)
				continue;
			g->entry = (long)*n;
			e = &(*v)[(*n)++];
			region_from_ban(e, b);
			e->attacks = 0;
		}
		if (!e) {
			e = &(*v)[(*n)++];
			snprintf(e->addr, sizeof(e->addr), "%s", s->addr);
			e->hi = s->hi;
			e->lo = s->lo;
		}
		e->attacks += s->attacks;
		e->last_seen = seen > e->last_seen ? seen : e->last_seen;
		for (k = 0; k < s->nsets; k++)
			if (s->sets[k] < BOUCLIER_SLOT_SETS)
				e->feeds |= in->set_feeds[s->sets[k]];
		for (k = 0; k < s->nports; k++)
			add_port(e, s->ports[k]);
	}
	free(ix);
	for (i = 0; i < *n; i++) /* the pseudo-feeds: a ban is not a list */
		(*v)[i].feeds &= ~(1u << BOUCLIER_FEED_DETECT);
	/* A source only the region's own list dropped is not news for the
	 * region: told back, it would keep itself listed window after window,
	 * even a wrong entry the towns keep talking to. */
	for (k = 0, regional = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (in->feeds[k].flags & BOUCLIER_FEED_REGIONAL)
			regional |= 1u << k;
	for (i = 0, kept = 0; i < *n; i++)
		if ((*v)[i].detected || !(*v)[i].feeds || ((*v)[i].feeds & ~regional))
			(*v)[kept++] = (*v)[i];
	*n = kept;
	if (*n)
		qsort(*v, *n, sizeof(**v), cmp_region);
	if (*n > (size_t)in->report_sources)
		*n = in->report_sources;
	return 0;
}

const char *weather_feed_of(const struct wreport *r, __u32 set)
{
	int f;

	for (f = 0; f < BOUCLIER_MAX_FEEDS; f++)
		if (set < BOUCLIER_SLOT_SETS && (r->in->set_feeds[set] & (1u << f)))
			return r->in->feeds[f].name;
	return "";
}

void weather_time(time_t t, char *buf, size_t len, const char *fmt)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, fmt, &tm);
}
