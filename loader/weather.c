// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "weather.h"

static const char *const names_en[] = { "sunny", "light rain", "storm", "tornado" };
static const char *const names_fr[] = { "ensoleillé", "averses", "orage", "tornade" };
static const char *const port_names[BOUCLIER_PORTS] = {
	"other", "ssh", "telnet", "smtp", "dns", "http", "https", "smb",
	"mssql", "mysql", "rdp", "sip", "vnc", "http-alt",
};

const char *weather_level_name(enum level l, const char *lang)
{
	int fr = lang && !strcmp(lang, "fr");

	if (l < LEVEL_SUNNY || l > LEVEL_TORNADO)
		return fr ? "inconnu" : "unknown";
	return fr ? names_fr[l] : names_en[l];
}

const char *weather_port_name(int port)
{
	return port >= 0 && port < BOUCLIER_PORTS ? port_names[port] : "?";
}

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

int weather_slots_merge(struct wslot **v, size_t *n, const struct wslot *s)
{
	struct wslot *nv;
	size_t i;

	for (i = 0; i < *n; i++) {
		if ((*v)[i].slot != s->slot)
			continue;
		/* Counters reset (detach, reboot) leave a smaller copy: keep the larger. */
		if (s->pkts > (*v)[i].pkts || (s->pkts == (*v)[i].pkts && s->has_hll))
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

void weather_compute(const struct winput *in, struct wreport *r)
{
	__u8 hll[BOUCLIER_HLL_REGS] = { 0 };
	__u64 first, last, first_y;
	size_t i;
	int d, k, f, any_hll = 0;
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

		if (s->slot >= first_y && s->slot < first)
			r->yesterday += s->pkts;
		if (s->slot < first || s->slot > last)
			continue;
		r->attacks += s->pkts;
		r->bytes += s->bytes;
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
			for (f = 0; f < BOUCLIER_MAX_FEEDS; f++)
				if (in->set_feeds[k] & (1u << f))
					r->feed_attacks[f] += s->sets[k];
		}
		if (s->has_hll) {
			any_hll = 1;
			for (k = 0; k < BOUCLIER_HLL_REGS; k++)
				hll[k] = hll[k] > s->hll[k] ? hll[k] : s->hll[k];
		}
		d = (int)((slot_start(s->slot, in->clock_offset) - r->midnight) / 3600);
		if (d < 0)
			d = 0;
		if (d < r->nhours)
			r->hourly[d] += s->pkts;
	}
	r->distinct = any_hll ? (__u64)(weather_hll_estimate(hll) + 0.5) : 0;

	/* Day by day over 30 days, and the 7 before today. */
	for (d = 0; d < WEATHER_DAYS; d++) {
		time_t m0 = local_midnight(in->now, d - (WEATHER_DAYS - 1));
		time_t m1 = local_midnight(in->now, d - (WEATHER_DAYS - 2));
		__u64 a = slot_of(m0, in->clock_offset), b = slot_of(m1, in->clock_offset);
		struct tm tm;

		localtime_r(&m0, &tm);
		strftime(r->day_label[d], sizeof(r->day_label[d]), "%Y-%m-%d", &tm);
		for (i = 0; i < in->nslots; i++)
			if (in->slots[i].slot >= a && in->slots[i].slot < b) {
				r->days[d] += in->slots[i].pkts;
				r->day_known[d] = 1;
			}
	}
	r->day_known[WEATHER_DAYS - 1] = 1;
	for (d = WEATHER_DAYS - 8; d < WEATHER_DAYS - 1; d++)
		if (r->day_known[d]) {
			r->week_average += r->days[d];
			r->week_days++;
		}
	if (r->week_days)
		r->week_average /= r->week_days;

	for (i = 0; i < in->nsources; i++)
		if (in->sources[i].last >= (__u32)first) {
			if (r->ntop < WEATHER_TOP) {
				r->top[r->ntop++] = in->sources[i];
			} else if (in->sources[i].samples > r->top[WEATHER_TOP - 1].samples) {
				r->top[WEATHER_TOP - 1] = in->sources[i];
			} else {
				continue;
			}
			qsort(r->top, r->ntop, sizeof(r->top[0]), cmp_top);
		}

	r->lists_age = in->lists_loaded_at && (__u64)in->now > in->lists_loaded_at
			       ? (__u64)in->now - in->lists_loaded_at : 0;
	if (!in->attached) {
		r->level = LEVEL_UNKNOWN;
		r->reason = "the filter is not attached or its counters cannot be read";
	} else if (!in->lists_loaded_at) {
		r->level = LEVEL_UNKNOWN;
		r->reason = "no blocklist is loaded";
	} else if ((long)r->lists_age > in->stale_after) {
		r->level = LEVEL_UNKNOWN;
		r->reason = "the blocklists are stale: no successful refresh within stale_after";
	} else if (r->attacks >= (__u64)in->thresholds[2]) {
		r->level = LEVEL_TORNADO;
	} else if (r->attacks >= (__u64)in->thresholds[1]) {
		r->level = LEVEL_STORM;
	} else if (r->attacks >= (__u64)in->thresholds[0] && r->attacks) {
		r->level = LEVEL_LIGHT_RAIN;
	} else {
		r->level = LEVEL_SUNNY;
	}
}

/* ---- renderers */

static void fmt_time(time_t t, char *buf, size_t len, const char *fmt)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, fmt, &tm);
}

void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static const char *symbol(enum level l, int utf8)
{
	static const char *const u[] = { "\u2600\ufe0f", "\U0001F326\ufe0f", "\u26c8\ufe0f",
					 "\U0001F32A\ufe0f" };
	static const char *const a[] = { "(sun)", "(rain)", "(storm)", "(tornado)" };

	if (l < LEVEL_SUNNY)
		return utf8 ? "\u2753" : "(?)";
	return utf8 ? u[l] : a[l];
}

struct words {
	const char *title, *since, *attacks, *packets, *sources, *yesterday, *week, *feeds,
		*ports, *top, *hourly, *unknown_why, *none, *approx;
};

static const struct words en = {
	"cyber weather", "since midnight", "attacks blocked", "bytes", "sources (about)",
	"yesterday", "7-day average", "by feed", "most targeted services", "top blocked sources",
	"hour by hour", "why unknown", "none", "about",
};
static const struct words fr = {
	"météo cyber", "depuis minuit", "attaques bloquées", "octets", "sources (environ)",
	"hier", "moyenne sur 7 jours", "par liste", "services les plus visés",
	"sources les plus bloquées", "heure par heure", "pourquoi inconnu", "aucune", "environ",
};

static const char *reason_fr(const char *why)
{
	if (!why)
		return "";
	if (strstr(why, "not attached"))
		return "le filtre n'est pas en place ou ses compteurs sont illisibles";
	if (strstr(why, "no blocklist"))
		return "aucune liste de blocage n'est chargée";
	if (strstr(why, "stale"))
		return "les listes ne sont plus à jour (pas de rafraîchissement récent)";
	return why;
}

static const char *feed_name(const struct wreport *r, __u32 set)
{
	int f;

	for (f = 0; f < BOUCLIER_MAX_FEEDS; f++)
		if (set < BOUCLIER_SLOT_SETS && (r->in->set_feeds[set] & (1u << f)))
			return r->in->feeds[f].name;
	return "";
}

void weather_text(FILE *f, const struct wreport *r, const char *lang, int utf8)
{
	const struct words *w = lang && !strcmp(lang, "fr") ? &fr : &en;
	static const char *const bars[] = { " ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	__u64 max = 0, ports[BOUCLIER_PORTS];
	char when[64];
	int k, shown;

	fmt_time(r->now, when, sizeof(when), "%Y-%m-%d %H:%M");
	fprintf(f, "%s — %s, %s (%s)\n\n", r->town, w->title, when, r->tz);
	fprintf(f, "  %s  %s\n\n", symbol(r->level, utf8), weather_level_name(r->level, lang));
	if (r->level == LEVEL_UNKNOWN)
		fprintf(f, "  %s: %s\n\n", w->unknown_why,
			w == &fr ? reason_fr(r->reason) : r->reason);
	fprintf(f, "  %llu %s %s (%llu %s), %llu %s\n", (unsigned long long)r->attacks, w->attacks,
		w->since, (unsigned long long)r->bytes, w->packets,
		(unsigned long long)r->distinct, w->sources);
	fprintf(f, "  %s: %llu   %s: %.0f\n", w->yesterday, (unsigned long long)r->yesterday,
		w->week, r->week_average);
	fprintf(f, "  %s:", w->feeds);
	for (k = 0, shown = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (r->feed_attacks[k] && r->in->feeds[k].name[0])
			fprintf(f, "%s %s (%s) %llu", shown++ ? "," : "", r->in->feeds[k].name,
				r->in->feeds[k].category, (unsigned long long)r->feed_attacks[k]);
	fprintf(f, "%s\n", shown ? "" : " —");
	fprintf(f, "  %s:", w->ports);
	memcpy(ports, r->ports, sizeof(ports));
	for (shown = 0; shown < 4; shown++) {
		int best = 1;

		for (k = 2; k < BOUCLIER_PORTS; k++)
			if (ports[k] > ports[best])
				best = k;
		if (!ports[best])
			break;
		fprintf(f, "%s %s %llu", shown ? "," : "", weather_port_name(best),
			(unsigned long long)ports[best]);
		ports[best] = 0;
	}
	fprintf(f, "%s\n", shown ? "" : " —");
	if (r->ntop) {
		fprintf(f, "  %s:", w->top);
		for (k = 0; k < r->ntop && k < 5; k++)
			fprintf(f, "%s %s (%s)", k ? "," : "", r->top[k].addr,
				feed_name(r, r->top[k].set));
		fprintf(f, "\n");
	}
	for (k = 0; k < r->nhours; k++)
		max = r->hourly[k] > max ? r->hourly[k] : max;
	fprintf(f, "  %s: ", w->hourly);
	for (k = 0; k < r->nhours; k++) {
		int lvl = max ? (int)((r->hourly[k] * 8 + max - 1) / max) : 0;

		fputs(utf8 ? bars[lvl] : (lvl ? (lvl > 4 ? "#" : "+") : "."), f);
	}
	fprintf(f, " (00h-%02dh)\n", r->hour_label[r->nhours - 1] + 1);
}

void weather_json(FILE *f, const struct wreport *r)
{
	char t[64], m[64];
	int k, first = 1;

	fmt_time(r->now, t, sizeof(t), "%Y-%m-%dT%H:%M:%S%z");
	fmt_time(r->midnight, m, sizeof(m), "%Y-%m-%dT%H:%M:%S%z");
	fprintf(f, "{\"schema\":\"%s\",\"town\":", WEATHER_SCHEMA);
	json_str(f, r->town);
	fprintf(f, ",\"timezone\":");
	json_str(f, r->tz);
	fprintf(f, ",\"generated_at\":\"%s\",\"generated_at_unix\":%lld,\"since\":\"%s\","
		   "\"level\":\"%s\",\"level_fr\":\"%s\",\"reason\":",
		t, (long long)r->now, m, weather_level_name(r->level, "en"),
		weather_level_name(r->level, "fr"));
	if (r->reason)
		json_str(f, r->reason);
	else
		fputs("null", f);
	fprintf(f, ",\"thresholds\":{\"light_rain\":%ld,\"storm\":%ld,\"tornado\":%ld},"
		   "\"lists_age_seconds\":%llu,\"figures\":{\"attacks\":%llu,\"bytes\":%llu,"
		   "\"distinct_sources\":%llu,\"distinct_sources_method\":\"HyperLogLog, 256 "
		   "registers, standard error 6.5%%\",\"yesterday\":%llu,\"last_7_days_average\":%.1f,"
		   "\"by_protocol\":{",
		r->thresholds[0], r->thresholds[1], r->thresholds[2],
		(unsigned long long)r->lists_age, (unsigned long long)r->attacks,
		(unsigned long long)r->bytes, (unsigned long long)r->distinct,
		(unsigned long long)r->yesterday, r->week_average);
	for (k = 0; k < BOUCLIER_P_MAX; k++)
		fprintf(f, "%s\"%s\":%llu", k ? "," : "",
			(const char *[]){ "tcp", "udp", "icmp", "other" }[k],
			(unsigned long long)r->proto[k]);
	fprintf(f, "},\"by_port\":{");
	for (k = 0; k < BOUCLIER_PORTS; k++)
		fprintf(f, "%s\"%s\":%llu", k ? "," : "", weather_port_name(k),
			(unsigned long long)r->ports[k]);
	fprintf(f, "},\"by_feed\":[");
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++) {
		if (!r->in->feeds[k].name[0])
			continue;
		fprintf(f, "%s{\"name\":", first ? "" : ",");
		json_str(f, r->in->feeds[k].name);
		fprintf(f, ",\"category\":");
		json_str(f, r->in->feeds[k].category);
		fprintf(f, ",\"attacks\":%llu}", (unsigned long long)r->feed_attacks[k]);
		first = 0;
	}
	fprintf(f, "],\"top_sources\":[");
	for (k = 0; k < r->ntop; k++) {
		fprintf(f, "%s{\"address\":\"%s\",\"feed\":", k ? "," : "", r->top[k].addr);
		json_str(f, feed_name(r, r->top[k].set));
		fprintf(f, ",\"sampled_drops\":%llu}", (unsigned long long)r->top[k].samples);
	}
	fprintf(f, "],\"hourly\":[");
	for (k = 0; k < r->nhours; k++)
		fprintf(f, "%s{\"hour\":%d,\"attacks\":%llu}", k ? "," : "", r->hour_label[k],
			(unsigned long long)r->hourly[k]);
	fprintf(f, "],\"last_30_days\":[");
	for (k = 0, first = 1; k < WEATHER_DAYS; k++) {
		if (!r->day_known[k])
			continue;
		fprintf(f, "%s{\"date\":\"%s\",\"attacks\":%llu}", first ? "" : ",", r->day_label[k],
			(unsigned long long)r->days[k]);
		first = 0;
	}
	fprintf(f, "]}}\n");
}

static void prom_town(FILE *f, const struct wreport *r)
{
	const char *s;

	fputs("town=\"", f);
	for (s = r->town; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void prom_gauge(FILE *f, const struct wreport *r, const char *name, const char *help,
		       long long v)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n%s{", name, help, name, name);
	prom_town(f, r);
	fprintf(f, "} %lld\n", v);
}

static void prom_verdicts(FILE *f, const struct wreport *r, const char *name, const char *what,
			  const __u64 *v)
{
	static const char *const verdicts[] = { "pass", "drop", "allow", "control", "nonip",
						"malformed" };
	int k;

	fprintf(f, "# HELP %s %s seen by the filter, by verdict.\n# TYPE %s counter\n", name,
		what, name);
	for (k = 0; k < BOUCLIER_V_MAX; k++) {
		fprintf(f, "%s{", name);
		prom_town(f, r);
		fprintf(f, ",verdict=\"%s\"} %llu\n", verdicts[k], (unsigned long long)v[k]);
	}
}

static void prom_feeds(FILE *f, const struct wreport *r, const char *name, const char *what,
		       const __u64 *v)
{
	int k;

	fprintf(f, "# HELP %s %s dropped because a feed lists their source.\n# TYPE %s counter\n",
		name, what, name);
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++) {
		if (!r->in->feeds[k].name[0])
			continue;
		fprintf(f, "%s{", name);
		prom_town(f, r);
		fprintf(f, ",feed=\"%s\",category=\"%s\"} %llu\n", r->in->feeds[k].name,
			r->in->feeds[k].category, (unsigned long long)v[k]);
	}
}

void weather_prom(FILE *f, const struct wreport *r, const struct bouclier_stats *sum,
		  const __u64 *feed_pkts, const __u64 *feed_bytes)
{
	prom_gauge(f, r, "bouclier_up",
		   "1 when the filter is attached and its counters were read.", r->in->attached);
	prom_gauge(f, r, "bouclier_weather_level",
		   "-1 unknown, 0 sunny, 1 light rain, 2 storm, 3 tornado.", r->level);
	prom_gauge(f, r, "bouclier_attacks_today", "Packets dropped since local midnight.",
		   (long long)r->attacks);
	prom_gauge(f, r, "bouclier_distinct_sources_today",
		   "Distinct dropped sources since local midnight (HyperLogLog estimate).",
		   (long long)r->distinct);
	prom_gauge(f, r, "bouclier_lists_age_seconds",
		   "Seconds since the newest feed was loaded.", (long long)r->lists_age);
	if (!sum)
		return;
	prom_verdicts(f, r, "bouclier_packets_total", "Packets", sum->pkts);
	prom_verdicts(f, r, "bouclier_bytes_total", "Bytes", sum->bytes);
	prom_feeds(f, r, "bouclier_feed_dropped_packets_total", "Packets", feed_pkts);
	prom_feeds(f, r, "bouclier_feed_dropped_bytes_total", "Bytes", feed_bytes);
}

/* ---- HTML: one page, inline CSS and SVG, no script, nothing fetched */

static void svg_picture(FILE *f, enum level l)
{
	fputs("<svg viewBox=\"0 0 200 160\" width=\"220\" height=\"176\" role=\"img\">", f);
	if (l == LEVEL_SUNNY || l == LEVEL_LIGHT_RAIN) {
		int cx = l == LEVEL_SUNNY ? 100 : 70, cy = l == LEVEL_SUNNY ? 80 : 55, i;

		for (i = 0; i < 12; i++) {
			double a = i * 3.14159265 / 6;

			fprintf(f, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
				   "stroke=\"#f5b301\" stroke-width=\"6\" stroke-linecap=\"round\"/>",
				cx + 42 * cos(a), cy + 42 * sin(a), cx + 60 * cos(a), cy + 60 * sin(a));
		}
		fprintf(f, "<circle cx=\"%d\" cy=\"%d\" r=\"34\" fill=\"#ffcc1a\"/>", cx, cy);
	}
	if (l == LEVEL_UNKNOWN) {
		fputs("<path d=\"M45 110 a30 30 0 0 1 20 -52 a38 38 0 0 1 72 6 a26 26 0 0 1 8 46 z\" "
		      "fill=\"#b8bec6\"/><text x=\"100\" y=\"102\" font-size=\"54\" "
		      "text-anchor=\"middle\" fill=\"#444\" font-family=\"sans-serif\">?</text>", f);
	} else if (l != LEVEL_SUNNY) {
		const char *cloud = l == LEVEL_LIGHT_RAIN ? "#c9d3dd" : "#5d6b7a";

		fprintf(f, "<path d=\"M40 105 a28 28 0 0 1 18 -50 a36 36 0 0 1 70 4 a25 25 0 0 1 "
			   "10 46 z\" fill=\"%s\"/>", cloud);
		if (l == LEVEL_LIGHT_RAIN)
			fputs("<g stroke=\"#3b8ed8\" stroke-width=\"5\" stroke-linecap=\"round\">"
			      "<line x1=\"70\" y1=\"118\" x2=\"64\" y2=\"134\"/><line x1=\"100\" "
			      "y1=\"118\" x2=\"94\" y2=\"134\"/><line x1=\"130\" y1=\"118\" x2=\"124\" "
			      "y2=\"134\"/></g>", f);
		if (l == LEVEL_STORM)
			fputs("<polygon points=\"98,104 80,136 96,136 86,158 120,120 102,120 "
			      "114,104\" fill=\"#ffd200\"/><g stroke=\"#3b8ed8\" stroke-width=\"5\" "
			      "stroke-linecap=\"round\"><line x1=\"60\" y1=\"116\" x2=\"52\" "
			      "y2=\"136\"/><line x1=\"140\" y1=\"116\" x2=\"132\" y2=\"136\"/></g>", f);
		if (l == LEVEL_TORNADO)
			fputs("<g stroke=\"#3c3f45\" stroke-width=\"7\" stroke-linecap=\"round\">"
			      "<line x1=\"62\" y1=\"112\" x2=\"138\" y2=\"112\"/><line x1=\"72\" "
			      "y1=\"124\" x2=\"128\" y2=\"124\"/><line x1=\"84\" y1=\"136\" x2=\"118\" "
			      "y2=\"136\"/><line x1=\"96\" y1=\"148\" x2=\"110\" y2=\"148\"/></g>", f);
	}
	fputs("</svg>", f);
}

static void svg_bars(FILE *f, const __u64 *v, int n, const char *const *labels,
		     const int *numlabels, const char *title)
{
	__u64 max = 1;
	int k, w = 640, h = 160, bw;

	for (k = 0; k < n; k++)
		max = v[k] > max ? v[k] : max;
	bw = (w - 40) / n;
	fprintf(f, "<figure><figcaption>%s</figcaption><svg viewBox=\"0 0 %d %d\" width=\"100%%\" "
		   "role=\"img\"><line x1=\"30\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
		   "<text x=\"2\" y=\"14\" font-size=\"10\">%llu</text>",
		title, w, h + 24, h, w, h, (unsigned long long)max);
	for (k = 0; k < n; k++) {
		int bh = (int)((double)v[k] / max * (h - 10));

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#3b6fb6\">"
			   "<title>%llu</title></rect>",
			32 + k * bw, h - bh, bw > 3 ? bw - 2 : 1, bh, (unsigned long long)v[k]);
		if (labels && (n <= 10 || k % 5 == 0))
			fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"9\">%s</text>", 32 + k * bw,
				h + 14, labels[k] + 5);
		if (numlabels && (k % 3 == 0))
			fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"9\">%02dh</text>", 32 + k * bw,
				h + 14, numlabels[k]);
	}
	fputs("</svg></figure>", f);
}

static void html_esc(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
}

void weather_html(FILE *f, const struct wreport *r, const char *lang)
{
	const struct words *w = lang && !strcmp(lang, "fr") ? &fr : &en;
	static const char *const colors[] = { "#fff6d6", "#e3eef8", "#d9dde4", "#e9d6d6" };
	const char *labels[WEATHER_DAYS];
	char when[64];
	int k;

	for (k = 0; k < WEATHER_DAYS; k++)
		labels[k] = r->day_label[k];
	fmt_time(r->now, when, sizeof(when), "%Y-%m-%d %H:%M");
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		   "<title>", w == &fr ? "fr" : "en");
	html_esc(f, r->town);
	fprintf(f, " — %s</title><style>body{font-family:sans-serif;margin:2em auto;max-width:"
		   "760px;color:#222;background:%s}h1{font-size:1.6em}.level{display:flex;"
		   "align-items:center;gap:1.5em}.level b{font-size:2.6em;text-transform:"
		   "capitalize}table{border-collapse:collapse;margin:1em 0}td,th{padding:.3em .8em;"
		   "border-bottom:1px solid #ccc;text-align:left}td.n{text-align:right}figure{margin:"
		   "1.5em 0}figcaption{font-weight:bold;margin-bottom:.4em}.why{color:#a00}"
		   "</style></head><body>\n<h1>", w->title,
		r->level >= LEVEL_SUNNY ? colors[r->level] : "#eeeeee");
	html_esc(f, r->town);
	fprintf(f, " — %s</h1><p>%s (%s)</p>\n<div class=\"level\">", w->title, when, r->tz);
	svg_picture(f, r->level);
	fprintf(f, "<div><b>%s</b><p>%llu %s %s</p></div></div>\n",
		weather_level_name(r->level, lang), (unsigned long long)r->attacks, w->attacks,
		w->since);
	if (r->level == LEVEL_UNKNOWN)
		fprintf(f, "<p class=\"why\">%s: %s</p>", w->unknown_why,
			w == &fr ? reason_fr(r->reason) : r->reason);
	fprintf(f, "<table><tr><th>%s</th><td class=\"n\">%llu</td></tr><tr><th>%s</th>"
		   "<td class=\"n\">%llu</td></tr><tr><th>%s</th><td class=\"n\">%llu</td></tr>"
		   "<tr><th>%s</th><td class=\"n\">%llu</td></tr><tr><th>%s</th><td class=\"n\">"
		   "%.0f</td></tr></table>\n",
		w->attacks, (unsigned long long)r->attacks, w->packets,
		(unsigned long long)r->bytes, w->sources, (unsigned long long)r->distinct,
		w->yesterday, (unsigned long long)r->yesterday, w->week, r->week_average);
	fprintf(f, "<table><tr><th>%s</th><th></th><th class=\"n\"></th></tr>", w->feeds);
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (r->in->feeds[k].name[0]) {
			fputs("<tr><td>", f);
			html_esc(f, r->in->feeds[k].name);
			fputs("</td><td>", f);
			html_esc(f, r->in->feeds[k].category);
			fprintf(f, "</td><td class=\"n\">%llu</td></tr>",
				(unsigned long long)r->feed_attacks[k]);
		}
	fprintf(f, "</table><table><tr><th>%s</th><th class=\"n\"></th></tr>", w->ports);
	for (k = 1; k < BOUCLIER_PORTS; k++)
		if (r->ports[k])
			fprintf(f, "<tr><td>%s</td><td class=\"n\">%llu</td></tr>", weather_port_name(k),
				(unsigned long long)r->ports[k]);
	fputs("</table>\n", f);
	svg_bars(f, r->hourly, r->nhours, NULL, r->hour_label, w->hourly);
	svg_bars(f, r->days, WEATHER_DAYS, labels, NULL, w == &fr ? "30 derniers jours"
								 : "last 30 days");
	fputs("</body></html>\n", f);
}
