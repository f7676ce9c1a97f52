/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* commands.h - the bouclier subcommands; main.c declares and dispatches them. */
#ifndef BOUCLIER_COMMANDS_H
#define BOUCLIER_COMMANDS_H

#include "state.h"

/* Errors with no errno of their own: main() exits 64 (EX_USAGE) and 78
 * (EX_CONFIG) for them. */
#define E_USAGE 1000
#define E_CONFIG 1001

struct args {
	int json, print, force, verbose, help, dry_run, state_dir_set;
	const char *mode, *format, *category, *state_dir, *config, *lang, *textfile;
	const char *stale_after, *roster;
	const char *pos[512];
	int npos, npos_done;
};

int cmd_attach(struct args *a);
int cmd_detach(struct args *a);
int cmd_status(struct args *a);
int cmd_stats(struct args *a);
int cmd_feed_load(struct args *a);
int cmd_feed_check(struct args *a);
int cmd_feed_list(struct args *a);
int cmd_feed_remove(struct args *a);
int cmd_allow_add(struct args *a);
int cmd_allow_del(struct args *a);
int cmd_allow_list(struct args *a);
int cmd_lookup(struct args *a);
int cmd_refresh(struct args *a);
int cmd_config_check(struct args *a);
int cmd_config_urls(struct args *a);
int cmd_weather(struct args *a);
int cmd_record(struct args *a);
int cmd_history(struct args *a);
int cmd_observatory(struct args *a);

/* --config, else BOUCLIER_CONFIG, else /etc/bouclier/bouclier.conf */
const char *args_config(const struct args *a);

#endif
