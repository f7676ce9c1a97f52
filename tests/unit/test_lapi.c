// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * CrowdSec's Local API as a live source, without the network: the answers
 * of a real 1.4.6 LAPI (tests/data/crowdsec146/) read into their two sides:
 * captchas and other scopes never ban, ranges and IPv6 as typed, durations
 * to the second, /0 refused.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crowdsec.h"

#define MAX 32768

static char *slurp(const char *name, size_t *len)
{
	const char *src = getenv("BOUCLIER_SRC");
	char path[512];
	char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/crowdsec146/%s", src ? src : ".", name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, n, f), (size_t)n);
	buf[n] = 0;
	fclose(f);
	*len = n;
	return buf;
}

static void parse_file(const char *name, struct crowdsec_stream *s)
{
	size_t len;
	char *buf = slurp(name, &len);

	cr_assert_eq(crowdsec_stream_parse(buf, len, MAX, s), 0, "%s", name);
	free(buf);
}

static const char *str(const struct cidr *c)
{
	static char buf[4][CIDR_STRLEN];
	static int k;

	return cidr_format(c, buf[k++ & 3], sizeof(buf[0]));
}

/* The decision of the prefix p on a side, or NULL. */
static const struct crowdsec_decision *on(const struct crowdsec_decision *v, size_t n,
					  const char *p)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(str(&v[i].c), p))
			return &v[i];
	return NULL;
}

Test(lapi, go_durations_to_the_second)
{
	cr_expect_eq(crowdsec_duration("59m58.660713594s"), 3598);
	cr_expect_eq(crowdsec_duration("3h59m58.660711541s"), 4 * 3600 - 2);
	cr_expect_eq(crowdsec_duration("1h"), 3600);
	cr_expect_eq(crowdsec_duration("168h0m0s"), 7 * 86400);
	cr_expect_eq(crowdsec_duration("-325.355761ms"), CROWDSEC_ENDED, "deleted: negative");
	cr_expect_eq(crowdsec_duration("-1.734420793s"), CROWDSEC_ENDED);
	cr_expect_eq(crowdsec_duration("912.5\u00b5s"), CROWDSEC_ENDED, "under a second: ended");
	cr_expect_eq(crowdsec_duration("999ms"), CROWDSEC_ENDED);
	cr_expect_eq(crowdsec_duration("1.5s"), 1);
	cr_expect_eq(crowdsec_duration("soon"), 0, "not a duration");
	cr_expect_eq(crowdsec_duration("10d"), 0, "Go has no days");
	cr_expect_eq(crowdsec_duration(NULL), 0);
}

Test(lapi, a_startup_answer_holds_the_bans_and_counts_the_rest)
{
	struct crowdsec_stream s;
	const struct crowdsec_decision *d;

	parse_file("stream-startup.json", &s);
	cr_expect_eq(s.ndeleted, 0, "\"deleted\": null");
	cr_expect_eq(s.nadded, 5, "six decisions, one a captcha");
	cr_expect_eq(s.not_bans, 1);
	cr_expect_null(on(s.added, s.nadded, "192.0.2.5/32"), "a captcha is never a ban");
	d = on(s.added, s.nadded, "192.0.2.7/32");
	cr_assert_not_null(d);
	cr_expect_eq(d->seconds, 3598);
	cr_expect_str_eq(d->reason, "manual 'ban' from 'lapi-sh' (cscli)");
	cr_expect_not_null(on(s.added, s.nadded, "198.51.100.0/24"), "a Range");
	cr_expect_not_null(on(s.added, s.nadded, "2001:db8::7/128"), "IPv6");
	d = on(s.added, s.nadded, "2001:db8:5::/48");
	cr_assert_not_null(d, "an IPv6 Range");
	cr_expect_str_eq(d->reason, "crowdsecurity/ssh-bf (cscli)");
	crowdsec_stream_free(&s);

	parse_file("stream-startup-all-scopes.json", &s);
	cr_expect_eq(s.scopes, 1, "Country FR: another scope");
	cr_expect_eq(s.nadded, 5);
	crowdsec_stream_free(&s);
}

Test(lapi, values_as_typed_and_the_whole_internet_refused)
{
	struct crowdsec_stream s;

	parse_file("stream-startup-odd-values.json", &s);
	cr_expect_not_null(on(s.added, s.nadded, "2001:db8::7/128"), "2001:DB8:0:0::7");
	cr_expect_not_null(on(s.added, s.nadded, "198.51.100.0/24"), "host bits cleared");
	cr_expect_not_null(on(s.added, s.nadded, "10.0.0.0/8"));
	cr_expect_not_null(on(s.added, s.nadded, "192.0.2.11/32"));
	cr_expect_null(on(s.added, s.nadded, "0.0.0.0/0"));
	cr_expect_null(on(s.added, s.nadded, "::/0"));
	cr_expect_eq(s.bad, 2, "0.0.0.0/0 and ::/0");
	cr_expect_eq(s.not_bans, 1, "a throttle");
	crowdsec_stream_free(&s);
}

Test(lapi, a_delta_carries_deletions_with_negative_durations)
{
	struct crowdsec_stream s;
	size_t len;
	char *buf;

	parse_file("stream-delta.json", &s);
	cr_expect_eq(s.ndeleted, 3);
	cr_expect_not_null(on(s.deleted, s.ndeleted, "192.0.2.99/32"),
			   "expired between two pulls: seen only as deleted");
	cr_expect_not_null(on(s.deleted, s.ndeleted, "198.51.100.0/24"));
	cr_expect_eq(s.nadded, 1);
	cr_expect_eq(s.added[0].seconds, 3599);
	crowdsec_stream_free(&s);

	parse_file("stream-empty.json", &s);
	cr_expect_eq(s.nadded + s.ndeleted + s.bad + s.not_bans, 0, "nothing changed");
	crowdsec_stream_free(&s);

	/* not a stream: refused whole */
	buf = slurp("stream-delta.json", &len);
	cr_expect_eq(crowdsec_stream_parse(buf, len - 20, 100, &s), -EBADMSG, "cut short");
	crowdsec_stream_free(&s);
	cr_expect_eq(crowdsec_stream_parse("[]", 2, 100, &s), -EBADMSG, "an array");
	crowdsec_stream_free(&s);
	cr_expect_eq(crowdsec_stream_parse("{\"new\":[]}", 10, 100, &s), -EBADMSG, "one side");
	crowdsec_stream_free(&s);
	cr_expect_eq(crowdsec_stream_parse("{\"message\":\"access forbidden\"}", 30, 100, &s),
		     -EBADMSG, "a 403's body");
	crowdsec_stream_free(&s);
	cr_expect_eq(crowdsec_stream_parse("{\"new\":{},\"deleted\":null}", 25, 100, &s),
		     -EBADMSG);
	crowdsec_stream_free(&s);
	free(buf);

	/* bounded: the bans past max are counted, not kept */
	buf = slurp("stream-startup.json", &len);
	cr_assert_eq(crowdsec_stream_parse(buf, len, 2, &s), 0);
	cr_expect_eq(s.nadded, 2);
	cr_expect_eq(s.beyond, 3);
	crowdsec_stream_free(&s);
	free(buf);
}
