// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "feed.h"

struct diags {
	char text[4096];
	int errors, warnings;
};

static void record(void *ctx, const char *file, unsigned long line, const char *sev,
		   const char *msg)
{
	struct diags *d = ctx;
	size_t len = strlen(d->text);

	snprintf(d->text + len, sizeof(d->text) - len, "%s:%lu: %s: %s\n", file, line, sev, msg);
	if (!strcmp(sev, "error"))
		d->errors++;
	else
		d->warnings++;
}

static int parse(const char *text, struct feed_result *r, struct diags *d)
{
	struct feed_diag diag = { record, d };

	memset(r, 0, sizeof(*r));
	memset(d, 0, sizeof(*d));
	return feed_parse_buf("list.txt", text, strlen(text), &(struct feed_options){ FEED_PLAIN },
			      r, &diag);
}

Test(feed, plain_with_comments_crlf_bom_and_spaces)
{
	struct feed_result r;
	struct diags d;
	char buf[CIDR_STRLEN];

	cr_assert_eq(parse("\xef\xbb\xbf# header\r\n198.51.100.7\r\n"
			   "  203.0.113.0/24\t# trailing comment\n"
			   "; semicolon comment\n\n"
			   "2001:db8::/32 ; spamhaus style\n"
			   "192.0.2.1-192.0.2.2\n", &r, &d), 0);
	cr_assert_eq(d.errors, 0, "%s", d.text);
	cr_assert_eq(r.n, 5);
	cr_assert_str_eq(cidr_format(&r.v[0], buf, sizeof(buf)), "198.51.100.7/32");
	cr_assert_str_eq(cidr_format(&r.v[1], buf, sizeof(buf)), "203.0.113.0/24");
	cr_assert_str_eq(cidr_format(&r.v[2], buf, sizeof(buf)), "2001:db8::/32");
	cr_assert_str_eq(cidr_format(&r.v[3], buf, sizeof(buf)), "192.0.2.1/32");
	cr_assert_str_eq(cidr_format(&r.v[4], buf, sizeof(buf)), "192.0.2.2/32");
	cr_assert_eq(r.lines, 7);
	feed_result_free(&r);
}

Test(feed, bad_lines_are_reported_with_file_and_line_and_skipped)
{
	struct feed_result r;
	struct diags d;

	cr_assert_eq(parse("198.51.100.1\n010.1.1.1\n300.1.1.1\n0.0.0.0/0\n"
			   "fe80::1%eth0\n198.51.100.9/24\nsome words here\n203.0.113.5\n", &r, &d), 0);
	cr_assert_eq(r.n, 3, "%s", d.text);
	cr_assert_eq(d.errors, 5, "%s", d.text);
	cr_assert_eq(d.warnings, 1, "%s", d.text);
	cr_assert(strstr(d.text, "list.txt:2: error:"), "%s", d.text);
	cr_assert(strstr(d.text, "leading zero"), "%s", d.text);
	cr_assert(strstr(d.text, "list.txt:3: error:"), "%s", d.text);
	cr_assert(strstr(d.text, "list.txt:4: error:"), "%s", d.text);
	cr_assert(strstr(d.text, "list.txt:5: error:"), "%s", d.text);
	cr_assert(strstr(d.text, "list.txt:6: warning: \"198.51.100.9/24\" has host bits set; "
			 "using 198.51.100.0/24"), "%s", d.text);
	cr_assert(strstr(d.text, "list.txt:7: error:"), "%s", d.text);
	feed_result_free(&r);
}

/* Found by the fuzzer: a line of separators only read fields it did not have. */
Test(feed, a_line_of_separators_is_one_bad_line)
{
	struct feed_result r;
	struct diags d;

	cr_assert_eq(parse("    ,      #!c\n , , \n198.51.100.1\n", &r, &d), 0);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(d.errors, 2, "%s", d.text);
	feed_result_free(&r);
}

Test(feed, huge_line_is_one_bad_line)
{
	static char text[300000];
	struct feed_result r;
	struct diags d;

	memset(text, 'x', sizeof(text) - 40);
	strcpy(text + sizeof(text) - 40, "\n198.51.100.1\n");
	cr_assert_eq(parse(text, &r, &d), 0);
	cr_assert_eq(r.n, 1);
	cr_assert_eq(d.errors, 1);
	feed_result_free(&r);
}

Test(feed, missing_file_is_an_error)
{
	struct feed_result r = { 0 };

	cr_assert_eq(feed_parse_file("/nonexistent/bouclier.txt", NULL, &r, NULL), -ENOENT);
}

/* Every real format, from fixtures that look like the files feeds ship. */
struct fixture_case {
	char file[48];
	char format[16];  /* what auto-detection must find */
	int refused;      /* the whole file must be refused */
	int entries;      /* after normalisation */
	char first[40];   /* first normalised CIDR */
	int deprecated;
};

ParameterizedTestParameters(feed, fixtures)
{
	static struct fixture_case cases[] = {
		{ "cins.txt", "plain", 0, 3, "192.0.2.200/32" },
		{ "crlf_bom.txt", "plain", 0, 2, "198.51.100.1/32" },
		{ "firehol_level1.netset", "netset", 0, 4, "0.0.0.0/8" },
		{ "firehol_truncated.netset", "netset", 1 },
		{ "spamhaus_drop.txt", "spamhaus", 0, 3, "192.0.2.0/26" },
		{ "spamhaus_drop_v6.json", "spamhaus-json", 0, 3, "198.51.100.128/25" },
		{ "spamhaus_truncated.json", "spamhaus-json", 1 },
		{ "dshield_block.txt", "dshield", 0, 2, "198.51.100.0/24" },
		{ "feodo_ipblocklist.txt", "abusech", 0, 3, "192.0.2.9/32" },
		{ "feodo_truncated.txt", "abusech", 1 },
		{ "ipset_save.txt", "ipset", 0, 3, "192.0.2.128/25" },
		{ "crowdsec_decisions.json", "crowdsec", 0, 3, "198.51.100.31/32" },
		{ "crowdsec_stream.json", "crowdsec", 0, 1, "198.51.100.40/32" },
		{ "crowdsec_truncated.json", "crowdsec", 1 },
		{ "ranges.txt", "plain", 0, 3, "198.51.100.0/25" },
		{ "deprecated.txt", "plain", 0, 0, "", 1 },
	};
	return cr_make_param_array(struct fixture_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct fixture_case *c, feed, fixtures)
{
	const char *src = getenv("BOUCLIER_SRC");
	char path[512], buf[CIDR_STRLEN];
	struct feed_result r = { 0 }, forced = { 0 };
	int err;

	snprintf(path, sizeof(path), "%s/tests/data/%s", src ? src : ".", c->file);
	err = feed_parse_file(path, NULL, &r, NULL);
	cr_assert_str_eq(feed_format_name(r.format), c->format, "%s: detected %s", c->file,
			 feed_format_name(r.format));
	if (c->refused) {
		cr_assert_eq(err, -EBADMSG, "%s must be refused as truncated", c->file);
		feed_result_free(&r);
		return;
	}
	cr_assert_eq(err, 0, "%s: %s", c->file, strerror(-err));
	cr_assert_eq(r.errors, 0, "%s: %lu bad lines", c->file, r.errors);
	cidr_normalise(r.v, &r.n);
	cr_assert_eq(r.n, (size_t)c->entries, "%s: %zu entries", c->file, r.n);
	if (c->entries)
		cr_assert_str_eq(cidr_format(&r.v[0], buf, sizeof(buf)), c->first, "%s", c->file);
	cr_assert_eq(r.deprecated, c->deprecated, "%s: deprecated flag", c->file);
	/* Forcing the detected format gives the same entries. */
	cr_assert_eq(feed_parse_file(path, &(struct feed_options){ feed_format_parse(c->format) },
				     &forced, NULL), 0);
	cidr_normalise(forced.v, &forced.n);
	cr_assert_eq(forced.n, r.n);
	feed_result_free(&r);
	feed_result_free(&forced);
}

/* Spamhaus ends every list with "; EOF" (since 2024): without it the
 * download was cut short. */
Test(feed, spamhaus_without_eof_trailer_is_refused)
{
	struct feed_result r;
	struct diags d;
	struct feed_diag diag = { record, &d };
	const char *text = "; Spamhaus DROP List\n198.51.100.0/24 ; SBL1\n";

	memset(&r, 0, sizeof(r));
	memset(&d, 0, sizeof(d));
	cr_assert_eq(feed_parse_buf("drop.txt", text, strlen(text), NULL, &r, &diag), -EBADMSG);
	cr_assert(strstr(d.text, "\"; EOF\""), "%s", d.text);
	feed_result_free(&r);
}

/* bouclier's regional list is recognised by its first line alone (its
 * "# END N entries" would also fit abuse.ch), carries its sequence and the
 * time it was made, and is refused whole when its trailer is missing or
 * disagrees, or when it has no sequence. */
Test(feed, regional_list_header_sequence_and_trailer)
{
	static const char *const refused[] = {
		"# bouclier-region-list 1\n# sequence: 7\n198.51.100.7\n",
		"# bouclier-region-list 1\n# sequence: 7\n198.51.100.7\n# END 2 entries\n",
		"# bouclier-region-list 1\n198.51.100.7\n# END 1 entries\n",
		"# bouclier-region-list 1\n198.51.100.7\n# sequence: 7\n# END 1 entries\n",
	};
	const char *good = "\xef\xbb\xbf# bouclier-region-list 1\r\n# sequence: 42\n"
			   "# made: 1795868700 (2026-11-28T13:05:00Z)\n# towns: 3\n"
			   "198.51.100.7 # 3 towns\n2001:db8:1:2::/64 # 2 towns\n# END 2 entries\n";
	struct feed_result r;
	struct diags d;
	struct feed_diag diag = { record, &d };
	size_t i;

	memset(&r, 0, sizeof(r));
	memset(&d, 0, sizeof(d));
	cr_assert_eq(feed_parse_buf("region.list", good, strlen(good), NULL, &r, &diag), 0, "%s",
		     d.text);
	cr_expect_str_eq(feed_format_name(r.format), "region");
	cr_expect_str_eq(feed_format_name(r.also), "abusech", "the trailer fits, the header wins");
	cr_expect_eq(r.n, 2);
	cr_expect_eq(r.sequence, 42);
	cr_expect_eq(r.made, 1795868700);
	feed_result_free(&r);
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		memset(&d, 0, sizeof(d));
		cr_expect_eq(feed_parse_buf("region.list", refused[i], strlen(refused[i]), NULL, &r,
					    &diag), -EBADMSG, "%s", refused[i]);
		cr_expect(strstr(d.text, "refused"), "%s", d.text);
		feed_result_free(&r);
	}
	/* forced, a file of another format is refused on its first line */
	memset(&d, 0, sizeof(d));
	cr_expect_eq(feed_parse_buf("other.txt", "198.51.100.7\n# END 1 entries\n", 29,
				    &(struct feed_options){ FEED_REGION }, &r, &diag), -EBADMSG);
	cr_expect(strstr(d.text, "other.txt:1: error: not a regional list"), "%s", d.text);
	feed_result_free(&r);
	/* a comment naming the header further down decides nothing */
	memset(&d, 0, sizeof(d));
	cr_expect_eq(feed_parse_buf("plain.txt", "# see # bouclier-region-list 1\n198.51.100.7\n",
				    44, NULL, &r, &diag), 0);
	cr_expect_str_eq(feed_format_name(r.format), "plain");
	feed_result_free(&r);
}
