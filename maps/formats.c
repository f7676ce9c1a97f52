// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * formats.c - every feed format bouclier reads, one row of feed_formats[]
 * each: its name, how its structure is recognised, how a line (or the whole
 * document) is read, and what its end must hold.  format.h says how to add
 * one.  Recognition looks at structure only (a header line of a fixed
 * shape, a column layout, a JSON shape): FireHOL names the lists it merges
 * and Emerging Threats credits DShield in their comments, so a word in a
 * comment never decides.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "crowdsec.h"
#include "format.h"

/* ---- helpers for recognition */

/* The first line of the head that is neither blank nor a '#' or ';'
 * comment; 0 when there is none. */
static int first_data_line(const struct sniff *sn, const char **ls, const char **le)
{
	const char *s = sn->head, *end = sn->head + sn->hlen;

	while (feed_next_line(&s, end, ls, le)) {
		const char *t = *ls, *te = *le;

		feed_trim(&t, &te);
		if (t < te && *t != '#' && *t != ';') {
			*ls = t;
			*le = te;
			return 1;
		}
	}
	return 0;
}

/* Whether one of the first n lines of the head starts with prefix. */
static int header_line(const struct sniff *sn, int n, const char *prefix)
{
	const char *s = sn->head, *end = sn->head + sn->hlen, *ls, *le;

	while (n-- > 0 && feed_next_line(&s, end, &ls, &le))
		if (feed_starts(ls, le, prefix))
			return 1;
	return 0;
}

/* Splits [s, e) at spaces, tabs and commas into at most max fields. */
static int fields(const char *s, const char *e, const char **f, const char **fe, int max)
{
	int n = 0;

	while (s < e && n < max) {
		while (s < e && (feed_is_space(*s) || *s == ','))
			s++;
		if (s == e)
			break;
		f[n] = s;
		while (s < e && !feed_is_space(*s) && *s != ',')
			s++;
		fe[n++] = s;
	}
	return n;
}

static int is_addr(const char *s, const char *e)
{
	struct cidr c;
	const char *why;

	return cidr_parse_addr(s, e - s, &c, &why) == 0;
}

static int is_number(const char *s, const char *e)
{
	if (s == e)
		return 0;
	for (; s < e; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* ---- plain: one address, CIDR or range a line; other columns ignored */

/* A line whose first field is an address takes it; a numeric second field
 * is a score (ipsum: how many lists name the address), words are ignored;
 * "A - B" is a range. */
int feed_plain_line(struct pctx *p, const char *s, const char *e)
{
	const char *c, *f[4], *fe[4];
	char range[CIDR_STRLEN * 2 + 2];
	struct cidr fast;
	int n;

	if (cidr_parse_v4_line(s, e, &fast)) { /* most lines of most lists */
		p->entry_lines++;
		return feed_push(p, &fast);
	}
	for (c = s; c < e && *c != '#' && *c != ';'; c++)
		;
	e = c;
	feed_trim(&s, &e);
	if (s == e)
		return 0;
	n = fields(s, e, f, fe, 4);
	if (n == 0) { /* separators only */
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "bad lines", "\"%.*s\": one address, CIDR or range a line "
			    "expected", FEED_SHOWN(e - s), s);
		return 0;
	}
	if (n == 1)
		return feed_add_token(p, f[0], fe[0] - f[0]);
	if (n >= 3 && fe[1] - f[1] == 1 && *f[1] == '-') {
		snprintf(range, sizeof(range), "%.*s-%.*s", FEED_SHOWN(fe[0] - f[0]), f[0],
			 FEED_SHOWN(fe[2] - f[2]), f[2]);
		return feed_add_token(p, range, strlen(range));
	}
	if (is_addr(f[1], fe[1]) || (memchr(f[1], '/', fe[1] - f[1]) && !is_number(f[1], fe[1]))) {
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "bad lines", "\"%.*s\": one address, CIDR or range a line "
			    "expected", FEED_SHOWN(e - s), s);
		return 0;
	}
	if (p->o->min_score && is_number(f[1], fe[1]) &&
	    feed_num(f[1], fe[1]) < (long)p->o->min_score) {
		p->entry_lines++;
		feed_report(p, FEED_NOTE, "lines under min_score, skipped", "under min_score");
		return 0;
	}
	return feed_add_token(p, f[0], fe[0] - f[0]);
}

/* ---- FireHOL netset: "# Entries : N subnets, M unique IPs" in the header */

static int netset_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s;

	feed_trim(&t, &e);
	if (t < e && *t == '#') {
		const char *k = t + 1;

		while (k < e && feed_is_space(*k))
			k++;
		/* FireHOL: "# Entries         : 4495 subnets, 611046064 unique IPs" */
		if (feed_starts(k, e, "Entries") && (k = memchr(k, ':', e - k)) &&
		    feed_num(k + 1, e) >= 0) {
			p->declared = feed_num(k + 1, e);
			p->declared_by = "its \"# Entries\" header";
		}
		return 0;
	}
	return feed_plain_line(p, s, e);
}

static int netset_finish(struct pctx *p, int err)
{
	if (!err && p->declared < 0) {
		feed_report(p, FEED_ERROR, "truncated", "no \"# Entries : N\" header line: FireHOL "
			    "writes one in every list; not a FireHOL file? The whole file is refused");
		return -EBADMSG;
	}
	return err;
}

static int netset_detect(const struct sniff *sn, const char **why)
{
	const char *s = sn->head, *end = sn->head + sn->hlen, *ls, *le;

	*why = "FireHOL's header: a \"# Entries : N\" line";
	while (feed_next_line(&s, end, &ls, &le)) {
		const char *k = ls + 1;

		if (ls == le || *ls != '#')
			return 0; /* the header is over */
		while (k < le && feed_is_space(*k))
			k++;
		if ((feed_starts(k, le, "Entries") || feed_starts(k, le, "Maintainer")) &&
		    memchr(k, ':', le - k))
			return 90;
	}
	return 0;
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

static int spamhaus_finish(struct pctx *p, int err)
{
	if (!err && !p->trailer) {
		feed_report(p, FEED_ERROR, "truncated", "no \"; EOF\" line at the end: Spamhaus ends "
			    "every list with one, so the download was cut short. The whole file is "
			    "refused");
		return -EBADMSG;
	}
	return err;
}

static int spamhaus_detect(const struct sniff *sn, const char **why)
{
	const char *ls, *le;

	if (header_line(sn, 3, "; Spamhaus ")) {
		*why = "Spamhaus's \"; Spamhaus ... List\" header line";
		return 85;
	}
	*why = "\"CIDR ; SBL...\" lines";
	return first_data_line(sn, &ls, &le) && feed_find(ls, le, "; SBL") ? 85 : 0;
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
		feed_report(p, FEED_ERROR, "bad lines", "a JSON object with a \"cidr\" field expected%s%s",
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
			p->trailer = 1;
		}
	} else if (json_is_string(v = json_object_get(o, "cidr"))) {
		err = feed_add_token(p, json_string_value(v), json_string_length(v));
	} else {
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "bad lines", "a JSON object with a \"cidr\" field expected");
	}
	json_decref(o);
	return err;
}

static int spamhaus_json_finish(struct pctx *p, int err)
{
	if (!err && !p->trailer) {
		feed_report(p, FEED_ERROR, "truncated", "no last line {\"type\":\"metadata\",...,"
			    "\"records\":N}: Spamhaus ends every list with it, so the download was cut "
			    "short. The whole file is refused");
		return -EBADMSG;
	}
	return err;
}

static int json_start(const struct sniff *sn, char *first)
{
	size_t i = 0;

	while (i < sn->hlen && (feed_is_space(sn->head[i]) || sn->head[i] == '\n'))
		i++;
	*first = i < sn->hlen ? sn->head[i] : 0;
	return *first == '{' || *first == '[' ||
	       (sn->hlen - i >= 4 && !memcmp(sn->head + i, "null", 4));
}

static int spamhaus_json_detect(const struct sniff *sn, const char **why)
{
	const char *ls, *le;
	char c;

	*why = "one JSON record a line with a \"cidr\" field";
	return json_start(sn, &c) && c == '{' && first_data_line(sn, &ls, &le) &&
	       feed_find(ls, le, "\"cidr\"") ? 100 : 0;
}

/* ---- DShield block.txt: start, end, prefix length, attacks, name, ... */

static int dshield_line(struct pctx *p, const char *s, const char *e)
{
	const char *f[3], *fe[3], *t = s;
	char buf[64];

	feed_trim(&t, &e);
	if (t == e || *t == '#')
		return 0;
	if (feed_starts(t, e, "Start")) /* the column header of files before 2023 */
		return 0;
	if (fields(t, e, f, fe, 3) < 3 || !is_number(f[2], fe[2])) {
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "bad lines", "expected start, end and prefix length "
			    "columns");
		return 0;
	}
	/* the network is the start and the prefix length, never start to end */
	if (snprintf(buf, sizeof(buf), "%.*s/%.*s", (int)(fe[0] - f[0]), f[0],
		     (int)(fe[2] - f[2]), f[2]) >= (int)sizeof(buf)) {
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "bad lines", "columns too long");
		return 0;
	}
	return feed_add_token(p, buf, strlen(buf));
}

static int dshield_detect(const struct sniff *sn, const char **why)
{
	const char *ls, *le, *f[3], *fe[3];

	if (!first_data_line(sn, &ls, &le))
		return 0;
	if (feed_starts(ls, le, "Start\tEnd\t")) {
		*why = "DShield's column header line";
		return 85;
	}
	*why = "DShield's columns: start, end, prefix length, ...";
	return fields(ls, le, f, fe, 3) == 3 && is_addr(f[0], fe[0]) && is_addr(f[1], fe[1]) &&
	       is_number(f[2], fe[2]) ? 80 : 0;
}

/* ---- abuse.ch: one address a line, "# END N entries" at the end */

static int abusech_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *te = e;

	feed_trim(&t, &te);
	if (t < te && *t == '#') {
		/* "# END 23 entries" or "# END (23 entries)" */
		if (feed_starts(t, te, "# END") && feed_num(t + 5, te) >= 0) {
			p->declared = feed_num(t + 5, te);
			p->declared_by = "its \"# END\" line";
			p->trailer = 1;
		}
		return 0;
	}
	return feed_plain_line(p, s, e);
}

static int abusech_finish(struct pctx *p, int err)
{
	if (!err && !p->trailer) {
		feed_report(p, FEED_ERROR, "truncated", "no \"# END N entries\" line at the end: "
			    "abuse.ch ends every list with one, so the download was cut short. The "
			    "whole file is refused");
		return -EBADMSG;
	}
	return err;
}

static int abusech_detect(const struct sniff *sn, const char **why)
{
	const char *s = sn->tail, *end = sn->tail + sn->tlen, *ls, *le;

	while (feed_next_line(&s, end, &ls, &le))
		if (feed_starts(ls, le, "# END ") && feed_num(ls + 5, le) >= 0) {
			*why = "abuse.ch's \"# END N entries\" line";
			return 80;
		}
	*why = "abuse.ch's boxed header";
	return header_line(sn, 4, "# abuse.ch ") ? 75 : 0;
}

/* ---- ipset save: "create SET TYPE ...", "add SET ELEMENT [options]"; an
 * element with the nomatch option is a hole in its set */

struct ipset_entry {
	__u32 set;  /* index into names */
	int nomatch;
	struct cidr c;
};

struct ipset_state {
	char (*names)[32];
	__u32 nnames;
	struct ipset_entry *v;
	size_t n, cap;
};

static int ipset_add(struct pctx *p, const char *set, size_t slen, const char *s, size_t len,
		     int nomatch)
{
	struct ipset_state *st = p->own;
	struct feed_result *r = p->r;
	size_t before = r->n, i;
	__u32 k;
	int err;

	if (!st) {
		st = p->own = calloc(1, sizeof(*st));
		if (!st)
			return -ENOMEM;
	}
	for (k = 0; k < st->nnames && strncmp(st->names[k], set, slen < 31 ? slen : 31); k++)
		;
	if (k == st->nnames) {
		void *nv = realloc(st->names, (k + 1) * sizeof(*st->names));

		if (!nv)
			return -ENOMEM;
		st->names = nv;
		snprintf(st->names[k], sizeof(st->names[k]), "%.*s", (int)(slen < 31 ? slen : 31), set);
		st->nnames++;
	}
	/* parse into the result, then move what came out into our own list */
	err = feed_add_token(p, s, len);
	for (i = before; !err && i < r->n; i++) {
		if (st->n == st->cap) {
			size_t cap = st->cap ? st->cap * 2 : 256;
			void *nv = realloc(st->v, cap * sizeof(*st->v));

			if (!nv)
				return -ENOMEM;
			st->v = nv;
			st->cap = cap;
		}
		st->v[st->n++] = (struct ipset_entry){ k, nomatch, r->v[i] };
	}
	r->n = before;
	return err;
}

static int ipset_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *w[8], *we[8];
	int n, i, nomatch = 0;

	feed_trim(&t, &e);
	if (t == e || *t == '#')
		return 0;
	for (n = 0; n < 8; n++) {
		while (t < e && feed_is_space(*t))
			t++;
		w[n] = t;
		while (t < e && !feed_is_space(*t))
			t++;
		we[n] = t;
		if (w[n] == we[n])
			break;
	}
	if (n >= 3 && we[0] - w[0] == 3 && !memcmp(w[0], "add", 3)) {
		for (i = 3; i < n; i++)
			nomatch |= we[i] - w[i] == 7 && !memcmp(w[i], "nomatch", 7);
		return ipset_add(p, w[1], we[1] - w[1], w[2], we[2] - w[2], nomatch);
	}
	if (n >= 1 && ((we[0] - w[0] == 6 && !memcmp(w[0], "create", 6)) ||
		       (we[0] - w[0] == 5 && !memcmp(w[0], "flush", 5))))
		return 0;
	p->entry_lines++;
	feed_report(p, FEED_ERROR, "bad lines", "\"%.*s\": expected \"add SET ADDRESS\"",
		    FEED_SHOWN(e - s), s);
	return 0;
}

static int push_cb(const struct cidr *c, void *p)
{
	return feed_push(p, c);
}

static int cmp_cidr(const void *a, const void *b)
{
	return cidr_cmp(a, b);
}

/* Each set's entries minus its nomatch holes: ipset matches the most
 * specific element, so a hole cuts out of the larger elements around it
 * and an element inside a hole is kept. */
static int ipset_finish(struct pctx *p, int err)
{
	struct ipset_state *st = p->own;
	struct cidr *holes = NULL;
	__u32 k;
	size_t i, j, nh;

	if (!st)
		return err;
	holes = calloc(st->n ? st->n : 1, sizeof(*holes));
	if (!holes)
		err = err ? err : -ENOMEM;
	for (k = 0; !err && k < st->nnames; k++) {
		for (i = 0, nh = 0; i < st->n; i++)
			if (st->v[i].set == k && st->v[i].nomatch)
				holes[nh++] = st->v[i].c;
		qsort(holes, nh, sizeof(*holes), cmp_cidr);
		for (i = 0; !err && i < st->n; i++) {
			struct cidr inside[64];
			size_t ni = 0;

			if (st->v[i].set != k || st->v[i].nomatch)
				continue;
			for (j = 0; j < nh; j++) /* the holes strictly inside this element */
				if (holes[j].plen > st->v[i].c.plen &&
				    cidr_contains(&st->v[i].c, &holes[j]) && ni < 64)
					inside[ni++] = holes[j];
			err = cidr_subtract(&st->v[i].c, inside, ni, push_cb, p);
		}
	}
	free(holes);
	free(st->names);
	free(st->v);
	free(st);
	p->own = NULL;
	return err;
}

static int ipset_detect(const struct sniff *sn, const char **why)
{
	const char *ls, *le;

	*why = "\"create\" and \"add\" lines of ipset save";
	return first_data_line(sn, &ls, &le) &&
	       (feed_starts(ls, le, "create ") || feed_starts(ls, le, "add ")) ? 90 : 0;
}

/* ---- CrowdSec: `cscli decisions list -o json` (alerts, each with its
 * "decisions"), the LAPI stream {"new":[...],"deleted":[...]}, or a plain
 * array of decisions.  Only bans on Ip or Range become entries. */

/* the durations kept beside the entries are crowdsec_duration()'s */
_Static_assert(FEED_TTL_ENDED == CROWDSEC_ENDED, "one value says a decision has ended");

/* Keeps the decision's duration beside the entries it added. */
static int crowdsec_ttl(struct pctx *p, size_t from, __u32 ttl)
{
	__u32 *grown;
	size_t i;

	grown = realloc(p->r->ttl, (p->r->cap ? p->r->cap : 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	p->r->ttl = grown;
	for (i = from; i < p->r->n; i++)
		grown[i] = ttl;
	return 0;
}

static int crowdsec_decision(struct pctx *p, json_t *d)
{
	const char *v;
	size_t before = p->r->n;
	int err;

	switch (crowdsec_classify(d, &v)) {
	case CROWDSEC_NOT_OBJECT:
		feed_report(p, FEED_ERROR, "bad decisions", "a decision must be a JSON object");
		return 0;
	case CROWDSEC_NOT_BAN:
		feed_report(p, FEED_NOTE, "decisions that are not bans, never blocked", "%s", v);
		return 0;
	case CROWDSEC_SIMULATED:
		feed_report(p, FEED_NOTE, "simulated decisions, never blocked", "simulated");
		return 0;
	case CROWDSEC_NO_VALUE:
		p->entry_lines++;
		feed_report(p, FEED_ERROR, "bad decisions", "a decision without a \"value\"");
		return 0;
	case CROWDSEC_OTHER_SCOPE:
		feed_report(p, FEED_NOTE, "decisions for another scope than Ip or Range, never "
			    "blocked", "%s", v);
		return 0;
	case CROWDSEC_BAN:
		break;
	}
	err = feed_add_token(p, v, strlen(v));
	return err ? err : crowdsec_ttl(p, before, crowdsec_duration(json_string_value(
						      json_object_get(d, "duration"))));
}

static int crowdsec_array(struct pctx *p, json_t *a)
{
	size_t i, k;
	json_t *e, *d;
	int err = 0;

	json_array_foreach(a, i, e) {
		json_t *nested = json_object_get(e, "decisions");

		if (json_is_array(nested) || (json_is_null(nested) && json_object_get(e, "source"))) {
			/* cscli: an alert; its own "source" is not a decision */
			json_array_foreach(nested, k, d)
				if ((err = crowdsec_decision(p, d)))
					return err;
		} else if ((err = crowdsec_decision(p, e))) {
			return err;
		}
	}
	return 0;
}

static int crowdsec_document(struct pctx *p, const char *buf, size_t len)
{
	json_error_t jerr;
	json_t *doc, *news;
	unsigned long lines = 1;
	size_t i;
	int err = 0;

	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	doc = json_loadb(buf, len, JSON_DECODE_ANY, &jerr);
	if (!doc) {
		p->ln = jerr.line > 0 ? (unsigned long)jerr.line : 0;
		if (json_error_code(&jerr) == json_error_premature_end_of_input)
			feed_report(p, FEED_ERROR, "truncated", "the JSON document ends in the middle: "
				    "a truncated download? The whole file is refused");
		else
			feed_report(p, FEED_ERROR, "truncated", "not valid JSON (%s): the whole file "
				    "is refused", jerr.text);
		return -EBADMSG;
	}
	/* jansson keeps no line numbers for values: messages name the file only */
	news = json_object_get(doc, "new");
	if (json_is_null(doc) || (json_is_array(doc) && !json_array_size(doc)) ||
	    (json_is_object(doc) && (json_is_null(news) || (json_is_array(news) &&
							    !json_array_size(news)))))
		p->r->says_empty = 1; /* nothing to ban right now, said in so many words */
	if (json_is_array(doc))
		err = crowdsec_array(p, doc);
	else if (json_is_object(doc) && (json_is_array(news) || json_is_null(news)))
		err = crowdsec_array(p, news);
	else if (!json_is_null(doc)) {
		feed_report(p, FEED_ERROR, "truncated", "not a CrowdSec document: expected an array "
			    "of decisions or alerts, or {\"new\": [...], \"deleted\": [...]}");
		err = -EBADMSG;
	}
	json_decref(doc);
	p->ln = lines;
	return err;
}

static int crowdsec_detect(const struct sniff *sn, const char **why)
{
	char c;

	*why = "a JSON document (CrowdSec's shapes)";
	return json_start(sn, &c) ? 95 : 0;
}

/* ---- ipsum: ADDRESS<TAB>SCORE, the score being how many lists name it */

static int ipsum_detect(const struct sniff *sn, const char **why)
{
	const char *ls, *le, *f[3], *fe[3];

	*why = "ADDRESS<TAB>SCORE lines";
	return first_data_line(sn, &ls, &le) && memchr(ls, '\t', le - ls) &&
	       fields(ls, le, f, fe, 3) == 2 && is_addr(f[0], fe[0]) && is_number(f[1], fe[1])
		       ? 60 : 0;
}

/* ---- bouclier's regional list (loader/region.c writes it, signed): the
 * first line REGION_MAGIC, then "# sequence: N" and "# made: UNIX ..." before
 * any entry, one address or IPv6 /64 a line, and "# END N entries" last.
 * The sequence is what lets a town refuse an old list replayed. */
#define REGION_MAGIC "# bouclier-region-list 1"

static long header_num(const char *s, const char *e, const char *key)
{
	return feed_starts(s, e, key) ? feed_num(s + strlen(key), e) : -1;
}

static int region_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *te = e;
	long n;

	feed_trim(&t, &te);
	if (p->ln == 1) {
		if ((size_t)(te - t) == strlen(REGION_MAGIC) && !memcmp(t, REGION_MAGIC, te - t))
			return 0;
		feed_report(p, FEED_ERROR, "truncated", "not a regional list: its first line must "
			    "be \"%s\". The whole file is refused", REGION_MAGIC);
		return -EBADMSG;
	}
	if (t == te || *t != '#')
		return feed_plain_line(p, s, e);
	if (feed_starts(t, te, "# END") && (n = feed_num(t + 5, te)) >= 0) {
		p->declared = n;
		p->declared_by = "its \"# END\" line";
		p->trailer = 1;
	} else if (!p->entry_lines && !p->r->sequence &&
		   (n = header_num(t, te, "# sequence:")) > 0) {
		p->r->sequence = n;
	} else if (!p->entry_lines && !p->r->made && (n = header_num(t, te, "# made:")) > 0) {
		p->r->made = n;
	}
	return 0;
}

static int region_finish(struct pctx *p, int err)
{
	if (!err && !p->trailer) {
		feed_report(p, FEED_ERROR, "truncated", "no \"# END N entries\" line at the end: "
			    "the observatory ends every regional list with one, so the download "
			    "was cut short. The whole file is refused");
		return -EBADMSG;
	}
	if (!err && !p->declared)
		p->r->says_empty = 1; /* "# END 0 entries": nothing seen twice, on purpose */
	if (!err && !p->r->sequence) {
		feed_report(p, FEED_ERROR, "truncated", "no \"# sequence: N\" line before the "
			    "entries: a regional list carries one, or an old list could be "
			    "replayed. The whole file is refused");
		return -EBADMSG;
	}
	return err;
}

static int region_detect(const struct sniff *sn, const char **why)
{
	const char *s = sn->head, *end = sn->head + sn->hlen, *ls, *le;

	*why = "its first line \"" REGION_MAGIC "\"";
	return feed_next_line(&s, end, &ls, &le) && (size_t)(le - ls) == strlen(REGION_MAGIC) &&
	       !memcmp(ls, REGION_MAGIC, le - ls) ? 100 : 0;
}

const struct feed_format_def feed_formats[FEED_FORMAT_MAX] = {
	[FEED_AUTO] = { "auto", "recognised from the file's structure" },
	[FEED_PLAIN] = { "plain", "one address, CIDR or A.B.C.D-E.F.G.H range a line; "
			 "further columns ignored", NULL, feed_plain_line },
	[FEED_NETSET] = { "netset", "FireHOL .netset/.ipset, its \"# Entries\" header checked",
			  netset_detect, netset_line, NULL, netset_finish },
	[FEED_SPAMHAUS] = { "spamhaus", "Spamhaus DROP text, \"CIDR ; SBL...\" lines and "
			    "\"; EOF\"", spamhaus_detect, spamhaus_line, NULL, spamhaus_finish },
	[FEED_SPAMHAUS_JSON] = { "spamhaus-json", "Spamhaus NDJSON and its metadata record",
				 spamhaus_json_detect, spamhaus_json_line, NULL,
				 spamhaus_json_finish },
	[FEED_DSHIELD] = { "dshield", "DShield block.txt: start, end, prefix length columns",
			   dshield_detect, dshield_line },
	[FEED_ABUSECH] = { "abusech", "abuse.ch list and its \"# END N entries\" line",
			   abusech_detect, abusech_line, NULL, abusech_finish },
	[FEED_IPSET] = { "ipset", "ipset save output, \"add SET CIDR\", nomatch holes",
			 ipset_detect, ipset_line, NULL, ipset_finish },
	[FEED_CROWDSEC] = { "crowdsec", "CrowdSec JSON: cscli alerts, LAPI stream or decisions",
			    crowdsec_detect, NULL, crowdsec_document },
	[FEED_IPSUM] = { "ipsum", "stamparm/ipsum, ADDRESS<TAB>SCORE (min_score keeps the "
			 "addresses named by that many lists)", ipsum_detect, feed_plain_line },
	[FEED_REGION] = { "region", "bouclier's regional list, signed: its first line, sequence "
			  "and \"# END N entries\" checked", region_detect, region_line, NULL,
			  region_finish },
};
