// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A feed's list in the state directory: kept as an image after its header
 * (state.c), read back entry for entry with its header; a list of text, as
 * bouclier wrote them before, still read; an image damaged on disk read as
 * far as it is whole, never past it.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "parsers.h"
#include "state.h"
#include "tmpdir.h"
#include "lcg.h"

static char dir[64];

static void mkdir_tmp(void)
{
	tmpdir_make(dir, sizeof(dir), "state");
}

static void rm_tmp(void)
{
	tmpdir_remove(dir);
}

/* n sorted, folded prefixes of both families (IPv4 first, as cidr_cmp). */
static struct cidr *some_prefixes(size_t *n)
{
	unsigned int seed = 7;
	struct cidr *v = calloc(*n, sizeof(*v));
	size_t i;

	cr_assert_not_null(v);
	for (i = 0; i < *n; i++) {
		if (i % 5)
			cidr_from_v4(&v[i], lcg(&seed) << 8 ^ lcg(&seed), 8 + lcg(&seed) % 25);
		else
			cidr_from_v6(&v[i], 0x2001000000000000ULL | (__u64)lcg(&seed) << 16,
				     (__u64)lcg(&seed) << 32 | lcg(&seed), 16 + lcg(&seed) % 113);
		cidr_mask(&v[i]);
	}
	cidr_normalise(v, n);
	return v;
}

/* Saves feed name with its list v (copied) and header fields, its source
 * the one given (NULL: /etc/bouclier/x.txt). */
static void save_feed_from(const char *name, const struct cidr *v, size_t n, const char *source)
{
	struct feed_state *f;
	struct staged st;
	struct state s;

	cr_assert_eq(state_open(&s, dir, STATE_LOCK_WAIT), 0);
	cr_assert_eq(state_feed_add(&s, name, &f), 0);
	f->index = 3;
	snprintf(f->category, sizeof(f->category), "attacks");
	snprintf(f->source, sizeof(f->source), "%s", source ? source : "/etc/bouclier/x.txt");
	f->loaded_at = 1764000000;
	f->direction = DIR_BOTH;
	f->monitor = 1;
	snprintf(f->region.key, sizeof(f->region.key), "%0*d", SIGN_ID_LEN - 1, 4);
	f->region.sequence = 77;
	f->v = malloc(n * sizeof(*v) + 1);
	memcpy(f->v, v, n * sizeof(*v));
	f->n = n;
	cr_assert_eq(state_stage_feed(&s, f, &st), 0);
	cr_assert_eq(state_commit(&st), 0);
	state_close(&s);
}

static void save_feed(const char *name, const struct cidr *v, size_t n)
{
	save_feed_from(name, v, n, NULL);
}

static void feed_path(char *path, size_t len, const char *name)
{
	snprintf(path, len, "%s/feeds/%s.list", dir, name);
}

Test(state, a_feed_is_kept_as_an_image_and_read_back_whole, .init = mkdir_tmp, .fini = rm_tmp)
{
	size_t n = 50000, i, n4 = 0, bytes = 0;
	struct cidr *v = some_prefixes(&n);
	struct feed_state *f;
	char path[256], line[256];
	struct state s;
	struct stat sb;
	FILE *fp;
	int image = 0;

	save_feed("big", v, n);
	cr_assert_eq(state_open_loaded(&s, dir, STATE_LOCK_WAIT), 0);
	f = state_feed(&s, "big");
	cr_assert_not_null(f);
	cr_assert_eq(f->n, n, "%zu entries read back of %zu", f->n, n);
	for (i = 0; i < n; i++)
		cr_assert(!memcmp(&f->v[i], &v[i], sizeof(v[i])), "entry %zu", i);
	cr_expect_eq(f->index, 3);
	cr_expect_str_eq(f->category, "attacks");
	cr_expect_str_eq(f->source, "/etc/bouclier/x.txt");
	cr_expect_eq(f->loaded_at, 1764000000);
	cr_expect_eq(f->direction, DIR_BOTH);
	cr_expect_eq(f->monitor, 1);
	cr_expect_eq(f->region.sequence, 77);
	state_close(&s);

	/* a header of text, then the image: 6 bytes an IPv4 prefix, 18 an IPv6 */
	feed_path(path, sizeof(path), "big");
	fp = fopen(path, "r");
	cr_assert_not_null(fp);
	while (fgets(line, sizeof(line), fp) && line[0] == '#') {
		bytes += strlen(line);
		if (!strncmp(line, "# image: ", 9))
			image = atoi(line + 9);
		if (image)
			break;
	}
	fclose(fp);
	cr_expect_eq((size_t)image, n, "the header's count");
	for (i = 0; i < n; i++)
		n4 += v[i].family == 4;
	cr_assert_eq(stat(path, &sb), 0);
	cr_expect_eq((size_t)sb.st_size, bytes + n4 * 6 + (n - n4) * 18, "%lld bytes",
		     (long long)sb.st_size);
	free(v);
}

Test(state, a_list_of_text_as_bouclier_wrote_before_is_read, .init = mkdir_tmp,
     .fini = rm_tmp)
{
	struct feed_state *f;
	char path[256];
	struct state s;
	FILE *fp;

	cr_assert_eq(state_open(&s, dir, STATE_LOCK_WAIT), 0);
	state_close(&s);
	feed_path(path, sizeof(path), "old");
	fp = fopen(path, "w");
	cr_assert_not_null(fp);
	fputs("# bouclier feed, normalised; written by bouclier, do not edit\n# index: 2\n"
	      "# category: spam\n# source: /tmp/old.txt\n# loaded: 1700000000\n"
	      "# origin: manual\n# direction: in\n# mode: enforce\n"
	      "192.0.2.0/25\n198.51.100.7\n2001:db8::/48\n", fp);
	fclose(fp);
	cr_assert_eq(state_open_loaded(&s, dir, STATE_LOCK_WAIT), 0);
	f = state_feed(&s, "old");
	cr_assert_not_null(f);
	cr_assert_eq(f->n, 3);
	cr_expect_eq(f->index, 2);
	cr_expect_str_eq(f->category, "spam");
	cr_expect_eq(f->v[0].plen, 25);
	cr_expect_eq(f->v[2].family, 6);
	state_close(&s);
}

/* The image's first byte after its header: the first entry's family. */
static long image_start(const char *path)
{
	char line[256];
	FILE *fp = fopen(path, "r");
	long at = -1;

	cr_assert_not_null(fp);
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, "# image: ", 9)) {
			at = ftell(fp);
			break;
		}
	fclose(fp);
	cr_assert_geq(at, 0, "no image in %s", path);
	return at;
}

/* Writes byte b at offset at of path, or cuts the file there (b < 0). */
static void damage(const char *path, long at, int b)
{
	FILE *fp;

	if (b < 0) {
		cr_assert_eq(truncate(path, at), 0);
		return;
	}
	fp = fopen(path, "r+");
	cr_assert_not_null(fp);
	fseek(fp, at, SEEK_SET);
	fputc(b, fp);
	fclose(fp);
}

/* Loads feed "x"; returns how many entries it has. */
static size_t loaded(void)
{
	struct feed_state *f;
	struct state s;
	size_t n;

	cr_assert_eq(state_open_loaded(&s, dir, STATE_LOCK_WAIT), 0);
	f = state_feed(&s, "x");
	cr_assert_not_null(f);
	n = f->n;
	state_close(&s);
	return n;
}

Test(state, a_damaged_image_is_read_as_far_as_it_is_whole, .init = mkdir_tmp, .fini = rm_tmp)
{
	struct cidr v[10];
	char path[256];
	long at;
	int i;

	for (i = 0; i < 10; i++)
		cidr_from_v4(&v[i], 0xc0000200u + 16 * i, 28); /* 192.0.2.0/28, .16/28, ... */
	feed_path(path, sizeof(path), "x");

	save_feed("x", v, 10);
	at = image_start(path);
	cr_expect_eq(loaded(), 10);
	damage(path, at + 6 * 4, 9); /* the fifth entry's family */
	cr_expect_eq(loaded(), 4, "the entries before the damage");

	save_feed("x", v, 10);
	damage(path, at + 6 * 2 + 1, 33); /* the third's length, past 32 */
	cr_expect_eq(loaded(), 2);

	save_feed("x", v, 10);
	for (i = 1; i < 6; i++) /* the sixth made 0.0.0.0/0: every address */
		damage(path, at + 6 * 5 + i, 0);
	cr_expect_eq(loaded(), 5, "a /0 is never read from an image");

	save_feed("x", v, 10);
	damage(path, at + 6 * 7 + 5, 1); /* a bit past the eighth's /28 */
	cr_expect_eq(loaded(), 7);

	save_feed("x", v, 10);
	damage(path, at + 6 * 9 + 3, -1); /* cut in the tenth */
	cr_expect_eq(loaded(), 9);

	save_feed("x", v, 10);
	damage(path, at, -1); /* cut where the image begins */
	cr_expect_eq(loaded(), 0);
}

/* The image line itself damaged: the state is read all the same (every
 * command needs it), the feed there and empty, to be loaded again. */
Test(state, a_bad_image_line_empties_its_feed_and_nothing_else, .init = mkdir_tmp,
     .fini = rm_tmp)
{
	static const char *const bad[] = { "# image: \n", "# image: x\n", "# image: 3\r\n",
					   "# image: 99999999999\n", "# image: -1\n" };
	struct cidr v[3];
	char path[256];
	size_t i;

	for (i = 0; i < 3; i++)
		cidr_from_v4(&v[i], 0xc6336400u + i, 32); /* 198.51.100.0, .1, .2 */
	feed_path(path, sizeof(path), "x");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *fp;

		save_feed("x", v, 3);
		fp = fopen(path, "w");
		cr_assert_not_null(fp);
		fprintf(fp, "# index: 3\n%s", bad[i]);
		fwrite("\x04\x20\xc6\x33\x64\x00", 1, 6, fp);
		fclose(fp);
		cr_expect_eq(loaded(), 0, "%s", bad[i]);
	}
}

/* A source path with a newline (realpath gives what the file is called)
 * must not end the header early: its image would be read as text. */
Test(state, a_source_with_a_newline_keeps_the_list, .init = mkdir_tmp, .fini = rm_tmp)
{
	struct feed_state *f;
	struct cidr v[2];
	struct state s;

	cidr_from_v4(&v[0], 0xc0000200u, 24);
	cidr_from_v4(&v[1], 0xcb007100u, 24);
	save_feed_from("x", v, 2, "/tmp/evil\n198.51.100.7\nname.txt");
	cr_assert_eq(state_open_loaded(&s, dir, STATE_LOCK_WAIT), 0);
	f = state_feed(&s, "x");
	cr_assert_not_null(f);
	cr_expect_eq(f->n, 2);
	cr_expect_str_eq(f->source, "/tmp/evil?198.51.100.7?name.txt");
	state_close(&s);
}
