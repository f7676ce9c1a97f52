// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* json.c - the weather as JSON (schema bouclier.weather/1), for the
 * observatory and for scripts. */
#include <math.h>
#include "names.h"
#include "out.h"
#include "weather.h"

static json_t *count(const char *key, const char *name, const char *key2, __u64 v)
{
	return jset(jset(json_object(), key, jstr(name)), key2, ju64(v));
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
	jset(j, "reason", jstr(r->reason));
	x = json_object();
	jset(x, "light_rain", json_integer(r->thresholds[0]));
	jset(x, "storm", json_integer(r->thresholds[1]));
	jset(x, "tornado", json_integer(r->thresholds[2]));
	jset(j, "thresholds", x);
	jset(j, "lists_age_seconds", ju64(r->lists_age));

	jset(fig, "attacks", ju64(r->attacks));
	jset(fig, "bytes", ju64(r->bytes));
	jset(fig, "distinct_sources", ju64(r->distinct));
	jset(fig, "distinct_sources_method",
	     jstr("HyperLogLog, 256 registers, standard error 6.5%"));
	jset(fig, "yesterday", ju64(r->yesterday));
	jset(fig, "last_7_days_average", json_real(round(r->week_average * 10) / 10));
	x = json_object();
	for (k = 0; k < BOUCLIER_P_MAX; k++)
		jset(x, proto_name(k), ju64(r->proto[k]));
	jset(fig, "by_protocol", x);
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
		json_array_append_new(a, jset(x, "attacks", ju64(r->feed_attacks[k])));
	}
	jset(fig, "by_feed", a);
	a = json_array();
	for (k = 0; k < r->ntop; k++) {
		x = jset(jset(json_object(), "address", jstr(r->top[k].addr)), "feed",
			 jstr(weather_feed_of(r, r->top[k].set)));
		json_array_append_new(a, jset(x, "sampled_drops", ju64(r->top[k].samples)));
	}
	jset(fig, "top_sources", a);
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
	a = json_array();
	for (k = 0; k < r->nhours; k++)
		json_array_append_new(a, jset(jset(json_object(), "hour",
						   json_integer(r->hour_label[k])),
					      "attacks", ju64(r->hourly[k])));
	jset(fig, "hourly", a);
	a = json_array();
	for (k = 0; k < WEATHER_DAYS; k++)
		if (r->day_known[k])
			json_array_append_new(a, count("date", r->day_label[k], "attacks",
						       r->days[k]));
	jset(fig, "last_30_days", a);
	jset(j, "figures", fig);
	json_print(f, j);
}
