/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * cli.h - commands and their typed options, declared once (after xdp-tools'
 * params): each command has a struct of its own options and a table saying,
 * for each field, its name, type, help text and whether it is positional.
 * The parser, `bouclier help`, `COMMAND --help` and the man page are all
 * made from these tables.  The parser knows no command: it is handed the
 * list (commands.h), so it links, and is tested, without any of them.
 */
#ifndef BOUCLIER_CLI_H
#define BOUCLIER_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ctx;

/* What the parser writes into an option's field, and the C type of the
 * field (OPT_CTYPE_*, which OPT_FIELD() checks). */
enum opt_type {
	OPT_BOOL,     /* bool */
	OPT_STR,      /* const char * */
	OPT_ENUM,     /* int: index into choices() */
	OPT_DURATION, /* long seconds: 90s, 45m, 26h, 2d */
	OPT_LIST,     /* struct strlist: a positional taking every remaining argument */
};

struct strlist {
	const char **v;
	int n;
};

#define OPT_CTYPE_BOOL bool
#define OPT_CTYPE_STR const char *
#define OPT_CTYPE_ENUM int
#define OPT_CTYPE_DURATION long
#define OPT_CTYPE_LIST struct strlist

#define OPT_POSITIONAL 1u
#define OPT_REQUIRED   2u

/* One option, written with designated initialisers and OPT_FIELD():
 *   { .name = "mode", OPT_FIELD(ENUM, struct attach_opts, mode), .metavar = "MODE",
 *     .help = "...", .choices = attach_mode_names },
 * A table ends with { NULL }. */
struct opt {
	const char *name;
	char short_name;
	enum opt_type type;
	size_t off, size;     /* the field in the command's options struct (ctx for global ones) */
	unsigned flags;
	const char *metavar;
	const char *help;
	const char *const *(*choices)(void); /* OPT_ENUM */
};

/* .type, .off and .size of a row whose option of TYPE (BOOL, STR, ENUM,
 * DURATION, LIST) is stored in FIELD of STRUCT.  A field of another C type
 * than OPT_CTYPE_##TYPE does not compile: a row cannot make the parser write
 * a long into an int, nor a bool into a const char *.  (The assertion sits
 * in a struct inside sizeof, the one place a declaration is allowed in a
 * constant expression.) */
#define OPT_FIELD(TYPE, STRUCT, FIELD)                                                  \
	.type = OPT_##TYPE,                                                             \
	.off = offsetof(STRUCT, FIELD) + 0 * sizeof(struct {                            \
		_Static_assert(_Generic(((STRUCT *)0)->FIELD, OPT_CTYPE_##TYPE: 1, default: 0), \
			       #STRUCT "." #FIELD " is not the field of an OPT_" #TYPE " option"); \
		int unused;                                                             \
	}),                                                                             \
	.size = sizeof(((STRUCT *)0)->FIELD)

/* What main() does for a command before it runs, the same way for each: */
#define CMD_NO_CONFIG 1u /* runs without reading the configuration (feed check, observatory) */
#define CMD_LISTS 2u     /* reads or compiles whole lists: started on huge pages (main.c) */
#define CMD_ROOT 4u      /* refused with "NAME needs root" (exit 77) unless root */
#define CMD_STATE 8u     /* the state opened with its lock and loaded, in ctx->state */
#define CMD_STATE_READ 16u /* the state loaded without the lock (readers), in ctx->state */

struct command {
	const char *name;      /* "attach", "feed load" */
	const char *summary;   /* one line */
	int (*run)(struct ctx *c, void *opts);
	size_t size;           /* of the options struct */
	const void *defaults;  /* initial values, or NULL for zeros */
	const struct opt *opts; /* ends with a { NULL } entry */
	unsigned flags;
};

/* The options of a command whose only option is --json. */
struct json_opts {
	bool json;
};
extern const struct opt json_only_opts[];

/* The options every command takes, stored in struct ctx. */
extern const struct opt global_opts[];

/* The exit codes (sysexits, main.c) and what each means, for `bouclier help`
 * and bouclier(8); ends with a NULL what. */
struct exit_doc {
	int code;
	const char *what;
};
extern const struct exit_doc exit_docs[];

/* Parses argv into one of cmds (NULL-terminated), a malloc'd options struct
 * (*opts) and the global options into c.  Returns 0, or -E_USAGE with the
 * message printed.  *cmd is NULL when only help or the version was asked
 * for. */
int cli_parse(const struct command *const *cmds, int argc, char **argv, struct ctx *c,
	      const struct command **cmd, void **opts);
/* The help of every one of cmds, or of only one of them. */
void cli_usage(FILE *f, const struct command *const *cmds, const struct command *only);
const char *cli_version(void);

#endif
