// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The man pages as built (make man): every command, option, exit code and
 * configuration key of the tables is in them, bouclier-fetch's options and
 * variables too, the example configuration loads, and groff renders both
 * pages without a warning. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "config.h"
#include "run.h"
#include "slurp.h"

static char *slurp(const char *path)
{
	return slurp_file(path, NULL, ": run through `make unit`, which builds the pages");
}

static char *page(const char *name)
{
	const char *dir = getenv("BOUCLIER_MAN");
	char path[512];

	if (!dir)
		cr_skip_test("run through `make unit` (BOUCLIER_MAN unset)");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return slurp(path);
}

/* s as roff source writes it: '-' as \- */
static const char *roff(const char *s)
{
	static char buf[4][256];
	static int k;
	char *o = buf[k++ & 3];
	size_t n = 0;

	for (; *s && n + 3 < sizeof(buf[0]); s++) {
		if (*s == '-')
			o[n++] = '\\';
		o[n++] = *s;
	}
	o[n] = 0;
	return o;
}

/* The text from a heading line to the next .SS or .SH, copied. */
static char *block(const char *text, const char *heading)
{
	const char *p = strstr(text, heading), *end;
	char *b;

	if (!p)
		return NULL;
	p += strlen(heading);
	end = p;
	while ((end = strstr(end, "\n.S")) && end[3] != 'S' && end[3] != 'H')
		end++;
	if (!end)
		end = p + strlen(p);
	b = strndup(p, end - p);
	cr_assert_not_null(b);
	return b;
}

Test(man, every_command_and_option_is_in_bouclier_8)
{
	const struct command *const *c;
	const struct exit_doc *e;
	const struct opt *o;
	char *text = page("bouclier.8"), *b, want[256];

	for (c = commands; *c; c++) {
		snprintf(want, sizeof(want), "\n.SS \"%s\"\n", roff((*c)->name));
		b = block(text, want);
		cr_assert_not_null(b, "no subsection for `%s` in bouclier.8", (*c)->name);
		cr_expect_not_null(strstr(text, roff((*c)->summary + 1)), "`%s`: summary missing",
				   (*c)->name);
		for (o = (*c)->opts; o && o->name; o++) {
			if (o->flags & OPT_POSITIONAL)
				snprintf(want, sizeof(want), ".TP\n\\fI%s\\fR\n", roff(o->metavar));
			else
				snprintf(want, sizeof(want), "\\fB\\-\\-%s\\fR", roff(o->name));
			cr_expect_not_null(strstr(b, want), "`%s`: %s missing from its subsection",
					   (*c)->name, o->name);
		}
		free(b);
	}
	b = block(text, "\n.SH OPTIONS\n");
	cr_assert_not_null(b, "no OPTIONS section");
	for (o = global_opts; o->name; o++) {
		snprintf(want, sizeof(want), "\\fB\\-\\-%s\\fR", roff(o->name));
		cr_expect_not_null(strstr(b, want), "global option --%s missing", o->name);
	}
	free(b);
	b = block(text, "\n.SH EXIT STATUS\n");
	cr_assert_not_null(b, "no EXIT STATUS section");
	for (e = exit_docs; e->what; e++) {
		snprintf(want, sizeof(want), ".TP\n.B %d\n", e->code);
		cr_expect_not_null(strstr(b, want), "exit code %d missing", e->code);
	}
	free(b);
	for (b = (char *)"NAME\0SYNOPSIS\0DESCRIPTION\0COMMANDS\0FILES\0ENVIRONMENT\0EXAMPLES\0"
			 "SEE ALSO\0"; *b; b += strlen(b) + 1) {
		snprintf(want, sizeof(want), "\n.SH %s\n", b);
		cr_expect_not_null(strstr(text, want), "no %s section in bouclier.8", b);
	}
	free(text);
}

/* bouclier-fetch has no table: its options are its case patterns, its
 * settings the variables it reads with a default. */
Test(man, bouclier_fetch_options_and_variables_are_in_bouclier_8)
{
	const char *src = getenv("BOUCLIER_SRC");
	char *text = page("bouclier.8"), *script, *p, *q, name[64], want[128];
	int n = 0;

	if (!src)
		cr_skip_test("run through `make unit` (BOUCLIER_SRC unset)");
	snprintf(want, sizeof(want), "%s/tools/bouclier-fetch", src);
	script = slurp(want);
	/* the case patterns: a line "\t-c|--config) ..." */
	for (p = script; (p = strstr(p, "\n\t-")); p = q) {
		for (q = p + 2; (*q >= 'a' && *q <= 'z') || *q == '-' || *q == '|'; q++)
			;
		if (*q != ')')
			continue;
		for (p += 2; p < q; p += strlen(name) + 1) {
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(p, "|)"), p);
			if (strncmp(name, "--", 2))
				continue;
			snprintf(want, sizeof(want), "\\fB%s\\fR", roff(name));
			cr_expect_not_null(strstr(text, want), "bouclier-fetch %s missing", name);
			n++;
		}
	}
	for (p = script; (p = strstr(p, "${")); p = q) {
		for (q = p + 2; (*q >= 'A' && *q <= 'Z') || *q == '_'; q++)
			;
		if (*q != ':' || q == p + 2)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(q - p - 2), p + 2);
		snprintf(want, sizeof(want), ".B %s\n", name);
		cr_expect_not_null(strstr(text, want), "bouclier-fetch's $%s missing", name);
		n++;
	}
	cr_expect_geq(n, 8, "read %d options and variables from the script", n);
	free(script);
	free(text);
}

Test(man, every_key_is_in_bouclier_conf_5)
{
	const char *const *s = config_sections();
	char *text = page("bouclier.conf.5"), *b, *entry, want[256];
	struct config_key_doc d;
	size_t i;

	for (; *s; s++) {
		snprintf(want, sizeof(want), strchr(*s, ' ') ? "\n.SS \"[%s]\"\n" : "\n.SS [%s]\n",
			 *s);
		cr_expect_not_null(strstr(text, want), "no subsection for [%s]", *s);
	}
	for (i = 0; config_key_doc(i, &d); i++) {
		snprintf(want, sizeof(want), strchr(d.section, ' ') ? "\n.SS \"[%s]\"\n"
								    : "\n.SS [%s]\n", d.section);
		b = block(text, want);
		cr_assert_not_null(b, "no subsection for [%s]", d.section);
		snprintf(want, sizeof(want), ".TP\n\\fB%s\\fR = \\fI", roff(d.name));
		entry = strstr(b, want);
		cr_expect_not_null(entry, "[%s] %s missing", d.section, d.name);
		if (entry && d.dflt) {
			char *end = strstr(entry + 1, ".TP\n");

			if (end)
				*end = 0;
			snprintf(want, sizeof(want), "Default: %s", roff(d.dflt));
			cr_expect_not_null(strstr(entry, want), "[%s] %s: its default missing",
					   d.section, d.name);
		}
		free(b);
	}
	cr_expect_not_null(strstr(text, "\n.SH EXAMPLE\n"), "no EXAMPLE section");
	free(text);
}

/* The example of bouclier.conf(5), read back as roff writes it. */
Test(man, the_example_of_bouclier_conf_5_is_a_valid_configuration)
{
	char *text = page("bouclier.conf.5"), *b, *p, path[64];
	struct config c;
	FILE *f;

	b = block(text, "\n.SH EXAMPLE\n");
	cr_assert_not_null(b, "no EXAMPLE section");
	p = strstr(b, ".nf\n");
	cr_assert_not_null(p);
	cr_assert_not_null(strstr(p, "\n.fi"));
	*strstr(p, "\n.fi") = 0;
	snprintf(path, sizeof(path), "/tmp/bouclier-man-%d.conf", getpid());
	f = fopen(path, "w");
	cr_assert_not_null(f);
	for (p += 4; *p; p++) {
		if (p[0] == '\\' && p[1] == '-')
			fputc('-', f), p++;
		else if (p[0] == '\\' && p[1] == 'e')
			fputc('\\', f), p++;
		else if (p[0] == '\\' && p[1] == '&')
			p++;
		else
			fputc(*p, f);
	}
	fputc('\n', f);
	fclose(f);
	cr_expect_eq(config_load(path, &c), 0, "the example does not load (see stderr)");
	cr_expect_gt(c.nfeeds, 0);
	config_free(&c);
	unlink(path);
	free(b);
	free(text);
}

/* What lintian runs on a page: groff's warnings must be none. */
Test(man, both_pages_render_without_a_warning, .timeout = 30)
{
	const char *dir = getenv("BOUCLIER_MAN"), *pages[] = { "bouclier.8", "bouclier.conf.5" };
	char out[4096];
	size_t i;

	if (!dir)
		cr_skip_test("run through `make unit` (BOUCLIER_MAN unset)");
	if (sh("command -v man >/dev/null && command -v lexgrog >/dev/null"))
		cr_skip_test("man-db is not installed");
	for (i = 0; i < 2; i++) {
		cr_expect_eq(sh_out(out, sizeof(out), "LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings "
				    "-E UTF-8 -l -Tutf8 -Z %s/%s 2>&1 >/dev/null", dir, pages[i]), 0);
		cr_expect_str_empty(out, "%s: %s", pages[i], out);
		cr_expect_eq(sh_out(out, sizeof(out), "lexgrog %s/%s", dir, pages[i]), 0,
			     "%s: lexgrog finds no NAME: %s", pages[i], out);
	}
}

/* A section of the configuration that the template forgets fails the build. */
Test(man, mkman_refuses_a_template_that_leaves_a_section_out)
{
	const char *bin = getenv("BOUCLIER");
	char out[1024];

	if (!bin)
		cr_skip_test("run through `make unit` (BOUCLIER unset)");
	cr_expect_neq(sh_out(out, sizeof(out), "printf '@KEYS general@\\n' | %.*s/mkman --date "
			     "2026-01-01 2>&1 >/dev/null", (int)(strrchr(bin, '/') - bin), bin), 0);
	cr_expect_not_null(strstr(out, "@KEYS weather@"), "%s", out);
}
