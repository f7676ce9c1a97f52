/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A unit test's own directory under /tmp, made fresh and removed whole. */
#ifndef BOUCLIER_TEST_TMPDIR_H
#define BOUCLIER_TEST_TMPDIR_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

/* /tmp/bouclier-NAME-XXXXXX, made; its path in dir. */
static inline void tmpdir_make(char *dir, size_t len, const char *name)
{
	snprintf(dir, len, "/tmp/bouclier-%s-XXXXXX", name);
	cr_assert_not_null(mkdtemp(dir), "%s", dir);
}

static inline void tmpdir_remove(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0, "%s", cmd);
}

#endif
