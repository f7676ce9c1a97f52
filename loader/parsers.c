// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* parsers.c - durations, counts and directions for the command line and
 * the configuration (parsers.h); libc only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "parsers.h"

long parse_duration(const char *s)
{
	char *end;
	long n, mul;

	if (!s || !*s)
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (end == s || n <= 0 || errno)
		return -1;
	switch (*end) {
	case 0: case 's': mul = 1; break;
	case 'm': mul = 60; break;
	case 'h': mul = 3600; break;
	case 'd': mul = 86400; break;
	default: return -1;
	}
	if (*end && end[1])
		return -1;
	if (n > 100L * 365 * 86400 / mul)
		return -1;
	return n * mul;
}

long parse_count(const char *s)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	return end == s || *end || n < 0 || errno ? -1 : n;
}

const char *const *direction_names(void)
{
	static const char *const names[] = { "", "in", "out", "both", NULL };

	return names;
}

int direction_for_category(const char *category)
{
	static const char *const both[] = { "botnet-c2", "c2", "botnet", "malware" };
	size_t i;

	for (i = 0; i < sizeof(both) / sizeof(both[0]); i++)
		if (!strcmp(category, both[i]))
			return DIR_BOTH;
	return DIR_IN;
}
