// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The history file: written and read back with the largest figures a
 * counter can hold (a row once assumed 256 bytes and `record` aborted with
 * "stack smashing detected"), and a file cut short or edited by hand.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "history.h"
#include "tmpdir.h"

static char dir[64];

static void mkdir_tmp(void)
{
	tmpdir_make(dir, sizeof(dir), "history");
}

static void rm_tmp(void)
{
	tmpdir_remove(dir);
}

/* The test's history.csv, opened for writing; its path in path. */
static FILE *history_csv(char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/history.csv", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	return f;
}

/* The rows of the file with exactly fields fields. */
static int rows_of(const char *path, int fields)
{
	char line[1024];
	int n = 0;
	FILE *f = fopen(path, "r");

	cr_assert_not_null(f, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		int commas = 0;
		char *p;

		if (line[0] == '#')
			continue;
		for (p = line; *p; p++)
			commas += *p == ',';
		n += commas == fields - 1;
	}
	fclose(f);
	return n;
}

Test(history, the_largest_figures_are_written_and_read_back, .init = mkdir_tmp, .fini = rm_tmp)
{
	struct wslot v[50], *back = NULL;
	size_t n = 0, i;
	int k;

	for (i = 0; i < 50; i++) {
		memset(&v[i], 0, sizeof(v[i]));
		v[i].slot = 1900000000ULL / 900 + i;
		v[i].pkts = v[i].bytes = UINT64_MAX - i;
		for (k = 0; k < BOUCLIER_P_MAX; k++)
			v[i].proto[k] = UINT64_MAX;
		for (k = 0; k < BOUCLIER_PORTS; k++)
			v[i].ports[k] = UINT64_MAX - k;
		/* every other row of the latest format, as wide as a row gets */
		if (i & 1) {
			v[i].has_attacks = v[i].has_detect = v[i].has_regional = 1;
			v[i].attacks = v[i].out_pkts = v[i].out_bytes = UINT64_MAX;
			v[i].det_attacks = v[i].reg_attacks = UINT64_MAX;
			for (k = 0; k < BOUCLIER_DT_MAX; k++)
				v[i].detect[k] = UINT64_MAX - k;
		}
	}
	cr_assert_eq(history_write(dir, v, 50, 0), 0);
	cr_assert_eq(history_read(dir, &back, &n), 0);
	cr_assert_eq(n, 50);
	for (i = 0; i < n; i++) {
		cr_assert_eq(back[i].slot, v[i].slot);
		cr_assert_eq(back[i].pkts, UINT64_MAX - i);
		cr_assert_eq(back[i].ports[BOUCLIER_PORTS - 1], UINT64_MAX - (BOUCLIER_PORTS - 1));
		cr_assert_eq(back[i].has_regional, i & 1, "row %zu read in its own format", i);
		if (i & 1)
			cr_assert_eq(back[i].reg_attacks, UINT64_MAX);
	}
	free(back);
}

/* strtoull takes "-1" for 2^64 - 1: a row edited by hand with a sign is not
 * read as a huge slot or figure (blanks after a comma are fine); a line
 * longer than any row written is skipped whole, not read in pieces. */
Test(history, a_negative_figure_or_an_overlong_line_is_no_row, .init = mkdir_tmp, .fini = rm_tmp)
{
	char path[128];
	struct wslot *back = NULL;
	size_t n = 0;
	FILE *f;
	int k;

	f = history_csv(path, sizeof(path));
	fprintf(f, "-1,5,500,5,0,0,0,5,0,0,0,0,0,0,0,0,0,0,0,0,0\n");
	fprintf(f, "2111110,+5,500,5,0,0,0,5,0,0,0,0,0,0,0,0,0,0,0,0,0\n");
	fprintf(f, "2111111, 6,600,6,0,0,0,6,0,0,0,0,0,0,0,0,0,0,0,0,0\n");
	fprintf(f, "2111113");
	for (k = 0; k < 200; k++)
		fprintf(f, ",1234");
	fprintf(f, "\n2111112,7,700,7,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,0,0\n");
	fclose(f);
	cr_assert_eq(history_read(dir, &back, &n), 0);
	cr_assert_eq(n, 2, "the rows with a sign and the overlong line are none");
	cr_assert_eq(back[0].slot, 2111111);
	cr_assert_eq(back[0].pkts, 6);
	cr_assert_eq(back[1].slot, 2111112);
	cr_assert_eq(back[1].pkts, 7);
	free(back);
}

Test(history, a_row_cut_short_is_ignored, .init = mkdir_tmp, .fini = rm_tmp)
{
	char path[128];
	struct wslot *back = NULL;
	size_t n = 0;
	FILE *f;

	f = history_csv(path, sizeof(path));
	fprintf(f, "# comment\n2111111,5,500,5,0,0,0,5,0,0,0,0,0,0,0,0,0,0,0,0,0\n2111112,7,70");
	fclose(f);
	cr_assert_eq(history_read(dir, &back, &n), 0);
	cr_assert_eq(n, 1, "the row a crash cut short is ignored");
	cr_assert_eq(back[0].pkts, 5);
	free(back);
}

/* Rows of the first format (up to the services) stay packets: their
 * attacks are unknown, and they are written back as they were; rows of the
 * second keep attacks and the outbound figures, quiet slots included; rows
 * of the third keep detection's figures, and the others never gain them. */
Test(history, rows_of_both_formats_and_quiet_slots, .init = mkdir_tmp, .fini = rm_tmp)
{
	char path[128];
	struct wslot *back = NULL, up = { .slot = 2111115, .has_attacks = 1 };
	size_t n = 0;
	FILE *f;

	f = history_csv(path, sizeof(path));
	fprintf(f, "2111111,500,50000,500,0,0,0,500,0,0,0,0,0,0,0,0,0,0,0,0,0\n"
		   "2111112,900,90000,900,0,0,0,900,0,0,0,0,0,0,0,0,0,0,0,0,0,3,2,120\n"
		   "2111113,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,4,400\n"
		   "2111114,9,9,9,0,0,0,9,0,0,0,0,0,0,0,0,0,0,0,0,0,3\n"
		   "2111116,7,700,7,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,0,0,4,0,0,2,1,0,0,5,0,0\n");
	fclose(f);
	cr_assert_eq(history_read(dir, &back, &n), 0);
	cr_assert_eq(n, 4, "a row of no format (cut inside the new fields) is ignored");
	cr_assert_eq(back[3].has_detect, 1);
	cr_assert_eq(back[3].det_attacks, 2);
	cr_assert_eq(back[3].detect[BOUCLIER_DT_BANNED], 1);
	cr_assert_eq(back[3].detect[BOUCLIER_DT_SPARED_PEER], 5);
	cr_assert_eq(back[1].has_detect, 0, "a row written before detection detected nothing");
	cr_assert_eq(back[0].has_attacks, 0);
	cr_assert_eq(back[0].pkts, 500);
	cr_assert_eq(back[1].has_attacks, 1);
	cr_assert_eq(back[1].attacks, 3);
	cr_assert_eq(back[1].out_pkts, 2);
	cr_assert_eq(back[1].out_bytes, 120);
	cr_assert_eq(back[2].pkts, 0);
	cr_assert_eq(back[2].out_pkts, 4, "a slot with outbound drops only is kept");
	cr_assert_eq(weather_slots_merge(&back, &n, &up), 0);
	cr_assert_eq(history_write(dir, back, n, 0), 0);
	cr_expect_eq(rows_of(path, HISTORY_V1_FIELDS), 1, "the old row stays old");
	cr_expect_eq(rows_of(path, HISTORY_V2_FIELDS), 3,
		     "two rows of the second format and the quiet slot stay so");
	cr_expect_eq(rows_of(path, HISTORY_V3_FIELDS), 1,
		     "the row with detection's figures keeps them");
	free(back);
}

/* Rows of the fourth format keep the attacks only the region's list
 * dropped; a row of the third is read as it was and written back so. */
Test(history, the_regions_attacks_are_kept_and_older_rows_gain_none, .init = mkdir_tmp,
     .fini = rm_tmp)
{
	char path[128];
	struct wslot *back = NULL;
	size_t n = 0;
	FILE *f;

	f = history_csv(path, sizeof(path));
	fprintf(f, "2111116,7,700,7,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,0,0,4,0,0,2,1,0,0,5,0,0\n"
		   "2111117,7,700,7,0,0,0,7,0,0,0,0,0,0,0,0,0,0,0,0,0,4,0,0,2,1,0,0,5,0,0,3\n");
	fclose(f);
	cr_assert_eq(history_read(dir, &back, &n), 0);
	cr_assert_eq(n, 2);
	cr_expect_eq(back[0].has_regional, 0);
	cr_expect_eq(back[1].has_regional, 1);
	cr_expect_eq(back[1].reg_attacks, 3);
	cr_assert_eq(history_write(dir, back, n, 0), 0);
	cr_expect_eq(rows_of(path, HISTORY_V3_FIELDS), 1);
	cr_expect_eq(rows_of(path, HISTORY_FIELDS), 1);
	free(back);
}
