// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * CrowdSec's Local API as a live source, without the network: the answers
 * of a real 1.4.6 LAPI (tests/data/crowdsec146/) read into their two sides,
 * and applied to a timed list as `watch` does (lapi.h): captchas and other
 * scopes never ban, ranges and IPv6 as typed, durations to the second,
 * deletions that lift only the feed's own bans and are harmless twice, a
 * startup answer that makes the feed's bans exactly the decisions in force,
 * /0 and prefixes covering IPv4-mapped space refused; the key file's rules.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "crowdsec.h"
#include "lapi.h"
#include "slurp.h"

#define NOW 1800000000L

static char *slurp(const char *name, size_t *len)
{
	const char *src = getenv("BOUCLIER_SRC");
	char path[512];

	snprintf(path, sizeof(path), "%s/tests/data/crowdsec146/%s", src ? src : ".", name);
	return slurp_file(path, len, "");
}

static void parse_file(const char *name, struct crowdsec_stream *s)
{
	size_t len;
	char *buf = slurp(name, &len);

	cr_assert_eq(crowdsec_stream_parse(buf, len, LAPI_MAX_DECISIONS, s), 0, "%s", name);
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

/* ---- applied to a timed list */

static struct timed_entry entry(const char *prefix, const char *by, long left)
{
	struct timed_entry e = { .kind = TIMED_BAN, .direction = 3 };
	const char *why;
	int flags;

	cr_assert_eq(cidr_parse(prefix, strlen(prefix), &e.c, &flags, &why), 0, "%s", prefix);
	e.expires = NOW + left;
	e.added = NOW - 60;
	snprintf(e.by, sizeof(e.by), "%s", by);
	return e;
}

static const struct timed_entry *held(const struct timed_list *t, const char *prefix)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].kind == TIMED_BAN && !strcmp(str(&t->v[i].c), prefix))
			return &t->v[i];
	return NULL;
}

static void push(struct timed_list *t, struct timed_entry e)
{
	t->v = realloc(t->v, (t->n + 1) * sizeof(*t->v));
	cr_assert_not_null(t->v);
	t->v[t->n++] = e;
}

/* An answer applied for the feed cs, at NOW. */
static void apply_buf(struct timed_list *t, const char *buf, size_t len, bool startup,
		      struct lapi_tally *n)
{
	struct crowdsec_stream s;

	cr_assert_eq(crowdsec_stream_parse(buf, len, LAPI_MAX_DECISIONS, &s), 0, "%s", buf);
	cr_assert_eq(lapi_apply(t, "crowdsec:cs", 3, &s, startup, NOW, n), 0);
	crowdsec_stream_free(&s);
}

static void apply(struct timed_list *t, const char *file, bool startup, struct lapi_tally *n)
{
	size_t len;
	char *buf = slurp(file, &len);

	apply_buf(t, buf, len, startup, n);
	free(buf);
}

static void apply_doc(struct timed_list *t, const char *doc, struct lapi_tally *n)
{
	apply_buf(t, doc, strlen(doc), false, n);
}

Test(lapi, startup_then_deltas_ban_and_lift_the_feeds_own)
{
	struct timed_list t = { 0 };
	struct lapi_tally n;
	const struct timed_entry *e;

	/* someone's own ban, and one of the feed's that CrowdSec no longer has */
	push(&t, entry("203.0.113.9", "root", 600));
	push(&t, entry("192.0.2.200", "crowdsec:cs", 600));
	push(&t, entry("192.0.2.201", "crowdsec:other", 600));
	apply(&t, "stream-startup.json", true, &n);
	cr_expect_eq(n.banned, 4, "192.0.2.7, 198.51.100.0/24, 2001:db8::7, 2001:db8:5::/48");
	cr_expect_eq(n.others, 1, "203.0.113.9 is root's: stays root's");
	cr_expect_eq(n.lifted, 1, "192.0.2.200: no longer decided, lifted at startup");
	cr_expect_null(held(&t, "192.0.2.200/32"));
	cr_expect_not_null(held(&t, "192.0.2.201/32"), "another feed's ban is not this one's");
	e = held(&t, "203.0.113.9/32");
	cr_assert_not_null(e);
	cr_expect_str_eq(e->by, "root");
	cr_expect_eq(e->expires, NOW + 10799, "root's 10-minute ban lasts CrowdSec's 3 hours");
	cr_expect_null(held(&t, "192.0.2.5/32"), "the captcha");
	e = held(&t, "192.0.2.7/32");
	cr_assert_not_null(e);
	cr_expect_str_eq(e->by, "crowdsec:cs");
	cr_expect_eq(e->expires, NOW + 3598);
	cr_expect_eq(e->added, NOW);
	cr_expect_eq(e->direction, 3);
	cr_expect_str_eq(e->reason, "manual 'ban' from 'lapi-sh' (cscli)");
	cr_expect_not_null(held(&t, "2001:db8:5::/48"));
	cr_expect_eq(t.n, 6);

	/* a startup answer again (watch restarted): the same bans, renewed */
	apply(&t, "stream-startup.json", true, &n);
	cr_expect_eq(n.banned + n.lifted, 0);
	cr_expect_eq(n.renewed, 4);
	cr_expect_eq(t.n, 6);

	/* a delta: 192.0.2.7 and 198.51.100.0/24 deleted, 192.0.2.99 (never
	 * seen) deleted, 192.0.2.66 new */
	apply(&t, "stream-delta.json", false, &n);
	cr_expect_eq(n.lifted, 2);
	cr_expect_eq(n.banned, 1);
	cr_expect_null(held(&t, "192.0.2.7/32"));
	cr_expect_null(held(&t, "198.51.100.0/24"));
	cr_expect_not_null(held(&t, "192.0.2.66/32"));
	cr_expect_not_null(held(&t, "2001:db8::7/128"));
	/* the LAPI says the same deletions again (2 s overlap): nothing to do */
	apply(&t, "stream-delta-repeat.json", false, &n);
	cr_expect_eq(n.lifted + n.banned + n.renewed, 0);
	cr_expect_eq(t.n, 5);
	/* an IPv6 deletion */
	apply(&t, "stream-delta-v6-delete.json", false, &n);
	cr_expect_eq(n.lifted, 1);
	cr_expect_null(held(&t, "2001:db8::7/128"));
	cr_expect_not_null(held(&t, "2001:db8:5::/48"));
	/* a startup answer does not read its "deleted" side: it lists what is in
	 * force, and what is not goes */
	apply(&t, "stream-startup-odd-values.json", true, &n);
	cr_expect_null(held(&t, "192.0.2.66/32"), "not in force any more");
	cr_expect_null(held(&t, "2001:db8:5::/48"));
	cr_expect_not_null(held(&t, "198.51.100.0/24"), "198.51.100.5/24 as typed");
	cr_expect_not_null(held(&t, "10.0.0.0/8"));
	cr_expect_not_null(held(&t, "192.0.2.10/32"), "::ffff:192.0.2.10 is 192.0.2.10");
	cr_expect_not_null(held(&t, "203.0.113.9/32"), "root's, all along");
	cr_expect_not_null(held(&t, "192.0.2.201/32"), "the other feed's, all along");
	free(t.v);
}

Test(lapi, a_prefix_covering_ipv4_mapped_space_is_refused)
{
	struct timed_list t = { 0 };
	struct lapi_tally n;
	const char *doc = "{\"deleted\":null,\"new\":[{\"duration\":\"1h\",\"scope\":\"Range\","
			  "\"type\":\"ban\",\"value\":\"::/8\"},{\"duration\":\"1h\",\"scope\":"
			  "\"Range\",\"type\":\"ban\",\"value\":\"::ffff:0:0/95\"},{\"duration\":"
			  "\"1h\",\"scope\":\"Range\",\"type\":\"ban\",\"value\":\"::ffff:0:0/96\"},"
			  "{\"duration\":\"1h\",\"scope\":\"Ip\",\"type\":\"ban\",\"value\":"
			  "\"2001:db8::1\"}]}";

	apply_doc(&t, doc, &n);
	cr_expect_eq(n.refused, 3, "::/8, ::ffff:0:0/95 and /96: every IPv4 address");
	cr_expect_eq(n.banned, 1);
	cr_expect_eq(t.n, 1);
	free(t.v);
}

Test(lapi, one_prefix_twice_in_an_answer_is_one_ban_for_the_longest)
{
	struct timed_list t = { 0 };
	struct lapi_tally n;
	const char *doc = "{\"deleted\":[{\"duration\":\"-1s\",\"scope\":\"Ip\",\"type\":\"ban\","
			  "\"value\":\"192.0.2.7\"}],\"new\":[{\"duration\":\"10m\",\"scope\":\"Ip\","
			  "\"type\":\"ban\",\"value\":\"192.0.2.7\"},{\"duration\":\"3h\",\"scope\":"
			  "\"Range\",\"type\":\"ban\",\"value\":\"192.0.2.7/32\"},{\"duration\":"
			  "\"-2s\",\"scope\":\"Ip\",\"type\":\"ban\",\"value\":\"192.0.2.8\"}]}";

	push(&t, entry("192.0.2.7", "crowdsec:cs", 60));
	apply_doc(&t, doc, &n);
	cr_expect_eq(t.n, 1, "192.0.2.8's decision is over already: no ban");
	cr_expect_eq(t.v[0].expires, NOW + 3 * 3600, "deleted, then given again for 3h");
	cr_expect_eq(n.lifted, 0);
	free(t.v);
}

Test(lapi, a_startup_answer_cut_at_the_bound_lifts_nothing_unless_in_deleted)
{
	struct timed_list t = { 0 };
	struct crowdsec_stream s;
	struct lapi_tally n;
	size_t len;
	char *buf = slurp("stream-startup.json", &len);

	push(&t, entry("192.0.2.200", "crowdsec:cs", 600));
	cr_assert_eq(crowdsec_stream_parse(buf, len, 2, &s), 0);
	cr_assert_eq(lapi_apply(&t, "crowdsec:cs", 3, &s, true, NOW, &n), 0);
	cr_expect_eq(n.lifted, 0, "what the answer left out may still be in force");
	cr_expect_eq(n.banned, 2);
	crowdsec_stream_free(&s);
	free(buf);

	/* a startup answer lists every expired decision too (here three, one
	 * past the bound): deletions cut short lift all the same */
	buf = slurp("stream-delta.json", &len);
	cr_assert_eq(crowdsec_stream_parse(buf, len, 2, &s), 0);
	cr_expect_eq(s.beyond_deleted, 1);
	cr_expect_eq(s.beyond, 0);
	cr_assert_eq(lapi_apply(&t, "crowdsec:cs", 3, &s, true, NOW, &n), 0);
	cr_expect_eq(n.lifted, 3, "192.0.2.200 and the two bans above: not in force");
	cr_expect_eq(n.banned, 1, "192.0.2.66");
	crowdsec_stream_free(&s);
	free(buf);
	free(t.v);
}

Test(lapi, a_feed_removed_from_the_configuration_loses_its_bans)
{
	struct timed_list t = { 0 };
	struct config c = { 0 };

	push(&t, entry("192.0.2.1", "crowdsec:cs", 600));
	push(&t, entry("192.0.2.2", "crowdsec:gone", 600));
	push(&t, entry("192.0.2.3", "root", 600));
	snprintf(c.lapis[0].name, sizeof(c.lapis[0].name), "cs");
	c.nlapis = 1;
	cr_expect_eq(lapi_forget_removed(&t, &c), 1);
	cr_expect_not_null(held(&t, "192.0.2.1/32"));
	cr_expect_null(held(&t, "192.0.2.2/32"));
	cr_expect_not_null(held(&t, "192.0.2.3/32"));
	c.nlapis = 0;
	cr_expect_eq(lapi_forget_removed(&t, &c), 1, "the last LAPI feed removed");
	cr_expect_eq(t.n, 1);
	free(t.v);
}

static char keyfile[64];

static void key_cleanup(void)
{
	unlink(keyfile);
}

static void write_key(const char *text, mode_t mode)
{
	FILE *f;

	snprintf(keyfile, sizeof(keyfile), "/tmp/bouclier-key-%d", getpid());
	unlink(keyfile);
	f = fopen(keyfile, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(chmod(keyfile, mode), 0);
}

Test(lapi, the_key_file_is_a_secret_of_one_line, .fini = key_cleanup)
{
	char key[LAPI_KEY_LEN + 1], why[512];

	write_key("0123456789abcdef0123456789abcdef\n", 0600);
	cr_expect_eq(lapi_key_read(keyfile, key, sizeof(key), why, sizeof(why)), 0, "%s", why);
	cr_expect_str_eq(key, "0123456789abcdef0123456789abcdef", "the newline is not the key's");
	write_key("0123456789abcdef", 0644);
	cr_expect_eq(lapi_key_read(keyfile, key, sizeof(key), why, sizeof(why)), -EPERM);
	cr_expect(strstr(why, "readable by every account") && strstr(why, "chmod o-r"), "%s", why);
	write_key("0123456789abcdef", 0602);
	cr_expect_eq(lapi_key_read(keyfile, key, sizeof(key), why, sizeof(why)), -EPERM);
	cr_expect(strstr(why, "writable by every account"), "%s", why);
	write_key("abc\r\nX-Other: 1\n", 0600);
	cr_expect_eq(lapi_key_read(keyfile, key, sizeof(key), why, sizeof(why)), -EINVAL,
		     "a second header line smuggled in");
	write_key("two words\n", 0600);
	cr_expect_eq(lapi_key_read(keyfile, key, sizeof(key), why, sizeof(why)), -EINVAL);
	write_key("\n", 0600);
	cr_expect_eq(lapi_key_read(keyfile, key, sizeof(key), why, sizeof(why)), -EINVAL, "empty");
	unlink(keyfile);
	cr_expect_eq(lapi_key_read(keyfile, key, sizeof(key), why, sizeof(why)), -ENOENT);
	cr_expect(strstr(why, "cannot read it"), "%s", why);
}
