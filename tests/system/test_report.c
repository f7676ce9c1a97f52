// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The weather's outputs checked by the programs that read them (promtool,
 * headless Chromium, JSON parsers), the observatory over a hundred towns and
 * hostile reports, and the level moving on a live filter.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cdp.h"
#include "lab.h"
#include "weather_input.h"

/* Ten minutes before now, unless that was the day before (a test run in
 * the first ten minutes of a day found its attacks counted as yesterday's):
 * then now. */
static time_t earlier_today(time_t now)
{
	time_t t = now - 600;
	struct tm a, b;

	localtime_r(&now, &a);
	localtime_r(&t, &b);
	return a.tm_yday == b.tm_yday ? t : now;
}

static void report_file(const char *path, const char *fmt, time_t now, __u64 attacks,
			const char *town)
{
	struct wslot s = slot_at(earlier_today(now), attacks);
	struct winput in;
	struct wreport r;
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	input(&in, now, &s, 1);
	snprintf(in.town, sizeof(in.town), "%s", town);
	weather_compute(&in, &r);
	if (!strcmp(fmt, "prom")) {
		struct stats st = { .sum = { .pkts = { 5, attacks } } };

		st.feed_pkts[0] = attacks;
		st.feed_bytes[0] = attacks * 100;
		strcpy(in.feeds[0].category, "bad\"cat\\egory"); /* as a hand-edited state could */
		weather_prom(f, &r, &st);
	} else {
		weather_json(f, &r);
	}
	fclose(f);
}

Test(report, prometheus_output_passes_promtool)
{
	char path[128], cmd[256];

	if (system("command -v promtool >/dev/null"))
		cr_skip_test("promtool is not installed (Debian package prometheus)");
	snprintf(path, sizeof(path), "/tmp/bouclier-prom-%d.prom", getpid());
	report_file(path, "prom", time(NULL), 42, "Saint-\"Quote\" town");
	snprintf(cmd, sizeof(cmd), "promtool check metrics < %s 2>&1", path);
	cr_assert_eq(system(cmd), 0, "promtool refused %s", path);
	cr_assert_eq(sh("grep -qF 'category=\"bad\\\"cat\\\\egory\"' %s", path), 0,
		     "the category label is escaped");
	unlink(path);
}

/* What the page looks like to a person, measured in the page by the test
 * (the page itself has no script): nothing past the right edge or sticking
 * out of its parent's content box, no text spilling out of its box or cut,
 * no text smaller than 11 px, contrast of at least 4.5:1 (WCAG AA) for
 * every text, and where the level ends. */
static const char measure_js[] =
	"(() => {"
	" const de = document.documentElement, vw = de.clientWidth, out = [];"
	" const name = e => e.tagName.toLowerCase() + (e.getAttribute('class') ?"
	"   '.' + e.getAttribute('class').split(' ')[0] : '');"
	" const snip = t => JSON.stringify(t.data.trim().slice(0, 40));"
	" if (de.scrollWidth > vw)"
	"  out.push('the page scrolls sideways: ' + de.scrollWidth + ' > ' + vw);"
	" for (const e of document.body.querySelectorAll('*')) {"
	"  const r = e.getBoundingClientRect();"
	"  if (!r.width && !r.height) continue;"
	"  if (r.left < -0.5 || r.right > vw + 0.5)"
	"   out.push(name(e) + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) +"
	"    ' of ' + vw);"
	"  const q = e.parentElement, qs = getComputedStyle(q), qr = q.getBoundingClientRect();"
	"  if (!e.closest('svg') && qs.display != 'inline' && r.right > qr.right -"
	"      parseFloat(qs.paddingRight) - parseFloat(qs.borderRightWidth) + 1)"
	"   out.push(name(e) + ' sticks out of its ' + name(q));"
	"  if (getComputedStyle(e).overflowX != 'visible' && e.scrollWidth > e.clientWidth + 1)"
	"   out.push(name(e) + ' cuts or scrolls its content: ' + e.scrollWidth + ' > ' +"
	"    e.clientWidth);"
	" }"
	" const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);"
	" const lum = c => { const v = c.slice(0, 3).map(x => (x /= 255) <= 0.03928 ?"
	"   x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));"
	"   return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };"
	" const bg = e => { for (; e; e = e.parentElement) {"
	"   const c = rgb(getComputedStyle(e).backgroundColor);"
	"   if (c.length == 3 || c[3] > 0) return c; } return [255, 255, 255]; };"
	" const block = e => { while (e.parentElement && ['inline', 'contents'].includes("
	"   getComputedStyle(e).display)) e = e.parentElement; return e; };"
	" const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);"
	" for (let t; (t = walk.nextNode());) {"
	"  const p = t.parentElement, svg = p.closest('svg');"
	"  if (!t.data.trim() || p.closest('title')) continue;"
	"  let rects;"
	"  if (svg) rects = [p.getBoundingClientRect()];"
	"  else { const g = document.createRange(); g.selectNodeContents(t);"
	"   rects = [...g.getClientRects()]; }"
	"  rects = rects.filter(r => r.width > 0 && r.height > 0);"
	"  if (!rects.length) continue;"
	"  const box = (svg || block(p)).getBoundingClientRect();"
	"  for (const r of rects) {"
	"   if (r.left < -0.5 || r.right > vw + 0.5)"
	"    out.push('text ' + snip(t) + ' past the edge');"
	"   else if (r.left < box.left - 1 || r.right > box.right + 1)"
	"    out.push('text ' + snip(t) + ' spills out of its ' + name(svg || block(p)));"
	"   if (r.height < 11)"
	"    out.push('text ' + snip(t) + ' is ' + r.height.toFixed(1) + ' px tall');"
	"  }"
	"  const cs = getComputedStyle(p), fg = lum(rgb(svg ? cs.fill : cs.color));"
	"  const b = lum(bg(p));"
	"  const ratio = (Math.max(fg, b) + 0.05) / (Math.min(fg, b) + 0.05);"
	"  if (ratio < 4.5) out.push('text ' + snip(t) + ' has contrast ' + ratio.toFixed(2));"
	" }"
	" const lv = document.querySelector('.level'), adv = document.querySelector('.advice');"
	" return { width: Math.max(vw, de.scrollWidth), height: de.scrollHeight, viewport: vw,"
	"  level_bottom: lv ? lv.getBoundingClientRect().bottom : 1e9,"
	"  advice: adv ? adv.textContent : '', problems: out.slice(0, 12) };"
	"})()";

static struct cdp browser;
static char page_dir[64];

static void pages_done(void)
{
	cdp_stop(&browser);
	if (*page_dir)
		sh("rm -rf %s", page_dir);
}

struct view {
	const char *name;
	int width, height, mobile;
};

/* Writes the page of D in LANG to PATH, checks it holds nothing that runs
 * or is fetched. */
static void write_page(const char *path, const struct level_day *d, const char *lang)
{
	static char page[65536];
	FILE *f = fopen(path, "w");
	size_t n;

	cr_assert_not_null(f, "%s", path);
	weather_html(f, &d->r, lang);
	fclose(f);
	f = fopen(path, "r");
	n = fread(page, 1, sizeof(page) - 1, f);
	page[n] = 0;
	fclose(f);
	cr_assert_lt(n, sizeof(page) - 1, "%s is larger than the test reads", path);
	cr_assert_null(strstr(page, "<script"), "%s: no script", path);
	cr_assert_null(strstr(page, "src="), "%s: nothing fetched", path);
	cr_assert_null(strstr(page, "href="), "%s: nothing linked", path);
}

/* PATH in the browser at view V: measured, then a screenshot as wide as
 * the page, kept as KEEP/NAME-VIEW.png when KEEP is set. */
static void look_at(const char *path, const struct view *v, const char *advice, const char *keep,
		    const char *name)
{
	int requests = browser.requests;
	char url[300], png_path[512];
	unsigned char *png;
	json_t *m, *p;
	size_t len, i;
	FILE *f;

	snprintf(url, sizeof(url), "file://%s", path);
	cdp_do(&browser, "Emulation.setDeviceMetricsOverride",
	       json_pack("{s:i,s:i,s:i,s:b}", "width", v->width, "height", v->height,
			 "deviceScaleFactor", 1, "mobile", v->mobile));
	cdp_load(&browser, url);
	cr_expect_eq(browser.requests - requests, 1, "%s: the page alone is loaded", path);
	m = cdp_eval(&browser, measure_js);
	cr_assert(json_is_object(m), "%s: nothing measured", path);
	cr_expect_eq(json_integer_value(json_object_get(m, "viewport")), v->width,
		     "%s on a %s: the page's viewport", path, v->name);
	json_array_foreach(json_object_get(m, "problems"), i, p)
		cr_expect_fail("%s at %d px: %s", path, v->width, json_string_value(p));
	cr_expect_leq(json_number_value(json_object_get(m, "level_bottom")), v->height,
		      "%s at %d px: the level and what to do fit the first screen", path,
		      v->width);
	cr_expect_str_eq(json_string_value(json_object_get(m, "advice")), advice);
	/* the first screen, as wide as the page is; the whole page when kept
	 * (it takes twice as long) */
	png = cdp_screenshot(&browser, json_integer_value(json_object_get(m, "width")),
			     keep ? json_integer_value(json_object_get(m, "height")) : v->height,
			     &len);
	cr_assert(len > 24 && !memcmp(png, "\x89PNG", 4), "%s: no PNG screenshot", path);
	/* the IHDR's width: wider than the screen is a page that overflows */
	cr_expect_eq(png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19], v->width,
		     "%s: the screenshot is %d px wide on a %s", path, png[18] << 8 | png[19],
		     v->name);
	if (keep) {
		snprintf(png_path, sizeof(png_path), "%s/%s-%s.png", keep, name, v->name);
		f = fopen(png_path, "w");
		cr_assert_not_null(f, "%s", png_path);
		fwrite(png, 1, len, f);
		fclose(f);
	}
	free(png);
	json_decref(m);
}

/* Every level in both languages, at a phone's width, a small phone's (320 px,
 * the narrowest in common use) and a desktop's, in Chromium: nothing
 * overflows, every text can be read, the level and what to do fit the
 * first screen, nothing is fetched, and a screenshot as wide as the page is
 * exactly as wide as the screen.  BOUCLIER_SCREENSHOTS=DIR keeps the
 * screenshots, of the whole pages. */
Test(report, html_fits_a_phone_and_a_desktop_in_chromium, .fini = pages_done, .timeout = 60)
{
	static const struct view views[] = { { "phone", 360, 740, 1 },
					     { "small-phone", 320, 640, 1 },
					     { "desktop", 1280, 800, 0 } };
	static const char *const langs[] = { "en", "fr" };
	static const char *const slug[] = { "unknown", "sunny", "light-rain", "storm", "tornado" };
	const char *keep = getenv("BOUCLIER_SCREENSHOTS");
	struct level_day *d = calloc(1, sizeof(*d));
	char path[256], name[64];
	int l, g, v, pages = 0;

	cr_assert_not_null(d);
	if (system("command -v chromium >/dev/null 2>&1"))
		cr_skip_test("chromium is not installed (Debian package chromium)");
	snprintf(page_dir, sizeof(page_dir), "/tmp/bouclier-pages-XXXXXX");
	cr_assert_not_null(mkdtemp(page_dir));
	snprintf(path, sizeof(path), "%s/profile", page_dir);
	cr_assert_eq(cdp_start(&browser, path), 0, "chromium did not start");
	cdp_page(&browser);
	for (l = LEVEL_UNKNOWN; l < LEVEL_MAX; l++)
		for (g = 0; g < 2; g++) {
			level_day(d, l);
			cr_assert_eq(d->r.level, l, "the day meant as %s came out %s", slug[l + 1],
				     weather_level_name(d->r.level, "en"));
			snprintf(name, sizeof(name), "weather-%s-%s", slug[l + 1], langs[g]);
			snprintf(path, sizeof(path), "%s/%s.html", page_dir, name);
			write_page(path, d, langs[g]);
			for (v = 0; v < 3; v++, pages++)
				look_at(path, &views[v], weather_advice(&d->r, langs[g]), keep,
					name);
		}
	cr_assert_eq(pages, 3 * 2 * (LEVEL_MAX + 1));
	free(d);
}

Test(report, observatory_ranks_a_hundred_towns, .timeout = 60)
{
	const char *bin = getenv("BOUCLIER");
	char dir[128], path[256], out[262144], cmd[512];
	time_t now = time(NULL);
	unsigned long long total = 0;
	int i;

	if (!bin)
		cr_skip_test("run through `make test` (BOUCLIER unset)");
	snprintf(dir, sizeof(dir), "/tmp/bouclier-obs-%d", getpid());
	mkdir(dir, 0755);
	for (i = 0; i < 100; i++) {
		__u64 attacks = i == 42 ? 250000 : (__u64)(i * 37) % 500;
		time_t when = i % 10 == 9 ? now - 5 * 3600 : now; /* every tenth is stale */
		char town[32];

		snprintf(town, sizeof(town), "town-%03d", i);
		snprintf(path, sizeof(path), "%s/%s.json", dir, town);
		report_file(path, "json", when, attacks, town);
		total += attacks; /* a stale town counts as it last reported */
	}
	snprintf(path, sizeof(path), "%s/broken.json", dir);
	{
		FILE *f = fopen(path, "w");

		fputs("{\"schema\":\"bouclier.weather/1\",\"town\":", f); /* cut short */
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/roster.txt", dir);
	{
		FILE *f = fopen(path, "w");

		fputs("town-000\ntown-missing\n", f);
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd), "%s observatory %s --roster %s --json", bin, dir, path);
	cr_assert_eq(sh_out(out, sizeof(out), "%s", cmd), 0, "%s", out);
	cr_assert(strstr(out, "\"towns_count\":102"), "100 towns, a broken report, a missing "
		  "town: %.300s", out);
	cr_assert(strstr(out, "\"towns\":[{\"town\":\"town-042\",\"level\":\"tornado\""),
		  "the worst town first: %.300s", out);
	cr_assert(strstr(out, "\"unknown\":12"), "10 stale + 1 broken + 1 missing: %.300s", out);
	cr_assert(strstr(out, "\"why\":\"no report\""));
	cr_assert(strstr(out, "\"why\":\"stale report\""));
	{
		char want[64];

		snprintf(want, sizeof(want), "\"towns_count\":102,\"attacks\":%llu,", total);
		cr_assert(strstr(out, want), "regional total %s: %.200s", want, out);
	}
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s", bin, dir), 0);
	cr_assert(strstr(out, "101 towns"), "%.200s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s --format html", bin, dir), 0);
	cr_assert(strstr(out, "<table>") && !strstr(out, "<script"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	system(cmd);
}

/* Reports are outside data: a town's name may hold markup, quotes or
 * terminal escapes, and a report may be pretty-printed. */
Test(report, observatory_escapes_what_towns_send, .timeout = 60)
{
	static const char *const towns[] = { "<img src=x onerror=alert(1)>", "Le \"Bourg\"",
					     "Esc\x1b[31mape", "Pretty" };
	const char *bin = getenv("BOUCLIER");
	char dir[128], path[256], out[65536];
	json_error_t jerr;
	json_t *j, *t;
	size_t i, found = 0;
	time_t now = time(NULL);

	if (!bin)
		cr_skip_test("run through `make test` (BOUCLIER unset)");
	snprintf(dir, sizeof(dir), "/tmp/bouclier-obs-hostile-%d", getpid());
	mkdir(dir, 0755);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/t%zu.json", dir, i);
		report_file(path, "json", now, 100 + i, towns[i]);
	}
	/* The way jq or Python print it: spaces after colons, one key a line. */
	cr_assert_eq(sh("python3 -m json.tool %s/t3.json > %s/t3p.json && mv %s/t3p.json "
			"%s/t3.json", dir, dir, dir, dir), 0);
	cr_assert_eq(sh_out(out, sizeof(out), "grep -c '\"level\": ' %s/t3.json", dir), 0,
		     "the report is pretty-printed");

	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s --json", bin, dir), 0, "%s", out);
	j = json_loads(out, 0, &jerr);
	cr_assert_not_null(j, "the regional JSON is valid: %s\n%s", jerr.text, out);
	json_array_foreach(json_object_get(j, "towns"), i, t) {
		const char *name = json_string_value(json_object_get(t, "town"));
		size_t k;

		for (k = 0; k < 4; k++)
			if (name && !strcmp(name, towns[k])) {
				found++;
				cr_expect_str_eq(json_string_value(json_object_get(t, "level")),
						 "tornado", "%s", name);
				cr_expect_eq(json_integer_value(json_object_get(t, "attacks")),
					     (json_int_t)(100 + k), "%s", name);
			}
	}
	cr_expect_eq(found, 4, "every town, with its exact name, pretty-printed or not: %s", out);
	json_decref(j);

	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s --format html", bin, dir), 0);
	cr_expect_null(strstr(out, "<img"), "a town's markup is not live in the page: %s", out);
	cr_expect(strstr(out, "&lt;img src=x onerror=alert(1)&gt;"), "%s", out);
	cr_expect(strstr(out, "Le &quot;Bourg&quot;"), "%s", out);

	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s", bin, dir), 0);
	cr_expect_null(strchr(out, '\x1b'), "no terminal escape reaches the terminal");
	cr_expect(strstr(out, "Esc?[31mape"), "%s", out);
	cr_expect(strstr(out, "Le \"Bourg\""), "%s", out);
	sh("rm -rf %s", dir);
}

/* A town on an older bouclier (schema /1) counted packets as attacks: its
 * figure is shown as packets and kept out of the attack totals and trend.
 * Towns of the new schema are set against their own usual and the region. */
Test(report, observatory_counts_attacks_and_compares_each_town_with_its_usual, .timeout = 60)
{
	const char *bin = getenv("BOUCLIER");
	char dir[128], path[256], out[65536];
	time_t now = time(NULL);
	json_t *j, *t;
	size_t i;
	FILE *f;

	if (!bin)
		cr_skip_test("run through `make test` (BOUCLIER unset)");
	snprintf(dir, sizeof(dir), "/tmp/bouclier-obs-usual-%d", getpid());
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/old.json", dir);
	f = fopen(path, "w");
	fprintf(f, "{\"schema\":\"bouclier.weather/1\",\"town\":\"Vieux-Bourg\",\"level\":\"storm\","
		   "\"generated_at_unix\":%lld,\"figures\":{\"attacks\":90000,\"yesterday\":80000,"
		   "\"last_30_days\":[{\"date\":\"2026-11-27\",\"attacks\":80000}]}}\n",
		(long long)now);
	fclose(f);
	snprintf(path, sizeof(path), "%s/usual.json", dir);
	f = fopen(path, "w");
	fprintf(f, "{\"schema\":\"bouclier.weather/2\",\"town\":\"Saint-Usuel\",\"level\":\"storm\","
		   "\"generated_at_unix\":%lld,\"levels\":{\"basis\":\"usual\",\"usual\":10.0},"
		   "\"figures\":{\"attacks\":32,\"packets\":4000,\"yesterday\":null,"
		   "\"last_30_days\":[{\"date\":\"2026-11-27\",\"attacks\":12,\"packets\":900},"
		   "{\"date\":\"2026-11-26\",\"attacks\":null,\"packets\":700}]}}\n",
		(long long)now);
	fclose(f);
	snprintf(path, sizeof(path), "%s/young.json", dir);
	f = fopen(path, "w");
	fprintf(f, "{\"schema\":\"bouclier.weather/2\",\"town\":\"Jeune\",\"level\":\"light rain\","
		   "\"generated_at_unix\":%lld,\"levels\":{\"basis\":\"young\",\"usual\":0},"
		   "\"figures\":{\"attacks\":16,\"packets\":20}}\n", (long long)now);
	fclose(f);

	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s --json", bin, dir), 0, "%s", out);
	j = json_loads(out, 0, NULL);
	cr_assert_not_null(j, "%s", out);
	cr_expect_eq(json_integer_value(json_object_get(j, "attacks")), 48, "32 + 16: %s", out);
	cr_expect_eq(json_integer_value(json_object_get(j, "packets")), 94020, "%s", out);
	cr_expect_eq(json_integer_value(json_object_get(j, "towns_counting_packets")), 1);
	cr_expect_float_eq(json_real_value(json_object_get(j, "median_town_attacks")), 24, 1e-9);
	cr_expect_eq(json_integer_value(json_object_get(json_array_get(json_object_get(j, "trend"),
									 0), "attacks")), 12,
		     "the trend in attacks, without the old town's packets: %s", out);
	json_array_foreach(json_object_get(j, "towns"), i, t) {
		const char *name = json_string_value(json_object_get(t, "town"));

		if (!strcmp(name, "Vieux-Bourg")) {
			cr_expect(json_is_null(json_object_get(t, "attacks")));
			cr_expect_eq(json_integer_value(json_object_get(t, "packets")), 90000);
			cr_expect(json_is_true(json_object_get(t, "counts_packets")));
		} else if (!strcmp(name, "Saint-Usuel")) {
			cr_expect_float_eq(json_real_value(json_object_get(t, "versus_usual")), 3.2,
					   1e-9);
			cr_expect_float_eq(json_real_value(json_object_get(t, "versus_region")),
					   1.33, 1e-9);
		} else {
			cr_expect(json_is_null(json_object_get(t, "versus_usual")),
				  "a young town has no usual yet");
		}
	}
	json_decref(j);
	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s", bin, dir), 0, "%s", out);
	cr_expect(strstr(out, "3.2x"), "%s", out);
	cr_expect(strstr(out, "counts packets"), "%s", out);
	sh("rm -rf %s", dir);
}

/* A figure of `weather --json`'s output: figures.KEY (or KEY at the top). */
static json_int_t figure(const char *out, const char *key)
{
	json_t *j = json_loads(out, 0, NULL), *fig;
	json_int_t v;

	cr_assert_not_null(j, "weather --json: %s", out);
	fig = json_object_get(j, "figures");
	v = json_integer_value(json_object_get(fig, key));
	json_decref(j);
	return v;
}

/* Real pings through the attached filter: one source flooding is one
 * attack however many packets, several sources are several attacks, and
 * the level follows the configured thresholds. */
Test(report, the_level_moves_with_real_traffic, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384], conf[512];
	json_int_t a;
	FILE *f;

	sh("mkdir -p %s", lab.state);
	snprintf(conf, sizeof(conf), "%s/bouclier.conf", lab.state);
	f = fopen(conf, "w");
	fprintf(f, "[general]\ntown = Labville\nstate_dir = %s\n[feed scan]\npath = %s/scan.txt\n"
		   "category = scanners\n[weather]\nlight_rain = 1\nstorm = 3\ntornado = 100000\n",
		lab.state, lab.state);
	fclose(f);
	sh("printf '198.51.100.7\\n198.51.100.8\\n198.51.100.70\\n203.0.113.5\\n' > %s/scan.txt",
	   lab.state);
	setenv("BOUCLIER_CONFIG", conf, 1);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "refresh"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "weather --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"level\":\"sunny\""), "%s", out);
	cr_expect(strstr(out, "\"town\":\"Labville\""), "%s", out);

	ping_from("198.51.100.7", "192.0.2.1", 5);
	bouclier(out, sizeof(out), "weather --json");
	cr_expect(strstr(out, "\"level\":\"light rain\""), "%s", out);
	cr_expect_eq(figure(out, "packets"), 5, "%s", out);
	a = figure(out, "attacks");
	/* one attack, or two when a quarter hour ended between the pings */
	cr_expect(a == 1 || a == 2, "one source pinging: %lld attacks", (long long)a);

	ping_from("198.51.100.7", "192.0.2.1", 30);
	bouclier(out, sizeof(out), "weather --json");
	cr_expect_eq(figure(out, "packets"), 35, "%s", out);
	cr_expect_leq(figure(out, "attacks"), 2, "35 pings of one source are one attack: %s",
		      out);
	cr_expect(strstr(out, "\"level\":\"light rain\""), "%s", out);
	cr_expect(strstr(out, "{\"name\":\"scan\",\"category\":\"scanners\",\"packets\":35,"),
		  "%s", out);

	ping_from("198.51.100.8", "192.0.2.1", 2);
	ping_from("198.51.100.70", "192.0.2.1", 2);
	ping_from("203.0.113.5", "192.0.2.1", 2);
	bouclier(out, sizeof(out), "weather --lang fr");
	cr_expect(strstr(out, "orage"), "%s", out);
	cr_expect(strstr(out, "seuils fixes de la configuration"), "%s", out);
	bouclier(out, sizeof(out), "weather --json");
	cr_expect(strstr(out, "\"level\":\"storm\""), "four sources: %s", out);
	cr_expect_geq(figure(out, "attacks"), 4, "%s", out);
	cr_expect_eq(figure(out, "packets"), 41, "%s", out);
	cr_expect_eq(figure(out, "distinct_sources"), 4, "%s", out);
	cr_expect(strstr(out, "\"basis\":\"configured\""), "%s", out);
	cr_expect(strstr(out, "\"address\":\"198.51.100.7\""), "top source: %s", out);
	a = figure(out, "attacks");

	cr_assert_eq(bouclier(out, sizeof(out), "record"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "history --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"packets\":41"), "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "detach wan0"), 0, "%s", out);
	bouclier(out, sizeof(out), "weather --json");
	cr_expect(strstr(out, "\"level\":\"unknown\""), "unknown after detach: %s", out);
	cr_expect_eq(figure(out, "packets"), 41, "the history keeps today's figures: %s", out);
	cr_expect_eq(figure(out, "attacks"), a, "and its attacks: %s", out);
}

/* Every command takes the state directory from the configuration when
 * neither --state-dir nor the environment names one. */
Test(report, every_command_honours_the_configured_state_dir, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384], conf[256], dir[256], cmd[512];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/elsewhere", lab.state);
	snprintf(conf, sizeof(conf), "%s/bouclier.conf", lab.state);
	sh("mkdir -p %s", dir);
	f = fopen(conf, "w");
	cr_assert_not_null(f);
	fprintf(f, "[general]\ntown = Confville\nstate_dir = %s\n[feed scan]\npath = "
		   "%s/scan.txt\n", dir, lab.state);
	fclose(f);
	sh("printf '198.51.100.7\\n' > %s/scan.txt; printf '203.0.113.0/24\\n' > "
	   "%s/manual.txt", lab.state, lab.state);

	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "refresh"), 0, "%s", out);
	snprintf(cmd, sizeof(cmd), "feed load manual-%d %s/manual.txt", getpid(), lab.state);
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, cmd), 0, "%s", out);
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "allow add 192.0.2.200"), 0, "%s", out);
	/* the bug: allow add compiled from another directory and lost every feed */
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "lookup 198.51.100.7"), 0, "%s", out);
	cr_expect(strstr(out, "dropped as a source (on the way in), listed by scan"), "%s", out);
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "lookup 203.0.113.9"), 0, "%s", out);
	cr_expect(strstr(out, "dropped"), "%s", out);
	cr_expect_eq(sh("test -s %s/feeds/scan.list && test -s %s/feeds/manual-%d.list && "
			"test -s %s/allow.list", dir, dir, getpid(), dir), 0,
		     "every list is kept in the configured directory");
	cr_expect_neq(sh("test -e " "/var/lib/bouclier/feeds/manual-%d.list", getpid()), 0,
		      "nothing went to the default directory");
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "feed list --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"name\":\"scan\"") && strstr(out, "manual-"), "%s", out);
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "allow list"), 0, "%s", out);
	cr_expect(strstr(out, "192.0.2.200/32"), "%s", out);
	ping_from("198.51.100.7", "192.0.2.1", 3);
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "record"), 0, "%s", out);
	cr_expect_eq(sh("test -s %s/history.csv", dir), 0, "record writes the configured history");
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "weather --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"town\":\"Confville\""), "%s", out);
	cr_expect(strstr(out, "\"level\":\"light rain\""), "%s", out);
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "config check --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"state_dir_from\":\"config\""), "%s", out);
	snprintf(cmd, sizeof(cmd), "feed remove manual-%d", getpid());
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, cmd), 0, "%s", out);
	cr_assert_eq(bouclier_conf(out, sizeof(out), conf, "detach wan0"), 0, "%s", out);
}
