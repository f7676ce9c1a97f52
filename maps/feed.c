// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * feed.c - the reader every format shares: the file, the BOM, the lines,
 * detection (each format scores the file's structure; the best wins),
 * deprecation notices, the report of problems summed up by kind, and the
 * announced-count check.  The formats are in formats.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "format.h"

const char *feed_format_name(enum feed_format f)
{
	return f < FEED_FORMAT_MAX ? feed_formats[f].name : "?";
}

const char *feed_format_what(enum feed_format f)
{
	return f < FEED_FORMAT_MAX ? feed_formats[f].what : "?";
}

int feed_format_parse(const char *name)
{
	int i;

	for (i = 0; i < FEED_FORMAT_MAX; i++)
		if (!strcmp(name, feed_formats[i].name))
			return i;
	return -EINVAL;
}

const char *const *feed_format_names(void)
{
	static const char *names[FEED_FORMAT_MAX + 1];
	int i;

	for (i = 0; i < FEED_FORMAT_MAX; i++)
		names[i] = feed_formats[i].name;
	return names;
}

const char *feed_format_list(void)
{
	static char list[256];
	size_t len = 0;
	int i;

	if (list[0])
		return list;
	for (i = 0; i < FEED_FORMAT_MAX; i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
				feed_formats[i].name);
	return list;
}

static const char *const severities[] = { "error", "warning", "note" };

static struct feed_kind *kind_of(struct feed_result *r, const char *what, int sev)
{
	int i;

	for (i = 0; i < r->nkinds; i++)
		if (!strcmp(r->kinds[i].what, what))
			return &r->kinds[i];
	if (r->nkinds == FEED_KINDS) /* the kinds are a handful; the last one collects */
		return &r->kinds[FEED_KINDS - 1];
	r->kinds[r->nkinds] = (struct feed_kind){ what, severities[sev], 0, 0 };
	return &r->kinds[r->nkinds++];
}

void feed_report(struct pctx *p, int sev, const char *what, const char *fmt, ...)
{
	struct feed_kind *k = kind_of(p->r, what, sev);
	char msg[320];
	va_list ap;

	if (!k->count++)
		k->first_line = p->ln;
	if (sev == FEED_ERROR)
		p->r->errors++;
	else if (sev == FEED_WARNING)
		p->r->warnings++;
	if (sev == FEED_NOTE || k->count > FEED_SHOWN_LINES || !p->d || !p->d->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->d->report(p->d->ctx, p->name, p->ln, severities[sev], msg);
}

/* 749990 -> "749,990" */
static const char *grouped(unsigned long v, char *buf, size_t len)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%lu", v), i, o = 0;

	for (i = 0; i < n && o + 2 < (int)len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = 0;
	return buf;
}

/* After the file, one line a kind for what was not shown line by line. */
static void summarise(struct pctx *p)
{
	char msg[256], num[32];
	int i;

	if (!p->d || !p->d->report)
		return;
	for (i = 0; i < p->r->nkinds; i++) {
		const struct feed_kind *k = &p->r->kinds[i];

		if (!strcmp(k->severity, "note"))
			snprintf(msg, sizeof(msg), "%s %s", grouped(k->count, num, sizeof(num)),
				 k->what);
		else if (k->count > FEED_SHOWN_LINES)
			snprintf(msg, sizeof(msg), "... and %s more lines with %s",
				 grouped(k->count - FEED_SHOWN_LINES, num, sizeof(num)), k->what);
		else
			continue;
		p->d->report(p->d->ctx, p->name, 0, k->severity, msg);
	}
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

int feed_push(struct pctx *p, const struct cidr *c)
{
	struct feed_result *r = p->r;

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

static int push_range_cidr(const struct cidr *c, void *ctx)
{
	return feed_push(ctx, c);
}

int feed_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void feed_trim(const char **s, const char **e)
{
	while (*s < *e && feed_is_space(**s))
		(*s)++;
	while (*e > *s && feed_is_space((*e)[-1]))
		(*e)--;
}

long feed_num(const char *s, const char *e)
{
	long n = 0;
	int digits = 0;

	while (s < e && (feed_is_space(*s) || *s == ':' || *s == '('))
		s++;
	for (; s < e && *s >= '0' && *s <= '9' && digits < 12; s++, digits++)
		n = n * 10 + (*s - '0');
	return digits ? n : -1;
}

const char *feed_find(const char *s, const char *e, const char *needle)
{
	size_t n = strlen(needle);

	for (; s + n <= e; s++)
		if (!strncasecmp(s, needle, n))
			return s;
	return NULL;
}

int feed_starts(const char *s, const char *e, const char *prefix)
{
	size_t n = strlen(prefix);

	return (size_t)(e - s) >= n && !memcmp(s, prefix, n);
}

int feed_next_line(const char **s, const char *end, const char **ls, const char **le)
{
	const char *nl;

	if (*s >= end)
		return 0;
	nl = memchr(*s, '\n', end - *s);
	*ls = *s;
	*le = nl ? nl : end;
	*s = nl ? nl + 1 : end;
	if (*le > *ls && (*le)[-1] == '\r')
		(*le)--;
	return 1;
}

int feed_add_token(struct pctx *p, const char *s, size_t len)
{
	const char *dash = memchr(s, '-', len), *why = NULL;
	struct cidr c, hi;
	char shown[CIDR_STRLEN];
	int flags, err;

	p->entry_lines++;
	if (dash) {
		if (cidr_parse_addr(s, dash - s, &c, &why) ||
		    cidr_parse_addr(dash + 1, s + len - dash - 1, &hi, &why)) {
			feed_report(p, FEED_ERROR, "bad ranges", "bad range \"%.*s\": %s",
				    FEED_SHOWN(len), s, why);
			return 0;
		}
		err = cidr_range(&c, &hi, push_range_cidr, p);
		if (err == -EINVAL)
			feed_report(p, FEED_ERROR, "bad ranges", "bad range \"%.*s\": both ends of one "
				    "family, first <= last, and not the whole address space",
				    FEED_SHOWN(len), s);
		return err == -EINVAL ? 0 : err;
	}
	if (cidr_parse(s, len, &c, &flags, &why)) {
		feed_report(p, FEED_ERROR, "bad addresses", "\"%.*s\": %s", FEED_SHOWN(len), s, why);
		return 0;
	}
	if (flags & CIDR_HOSTBITS)
		feed_report(p, FEED_WARNING, "host bits set", "\"%.*s\" has host bits set; using %s",
			    FEED_SHOWN(len), s, cidr_format(&c, shown, sizeof(shown)));
	return feed_push(p, &c);
}

/* A publisher's notice that the list is retired, in its own words: Spamhaus
 * "This list has been merged into ...", "deprecated", "discontinued". */
static void notice(struct pctx *p, const char *s, const char *e)
{
	static const char *const words[] = { "merged into", "deprecated", "discontinued",
					     "no longer maintained", "no longer updated",
					     "list is empty" };
	size_t i;

	if (p->r->deprecated)
		return;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (feed_find(s, e, words[i])) {
			while (s < e && (*s == '#' || *s == ';' || feed_is_space(*s)))
				s++;
			feed_trim(&s, &e);
			p->r->deprecated = 1;
			snprintf(p->r->notice, sizeof(p->r->notice), "%.*s", (int)(e - s), s);
			return;
		}
}

static enum feed_format detect(const char *buf, size_t len, struct feed_result *r)
{
	struct sniff sn = { buf, buf + len - (len < 512 ? len : 512), len < 8192 ? len : 8192,
			    len < 512 ? len : 512 };
	int best = FEED_PLAIN, best_score = 0, also_score = 1, i;

	r->format_why = "one address a line; no other format fits";
	r->also = FEED_AUTO;
	for (i = FEED_PLAIN + 1; i < FEED_FORMAT_MAX; i++) {
		const char *why = NULL;
		int score = feed_formats[i].detect ? feed_formats[i].detect(&sn, &why) : 0;

		if (score > best_score) {
			if (best_score > also_score) {
				r->also = best;
				r->also_why = r->format_why;
				also_score = best_score;
			}
			best = i;
			best_score = score;
			r->format_why = why;
		} else if (score > also_score) {
			r->also = i;
			r->also_why = why;
			also_score = score;
		}
	}
	return best;
}

int feed_parse_buf(const char *name, const char *buf, size_t len, const struct feed_options *o,
		   struct feed_result *r, const struct feed_diag *d)
{
	static const struct feed_options none = { FEED_AUTO, 0 };
	struct pctx p = { .name = name, .r = r, .d = d, .o = o ? o : &none, .declared = -1 };
	const struct feed_format_def *f;
	const char *s = buf, *end = buf + len, *ls, *le;
	enum feed_format fmt = p.o->format;
	int err = 0;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	if (fmt == FEED_AUTO || fmt >= FEED_FORMAT_MAX) {
		fmt = detect(s, end - s, r);
	} else {
		r->format_why = "forced";
		r->also = FEED_AUTO;
	}
	r->format = fmt;
	f = &feed_formats[fmt];
	/* room for a line-a-prefix list at once: the growth's copies were a
	 * tenth of a big load (only the pages written are memory) */
	if (!r->cap && len / 10 > 1024) {
		r->v = malloc(len / 10 * sizeof(*r->v));
		r->cap = r->v ? len / 10 : 0;
	}
	if (f->document) {
		err = f->document(&p, s, end - s);
	} else {
		while (!err && feed_next_line(&s, end, &ls, &le)) {
			const char *t = ls;

			p.ln++;
			while (t < le && feed_is_space(*t))
				t++;
			if (t < le && (*t == '#' || *t == ';'))
				notice(&p, t, le);
			err = f->line(&p, ls, le);
		}
	}
	r->lines = p.ln;
	p.ln = 0;
	if (!err && p.declared >= 0 && (unsigned long)p.declared != p.entry_lines) {
		feed_report(&p, FEED_ERROR, "truncated", "%s announces %ld entries but %lu were "
			    "read: a truncated download? The whole file is refused", p.declared_by,
			    p.declared, p.entry_lines);
		err = -EBADMSG;
	}
	if (f->finish)
		err = f->finish(&p, err);
	if (r->cap > r->n + r->n / 4 + 1024 && !r->ttl) { /* give back what the estimate over-took */
		struct cidr *v = realloc(r->v, (r->n ? r->n : 1) * sizeof(*v));

		if (v) {
			r->v = v;
			r->cap = r->n ? r->n : 1;
		}
	}
	summarise(&p);
	return err;
}

int feed_parse_file(const char *path, const struct feed_options *o, struct feed_result *r,
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
	err = feed_parse_buf(path, m ? m : "", st.st_size, o, r, d);
	if (m)
		munmap(m, st.st_size);
	return err;
}

void feed_result_free(struct feed_result *r)
{
	free(r->v);
	free(r->ttl);
	memset(r, 0, sizeof(*r));
}
