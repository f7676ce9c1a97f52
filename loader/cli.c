// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * cli.c - the parser, help and man page made from the commands' option
 * tables (cli.h).  Global options may come before or after the command.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "ctx.h"
#include "parsers.h"
#include "version.h" /* BOUCLIER_VERSION, made from debian/changelog by the Makefile */

const struct opt global_opts[] = {
	{ .name = "config", .short_name = 'c', OPT_FIELD(STR, struct ctx, opt_config),
	  .metavar = "FILE",
	  .help = "configuration (default " CONFIG_PATH_DEFAULT ", or $BOUCLIER_CONFIG)" },
	{ .name = "state-dir", OPT_FIELD(STR, struct ctx, opt_state_dir), .metavar = "DIR",
	  .help = "lists and history (default: the configuration's state_dir, else "
		  STATE_DIR_DEFAULT "; or $BOUCLIER_STATE_DIR)" },
	{ .name = "verbose", .short_name = 'v', OPT_FIELD(BOOL, struct ctx, verbose_set),
	  .help = "say more; libbpf's messages, the verifier's log, the time of each step" },
	{ .name = "help", .short_name = 'h', OPT_FIELD(BOOL, struct ctx, help),
	  .help = "show the help of the command" },
	{ .name = "version", OPT_FIELD(BOOL, struct ctx, version), .help = "print the version" },
	{ NULL },
};

const struct opt json_only_opts[] = {
	{ .name = "json", OPT_FIELD(BOOL, struct json_opts, json),
	  .help = "print JSON instead of text" },
	{ NULL },
};

const struct exit_doc exit_docs[] = {
	{ 0, "ok" },
	{ 64, "usage: an unknown command or option, a value missing" },
	{ 65, "bad data: an unusable feed, an invalid CIDR, a feed refused by refresh" },
	{ 66, "a missing or unreadable file" },
	{ 69, "unavailable: no such interface, not attached, filtering nowhere, a foreign XDP "
	      "program in the way" },
	{ 70, "the kernel refused the program" },
	{ 71, "another system error" },
	{ 75, "busy or too early: another bouclier holds the lock, or too few towns reported to "
	      "publish the region's list; try again" },
	{ 77, "needs root" },
	{ 78, "bad configuration" },
	{ 0, NULL },
};

static const struct opt *find(const struct opt *t, const char *name, char short_name)
{
	for (; t && t->name; t++)
		if (!(t->flags & OPT_POSITIONAL) &&
		    ((name && !strcmp(t->name, name)) || (short_name && t->short_name == short_name)))
			return t;
	return NULL;
}

static int set(const struct command *c, const struct opt *o, void *base, const char *val)
{
	char *dst = (char *)base + o->off;
	const char *const *ch;
	long d;
	int i;

	switch (o->type) {
	case OPT_BOOL:
		*(bool *)dst = true;
		return 0;
	case OPT_STR:
		*(const char **)dst = val;
		return 0;
	case OPT_DURATION:
		d = parse_duration(val);
		if (d < 0) {
			fprintf(stderr, "bouclier%s%s: --%s %s: a duration expected, "
				DURATION_EXAMPLES "\n", c ? " " : "", c ? c->name : "", o->name, val);
			return -E_USAGE;
		}
		*(long *)dst = d;
		return 0;
	case OPT_ENUM:
		for (ch = o->choices(), i = 0; ch[i]; i++)
			if (*ch[i] && !strcmp(ch[i], val)) {
				*(int *)dst = i;
				return 0;
			}
		fprintf(stderr, "bouclier%s%s: --%s %s: expected one of", c ? " " : "",
			c ? c->name : "", o->name, val);
		for (ch = o->choices(), i = 0, d = 0; ch[i]; i++)
			if (*ch[i])
				fprintf(stderr, "%s %s", d++ ? "," : "", ch[i]);
		fputc('\n', stderr);
		return -E_USAGE;
	case OPT_LIST:
		break;
	}
	return -E_USAGE;
}

static const struct command *find_command(const struct command *const *cmds, int argc,
					   char **argv, int i, int *words)
{
	const struct command *const *c;

	for (c = cmds; *c; c++) {
		size_t n = strlen(argv[i]);

		if (!strcmp((*c)->name, argv[i])) {
			*words = 1;
			return *c;
		}
		if (i + 1 < argc && !strncmp((*c)->name, argv[i], n) && (*c)->name[n] == ' ' &&
		    !strcmp((*c)->name + n + 1, argv[i + 1])) {
			*words = 2;
			return *c;
		}
	}
	return NULL;
}

/* An option at argv[*i]: a global one, or one of the command's (marked in
 * *seen, one bit an entry of its table, for the required ones). */
static int option(int argc, char **argv, int *i, const struct command *c, void *opts,
		  struct ctx *x, __u64 *seen)
{
	const char *s = argv[*i], *val = NULL;
	const struct opt *o;
	char name[64];
	void *base;

	if (s[1] == '-') {
		snprintf(name, sizeof(name), "%s", s + 2);
		if (strchr(name, '=')) {
			val = s + 2 + (strchr(name, '=') - name) + 1;
			*strchr(name, '=') = 0;
		}
		o = find(c ? c->opts : NULL, name, 0);
		base = opts;
		if (!o) {
			o = find(global_opts, name, 0);
			base = x;
		}
	} else {
		if (s[2]) {
			fprintf(stderr, "bouclier: %s: one letter an option (or use the --long form)\n",
				s);
			return -E_USAGE;
		}
		o = find(c ? c->opts : NULL, NULL, s[1]);
		base = opts;
		if (!o) {
			o = find(global_opts, NULL, s[1]);
			base = x;
		}
	}
	if (!o) {
		fprintf(stderr, "bouclier%s%s: unknown option %s (see `bouclier %s--help`)\n",
			c ? " " : "", c ? c->name : "", s, c ? c->name : "");
		return -E_USAGE;
	}
	if (base == opts && o - c->opts < 64)
		*seen |= 1ULL << (o - c->opts);
	if (o->type == OPT_BOOL) {
		if (val) {
			fprintf(stderr, "bouclier: --%s takes no value\n", o->name);
			return -E_USAGE;
		}
		if (base == x && !strcmp(o->name, "verbose"))
			x->verbose++;
		return set(c, o, base, NULL);
	}
	if (!val) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "bouclier%s%s: --%s needs a value (%s)\n", c ? " " : "",
				c ? c->name : "", o->name, o->metavar);
			return -E_USAGE;
		}
		val = argv[++*i];
	}
	return set(c, o, base, val);
}

int cli_parse(const struct command *const *cmds, int argc, char **argv, struct ctx *x,
	      const struct command **cmd, void **out)
{
	const struct command *c = NULL;
	const struct opt *o, *pos = NULL;
	void *opts = NULL;
	bool dashdash = false;
	int i, words = 0, err = 0, help_cmd = 0;
	__u64 seen = 0;

	*cmd = NULL;
	*out = NULL;
	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (!dashdash && s[0] == '-' && s[1]) {
			if (!strcmp(s, "--")) {
				dashdash = true;
				continue;
			}
			err = option(argc, argv, &i, c, opts, x, &seen);
			if (err)
				goto fail;
			continue;
		}
		if (!c && !help_cmd) {
			if (!strcmp(s, "help")) {
				help_cmd = 1;
				x->help = true;
				continue;
			}
			c = find_command(cmds, argc, argv, i, &words);
			if (!c) {
				fprintf(stderr, "bouclier: unknown command \"%s\" (see `bouclier help`)\n",
					s);
				err = -E_USAGE;
				goto fail;
			}
			i += words - 1;
			opts = calloc(1, c->size ? c->size : 1);
			if (!opts)
				return -ENOMEM;
			if (c->defaults)
				memcpy(opts, c->defaults, c->size);
			pos = c->opts;
			continue;
		}
		if (help_cmd && !c) {
			c = find_command(cmds, argc, argv, i, &words);
			if (!c) {
				fprintf(stderr, "bouclier help: no command \"%s\"\n", s);
				err = -E_USAGE;
				goto fail;
			}
			i += words - 1;
			continue;
		}
		if (help_cmd)
			continue;
		while (pos && pos->name && !(pos->flags & OPT_POSITIONAL))
			pos++;
		if (!pos || !pos->name) {
			fprintf(stderr, "bouclier %s: unexpected argument \"%s\"\n", c->name, s);
			err = -E_USAGE;
			goto fail;
		}
		if (pos->type == OPT_LIST) {
			struct strlist *l = (struct strlist *)((char *)opts + pos->off);

			if (!l->v)
				l->v = calloc(argc, sizeof(*l->v));
			if (!l->v)
				return -ENOMEM;
			l->v[l->n++] = s;
			continue;
		}
		err = set(c, pos, opts, s);
		if (err)
			goto fail;
		pos++;
	}
	if (x->help || x->version) {
		*cmd = c;
		*out = opts;
		return 0;
	}
	if (!c) {
		fprintf(stderr, "bouclier: which command? (see `bouclier help`)\n");
		return -E_USAGE;
	}
	for (o = c->opts; o && o->name; o++) {
		if (!(o->flags & OPT_REQUIRED))
			continue;
		if (!(o->flags & OPT_POSITIONAL)) {
			if (o - c->opts < 64 && (seen & 1ULL << (o - c->opts)))
				continue;
			fprintf(stderr, "bouclier %s: --%s %s missing\n", c->name, o->name,
				o->metavar ? o->metavar : "");
			err = -E_USAGE;
			goto fail;
		}
		if (o->type == OPT_LIST ? ((struct strlist *)((char *)opts + o->off))->n == 0
					: !*(const char **)((char *)opts + o->off)) {
			fprintf(stderr, "bouclier %s: %s missing\n", c->name, o->metavar);
			err = -E_USAGE;
			goto fail;
		}
	}
	*cmd = c;
	*out = opts;
	return 0;
fail:
	*cmd = c;
	*out = opts;
	return err;
}

static void usage_line(FILE *f, const struct command *c)
{
	const struct opt *o;

	fprintf(f, "%s", c->name);
	for (o = c->opts; o && o->name; o++)
		if (o->flags & OPT_POSITIONAL)
			fprintf(f, o->type == OPT_LIST ? " %s..." : (o->flags & OPT_REQUIRED) ? " %s"
												    : " [%s]",
				o->metavar);
}

static void print_opt(FILE *f, const struct opt *o)
{
	const char *const *ch;
	char left[80];
	int i, n;

	if (o->short_name)
		n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->name);
	else
		n = snprintf(left, sizeof(left), "    --%s", o->name);
	if (o->metavar || o->type == OPT_ENUM)
		snprintf(left + n, sizeof(left) - n, " %s", o->metavar ? o->metavar : "WORD");
	fprintf(f, "    %-28s %s%s", left, o->help,
		(o->flags & (OPT_REQUIRED | OPT_POSITIONAL)) == OPT_REQUIRED ? " (required)" : "");
	if (o->type == OPT_ENUM) {
		fputs(" (", f);
		for (ch = o->choices(), i = 0, n = 0; ch[i]; i++)
			if (*ch[i])
				fprintf(f, "%s%s", n++ ? ", " : "", ch[i]);
		fputc(')', f);
	}
	fputc('\n', f);
}

void cli_usage(FILE *f, const struct command *const *cmds, const struct command *only)
{
	const struct command *const *c;
	const struct exit_doc *e;
	const struct opt *o;
	int col;

	if (!only)
		fprintf(f, "bouclier %s - XDP blocklist filter for a WAN link\n\n"
			   "usage: bouclier [OPTIONS] COMMAND [ARGS]\n\ncommands:\n", BOUCLIER_VERSION);
	for (c = cmds; *c; c++) {
		if (only && *c != only)
			continue;
		fprintf(f, "  %s", only ? "usage: bouclier " : "");
		usage_line(f, *c);
		fprintf(f, "\n      %s\n", (*c)->summary);
		for (o = (*c)->opts; o && o->name; o++)
			if (!(o->flags & OPT_POSITIONAL))
				print_opt(f, o);
	}
	fprintf(f, "\noptions of every command:\n");
	for (o = global_opts; o->name; o++)
		print_opt(f, o);
	if (only)
		return;
	fprintf(f, "\nexit codes:");
	for (e = exit_docs, col = 11; e->what; e++) {
		int n = snprintf(NULL, 0, " %d %s;", e->code, e->what);

		if (col + n > 100) {
			fputs("\n ", f);
			col = 1;
		}
		col += fprintf(f, " %d %s%s", e->code, e->what, e[1].what ? ";" : "\n");
	}
}

const char *cli_version(void)
{
	return BOUCLIER_VERSION;
}
