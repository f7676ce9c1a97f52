// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* commands.c - every command, in the order `bouclier help` lists them
 * (commands.h).  Each is defined beside its code (cmd_*.c, refresh.c,
 * observatory.c) with its options; adding one is its definition and a line
 * here. */
#include "commands.h"

extern const struct command cmd_attach, cmd_detach, cmd_status, cmd_stats, cmd_feed_load,
	cmd_feed_check, cmd_feed_list, cmd_feed_remove, cmd_allow_add, cmd_allow_del,
	cmd_allow_list, cmd_lookup, cmd_refresh, cmd_config_check, cmd_config_urls, cmd_weather,
	cmd_record, cmd_history, cmd_observatory, cmd_watch, cmd_ban_add, cmd_ban_del,
	cmd_ban_list, cmd_ban_import, cmd_why, cmd_alert_check, cmd_alert_test, cmd_keygen;

const struct command *const commands[] = {
	&cmd_attach, &cmd_detach, &cmd_watch, &cmd_status, &cmd_stats, &cmd_feed_load, &cmd_feed_check,
	&cmd_feed_list, &cmd_feed_remove, &cmd_allow_add, &cmd_allow_del, &cmd_allow_list,
	&cmd_ban_add, &cmd_ban_del, &cmd_ban_list, &cmd_ban_import,
	&cmd_lookup, &cmd_why, &cmd_refresh, &cmd_config_check, &cmd_weather, &cmd_record, &cmd_history,
	&cmd_alert_check, &cmd_alert_test,
	&cmd_observatory, &cmd_keygen, &cmd_config_urls, NULL,
};

