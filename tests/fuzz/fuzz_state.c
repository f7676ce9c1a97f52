// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the state directory's lists (loader/state.c): the
 * input is a feed's STATE_DIR/feeds/fuzz.list, then, after a line "%%", the
 * allow.list (no such line: no allow.list).  state_load() reads them; the
 * feed and the allowlist are saved (state_stage_feed() and
 * state_stage_allow(), then state_commit()) into another state directory and read back with
 * state_load().  Asserted: no crash, no undefined behaviour, no leak; a
 * feed loaded has an index in 0..BOUCLIER_MAX_FEEDS-1, a direction, its
 * strings NUL-terminated, and prefixes of a family and length; the second
 * load gives the same feed — index, category, source, time, origin,
 * direction, notice day, the region's key and sequence — with the same
 * prefixes in the same order, and the same allowlist.
 *
 * state.c brings config.c and the feed reader; stand_in.h takes the place of
 * log.c and of fsync().
 *
 * fuzz-build: loader/state.c loader/config.c loader/parsers.c maps/feed.c maps/formats.c
 * fuzz-build: maps/crowdsec.c maps/cidr.c -ljansson
 * fuzz-run: -max_len=16384 -close_fd_mask=2
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "state.h"
#define FUZZ_LOG
#define FUZZ_NO_FSYNC
#include "stand_in.h"

#define SEP "\n%%\n"

/* [0]: the input's state directory, [1]: where it is saved again */
static char dir[2][256];

static void path_of(char *buf, size_t len, int d, const char *file)
{
	snprintf(buf, len, "%s/%s", dir[d], file);
}

static void cleanup(void)
{
	static const char *const files[] = { "feeds/fuzz.list", "allow.list", "feeds" };
	char p[300];
	size_t i;
	int d;

	for (d = 0; d < 2; d++) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
			path_of(p, sizeof(p), d, files[i]);
			remove(p);
		}
		rmdir(dir[d]);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char p[300];
	int d;

	(void)argc;
	(void)argv;
	for (d = 0; d < 2; d++) {
		fuzz_tmpdir(dir[d], sizeof(dir[d]), d ? "state-out" : "state-in");
		path_of(p, sizeof(p), d, "feeds");
		if (mkdir(p, 0755)) {
			perror(p);
			abort();
		}
	}
	atexit(cleanup);
	return 0;
}

static void put(const char *file, const void *data, size_t size)
{
	char p[300];
	FILE *f;

	path_of(p, sizeof(p), 0, file);
	if (!data) {
		unlink(p);
		return;
	}
	f = fopen(p, "w");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(p);
		abort();
	}
}

static void fail(const char *what)
{
	fprintf(stderr, "%s\n", what);
	abort();
}

static int terminated(const char *s, size_t len)
{
	return memchr(s, 0, len) != NULL;
}

static void check_cidrs(const struct cidr *v, size_t n)
{
	size_t i;

	if (n && !v)
		fail("entries and no array");
	for (i = 0; i < n; i++)
		if (!(v[i].family == 4 && v[i].plen >= 1 && v[i].plen <= 32) &&
		    !(v[i].family == 6 && v[i].plen >= 1 && v[i].plen <= 128))
			fail("a prefix of no family or length");
}

static void check(const struct state *s)
{
	int i;

	if (s->nfeeds < 0 || s->nfeeds > 1)
		fail("feeds from nowhere");
	for (i = 0; i < s->nfeeds; i++) {
		const struct feed_state *f = &s->feeds[i];

		if (f->index < 0 || f->index >= BOUCLIER_MAX_FEEDS)
			fail("index out of range");
		if (f->direction < DIR_IN || f->direction > DIR_BOTH)
			fail("no direction");
		if (strcmp(f->name, "fuzz") || !terminated(f->category, sizeof(f->category)) ||
		    !terminated(f->source, sizeof(f->source)) ||
		    !terminated(f->notice_day, sizeof(f->notice_day)))
			fail("a name not terminated");
		check_cidrs(f->v, f->n);
	}
	check_cidrs(s->allow, s->nallow);
}

static int same_cidrs(const struct cidr *a, size_t na, const struct cidr *b, size_t nb)
{
	return na == nb && (!na || !memcmp(a, b, na * sizeof(*a)));
}

static int same_feed(const struct feed_state *a, const struct feed_state *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->category, b->category) &&
	       !strcmp(a->source, b->source) && a->index == b->index &&
	       a->from_config == b->from_config && a->loaded_at == b->loaded_at &&
	       !strcmp(a->notice_day, b->notice_day) && a->direction == b->direction &&
	       !strcmp(a->region.key, b->region.key) && a->region.sequence == b->region.sequence &&
	       a->region.made == b->region.made && same_cidrs(a->v, a->n, b->v, b->n);
}

/* Saved as refresh and `feed load` save: staged, then committed. */
static int save_feed(struct state *s, const struct feed_state *f)
{
	struct staged st;

	return state_stage_feed(s, f, &st) ?: state_commit(&st);
}

static int save_allow(struct state *s)
{
	struct staged st;

	return state_stage_allow(s, &st) ?: state_commit(&st);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *sep = memmem(data, size, SEP, strlen(SEP));
	size_t feed_len = sep ? (size_t)(sep - (const char *)data) + 1 : size;
	struct state s, again;
	int err;

	put("feeds/fuzz.list", data, feed_len);
	if (sep)
		put("allow.list", sep + strlen(SEP), size - feed_len - strlen(SEP) + 1);
	else
		put("allow.list", NULL, 0);

	state_open(&s, dir[0], STATE_READ_ONLY);
	err = state_load(&s);
	check(&s);
	if (!err) {
		/* the same state, saved into the other directory */
		snprintf(s.dir, sizeof(s.dir), "%s", dir[1]);
		if (s.nfeeds && save_feed(&s, &s.feeds[0]))
			fail("saving the feed failed");
		if (!s.nfeeds) {
			char p[300];

			path_of(p, sizeof(p), 1, "feeds/fuzz.list");
			unlink(p);
		}
		if (save_allow(&s))
			fail("saving the allowlist failed");
		state_open(&again, dir[1], STATE_READ_ONLY);
		if (state_load(&again))
			fail("what was saved does not load");
		check(&again);
		if (again.nfeeds != s.nfeeds || (s.nfeeds && !same_feed(&s.feeds[0], &again.feeds[0])))
			fail("the feed read back differs");
		if (!same_cidrs(s.allow, s.nallow, again.allow, again.nallow))
			fail("the allowlist read back differs");
		state_close(&again);
	}
	state_close(&s);
	return 0;
}
