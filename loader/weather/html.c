// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* html.c - the weather as one page for officials: inline CSS and SVG, no
 * script, nothing fetched, every outside text through html_esc(). */
#include <math.h>
#include "names.h"
#include "out.h"
#include "weather.h"
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

void weather_html(FILE *f, const struct wreport *r, const char *lang)
{
	const struct words *w = weather_words(lang);
	static const char *const colors[] = { "#fff6d6", "#e3eef8", "#d9dde4", "#e9d6d6" };
	const char *labels[WEATHER_DAYS];
	char when[64], out[1024];
	int k;

	for (k = 0; k < WEATHER_DAYS; k++)
		labels[k] = r->day_label[k];
	weather_time(r->now, when, sizeof(when), "%Y-%m-%d %H:%M");
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		   "<title>", w->lang);
	html_esc(f, r->town);
	fprintf(f, " — %s</title><style>body{font-family:sans-serif;margin:2em auto;max-width:"
		   "760px;color:#222;background:%s}h1{font-size:1.6em}.level{display:flex;"
		   "align-items:center;gap:1.5em}.level b{font-size:2.6em;text-transform:"
		   "capitalize}table{border-collapse:collapse;margin:1em 0}td,th{padding:.3em .8em;"
		   "border-bottom:1px solid #ccc;text-align:left}td.n{text-align:right}figure{margin:"
		   "1.5em 0}figcaption{font-weight:bold;margin-bottom:.4em}.why{color:#a00}"
		   ".alert{background:#fde2e1;border-left:6px solid #c00;padding:.6em 1em}"
		   ".reason{font-size:1.2em;margin:.3em 0}.def{color:#555;font-size:.9em}"
		   "</style></head><body>\n<h1>", w->title,
		r->level >= LEVEL_SUNNY ? colors[r->level] : "#eeeeee");
	html_esc(f, r->town);
	fprintf(f, " — %s</h1><p>%s (", w->title, when);
	html_esc(f, r->tz);
	fputs(")</p>\n<div class=\"level\">", f);
	svg_picture(f, r->level);
	fprintf(f, "<div><b>%s</b>", weather_level_name(r->level, lang));
	if (weather_why(r, lang, out, sizeof(out))) {
		fputs("<p class=\"reason\">", f);
		html_esc(f, out);
		fputs("</p>", f);
	}
	fprintf(f, "<p>%llu %s %s%s%s</p><p class=\"def\">%s</p></div></div>\n",
		(unsigned long long)r->attacks, w->attacks, w->since,
		r->attacks_upper_bound ? " — " : "", r->attacks_upper_bound ? w->upper_bound : "",
		weather_attack_definition(lang));
	if (weather_outbound_sentence(r, lang, out, sizeof(out))) {
		fputs("<p class=\"alert\"><b>", f);
		html_esc(f, out);
		fputs(".</b> ", f);
		html_esc(f, weather_outbound_todo(r, lang));
		fputs("</p>\n", f);
	}
	if (r->level == LEVEL_UNKNOWN) {
		fprintf(f, "<p class=\"why\">%s: ", w->unknown_why);
		html_esc(f, weather_reason(r->reason, lang));
		fputs("</p>", f);
	}
	fprintf(f, "<table><tr><th>%s</th><td class=\"n\">%llu</td></tr><tr><th>%s</th>"
		   "<td class=\"n\">%llu</td></tr><tr><th>%s</th><td class=\"n\">%llu</td></tr>"
		   "<tr><th>%s</th><td class=\"n\">%llu</td></tr>",
		w->attacks, (unsigned long long)r->attacks, w->packets,
		(unsigned long long)r->packets, w->bytes, (unsigned long long)r->bytes, w->sources,
		(unsigned long long)r->distinct);
	if (r->yesterday_known)
		fprintf(f, "<tr><th>%s</th><td class=\"n\">%llu</td></tr>", w->yesterday,
			(unsigned long long)r->yesterday);
	if (r->week_days)
		fprintf(f, "<tr><th>%s</th><td class=\"n\">%.0f</td></tr>", w->week,
			r->week_average);
	fputs("</table>\n", f);
	fprintf(f, "<table><tr><th>%s</th><th></th><th class=\"n\"></th></tr>", w->feeds);
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (r->in->feeds[k].name[0]) {
			fputs("<tr><td>", f);
			html_esc(f, r->in->feeds[k].name);
			fputs("</td><td>", f);
			html_esc(f, r->in->feeds[k].category);
			fprintf(f, "</td><td class=\"n\">%llu</td></tr>",
				(unsigned long long)r->feed_packets[k]);
		}
	fprintf(f, "</table><table><tr><th>%s</th><th class=\"n\"></th></tr>", w->ports);
	for (k = 1; k < BOUCLIER_PORTS; k++)
		if (r->ports[k])
			fprintf(f, "<tr><td>%s</td><td class=\"n\">%llu</td></tr>", service_name(k),
				(unsigned long long)r->ports[k]);
	fputs("</table>\n", f);
	svg_bars(f, r->hourly, r->nhours, NULL, r->hour_label, w->hourly);
	svg_bars(f, r->days, WEATHER_DAYS, labels, NULL, w->last_days);
	fputs("</body></html>\n", f);
}
