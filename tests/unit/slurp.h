/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A whole file read into memory for a unit test, NUL-terminated; a file that
 * will not open fails the test with the hint given. */
#ifndef BOUCLIER_TEST_SLURP_H
#define BOUCLIER_TEST_SLURP_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static inline char *slurp_file(const char *path, size_t *len, const char *hint)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s%s", path, hint);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

#endif
