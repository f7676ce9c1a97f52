// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the configuration (loader/config.c): any bytes as
 * the file that config_load() reads, through its own path (the input is
 * written to a memfd opened by its /proc/self/fd name, so config_load()'s
 * API is the one the command uses).  Asserted: no crash, no undefined
 * behaviour, no leak; and a file it accepts holds what the rest of
 * bouclier relies on: a town town_name_ok() accepts, an absolute state
 * directory, fractions in (0, 1], a positive stale_after, thresholds that
 * grow, at most BOUCLIER_MAX_FEEDS feeds with distinct names feed_name_ok()
 * accepts, valid categories and formats, exactly one of url and path, a
 * direction; lapi feeds apart, with an http(s) address, an absolute key
 * file and an interval; allowlist entries with their host bits clear; every
 * string NUL-terminated in its array.
 *
 * fuzz-build: loader/config.c loader/parsers.c maps/feed.c maps/formats.c maps/crowdsec.c
 * fuzz-build: maps/cidr.c -ljansson
 * fuzz-run: -max_len=8192 -close_fd_mask=2
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config.h"
#include "stand_in.h"

static int fd = -1;
static char path[64];

static void fail(const char *what)
{
	fprintf(stderr, "accepted configuration with %s\n", what);
	abort();
}

static int terminated(const char *s, size_t len)
{
	return memchr(s, 0, len) != NULL;
}

static void check(const struct config *c)
{
	int i, j;

	if (!terminated(c->town, sizeof(c->town)) || !town_name_ok(c->town))
		fail("a bad town");
	if (!terminated(c->state_dir, sizeof(c->state_dir)) || c->state_dir[0] != '/')
		fail("a state_dir that is not an absolute path");
	if (!(c->max_shrink > 0 && c->max_shrink <= 1))
		fail("a bad max_shrink");
	if (c->stale_after <= 0)
		fail("a bad stale_after");
	if (!(c->weather[0] >= 0 && c->weather[0] <= c->weather[1] &&
	      c->weather[1] <= c->weather[2]))
		fail("thresholds that do not grow");
	if (c->nfeeds < 0 || c->nfeeds > BOUCLIER_MAX_FEEDS)
		fail("a bad number of feeds");
	for (i = 0; i < c->nfeeds; i++) {
		const struct config_feed *f = &c->feeds[i];

		if (!terminated(f->name, sizeof(f->name)) || !feed_name_ok(f->name))
			fail("a bad feed name");
		for (j = 0; j < i; j++)
			if (!strcmp(c->feeds[j].name, f->name))
				fail("two feeds of one name");
		if (!terminated(f->category, sizeof(f->category)) || !category_name_ok(f->category))
			fail("a bad category");
		if (f->format < 0 || f->format >= FEED_FORMAT_MAX)
			fail("a bad format");
		if (!terminated(f->url, sizeof(f->url)) || !terminated(f->path, sizeof(f->path)) ||
		    !f->url[0] == !f->path[0])
			fail("a feed without exactly one of url and path");
		if (f->path[0] && f->path[0] != '/')
			fail("a relative feed path");
		if (f->url[0] && strncmp(f->url, "https://", 8) && strncmp(f->url, "http://", 7) &&
		    strncmp(f->url, "file://", 7))
			fail("a URL of another scheme");
		if (!(f->max_shrink > 0 && f->max_shrink <= 1))
			fail("a bad feed max_shrink");
		if (f->min_score < 0)
			fail("a negative min_score");
		if (f->direction < DIR_IN || f->direction > DIR_BOTH)
			fail("a feed without a direction");
		if (f->lapi[0] || f->api_key_file[0] || f->lapi_interval)
			fail("a list with lapi keys");
	}
	if (c->nlapis < 0 || c->nlapis > CONFIG_LAPI_FEEDS)
		fail("a bad number of lapi feeds");
	for (i = 0; i < c->nlapis; i++) {
		const struct config_feed *f = &c->lapis[i];

		if (!terminated(f->name, sizeof(f->name)) || !feed_name_ok(f->name))
			fail("a bad lapi feed name");
		for (j = 0; j < c->nfeeds; j++)
			if (!strcmp(c->feeds[j].name, f->name))
				fail("a lapi feed and a list of one name");
		if (!terminated(f->lapi, sizeof(f->lapi)) || (strncmp(f->lapi, "https://", 8) &&
							       strncmp(f->lapi, "http://", 7)))
			fail("a lapi feed of another scheme");
		if (!terminated(f->api_key_file, sizeof(f->api_key_file)) ||
		    f->api_key_file[0] != '/')
			fail("a lapi feed without an absolute api_key_file");
		if (f->url[0] || f->path[0] || f->lapi_interval < 1 || f->lapi_interval > 3600)
			fail("a lapi feed with url or path, or a bad interval");
		if (f->direction < DIR_IN || f->direction > DIR_BOTH)
			fail("a lapi feed without a direction");
	}
	if (c->nallow && !c->allow)
		fail("allowlist entries and no allowlist");
	for (size_t k = 0; k < c->nallow; k++) {
		struct cidr m = c->allow[k];

		cidr_mask(&m);
		if (!(m.family == 4 && m.plen >= 1 && m.plen <= 32) &&
		    !(m.family == 6 && m.plen >= 1 && m.plen <= 128))
			fail("an allowlist entry of no family or length");
		if (memcmp(&m, &c->allow[k], sizeof(m)))
			fail("an allowlist entry with host bits set");
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = memfd_create("bouclier.conf", MFD_CLOEXEC);
	/* a memfd is 0777, a file config_trusted() refuses before reading it */
	if (fd < 0 || fchmod(fd, 0600)) {
		perror("memfd_create");
		abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct config c;

	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size) {
		perror(path);
		abort();
	}
	if (config_load(path, &c) == 0)
		check(&c);
	config_free(&c);
	return 0;
}
