// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* prom.c - the weather and the counters in the Prometheus exposition
 * format, every series labelled with the town (node_exporter's textfile
 * collector, or a scrape of `bouclier weather --format prom`). */
#include "names.h"
#include "out.h"
#include "weather.h"

static void gauge(FILE *f, const struct wreport *r, const char *name, const char *help,
		  long long v)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s{", name, help, name, name);
	prom_label(f, "town", r->town);
	fprintf(f, "} %lld\n", v);
}

static void verdicts(FILE *f, const struct wreport *r, const char *name, const char *what,
		     const __u64 *v)
{
	int k;

	fprintf(f, "# HELP %s %s seen by the filter, by verdict.\n# TYPE %s counter\n", name,
		what, name);
	for (k = 0; k < BOUCLIER_V_MAX; k++) {
		fprintf(f, "%s{", name);
		prom_label(f, "town", r->town);
		fputc(',', f);
		prom_label(f, "verdict", verdict_name(k));
		fprintf(f, "} %llu\n", (unsigned long long)v[k]);
	}
}

static void feeds(FILE *f, const struct wreport *r, const char *name, const char *what,
		  const __u64 *v)
{
	int k;

	fprintf(f, "# HELP %s %s dropped because a feed lists their source.\n# TYPE %s counter\n",
		name, what, name);
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++) {
		if (!r->in->feeds[k].name[0])
			continue;
		fprintf(f, "%s{", name);
		prom_label(f, "town", r->town);
		fputc(',', f);
		prom_label(f, "feed", r->in->feeds[k].name);
		fputc(',', f);
		prom_label(f, "category", r->in->feeds[k].category);
		fprintf(f, "} %llu\n", (unsigned long long)v[k]);
	}
}

/* One series an inside machine that tried to reach a listed destination. */
static void hosts(FILE *f, const struct wreport *r)
{
	const char *name = "bouclier_outbound_host_attempts_today";
	int k;

	fprintf(f, "# HELP %s Packets of this inside machine to listed destinations, stopped "
		   "since local midnight.\n# TYPE %s gauge\n", name, name);
	for (k = 0; k < r->nhosts; k++) {
		fprintf(f, "%s{", name);
		prom_label(f, "town", r->town);
		fputc(',', f);
		prom_label(f, "host", r->hosts[k].address);
		fprintf(f, "} %llu\n", (unsigned long long)r->hosts[k].attempts);
	}
}

/* What detection did since midnight, one series an outcome. */
static void detection(FILE *f, const struct wreport *r)
{
	const char *name = "bouclier_detection_today";
	int k;

	fprintf(f, "# HELP %s What detection did since local midnight: sources banned, would-bans "
		   "(monitor mode), sources spared (allowlist, contacted by the town, max_bans "
		   "held), bans lifted because the town contacted the source.\n# TYPE %s gauge\n",
		name, name);
	for (k = 0; k < BOUCLIER_DT_MAX; k++) {
		fprintf(f, "%s{", name);
		prom_label(f, "town", r->town);
		fputc(',', f);
		prom_label(f, "outcome", detect_count_name(k));
		fprintf(f, "} %llu\n", (unsigned long long)r->detect[k]);
	}
}

void weather_prom(FILE *f, const struct wreport *r, const struct stats *st)
{
	gauge(f, r, "bouclier_up", "1 when the filter runs on its interfaces and its counters "
	      "were read.", r->in->attached);
	gauge(f, r, "bouclier_weather_level",
	      "-1 unknown, 0 sunny, 1 light rain, 2 storm, 3 tornado.", r->level);
	gauge(f, r, "bouclier_attacks_today", "Attacks blocked since local midnight: one source "
	      "trying one service in a quarter hour (estimated, standard error 6.5%).",
	      (long long)r->attacks);
	gauge(f, r, "bouclier_detected_attacks_today", "Of the attacks blocked since local "
	      "midnight, those a ban detection made stopped: sources seen scanning, sweeping or "
	      "guessing passwords, named by no list.", (long long)r->det_attacks);
	gauge(f, r, "bouclier_regional_attacks_today", "Of the attacks blocked since local "
	      "midnight, those only the region's signed list stopped: other towns saw the "
	      "sources first.", (long long)r->regional);
	gauge(f, r, "bouclier_dropped_packets_today", "Packets dropped since local midnight.",
	      (long long)r->packets);
	gauge(f, r, "bouclier_dropped_bytes_today", "Bytes dropped since local midnight.",
	      (long long)r->bytes);
	if (r->level != LEVEL_UNKNOWN && r->levels.basis == BASIS_USUAL)
		gauge(f, r, "bouclier_usual_attacks_by_now", "The town's usual attacks by this time "
		      "of day: the median of its known days in the last 30.",
		      (long long)(r->levels.usual + 0.5));
	gauge(f, r, "bouclier_distinct_sources_today",
	      "Distinct dropped sources since local midnight (HyperLogLog estimate).",
	      (long long)r->distinct);
	gauge(f, r, "bouclier_lists_age_seconds", "Seconds since the newest feed was loaded.",
	      (long long)r->lists_age);
	gauge(f, r, "bouclier_monitor_would_drop_packets_today", "Packets feeds in monitor mode "
	      "would have dropped since local midnight (passed).", (long long)r->monitor_pkts);
	gauge(f, r, "bouclier_outbound_attempts_today", "Packets of the town's machines to "
	      "listed destinations, stopped since local midnight.", (long long)r->out_attempts);
	hosts(f, r);
	detection(f, r);
	if (!st)
		return;
	verdicts(f, r, "bouclier_packets_total", "Packets", st->sum.pkts);
	verdicts(f, r, "bouclier_bytes_total", "Bytes", st->sum.bytes);
	feeds(f, r, "bouclier_feed_dropped_packets_total", "Packets", st->feed_pkts);
	feeds(f, r, "bouclier_feed_dropped_bytes_total", "Bytes", st->feed_bytes);
}
