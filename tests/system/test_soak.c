// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Soak: floods from a listed and an unlisted source for a while, the lists
 * refreshed every two seconds (alternating), stats and the weather read
 * every second; then a hundred swaps more.  Not one listed packet passes,
 * unlisted traffic keeps flowing, and the number of BPF objects and the
 * table's memory are the same after as before.  BOUCLIER_SOAK_SECONDS sets
 * the length (make soak: 120; make test: 20).
 */
#include <time.h>
#include "lab.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The lab's own BPF objects, so that tests running beside it do not count:
 * the id of the compiled table its pinned outer map holds now, and the
 * program attached to wan0. */
static long table_id(void)
{
	unsigned int b[4];
	char out[512], *p;

	/* "key: 00 00 00 00  value: d8 4b 00 00": the id, little-endian */
	sh_out(out, sizeof(out), "bpftool map lookup pinned %s/bouclier_tables key 0 0 0 0",
	       lab.pin);
	p = strstr(out, "value:");
	if (!p || sscanf(p + 6, "%x %x %x %x", &b[0], &b[1], &b[2], &b[3]) != 4)
		return -1;
	return (long)(b[0] | b[1] << 8 | b[2] << 16 | (unsigned long)b[3] << 24);
}

static long xdp_prog_id(void)
{
	char out[256];

	sh_out(out, sizeof(out), "ip -n %s-wan -d link show wan0 | sed -n 's/.*prog\\/xdp id "
	       "\\([0-9]*\\).*/\\1/p' | head -1", lab.name);
	return atol(out);
}

#define MAX_IDS 512
static long ids[MAX_IDS];
static int nids;

/* Remembers the table in use now; returns its id. */
static long note_table(void)
{
	long id = table_id();
	int i;

	for (i = 0; i < nids && ids[i] != id; i++)
		;
	if (i == nids && nids < MAX_IDS && id > 0)
		ids[nids++] = id;
	return id;
}

/* Packets from src that reached the town's stack, counted by nftables in
 * its input hook (after XDP). */
static long arrived(const char *src)
{
	char out[4096], *p;

	sh_out(out, sizeof(out), "ip netns exec %s-wan nft list chain inet soak in", lab.name);
	p = strstr(out, src);
	if (!p || !(p = strstr(p, "packets ")))
		return -1;
	return atol(p + 8);
}

Test(soak, floods_while_the_lists_change, .init = lab_up, .fini = lab_down, .timeout = 600)
{
	const char *env = getenv("BOUCLIER_SOAK_SECONDS");
	int seconds = env && atoi(env) > 0 ? atoi(env) : 20, swaps = 0, i, k;
	long prog0, current;
	char out[16384], cmd[512], text[1024];
	double t0, next_swap, next_read;

	sh("mkdir -p %s", lab.state);
	lab_put("a.txt", "198.51.100.7\n203.0.113.0/25\n2001:db8:bad::/48\n");
	lab_put("b.txt", "198.51.100.0/29\n203.0.113.128/25\n2001:db8:bad::7\n");
	snprintf(text, sizeof(text), "[general]\ntown = Soak\nstate_dir = %s\n[feed f]\npath = "
		 "%s/list.txt\nmax_shrink = 1\n", lab.state, lab.state);
	lab_put("bouclier.conf", text);
	sh("cp %s/a.txt %s/list.txt", lab.state, lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	snprintf(cmd, sizeof(cmd), "refresh --config %s/bouclier.conf", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	prog0 = xdp_prog_id();
	cr_assert_gt(prog0, 0, "the program is attached");
	cr_assert_gt(note_table(), 0, "a table is published");

	/* floods as fast as a sender goes, bounded by time, counted on arrival */
	if (sh("command -v nft >/dev/null"))
		cr_skip_test("nft is not installed (Debian package nftables)");
	cr_assert_eq(sh("printf 'table inet soak {\n chain in {\n  type filter hook input priority "
			"0;\n  ip saddr 198.51.100.7 counter\n  ip saddr 198.51.100.8 counter\n }\n}\n'"
			" | ip netns exec %s-wan nft -f -", lab.name), 0);
	sh("ip netns exec %s-net python3 %s/tests/system/frames.py udp 198.51.100.7 192.0.2.1 %d "
	   "> %s/listed.out 2>&1 &", lab.name, lab.src, seconds, lab.state);
	sh("ip netns exec %s-net python3 %s/tests/system/frames.py udp 198.51.100.8 192.0.2.1 %d "
	   "> %s/unlisted.out 2>&1 &", lab.name, lab.src, seconds, lab.state);
	t0 = now();
	next_swap = t0 + 2;
	next_read = t0 + 1;
	while (now() < t0 + seconds) {
		if (now() >= next_read) {
			cr_expect_eq(bouclier(out, sizeof(out), "stats --json"), 0, "%s", out);
			cr_expect_eq(bouclier(out, sizeof(out), "weather --json"), 0, "%s", out);
			cr_expect(!strstr(out, "\"level\":\"unknown\""), "%s", out);
			next_read += 1;
		}
		if (now() >= next_swap) {
			sh("cp %s/%s.txt %s/list.txt", lab.state, swaps % 2 ? "a" : "b", lab.state);
			cr_expect_eq(bouclier(out, sizeof(out), cmd), 0, "refresh %d: %s", swaps, out);
			note_table();
			swaps++;
			next_swap += 2;
		}
		usleep(50 * 1000);
	}
	/* let the senders end, then count */
	for (k = 0; k < 100 && (sh("test -s %s/listed.out", lab.state) ||
				sh("test -s %s/unlisted.out", lab.state)); k++)
		usleep(100 * 1000);
	sh_out(out, sizeof(out), "cat %s/listed.out %s/unlisted.out | tr '\n' ' '", lab.state,
	       lab.state);
	cr_log_info("%d s, %d refreshes; sent (listed, unlisted): %s; arrived: %ld, %ld", seconds,
		    swaps, out, arrived("198.51.100.7"), arrived("198.51.100.8"));
	cr_expect_gt(atol(out), 1000, "the listed source sent: %s", out);
	cr_expect_eq(arrived("198.51.100.7"), 0, "a listed packet got through while the lists "
		     "changed %d times", swaps);
	cr_expect_gt(arrived("198.51.100.8"), 1000, "unlisted traffic keeps flowing");
	cr_expect_geq(swaps, seconds / 2 - 1, "the lists changed every two seconds");

	/* a hundred swaps more: nothing leaks */
	for (i = 0; i < 100; i++) {
		snprintf(text, sizeof(text), "feed load g %s/%s.txt", lab.state, i % 2 ? "a" : "b");
		cr_assert_eq(bouclier(out, sizeof(out), text), 0, "swap %d: %s", i, out);
		note_table();
	}
	bouclier(out, sizeof(out), "feed remove g");
	current = note_table();
	cr_expect_geq(nids, swaps + 2, "each swap published a new table (%d seen)", nids);
	/* every table but the one in use was freed by the kernel */
	for (i = 0; i < nids; i++)
		if (ids[i] != current)
			cr_expect_neq(sh("bpftool map show id %ld >/dev/null 2>&1", ids[i]), 0,
				      "table %ld outlived its swap", ids[i]);
	cr_expect_eq(xdp_prog_id(), prog0, "the swaps never replaced the program");
}
