/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * weather.h - the cyber weather: what the filter dropped since local
 * midnight, turned into a level an official can read.
 *
 *   compute.c  weather_compute(), a pure function of its inputs (15-minute
 *              slots, the time, the time zone in TZ, thresholds), so the
 *              tests can replay midnight, DST days and counter resets
 *   words.c    the words of each language: level names and what each
 *              means, labels, reasons
 *   numbers.c  figures for people: thousands, decimals, byte units
 *   text.c, json.c, prom.c, html.c   one renderer each
 *   inputs.c   weather_inputs(): the inputs, from the live maps, the state
 *              and the history (loader/history.h)
 */
#ifndef BOUCLIER_WEATHER_H
#define BOUCLIER_WEATHER_H

#include <stdio.h>
#include <time.h>
#include "bouclier.h"
#include "ctx.h"
#include "detect.h"
#include "stats.h"

/* /3: figures.sources, the day's top sources for the region (what they
 * tried, the attacks counted, listed by which feeds or detected as what),
 * figures.regional (the attacks only the region's list dropped) and
 * by_feed's "regional"; /2: figures.attacks counts attacks (one source
 * trying one service class in a quarter hour), figures.packets the dropped
 * packets; /1 counted packets as attacks.  The observatory reads all three. */
#define WEATHER_SCHEMA "bouclier.weather/3"
#define WEATHER_SCHEMA_V2 "bouclier.weather/2"
#define WEATHER_SCHEMA_V1 "bouclier.weather/1"
#define WEATHER_SOURCES_MAX 10000 /* report_sources at most: a report stays under 1 MB */
#define WEATHER_SOURCES_DEFAULT 1000
#define WEATHER_TOP 10
#define WEATHER_DAYS 30

enum level { LEVEL_UNKNOWN = -1, LEVEL_SUNNY, LEVEL_LIGHT_RAIN, LEVEL_STORM, LEVEL_TORNADO,
	     LEVEL_MAX };

/* One 15-minute slot, summed over CPUs (kernel) or read back (history). */
struct wslot {
	__u64 slot; /* Unix seconds / 900 */
	__u64 pkts, bytes;
	__u64 out_pkts, out_bytes; /* drops on the way out */
	__u64 proto[BOUCLIER_P_MAX];
	__u64 ports[BOUCLIER_PORTS];
	__u64 sets[BOUCLIER_SLOT_SETS];
	__u64 attacks;    /* distinct (source, service class) pairs, estimated */
	__u64 det_attacks; /* of which dropped by a ban detection made */
	__u64 reg_attacks; /* of which dropped only by the region's list */
	__u64 detect[BOUCLIER_DT_MAX]; /* detection's outcomes */
	__u64 mon_pkts, mon_bytes; /* would-drops of monitored feeds (kernel slots only) */
	__u8 mon_hll[BOUCLIER_HLL_REGS];
	__u8 hll[BOUCLIER_HLL_REGS];
	int has_hll;      /* hll holds the slot's sources (the kernel's 48 hours) */
	int has_attacks;  /* attacks is known: not a row of a history written before attacks
			   * were counted, whose packets stay packets */
	int has_detect;   /* det_attacks and detect are known (written since detection) */
	int has_regional; /* reg_attacks is known (written since the region's list) */
};

#define WSOURCE_SETS 4  /* feed sets a source's samples name, kept apart */
#define WSOURCE_PORTS 8 /* destination ports it tried, kept apart */

struct wsource {
	char addr[48];
	__u64 hi, lo;  /* the source, host order; IPv4 as ::ffff:a.b.c.d */
	__u32 set;     /* the latest sample's */
	__u64 samples;
	__u32 last;    /* the latest slot sampled */
	int monitor;   /* would-drops of a monitored feed, not drops */
	int detected;  /* a detected ban dropped some of them */
	__u32 attacks; /* distinct (slot, service class) pairs among the samples */
	__u32 sets[WSOURCE_SETS];
	int nsets;
	__u16 ports[WSOURCE_PORTS];
	int nports;
};

/* One record of the kernel's outbound map: an inside machine trying a
 * listed destination in one slot. */
struct woutbound {
	char inside[48], dst[48];
	__u64 attempts;
	__u32 set, slot;
	int natted;
};

#define WEATHER_HOSTS 16 /* inside machines named in a report */
#define WEATHER_HOST_DSTS 4

/* An inside machine that tried to reach listed destinations today. */
struct whost {
	char address[48];
	__u64 attempts;
	__u32 feeds;                  /* mask of the feeds listing what it tried */
	char dsts[WEATHER_HOST_DSTS][48];
	int ndsts;
	int natted;                   /* named through conntrack, behind NAT */
};

/* How the level was chosen: against the town's own usual days, or against
 * absolute thresholds, because the configuration says so or because fewer
 * than WEATHER_USUAL_DAYS days are known. */
enum level_basis { BASIS_USUAL, BASIS_CONFIGURED, BASIS_YOUNG };
/* What decided it, for the sentence that explains the level. */
enum level_cause { CAUSE_QUIET, CAUSE_BELOW, CAUSE_AS_USUAL, CAUSE_ABOVE, CAUSE_STORM,
		   CAUSE_FAR, CAUSE_FLOOD, CAUSE_THRESHOLD, CAUSE_OUTBOUND };
#define WEATHER_USUAL_DAYS 7 /* known days before the levels follow the usual */

struct wlevels {
	enum level_basis basis;
	enum level_cause cause;
	int known_days;       /* past days (of WEATHER_DAYS - 1) with attack figures */
	int same_weekday;     /* days the usual was taken from share today's weekday */
	int weekday;          /* today's, 0 = Sunday */
	long elapsed;         /* seconds since midnight compared */
	double usual;         /* median of the known days up to the same time */
	double p90, max;      /* of the known days up to the same time */
	double ratio;         /* today / usual (0 when usual is 0) */
	__u64 flood;          /* most distinct sources in one slot today */
};

/* Everything weather_compute() reads. */
struct winput {
	time_t now;
	long clock_offset;              /* slot clock - CLOCK_REALTIME, seconds (0 today) */
	char town[64];
	long thresholds[3];           /* light rain, storm, tornado */
	int absolute;                 /* the configuration wants absolute thresholds */
	long storm_floor, tornado_floor; /* fewest attacks for a relative storm, tornado */
	long flood_sources;           /* sources in one slot that make a tornado; 0: never */
	long stale_after;             /* seconds */
	int attached;                 /* filtering, and counters readable */
	const char *down_reason;      /* why not, when not attached (NULL: generic) */
	const char *note;             /* filtering, but less well than it should */
	__u64 lists_loaded_at;        /* newest feed load; 0 = no feed */
	int nfeeds;
	struct bouclier_feed feeds[BOUCLIER_MAX_FEEDS];
	__u32 set_feeds[BOUCLIER_SLOT_SETS]; /* set id -> feed mask */
	struct wslot *slots;          /* any order, one entry a slot id */
	size_t nslots;
	struct wsource *sources;
	size_t nsources;
	struct woutbound *outbound;
	size_t noutbound;
	/* detection: off, ban or monitor, and the bans it made (the kernel's
	 * map; none while bouclier is not attached) */
	int detect_mode;              /* enum detect_mode */
	struct detect_entry *bans;
	size_t nbans;
	long report_sources;          /* [weather] report_sources: the region's sources, at most */
};

enum detect_mode { DETECT_OFF, DETECT_BAN, DETECT_MONITOR };

struct wreport {
	enum level level;
	const char *reason;           /* why unknown, or what weakens the filter; English */
	time_t now, midnight, next_midnight;
	char tz[64], town[64];
	__u64 attacks;                /* one source trying one service class in a slot */
	int attacks_upper_bound;      /* some of today's slots counted packets only */
	__u64 packets, bytes, distinct;
	__u64 proto[BOUCLIER_P_MAX], ports[BOUCLIER_PORTS];
	__u64 feed_packets[BOUCLIER_MAX_FEEDS];
	__u64 other_sets;             /* drops of set ids past BOUCLIER_SLOT_SETS - 2 */
	int nhours;                   /* 23, 24 or 25 */
	__u64 hourly[25];
	int hour_label[25];           /* the wall-clock hour each one starts at */
	__u64 yesterday;              /* attacks, when yesterday_known */
	int yesterday_known;
	double week_average;          /* attacks a day, over week_days */
	int week_days;                /* days with attack figures among the last 7 */
	__u64 days[WEATHER_DAYS];     /* attacks; [0] = 29 days ago ... [29] = today */
	__u64 days_packets[WEATHER_DAYS];
	char day_label[WEATHER_DAYS][11];
	int day_known[WEATHER_DAYS];  /* any record that day */
	int day_attacks[WEATHER_DAYS]; /* days[] is known: counted in attacks */
	struct wlevels levels;
	struct wsource top[WEATHER_TOP];
	int ntop;
	/* monitored feeds: what they would have dropped today, passed instead */
	__u32 monitor_feeds;          /* mask of the feeds in monitor mode */
	__u64 monitor_pkts, monitor_bytes, monitor_sources;
	struct wsource monitor_top[WEATHER_TOP];
	int nmonitor_top;
	__u64 out_attempts;           /* drops on the way out since midnight */
	/* detection today: the attacks detected bans dropped (of attacks),
	 * its outcomes, and its newest bans (would-bans in monitor mode) */
	__u64 det_attacks;
	__u64 detect[BOUCLIER_DT_MAX];
	/* the attacks only the region's list dropped: the town owes them to
	 * the other towns, which saw the sources first */
	__u64 regional;
	struct detect_entry det_top[WEATHER_TOP];
	int ndet_top;
	struct whost hosts[WEATHER_HOSTS]; /* the inside machines that tried, most first */
	int nhosts;
	long thresholds[3];
	__u64 lists_age;
	const struct winput *in;
};

void weather_compute(const struct winput *in, struct wreport *r);
double weather_hll_estimate(const __u8 *regs);
/* The estimate rounded to a count: 0 for empty registers. */
__u64 weather_hll_count(const __u8 *regs);
/* Adds (or merges into an existing slot id) with the larger record winning. */
int weather_slots_merge(struct wslot **v, size_t *n, const struct wslot *s);
/* strftime() of t in the local time zone. */
void weather_time(time_t t, char *buf, size_t len, const char *fmt);
/* The services most targeted today (packets), most first, "other" left
 * out: up to max indexes into r->ports in order; returns how many. */
int weather_top_services(const struct wreport *r, int *order, int max);
/* The name of the feed that listed a sampled source, or "". */
const char *weather_feed_of(const struct wreport *r, __u32 set);

/* One of the day's top sources as the region gets it (figures.sources):
 * an address, or the IPv6 /64 a detected ban holds. */
struct wregion_source {
	char addr[CIDR_STRLEN];
	__u64 hi, lo;      /* the key: the address, or the /64 (lo 0) */
	__u32 attacks;     /* sampled (slot, service) pairs, and a ban counts one */
	__u64 last_seen;   /* Unix seconds */
	__u32 feeds;       /* the feeds that listed it (pseudo-feeds left out) */
	int detected;      /* a ban detection made dropped it */
	__u8 behaviour;    /* enum bouclier_behaviour_kind, when detected */
	__u8 guess;        /* enum bouclier_guess, for password guessing */
	__u16 ports[WSOURCE_PORTS];
	int nports;
};
/* The day's top sources, detected first, then by attacks: at most
 * in->report_sources of them, into *v (malloc'd, *n of them). */
int weather_region_sources(const struct wreport *r, struct wregion_source **v, size_t *n);

/* words.c */
struct words {
	const char *lang, *title, *since, *attacks, *sources, *yesterday, *week, *feeds,
		*ports, *top, *hourly, *unknown_why, *last_days, *packets, *upper_bound;
	/* "%s machine(s) of the town tried to reach listed servers (botnet,
	 * malware)", one and many, then what to do */
	const char *out_one, *out_many, *out_times, *out_todo_one, *out_todo_many, *colon;
	/* bytes as a human size, the feed under a source, the levels' legend */
	const char *volume, *listed_by, *legend;
	/* the trend against the usual day: a heading, "today by %s" (the time),
	 * "a usual %s by this time" (weather_usual_day()), the busiest day, the
	 * young history ("%d of the %d days"), fixed thresholds (three %s) */
	const char *trend, *today_by, *usual_by, *busiest_by, *young, *fixed;
	const char *day; /* "a usual day" when no weekday is named */
	const char *no_figure; /* a day of the chart without a figure, in its title */
};
const struct words *weather_words(const char *lang); /* "en" or "fr"; NULL: en */
const char *weather_level_name(enum level l, const char *lang);
/* The level as a picture: its emoji, or on a terminal that is not UTF-8 a
 * word in brackets, "(sun)", "(soleil)". */
const char *weather_level_sign(enum level l, const char *lang, int utf8);
/* A feed's category as the reader reads it: the ones bouclier gives
 * (CATEGORY_DEFAULT, the bans' BOUCLIER_FEED_BAN_CATEGORY) in the
 * language; any other is the town's own word (config.c checks it), as
 * written. */
const char *weather_category(const char *category, const char *lang);
/* What the level means and what to do, in one sentence. */
const char *weather_level_advice(enum level l, const char *lang);
/* The same for this report: a storm that a machine of the town calling a
 * listed server made says so. */
const char *weather_advice(const struct wreport *r, const char *lang);
/* The day the usual is taken from: "Saturday" or "day". */
const char *weather_usual_day(const struct wreport *r, const char *lang);
/* The sentence that names the inside machines that tried to reach listed
 * servers today; 0 (and nothing written) when none did. */
size_t weather_outbound_sentence(const struct wreport *r, const char *lang, char *buf,
				 size_t len);
/* What to do about them, one machine or many. */
const char *weather_outbound_todo(const struct wreport *r, const char *lang);
/* reason (English, as weather_compute() sets it) in the language */
const char *weather_reason(const char *reason, const char *lang);
/* One sentence saying why the level is what it is ("3.2× a usual
 * Saturday", "quiet as usual"), in the language. */
size_t weather_why(const struct wreport *r, const char *lang, char *buf, size_t len);
/* One line on what feeds in monitor mode would have dropped today. */
size_t weather_monitor_sentence(const struct wreport *r, const char *lang, char *buf,
				size_t len);
/* What detection saw today: the attacks detected bans stopped and the
 * sources banned, or in monitor mode the would-bans; 0 when it is off. */
size_t weather_detect_sentence(const struct wreport *r, const char *lang, char *buf, size_t len);
/* What one attack is, in one sentence. */
const char *weather_attack_definition(const char *lang);

/* The observatory's page: its words in one language.  Formats take, in
 * order, what their comment says. */
struct obs_words {
	const char *lang;
	const char *title;      /* towns (%d), attacks blocked today (%s) */
	const char *infected;   /* "towns with infected machines" */
	const char *town, *weather, *attacks, *vs_usual, *vs_region, *yesterday, *machines,
		*note, *trend;
	/* why a town is unknown, or that its figures are packets */
	const char *unreadable, *stale, *missing, *down, *packets_only;
	const char *region;     /* the region's list: a heading */
	/* its entries (%s), min towns (%u), window in hours (%ld), towns that fed it (%s) */
	const char *region_list;
	/* attacks blocked because another town saw the source first (%s) */
	const char *region_saved;
	const char *region_published; /* file (%s), sequence (%llu) */
	const char *region_fed;  /* the column: "on the region's list" */
	const char *yes;
};
const struct obs_words *weather_obs_words(const char *lang); /* "en" or "fr"; NULL: en */

/* numbers.c: figures written for people (text and HTML; JSON and
 * Prometheus keep raw numbers).  Each returns buf, so they go straight
 * into a printf.  French groups digits with U+202F (narrow no-break space),
 * puts U+00A0 (no-break space) before a unit and writes a decimal comma;
 * English "3,000,000", "1.5 kB".  All UTF-8: the text renderer turns the
 * two spaces into plain ones for a terminal that is not UTF-8. */
#define WEATHER_NUMLEN 48
const char *weather_num(char *buf, size_t len, unsigned long long v, const char *lang);
const char *weather_dec(char *buf, size_t len, double x, int decimals, const char *lang);
/* Decimal (SI) units, 1 kB = 1000 B: "999 B", "1.5 kB", "172 MB"; "172 Mo". */
const char *weather_bytes(char *buf, size_t len, unsigned long long v, const char *lang);

/* The renderers. */
void weather_text(FILE *f, const struct wreport *r, const char *lang, int utf8);
void weather_json(FILE *f, const struct wreport *r);
void weather_prom(FILE *f, const struct wreport *r, const struct stats *st);
void weather_html(FILE *f, const struct wreport *r, const char *lang);

/* inputs.c: everything above from the live filter, the state and the
 * history; *st gets the counters when they could be read (st->sum is
 * all zeros otherwise, *have_stats false). */
struct weather_inputs {
	struct winput in;
	struct stats st;
	int have_stats;
};
int weather_inputs(const struct ctx *c, struct weather_inputs *w);
/* The kernel's slots alone, merged into *v: summed over CPUs, a slot's
 * attacks estimated from its sketch. */
struct live;
int weather_read_slots(struct live *l, struct wslot **v, size_t *n);
/* Every CPU's ring of sampled drops (and would-drops), counted by source. */
int weather_read_sources(struct live *l, struct wsource **v, size_t *n);
void weather_inputs_free(struct weather_inputs *w);

#endif
