// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Attacks as the kernel counts them: one source trying one service class in
 * a quarter hour, whatever the packets.  Generated traffic through
 * BPF_PROG_TEST_RUN on the real program with its own unpinned maps; the
 * wall clock the program reads (bouclier_clock) is moved by the test to
 * walk through quarter hours.  The figures are read the way `weather`
 * reads them (weather_read_slots) and compared with exact counts.
 * Needs root; skips otherwise.  Nothing is attached, nothing is sent.
 */
#include <criterion/criterion.h>
#include <sched.h>
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bouclier.skel.h"
#include "publish.h"
#include "weather/weather.h"

/* The sketch's standard error (1.04 / sqrt(256)); the figures of one run
 * are held to three of them. */
#define SIGMA 0.065

static struct bouclier *skel;
static struct live live;

static void setup(void)
{
	static struct cidr list[2];
	struct publish_feed feed = { "scanners", "scanners", 0, 1, list, 2, BOUCLIER_FEED_IN };
	struct publish_input in = { &feed, 1 };
	struct bpf_map *m;
	const char *why;
	int err, flags;

	if (geteuid() != 0)
		cr_skip_test("BPF_PROG_TEST_RUN needs root");
	skel = bouclier__open();
	cr_assert_not_null(skel);
	bpf_object__for_each_map(m, skel->obj)
		bpf_map__set_pin_path(m, NULL);
	err = bouclier__load(skel);
	if (err)
		cr_skip_test("the kernel refused the program: %s", strerror(-err));
	cr_assert_eq(live_from_object(&live, skel->obj), 0);
	cr_assert_eq(cidr_parse("198.51.100.0/24", 15, &list[0], &flags, &why), 0);
	cr_assert_eq(cidr_parse("2001:db8:bad::/48", 17, &list[1], &flags, &why), 0);
	cr_assert_eq(publish(&live, &in, NULL), 0);
}

static void teardown(void)
{
	live_close(&live);
	bouclier__destroy(skel);
}

/* Makes the program's wall clock read t, and forgets the slot each CPU
 * memorised, as if its quarter hour had ended. */
static void set_wall(time_t t)
{
	int ncpu = libbpf_num_possible_cpus(), c;
	struct bouclier_stats *per = calloc(ncpu, sizeof(*per));
	struct bouclier_clock clk = { 0 };
	struct timespec mono;
	__u32 k, zero = 0;

	cr_assert_not_null(per);
	clock_gettime(CLOCK_MONOTONIC_COARSE, &mono);
	clk.wall_offset = t - mono.tv_sec;
	clk.updated_at = t;
	cr_assert_eq(bpf_map_update_elem(live.clock_fd, &zero, &clk, BPF_ANY), 0);
	for (k = 0; k < BOUCLIER_D_MAX; k++) {
		cr_assert_eq(bpf_map_lookup_elem(live.stats_fd, &k, per), 0);
		for (c = 0; c < ncpu; c++)
			per[c].slot_end_ns = 0;
		cr_assert_eq(bpf_map_update_elem(live.stats_fd, &k, per, BPF_ANY), 0);
	}
	free(per);
}

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* Ethernet, IPv4 or IPv6 from src, TCP SYN to dport; returns the length. */
static int syn(__u8 *f, const char *src, __u16 dport)
{
	int v6 = !!strchr(src, ':'), ip = 14, l4 = v6 ? 54 : 34;

	memset(f, 0, 128);
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	put16(f + 12, v6 ? 0x86dd : 0x0800);
	if (v6) {
		f[ip] = 0x60;
		put16(f + ip + 4, 20);
		f[ip + 6] = IPPROTO_TCP;
		f[ip + 7] = 64;
		cr_assert_eq(inet_pton(AF_INET6, src, f + ip + 8), 1);
		inet_pton(AF_INET6, "2001:db8:1::1", f + ip + 24);
	} else {
		f[ip] = 0x45;
		put16(f + ip + 2, 40);
		f[ip + 8] = 64;
		f[ip + 9] = IPPROTO_TCP;
		cr_assert_eq(inet_pton(AF_INET, src, f + ip + 12), 1);
		inet_pton(AF_INET, "192.0.2.1", f + ip + 16);
	}
	put16(f + l4, 40000);
	put16(f + l4 + 2, dport);
	f[l4 + 12] = 0x50;
	f[l4 + 13] = 0x02; /* SYN */
	return l4 + 20;
}

static void send_frames(const char *src, __u16 dport, int repeat)
{
	__u8 f[128];
	int len = syn(f, src, dport);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = repeat);

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.bouclier_xdp), &o), 0);
	cr_assert_eq(o.retval, XDP_DROP, "%s is listed", src);
}

/* The kernel's slot that holds t. */
static struct wslot slot_of(time_t t)
{
	struct wslot *v = NULL, s = { 0 };
	size_t n = 0, i;

	cr_assert_eq(weather_read_slots(&live, &v, &n), 0);
	for (i = 0; i < n; i++)
		if (v[i].slot == (__u64)t / BOUCLIER_SLOT_SECONDS)
			s = v[i];
	free(v);
	return s;
}

/* A quarter hour's start, a day back from now (the ring holds 48 hours). */
static time_t quarter(int q)
{
	time_t t = time(NULL) - 86400;

	return t - t % BOUCLIER_SLOT_SECONDS + (time_t)q * BOUCLIER_SLOT_SECONDS;
}

Test(attacks, one_source_flooding_one_service_for_an_hour_is_four, .init = setup,
     .fini = teardown)
{
	__u64 attacks = 0, pkts = 0;
	int q;

	for (q = 0; q < 4; q++) {
		set_wall(quarter(q) + 60);
		send_frames("198.51.100.7", 22, 5000);
	}
	for (q = 0; q < 4; q++) {
		struct wslot s = slot_of(quarter(q));

		cr_expect_eq(s.pkts, 5000, "quarter %d: every packet counted", q);
		cr_expect_eq(s.attacks, 1, "quarter %d: one attack, got %llu", q,
			     (unsigned long long)s.attacks);
		cr_expect(s.has_attacks);
		attacks += s.attacks;
		pkts += s.pkts;
	}
	cr_expect_leq(attacks, 4, "20000 packets in an hour: %llu attacks",
		      (unsigned long long)attacks);
	cr_expect_eq(pkts, 20000);
}

Test(attacks, a_thousand_sources_one_syn_each_are_about_a_thousand, .init = setup,
     .fini = teardown)
{
	static const int sizes[] = { 1, 10, 100, 1000, 5000 };
	char src[64];
	size_t k;
	int i;

	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct wslot s;
		double err;

		set_wall(quarter((int)k) + 10);
		for (i = 0; i < sizes[k]; i++) {
			snprintf(src, sizeof(src), "2001:db8:bad:%x::%x", i >> 12, (i & 0xfff) + 1);
			send_frames(src, 22, 1);
		}
		s = slot_of(quarter((int)k));
		cr_assert_eq(s.pkts, (__u64)sizes[k]);
		err = ((double)s.attacks - sizes[k]) / sizes[k];
		printf("attacks: %d sources, one SYN each: %llu attacks (%+.1f%%)\n", sizes[k],
		       (unsigned long long)s.attacks, err * 100);
		cr_expect_leq(fabs(err), 3 * SIGMA, "%d sources: %llu attacks, beyond 3 standard "
			      "errors", sizes[k], (unsigned long long)s.attacks);
		if (sizes[k] <= 10)
			cr_expect_eq(s.attacks, (__u64)sizes[k], "a few are counted exactly");
	}
}

Test(attacks, a_sweep_of_every_port_is_one_attack_a_service_class, .init = setup,
     .fini = teardown)
{
	__u8 f[128];
	struct wslot s;
	__u64 classes = 0;
	int port, k;

	set_wall(quarter(0) + 30);
	for (port = 1; port <= 65535; port++) {
		int len = syn(f, "198.51.100.9", (__u16)port);
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = 1);

		cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.bouclier_xdp), &o),
			     0);
	}
	s = slot_of(quarter(0));
	for (k = 0; k < BOUCLIER_PORTS; k++)
		classes += s.ports[k] != 0;
	cr_assert_eq(s.pkts, 65535);
	cr_expect_eq(classes, BOUCLIER_PORTS, "every service class was tried");
	cr_expect_leq(s.attacks, BOUCLIER_PORTS, "65535 ports, %d classes: %llu attacks",
		      BOUCLIER_PORTS, (unsigned long long)s.attacks);
	cr_expect_geq(s.attacks, BOUCLIER_PORTS - 1);
	/* the next quarter hour, the same sweep is as many attacks again */
	set_wall(quarter(1) + 30);
	for (port = 1; port <= 65535; port += 1) {
		int len = syn(f, "198.51.100.9", (__u16)port);
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = 1);

		bpf_prog_test_run_opts(bpf_program__fd(skel->progs.bouclier_xdp), &o);
	}
	cr_expect_leq(slot_of(quarter(1)).attacks, BOUCLIER_PORTS);
}

/* Would-drops of a monitored list and real drops are sampled into separate
 * halves of a CPU's ring: seventy thousand would-drops after one drop leave
 * the drop among the sampled sources (top blocked sources). */
Test(attacks, a_busy_monitored_list_keeps_the_drops_sampled, .init = setup,
     .fini = teardown)
{
	static struct cidr mon[1];
	struct publish_feed feeds[2] = {
		{ "scanners", "scanners", 0, 1, NULL, 0, BOUCLIER_FEED_IN },
		{ "trial", "scanners", 1, 1, mon, 1, BOUCLIER_FEED_IN | BOUCLIER_FEED_MONITOR },
	};
	struct publish_input in = { feeds, 2 };
	static struct cidr list[1];
	struct wsource *v = NULL;
	const char *why;
	cpu_set_t one;
	size_t n = 0, i;
	int flags, drops = 0, would = 0;
	__u8 f[128];
	int len;

	/* one CPU: the ring is a CPU's */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	cr_assert_eq(cidr_parse("198.51.100.0/24", 15, &list[0], &flags, &why), 0);
	cr_assert_eq(cidr_parse("203.0.113.0/24", 14, &mon[0], &flags, &why), 0);
	feeds[0].v = list;
	feeds[0].n = 1;
	cr_assert_eq(publish(&live, &in, NULL), 0);
	set_wall(quarter(8));
	send_frames("198.51.100.7", 22, 1);
	len = syn(f, "203.0.113.9", 22);
	{
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len,
			    .repeat = 70000);

		cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.bouclier_xdp), &o),
			     0);
		cr_assert_eq(o.retval, XDP_PASS, "a monitored source passes");
	}
	cr_assert_eq(weather_read_sources(&live, &v, &n), 0);
	for (i = 0; i < n; i++) {
		drops += !v[i].monitor && !strcmp(v[i].addr, "198.51.100.7");
		would += v[i].monitor && !strcmp(v[i].addr, "203.0.113.9");
	}
	free(v);
	cr_expect_gt(would, 0, "the would-drops are sampled");
	cr_expect_gt(drops, 0, "the drop is still among the sampled sources");
}

/* The attacks only the region's list dropped are counted apart (reg_hll):
 * a source another enforcing feed lists too is the town's own; and a
 * sampled drop keeps the port it tried, its attacks counted by service. */
Test(attacks, what_only_the_regions_list_dropped_is_counted_apart, .init = setup,
     .fini = teardown)
{
	static struct cidr own[1], region[2];
	struct publish_feed feeds[2] = {
		{ "scanners", "scanners", 0, 1, own, 1, BOUCLIER_FEED_IN },
		{ "region", "region", 1, 1, region, 2, BOUCLIER_FEED_IN | BOUCLIER_FEED_REGIONAL },
	};
	struct publish_input in = { feeds, 2 };
	struct wsource *v = NULL;
	const char *why;
	cpu_set_t one;
	struct wslot s;
	size_t n = 0, i;
	int flags, seen = 0;

	CPU_ZERO(&one);
	CPU_SET(0, &one);
	cr_assert_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	cr_assert_eq(cidr_parse("198.51.100.0/24", 15, &own[0], &flags, &why), 0);
	cr_assert_eq(cidr_parse("203.0.113.0/24", 14, &region[0], &flags, &why), 0);
	cr_assert_eq(cidr_parse("198.51.100.7", 12, &region[1], &flags, &why), 0);
	cr_assert_eq(publish(&live, &in, NULL), 0);
	set_wall(quarter(10) + 60);
	send_frames("203.0.113.5", 22, 3);   /* the region's only: one attack */
	send_frames("203.0.113.6", 3389, 1); /* the region's only: one attack */
	send_frames("198.51.100.7", 22, 1);  /* both lists: the town's own */
	send_frames("198.51.100.8", 445, 1); /* the town's list only */
	s = slot_of(quarter(10));
	cr_expect_eq(s.attacks, 4, "four sources, one service each: %llu",
		     (unsigned long long)s.attacks);
	cr_expect(s.has_regional);
	cr_expect_eq(s.reg_attacks, 2, "two attacks only the region's list stopped: %llu",
		     (unsigned long long)s.reg_attacks);
	cr_assert_eq(weather_read_sources(&live, &v, &n), 0);
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].addr, "203.0.113.5")) {
			seen = 1;
			cr_expect_eq(v[i].nports, 1);
			cr_expect_eq(v[i].ports[0], 22, "the port it tried");
			cr_expect_eq(v[i].attacks, 1);
			cr_expect_eq(v[i].hi, 0);
			cr_expect_eq(v[i].lo, 0xffffcb007105ULL);
		}
	free(v);
	cr_expect(seen, "the first drop on the CPU is sampled");
}
