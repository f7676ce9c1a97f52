// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for the weather's history (loader/history.c): any bytes
 * as STATE_DIR/history.csv for history_read(); what it read is written by
 * history_write() into another directory and read again.  Asserted: no
 * crash, no undefined behaviour, no leak; one entry a slot after the first
 * read; and the second read gives exactly the slots written — those with
 * drops or of the second format, in order — with the same figures
 * (packets, bytes, protocols, services, attacks, outbound packets and
 * bytes) and nothing else.
 *
 * history.c writes through state.c (state_write_atomic), which brings
 * config.c and the feed reader; stand_in.h takes the place of log.c and of
 * fsync().
 *
 * fuzz-build: loader/history.c loader/weather/compute.c loader/state.c
 * fuzz-build: loader/config.c loader/parsers.c maps/feed.c maps/formats.c maps/crowdsec.c
 * fuzz-build: maps/cidr.c -ljansson -lm
 * fuzz-run: -max_len=16384 -close_fd_mask=2
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "history.h"
#define FUZZ_LOG
#define FUZZ_NO_FSYNC
#include "stand_in.h"


static char in_dir[256], out_dir[256], in_file[300], out_file[300];

static void cleanup(void)
{
	unlink(in_file);
	unlink(out_file);
	rmdir(in_dir);
	rmdir(out_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_tmpdir(in_dir, sizeof(in_dir), "history-in");
	fuzz_tmpdir(out_dir, sizeof(out_dir), "history-out");
	snprintf(in_file, sizeof(in_file), "%s/history.csv", in_dir);
	snprintf(out_file, sizeof(out_file), "%s/history.csv", out_dir);
	atexit(cleanup);
	return 0;
}

static void fail(const char *what, __u64 slot)
{
	fprintf(stderr, "slot %llu: %s\n", (unsigned long long)slot, what);
	abort();
}

static int same(const struct wslot *a, const struct wslot *b)
{
	return a->slot == b->slot && a->pkts == b->pkts && a->bytes == b->bytes &&
	       a->has_attacks == b->has_attacks && a->attacks == b->attacks &&
	       a->out_pkts == b->out_pkts && a->out_bytes == b->out_bytes && !memcmp(a->proto, b->proto, sizeof(a->proto)) &&
	       !memcmp(a->ports, b->ports, sizeof(a->ports)) && a->has_detect == b->has_detect &&
	       a->det_attacks == b->det_attacks &&
	       !memcmp(a->detect, b->detect, sizeof(a->detect)) &&
	       a->has_regional == b->has_regional && a->reg_attacks == b->reg_attacks;
}

/* What history.csv does not carry stays zero. */
static int only_csv(const struct wslot *s)
{
	static const struct wslot zero;

	return !memcmp(s->sets, zero.sets, sizeof(s->sets)) && !s->mon_pkts && !s->mon_bytes &&
	       !memcmp(s->mon_hll, zero.mon_hll, sizeof(s->mon_hll)) &&
	       !memcmp(s->hll, zero.hll, sizeof(s->hll)) && !s->has_hll &&
	       (s->has_attacks || (!s->attacks && !s->out_pkts && !s->out_bytes)) &&
	       (s->has_detect || (!s->has_regional && !s->det_attacks)) &&
	       (s->has_regional || !s->reg_attacks);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct wslot *v = NULL, *w = NULL;
	size_t n = 0, m = 0, i, k;
	FILE *f = fopen(in_file, "w");
	int err;

	if (!f || fwrite(data, 1, size, f) != size || fclose(f)) {
		perror(in_file);
		abort();
	}
	err = history_read(in_dir, &v, &n);
	if (err) {
		fprintf(stderr, "history_read: %s\n", strerror(-err));
		abort();
	}
	for (i = 0; i < n; i++) {
		if (!only_csv(&v[i]))
			fail("a figure history.csv does not hold", v[i].slot);
		for (k = 0; k < i; k++)
			if (v[k].slot == v[i].slot)
				fail("read twice", v[i].slot);
	}
	err = history_write(out_dir, v, n, 0); /* sorts v */
	if (err) {
		fprintf(stderr, "history_write: %s\n", strerror(-err));
		abort();
	}
	err = history_read(out_dir, &w, &m);
	if (err) {
		fprintf(stderr, "history_read again: %s\n", strerror(-err));
		abort();
	}
	for (i = k = 0; i < n; i++) {
		if (!v[i].pkts && !v[i].out_pkts && !v[i].has_attacks)
			continue; /* a slot without drops, of the first format, is not written */
		if (k == m)
			fail("written, not read back", v[i].slot);
		if (!same(&v[i], &w[k]) || !only_csv(&w[k]))
			fail("read back different", v[i].slot);
		k++;
	}
	if (k != m)
		fail("read back and never written", w[k].slot);
	free(v);
	free(w);
	return 0;
}
