/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * weather_input.h - weather inputs for the tests: a local time in a named
 * time zone, a slot with N drops, a winput around them.
 */
#ifndef BOUCLIER_TEST_WEATHER_INPUT_H
#define BOUCLIER_TEST_WEATHER_INPUT_H

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "weather/weather.h"

static inline time_t local(const char *tz, int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			 .tm_min = mi, .tm_isdst = -1 };

	setenv("TZ", tz, 1);
	tzset();
	return mktime(&tm);
}

/* A slot as the kernel counts it, here one attack a packet. */
static inline struct wslot slot_at(time_t t, __u64 pkts)
{
	struct wslot s = { .slot = (__u64)t / BOUCLIER_SLOT_SECONDS, .pkts = pkts,
			   .bytes = pkts * 100, .attacks = pkts, .has_attacks = 1 };

	s.proto[BOUCLIER_P_TCP] = pkts;
	s.ports[BOUCLIER_PORT_SSH] = pkts;
	s.sets[1] = pkts;
	return s;
}

static inline void input(struct winput *in, time_t now, struct wslot *slots, size_t n)
{
	memset(in, 0, sizeof(*in));
	in->now = now;
	strcpy(in->town, "Testville");
	in->thresholds[0] = 1;
	in->thresholds[1] = 10;
	in->thresholds[2] = 100;
	in->absolute = 1; /* the tests of the usual clear it */
	in->storm_floor = 20;
	in->tornado_floor = 200;
	in->flood_sources = 1000;
	in->stale_after = 3600;
	in->attached = 1;
	in->lists_loaded_at = now - 60;
	in->nfeeds = 1;
	strcpy(in->feeds[0].name, "scanners");
	strcpy(in->feeds[0].category, "scanners");
	in->set_feeds[1] = 1;
	in->slots = slots;
	in->nslots = n;
}

#endif
