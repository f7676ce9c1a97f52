// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Size classes of the table (bouclier.h): a list that outgrows the class of
 * the running programs brings new programs, and every link (XDP and TC)
 * moves onto them while the filter keeps dropping; a command killed after
 * the new programs are pinned and before the links moved leaves the old
 * programs filtering, and the next command moves the links.
 */
#include <stdio.h>
#include "lab.h"

static long xdp_id(void)
{
	char out[256];

	sh_out(out, sizeof(out), "ip -n %s-wan -d link show wan0 | sed -n "
	       "'s/.*prog\\/xdp id \\([0-9]*\\).*/\\1/p' | head -1", lab.name);
	return atol(out);
}

static long pinned_id(const char *name)
{
	char out[256];

	sh_out(out, sizeof(out), "bpftool prog show pinned %s/%s | sed -n '1s/:.*//p'", lab.pin,
	       name);
	return atol(out);
}

/* The capacity of the live table, in lines. */
static long capacity(void)
{
	char out[512], *p;
	unsigned int b[4];
	long id;

	sh_out(out, sizeof(out), "bpftool map lookup pinned %s/bouclier_tables key 0 0 0 0",
	       lab.pin);
	p = strstr(out, "value:");
	if (!p || sscanf(p + 6, "%x %x %x %x", &b[0], &b[1], &b[2], &b[3]) != 4)
		return -1;
	id = (long)(b[0] | b[1] << 8 | b[2] << 16 | (unsigned long)b[3] << 24);
	sh_out(out, sizeof(out), "bpftool map show id %ld | sed -n 's/.*max_entries \\([0-9]*\\).*/\\1/p'",
	       id);
	return atol(out);
}

/* N distinct /32s out of 100.64.0.0/10 and one listed lab source. */
static void big_list(const char *name, long n)
{
	cr_assert_eq(sh("python3 -c \"import random\nr = random.Random(7)\nprint('198.51.100.7')\n"
			"for a in r.sample(range(1 << 22), %ld): print('100.%%d.%%d.%%d' %% (64 + "
			"(a >> 16), (a >> 8) & 255, a & 255))\" > %s/%s", n, lab.state, name), 0);
}

/* Attached, a one-entry list live (the smallest class), and a list of
 * 700k entries ready in big.txt. */
static void small_then_big(void)
{
	char out[16384], cmd[512];

	lab_up();
	lab_put("small.txt", "198.51.100.7\n");
	big_list("big.txt", 700000);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	snprintf(cmd, sizeof(cmd), "feed load x %s/small.txt", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	cr_assert_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0);
}

Test(capacity, a_list_that_outgrows_the_class_moves_every_link, .init = small_then_big,
     .fini = lab_down, .timeout = 240)
{
	char out[16384], cmd[512];
	long small_cap, big_cap, id0, id1;

	small_cap = capacity();
	id0 = xdp_id();
	cr_assert_eq(small_cap, 131072, "the smallest class: %ld", small_cap);
	cr_assert_eq(id0, pinned_id("bouclier_prog"));

	snprintf(cmd, sizeof(cmd), "feed load x %s/big.txt", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	cr_expect(strstr(out, "new size class"), "%s", out);
	big_cap = capacity();
	id1 = xdp_id();
	cr_expect_gt(big_cap, small_cap);
	cr_expect_neq(id1, id0, "new programs on the link");
	cr_expect_eq(id1, pinned_id("bouclier_prog"), "the link runs the pinned program");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "still dropped");
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 2, "others pass");
	cr_assert_eq(bouclier(out, sizeof(out), "status --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"filtering\":true"), "%s", out);
	cr_expect(strstr(out, "\"outbound\":\"tcx\"") || strstr(out, "\"outbound\":\"tc\""),
		  "the way out moved too: %s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "lookup 198.51.100.7"), 0, "%s", out);
	cr_expect(strstr(out, "dropped"), "%s", out);

	/* back to a small list: the big class is kept (a quarter full at least
	 * is the rule, and the smallest table is more than that) */
	snprintf(cmd, sizeof(cmd), "feed load x %s/small.txt", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	cr_expect_eq(xdp_id(), id1, "no new programs for a table that still fits");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0);
}

Test(capacity, killed_between_the_pins_and_the_links, .init = small_then_big,
     .fini = lab_down, .timeout = 240)
{
	char out[16384], cmd[512];
	long id0;

	id0 = xdp_id();
	cr_assert_eq(sh("nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
			"BOUCLIER_STATE_DIR=%s BOUCLIER_FAULT=reload-pinned %s feed load x "
			"%s/big.txt >/dev/null 2>&1", lab.name, lab.pin, lab.state, lab.bin,
			lab.state), 128 + 9, "killed after pinning the new programs");
	cr_expect_eq(xdp_id(), id0, "the link still runs the old program");
	cr_expect_neq(pinned_id("bouclier_prog"), id0, "the new one is pinned");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0,
		     "the old program still filters with its table");
	bouclier(out, sizeof(out), "weather --json");
	cr_expect_null(strstr(out, "\"level\":\"sunny\""), "never sunny then: %s", out);
	/* any command that publishes moves the links */
	snprintf(cmd, sizeof(cmd), "feed load x %s/big.txt", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	cr_expect_eq(xdp_id(), pinned_id("bouclier_prog"), "the link follows the pins");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0);
	cr_assert_eq(bouclier(out, sizeof(out), "status --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"filtering\":true"), "%s", out);
}

/* Killed after the new outer map was pinned and before the programs were:
 * the pinned programs read the old outer map.  The next change, though its
 * table stays in the class, brings programs and pins together again: what
 * it loads is what the kernel filters with. */
Test(capacity, killed_between_the_outer_map_and_the_programs, .init = small_then_big,
     .fini = lab_down, .timeout = 240)
{
	char out[16384], cmd[512];

	cr_assert_eq(sh_out(out, sizeof(out), "nsenter --net=/run/netns/%s-wan env "
			    "BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s "
			    "BOUCLIER_FAULT=reload-between-pins %s feed load x %s/big.txt 2>&1",
			    lab.name, lab.pin, lab.state, lab.bin, lab.state),
		     128 + 9, "killed between the pins: %s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "the old table still filters");
	cr_assert_eq(sh("cp %s/big.txt %s/big2.txt && echo 198.51.100.8 >> %s/big2.txt",
			lab.state, lab.state, lab.state), 0);
	snprintf(cmd, sizeof(cmd), "feed load x %s/big2.txt", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	cr_expect(strstr(out, "cut short"), "%s", out);
	cr_expect_eq(xdp_id(), pinned_id("bouclier_prog"), "the link follows the pins");
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 0,
		     "the new list reaches the programs");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0);
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 2, "others pass");
}

/* The live table's prefix counts, "IPv4 IPv6", from `status --json`. */
static void prefix_counts(char *out, size_t len)
{
	cr_assert_eq(bouclier(out, len, "status --json | python3 -c \"import json, sys; "
			      "t = json.load(sys.stdin); print(t['v4_prefixes'], t['v6_prefixes'])\""),
		     0, "%s", out);
}

/* A small change of a feed goes through the delta (a copy of the live
 * table with only the changed keys rewritten): its addresses drop or pass
 * at once, and the table counts what a full compile of the same lists
 * counts (BOUCLIER_NO_DELTA=1 compiles in full). */
Test(capacity, a_small_change_is_applied_to_a_copy, .init = lab_up, .fini = lab_down,
     .timeout = 240)
{
	char out[16384], full[256], delta[256];

	cr_assert_eq(sh("mkdir -p %s && python3 -c \"import random\nr = random.Random(9)\n"
			"print('198.51.100.8')\nfor a in r.sample(range(1 << 22), 20000): "
			"print('100.%%d.%%d.%%d/%%d' %% (64 + (a >> 16), (a >> 8) & 255, a & 252, "
			"30 + a %% 3))\" > %s/a.txt && sed -e 1d -e '2,200d' %s/a.txt > %s/b.txt && "
			"echo 198.51.100.7 >> %s/b.txt && echo 203.0.113.0/24 >> %s/b.txt",
			lab.state, lab.state, lab.state, lab.state, lab.state, lab.state), 0);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "-v feed load x %s/a.txt", lab.state), 0, "%s",
		     out);
	cr_assert_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 0, "listed in a.txt");
	cr_assert_gt(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "not listed yet");

	cr_assert_eq(bouclierf(out, sizeof(out), "-v feed load x %s/b.txt", lab.state), 0, "%s",
		     out);
	cr_assert(strstr(out, "applied to a copy of the live table"), "not a delta:\n%s", out);
	cr_assert_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "listed by the change");
	cr_assert_gt(ping_from("198.51.100.8", "192.0.2.1", 2), 0, "unlisted by the change");
	cr_assert_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 0, "a /24 listed by the change");
	prefix_counts(delta, sizeof(delta));

	/* the same list compiled in full counts the same */
	cr_assert_eq(bouclierf(out, sizeof(out), "feed load x %s/a.txt", lab.state), 0, "%s", out);
	snprintf(full, sizeof(full), "-v feed load x %s/b.txt", lab.state);
	cr_assert_eq(bouclier_env(out, sizeof(out), "BOUCLIER_NO_DELTA=1", full), 0, "%s", out);
	cr_assert(strstr(out, "compiled in full: BOUCLIER_NO_DELTA is set"), "%s", out);
	prefix_counts(full, sizeof(full));
	cr_assert_str_eq(delta, full, "prefixes after the delta %s, after a compile %s", delta, full);
	cr_assert_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0);
	cr_assert_gt(ping_from("198.51.100.8", "192.0.2.1", 2), 0);
}
