// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * region.c - the region's list: what the observatory publishes and signs,
 * and the check a town makes before it loads it (region.h says which).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "cidr.h"
#include "log.h"
#include "region.h"
#include "state.h"

/* ---- a town */

/* The file's bytes, copied into memory once: what is verified is what is
 * parsed, even if the file is rewritten in place meanwhile (a mapping would
 * show the new bytes, or fault on a file cut short). */
struct mapped {
	char *p;
	size_t n;
};

/* A regional list holds what several towns saw: far below this. */
#define REGION_FILE_MAX (256u << 20)

static int map_file(const char *path, struct mapped *m)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;
	size_t got = 0;
	ssize_t r;

	m->p = NULL;
	m->n = 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		err = -errno;
	else if (S_ISDIR(st.st_mode))
		err = -EISDIR;
	else if ((unsigned long long)st.st_size > REGION_FILE_MAX)
		err = -EFBIG;
	else if (!(m->p = malloc(st.st_size + 1)))
		err = -ENOMEM;
	while (!err && got < (size_t)st.st_size) {
		r = read(fd, m->p + got, st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			err = r < 0 ? -errno : -EIO; /* cut short while read */
		else
			got += r;
	}
	close(fd);
	if (err) {
		free(m->p);
		m->p = NULL;
		return err;
	}
	m->n = got;
	return 0;
}

static void unmap_file(struct mapped *m)
{
	free(m->p);
	m->p = NULL;
}

int region_verify(const char *file, const char *pubkey, const struct region_signed *live,
		  struct feed_result *r, const struct feed_diag *d, struct region_signed *got,
		  char *why, size_t len)
{
	char sigpath[4096], msg[SIGN_WHY_LEN], signer[SIGN_ID_LEN] = "";
	struct sign_public k;
	struct mapped m;
	int err;

	memset(got, 0, sizeof(*got));
	err = sign_read_public(pubkey, &k, msg, sizeof(msg));
	if (err) {
		pr_warn("%s: cannot read the region's public key: %s; put the region's KEY.pub "
			"there (verify = in the configuration, or --verify)\n", pubkey, msg);
		snprintf(why, len, "refused: its public key %s cannot be read", pubkey);
		return err;
	}
	if (snprintf(sigpath, sizeof(sigpath), "%s.sig", file) >= (int)sizeof(sigpath)) {
		snprintf(why, len, "refused: its path is too long to name its signature");
		return -ENAMETOOLONG;
	}
	err = map_file(file, &m);
	if (err) {
		pr_warn("cannot read %s: %s\n", file, strerror(-err));
		snprintf(why, len, "%s", strerror(-err));
		return err;
	}
	err = sign_verify(sigpath, &k, m.p ? m.p : "", m.n, signer, msg, sizeof(msg));
	if (err == -ENOENT) {
		pr_warn("%s: refused: no signature %s beside it; the region's list comes with "
			"one: fetch both (bouclier-fetch does, for a feed with verify =). The live "
			"list stays\n", file, sigpath);
		snprintf(why, len, "refused: no signature (%s)", sigpath);
	} else if (err == -EKEYREJECTED) {
		pr_warn("%s: refused: %s is signed by key %s, but %s holds key %s: ask the region "
			"for its public key, or correct verify =. The live list stays\n", file,
			sigpath, signer, pubkey, k.id);
		snprintf(why, len, "refused: signed by key %s, not by the key trusted (%s)", signer,
			 k.id);
	} else if (err) {
		pr_warn("%s: refused: %s: %s; fetch both again. The live list stays\n", file,
			sigpath, msg);
		snprintf(why, len, "refused: %s", err == -EBADMSG ? "the signature does not match "
			 "the list (changed or cut short)" : msg);
	}
	if (err) {
		unmap_file(&m);
		return err == -ENOENT || err == -EKEYREJECTED ? -EBADMSG : err;
	}
	/* the bytes verified are the bytes parsed */
	err = feed_parse_buf(file, m.p ? m.p : "", m.n, &(struct feed_options){ FEED_REGION, 0 },
			     r, d);
	unmap_file(&m);
	if (err) {
		pr_warn("%s: refused: signed, but not a whole regional list (above). The live list "
			"stays\n", file);
		snprintf(why, len, "refused: not a whole regional list");
		return err;
	}
	snprintf(got->key, sizeof(got->key), "%s", k.id);
	got->sequence = r->sequence;
	got->made = r->made;
	return region_replayed(file, live, got, why, len);
}

int region_replayed(const char *file, const struct region_signed *live,
		    const struct region_signed *got, char *why, size_t len)
{
	if (!live || strcmp(live->key, got->key) || got->sequence >= live->sequence)
		return 0;
	pr_warn("%s: refused: its sequence %llu is older than the live list's %llu: an old list "
		"replayed, or the observatory lost its last list and numbered from an older clock. "
		"The live list stays; if the observatory did restart from scratch, `bouclier feed "
		"remove` the feed (its regional sources stop being dropped until the next refresh "
		"loads the new list)\n", file, (unsigned long long)got->sequence,
		(unsigned long long)live->sequence);
	snprintf(why, len, "refused: sequence %llu is older than the live list's %llu (a replay?)",
		 (unsigned long long)got->sequence, (unsigned long long)live->sequence);
	return -EBADMSG;
}

/* ---- the observatory */

static int cmp_sighting(const void *a, const void *b)
{
	const struct region_sighting *x = a, *y = b;

	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->town < y->town ? -1 : x->town > y->town;
}

/* Sorts and folds the sightings of one source by one town into one. */
static void fold(struct region_sightings *s)
{
	size_t i, o = 0;

	if (!s->n)
		return;
	qsort(s->v, s->n, sizeof(*s->v), cmp_sighting);
	for (i = 1; i < s->n; i++) {
		struct region_sighting *a = &s->v[o], *b = &s->v[i];

		if (a->hi == b->hi && a->lo == b->lo && a->town == b->town) {
			if (b->attacks > a->attacks)
				a->attacks = b->attacks;
		} else {
			s->v[++o] = *b;
		}
	}
	s->n = o + 1;
}

int region_sighting_add(struct region_sightings *s, __u64 hi, __u64 lo, __u32 town,
			__u32 attacks)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap : 1 << 16;
		void *v;

		/* Folding is a sort: below REGION_FOLD_AT the array only grows (a
		 * thousand towns' reports are sorted once, in region_select), past
		 * it it is folded first and grows only while still half full, so
		 * a town's many reports cost what its distinct sources do. */
		if (s->cap >= (s->fold_at ? s->fold_at : REGION_FOLD_AT))
			fold(s);
		if (s->n > s->cap / 2) {
			if (cap > SIZE_MAX / 2 / sizeof(*s->v))
				return -ENOMEM;
			cap *= 2;
		}
		if (cap != s->cap) {
			v = realloc(s->v, cap * sizeof(*s->v));
			if (!v)
				return -ENOMEM;
			s->v = v;
			s->cap = cap;
		}
	}
	s->v[s->n++] = (struct region_sighting){ hi, lo, town, attacks };
	return 0;
}

void region_sightings_free(struct region_sightings *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int region_select(struct region_sightings *s, unsigned int min_towns, const unsigned char *counted,
		  unsigned char *fed, size_t ntowns, struct region_entry **v, size_t *n)
{
	size_t i, j, k, cap = 0;

#define COUNTS(x) (!counted || (s->v[x].town < ntowns && counted[s->v[x].town]))
	*v = NULL;
	*n = 0;
	memset(fed, 0, ntowns);
	fold(s);
	for (i = 0; i < s->n; i = j) {
		struct region_entry e = { s->v[i].hi, s->v[i].lo, 0, 0 };

		for (j = i; j < s->n && s->v[j].hi == e.hi && s->v[j].lo == e.lo; j++) {
			if (!COUNTS(j))
				continue;
			e.towns++;
			e.attacks += s->v[j].attacks;
		}
		if (e.towns < (min_towns ? min_towns : 1))
			continue;
		for (k = i; k < j; k++)
			if (s->v[k].town < ntowns && COUNTS(k))
				fed[s->v[k].town] = 1;
		if (*n == cap) {
			void *grown;

			cap = cap ? cap * 2 : 1024;
			grown = realloc(*v, cap * sizeof(**v));
			if (!grown) {
				free(*v);
				*v = NULL;
				*n = 0;
				return -ENOMEM;
			}
			*v = grown;
		}
		(*v)[(*n)++] = e;
	}
#undef COUNTS
	return 0;
}

/* An IPv4 address without "/32", an IPv6 /64 with it. */
static const char *entry_text(const struct region_entry *e, char *buf, size_t len)
{
	struct cidr c;

	if (!e->hi && (e->lo >> 32) == 0xffff) {
		cidr_from_v4(&c, (__u32)e->lo, 32);
		cidr_format(&c, buf, len);
		*strchr(buf, '/') = 0;
	} else {
		cidr_from_v6(&c, e->hi, 0, 64);
		cidr_format(&c, buf, len);
	}
	return buf;
}

/* The previous list's sequence, when it verifies with this key; else 0,
 * said why when there was one. */
static __u64 previous_sequence(const char *out, const struct sign_public *k)
{
	char sigpath[4096], msg[SIGN_WHY_LEN];
	struct feed_result r = { 0 };
	struct mapped m;
	__u64 seq = 0;
	int err;

	if (map_file(out, &m)) /* none: the first list */
		return 0;
	snprintf(sigpath, sizeof(sigpath), "%s.sig", out);
	err = sign_verify(sigpath, k, m.p ? m.p : "", m.n, NULL, msg, sizeof(msg));
	if (!err)
		err = feed_parse_buf(out, m.p ? m.p : "", m.n,
				     &(struct feed_options){ FEED_REGION, 0 }, &r, NULL);
	if (!err)
		seq = r.sequence;
	else
		pr_warn("%s: the list there does not verify with this key (%s): replaced; its "
			"sequence is taken from the clock\n", out,
			err == -EBADMSG && r.lines ? "not a whole regional list" : msg);
	feed_result_free(&r);
	unmap_file(&m);
	return seq;
}

int region_publish(const char *out, const char *keyfile, const struct region_entry *v, size_t n,
		   const struct region_params *p, __u64 *sequence)
{
	char sigpath[4096], sigtext[256], msg[SIGN_WHY_LEN], when[32], line[CIDR_STRLEN];
	struct sign_secret k;
	struct tm tm;
	size_t cap, len = 0, i;
	char *buf;
	int err;

	if (snprintf(sigpath, sizeof(sigpath), "%s.sig", out) >= (int)sizeof(sigpath))
		return -ENAMETOOLONG;
	err = sign_read_secret(keyfile, &k, msg, sizeof(msg));
	if (err) {
		pr_warn("%s: cannot use it to sign: %s\n", keyfile, msg);
		return err;
	}
	/* one more than the list there, and never less than the clock: a list
	 * replaced or tampered with on the web server must not make the next
	 * one older than what towns hold (they would refuse it as a replay) */
	*sequence = previous_sequence(out, &k.pub) + 1;
	if (p->now > 0 && (__u64)p->now > *sequence)
		*sequence = (__u64)p->now;
	/* a line: an address or /64, "# N towns", at most 80 bytes */
	if (n > (SIZE_MAX - 1024) / 80) {
		sodium_memzero(&k, sizeof(k));
		return -EOVERFLOW;
	}
	cap = 1024 + n * 80;
	buf = malloc(cap);
	if (!buf) {
		sodium_memzero(&k, sizeof(k));
		return -ENOMEM;
	}
	gmtime_r(&p->now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	len += snprintf(buf + len, cap - len,
			"# bouclier-region-list 1\n"
			"# The sources that attacked at least %u towns of the region within %ld "
			"%s,\n# as their reports said.  Signed: %s.sig, key %s.\n"
			"# sequence: %llu\n# made: %lld (%s)\n# min_towns: %u\n# window: %ld\n"
			"# towns: %zu\n", p->min_towns,
			p->window % 3600 ? p->window : p->window / 3600,
			p->window % 3600 ? "seconds" : "hours",
			strrchr(out, '/') ? strrchr(out, '/') + 1 : out, k.pub.id,
			(unsigned long long)*sequence, (long long)p->now, when, p->min_towns,
			p->window, p->towns_fed);
	for (i = 0; i < n; i++)
		len += snprintf(buf + len, cap - len, "%s # %u towns\n",
				entry_text(&v[i], line, sizeof(line)), v[i].towns);
	len += snprintf(buf + len, cap - len, "# END %zu entries\n", n);
	err = sign_detached(&k, buf, len, sigtext, sizeof(sigtext));
	sodium_memzero(&k, sizeof(k));
	if (!err)
		err = state_write_atomic(out, buf, len, 0644);
	if (err)
		pr_warn("%s: cannot write the list: %s\n", out, strerror(-err));
	/* between the two renames a town may fetch the new list with the old
	 * signature: it refuses that pair and keeps its list until the next */
	if (!err && (err = state_write_atomic(sigpath, sigtext, strlen(sigtext), 0644)))
		pr_warn("%s: cannot write the signature: %s; towns refuse %s until it is "
			"written\n", sigpath, strerror(-err), out);
	free(buf);
	return err;
}
