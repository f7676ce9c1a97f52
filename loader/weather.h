/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * weather.h - the cyber weather: what the filter dropped since local
 * midnight, turned into a level an official can read.
 *
 * weather_compute() is a pure function of its inputs (15-minute slots, the
 * time, the time zone in TZ, thresholds), so the tests can replay midnight,
 * DST days and counter resets.  weather_read() gathers those inputs from the
 * live maps and the history file; the render functions write text, JSON,
 * Prometheus exposition and HTML.
 */
#ifndef BOUCLIER_WEATHER_H
#define BOUCLIER_WEATHER_H

#include <stdio.h>
#include <time.h>
#include "bouclier.h"

#define WEATHER_SCHEMA "bouclier.weather/1"
#define WEATHER_TOP 10
#define WEATHER_DAYS 30

enum level { LEVEL_UNKNOWN = -1, LEVEL_SUNNY, LEVEL_LIGHT_RAIN, LEVEL_STORM, LEVEL_TORNADO };

/* One 15-minute slot, summed over CPUs (kernel) or read back (history). */
struct wslot {
	__u64 slot; /* Unix seconds / 900 */
	__u64 pkts, bytes;
	__u64 proto[BOUCLIER_P_MAX];
	__u64 ports[BOUCLIER_PORTS];
	__u64 sets[BOUCLIER_SLOT_SETS];
	__u8 hll[BOUCLIER_HLL_REGS];
	int has_hll;
};

struct wsource {
	char addr[48];
	__u32 set;
	__u64 samples;
	__u32 last;
};

/* Everything weather_compute() reads. */
struct winput {
	time_t now;
	long clock_offset;              /* slot clock - CLOCK_REALTIME, seconds (0 today) */
	char town[64];
	long thresholds[3];           /* light rain, storm, tornado */
	long stale_after;             /* seconds */
	int attached;                 /* counters readable */
	__u64 lists_loaded_at;        /* newest feed load; 0 = no feed */
	int nfeeds;
	struct bouclier_feed feeds[BOUCLIER_MAX_FEEDS];
	__u32 set_feeds[BOUCLIER_SLOT_SETS]; /* set id -> feed mask */
	struct wslot *slots;          /* any order, one entry a slot id */
	size_t nslots;
	struct wsource *sources;
	size_t nsources;
};

struct wreport {
	enum level level;
	const char *reason;           /* why unknown, in English */
	time_t now, midnight, next_midnight;
	char tz[64], town[64];
	__u64 attacks, bytes, distinct;
	__u64 proto[BOUCLIER_P_MAX], ports[BOUCLIER_PORTS];
	__u64 feed_attacks[BOUCLIER_MAX_FEEDS];
	__u64 other_sets;             /* drops of set ids past BOUCLIER_SLOT_SETS - 2 */
	int nhours;                   /* 23, 24 or 25 */
	__u64 hourly[25];
	int hour_label[25];           /* the wall-clock hour each one starts at */
	__u64 yesterday;
	double week_average;
	int week_days;                /* days with records among the last 7 */
	__u64 days[WEATHER_DAYS];     /* [0] = 29 days ago ... [29] = today */
	char day_label[WEATHER_DAYS][11];
	int day_known[WEATHER_DAYS];
	struct wsource top[WEATHER_TOP];
	int ntop;
	long thresholds[3];
	__u64 lists_age;
	const struct winput *in;
};

void weather_compute(const struct winput *in, struct wreport *r);
const char *weather_level_name(enum level l, const char *lang);
const char *weather_port_name(int port);
double weather_hll_estimate(const __u8 *regs);
/* Adds (or merges into an existing slot id) with the larger record winning. */
int weather_slots_merge(struct wslot **v, size_t *n, const struct wslot *s);

/* Writes s as a JSON string, quoted and escaped. */
void json_str(FILE *f, const char *s);

void weather_text(FILE *f, const struct wreport *r, const char *lang, int utf8);
void weather_json(FILE *f, const struct wreport *r);
void weather_prom(FILE *f, const struct wreport *r, const struct bouclier_stats *sum,
		  const __u64 *feed_pkts, const __u64 *feed_bytes);
void weather_html(FILE *f, const struct wreport *r, const char *lang);

#endif
