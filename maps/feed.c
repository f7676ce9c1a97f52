// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * feed.c - the reader every format shares: the file, the BOM, the lines,
 * detection (each format scores the file; the best wins), the report of bad
 * lines and the trailer checks.  The formats are in formats.c.
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

void feed_report(struct pctx *p, int sev, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	if (sev == FEED_ERROR)
		p->r->errors++;
	else
		p->r->warnings++;
	if (!p->d || !p->d->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->d->report(p->d->ctx, p->name, p->ln, sev == FEED_ERROR ? "error" : "warning", msg);
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
			feed_report(p, FEED_ERROR, "bad range \"%.*s\": %s", FEED_SHOWN(len), s, why);
			return 0;
		}
		err = cidr_range(&c, &hi, push, p->r);
		if (err == -EINVAL)
			feed_report(p, FEED_ERROR, "bad range \"%.*s\": both ends of one family, "
				    "first <= last, and not the whole address space",
				    FEED_SHOWN(len), s);
		return err == -EINVAL ? 0 : err;
	}
	if (cidr_parse(s, len, &c, &flags, &why)) {
		feed_report(p, FEED_ERROR, "\"%.*s\": %s", FEED_SHOWN(len), s, why);
		return 0;
	}
	if (flags & CIDR_HOSTBITS)
		feed_report(p, FEED_WARNING, "\"%.*s\" has host bits set; using %s",
			    FEED_SHOWN(len), s, cidr_format(&c, shown, sizeof(shown)));
	return push(&c, p->r);
}

/* "deprecated" or "this list is empty" in a comment: refresh may empty it. */
static void comment_words(struct pctx *p, const char *s, const char *e)
{
	if (feed_find(s, e, "deprecated") || feed_find(s, e, "list is empty") ||
	    feed_find(s, e, "discontinued"))
		p->r->deprecated = 1;
}

static enum feed_format detect(const char *buf, size_t len, const char **why)
{
	size_t hlen = len < 8192 ? len : 8192, tlen = len < 512 ? len : 512;
	int best = FEED_PLAIN, best_score = 0, i;

	*why = "no other format fits";
	for (i = FEED_PLAIN; i < FEED_FORMAT_MAX; i++) {
		const char *w = NULL;
		int score = feed_formats[i].detect ? feed_formats[i].detect(buf, hlen,
							buf + len - tlen, tlen, &w) : 0;

		if (score > best_score) {
			best = i;
			best_score = score;
			*why = w;
		}
	}
	return best;
}

int feed_parse_buf(const char *name, const char *buf, size_t len, enum feed_format fmt,
		   struct feed_result *r, const struct feed_diag *d)
{
	struct pctx p = { .name = name, .r = r, .d = d, .declared = -1 };
	const struct feed_format_def *f;
	const char *s = buf, *end = buf + len;
	int err = 0;

	if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	r->detected_why = "forced";
	if (fmt == FEED_AUTO || fmt >= FEED_FORMAT_MAX)
		fmt = detect(s, end - s, &r->detected_why);
	r->format = fmt;
	f = &feed_formats[fmt];
	if (f->document) {
		err = f->document(&p, s, end - s);
		r->lines = p.ln;
		return err;
	}
	while (s < end && !err) {
		const char *nl = memchr(s, '\n', end - s), *e = nl ? nl : end;

		p.ln++;
		if (s < e && (*s == '#' || *s == ';'))
			comment_words(&p, s, e);
		err = f->line(&p, s, e);
		s = nl ? nl + 1 : end;
	}
	r->lines = p.ln;
	if (err)
		return err;
	if (p.declared >= 0 && (unsigned long)p.declared != p.entry_lines) {
		p.ln = 0;
		feed_report(&p, FEED_ERROR, "%s announces %ld entries but %lu were read: a "
			    "truncated download? The whole file is refused", p.declared_by,
			    p.declared, p.entry_lines);
		return -EBADMSG;
	}
	if (f->finish) {
		p.ln = 0;
		err = f->finish(&p);
	}
	return err;
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
