/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * weather_input.h - weather inputs for the tests: a local time in a named
 * time zone, a slot with N drops, a winput around them, a whole day of
 * each level as a report has to show it, and a report rendered as a
 * string.
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

/* A day of each level (LEVEL_UNKNOWN too) with everything a page has to
 * hold: a town with France's longest commune name, 30 days of history
 * (light rain, tornado, sunny: the usual decides) or 3 (storm: too young,
 * fixed thresholds), 3,000,000 attacks and 300 MB on the tornado day, IPv6
 * sources, long feed names, two machines of the town calling listed
 * servers.  Saturday 28 November 2026, 14:05, Europe/Paris. */
struct level_day {
	struct wslot slots[31 * 24];
	struct wsource sources[WEATHER_TOP];
	struct woutbound outbound[3];
	struct winput in;
	struct wreport r;
};

static inline void level_day(struct level_day *d, enum level l)
{
	static const char *const addrs[WEATHER_TOP] = {
		"2001:db8:4d2c:ffff:1234:5678:9abc:def0", "198.51.100.7", "203.0.113.250",
		"2001:db8::bad:cafe", "192.0.2.77", "198.51.100.123", "203.0.113.5",
		"2001:db8:ffff:ffff:ffff:ffff:ffff:fffe", "192.0.2.1", "198.51.100.254" };
	time_t now = local("Europe/Paris", 2026, 11, 28, 14, 5);
	__u64 per_hour = l == LEVEL_SUNNY ? 2 : l == LEVEL_STORM ? 10 : 50;
	__u64 today = l == LEVEL_SUNNY ? 0 : l == LEVEL_LIGHT_RAIN ? 700
		    : l == LEVEL_STORM ? 4321 : l == LEVEL_TORNADO ? 3000000 : 612;
	int days = l == LEVEL_STORM ? 3 : 30, day, h, k;
	size_t n = 0;

	memset(d, 0, sizeof(*d));
	for (day = 1; day <= days; day++)
		for (h = 0; h < 24; h++)
			d->slots[n++] = slot_at(local("Europe/Paris", 2026, 11, 28 - day, h, 0),
						per_hour);
	for (h = 0; h <= 14 && today; h++) {
		d->slots[n] = slot_at(local("Europe/Paris", 2026, 11, 28, h, 0),
				      today / 15 + (h < (int)(today % 15)));
		/* the services: ssh most, then rdp, then the web */
		d->slots[n].ports[BOUCLIER_PORT_SSH] = d->slots[n].pkts / 2;
		d->slots[n].ports[BOUCLIER_PORT_RDP] = d->slots[n].pkts / 4;
		d->slots[n].ports[BOUCLIER_PORT_HTTPS] = d->slots[n].pkts / 8;
		d->slots[n].ports[BOUCLIER_PORT_SMB] = d->slots[n].pkts / 16;
		d->slots[n].ports[BOUCLIER_PORT_OTHER] = d->slots[n].pkts / 16;
		d->slots[n].sets[1] = d->slots[n].pkts / 3;
		d->slots[n].sets[2] = d->slots[n].pkts - d->slots[n].pkts / 3;
		/* 40 new sources an hour (so about 600 today), fewer than attacks */
		for (k = 0; k < 40 && (__u64)k < d->slots[n].pkts; k++)
			bouclier_hll_add(d->slots[n].hll,
					 bouclier_hll_hash(0, 0xffff00000000ULL |
							      (0xc6330000u + h * 40 + k)));
		d->slots[n].has_hll = 1;
		/* a tenth of them detected by their behaviour: two sources an
		 * hour banned, one spared as a peer of the town */
		d->slots[n].det_attacks = d->slots[n].attacks / 10;
		d->slots[n].detect[BOUCLIER_DT_BANNED] = 2;
		d->slots[n].detect[BOUCLIER_DT_SPARED_PEER] = 1;
		d->slots[n].has_detect = 1;
		n++;
	}
	input(&d->in, now, d->slots, n);
	d->in.detect_mode = DETECT_BAN;
	snprintf(d->in.town, sizeof(d->in.town), "%s",
		 "Saint-Remy-en-Bouzemont-Saint-Genest-et-Isson");
	d->in.absolute = 0;
	d->in.thresholds[1] = 1000;
	d->in.thresholds[2] = 10000;
	d->in.nfeeds = 2;
	strcpy(d->in.feeds[1].name, "spamhaus-drop-extended");
	strcpy(d->in.feeds[1].category, "hijacked-netblocks");
	d->in.set_feeds[2] = 2;
	for (k = 0; today && k < WEATHER_TOP; k++) {
		snprintf(d->sources[k].addr, sizeof(d->sources[k].addr), "%s", addrs[k]);
		d->sources[k].set = 1 + k % 2;
		d->sources[k].samples = 1000 - k * 50;
		d->sources[k].last = now / BOUCLIER_SLOT_SECONDS;
	}
	d->in.sources = d->sources;
	d->in.nsources = today ? WEATHER_TOP : 0;
	if (l == LEVEL_TORNADO) {
		static const char *const inside[3] = { "10.10.0.23", "2001:db8:10::23",
						       "10.10.0.23" };

		for (k = 0; k < 3; k++) {
			snprintf(d->outbound[k].inside, sizeof(d->outbound[k].inside), "%s",
				 inside[k]);
			snprintf(d->outbound[k].dst, sizeof(d->outbound[k].dst), "203.0.113.%d",
				 66 + k);
			d->outbound[k].attempts = 1200 + k;
			d->outbound[k].set = 2;
			d->outbound[k].slot = now / BOUCLIER_SLOT_SECONDS;
			d->slots[n - 1].out_pkts += 1200 + k;
		}
		d->in.outbound = d->outbound;
		d->in.noutbound = 3;
	}
	if (l == LEVEL_UNKNOWN) {
		d->in.attached = 0;
		d->in.down_reason = "the filter is not running on any interface";
	}
	weather_compute(&d->in, &d->r);
}

/* r as "text", "ascii" (text for a terminal that is not UTF-8), "html" or
 * "json", in lang, into a string the caller frees.  Not inlined: gcc 12
 * then takes the string for a pointer to this function's own variable
 * (-Wdangling-pointer). */
__attribute__((noinline, unused)) static char *weather_render(const struct wreport *r,
								 const char *fmt, const char *lang)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort(); /* a test without memory proves nothing */
	if (!strcmp(fmt, "html"))
		weather_html(f, r, lang);
	else if (!strcmp(fmt, "json"))
		weather_json(f, r);
	else
		weather_text(f, r, lang, !strcmp(fmt, "text"));
	fclose(f);
	return buf;
}

#endif
