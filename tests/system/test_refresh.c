// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `bouclier refresh` and feed changes on a live filter: safety checks, the
 * gate never opening while lists change under traffic, and crashes at every
 * step leaving the old or the new list whole.
 */
#include <time.h>
#include "lab.h"

static void put(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", lab.state, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

static const char *verdict(const char *addr)
{
	static char out[1024];
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "lookup %s", addr);
	bouclier(out, sizeof(out), cmd);
	return out;
}

#define LISTED(addr) (strstr(verdict(addr), "dropped") != NULL)

static void config(const char *extra)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "[general]\ntown = Testville\nstate_dir = %s\n"
		 "[feed scan]\ncategory = scanners\npath = %s/scan.txt\n"
		 "[feed drop]\ncategory = hijacked-netblocks\npath = %s/drop.netset\n%s",
		 lab.state, lab.state, lab.state, extra);
	put("bouclier.conf", text);
}

static int refresh(char *out, size_t len, const char *opts)
{
	char args[512];

	snprintf(args, sizeof(args), "refresh --config %s/bouclier.conf %s", lab.state, opts);
	return bouclier(out, len, args);
}

Test(refresh, checks_protect_the_live_lists, .init = lab_up, .fini = lab_down, .timeout = 90)
{
	char out[16384];

	sh("mkdir -p %s", lab.state);
	put("scan.txt", "198.51.100.7\n198.51.100.8\n198.51.100.9\n198.51.100.10\n");
	put("drop.netset", "# Entries : 1 subnets\n203.0.113.0/24\n");
	config("[allow]\n198.51.100.10\n");
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(refresh(out, sizeof(out), ""), 0, "%s", out);
	cr_expect(LISTED("198.51.100.7") && LISTED("203.0.113.9"), "%s", out);
	cr_expect(strstr(verdict("198.51.100.10"), "allowlist"), "config [allow] wins");

	/* Shrinks by three quarters: refused, the old list stays live. */
	put("scan.txt", "198.51.100.7\n");
	cr_expect_eq(refresh(out, sizeof(out), ""), 65, "%s", out);
	cr_expect(strstr(out, "feed scan: refused: shrinks from"), "%s", out);
	cr_expect(LISTED("198.51.100.8"), "a refused feed keeps its last good list");
	cr_expect_eq(refresh(out, sizeof(out), "--dry-run"), 65, "%s", out);
	cr_expect_eq(refresh(out, sizeof(out), "--force"), 0, "%s", out);
	cr_expect(!LISTED("198.51.100.8") && LISTED("198.51.100.7"), "--force applies it");

	/* Truncated download of one feed, the other still refreshes. */
	put("drop.netset", "# Entries : 3 subnets\n203.0.113.0/24\n");
	put("scan.txt", "198.51.100.7\n198.51.100.77\n");
	cr_expect_eq(refresh(out, sizeof(out), ""), 65, "%s", out);
	cr_expect(strstr(out, "announces 3 entries but 1 were read"), "%s", out);
	cr_expect(LISTED("203.0.113.9"), "the truncated feed keeps its list");
	cr_expect(LISTED("198.51.100.77"), "the good feed refreshed anyway");

	/* Empty: refused; empty and saying it is deprecated: accepted. */
	put("scan.txt", "");
	cr_expect_eq(refresh(out, sizeof(out), ""), 65, "%s", out);
	cr_expect(LISTED("198.51.100.77"), "an empty download never empties the list");
	put("scan.txt", "# This list is deprecated.\n");
	cr_expect_eq(refresh(out, sizeof(out), ""), 65, "drop is still truncated: %s", out);
	cr_expect(!LISTED("198.51.100.77"), "a deprecated list may empty itself");

	/* A feed gone from the configuration goes from the filter. */
	put("drop.netset", "# Entries : 1 subnets\n203.0.113.0/24\n");
	put("bouclier.conf", "[general]\nstate_dir = /nonexistent\n[feed drop]\npath = /x\n"
			     "bogus line\n");
	cr_expect_eq(refresh(out, sizeof(out), ""), 78, "%s", out);
	cr_expect(strstr(out, "bouclier.conf:5: expected key = value"), "%s", out);
	config("");
	put("bouclier.conf", "");
	{
		char text[512];

		snprintf(text, sizeof(text), "[general]\nstate_dir = %s\n[feed drop]\npath = "
			 "%s/drop.netset\n", lab.state, lab.state);
		put("bouclier.conf", text);
	}
	cr_expect_eq(refresh(out, sizeof(out), ""), 0, "%s", out);
	cr_expect(strstr(out, "feed scan: no longer in"), "%s", out);
	cr_expect(!LISTED("198.51.100.7") && LISTED("203.0.113.9"), "%s", out);
}

Test(refresh, listed_sources_never_pass_while_lists_change, .init = lab_up, .fini = lab_down,
     .timeout = 180)
{
	char out[8192], cmd[512];
	int i, replies_listed;
	FILE *flood_listed;

	sh("mkdir -p %s", lab.state);
	/* Two lists, both with the listed sources, differing elsewhere. */
	put("a.txt", "198.51.100.7\n2001:db8:bad::/48\n192.0.2.128/25\n");
	put("b.txt", "198.51.100.0/29\n2001:db8:bad::7\n203.0.113.0/24\n");
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	snprintf(cmd, sizeof(cmd), "feed load x %s/a.txt", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);

	/* About 6 s of traffic each, bounded by count. */
	snprintf(cmd, sizeof(cmd), "ip netns exec %s-net ping -n -q -c 3000 -i 0.002 -W 1 "
		 "-I 198.51.100.7 192.0.2.1 2>&1", lab.name);
	flood_listed = popen(cmd, "r");
	for (i = 0; i < 50; i++) {
		snprintf(cmd, sizeof(cmd), "feed load x %s/%s.txt", lab.state, i % 2 ? "a" : "b");
		cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "refresh %d: %s", i, out);
	}
	{
		char res[4096];
		size_t n = fread(res, 1, sizeof(res) - 1, flood_listed);

		res[n] = 0;
		pclose(flood_listed);
		replies_listed = strstr(res, " received") ? atoi(strstr(res, "transmitted, ") + 13)
							  : -1;
		cr_expect_eq(replies_listed, 0, "a listed source got through during refreshes: %s",
			     res);
	}
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 20), 20, "unlisted traffic flows");
	cr_expect_eq(ping_from("2001:db8:cafe::8", "2001:db8:1::1", 20), 20,
		     "unlisted traffic flows");
	cr_expect_eq(ping_from("2001:db8:bad::7", "2001:db8:1::1", 20), 0);
}

Test(refresh, a_crash_at_any_step_leaves_old_or_new_whole, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	static const char *const points[] = { "before-swap", "after-swap", "before-save" };
	char out[8192], cmd[512];
	size_t i;

	sh("mkdir -p %s", lab.state);
	put("old.txt", "198.51.100.7\n203.0.113.0/24\n");
	put("new.txt", "198.51.100.7\n2001:db8:bad::/48\n");
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	for (i = 0; i < sizeof(points) / sizeof(points[0]); i++) {
		int old_live, new_live;

		snprintf(cmd, sizeof(cmd), "feed load x %s/old.txt", lab.state);
		cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
		cr_expect_eq(sh("nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
				"BOUCLIER_STATE_DIR=%s BOUCLIER_FAULT=%s %s feed load x %s/new.txt "
				">/dev/null 2>&1", lab.name, lab.pin, lab.state, points[i], lab.bin,
				lab.state), 128 + 9, "killed at %s", points[i]);
		old_live = LISTED("203.0.113.9");
		new_live = LISTED("2001:db8:bad::7");
		cr_expect(LISTED("198.51.100.7"), "%s: the shared entry is never lost", points[i]);
		cr_expect(old_live != new_live, "%s: exactly one of old and new is live (old %d, "
			  "new %d)", points[i], old_live, new_live);
		cr_expect_eq(new_live, strcmp(points[i], "before-swap") != 0,
			     "%s: which list is live", points[i]);
		/* The next change completes and sees consistent state. */
		snprintf(cmd, sizeof(cmd), "feed load x %s/new.txt", lab.state);
		cr_expect_eq(bouclier(out, sizeof(out), cmd), 0, "%s: next load: %s", points[i], out);
		cr_expect(LISTED("2001:db8:bad::7") && !LISTED("203.0.113.9"), "%s", points[i]);
		cr_expect_eq(sh("ls %s/feeds | grep -q tmp", lab.state), 1, "temp files left");
	}
}

/* The lists a town is most likely to use, as their publishers serve them:
 * every one refreshes; a list its publisher retired (Spamhaus EDROP, merged
 * into DROP) empties with one log line a day instead of a refusal every
 * hour; an empty CrowdSec answer is no error. */
Test(refresh, real_publishers_lists_and_a_retired_one, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384], text[8192], args[4096];
	long now = time(NULL);

	sh("mkdir -p %s", lab.state);
	snprintf(text, sizeof(text),
		 "[general]\ntown = Testville\nstate_dir = %s\n"
		 "[feed level1]\npath = %s/tests/data/publishers/firehol_level1.netset\n"
		 "[feed et]\npath = %s/tests/data/publishers/et_emerging_block_ips.txt\n"
		 "[feed ipsum]\npath = %s/tests/data/publishers/ipsum.txt\nmin_score = 3\n"
		 "[feed feodo]\npath = %s/tests/data/publishers/feodo_ipblocklist.txt\n"
		 "[feed drop]\npath = %s/tests/data/publishers/spamhaus_drop_v4.json\n"
		 "[feed edrop]\npath = %s/tests/data/publishers/spamhaus_edrop.txt\n"
		 "[feed cscli]\npath = %s/tests/data/publishers/cscli_decisions_list_empty.json\n",
		 lab.state, lab.src, lab.src, lab.src, lab.src, lab.src, lab.src, lab.src);
	put("bouclier.conf", text);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_expect_eq(refresh(out, sizeof(out), ""), 0, "every real list refreshes: %s", out);
	cr_expect(strstr(out, "feed edrop: its publisher retired it (\"This list has been merged "
			 "into https://www.spamhaus.org/drop/drop.txt\")"), "%s", out);
	cr_expect(LISTED("1.10.16.1"), "FireHOL level1 is live");
	cr_expect(strstr(verdict("1.10.16.1"), "level1"), "%s", verdict("1.10.16.1"));

	cr_expect_eq(refresh(out, sizeof(out), ""), 0, "%s", out);
	cr_expect_null(strstr(out, "retired"), "once a day, not every hour: %s", out);
	snprintf(args, sizeof(args), "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		 "BOUCLIER_STATE_DIR=%s BOUCLIER_NOW=%ld %s refresh --config %s/bouclier.conf 2>&1",
		 lab.name, lab.pin, lab.state, now + 86400, lab.bin, lab.state);
	cr_expect_eq(sh_out(out, sizeof(out), "%s", args), 0, "%s", out);
	cr_expect(strstr(out, "feed edrop: its publisher retired it"), "and again the next day: %s",
		  out);

	/* A cut-short Feodo download is refused; the last good list stays. */
	snprintf(text, sizeof(text), "cp %s/tests/data/publishers/feodo_ipblocklist_cut.txt "
		 "%s/feodo.txt", lab.src, lab.state);
	sh("%s", text);
	sh("sed -i 's|path = .*feodo_ipblocklist.txt|path = %s/feodo.txt|' %s/bouclier.conf",
	   lab.state, lab.state);
	cr_expect_eq(refresh(out, sizeof(out), ""), 65, "%s", out);
	cr_expect(strstr(out, "\"# END N entries\""), "the message says what line was expected: %s",
		  out);
	cr_expect(strstr(verdict("8.8.8.8"), "feodo"), "Feodo keeps its last good list: %s",
		  verdict("8.8.8.8"));
}
