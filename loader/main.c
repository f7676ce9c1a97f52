// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bouclier - the command.  Commands are declared once in the table below,
 * each with its options and help; the parser, `bouclier help` and the usage
 * lines are all made from it.  Commands return 0 or -errno; main() alone
 * turns that into a sysexits code (see exit_code()).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "log.h"

#define BOUCLIER_VERSION "0.1.0"

enum opt_kind { OPT_FLAG, OPT_STR };

struct optdef {
	const char *name;
	char short_name;
	enum opt_kind kind;
	size_t off; /* into struct args */
	const char *metavar;
	const char *help;
};

#define ARG(field) offsetof(struct args, field)

static const struct optdef options[] = {
	{ "json", 0, OPT_FLAG, ARG(json), NULL, "print JSON instead of text" },
	{ "mode", 0, OPT_STR, ARG(mode), "auto|native|generic",
	  "XDP mode (default auto: native, else generic)" },
	{ "format", 0, OPT_STR, ARG(format), "FORMAT",
	  "feeds: auto (default), plain, netset, spamhaus, ...; reports: text, json, prom, html" },
	{ "lang", 0, OPT_STR, ARG(lang), "en|fr", "language of the report (default en)" },
	{ "stale-after", 0, OPT_STR, ARG(stale_after), "DURATION",
	  "reports older than this are unknown (default 2h)" },
	{ "roster", 0, OPT_STR, ARG(roster), "FILE",
	  "the towns expected, one a line: those without a report are unknown" },
	{ "textfile", 0, OPT_STR, ARG(textfile), "DIR",
	  "write DIR/bouclier.prom atomically, for node_exporter's textfile collector" },
	{ "category", 0, OPT_STR, ARG(category), "NAME",
	  "what the feed lists: botnet-c2, scanners, tor-exit, ..." },
	{ "print", 0, OPT_FLAG, ARG(print), NULL, "print the normalised entries, one CIDR a line" },
	{ "force", 0, OPT_FLAG, ARG(force), NULL,
	  "accept an empty feed, or one that shrinks past its limit" },
	{ "dry-run", 'n', OPT_FLAG, ARG(dry_run), NULL, "read and check, change nothing" },
	{ "config", 'c', OPT_STR, ARG(config), "FILE",
	  "configuration (default /etc/bouclier/bouclier.conf, or $BOUCLIER_CONFIG)" },
	{ "state-dir", 0, OPT_STR, ARG(state_dir), "DIR",
	  "where lists are kept (default " STATE_DIR_DEFAULT ")" },
	{ "verbose", 'v', OPT_FLAG, ARG(verbose), NULL, "say more; libbpf and verifier logs" },
	{ "help", 'h', OPT_FLAG, ARG(help), NULL, "show this help" },
	{ NULL },
};

struct command {
	const char *name;
	int (*fn)(struct args *a);
	int nargs;
	const char *usage;
	const char *help;
	const char *opts[8];
};

static const struct command commands[] = {
	{ "attach", cmd_attach, 1, "IFACE", "attach the filter to an interface",
	  { "mode" } },
	{ "detach", cmd_detach, 1, "IFACE",
	  "detach from an interface; the last detach removes every pinned object" },
	{ "status", cmd_status, 0, "", "where the filter runs and what it holds", { "json" } },
	{ "stats", cmd_stats, 0, "", "packets and bytes by verdict, protocol and feed",
	  { "json" } },
	{ "feed load", cmd_feed_load, 2, "NAME FILE",
	  "replace feed NAME with the entries of FILE, atomically",
	  { "format", "category", "force" } },
	{ "feed check", cmd_feed_check, 1, "FILE",
	  "parse FILE without changing anything (no root needed)", { "format", "print", "json" } },
	{ "feed list", cmd_feed_list, 0, "", "the feeds, their entries and drops", { "json" } },
	{ "feed remove", cmd_feed_remove, 1, "NAME", "remove feed NAME from the filter" },
	{ "allow add", cmd_allow_add, 1, "CIDR", "never filter CIDR (the allowlist always wins)" },
	{ "allow del", cmd_allow_del, 1, "CIDR", "remove CIDR from the allowlist" },
	{ "allow list", cmd_allow_list, 0, "",
	  "the allowlist, with the entries added on their own", { "json" } },
	{ "lookup", cmd_lookup, 1, "ADDRESS", "what the live filter does with ADDRESS",
	  { "json" } },
	{ "refresh", cmd_refresh, 0, "",
	  "read every configured feed and swap them in at once (for cron)",
	  { "config", "dry-run", "force" } },
	{ "config check", cmd_config_check, 0, "",
	  "validate the configuration; FILE:LINE for each problem, exit 78", { "config", "json" } },
	{ "weather", cmd_weather, 0, "",
	  "the cyber weather since local midnight: sunny, light rain, storm, tornado",
	  { "lang", "json", "format", "textfile", "config" } },
	{ "record", cmd_record, 0, "",
	  "keep the last 48 hours of drops in the history (run it hourly, with refresh)",
	  { "config" } },
	{ "history", cmd_history, 0, "", "attacks blocked day by day, the last 100 days",
	  { "json", "config" } },
	{ "observatory", cmd_observatory, -1, "FILES|DIR",
	  "merge towns' `weather --json` reports into a regional view",
	  { "format", "json", "stale-after", "roster" } },
	{ "config urls", cmd_config_urls, 0, "",
	  "NAME URL FILE for every fetched feed (used by tools/bouclier-fetch)", { "config" } },
	{ NULL },
};

static const char *const global_opts[] = { "state-dir", "verbose", "help", NULL };

static const struct optdef *find_opt(const char *name, char short_name)
{
	const struct optdef *o;

	for (o = options; o->name; o++)
		if ((name && !strcmp(o->name, name)) || (short_name && o->short_name == short_name))
			return o;
	return NULL;
}

static bool cmd_has_opt(const struct command *c, const char *name)
{
	int i;

	for (i = 0; global_opts[i]; i++)
		if (!strcmp(global_opts[i], name))
			return true;
	for (i = 0; c && i < 8 && c->opts[i]; i++)
		if (!strcmp(c->opts[i], name))
			return true;
	return false;
}

static void print_opt(FILE *f, const char *name)
{
	const struct optdef *o = find_opt(name, 0);
	char left[64];

	snprintf(left, sizeof(left), "%s%c%s--%s%s%s", o->short_name ? "-" : "",
		 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ", o->name,
		 o->metavar ? " " : "", o->metavar ? o->metavar : "");
	fprintf(f, "    %-34s %s\n", o->short_name ? left : left + 2, o->help);
}

static void usage(FILE *f, const struct command *only)
{
	const struct command *c;
	int i;

	if (!only)
		fprintf(f, "bouclier %s - XDP blocklist filter for a WAN link\n\n"
			   "usage: bouclier [-v] [--state-dir DIR] COMMAND [ARGS]\n\ncommands:\n",
			BOUCLIER_VERSION);
	for (c = commands; c->name; c++) {
		if (only && c != only)
			continue;
		fprintf(f, "  %s%s%s%s\n      %s\n", only ? "usage: bouclier " : "", c->name,
			*c->usage ? " " : "", c->usage, c->help);
		for (i = 0; i < 8 && c->opts[i]; i++)
			print_opt(f, c->opts[i]);
	}
	fprintf(f, "\noptions of every command:\n");
	for (i = 0; global_opts[i]; i++)
		print_opt(f, global_opts[i]);
	if (!only)
		fprintf(f, "\nexit codes: 0 ok, 64 usage, 65 bad data, 66 missing file, "
			   "69 unavailable (interface, not attached, foreign XDP program),\n"
			   "  70 kernel refused the program, 71 system error, 75 busy: try again, "
			   "77 needs root, 78 bad configuration\n");
}

static int parse_args(int argc, char **argv, const struct command **cmd, struct args *a)
{
	const struct command *c;
	int i, words = 0;

	*cmd = NULL;
	/* leading global options */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const struct optdef *o = argv[i][1] == '-' ? find_opt(argv[i] + 2, 0)
							   : find_opt(NULL, argv[i][1]);

		if (!o || !cmd_has_opt(NULL, o->name)) {
			fprintf(stderr, "bouclier: unknown option %s before the command\n", argv[i]);
			return -E_USAGE;
		}
		if (o->kind == OPT_STR) {
			if (++i == argc)
				return -E_USAGE;
			*(const char **)((char *)a + o->off) = argv[i];
		} else {
			(*(int *)((char *)a + o->off))++;
		}
	}
	if (i == argc)
		return a->help ? 0 : -E_USAGE;
	for (c = commands; c->name; c++) {
		size_t n = strlen(argv[i]);

		if (!strcmp(c->name, argv[i])) {
			words = 1;
			break;
		}
		if (i + 1 < argc && !strncmp(c->name, argv[i], n) && c->name[n] == ' ' &&
		    !strcmp(c->name + n + 1, argv[i + 1])) {
			words = 2;
			break;
		}
	}
	if (!c->name) {
		if (!strcmp(argv[i], "help")) {
			a->help = 1;
			return 0;
		}
		fprintf(stderr, "bouclier: unknown command \"%s\" (see `bouclier help`)\n", argv[i]);
		return -E_USAGE;
	}
	*cmd = c;
	for (i += words; i < argc; i++) {
		const char *s = argv[i], *val = NULL;
		const struct optdef *o;
		char name[64];

		if (s[0] != '-' || !s[1] || a->npos_done) {
			if (a->npos == (int)(sizeof(a->pos) / sizeof(a->pos[0])))
				return -E_USAGE;
			a->pos[a->npos++] = s;
			continue;
		}
		if (!strcmp(s, "--")) {
			a->npos_done = 1;
			continue;
		}
		if (s[1] == '-') {
			snprintf(name, sizeof(name), "%s", s + 2);
			if (strchr(name, '=')) {
				val = s + 2 + (strchr(name, '=') - name) + 1;
				*strchr(name, '=') = 0;
			}
			o = find_opt(name, 0);
		} else {
			o = find_opt(NULL, s[1]);
		}
		if (!o || !cmd_has_opt(c, o->name)) {
			fprintf(stderr, "bouclier %s: unknown option %s\n", c->name, s);
			return -E_USAGE;
		}
		if (o->kind == OPT_STR) {
			if (!val && ++i == argc) {
				fprintf(stderr, "bouclier %s: --%s needs a value\n", c->name, o->name);
				return -E_USAGE;
			}
			*(const char **)((char *)a + o->off) = val ? val : argv[i];
		} else {
			(*(int *)((char *)a + o->off))++;
		}
	}
	if (!a->help && (c->nargs < 0 ? a->npos < 1 : a->npos != c->nargs)) {
		fprintf(stderr, "bouclier %s: expected %s\n", c->name,
			*c->usage ? c->usage : "no argument");
		return -E_USAGE;
	}
	return 0;
}

/* sysexits: documented in README and `bouclier help`. */
static int exit_code(int err)
{
	switch (err) {
	case 0:
		return EX_OK;
	case -E_USAGE:
		return EX_USAGE;
	case -E_CONFIG:
		return EX_CONFIG;
	case -EINVAL:
	case -EBADMSG:
	case -ERANGE:
		return EX_DATAERR;
	case -ENOENT:
	case -EISDIR:
		return EX_NOINPUT;
	case -ENODEV:
	case -ENXIO:
	case -EEXIST:
	case -EOPNOTSUPP:
		return EX_UNAVAILABLE;
	case -EPROTO:
		return EX_SOFTWARE;
	case -EWOULDBLOCK:
	case -EBUSY:
		return EX_TEMPFAIL;
	case -EPERM:
	case -EACCES:
		return EX_NOPERM;
	default:
		return EX_OSERR;
	}
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	struct args a = { 0 };
	int err;

	err = parse_args(argc, argv, &cmd, &a);
	if (err || a.help) {
		usage(err ? stderr : stdout, cmd);
		return exit_code(err);
	}
	if (!a.state_dir)
		a.state_dir = getenv("BOUCLIER_STATE_DIR");
	a.state_dir_set = a.state_dir && *a.state_dir;
	if (!a.state_dir || !*a.state_dir)
		a.state_dir = STATE_DIR_DEFAULT;
	log_setup(LOG_LVL_INFO + a.verbose, 0);
	err = cmd->fn(&a);
	return exit_code(err);
}
