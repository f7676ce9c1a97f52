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

/* BPF objects of the whole machine: maps and programs, and the kernel
 * memory of the maps named bouclier_table (the compiled tables). */
static void objects(long *maps, long *progs, long *table_mem)
{
	char out[64];

	sh_out(out, sizeof(out), "bpftool map list | grep -c '^[0-9]*:'");
	*maps = atol(out);
	sh_out(out, sizeof(out), "bpftool prog list | grep -c '^[0-9]*:'");
	*progs = atol(out);
	sh_out(out, sizeof(out), "bpftool map list | grep -A2 'name bouclier_table ' | "
	       "sed -n 's/.*memlock \\([0-9]*\\)B.*/\\1/p' | awk '{s += $1} END {print s + 0}'");
	*table_mem = atol(out);
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
	long maps0, progs0, mem0, maps1, progs1, mem1;
	char out[16384], cmd[512], text[1024];
	double t0, next_swap, next_read;

	sh("mkdir -p %s", lab.state);
	put("a.txt", "198.51.100.7\n203.0.113.0/25\n2001:db8:bad::/48\n");
	put("b.txt", "198.51.100.0/29\n203.0.113.128/25\n2001:db8:bad::7\n");
	snprintf(text, sizeof(text), "[general]\ntown = Soak\nstate_dir = %s\n[feed f]\npath = "
		 "%s/list.txt\nmax_shrink = 1\n", lab.state, lab.state);
	put("bouclier.conf", text);
	sh("cp %s/a.txt %s/list.txt", lab.state, lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	snprintf(cmd, sizeof(cmd), "refresh --config %s/bouclier.conf", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	objects(&maps0, &progs0, &mem0);

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
	}
	bouclier(out, sizeof(out), "feed remove g");
	objects(&maps1, &progs1, &mem1);
	cr_expect_eq(maps1, maps0, "BPF maps before and after %d swaps", swaps + 101);
	cr_expect_eq(progs1, progs0, "BPF programs");
	cr_expect_eq(mem1, mem0, "the tables' memory");
}
