// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * formats.c - every feed format bouclier reads, one row of feed_formats[]
 * each: its name, how it is recognised, how a line (or the whole document)
 * is read, and what its trailer must say.  format.h says how to add one.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "format.h"

/* ---- plain: one address, CIDR or range a line */

int feed_plain_line(struct pctx *p, const char *s, const char *e)
{
	const char *c;

	for (c = s; c < e && *c != '#' && *c != ';'; c++)
		;
	e = c;
	feed_trim(&s, &e);
	if (s == e)
		return 0;
	for (c = s; c < e; c++)
		if (feed_is_space(*c)) {
			p->entry_lines++;
			feed_report(p, FEED_ERROR, "\"%.*s\": one address, CIDR or range a line "
				    "expected", FEED_SHOWN(e - s), s);
			return 0;
		}
	return feed_add_token(p, s, e - s);
}

static int plain_detect(const char *h, size_t hl, const char *t, size_t tl, const char **why)
{
	(void)h, (void)hl, (void)t, (void)tl;
	*why = "no other format fits";
	return 1;
}

/* ---- FireHOL netset: "# Entries : N subnets, M unique IPs" in the header */

static int netset_line(struct pctx *p, const char *s, const char *e)
{
	const char *t;

	if (s < e && *s == '#') {
		if ((t = feed_find(s, e, "Entries")) && (t = memchr(t, ':', e - t)) &&
		    feed_num(t + 1, e) >= 0) {
			p->declared = feed_num(t + 1, e);
			p->declared_by = "its \"# Entries\" header";
		}
		return 0;
	}
	return feed_plain_line(p, s, e);
}

static int netset_detect(const char *h, size_t hl, const char *t, size_t tl, const char **why)
{
	(void)t, (void)tl;
	*why = "a \"# Entries\" header line";
	return feed_find(h, h + hl, "# Entries") ? 50 : 0;
}

/* ---- Spamhaus DROP text: "1.10.16.0/20 ; SBL256894", "; EOF" at the end */

static int spamhaus_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *te = e;

	feed_trim(&t, &te);
	if (t < te && *t == ';') {
		t++;
		feed_trim(&t, &te);
		if (te - t == 3 && !memcmp(t, "EOF", 3))
			p->trailer = 1;
		return 0;
	}
	return feed_plain_line(p, s, e);
}

static int spamhaus_finish(struct pctx *p)
{
	if (!p->trailer && p->entry_lines)
		feed_report(p, FEED_WARNING, "no \"; EOF\" trailer: the download may be cut short");
	return 0;
}

static int spamhaus_detect(const char *h, size_t hl, const char *t, size_t tl,
			   const char **why)
{
	(void)t, (void)tl;
	*why = "Spamhaus's \"; SBL\" lines or header";
	return feed_find(h, h + hl, "Spamhaus") || feed_find(h, h + hl, "; SBL") ? 60 : 0;
}

/* ---- Spamhaus NDJSON: {"cidr":...} a line, then {"type":"metadata",...,"records":N} */

static int spamhaus_json_line(struct pctx *p, const char *s, const char *e)
{
	json_error_t jerr;
	json_t *o, *v;
	const char *type;
	int err = 0;

	feed_trim(&s, &e);
	if (s == e)
		return 0;
	o = json_loadb(s, e - s, 0, &jerr);
	if (!o || !json_is_object(o)) {
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "a JSON object with a \"cidr\" field expected%s%s",
			    o ? "" : ": ", o ? "" : jerr.text);
		json_decref(o);
		return 0;
	}
	type = json_string_value(json_object_get(o, "type"));
	if (type && !strcmp(type, "metadata")) {
		v = json_object_get(o, "records");
		if (json_is_integer(v) && json_integer_value(v) >= 0) {
			p->declared = json_integer_value(v);
			p->declared_by = "its metadata record";
		}
	} else if (json_is_string(v = json_object_get(o, "cidr"))) {
		err = feed_add_token(p, json_string_value(v), json_string_length(v));
	} else {
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "a JSON object with a \"cidr\" field expected");
	}
	json_decref(o);
	return err;
}

static int json_start(const char *h, size_t hl)
{
	size_t i = 0;

	while (i < hl && (feed_is_space(h[i]) || h[i] == '\n'))
		i++;
	return i < hl && (h[i] == '{' || h[i] == '[');
}

static int spamhaus_json_detect(const char *h, size_t hl, const char *t, size_t tl,
				const char **why)
{
	(void)t, (void)tl;
	*why = "JSON records with a \"cidr\" field";
	return json_start(h, hl) && feed_find(h, h + hl, "\"cidr\"") ? 100 : 0;
}

/* ---- DShield block.txt: start, end, prefix length, ... in tab columns */

static int dshield_line(struct pctx *p, const char *s, const char *e)
{
	const char *f[3], *fe[3], *t = s;
	char buf[64];
	int i;

	feed_trim(&t, &e);
	if (t == e || *t == '#')
		return 0;
	if (e - t >= 5 && !strncasecmp(t, "Start", 5))
		return 0; /* the column header */
	for (i = 0; i < 3; i++) {
		while (t < e && feed_is_space(*t))
			t++;
		f[i] = t;
		while (t < e && !feed_is_space(*t))
			t++;
		fe[i] = t;
		if (f[i] == fe[i]) {
			p->entry_lines++;
			feed_report(p, FEED_ERROR, "expected start, end and prefix length columns");
			return 0;
		}
	}
	if (snprintf(buf, sizeof(buf), "%.*s/%.*s", (int)(fe[0] - f[0]), f[0],
		     (int)(fe[2] - f[2]), f[2]) >= (int)sizeof(buf)) {
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "columns too long");
		return 0;
	}
	return feed_add_token(p, buf, strlen(buf));
}

static int dshield_detect(const char *h, size_t hl, const char *t, size_t tl, const char **why)
{
	(void)t, (void)tl;
	*why = "DShield's header";
	return feed_find(h, h + hl, "DShield") || feed_find(h, h + hl, "Start\tEnd\tNetblock")
		       ? 80 : 0;
}

/* ---- abuse.ch: one address a line, "# END N entries" at the end */

static int abusech_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *te = e;

	feed_trim(&t, &te);
	if (t < te && *t == '#') {
		const char *end = feed_find(t, te, "# END");

		/* "# END 23 entries" or "# END (23 entries)" */
		if (end && feed_num(end + 5, te) >= 0) {
			p->declared = feed_num(end + 5, te);
			p->declared_by = "its \"# END\" trailer";
			p->trailer = 1;
		}
		return 0;
	}
	return feed_plain_line(p, s, e);
}

static int abusech_detect(const char *h, size_t hl, const char *t, size_t tl, const char **why)
{
	*why = "abuse.ch's header or \"# END\" trailer";
	return feed_find(h, h + hl, "abuse.ch") || feed_find(t, t + tl, "# END") ? 70 : 0;
}

/* ---- ipset save: "add SET CIDR [options]" */

static int ipset_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *w[3], *we[3];
	int i;

	feed_trim(&t, &e);
	if (t == e || *t == '#')
		return 0;
	for (i = 0; i < 3; i++) {
		while (t < e && feed_is_space(*t))
			t++;
		w[i] = t;
		while (t < e && !feed_is_space(*t))
			t++;
		we[i] = t;
	}
	if (we[0] - w[0] == 3 && !memcmp(w[0], "add", 3) && w[2] < we[2])
		return feed_add_token(p, w[2], we[2] - w[2]);
	if ((we[0] - w[0] == 6 && !memcmp(w[0], "create", 6)) ||
	    (we[0] - w[0] == 5 && !memcmp(w[0], "flush", 5)))
		return 0;
	p->entry_lines++;
	feed_report(p, FEED_ERROR, "\"%.*s\": expected \"add SET ADDRESS\"", FEED_SHOWN(e - s), s);
	return 0;
}

static int ipset_detect(const char *h, size_t hl, const char *t, size_t tl, const char **why)
{
	const char *e = h + hl;

	(void)t, (void)tl;
	*why = "\"create\" or \"add\" lines of ipset save";
	return feed_find(h, e, "\ncreate ") || feed_find(h, e, "\nadd ") ||
	       (hl >= 7 && !memcmp(h, "create ", 7)) || (hl >= 4 && !memcmp(h, "add ", 4)) ? 90 : 0;
}

/* ---- CrowdSec: decisions (an array), the stream's {"new":[...],"deleted":[...]},
 * or cscli's alerts each holding its "decisions" */

static int crowdsec_decision(struct pctx *p, json_t *d)
{
	const char *type = json_string_value(json_object_get(d, "type"));
	const char *scope = json_string_value(json_object_get(d, "scope"));
	json_t *v = json_object_get(d, "value");

	if (!json_is_object(d))
		return 0;
	if (type && strcasecmp(type, "ban"))
		return 0;
	if (!json_is_string(v)) {
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "a decision without a \"value\"");
		return 0;
	}
	if (scope && strcasecmp(scope, "ip") && strcasecmp(scope, "range")) {
		feed_report(p, FEED_WARNING, "decision for scope \"%.*s\" skipped: only Ip and "
			    "Range can be filtered", FEED_SHOWN(strlen(scope)), scope);
		return 0;
	}
	return feed_add_token(p, json_string_value(v), json_string_length(v));
}

static int crowdsec_array(struct pctx *p, json_t *a)
{
	size_t i, k;
	json_t *e, *d;
	int err = 0;

	json_array_foreach(a, i, e) {
		json_t *nested = json_object_get(e, "decisions");

		if (json_is_array(nested)) /* cscli: an alert and its decisions */
			json_array_foreach(nested, k, d) {
				err = crowdsec_decision(p, d);
				if (err)
					return err;
			}
		else if ((err = crowdsec_decision(p, e)))
			return err;
	}
	return 0;
}

static int crowdsec_document(struct pctx *p, const char *buf, size_t len)
{
	json_error_t jerr;
	json_t *doc;
	unsigned long lines = 1;
	size_t i;
	int err = 0;

	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	doc = json_loadb(buf, len, JSON_DECODE_ANY, &jerr);
	if (!doc) {
		p->ln = jerr.line > 0 ? (unsigned long)jerr.line : 0;
		if (json_error_code(&jerr) == json_error_premature_end_of_input)
			feed_report(p, FEED_ERROR, "the JSON document ends in the middle: truncated "
				    "download?");
		else
			feed_report(p, FEED_ERROR, "not valid JSON: %s", jerr.text);
		return -EBADMSG;
	}
	/* jansson keeps no line numbers for values: messages name the file only */
	if (json_is_array(doc))
		err = crowdsec_array(p, doc);
	else if (json_is_object(doc) && json_is_array(json_object_get(doc, "new")))
		err = crowdsec_array(p, json_object_get(doc, "new"));
	json_decref(doc);
	p->ln = lines;
	return err;
}

static int crowdsec_detect(const char *h, size_t hl, const char *t, size_t tl, const char **why)
{
	(void)t, (void)tl;
	*why = "a JSON document";
	return json_start(h, hl) ? 95 : 0;
}

const struct feed_format_def feed_formats[FEED_FORMAT_MAX] = {
	[FEED_AUTO] = { "auto", "detect the format from the file's structure" },
	[FEED_PLAIN] = { "plain", "one address, CIDR or A.B.C.D-E.F.G.H range a line",
			 plain_detect, feed_plain_line },
	[FEED_NETSET] = { "netset", "FireHOL .netset/.ipset with its \"# Entries\" header",
			  netset_detect, netset_line },
	[FEED_SPAMHAUS] = { "spamhaus", "Spamhaus DROP text, \"CIDR ; SBL...\" lines",
			    spamhaus_detect, spamhaus_line, NULL, spamhaus_finish },
	[FEED_SPAMHAUS_JSON] = { "spamhaus-json", "Spamhaus NDJSON with its metadata record",
				 spamhaus_json_detect, spamhaus_json_line },
	[FEED_DSHIELD] = { "dshield", "DShield block.txt columns", dshield_detect, dshield_line },
	[FEED_ABUSECH] = { "abusech", "abuse.ch list with its \"# END N entries\" trailer",
			   abusech_detect, abusech_line },
	[FEED_IPSET] = { "ipset", "ipset save output, \"add SET CIDR\"", ipset_detect,
			 ipset_line },
	[FEED_CROWDSEC] = { "crowdsec", "CrowdSec decisions JSON (cscli, LAPI stream or array)",
			    crowdsec_detect, NULL, crowdsec_document },
};
