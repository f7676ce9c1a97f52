// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "feed.h"

static const char *const format_names[FEED_FORMAT_MAX] = {
	[FEED_AUTO] = "auto",
	[FEED_PLAIN] = "plain",
	[FEED_NETSET] = "netset",
	[FEED_SPAMHAUS] = "spamhaus",
	[FEED_SPAMHAUS_JSON] = "spamhaus-json",
	[FEED_DSHIELD] = "dshield",
	[FEED_ABUSECH] = "abusech",
	[FEED_IPSET] = "ipset",
	[FEED_CROWDSEC] = "crowdsec",
};

const char *feed_format_name(enum feed_format f)
{
	return f < FEED_FORMAT_MAX ? format_names[f] : "?";
}

int feed_format_parse(const char *name)
{
	int i;

	for (i = 0; i < FEED_FORMAT_MAX; i++)
		if (!strcmp(name, format_names[i]))
			return i;
	return -EINVAL;
}

/* "auto, plain, ...", made from format_names so the two cannot disagree */
const char *feed_format_list(void)
{
	static char list[160];
	size_t len = 0;
	int i;

	if (list[0])
		return list;
	for (i = 0; i < FEED_FORMAT_MAX; i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				format_names[i]);
	return list;
}

/* What one parse needs besides the text. */
struct pctx {
	const char *name;
	struct feed_result *r;
	const struct feed_diag *d;
	unsigned long ln;
	unsigned long entry_lines; /* lines that held an entry, good or bad */
	long declared;             /* count the file announces; -1 = none */
	const char *declared_by;   /* what announced it */
	int eof_marker;
	int in_deleted;            /* crowdsec: inside "deleted" */
};

static void report(struct pctx *p, const char *sev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(struct pctx *p, const char *sev, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	if (!strcmp(sev, "error"))
		p->r->errors++;
	else
		p->r->warnings++;
	if (!p->d || !p->d->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->d->report(p->d->ctx, p->name, p->ln, sev, msg);
}

static void stderr_report(void *ctx, const char *file, unsigned long line, const char *sev,
			  const char *msg)
{
	(void)ctx;
	if (line)
		fprintf(stderr, "%s:%lu: %s: %s\n", file, line, sev, msg);
	else
		fprintf(stderr, "%s: %s: %s\n", file, sev, msg);
}

const struct feed_diag feed_diag_stderr = { stderr_report, NULL };

static int push(const struct cidr *c, void *ctx)
{
	struct feed_result *r = ctx;

	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		struct cidr *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *c;
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(const char **s, const char **e)
{
	while (*s < *e && is_space(**s))
		(*s)++;
	while (*e > *s && is_space((*e)[-1]))
		(*e)--;
}

/* Shows at most 60 characters of what was refused. */
#define SHOWN(len) (int)((len) > 60 ? 60 : (len))

/* One address, CIDR or range.  Returns 0 (used or reported) or -errno. */
static int add_token(struct pctx *p, const char *s, size_t len)
{
	const char *dash = memchr(s, '-', len), *why = NULL;
	struct cidr c, hi;
	char shown[CIDR_STRLEN];
	int flags, err;

	p->entry_lines++;
	if (dash) {
		if (cidr_parse_addr(s, dash - s, &c, &why) ||
		    cidr_parse_addr(dash + 1, s + len - dash - 1, &hi, &why)) {
			report(p, "error", "bad range \"%.*s\": %s", SHOWN(len), s, why);
			return 0;
		}
		err = cidr_range(&c, &hi, push, p->r);
		if (err == -EINVAL)
			report(p, "error", "bad range \"%.*s\": both ends of one family, first <= "
			       "last, and not the whole address space", SHOWN(len), s);
		return err == -EINVAL ? 0 : err;
	}
	if (cidr_parse(s, len, &c, &flags, &why)) {
		report(p, "error", "\"%.*s\": %s", SHOWN(len), s, why);
		return 0;
	}
	if (flags & CIDR_HOSTBITS)
		report(p, "warning", "\"%.*s\" has host bits set; using %s", SHOWN(len), s,
		       cidr_format(&c, shown, sizeof(shown)));
	return push(&c, p->r);
}

/* The token of a line that holds one, comments ('#' and ';') cut off. */
static int plain_line(struct pctx *p, const char *s, const char *e)
{
	const char *c;

	for (c = s; c < e && *c != '#' && *c != ';'; c++)
		;
	e = c;
	trim(&s, &e);
	if (s == e)
		return 0;
	for (c = s; c < e; c++)
		if (is_space(*c)) {
			p->entry_lines++;
			report(p, "error", "\"%.*s\": one address, CIDR or range a line expected",
			       SHOWN(e - s), s);
			return 0;
		}
	return add_token(p, s, e - s);
}

/* A decimal number in [s, e), never reading past e (buffers are not
 * NUL-terminated); -1 when there is none. */
static long num(const char *s, const char *e)
{
	long n = 0;
	int digits = 0;

	while (s < e && (is_space(*s) || *s == ':' || *s == '('))
		s++;
	for (; s < e && *s >= '0' && *s <= '9' && digits < 12; s++, digits++)
		n = n * 10 + (*s - '0');
	return digits ? n : -1;
}

static const char *find(const char *s, const char *e, const char *needle)
{
	size_t n = strlen(needle);

	for (; s + n <= e; s++)
		if (!strncasecmp(s, needle, n))
			return s;
	return NULL;
}

/* "deprecated" or "this list is empty" in a comment: refresh may empty it. */
static void comment_line(struct pctx *p, const char *s, const char *e)
{
	if (find(s, e, "deprecated") || find(s, e, "list is empty") ||
	    find(s, e, "discontinued"))
		p->r->deprecated = 1;
}

static int netset_line(struct pctx *p, const char *s, const char *e)
{
	const char *t;

	if (s < e && *s == '#') {
		comment_line(p, s, e);
		/* FireHOL: "# Entries         : 4495 subnets, 611046064 unique IPs" */
		if ((t = find(s, e, "Entries")) && (t = memchr(t, ':', e - t)) &&
		    num(t + 1, e) >= 0) {
			p->declared = num(t + 1, e);
			p->declared_by = "its \"# Entries\" header";
		}
		return 0;
	}
	return plain_line(p, s, e);
}

static int spamhaus_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *te = e;

	trim(&t, &te);
	if (t < te && *t == ';') {
		comment_line(p, t, te);
		t++;
		trim(&t, &te);
		if (te - t == 3 && !memcmp(t, "EOF", 3))
			p->eof_marker = 1;
		return 0;
	}
	return plain_line(p, s, e);
}

static const char *json_string(const char *s, const char *e, const char *key, size_t *len)
{
	char k[32];
	const char *t, *v;

	snprintf(k, sizeof(k), "\"%s\"", key);
	t = find(s, e, k);
	if (!t)
		return NULL;
	t += strlen(k);
	while (t < e && (is_space(*t) || *t == ':'))
		t++;
	if (t >= e || *t != '"')
		return NULL;
	v = ++t;
	while (t < e && *t != '"')
		t++;
	if (t >= e)
		return NULL;
	*len = t - v;
	return v;
}

static int spamhaus_json_line(struct pctx *p, const char *s, const char *e)
{
	const char *v;
	size_t len;

	trim(&s, &e);
	if (s == e)
		return 0;
	if ((v = json_string(s, e, "type", &len)) && len == 8 && !strncmp(v, "metadata", 8)) {
		const char *n = find(s, e, "\"records\"");

		if (n && num(n + 9, e) >= 0) {
			p->declared = num(n + 9, e);
			p->declared_by = "its metadata record";
		}
		return 0;
	}
	v = json_string(s, e, "cidr", &len);
	if (!v) {
		p->entry_lines++;
		report(p, "error", "a JSON object with a \"cidr\" field expected");
		return 0;
	}
	return add_token(p, v, len);
}

/* DShield block.txt: start, end, prefix length, attacks, name, country, email. */
static int dshield_line(struct pctx *p, const char *s, const char *e)
{
	const char *f[3], *fe[3], *t = s;
	char buf[64];
	int i;

	trim(&t, &e);
	if (t == e || *t == '#')
		return 0;
	if (e - t >= 5 && !strncasecmp(t, "Start", 5))
		return 0; /* the column header */
	for (i = 0; i < 3; i++) {
		while (t < e && is_space(*t))
			t++;
		f[i] = t;
		while (t < e && !is_space(*t))
			t++;
		fe[i] = t;
		if (f[i] == fe[i]) {
			p->entry_lines++;
			report(p, "error", "expected start, end and prefix length columns");
			return 0;
		}
	}
	if (snprintf(buf, sizeof(buf), "%.*s/%.*s", (int)(fe[0] - f[0]), f[0],
		     (int)(fe[2] - f[2]), f[2]) >= (int)sizeof(buf)) {
		p->entry_lines++;
		report(p, "error", "columns too long");
		return 0;
	}
	return add_token(p, buf, strlen(buf));
}

static int abusech_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *te = e;

	trim(&t, &te);
	if (t < te && *t == '#') {
		const char *end = find(t, te, "# END");

		comment_line(p, t, te);
		/* "# END 23 entries" or "# END (23 entries)" */
		if (end && num(end + 5, te) >= 0) {
			p->declared = num(end + 5, te);
			p->declared_by = "its \"# END\" trailer";
			p->eof_marker = 1;
		}
		return 0;
	}
	return plain_line(p, s, e);
}

static int ipset_line(struct pctx *p, const char *s, const char *e)
{
	const char *t = s, *w[3], *we[3];
	int i;

	trim(&t, &e);
	if (t == e || *t == '#')
		return 0;
	for (i = 0; i < 3; i++) {
		while (t < e && is_space(*t))
			t++;
		w[i] = t;
		while (t < e && !is_space(*t))
			t++;
		we[i] = t;
	}
	if (we[0] - w[0] == 3 && !memcmp(w[0], "add", 3) && w[2] < we[2])
		return add_token(p, w[2], we[2] - w[2]);
	if ((we[0] - w[0] == 6 && !memcmp(w[0], "create", 6)) ||
	    (we[0] - w[0] == 5 && !memcmp(w[0], "flush", 5)))
		return 0;
	p->entry_lines++;
	report(p, "error", "\"%.*s\": expected \"add SET ADDRESS\"", SHOWN(e - s), s);
	return 0;
}

/*
 * CrowdSec decisions: an array of objects, or the stream API's
 * {"new": [...], "deleted": [...]}.  Every object of "new" (or of the array)
 * whose "type" is ban (or absent) gives its "value", read as scope Ip or
 * Range; other scopes (Country, AS, ...) are skipped with a warning.
 */
static int crowdsec_object(struct pctx *p, const char *s, const char *e)
{
	const char *v, *scope, *type;
	size_t len, slen, tlen;

	type = json_string(s, e, "type", &tlen);
	if (type && !(tlen == 3 && !strncasecmp(type, "ban", 3)))
		return 0;
	v = json_string(s, e, "value", &len);
	scope = json_string(s, e, "scope", &slen);
	if (!v) {
		p->entry_lines++;
		report(p, "error", "a decision without a \"value\"");
		return 0;
	}
	if (scope && !((slen == 2 && !strncasecmp(scope, "ip", 2)) ||
		       (slen == 5 && !strncasecmp(scope, "range", 5)))) {
		report(p, "warning", "decision for scope \"%.*s\" skipped: only Ip and Range "
		       "can be filtered", SHOWN(slen), scope);
		return 0;
	}
	return add_token(p, v, len);
}

static int crowdsec_parse(struct pctx *p, const char *buf, const char *end)
{
	const char *s = buf, *obj = NULL;
	int depth = 0, instr = 0, err;

	p->ln = 1;
	for (; s < end; s++) {
		if (*s == '\n')
			p->ln++;
		if (instr) {
			if (*s == '\\')
				s++;
			else if (*s == '"')
				instr = 0;
			continue;
		}
		switch (*s) {
		case '"':
			instr = 1;
			if (depth == 1 && end - s >= 9 && !memcmp(s, "\"deleted\"", 9))
				p->in_deleted = 1;
			else if (depth == 1 && end - s >= 5 && !memcmp(s, "\"new\"", 5))
				p->in_deleted = 0;
			break;
		case '{':
		case '[':
			if (*s == '{' && !obj && depth >= 1)
				obj = s;
			depth++;
			break;
		case '}':
		case ']':
			depth--;
			if (*s == '}' && obj && depth >= 1 && !p->in_deleted &&
			    !memchr(obj + 1, '{', s - obj - 1)) {
				err = crowdsec_object(p, obj, s + 1);
				if (err)
					return err;
			}
			if (*s == '}')
				obj = NULL;
			break;
		}
	}
	if (depth != 0 || instr) {
		report(p, "error", "the JSON document ends in the middle: truncated download?");
		return -EBADMSG;
	}
	return 0;
}

static enum feed_format detect(const char *buf, size_t len)
{
	size_t head = len < 8192 ? len : 8192;
	const char *s = buf, *e = buf + head, *tail = len > 512 ? buf + len - 512 : buf;

	while (s < e && (is_space(*s) || *s == '\n'))
		s++;
	if (s < e && (*s == '[' || *s == '{'))
		return json_string(s, e, "cidr", &head) ? FEED_SPAMHAUS_JSON : FEED_CROWDSEC;
	if (find(buf, e, "\ncreate ") || find(buf, e, "\nadd ") ||
	    (e - s >= 7 && !memcmp(s, "create ", 7)) || (e - s >= 4 && !memcmp(s, "add ", 4)))
		return FEED_IPSET;
	if (find(buf, e, "DShield") || find(buf, e, "Start\tEnd\tNetblock"))
		return FEED_DSHIELD;
	if (find(buf, e, "abuse.ch") || find(tail, buf + len, "# END"))
		return FEED_ABUSECH;
	if (find(buf, e, "Spamhaus") || find(buf, e, "; SBL"))
		return FEED_SPAMHAUS;
	if (find(buf, e, "# Entries"))
		return FEED_NETSET;
	return FEED_PLAIN;
}

int feed_parse_buf(const char *name, const char *buf, size_t len, enum feed_format fmt,
		   struct feed_result *r, const struct feed_diag *d)
{
	int (*line)(struct pctx *, const char *, const char *);
	struct pctx p = { .name = name, .r = r, .d = d, .declared = -1 };
	const char *s = buf, *end = buf + len;
	int err = 0;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	if (fmt == FEED_AUTO)
		fmt = detect(s, end - s);
	r->format = fmt;
	switch (fmt) {
	case FEED_NETSET:
		line = netset_line;
		break;
	case FEED_SPAMHAUS:
		line = spamhaus_line;
		break;
	case FEED_SPAMHAUS_JSON:
		line = spamhaus_json_line;
		break;
	case FEED_DSHIELD:
		line = dshield_line;
		break;
	case FEED_ABUSECH:
		line = abusech_line;
		break;
	case FEED_IPSET:
		line = ipset_line;
		break;
	case FEED_CROWDSEC:
		err = crowdsec_parse(&p, s, end);
		r->lines = p.ln;
		return err;
	default:
		line = plain_line;
	}
	while (s < end && !err) {
		const char *nl = memchr(s, '\n', end - s), *e = nl ? nl : end;

		p.ln++;
		if (s < e && (*s == '#' || *s == ';') && fmt == FEED_PLAIN)
			comment_line(&p, s, e);
		err = line(&p, s, e);
		s = nl ? nl + 1 : end;
	}
	r->lines = p.ln;
	if (err)
		return err;
	if (p.declared >= 0 && (unsigned long)p.declared != p.entry_lines) {
		p.ln = 0;
		report(&p, "error", "%s announces %ld entries but %lu were read: a truncated "
		       "download? The whole file is refused", p.declared_by, p.declared,
		       p.entry_lines);
		return -EBADMSG;
	}
	if (fmt == FEED_SPAMHAUS && !p.eof_marker && p.entry_lines) {
		p.ln = 0;
		report(&p, "warning", "no \"; EOF\" trailer: the download may be cut short");
	}
	return 0;
}

int feed_parse_file(const char *path, enum feed_format fmt, struct feed_result *r,
		    const struct feed_diag *d)
{
	struct stat st;
	void *m = NULL;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return -EISDIR;
	}
	if (st.st_size) {
		m = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			err = -errno;
			close(fd);
			return err;
		}
	}
	close(fd);
	err = feed_parse_buf(path, m ? m : "", st.st_size, fmt, r, d);
	if (m)
		munmap(m, st.st_size);
	return err;
}

void feed_result_free(struct feed_result *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}
