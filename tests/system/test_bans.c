// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Trying a list before enforcing it (monitor mode), timed bans and allows
 * that act at once and end by themselves, CrowdSec decisions with their
 * durations, and `why`: on the lab, with real pings.
 */
#include <jansson.h>
#include <time.h>
#include "lab.h"

/* A number in a JSON document: the path is keys, an integer key indexing
 * an array ("feeds", "0", "would_drop"). */
static json_int_t jnum(const char *text, int n, ...)
{
	json_t *j = json_loads(text, 0, NULL), *x = j;
	json_int_t v;
	va_list ap;
	int i;

	cr_assert_not_null(j, "not JSON: %s", text);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *k = va_arg(ap, const char *);

		x = json_is_array(x) ? json_array_get(x, atoi(k)) : json_object_get(x, k);
	}
	va_end(ap);
	v = json_integer_value(x);
	json_decref(j);
	return v;
}

Test(bans, monitor_mode_counts_what_a_list_would_drop, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384];

	lab_put("mon.txt", "198.51.100.7\n198.51.100.8\n");
	lab_put("enf.txt", "198.51.100.8\n");
	cr_assert_eq(bouclierf(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "feed load mon %s/mon.txt --monitor", lab.state), 0,
		     "%s", out);
	cr_expect(strstr(out, "monitor mode"), "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 4), 4, "a monitored source passes");
	cr_assert_eq(bouclierf(out, sizeof(out), "feed list --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"mode\":\"monitor\""), "%s", out);
	cr_expect_geq(jnum(out, 3, "feeds", "0", "would_drop"), 4, "%s", out);
	cr_expect_eq(jnum(out, 3, "feeds", "0", "dropped_packets"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "lookup 198.51.100.7"), 0, "%s", out);
	cr_expect(strstr(out, "would drop (monitor: mon)"), "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "weather --json"), 0, "%s", out);
	cr_expect_eq(jnum(out, 2, "figures", "attacks"), 0, "no real drop: %s", out);
	cr_expect_eq(jnum(out, 2, "figures", "packets"), 0, "%s", out);
	cr_expect_geq(jnum(out, 3, "figures", "monitor", "would_drop_packets"), 4, "%s", out);
	cr_expect_eq(jnum(out, 3, "figures", "monitor", "distinct_sources"), 1, "%s", out);
	/* would-drops make no weather, and lists that only watch protect nothing */
	cr_expect(strstr(out, "\"level\":\"unknown\"") && strstr(out, "in monitor mode"), "%s",
		  out);
	cr_assert_eq(bouclierf(out, sizeof(out), "weather"), 0, "%s", out);
	cr_expect(strstr(out, "monitor mode (not enforced): mon would have dropped"), "%s", out);
	cr_expect_null(strstr(out, "packets by feed: mon"), "it dropped nothing: %s", out);

	/* an enforcing feed listing it too: dropped */
	cr_assert_eq(bouclierf(out, sizeof(out), "feed load enf %s/enf.txt", lab.state), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 3), 0, "enforced wins");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2, "still only monitored");
	cr_assert_eq(bouclierf(out, sizeof(out), "lookup 198.51.100.8"), 0, "%s", out);
	cr_expect(strstr(out, "listed by enf") && strstr(out, "monitor mode would drop it too"),
		  "%s", out);
	/* enforced at last */
	cr_assert_eq(bouclierf(out, sizeof(out), "feed load mon %s/mon.txt --enforce", lab.state), 0,
		     "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "now dropped");
	cr_assert_eq(bouclierf(out, sizeof(out), "feed list --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"mode\":\"enforce\"") && !strstr(out, "\"mode\":\"monitor\""),
		  "%s", out);
}

Test(bans, a_timed_ban_acts_at_once_and_ends_by_itself, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384];
	time_t t0;

	cr_assert_eq(bouclierf(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "ban add 198.51.100.8 --for 3s --reason \"ssh brute "
			 "force\""), 0, "%s", out);
	t0 = time(NULL);
	cr_expect(strstr(out, "banned 198.51.100.8/32 until"), "%s", out);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 0, "banned at once");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2, "others pass");
	cr_assert_eq(bouclierf(out, sizeof(out), "ban list --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"reason\":\"ssh brute force\""), "%s", out);
	cr_expect(strstr(out, "\"by\":\"root\""), "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "why 198.51.100.8"), 0, "%s", out);
	cr_expect(strstr(out, "dropped") && strstr(out, "timed ban") &&
		  strstr(out, "ssh brute force") && strstr(out, "ban del"), "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "stats --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"name\":\"ban\""), "bans count as the feed \"ban\": %s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "weather"), 0, "%s", out);
	cr_expect(strstr(out, "ban (manual)"), "in the weather too: %s", out);
	/* nothing runs at its time: the program sees it has passed */
	while (time(NULL) < t0 + 4)
		usleep(100 * 1000);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 2, "the ban ended by itself");
	cr_assert_eq(bouclierf(out, sizeof(out), "ban list"), 0, "%s", out);
	cr_expect(strstr(out, "no ban"), "an expired ban is not listed: %s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "ban add 198.51.100.0/24 --for 1h"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0, "a prefix");
	cr_assert_eq(bouclierf(out, sizeof(out), "ban del 198.51.100.0/24"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 2, "lifted at once");
	cr_expect_neq(bouclierf(out, sizeof(out), "ban add 198.51.100.9"), 0, "--for is required");
	cr_expect(strstr(out, "--for"), "%s", out);
}

Test(bans, bans_and_allows_survive_a_detach_and_the_allowlist_wins,
     .init = lab_up, .fini = lab_down, .timeout = 120)
{
	char out[16384];

	lab_put("x.txt", "198.51.100.70\n");
	cr_assert_eq(bouclierf(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "feed load x %s/x.txt", lab.state), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0);
	/* a quick unblock */
	cr_assert_eq(bouclierf(out, sizeof(out), "allow add 198.51.100.70 --for 1h --reason \"the "
			 "mayor's laptop\""), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 2, "allowed at once");
	cr_assert_eq(bouclierf(out, sizeof(out), "why 198.51.100.70"), 0, "%s", out);
	cr_expect(strstr(out, "listed by feed x") && strstr(out, "timed allow") &&
		  strstr(out, "mayor"), "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "allow list --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"timed\":[{\"kind\":\"allow\""), "%s", out);
	/* a ban, and the allowlist over it */
	cr_assert_eq(bouclierf(out, sizeof(out), "ban add 198.51.100.7 --for 1h"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "detach wan0"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "the ban survived");
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 2, "and the allow");
	cr_assert_eq(bouclierf(out, sizeof(out), "allow add 198.51.100.7"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2, "the allowlist wins");
	cr_assert_eq(bouclierf(out, sizeof(out), "allow del 198.51.100.70"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0, "the timed allow ended");
	cr_assert_eq(bouclierf(out, sizeof(out), "why 198.51.100.70"), 0, "%s", out);
	cr_expect(strstr(out, "to unblock: bouclier allow add 198.51.100.70 --for"), "%s", out);
}

/* A ban adds to what the lists drop, never takes from it; a timed allow
 * wins over a ban of the same prefix, whichever came first; a reason from a
 * script stays one line; an IPv6 prefix that would cover every IPv4
 * address is refused. */
Test(bans, a_ban_adds_to_the_lists_and_an_allow_wins_its_prefix, .init = lab_up,
     .fini = lab_down, .timeout = 120)
{
	char out[16384], path[512], *text;
	FILE *f;
	long len;

	lab_put("c2.txt", "203.0.113.5\n");
	cr_assert_eq(bouclierf(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "feed load c2 %s/c2.txt --direction out", lab.state),
		     0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "lookup 203.0.113.5"), 0, "%s", out);
	cr_expect(strstr(out, "on the way out"), "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "ban add 203.0.113.5 --for 1h --direction in"), 0,
		     "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "lookup 203.0.113.5"), 0, "%s", out);
	cr_expect(strstr(out, "dropped both ways"), "an inbound ban keeps the outbound feed: %s",
		  out);
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 0, "banned on the way in");

	/* a ban, then an allow of the same prefix; then the other order */
	cr_assert_eq(bouclierf(out, sizeof(out), "ban add 198.51.100.0/24 --for 1h"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "allow add 198.51.100.0/24 --for 1h"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2, "the allow wins");
	cr_assert_eq(bouclierf(out, sizeof(out), "ban add 198.51.100.0/24 --for 2h"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2, "a later ban too");
	cr_assert_eq(bouclierf(out, sizeof(out), "allow del 198.51.100.0/24"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "the ban, once the allow ends");

	cr_assert_eq(bouclierf(out, sizeof(out), "ban add 192.0.2.99 --for 1h --reason "
			 "\"$(printf 'line one\\nban\\t0.0.0.0/0')\""), 0, "%s", out);
	snprintf(path, sizeof(path), "%s/timed.list", lab.state);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, len + 1);
	cr_assert_eq(fread(text, 1, len, f), (size_t)len);
	fclose(f);
	cr_expect_null(strstr(text, "\nban\t0.0.0.0/0"), "a reason became a line: %s", text);
	cr_expect(strstr(text, "line one ban 0.0.0.0/0"), "%s", text);
	free(text);

	cr_expect_neq(bouclierf(out, sizeof(out), "ban add ::/8 --for 1h"), 0, "%s", out);
	cr_expect(strstr(out, "::ffff:0:0/96"), "%s", out);
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0, "the /24 ban stands");
	cr_assert_eq(bouclierf(out, sizeof(out), "lookup 203.0.113.200"), 0, "%s", out);
	cr_expect(strstr(out, "passes (not listed)"), "nothing more: %s", out);
}

Test(bans, crowdsec_decisions_become_bans_for_their_durations, .init = lab_up,
     .fini = lab_down, .timeout = 120)
{
	char out[16384];

	lab_put("cs.json", "{\"new\": [\n"
		       " {\"duration\": \"2.5s\", \"origin\": \"crowdsec\", \"scenario\": "
		       "\"crowdsecurity/ssh-bf\", \"scope\": \"Ip\", \"type\": \"ban\", "
		       "\"value\": \"198.51.100.8\"},\n"
		       " {\"duration\": \"3h59m50.5s\", \"origin\": \"CAPI\", \"scenario\": "
		       "\"crowdsecurity/http-probing\", \"scope\": \"Range\", \"type\": \"ban\", "
		       "\"value\": \"203.0.113.0/28\"},\n"
		       " {\"duration\": \"4h\", \"origin\": \"crowdsec\", \"scenario\": \"x\", "
		       "\"scope\": \"Ip\", \"type\": \"captcha\", \"value\": \"198.51.100.7\"},\n"
		       " {\"duration\": \"-5m3s\", \"origin\": \"crowdsec\", \"scenario\": \"x\", "
		       "\"scope\": \"Ip\", \"type\": \"ban\", \"value\": \"198.51.100.9\"}\n"
		       "], \"deleted\": []}\n");
	cr_assert_eq(bouclierf(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "ban import %s/cs.json", lab.state), 0, "%s", out);
	cr_expect(strstr(out, "2 bans"), "a captcha is no ban, an ended decision neither: %s",
		  out);
	cr_assert_eq(bouclierf(out, sizeof(out), "lookup 198.51.100.9"), 0, "%s", out);
	cr_expect(strstr(out, "passes (not listed)"), "the ended decision: %s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "ban list --json"), 0, "%s", out);
	cr_expect(strstr(out, "203.0.113.0/28"), "%s", out);
	cr_expect_geq(jnum(out, 3, "bans", "1", "seconds_left") +
		      jnum(out, 3, "bans", "0", "seconds_left"), 14389, "about 4 h: %s", out);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 0);
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 0, "the range");
	sleep(3);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 2, "after its 2.5 s");
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 0, "for its 4 h");
}
