// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mkman - bouclier(8) and bouclier.conf(5) from the tables --help and the
 * parser read: the commands and their typed options (cli.h), the exit codes,
 * the feed formats (feed.h) and the configuration keys (config.h).
 *
 *   mkman --date YYYY-MM-DD < tools/man/bouclier.8.in > bouclier.8
 *
 * The template is roff prose; a line that is only a marker is replaced by
 * what the tables say:
 *   @SYNOPSIS@  @COMMANDS@  @GLOBAL_OPTIONS@  @EXIT_STATUS@  @FORMATS@
 *   @KEYS section@  (one per section of the file, "@KEYS feed NAME@")
 * and @VERSION@ and @DATE@ anywhere on a line.  A section of the
 * configuration that no @KEYS@ line names fails the build, so a new one
 * cannot be left out of the page.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "config.h"
#include "feed.h"

/* Text for roff: '\' is \e, '-' is \- (a minus, so that options can be
 * copied), a '.' or '\'' starting a line is not a request.  first: the text
 * starts a line. */
static void roff(FILE *f, const char *s, int first)
{
	if (first && (*s == '.' || *s == '\''))
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* A help text as a sentence, starting a line: a full stop last, and a
 * capital first unless it starts with a name (abuse.ch, ipset). */
static void sentence(FILE *f, const char *s, int capital)
{
	size_t n = strlen(s);
	int first = 1;

	if (!n)
		return;
	if (capital && islower((unsigned char)*s)) {
		fputc(toupper((unsigned char)*s), f);
		s++, n--;
		first = 0;
	}
	roff(f, s, first);
	if (n && s[n - 1] != '.')
		fputc('.', f);
}

static void choices(FILE *f, const struct opt *o)
{
	const char *const *ch;
	int i, n = 0;

	if (o->type != OPT_ENUM)
		return;
	fputs(" One of", f);
	for (ch = o->choices(), i = 0; ch[i]; i++)
		if (*ch[i]) {
			fprintf(f, "%s \\fB", n++ ? "," : "");
			roff(f, ch[i], 0);
			fputs("\\fR", f);
		}
	fputc('.', f);
}

static const char *metavar(const struct opt *o)
{
	return o->metavar ? o->metavar : o->type == OPT_ENUM ? "WORD" : NULL;
}

/* "\fB\-\-mode\fR \fIMODE\fR", with its short form first when short; \% at
 * the start of a word keeps it from being hyphenated (inside a word it would
 * allow a break there: the caller writes it before a bracket). */
static void opt_name(FILE *f, const struct opt *o, int with_short, int word_start)
{
	if (with_short && o->short_name)
		fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
	fputs(word_start ? "\\%\\fB\\-\\-" : "\\fB\\-\\-", f);
	roff(f, o->name, 0);
	fputs("\\fR", f);
	if (metavar(o)) {
		fputs(" \\%\\fI", f);
		roff(f, metavar(o), 0);
		fputs("\\fR", f);
	}
}

static void positional(FILE *f, const struct opt *o)
{
	fputs((o->flags & OPT_REQUIRED) ? " \\%\\fI" : " \\%[\\fI", f);
	roff(f, o->metavar, 0);
	fputs(o->type == OPT_LIST ? "\\fR..." : "\\fR", f);
	if (!(o->flags & OPT_REQUIRED))
		fputc(']', f);
}

/* "\fBbouclier feed load\fR \fINAME\fR \fIFILE\fR [\fB\-\-format\fR \fIFORMAT\fR] ..." */
static void usage(FILE *f, const struct command *c)
{
	const struct opt *o;

	fputs("\\fBbouclier ", f);
	roff(f, c->name, 0);
	fputs("\\fR", f);
	for (o = c->opts; o && o->name; o++)
		if (o->flags & OPT_POSITIONAL)
			positional(f, o);
	for (o = c->opts; o && o->name; o++)
		if (!(o->flags & OPT_POSITIONAL)) {
			int req = o->flags & OPT_REQUIRED;

			fputs(req ? " " : " \\%[", f);
			opt_name(f, o, 0, req);
			if (!req)
				fputc(']', f);
		}
	fputc('\n', f);
}

static void synopsis(FILE *f)
{
	const struct command *const *c;

	for (c = commands; *c; c++) {
		fputs(".br\n", f);
		usage(f, *c);
	}
}

static void opt_items(FILE *f, const struct opt *o)
{
	for (; o && o->name; o++) {
		fputs(".TP\n", f);
		if (o->flags & OPT_POSITIONAL) {
			fputs("\\fI", f);
			roff(f, o->metavar, 0);
			fputs("\\fR\n", f);
		} else {
			opt_name(f, o, 1, 1);
			fputc('\n', f);
		}
		sentence(f, o->help, 1);
		choices(f, o);
		fputc('\n', f);
	}
}

/* One subsection a command: its usage, its summary, each argument and option. */
static void command_list(FILE *f)
{
	const struct command *const *c;

	for (c = commands; *c; c++) {
		fputs(".SS \"", f);
		roff(f, (*c)->name, 0);
		fputs("\"\n", f);
		usage(f, *c);
		fputs(".PP\n", f);
		sentence(f, (*c)->summary, 1);
		fputc('\n', f);
		opt_items(f, (*c)->opts);
	}
}

static void exit_status(FILE *f)
{
	const struct exit_doc *e;

	for (e = exit_docs; e->what; e++) {
		fprintf(f, ".TP\n.B %d\n", e->code);
		sentence(f, e->what, 1);
		fputc('\n', f);
	}
}

static void formats(FILE *f)
{
	const char *const *names = feed_format_names();
	int i;

	for (i = 0; names[i]; i++) {
		fputs(".TP\n\\fB", f);
		roff(f, names[i], 0);
		fputs("\\fR\n", f);
		sentence(f, feed_format_what(i), 0);
		fputc('\n', f);
	}
}

/* The keys of one section; returns how many. */
static int keys(FILE *f, const char *section)
{
	struct config_key_doc d;
	size_t i;
	int n = 0;

	for (i = 0; config_key_doc(i, &d); i++) {
		if (strcmp(d.section, section))
			continue;
		fputs(".TP\n\\fB", f);
		roff(f, d.name, 0);
		fputs("\\fR = \\fI", f);
		roff(f, d.metavar, 0);
		fputs("\\fR\n", f);
		sentence(f, d.help, 1);
		if (d.choices) {
			fputs(" One of: ", f);
			roff(f, d.choices, 0);
			fputc('.', f);
		}
		if (d.dflt) {
			fputs(" Default: ", f);
			roff(f, d.dflt, 0);
			fputc('.', f);
		}
		fputc('\n', f);
		n++;
	}
	return n;
}

/* Writes line with @VERSION@ and @DATE@ replaced. */
static void text_line(FILE *f, const char *line, const char *date)
{
	const char *p;

	while ((p = strchr(line, '@'))) {
		fwrite(line, 1, p - line, f);
		if (!strncmp(p, "@VERSION@", 9)) {
			fputs(cli_version(), f);
			line = p + 9;
		} else if (!strncmp(p, "@DATE@", 6)) {
			fputs(date, f);
			line = p + 6;
		} else {
			fputc('@', f);
			line = p + 1;
		}
	}
	fputs(line, f);
}

int main(int argc, char **argv)
{
	const char *const *sections = config_sections();
	const char *date = NULL;
	char line[1024];
	int i, ln = 0, nsections = 0, seen = 0, missing = 0;
	struct config_key_doc d;
	size_t k;

	if (argc == 3 && !strcmp(argv[1], "--date"))
		date = argv[2];
	if (!date) {
		fprintf(stderr, "usage: mkman --date YYYY-MM-DD < TEMPLATE > PAGE\n");
		return 64;
	}
	while (sections[nsections])
		nsections++;
	while (fgets(line, sizeof(line), stdin)) {
		char *nl = strchr(line, '\n');

		ln++;
		if (nl)
			*nl = 0;
		if (!strcmp(line, "@SYNOPSIS@"))
			synopsis(stdout);
		else if (!strcmp(line, "@COMMANDS@"))
			command_list(stdout);
		else if (!strcmp(line, "@GLOBAL_OPTIONS@"))
			opt_items(stdout, global_opts);
		else if (!strcmp(line, "@EXIT_STATUS@"))
			exit_status(stdout);
		else if (!strcmp(line, "@FORMATS@"))
			formats(stdout);
		else if (!strncmp(line, "@KEYS ", 6) && line[strlen(line) - 1] == '@') {
			line[strlen(line) - 1] = 0;
			for (i = 0; i < nsections && strcmp(sections[i], line + 6); i++)
				;
			if (i == nsections) {
				fprintf(stderr, "mkman: line %d: no section [%s] in the configuration\n",
					ln, line + 6);
				return 65;
			}
			seen |= 1 << i;
			keys(stdout, line + 6);
		} else {
			text_line(stdout, line, date);
			fputc('\n', stdout);
		}
	}
	/* a template that has @KEYS@ lines must name every section with keys */
	for (k = 0; seen && config_key_doc(k, &d); k++) {
		for (i = 0; i < nsections && strcmp(sections[i], d.section); i++)
			;
		if (!(seen & 1 << i) && !(missing & 1 << i)) {
			fprintf(stderr, "mkman: the template has no @KEYS %s@ line: the keys of "
				"[%s] would be left out\n", d.section, d.section);
			missing |= 1 << i;
		}
	}
	if (fflush(stdout) || ferror(stdout))
		return 74;
	return missing ? 65 : 0;
}
