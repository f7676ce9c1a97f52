/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * stand_in.h - what a fuzzer links in place of log.c (it would bring
 * libbpf), and the scratch directories the file readers need.  Included by
 * one harness a program, which says first what it needs:
 *
 *   FUZZ_LOG       log_msg() formats each message, so a bad format still
 *                  shows under the sanitizers, and drops it
 *   FUZZ_NO_FSYNC  fsync() returns at once: the files are thrown away, and
 *                  on a disk it would be a millisecond a run
 */
#ifndef BOUCLIER_FUZZ_STAND_IN_H
#define BOUCLIER_FUZZ_STAND_IN_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef FUZZ_LOG
#include "log.h"

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	(void)lvl;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
}
#endif

#ifdef FUZZ_NO_FSYNC
int fsync(int fd)
{
	(void)fd;
	return 0;
}
#endif

/* A new directory $TMPDIR/fuzz-NAME-XXXXXX (or under /tmp) into buf, or
 * abort: a harness without its scratch space proves nothing. */
static inline void fuzz_tmpdir(char *buf, size_t len, const char *name)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(buf, len, "%s/fuzz-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (!mkdtemp(buf)) {
		perror(buf);
		abort();
	}
}

#endif
