// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "feed.h"

static const char *const format_names[FEED_FORMAT_MAX] = {
	[FEED_AUTO] = "auto",
	[FEED_PLAIN] = "plain",
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

const char *feed_format_list(void)
{
	return "auto, plain";
}

static void report(const struct feed_diag *d, const char *file, unsigned long line,
		   const char *sev, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!d || !d->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	d->report(d->ctx, file, line, sev, msg);
}

static void stderr_report(void *ctx, const char *file, unsigned long line, const char *sev,
			  const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s:%lu: %s: %s\n", file, line, sev, msg);
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

/* One token of the plain format: address, CIDR or range. */
static int plain_token(const char *name, unsigned long ln, const char *s, size_t len,
		       struct feed_result *r, const struct feed_diag *d)
{
	const char *dash = memchr(s, '-', len), *why = NULL;
	struct cidr c, hi;
	char shown[CIDR_STRLEN];
	int flags, err;

	if (dash) {
		if (cidr_parse_addr(s, dash - s, &c, &why) ||
		    cidr_parse_addr(dash + 1, s + len - dash - 1, &hi, &why)) {
			report(d, name, ln, "error", "bad range \"%.*s\": %s", (int)len, s, why);
			return 1;
		}
		err = cidr_range(&c, &hi, push, r);
		if (err == -EINVAL) {
			report(d, name, ln, "error",
			       "bad range \"%.*s\": ends must be one family, first <= last, "
			       "and not the whole address space", (int)len, s);
			return 1;
		}
		return err;
	}
	if (cidr_parse(s, len, &c, &flags, &why)) {
		report(d, name, ln, "error", "\"%.*s\": %s", (int)len, s, why);
		return 1;
	}
	if (flags & CIDR_HOSTBITS) {
		report(d, name, ln, "warning", "\"%.*s\" has host bits set; using %s", (int)len, s,
		       cidr_format(&c, shown, sizeof(shown)));
		r->warnings++;
	}
	return push(&c, r);
}

int feed_parse_buf(const char *name, const char *buf, size_t len, enum feed_format fmt,
		   struct feed_result *r, const struct feed_diag *d)
{
	const char *p = buf, *end = buf + len;
	unsigned long ln = 0;
	int err;

	if (fmt == FEED_AUTO)
		fmt = FEED_PLAIN;
	r->format = fmt;
	if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *e = nl ? nl : end, *t, *te;

		ln++;
		t = p;
		p = nl ? nl + 1 : end;
		for (te = t; te < e && *te != '#' && *te != ';'; te++)
			;
		while (t < te && is_space(*t))
			t++;
		while (te > t && is_space(te[-1]))
			te--;
		if (t == te)
			continue;
		if (memchr(t, ' ', te - t) || memchr(t, '\t', te - t)) {
			report(d, name, ln, "error",
			       "\"%.*s\": one address, CIDR or range a line expected", (int)(te - t),
			       t);
			r->errors++;
			continue;
		}
		err = plain_token(name, ln, t, te - t, r, d);
		if (err < 0)
			return err;
		r->errors += err;
	}
	r->lines = ln;
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
