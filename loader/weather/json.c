// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* json.c - the weather as JSON (schema bouclier.weather/3), for the
 * observatory and for scripts. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "names.h"
#include "out.h"
#include "weather.h"

static const char *const basis_names[] = { "usual", "configured", "young" };
static const char *const cause_names[] = { "quiet", "below", "as_usual", "above", "storm",
					   "far_above", "flood", "threshold", "outbound" };

/* How the level was chosen, with the figures behind the sentence. */
static json_t *levels(const struct wreport *r)
{
	const struct wlevels *lv = &r->levels;
	json_t *x = json_object();
	char why[512];

	weather_why(r, "en", why, sizeof(why));
	jset(x, "basis", jstr(basis_names[lv->basis]));
	jset(x, "cause", jstr(r->level == LEVEL_UNKNOWN ? NULL : cause_names[lv->cause]));
	jset(x, "sentence", jstr(r->level == LEVEL_UNKNOWN ? NULL : why));
	weather_why(r, "fr", why, sizeof(why));
	jset(x, "sentence_fr", jstr(r->level == LEVEL_UNKNOWN ? NULL : why));
	jset(x, "known_days", json_integer(lv->known_days));
	jset(x, "compared_until_seconds", json_integer(lv->elapsed));
	jset(x, "usual", json_real(round(lv->usual * 10) / 10));
	jset(x, "usual_same_weekday", json_boolean(lv->same_weekday));
	jset(x, "p90", json_real(round(lv->p90 * 10) / 10));
	jset(x, "max", json_real(round(lv->max * 10) / 10));
	jset(x, "ratio", json_real(round(lv->ratio * 100) / 100));
	jset(x, "most_sources_in_a_slot", ju64(lv->flood));
	return x;
}

/* The port's service name, or its number. */
static json_t *service(__u16 port)
{
	char num[8];
	int k = service_of_port(port);

	if (k != BOUCLIER_PORT_OTHER)
		return jstr(service_name(k));
	snprintf(num, sizeof(num), "%u", port);
	return jstr(num);
}

/* figures.sources: the day's top sources for the region, one array a
 * source in the order of "fields" (half the bytes of objects, and an
 * observatory reads a thousand towns' of them). */
static json_t *region_sources(const struct wreport *r)
{
	static const char *const fields[] = { "address", "attacks", "last_seen_unix", "services",
					      "listed", "detected" };
	json_t *x = json_object(), *names = json_array(), *rows = json_array();
	struct wregion_source *v = NULL;
	size_t n = 0, i;
	int k;

	for (k = 0; k < (int)(sizeof(fields) / sizeof(fields[0])); k++)
		json_array_append_new(names, jstr(fields[k]));
	jset(x, "fields", names);
	jset(x, "limit", json_integer(r->in->report_sources));
	jset(x, "attacks_method", jstr("distinct (quarter hour, service) pairs among the sampled "
				       "drops (one in 16), and one for the ban a behaviour made"));
	if (weather_region_sources(r, &v, &n))
		pr_warn("weather: the day's sources for the region are left out: %s\n",
			strerror(ENOMEM));
	for (i = 0; i < n; i++) {
		json_t *row = json_array(), *ports = json_array(), *feeds = json_array();

		for (k = 0; k < v[i].nports; k++)
			json_array_append_new(ports, service(v[i].ports[k]));
		for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
			if ((v[i].feeds & (1u << k)) && r->in->feeds[k].name[0])
				json_array_append_new(feeds, jstr(r->in->feeds[k].name));
		json_array_append_new(row, jstr(v[i].addr));
		json_array_append_new(row, ju64(v[i].attacks));
		json_array_append_new(row, ju64(v[i].last_seen));
		json_array_append_new(row, ports);
		json_array_append_new(row, feeds);
		json_array_append_new(row, v[i].detected ? jstr(behaviour_name(v[i].behaviour))
							 : json_null());
		json_array_append_new(rows, row);
	}
	free(v);
	jset(x, "rows", rows);
	return x;
}

void weather_json(FILE *f, const struct wreport *r)
{
	json_t *j = json_object(), *fig = json_object(), *x, *a;
	char t[64], m[64];
	int k;

	weather_time(r->now, t, sizeof(t), "%Y-%m-%dT%H:%M:%S%z");
	weather_time(r->midnight, m, sizeof(m), "%Y-%m-%dT%H:%M:%S%z");
	jset(j, "schema", jstr(WEATHER_SCHEMA));
	jset(j, "town", jstr(r->town));
	jset(j, "timezone", jstr(r->tz));
	jset(j, "generated_at", jstr(t));
	jset(j, "generated_at_unix", json_integer(r->now));
	jset(j, "since", jstr(m));
	jset(j, "level", jstr(weather_level_name(r->level, "en")));
	jset(j, "level_fr", jstr(weather_level_name(r->level, "fr")));
	/* what the level means and what to do, one sentence */
	jset(j, "advice", jstr(weather_advice(r, "en")));
	jset(j, "advice_fr", jstr(weather_advice(r, "fr")));
	jset(j, "reason", jstr(r->reason));
	x = json_object();
	jset(x, "light_rain", json_integer(r->thresholds[0]));
	jset(x, "storm", json_integer(r->thresholds[1]));
	jset(x, "tornado", json_integer(r->thresholds[2]));
	jset(j, "thresholds", x);
	jset(j, "levels", levels(r));
	jset(j, "lists_age_seconds", ju64(r->lists_age));

	jset(fig, "attacks", ju64(r->attacks));
	jset(fig, "attacks_definition", jstr(weather_attack_definition("en")));
	jset(fig, "attacks_method", jstr("HyperLogLog of (source, service class) pairs, one a "
					 "quarter hour, 256 registers, standard error 6.5%"));
	/* today began on a bouclier that counted packets: an upper bound */
	jset(fig, "attacks_upper_bound", json_boolean(r->attacks_upper_bound));
	jset(fig, "packets", ju64(r->packets));
	jset(fig, "bytes", ju64(r->bytes));
	jset(fig, "distinct_sources", ju64(r->distinct));
	jset(fig, "distinct_sources_method",
	     jstr("HyperLogLog, 256 registers, standard error 6.5%"));
	jset(fig, "yesterday", r->yesterday_known ? ju64(r->yesterday) : json_null());
	jset(fig, "last_7_days_average", json_real(round(r->week_average * 10) / 10));
	x = json_object();
	for (k = 0; k < BOUCLIER_P_MAX; k++)
		jset(x, proto_name(k), ju64(r->proto[k]));
	jset(fig, "by_protocol", x); /* packets, as by_port and by_feed */
	x = json_object();
	for (k = 0; k < BOUCLIER_PORTS; k++)
		jset(x, service_name(k), ju64(r->ports[k]));
	jset(fig, "by_port", x);
	a = json_array();
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++) {
		if (!r->in->feeds[k].name[0])
			continue;
		x = jset(jset(json_object(), "name", jstr(r->in->feeds[k].name)), "category",
			 jstr(r->in->feeds[k].category));
		/* packets: the sketch counts attacks for the whole slot only */
		jset(x, "packets", ju64(r->feed_packets[k]));
		/* the region's list: what other towns saw first */
		jset(x, "regional", json_boolean(r->in->feeds[k].flags & BOUCLIER_FEED_REGIONAL));
		json_array_append_new(a, x);
	}
	jset(fig, "by_feed", a);
	jset(fig, "regional", ju64(r->regional));
	jset(fig, "regional_definition", jstr("attacks only the region's list dropped: other "
					      "towns saw the sources first"));
	jset(fig, "sources", region_sources(r));
	a = json_array();
	for (k = 0; k < r->ntop; k++) {
		x = jset(jset(json_object(), "address", jstr(r->top[k].addr)), "feed",
			 jstr(weather_feed_of(r, r->top[k].set)));
		json_array_append_new(a, jset(x, "sampled_drops", ju64(r->top[k].samples)));
	}
	jset(fig, "top_sources", a);
	/* monitored feeds: nothing of this was dropped, nor counted above */
	x = json_object();
	a = json_array();
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (r->monitor_feeds & (1u << k))
			json_array_append_new(a, jstr(r->in->feeds[k].name));
	jset(x, "feeds", a);
	jset(x, "would_drop_packets", ju64(r->monitor_pkts));
	jset(x, "would_drop_bytes", ju64(r->monitor_bytes));
	jset(x, "distinct_sources", ju64(r->monitor_sources));
	a = json_array();
	for (k = 0; k < r->nmonitor_top; k++) {
		json_t *t = jset(jset(json_object(), "address", jstr(r->monitor_top[k].addr)),
				 "feed", jstr(weather_feed_of(r, r->monitor_top[k].set)));
		json_array_append_new(a, jset(t, "sampled", ju64(r->monitor_top[k].samples)));
	}
	jset(x, "top_sources", a);
	jset(fig, "monitor", x);
	x = json_object();
	jset(x, "attempts", ju64(r->out_attempts));
	a = json_array();
	for (k = 0; k < r->nhosts; k++) {
		json_t *h = json_object(), *feeds = json_array(), *dsts = json_array();
		int f;

		for (f = 0; f < BOUCLIER_MAX_FEEDS; f++)
			if ((r->hosts[k].feeds & (1u << f)) && r->in->feeds[f].name[0])
				json_array_append_new(feeds, jstr(r->in->feeds[f].name));
		for (f = 0; f < r->hosts[k].ndsts; f++)
			json_array_append_new(dsts, jstr(r->hosts[k].dsts[f]));
		jset(h, "address", jstr(r->hosts[k].address));
		jset(h, "attempts", ju64(r->hosts[k].attempts));
		jset(h, "feeds", feeds);
		jset(h, "destinations", dsts);
		jset(h, "behind_nat", json_boolean(r->hosts[k].natted));
		json_array_append_new(a, h);
	}
	jset(x, "inside_hosts", a);
	jset(fig, "outbound", x);
	/* detection: its attacks are counted in attacks too */
	x = json_object();
	jset(x, "mode", jstr(r->in->detect_mode == DETECT_OFF ? "off"
			     : r->in->detect_mode == DETECT_MONITOR ? "monitor" : "ban"));
	jset(x, "attacks", ju64(r->det_attacks));
	for (k = 0; k < BOUCLIER_DT_MAX; k++)
		jset(x, detect_count_name(k), ju64(r->detect[k]));
	a = json_array();
	for (k = 0; k < r->ndet_top; k++)
		json_array_append_new(a, detect_json(&r->det_top[k], r->now));
	jset(x, "latest", a);
	jset(fig, "detected", x);
	a = json_array();
	for (k = 0; k < r->nhours; k++)
		json_array_append_new(a, jset(jset(json_object(), "hour",
						   json_integer(r->hour_label[k])),
					      "attacks", ju64(r->hourly[k])));
	jset(fig, "hourly", a);
	a = json_array();
	for (k = 0; k < WEATHER_DAYS; k++)
		if (r->day_known[k])
			json_array_append_new(a, jset(jset(jset(json_object(), "date",
								jstr(r->day_label[k])),
							   "attacks", r->day_attacks[k]
									  ? ju64(r->days[k])
									  : json_null()),
						      "packets", ju64(r->days_packets[k])));
	jset(fig, "last_30_days", a);
	jset(j, "figures", fig);
	json_print(f, j);
}
