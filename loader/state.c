// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "feed.h"
#include "log.h"
#include "state.h"

static int mkdir_p(const char *dir, mode_t mode)
{
	char tmp[PATH_MAX], *p;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

static void remove_staged(const char *dir)
{
	char path[PATH_MAX * 2];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d)))
		if (strstr(de->d_name, ".tmp-")) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
}

int state_lock_file(const char *path, int wait_ms)
{
	int fd, err, waited = 0;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		err = errno;
		if (err != EWOULDBLOCK || waited >= wait_ms) {
			close(fd);
			return err == EWOULDBLOCK ? -EWOULDBLOCK : -err;
		}
		usleep(50 * 1000);
		waited += 50;
	}
	return fd;
}

int state_open(struct state *s, const char *dir, int wait_ms)
{
	char path[PATH_MAX + 16];
	int err;

	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	if (wait_ms == STATE_READ_ONLY)
		return 0;
	snprintf(path, sizeof(path), "%s/feeds", dir);
	err = mkdir_p(path, 0700);
	if (err) {
		pr_warn("cannot create state directory %s: %s\n", path, strerror(-err));
		return err;
	}
	snprintf(path, sizeof(path), "%s/lock", dir);
	s->lock_fd = state_lock_file(path, wait_ms);
	if (s->lock_fd == -EWOULDBLOCK) {
		if (wait_ms != STATE_TRY)
			pr_warn("another bouclier holds %s; try again later\n", path);
	} else if (s->lock_fd < 0) {
		pr_warn("cannot open lock %s: %s\n", path, strerror(-s->lock_fd));
	}
	if (s->lock_fd < 0) {
		err = s->lock_fd;
		s->lock_fd = -1;
		return err;
	}
	/* with the lock held, a staged file is what a killed bouclier left */
	remove_staged(dir);
	snprintf(path, sizeof(path), "%s/feeds", dir);
	remove_staged(path);
	return 0;
}

static void feed_free(struct feed_state *f)
{
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

void state_close(struct state *s)
{
	int i;

	for (i = 0; i < s->nfeeds; i++)
		feed_free(&s->feeds[i]);
	free(s->allow);
	s->allow = NULL;
	free(s->allow_conf);
	s->allow_conf = NULL;
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
}

/* A feed's list is kept as an image after its header: the line
 * "# image: N", then N entries of a family byte (4 or 6), a prefix length,
 * and the address's first 4 or 16 bytes, in the order of the list (sorted
 * and folded).  It is read with one read(2) and no parsing: a 1M-line
 * feed's 600k prefixes are 3.7 MB where their text is 9, and the state's
 * part of a small change went from reading and writing text to copying
 * bytes (docs/performance.md).  Files of text, as bouclier wrote them
 * before, are read as ever; the next load of the feed writes its image. */
#define IMAGE_LINE "# image: "
#define IMAGE_MAX (1ull << 28)
#define IMAGE_FIX "load the feed again (`bouclier refresh`, or `bouclier feed load`)"

static size_t image_entry_len(int family)
{
	return family == 4 ? 6 : 18;
}

/* The n entries after the "# image:" line, to the file's end: each checked
 * (family, a length of 1 to 32 or 128, no bit past the length), as many as
 * are whole kept.  A /0 would drop every address: cidr_parse refuses it and
 * the fold never makes one, so here it can only be damage. */
static int read_image(FILE *fp, const char *path, size_t n, struct cidr **v, size_t *nv)
{
	unsigned char *buf = NULL;
	struct cidr *out = NULL;
	size_t len = 0, k = 0, at = 0, want = n, most;
	struct stat sb;
	off_t start = ftello(fp);
	int err = 0;

	if (start < 0 || fstat(fileno(fp), &sb))
		return -errno;
	/* no more than n entries can take, and a byte to see what follows */
	most = n * image_entry_len(6) + 1;
	if (sb.st_size > start) {
		len = (size_t)(sb.st_size - start) < most ? (size_t)(sb.st_size - start) : most;
		buf = malloc(len);
		if (!buf)
			return -ENOMEM;
		len = fread(buf, 1, len, fp); /* shorter: cut as it was read, damage */
		if (ferror(fp)) {
			err = -EIO;
			goto out;
		}
	}
	if (n > len / image_entry_len(4)) /* no more than the bytes can hold */
		n = len / image_entry_len(4);
	out = n ? malloc(n * sizeof(*out)) : NULL;
	if (n && !out) {
		err = -ENOMEM;
		goto out;
	}
	for (; k < n && len - at >= 2; k++) {
		const unsigned char *p = buf + at;
		size_t el = image_entry_len(p[0]);
		struct cidr *c = &out[k];

		if ((p[0] != 4 && p[0] != 6) || len - at < el || p[1] < 1 ||
		    p[1] > (p[0] == 4 ? 32 : 128))
			break;
		memset(c, 0, sizeof(*c));
		c->family = p[0];
		c->plen = p[1];
		memcpy(c->addr, p + 2, el - 2);
		cidr_mask(c);
		if (memcmp(c->addr, p + 2, el - 2))
			break;
		at += el;
	}
	if (k < want || at != len || (off_t)(start + len) != sb.st_size)
		pr_warn("%s: its list is damaged after %zu of its %zu entries; the %zu read are "
			"used: %s\n", path, k, want, k, IMAGE_FIX);
	*v = out;
	*nv = k;
	out = NULL;
out:
	free(out);
	free(buf);
	return err;
}

/* A sequence means something only with its key. */
static void region_check(struct feed_state *f)
{
	if (f && !f->region.key[0])
		f->region.sequence = f->region.made = 0;
}

/* The entries' image, after a header (see read_image). */
static char *image_render(const char *header, const struct cidr *v, size_t n, size_t *len)
{
	size_t cap = strlen(header) + 64, i;
	unsigned char *p;
	char *buf;

	for (i = 0; i < n; i++)
		cap += image_entry_len(v[i].family);
	buf = malloc(cap);
	if (!buf)
		return NULL;
	p = (unsigned char *)buf + snprintf(buf, cap, "%s" IMAGE_LINE "%zu\n", header, n);
	for (i = 0; i < n; i++) {
		size_t el = image_entry_len(v[i].family);

		p[0] = v[i].family;
		p[1] = v[i].plen;
		memcpy(p + 2, v[i].addr, el - 2);
		p += el;
	}
	*len = p - (unsigned char *)buf;
	return buf;
}

/* A header's value on one line, as written and as read: a path may hold a
 * newline, which would end the header early and leave the image to be read
 * as text; other control characters become '?' too. */
static const char *one_line(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++)
		out[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ? '?' : in[i];
	out[i] = 0;
	return out;
}

/* Reads a file we wrote: "# key: value" header lines, then one CIDR a line. */
static int read_list(const char *path, struct feed_state *f, struct cidr **v, size_t *n)
{
	struct feed_result r = { 0 };
	char line[PATH_MAX + 64];
	FILE *fp;
	int err;

	fp = fopen(path, "re");
	if (!fp)
		return -errno;
	while (f && fgets(line, sizeof(line), fp) && line[0] == '#') {
		char *val = strchr(line, ':'), *end;
		unsigned long long count;

		if (!strncmp(line, IMAGE_LINE, strlen(IMAGE_LINE))) {
			const char *digits = line + strlen(IMAGE_LINE);

			count = strtoull(digits, &end, 10);
			if (*digits < '0' || *digits > '9' || *end != '\n' || count > IMAGE_MAX) {
				/* the feed, empty, is still there to load again */
				pr_warn("%s: a bad \"%.*s\" line: its list is lost; %s\n", path,
					(int)strcspn(line, "\n"), line, IMAGE_FIX);
				*v = NULL;
				*n = 0;
				err = 0;
			} else {
				err = read_image(fp, path, (size_t)count, v, n);
			}
			fclose(fp);
			region_check(f);
			return err;
		}
		if (!val)
			continue;
		*val++ = 0;
		val += strspn(val, " ");
		val[strcspn(val, "\n")] = 0;
		one_line(val, val, strlen(val) + 1);
		if (!strcmp(line, "# index"))
			f->index = atoi(val);
		else if (!strcmp(line, "# category"))
			snprintf(f->category, sizeof(f->category), "%s", val);
		else if (!strcmp(line, "# source"))
			snprintf(f->source, sizeof(f->source), "%s", val);
		else if (!strcmp(line, "# loaded"))
			f->loaded_at = strtoull(val, NULL, 10);
		else if (!strcmp(line, "# direction"))
			f->direction = !strcmp(val, "both") ? DIR_BOTH : !strcmp(val, "out") ? DIR_OUT
												  : DIR_IN;
		else if (!strcmp(line, "# mode"))
			f->monitor = !strcmp(val, "monitor");
		else if (!strcmp(line, "# notice"))
			snprintf(f->notice_day, sizeof(f->notice_day), "%s", val);
		else if (!strcmp(line, "# origin"))
			f->from_config = !strcmp(val, "config");
		else if (!strcmp(line, "# key") && strlen(val) == SIGN_ID_LEN - 1)
			snprintf(f->region.key, sizeof(f->region.key), "%s", val);
		else if (!strcmp(line, "# sequence"))
			f->region.sequence = strtoull(val, NULL, 10);
		else if (!strcmp(line, "# made"))
			f->region.made = strtoull(val, NULL, 10);
	}
	fclose(fp);
	region_check(f);
	err = feed_parse_file(path, &(struct feed_options){ FEED_PLAIN, 0 }, &r, &feed_diag_stderr);
	if (err)
		return err;
	if (r.errors)
		pr_warn("%s: %lu bad lines in bouclier's own state; they were skipped\n", path,
			r.errors);
	*v = r.v;
	*n = r.n;
	return 0;
}

/* Feeds read with index BOUCLIER_FEED_DETECT (-2 here): the lowest free
 * index, the feed's counters starting again; none free (31 feeds), the
 * feed is left out, said. */
static void reindex_detect(struct state *s)
{
	__u32 used = 1u << BOUCLIER_FEED_BAN | 1u << BOUCLIER_FEED_DETECT;
	int i, k, j;

	for (i = 0; i < s->nfeeds; i++)
		if (s->feeds[i].index >= 0)
			used |= 1u << s->feeds[i].index;
	for (i = 0; i < s->nfeeds; i++) {
		if (s->feeds[i].index != -2)
			continue;
		for (k = 0; k < BOUCLIER_USER_FEEDS && (used & (1u << k)); k++)
			;
		if (k < BOUCLIER_USER_FEEDS) {
			s->feeds[i].index = k;
			used |= 1u << k;
			pr_info("feed %s: its index %d is detected bans' now; it takes %d\n",
				s->feeds[i].name, BOUCLIER_FEED_DETECT, k);
			continue;
		}
		pr_warn("feed %s left out: %d feeds at most since detection took an index; "
			"`bouclier feed remove` one\n", s->feeds[i].name, BOUCLIER_USER_FEEDS);
		feed_free(&s->feeds[i]);
		for (j = i; j + 1 < s->nfeeds; j++)
			s->feeds[j] = s->feeds[j + 1];
		s->nfeeds--;
		i--;
	}
}

int state_load(struct state *s)
{
	char path[PATH_MAX * 2];
	struct dirent *de;
	DIR *d;
	int err = 0;

	snprintf(path, sizeof(path), "%s/allow.list", s->dir);
	err = read_list(path, NULL, &s->allow, &s->nallow);
	if (err && err != -ENOENT)
		return err;
	snprintf(path, sizeof(path), "%s/allow-config.list", s->dir);
	err = read_list(path, NULL, &s->allow_conf, &s->nallow_conf);
	if (err && err != -ENOENT)
		return err;
	err = 0;
	snprintf(path, sizeof(path), "%s/feeds", s->dir);
	d = opendir(path);
	if (!d)
		return errno == ENOENT && s->lock_fd < 0 ? 0 : -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct feed_state *f;

		if (len < 6 || strcmp(de->d_name + len - 5, ".list"))
			continue;
		if (s->nfeeds == BOUCLIER_MAX_FEEDS) {
			err = -ENOSPC;
			break;
		}
		f = &s->feeds[s->nfeeds];
		memset(f, 0, sizeof(*f));
		f->index = -1;
		snprintf(f->name, sizeof(f->name), "%.*s", (int)(len - 5), de->d_name);
		snprintf(path, sizeof(path), "%s/feeds/%s", s->dir, de->d_name);
		err = read_list(path, f, &f->v, &f->n);
		if (err)
			break;
		if (!f->direction) /* written before directions existed */
			f->direction = direction_for_category(f->category);
		if (f->index == BOUCLIER_FEED_DETECT) {
			/* a 31st feed of a bouclier before detection: its index
			 * is detection's now; given another below, if one is free */
			f->index = -2;
		} else if (f->index < 0 || f->index >= BOUCLIER_USER_FEEDS) {
			pr_warn("%s: no valid \"# index:\" line; feed ignored\n", path);
			feed_free(f);
			continue;
		}
		s->nfeeds++;
	}
	closedir(d);
	if (!err)
		reindex_detect(s);
	return err;
}

int state_open_loaded(struct state *s, const char *dir, int wait_ms)
{
	int err = state_open(s, dir, wait_ms);

	if (!err)
		err = state_load(s);
	if (err && err != -EWOULDBLOCK)
		pr_warn("cannot read the state in %s: %s\n", dir, strerror(-err));
	return err;
}

struct feed_state *state_feed(struct state *s, const char *name)
{
	int i;

	for (i = 0; i < s->nfeeds; i++)
		if (!strcmp(s->feeds[i].name, name))
			return &s->feeds[i];
	return NULL;
}

int state_feed_add(struct state *s, const char *name, struct feed_state **out)
{
	__u32 used = 0;
	int i;

	*out = state_feed(s, name);
	if (*out)
		return 0;
	if (s->nfeeds == BOUCLIER_USER_FEEDS)
		return -ENOSPC;
	for (i = 0; i < s->nfeeds; i++)
		used |= 1u << s->feeds[i].index;
	used |= 1u << BOUCLIER_FEED_BAN | 1u << BOUCLIER_FEED_DETECT; /* the bans' own */
	*out = &s->feeds[s->nfeeds++];
	memset(*out, 0, sizeof(**out));
	snprintf((*out)->name, sizeof((*out)->name), "%s", name);
	snprintf((*out)->category, sizeof((*out)->category), "%s", CATEGORY_DEFAULT);
	(*out)->direction = DIR_IN;
	for (i = 0; used & (1u << i); i++)
		;
	(*out)->index = i;
	return 0;
}

int state_feed_drop(struct state *s, const char *name)
{
	struct feed_state *f = state_feed(s, name);
	char path[PATH_MAX * 2];

	if (!f)
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/feeds/%s.list", s->dir, name);
	if (unlink(path) && errno != ENOENT)
		return -errno;
	feed_free(f);
	*f = s->feeds[--s->nfeeds];
	return 0;
}

int state_feed_take(struct state *s, const char *name, struct feed_state *out)
{
	struct feed_state *f = state_feed(s, name);

	if (!f)
		return -ENOENT;
	*out = *f;
	*f = s->feeds[--s->nfeeds];
	return 0;
}

void state_feed_restore(struct state *s, const struct feed_state *f)
{
	s->feeds[s->nfeeds++] = *f;
}

/* Makes a rename durable: the directory entry is flushed too. */
static int sync_dir(const char *path)
{
	char dir[PATH_MAX];
	char *slash;
	int fd, err = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = 0;
	else if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		err = -errno;
	close(fd);
	return err;
}

int state_stage(const char *path, const char *buf, size_t len, mode_t mode, struct staged *st)
{
	int fd, err = 0;

	st->path[0] = st->tmp[0] = 0;
	if (snprintf(st->path, sizeof(st->path), "%s", path) >= (int)sizeof(st->path) ||
	    snprintf(st->tmp, sizeof(st->tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(st->tmp))
		return -ENAMETOOLONG;
	/* A name of our own, created exclusively (never a file or a link someone
	 * else left there), in the same directory so the rename is atomic. */
	fd = mkostemp(st->tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		st->tmp[0] = 0;
		return err;
	}
	if (fchmod(fd, mode))
		err = -errno;
	while (!err && len) {
		ssize_t w = write(fd, buf, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		buf += w;
		len -= w;
	}
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err)
		state_abort(st);
	return err;
}

int state_commit(struct staged *st)
{
	int err;

	if (!st->tmp[0])
		return 0;
	if (rename(st->tmp, st->path)) {
		err = -errno;
		state_abort(st);
		return err;
	}
	st->tmp[0] = 0;
	return sync_dir(st->path);
}

void state_abort(struct staged *st)
{
	if (st->tmp[0])
		unlink(st->tmp);
	st->tmp[0] = 0;
}

int state_write_atomic(const char *path, const char *buf, size_t len, mode_t mode)
{
	struct staged st;
	int err = state_stage(path, buf, len, mode, &st);

	return err ? err : state_commit(&st);
}

int state_read_lines(const char *path, const char *what, int (*take)(char *line, void *ctx),
		     void *ctx)
{
	char line[1024];
	unsigned long ln = 0;
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (!err && fgets(line, sizeof(line), f)) {
		ln++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		err = take(line, ctx);
		if (err > 0) {
			pr_warn("%s:%lu: not %s; skipped\n", path, ln, what);
			err = 0;
		}
	}
	fclose(f);
	return err;
}

int state_write_stream(const char *path, FILE *m, char **text, size_t *len)
{
	int err;

	if (fclose(m)) {
		free(*text);
		*text = NULL;
		return -ENOMEM;
	}
	err = state_write_atomic(path, *text, *len, STATE_MODE);
	free(*text);
	*text = NULL;
	return err;
}

/* Renders a header and the CIDRs into one buffer. */
static int stage_list(const char *path, const char *header, const struct cidr *v, size_t n,
		      bool image, struct staged *st)
{
	size_t cap, len, i;
	char *buf;
	int err;

	if (image) {
		buf = image_render(header, v, n, &len);
		if (!buf)
			return -ENOMEM;
		err = state_stage(path, buf, len, STATE_MODE, st);
		free(buf);
		return err;
	}
	if (n > (SIZE_MAX - strlen(header) - 1) / CIDR_STRLEN)
		return -EOVERFLOW;
	cap = strlen(header) + n * CIDR_STRLEN + 1;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	len = snprintf(buf, cap, "%s", header);
	for (i = 0; i < n; i++) {
		len += cidr_print(&v[i], buf + len, cap - len);
		buf[len++] = '\n';
	}
	err = state_stage(path, buf, len, STATE_MODE, st);
	free(buf);
	return err;
}

static int save_list(const char *path, const char *header, const struct cidr *v, size_t n)
{
	struct staged st;
	int err = stage_list(path, header, v, n, false, &st);

	return err ? err : state_commit(&st);
}

int state_stage_feed(struct state *s, const struct feed_state *f, struct staged *st)
{
	char path[PATH_MAX * 2], header[PATH_MAX + 512], region[128] = "";
	char source[sizeof(f->source)], category[sizeof(f->category)];

	snprintf(path, sizeof(path), "%s/feeds/%s.list", s->dir, f->name);
	/* the region's list: what a replayed older list is refused against */
	if (f->region.key[0])
		snprintf(region, sizeof(region), "# key: %s\n# sequence: %llu\n# made: %llu\n",
			 f->region.key, (unsigned long long)f->region.sequence,
			 (unsigned long long)f->region.made);
	snprintf(header, sizeof(header),
		 "# bouclier feed, normalised; written by bouclier, do not edit\n"
		 "# index: %d\n# category: %s\n# source: %s\n# loaded: %llu\n# origin: %s\n"
		 "# direction: %s\n# mode: %s\n%s%s%s%s",
		 f->index, one_line(f->category, category, sizeof(category)),
		 one_line(f->source, source, sizeof(source)), (unsigned long long)f->loaded_at,
		 f->from_config ? "config" : "manual",
		 direction_names()[f->direction >= DIR_IN && f->direction <= DIR_BOTH ? f->direction
										       : DIR_IN],
		 f->monitor ? "monitor" : "enforce", f->notice_day[0] ? "# notice: " : "",
		 f->notice_day, f->notice_day[0] ? "\n" : "", region);
	return stage_list(path, header, f->v, f->n, true, st);
}

int state_stage_allow(struct state *s, struct staged *st)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/allow.list", s->dir);
	return stage_list(path, "# bouclier allowlist; change it with `bouclier allow add|del`\n",
			  s->allow, s->nallow, false, st);
}

int state_save_auto(const char *dir, const struct cidr *v, size_t n)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/auto-allow.list", dir);
	return save_list(path, "# the automatic allowlist (the interfaces' networks and default "
			       "gateways) in the live table; written by bouclier\n", v, n);
}

int state_load_auto(const char *dir, struct cidr **v, size_t *n)
{
	char path[PATH_MAX * 2];
	int err;

	*v = NULL;
	*n = 0;
	snprintf(path, sizeof(path), "%s/auto-allow.list", dir);
	err = read_list(path, NULL, v, n);
	return err == -ENOENT ? 0 : err;
}

int state_stage_allow_conf(struct state *s, struct staged *st)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/allow-config.list", s->dir);
	return stage_list(path, "# the [allow] section of the configuration, as of the last "
				"refresh; do not edit\n", s->allow_conf, s->nallow_conf, false, st);
}
