/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ctx.h - the one resolution of where things are, shared by every command:
 * the configuration file, the state directory and the pin directory.
 *
 *   configuration: --config, else $BOUCLIER_CONFIG, else /etc/bouclier/bouclier.conf
 *                  (a missing default file means the defaults; a missing
 *                  file named by --config or the environment is an error)
 *   state:         --state-dir, else $BOUCLIER_STATE_DIR, else the
 *                  configuration's state_dir, else /var/lib/bouclier
 *   pins:          $BOUCLIER_PIN_DIR, else /sys/fs/bpf/bouclier
 *
 * So no two commands can disagree about where the lists are.
 */
#ifndef BOUCLIER_CTX_H
#define BOUCLIER_CTX_H

#include <limits.h>
#include <time.h>
#include "config.h"

/* Errors with no errno of their own: main() exits 64 (EX_USAGE) and 78
 * (EX_CONFIG) for them. */
#define E_USAGE 1000
#define E_CONFIG 1001

struct state;

struct ctx {
	/* global options, as given */
	const char *opt_config, *opt_state_dir;
	bool verbose_set;
	int verbose;
	bool help, version;
	/* resolved */
	const char *config_path;
	const char *config_from;  /* "--config", "BOUCLIER_CONFIG" or "default" */
	bool config_exists;
	struct config cfg;        /* the file's, or the defaults */
	char state_dir[PATH_MAX];
	const char *state_dir_from; /* "--state-dir", "BOUCLIER_STATE_DIR", "config", "default" */
	char pin_dir[PATH_MAX];
	time_t now;               /* $BOUCLIER_NOW in tests, else the clock */
	struct state *state;      /* CMD_STATE, CMD_STATE_READ: opened by main(); else NULL */
};

/* Resolves everything above; reads the configuration unless skip_config.
 * Returns 0 or -E_CONFIG (problems printed as FILE:LINE). */
int ctx_resolve(struct ctx *c, bool skip_config);
void ctx_free(struct ctx *c);

/* Checks that we are root for what; prints how to proceed and returns
 * -EPERM when not. */
int need_root(const char *what);

#endif
