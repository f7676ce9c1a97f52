// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The command-line parser (loader/cli.c) as a core that knows no command:
 * it parses against a list of its own here, with an option of each type.
 * And every option row of bouclier's commands records the size of the
 * field it writes, the size its type writes (OPT_FIELD() checks the C type
 * at compile time; this catches a row written without it).
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "ctx.h"

static size_t type_size(enum opt_type t)
{
	switch (t) {
	case OPT_BOOL:
		return sizeof(bool);
	case OPT_STR:
		return sizeof(const char *);
	case OPT_ENUM:
		return sizeof(int);
	case OPT_DURATION:
		return sizeof(long);
	case OPT_LIST:
		return sizeof(struct strlist);
	}
	return 0;
}

static void rows_fit(const char *what, const struct opt *o, size_t size)
{
	for (; o && o->name; o++) {
		cr_expect_eq(o->size, type_size(o->type), "%s --%s: a field of %zu bytes for a "
			     "type that writes %zu", what, o->name, o->size, type_size(o->type));
		cr_expect_leq(o->off + o->size, size, "%s --%s: past the end of its options", what,
			      o->name);
	}
}

Test(cli, every_option_row_has_the_size_of_its_type)
{
	const struct command *const *c;

	rows_fit("global", global_opts, sizeof(struct ctx));
	rows_fit("--json", json_only_opts, sizeof(struct json_opts));
	for (c = commands; *c; c++)
		rows_fit((*c)->name, (*c)->opts, (*c)->size);
}

/* A command of the test's own, with an option of each type. */
struct try_opts {
	const char *file;
	long seconds;
	int colour;
	bool loud;
	struct strlist rest;
};

static const char *const *colours(void)
{
	static const char *const v[] = { "", "red", "green", NULL };

	return v;
}

static int run_try(struct ctx *c, void *o)
{
	(void)c;
	(void)o;
	return 0;
}

static const struct opt try_opts[] = {
	{ .name = "FILE", OPT_FIELD(STR, struct try_opts, file),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "FILE", .help = "a file" },
	{ .name = "for", OPT_FIELD(DURATION, struct try_opts, seconds), .flags = OPT_REQUIRED,
	  .metavar = "DURATION", .help = "how long" },
	{ .name = "colour", OPT_FIELD(ENUM, struct try_opts, colour), .metavar = "COLOUR",
	  .help = "which", .choices = colours },
	{ .name = "loud", .short_name = 'l', OPT_FIELD(BOOL, struct try_opts, loud),
	  .help = "say more" },
	{ .name = "MORE", OPT_FIELD(LIST, struct try_opts, rest), .flags = OPT_POSITIONAL,
	  .metavar = "MORE", .help = "the rest" },
	{ NULL },
};

static const struct command cmd_try = {
	.name = "try it",
	.summary = "a command of the test's own",
	.run = run_try,
	.size = sizeof(struct try_opts),
	.opts = try_opts,
};
static const struct command *const cmds[] = { &cmd_try, NULL };

/* The words of line as argv (kept until the next call: the options point
 * into them). */
static int parse(const char *line, struct ctx *x, struct try_opts **o)
{
	static char copy[256];
	const struct command *cmd;
	char *argv[16], *save = NULL, *w;
	int argc = 0, err;

	snprintf(copy, sizeof(copy), "%s", line);
	argv[argc++] = "bouclier";
	for (w = strtok_r(copy, " ", &save); w && argc < 15; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	memset(x, 0, sizeof(*x));
	err = cli_parse(cmds, argc, argv, x, &cmd, (void **)o);
	if (!err && !x->help)
		cr_expect_eq(cmd, &cmd_try);
	return err;
}

static void done(struct try_opts *o)
{
	if (o)
		free(o->rest.v);
	free(o);
}

Test(cli, parses_against_a_list_it_is_handed)
{
	struct try_opts *o;
	struct ctx x;

	cr_assert_eq(parse("try it list.txt --for 2h --colour green -l a b -v", &x, &o), 0);
	cr_expect_str_eq(o->file, "list.txt");
	cr_expect_eq(o->seconds, 7200);
	cr_expect_eq(o->colour, 2);
	cr_expect(o->loud);
	cr_expect_eq(o->rest.n, 2);
	cr_expect_str_eq(o->rest.v[1], "b");
	cr_expect(x.verbose_set);
	done(o);

	cr_expect_eq(parse("try it list.txt --for 2x", &x, &o), -E_USAGE, "not a duration");
	done(o);
	cr_expect_eq(parse("try it list.txt --for 1m --colour blue", &x, &o), -E_USAGE);
	done(o);
	cr_expect_eq(parse("try it list.txt", &x, &o), -E_USAGE, "--for is required");
	done(o);
	cr_expect_eq(parse("try it --for 1m", &x, &o), -E_USAGE, "FILE is required");
	done(o);
	cr_expect_eq(parse("attach eth0", &x, &o), -E_USAGE, "not in the list handed over");
	done(o);
	cr_expect_eq(parse("help try it", &x, &o), 0);
	cr_expect(x.help);
	done(o);
}
