/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * run.h - running commands from the tests: a shell command's status and
 * output, and the number after a JSON key (for quick checks of one figure).
 */
#ifndef BOUCLIER_TEST_RUN_H
#define BOUCLIER_TEST_RUN_H

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs a shell command; returns its exit status, and its stdout in out. */
static inline int sh_out(char *out, size_t outlen, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	FILE *p;
	size_t n = 0;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "popen %s", cmd);
	if (out && outlen) {
		n = fread(out, 1, outlen - 1, p);
		out[n] = 0;
	} else {
		char sink[4096];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#define sh(...) sh_out(NULL, 0, __VA_ARGS__)

/* The replies counted in ping's summary ("5 packets transmitted, 3
 * received"), or -1 where ping printed none. */
static inline int ping_received(const char *out)
{
	const char *p = strstr(out, " received");

	if (!p)
		return -1;
	while (p > out && p[-1] != ' ')
		p--;
	return atoi(p);
}

#endif
