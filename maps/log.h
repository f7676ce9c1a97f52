/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* log.h - messages to stderr (and syslog when asked), and libbpf's printer
 * routed through the same verbosity. */
#ifndef BOUCLIER_LOG_H
#define BOUCLIER_LOG_H

enum log_level { LOG_LVL_WARN = 0, LOG_LVL_INFO = 1, LOG_LVL_DEBUG = 2 };

void log_setup(int verbosity, int use_syslog);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* At debug level (-v): the milliseconds since the previous mark, to show
 * where the time of a command goes (feed load: parse, state, compile...). */
void log_phase(const char *what);

#define pr_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define pr_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define pr_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
