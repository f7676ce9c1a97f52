// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The publishers' real files (tests/data/publishers/, SOURCES.md says where
 * each comes from): each is recognised as its format and gives exactly the
 * addresses it holds, as computed apart by make_expected.py with Python's
 * ipaddress module; each cut-short copy of a format with a trailer is
 * refused; the retired EDROP and empty CrowdSec answers are empty on
 * purpose.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "feed.h"

struct pub_case {
	char file[48];
	char format[16];
};

ParameterizedTestParameters(publishers, every_file)
{
	static struct pub_case cases[] = {
		{ "firehol_level1.netset", "netset" },
		{ "firehol_level1_cut.netset", "netset" },
		{ "firehol_level2.netset", "netset" },
		{ "firehol_level2_cut.netset", "netset" },
		{ "firehol_level3.netset", "netset" },
		{ "firehol_level3_cut.netset", "netset" },
		{ "firehol_spamhaus_drop.netset", "netset" },
		{ "firehol_spamhaus_drop_cut.netset", "netset" },
		{ "et_emerging_block_ips.txt", "plain" },
		{ "ipsum.txt", "ipsum" },
		{ "spamhaus_drop_v4.json", "spamhaus-json" },
		{ "spamhaus_drop_v4_cut.json", "spamhaus-json" },
		{ "spamhaus_drop.txt", "spamhaus" },
		{ "spamhaus_dropv6.txt", "spamhaus" },
		{ "spamhaus_edrop.txt", "spamhaus" },
		{ "feodo_ipblocklist.txt", "abusech" },
		{ "feodo_ipblocklist_cut.txt", "abusech" },
		{ "dshield_block.txt", "dshield" },
		{ "dshield_block_2023.txt", "dshield" },
		{ "cscli_decisions_list.json", "crowdsec" },
		{ "cscli_decisions_list_empty.json", "crowdsec" },
		{ "cscli_decisions_list_empty_pre153.json", "crowdsec" },
		{ "crowdsec_lapi_stream.json", "crowdsec" },
		{ "crowdsec_lapi_stream_v17.json", "crowdsec" },
		{ "crowdsec_lapi_stream_v17_empty.json", "crowdsec" },
		{ "crowdsec_decisions_array.json", "crowdsec" },
		{ "crowdsec_decisions_array_empty.json", "crowdsec" },
		{ "blocklist_de_all.txt", "plain" },
		{ "ci_badguys.txt", "plain" },
		{ "tor_bulk_exit_list.txt", "plain" },
		{ "ipset_save_nomatch.txt", "ipset" },
		{ "ipset_save_nomatch_legacy.txt", "ipset" },
	};
	return cr_make_param_array(struct pub_case, cases, sizeof(cases) / sizeof(cases[0]));
}

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n;

	cr_assert_not_null(f, "%s", path);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static const char *dir(void)
{
	static char d[512];
	const char *src = getenv("BOUCLIER_SRC");

	snprintf(d, sizeof(d), "%s/tests/data/publishers", src ? src : ".");
	return d;
}

ParameterizedTest(struct pub_case *c, publishers, every_file)
{
	char path[600], got[65536], cidr[CIDR_STRLEN];
	const char *want;
	struct feed_result r = { 0 };
	size_t i, len = 0;
	int err;

	snprintf(path, sizeof(path), "%s/%s.expected", dir(), c->file);
	want = slurp(path);
	snprintf(path, sizeof(path), "%s/%s", dir(), c->file);
	err = feed_parse_file(path, NULL, &r, NULL);
	cr_expect_str_eq(feed_format_name(r.format), c->format, "%s: recognised as %s (%s)",
			 c->file, feed_format_name(r.format), r.format_why);
	if (!strcmp(want, "REFUSED (truncated)\n")) {
		cr_expect_eq(err, -EBADMSG, "%s: a cut-short copy must be refused", c->file);
		feed_result_free(&r);
		return;
	}
	cr_assert_eq(err, 0, "%s: %s", c->file, strerror(-err));
	cr_expect_eq(r.errors, 0, "%s: %lu bad lines", c->file, r.errors);
	cidr_normalise(r.v, &r.n);
	for (i = 0; i < r.n; i++)
		len += snprintf(got + len, sizeof(got) - len, "%s\n",
				cidr_format(&r.v[i], cidr, sizeof(cidr)));
	if (!strcmp(want, "EMPTY (deprecated)\n")) {
		cr_expect_eq(r.n, 0, "%s", c->file);
		cr_expect(r.deprecated, "%s: the notice is recognised", c->file);
	} else if (!strcmp(want, "EMPTY\n")) {
		cr_expect_eq(r.n, 0, "%s", c->file);
		cr_expect(r.says_empty, "%s: empty on purpose, well-formed", c->file);
	} else {
		cr_expect_str_eq(got, want, "%s: entries differ", c->file);
		cr_expect_not(r.deprecated, "%s", c->file);
	}
	feed_result_free(&r);
}

/* A fixture added without a line in the table above would go untested. */
Test(publishers, every_fixture_is_in_the_table)
{
	char pattern[600];
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%s/*.expected", dir());
	cr_assert_eq(glob(pattern, 0, NULL, &g), 0);
	cr_expect_eq(g.gl_pathc, 32, "%zu fixtures with .expected: update the table", g.gl_pathc);
	globfree(&g);
}

struct diags {
	char text[8192];
	int lines;
};

static void record(void *ctx, const char *file, unsigned long line, const char *sev,
		   const char *msg)
{
	struct diags *d = ctx;
	size_t len = strlen(d->text);

	d->lines++;
	snprintf(d->text + len, sizeof(d->text) - len, "%s:%lu: %s: %s\n", file, line, sev, msg);
}

static int parse(const char *text, const struct feed_options *o, struct feed_result *r,
		 struct diags *d)
{
	struct feed_diag diag = { record, d };

	memset(r, 0, sizeof(*r));
	memset(d, 0, sizeof(*d));
	return feed_parse_buf("f", text, strlen(text), o, r, &diag);
}

/* What made FireHOL and ET lists refused: a publisher named in a comment. */
Test(publishers, a_word_in_a_comment_never_decides)
{
	static const char *const texts[] = {
		"# see www.dshield.org\n192.0.2.1\n",
		"# Top Attackers listed by DShield (www.dshield.org)\n# Spam nets identified by "
		"Spamhaus\n# abuse.ch\n192.0.2.1\n198.51.100.0/24\n",
		"#Spamhaus DROP Nets\n198.51.100.0/24\n# END of the list\n",
	};
	struct feed_result r;
	struct diags d;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		cr_assert_eq(parse(texts[i], NULL, &r, &d), 0, "%s\n%s", texts[i], d.text);
		cr_expect_str_eq(feed_format_name(r.format), "plain", "%s", texts[i]);
		cr_expect_gt(r.n, 0);
		feed_result_free(&r);
	}
}

Test(publishers, when_two_formats_fit_the_choice_is_explained)
{
	struct feed_result r;
	struct diags d;

	cr_assert_eq(parse("# Entries : 2 subnets\n198.51.100.7\t4\n203.0.113.9\t1\n", NULL, &r,
			   &d), 0, "%s", d.text);
	cr_expect_str_eq(feed_format_name(r.format), "netset");
	cr_expect_str_eq(feed_format_name(r.also), "ipsum");
	cr_expect(strstr(r.format_why, "Entries"), "%s", r.format_why);
	cr_expect_eq(r.n, 2, "the score column is not an error");
	feed_result_free(&r);
}

Test(publishers, ipsum_min_score_keeps_what_enough_lists_name)
{
	struct feed_options o = { FEED_AUTO, 3 };
	char path[600], line[256];
	struct feed_result r = { 0 };
	size_t i, kept = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ipsum.txt", dir());
	cr_assert_eq(feed_parse_file(path, &o, &r, NULL), 0);
	f = fopen(path, "r");
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		struct cidr c;
		const char *why;
		int found = 0;

		if (line[0] == '#' || !tab)
			continue;
		*tab = 0;
		cr_assert_eq(cidr_parse_addr(line, strlen(line), &c, &why), 0);
		for (i = 0; i < r.n; i++)
			found |= !cidr_cmp(&r.v[i], &c);
		cr_expect_eq(found, atoi(tab + 1) >= 3, "%s scored %d", line, atoi(tab + 1));
		kept += atoi(tab + 1) >= 3;
	}
	fclose(f);
	cr_expect_eq(r.n, kept);
	cr_expect_eq(kept, 10);
	feed_result_free(&r);
}

/* 750,000 lines with host bits set: ten shown, one line for the rest (cron
 * sends stderr to syslog), the full count kept. */
Test(publishers, warnings_are_summed_up_after_ten)
{
	size_t n = 750000, i, len = 0;
	char *text = malloc(n * 20 + 1);
	struct feed_result r;
	struct diags d;

	cr_assert_not_null(text);
	for (i = 0; i < n; i++)
		len += sprintf(text + len, "10.%zu.%zu.1/24\n", (i >> 8) & 255, i & 255);
	cr_assert_eq(parse(text, NULL, &r, &d), 0);
	cr_expect_eq(d.lines, FEED_SHOWN_LINES + 1, "%s", d.text);
	cr_expect(strstr(d.text, "f:0: warning: ... and 749,990 more lines with host bits set"),
		  "%s", d.text);
	cr_expect_eq(r.warnings, n);
	cr_assert_eq(r.nkinds, 1);
	cr_expect_eq(r.kinds[0].count, n);
	cr_expect_eq(r.kinds[0].first_line, 1);
	feed_result_free(&r);
	free(text);
}

Test(publishers, captcha_and_other_scopes_are_counted_never_blocked)
{
	char path[600];
	struct feed_result r = { 0 };
	int k, notes = 0;

	snprintf(path, sizeof(path), "%s/cscli_decisions_list.json", dir());
	cr_assert_eq(feed_parse_file(path, NULL, &r, NULL), 0);
	for (k = 0; k < r.nkinds; k++)
		if (!strcmp(r.kinds[k].severity, "note"))
			notes += r.kinds[k].count;
	cr_expect_geq(notes, 2, "the captcha and the Country decisions are counted");
	feed_result_free(&r);
}

Test(publishers, ipset_nomatch_carves_the_most_specific_way)
{
	struct feed_result r;
	struct diags d;
	char buf[CIDR_STRLEN];

	/* add /16, hole /24 inside it, an add /28 inside the hole */
	cr_assert_eq(parse("create s hash:net family inet\nadd s 198.51.0.0/16\n"
			   "add s 198.51.100.0/24 nomatch\nadd s 198.51.100.16/28\n", NULL, &r,
			   &d), 0, "%s", d.text);
	cidr_normalise(r.v, &r.n);
	cr_assert_eq(r.n, 9, "the /16 minus a /24 is 8 prefixes, plus the /28");
	cr_expect_str_eq(cidr_format(&r.v[0], buf, sizeof(buf)), "198.51.0.0/18");
	cr_expect_str_eq(cidr_format(&r.v[2], buf, sizeof(buf)), "198.51.96.0/22");
	cr_expect_str_eq(cidr_format(&r.v[3], buf, sizeof(buf)), "198.51.100.16/28");
	cr_expect_str_eq(cidr_format(&r.v[4], buf, sizeof(buf)), "198.51.101.0/24");
	cr_expect_str_eq(cidr_format(&r.v[8], buf, sizeof(buf)), "198.51.128.0/17");
	feed_result_free(&r);
}
