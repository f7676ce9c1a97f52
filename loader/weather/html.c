// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* html.c - the weather as one page for officials: inline CSS and SVG, no
 * script, nothing fetched, every outside text through html_esc().  The level
 * and what to do come first; the page fits a phone (360 CSS px) as well as
 * a desktop, as tests/system/test_report.c checks in Chromium. */
#include <math.h>
#include <string.h>
#include "names.h"
#include "out.h"
#include "weather.h"
static void svg_picture(FILE *f, enum level l)
{
	fputs("<svg class=\"pic\" viewBox=\"0 0 200 160\" width=\"200\" height=\"160\" "
	      "aria-hidden=\"true\">", f);
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

/* The level's colours, as a vigilance map has them: grey when unknown, then
 * green, yellow, orange, red; a pale shade behind text, a strong one for the
 * band and the legend's swatch. */
static const char *const level_class[LEVEL_MAX + 1] = { "unknown", "sunny", "rain", "storm",
							"tornado" };

static const char *css =
	"*{box-sizing:border-box}"
	"body{font-family:sans-serif;line-height:1.4;margin:0;color:#1a1a1a;background:#fff;"
	"overflow-wrap:break-word}"
	"main{max-width:760px;margin:0 auto;padding:1em}"
	"h1{font-size:1.3em;margin:.2em 0}h1 span{font-weight:normal}"
	"h2{font-size:1.15em;margin:1.4em 0 .4em}"
	".when{margin:0;color:#4a4a4a}"
	".level{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.2em 1em;"
	"align-items:center;margin:1em 0;padding:.8em;border-left:8px solid;border-radius:6px}"
	".pic{width:4.5em;height:auto}"
	".name{font-size:clamp(1.5em,7.5vw,2.2em);font-weight:bold;margin:0;line-height:1.1;"
	"overflow-wrap:anywhere}"
	".name::first-letter{text-transform:uppercase}"
	".advice{grid-column:1/-1;font-size:1.15em;font-weight:bold;margin:.4em 0 0}"
	".why{grid-column:1/-1;margin:.3em 0 0}"
	"@media(min-width:600px){h1{font-size:1.5em}.level{padding:1em;border-left-width:10px}"
	".pic{width:11em;grid-row:1/span 3}"
	".advice,.why{grid-column:2}}"
	".l-unknown{background:#eceef1;border-color:#5f6670}"
	".l-sunny{background:#e6f4e7;border-color:#2e7d32}"
	".l-rain{background:#fff6cc;border-color:#e0b400}"
	".l-storm{background:#ffe8cc;border-color:#e67700}"
	".l-tornado{background:#fde0de;border-color:#c62828}"
	".alert{background:#fde0de;border-left:6px solid #c62828;padding:.6em 1em}"
	".down{font-size:1.1em;color:#8b0000}"
	".big{font-size:1.3em;margin:.6em 0 .2em}"
	".def,.note{color:#4a4a4a;font-size:.95em;margin:.2em 0}"
	".cmp{margin:.5em 0}.cmp p{margin:.4em 0 .1em;display:flex;justify-content:space-between;"
	"gap:1em}.cmp b{white-space:nowrap}"
	".bar{height:.8em;background:#e4e7eb;border-radius:3px}"
	".bar i{display:block;height:100%;min-width:3px;background:#3b6fb6;border-radius:3px}"
	"table{width:100%;border-collapse:collapse}"
	"td,th{padding:.3em .5em;border-bottom:1px solid #ccc;text-align:left;vertical-align:top;"
	"overflow-wrap:anywhere}"
	"th{font-weight:bold}.n{text-align:right;white-space:nowrap}"
	"td small{display:block;color:#4a4a4a}"
	"figure{margin:1.4em 0}figcaption{font-weight:bold;margin-bottom:.3em}"
	".chart{width:100%;height:auto;display:block}.chart text{font-size:13px;fill:#333}"
	"@media(max-width:599px){.chart text{font-size:24px}.chart .minor{display:none}}"
	".legend{list-style:none;padding:0}.legend li{display:flex;gap:.6em;align-items:"
	"flex-start;padding:.4em;border-radius:4px}"
	".legend li.now{outline:2px solid #1a1a1a}"
	".sw{flex:none;width:1em;height:1em;margin-top:.2em;border-radius:2px}"
	".sw.l-unknown{background:#5f6670}.sw.l-sunny{background:#2e7d32}"
	".sw.l-rain{background:#e0b400}.sw.l-storm{background:#e67700}"
	".sw.l-tornado{background:#c62828}";

/* open, then text escaped, then close */
static void tag(FILE *f, const char *open, const char *text, const char *close)
{
	fputs(open, f);
	html_esc(f, text);
	fputs(close, f);
}

/* A bar chart that scales to its column: labels grow and thin out on a
 * narrow screen through the page's CSS, values are in the bars' titles. */
/* counted (may be NULL: all) says which bars have a figure: a day with no
 * history, or recorded before attacks were counted, is a grey stub titled
 * so, never a quiet day. */
static void svg_bars(FILE *f, const __u64 *v, const int *counted, int n,
		     const char *const *labels, int every, const char *lang, const char *title)
{
	const struct words *wd = weather_words(lang);
	const int w = 640, top = 24, h = 150, foot = 30;
	char num[WEATHER_NUMLEN];
	__u64 max = 1;
	int k, bw;

	for (k = 0; k < n; k++)
		max = v[k] > max ? v[k] : max;
	bw = (w - 4) / n;
	tag(f, "<figure><figcaption>", title, "</figcaption>");
	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\">"
		   "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>"
		   "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
		   "<text x=\"2\" y=\"%d\">%s</text>",
		w, top + h + foot, top + h, w, top + h, top, w, top, top - 6,
		weather_num(num, sizeof(num), max, lang));
	for (k = 0; k < n; k++) {
		int bh = (int)((double)v[k] / max * h);

		if (counted && !counted[k]) {
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"4\" "
				   "fill=\"#c8c8c8\"><title>%s: %s</title></rect>", 2 + k * bw,
				top + h - 4, bw > 3 ? bw - 2 : 1, labels[k], wd->no_figure);
		} else {
			fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				   "fill=\"#3b6fb6\"><title>%s: %s</title></rect>", 2 + k * bw,
				top + h - bh, bw > 3 ? bw - 2 : 1, bh, labels[k],
				weather_num(num, sizeof(num), v[k], lang));
		}
		if (k % every == 0)
			fprintf(f, "<text x=\"%d\" y=\"%d\"%s>%s</text>", 2 + k * bw, top + h + 24,
				k % (2 * every) ? " class=\"minor\"" : "", labels[k]);
	}
	fputs("</svg></figure>\n", f);
}

/* The picture, the level, what to do, and why: the first screen of a phone. */
static void level(FILE *f, const struct wreport *r, const char *lang)
{
	char why[1024];

	fprintf(f, "<section class=\"level l-%s\">", level_class[r->level + 1]);
	svg_picture(f, r->level);
	tag(f, "<p class=\"name\">", weather_level_name(r->level, lang), "</p>");
	tag(f, "<p class=\"advice\">", weather_advice(r, lang), "</p>");
	if (weather_why(r, lang, why, sizeof(why)))
		tag(f, "<p class=\"why\">", why, "</p>");
	fputs("</section>\n", f);
}

static void compare_row(FILE *f, const char *label, double v, double max, const char *lang)
{
	char num[WEATHER_NUMLEN];

	tag(f, "<p><span>", label, "</span>");
	fprintf(f, "<b>%s</b></p><div class=\"bar\"><i style=\"width:%.1f%%\"></i></div>",
		weather_dec(num, sizeof(num), v, 0, lang), max > 0 ? 100 * v / max : 0);
}

/* Today against the town's usual day by the same time, or why there is no
 * usual day yet, and the thresholds that decide meanwhile. */
static void trend(FILE *f, const struct wreport *r, const char *lang)
{
	const struct words *w = weather_words(lang);
	const struct wlevels *lv = &r->levels;
	char a[WEATHER_NUMLEN], b[WEATHER_NUMLEN], c[WEATHER_NUMLEN], line[512], when[16];
	double today = (double)r->attacks, max = today;

	if (r->level == LEVEL_UNKNOWN)
		return;
	tag(f, "<section class=\"trend\"><h2>", w->trend, "</h2>");
	if (lv->known_days >= WEATHER_USUAL_DAYS) {
		max = lv->usual > max ? lv->usual : max;
		max = lv->max > max ? lv->max : max;
		weather_time(r->now, when, sizeof(when), "%H:%M");
		fputs("<div class=\"cmp\">", f);
		snprintf(line, sizeof(line), w->today_by, when);
		compare_row(f, line, today, max, lang);
		snprintf(line, sizeof(line), w->usual_by, weather_usual_day(r, lang));
		compare_row(f, line, lv->usual, max, lang);
		compare_row(f, w->busiest_by, lv->max, max, lang);
		fputs("</div>", f);
	} else {
		snprintf(line, sizeof(line), w->young, lv->known_days, WEATHER_USUAL_DAYS);
		tag(f, "<p class=\"note\">", line, "</p>");
	}
	if (lv->basis != BASIS_USUAL) {
		snprintf(line, sizeof(line), w->fixed,
			 weather_num(a, sizeof(a), r->thresholds[0], lang),
			 weather_num(b, sizeof(b), r->thresholds[1], lang),
			 weather_num(c, sizeof(c), r->thresholds[2], lang));
		tag(f, "<p class=\"note\">", line, "</p>");
	}
	fputs("</section>\n", f);
}

static void figure_row(FILE *f, const char *label, const char *value)
{
	tag(f, "<tr><th>", label, "</th>");
	tag(f, "<td class=\"n\">", value, "</td></tr>");
}

static void figures(FILE *f, const struct wreport *r, const char *lang)
{
	const struct words *w = weather_words(lang);
	char num[WEATHER_NUMLEN];

	fputs("<table class=\"figures\">", f);
	figure_row(f, w->attacks, weather_num(num, sizeof(num), r->attacks, lang));
	figure_row(f, w->packets, weather_num(num, sizeof(num), r->packets, lang));
	figure_row(f, w->volume, weather_bytes(num, sizeof(num), r->bytes, lang));
	figure_row(f, w->sources, weather_num(num, sizeof(num), r->distinct, lang));
	if (r->yesterday_known)
		figure_row(f, w->yesterday, weather_num(num, sizeof(num), r->yesterday, lang));
	if (r->week_days)
		figure_row(f, w->week, weather_dec(num, sizeof(num), r->week_average, 0, lang));
	fputs("</table>\n", f);
}

/* An address that breaks after its colons, not inside a group, on a
 * narrow screen. */
static void html_addr(FILE *f, const char *a)
{
	char seg[64];
	const char *c;

	for (; (c = strchr(a, ':')); a = c + 1) {
		snprintf(seg, sizeof(seg), "%.*s", (int)(c - a + 1), a);
		html_esc(f, seg);
		fputs("<wbr>", f);
	}
	html_esc(f, a);
}

/* The most targeted services, the top sources, the feeds that dropped. */
static void lists(FILE *f, const struct wreport *r, const char *lang)
{
	const struct words *w = weather_words(lang);
	char num[WEATHER_NUMLEN];
	int order[BOUCLIER_PORTS], n, k;

	n = weather_top_services(r, order, BOUCLIER_PORTS);
	if (n) {
		tag(f, "<h2>", w->ports, "</h2><table class=\"services\">");
		for (k = 0; k < n; k++) {
			tag(f, "<tr><td>", service_name(order[k]), "</td>");
			tag(f, "<td class=\"n\">", weather_num(num, sizeof(num),
							       r->ports[order[k]], lang),
			    "</td></tr>");
		}
		fputs("</table>\n", f);
	}
	/* one column of text a row, the feed under the address: nothing for a
	 * narrow screen to squeeze but the text itself */
	if (r->ntop) {
		tag(f, "<h2>", w->top, "</h2><table class=\"sources\">");
		for (k = 0; k < r->ntop; k++) {
			fprintf(f, "<tr><td class=\"n\">%d</td><td>", k + 1);
			html_addr(f, r->top[k].addr);
			tag(f, "<small>", w->listed_by, " ");
			tag(f, "", weather_feed_of(r, r->top[k].set), "</small></td></tr>");
		}
		fputs("</table>\n", f);
	}
	tag(f, "<h2>", w->feeds, "</h2><table class=\"feeds\">");
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (r->in->feeds[k].name[0] &&
		    (k != BOUCLIER_FEED_BAN || r->feed_packets[k])) {
			tag(f, "<tr><td>", r->in->feeds[k].name, "");
			tag(f, "<small>", weather_category(r->in->feeds[k].category, lang),
			    "</small></td>");
			tag(f, "<td class=\"n\">", weather_num(num, sizeof(num),
							       r->feed_packets[k], lang),
			    "</td></tr>");
		}
	fputs("</table>\n", f);
}

/* Every level and what it means, today's marked: the map's legend. */
static void legend(FILE *f, const struct wreport *r, const char *lang)
{
	const struct words *w = weather_words(lang);
	int k;

	tag(f, "<h2>", w->legend, "</h2><ul class=\"legend\">");
	for (k = 0; k <= LEVEL_MAX; k++) {
		int l = k < LEVEL_MAX ? k : LEVEL_UNKNOWN; /* unknown last */

		fprintf(f, "<li%s><span class=\"sw l-%s\"></span><span>",
			l == (int)r->level ? " class=\"now\"" : "", level_class[l + 1]);
		tag(f, "<b>", weather_level_name(l, lang), "</b> ");
		html_esc(f, weather_level_advice(l, lang));
		fputs("</span></li>", f);
	}
	fputs("</ul>\n", f);
}

void weather_html(FILE *f, const struct wreport *r, const char *lang)
{
	const struct words *w = weather_words(lang);
	char when[64], out[1024], num[WEATHER_NUMLEN], hours[25][8];
	const char *days[WEATHER_DAYS], *hl[25];
	int k;

	for (k = 0; k < WEATHER_DAYS; k++)
		days[k] = r->day_label[k] + 5; /* MM-DD */
	for (k = 0; k < r->nhours; k++) {
		snprintf(hours[k], sizeof(hours[k]), "%02dh", r->hour_label[k]);
		hl[k] = hours[k];
	}
	weather_time(r->now, when, sizeof(when), "%Y-%m-%d %H:%M");
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		   "<title>", w->lang);
	html_esc(f, r->town);
	fprintf(f, " — %s</title><style>%s</style></head><body><main>\n<header><h1>", w->title,
		css);
	html_esc(f, r->town);
	tag(f, " <span>— ", w->title, "</span></h1>");
	tag(f, "<p class=\"when\">", when, " (");
	html_esc(f, r->tz);
	fputs(")</p></header>\n", f);
	level(f, r, lang);
	if (r->level == LEVEL_UNKNOWN) {
		tag(f, "<p class=\"down\"><b>", w->unknown_why, "</b>");
		tag(f, "", w->colon, " ");
		html_esc(f, weather_reason(r->reason, lang));
		fputs("</p>\n", f);
	}
	if (weather_outbound_sentence(r, lang, out, sizeof(out))) {
		tag(f, "<p class=\"alert\"><b>", out, ".</b> ");
		tag(f, "", weather_outbound_todo(r, lang), "</p>\n");
	}
	tag(f, "<p class=\"big\"><b>", weather_num(num, sizeof(num), r->attacks, lang), "</b> ");
	fprintf(f, "%s %s", w->attacks, w->since);
	if (r->attacks_upper_bound)
		tag(f, " (", w->upper_bound, ")");
	tag(f, "</p><p class=\"def\">", weather_attack_definition(lang), "</p>\n");
	if (weather_detect_sentence(r, lang, out, sizeof(out)))
		tag(f, "<p class=\"def\">", out, ".</p>\n");
	trend(f, r, lang);
	figures(f, r, lang);
	lists(f, r, lang);
	if (weather_monitor_sentence(r, lang, out, sizeof(out)))
		tag(f, "<p class=\"note\">", out, ".</p>\n");
	svg_bars(f, r->hourly, NULL, r->nhours, hl, 3, lang, w->hourly);
	svg_bars(f, r->days, r->day_attacks, WEATHER_DAYS, days, 5, lang, w->last_days);
	legend(f, r, lang);
	fputs("</main></body></html>\n", f);
}
