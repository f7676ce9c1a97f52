// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include <bpf/libbpf.h>
#include "log.h"

static int verbosity = LOG_LVL_INFO;
static int to_syslog;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG ? verbosity < LOG_LVL_DEBUG : verbosity < LOG_LVL_INFO + 1)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void log_setup(int v, int use_syslog)
{
	verbosity = v;
	to_syslog = use_syslog;
	libbpf_set_print(libbpf_print);
	if (use_syslog)
		openlog("bouclier", LOG_PID, LOG_DAEMON);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if (to_syslog && lvl <= LOG_LVL_INFO) {
		va_start(ap, fmt);
		vsyslog(lvl == LOG_LVL_WARN ? LOG_WARNING : LOG_INFO, fmt, ap);
		va_end(ap);
	}
	if ((int)lvl > verbosity)
		return;
	va_start(ap, fmt);
	fputs("bouclier: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void log_phase(const char *what)
{
	static struct timespec last;
	struct timespec now;

	if (verbosity < LOG_LVL_DEBUG)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (last.tv_sec)
		log_msg(LOG_LVL_DEBUG, "%-28s %8.1f ms\n", what,
			(now.tv_sec - last.tv_sec) * 1e3 + (now.tv_nsec - last.tv_nsec) / 1e6);
	last = now;
}
