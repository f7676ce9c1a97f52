// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Detection on the lab, with crafted frames sent from the Internet's side
 * (frames.py probe: any source address, forged or not): a scan, a sweep, an
 * RDP and an SSH hammer each banned by the kernel on the next packet; a ban
 * that ends on time and a repeat that doubles it; forged scans with the
 * address of a server the town just contacted, or of an allowlisted one,
 * that ban nothing; a busy web server's clients that ban nobody; monitor
 * mode; the weather's figure against the attacks the frames make.
 */
#include <arpa/inet.h>
#include <sys/stat.h>
#include <jansson.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bench.h"
#include "bouclier.skel.h"
#include "harness.skel.h"
#include "detect.h"
#include "frames.h"
#include "publish.h"
#include "lab.h"

/* bouclier ARGS in the lab with its configuration, STATE/bouclier.conf. */
static int bouclier_envf(char *out, size_t outlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bouclier_envf(char *out, size_t outlen, const char *fmt, ...)
{
	char args[1024], env[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(env, sizeof(env), "BOUCLIER_CONFIG=%s/bouclier.conf", lab.state);
	return bouclier_env(out, outlen, env, args);
}

/* [detect] (bans of an hour unless extra says), then attached. */
static void detect_lab(const char *extra)
{
	char conf[1024], out[4096];

	snprintf(conf, sizeof(conf), "[general]\ntown = Detectville\n[detect]\n%s",
		 extra ? extra : "ban = 1h\nmax_ban = 2h\n");
	lab_put("bouclier.conf", conf);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "attach wan0"), 0, "%s", out);
}

/* probes from the Internet's side: frames.py probe on net0 to wan0's MAC;
 * returns the frames sent */
static int probe(const char *src, const char *dst, const char *kind, const char *ports, int repeat)
{
	char out[256], mac[64];

	cr_assert_eq(sh_out(mac, sizeof(mac), "ip -n %s-wan -o link show wan0 | "
			    "sed 's/.*link\\/ether \\([0-9a-f:]*\\).*/\\1/' | tr -d '\\n'",
			    lab.name), 0);
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-net python3 %s/tests/system/frames.py "
			    "probe net0 %s %s %s %s %s %d", lab.name, lab.src, mac, src, dst, kind,
			    ports, repeat), 0, "%s", out);
	return atoi(out);
}

/* The JSON value at a path of keys (an integer key indexes an array), or
 * NULL; *doc holds the document to free. */
static json_t *jpath(json_t **doc, const char *text, int n, ...)
{
	json_t *x;
	va_list ap;
	int i;

	*doc = json_loads(text, 0, NULL);
	cr_assert_not_null(*doc, "not JSON: %s", text);
	x = *doc;
	va_start(ap, n);
	for (i = 0; i < n && x; i++) {
		const char *k = va_arg(ap, const char *);

		x = json_is_array(x) ? json_array_get(x, atoi(k)) : json_object_get(x, k);
	}
	va_end(ap);
	return x;
}

/* The detected ban on prefix in `ban list --json`, its field as a number
 * (-1: no such ban) or, for "state" and "behaviour", 1 when it equals want. */
static long long ban_field(const char *prefix, const char *field, const char *want)
{
	char out[65536];
	json_t *doc, *bans, *b;
	long long v = -1;
	size_t i;

	cr_assert_eq(bouclier_envf(out, sizeof(out), "ban list --json"), 0, "%s", out);
	bans = jpath(&doc, out, 1, "bans");
	json_array_foreach(bans, i, b) {
		json_t *f = json_object_get(b, field);

		if (strcmp(json_string_value(json_object_get(b, "prefix")) ?: "", prefix) ||
		    strcmp(json_string_value(json_object_get(b, "kind")) ?: "", "detected"))
			continue;
		v = want ? !strcmp(json_string_value(f) ?: "", want) : json_integer_value(f);
	}
	json_decref(doc);
	return v;
}

static long long stat_detect(const char *outcome)
{
	char out[16384];
	json_t *doc, *x;
	long long v;

	cr_assert_eq(bouclier_envf(out, sizeof(out), "stats --json"), 0, "%s", out);
	x = jpath(&doc, out, 2, "detection", outcome);
	v = x ? json_integer_value(x) : -1;
	json_decref(doc);
	return v;
}

Test(detect, a_scan_a_sweep_and_two_hammers_are_banned_on_the_next_packet, .init = lab_up,
     .fini = lab_down, .timeout = 120)
{
	char out[16384];

	detect_lab(NULL);
	/* a SYN scan of 40 ports */
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "1000-1039", 1), 40);
	cr_expect_eq(ban_field("198.51.100.7/32", "behaviour", "port scan"), 1);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "banned: its pings drop");
	/* nmap --top-ports 20, exactly twenty */
	cr_assert_eq(probe("198.51.100.66", "192.0.2.1", "syn", "21,22,23,25,53,80,110,111,135,"
			   "139,143,443,445,993,995,1723,3306,3389,5900,8080", 1), 20);
	cr_expect_eq(ban_field("198.51.100.66/32", "behaviour", "port scan"), 1,
		     "the twenty ports scanners try first make a scan of twenty");
	cr_expect_eq(ban_field("198.51.100.66/32", "count", NULL), 20);
	/* a ping sweep of 30 of the town's addresses */
	cr_assert_eq(probe("198.51.100.8", "192.0.2.10-192.0.2.39", "echo", "0", 1), 30);
	cr_expect_eq(ban_field("198.51.100.8/32", "behaviour", "address sweep"), 1);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 0);
	/* 40 connections to RDP */
	cr_assert_eq(probe("203.0.113.5", "192.0.2.1", "syn", "3389", 40), 40);
	cr_expect_eq(ban_field("203.0.113.5/32", "behaviour", "password guessing"), 1);
	cr_expect_eq(ban_field("203.0.113.5/32", "service", "rdp"), 1);
	cr_expect_eq(ban_field("203.0.113.5/32", "count", NULL), 30, "banned at the 30th");
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 0);
	/* 40 to SSH over IPv6: the whole /64 is banned */
	cr_assert_eq(probe("2001:db8:bad::7", "2001:db8:1::1", "syn", "22", 40), 40);
	cr_expect_eq(ban_field("2001:db8:bad::/64", "service", "ssh"), 1);
	cr_expect_eq(ping_from("2001:db8:bad::7", "2001:db8:1::1", 2), 0);
	/* and IKE initiations, counted as connections to a VPN */
	cr_assert_eq(probe("2001:db8:cafe::8", "2001:db8:1::1", "ike", "500", 31), 31);
	cr_expect_eq(ban_field("2001:db8:cafe::/64", "service", "vpn"), 1);
	/* nobody else */
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 3), 3, "an innocent source passes");
	cr_expect_eq(stat_detect("banned"), 6);
	/* said in words */
	cr_assert_eq(bouclier_envf(out, sizeof(out), "why 198.51.100.7"), 0, "%s", out);
	cr_expect(strstr(out, "dropped") && strstr(out, "port scan: about 2") &&
		  strstr(out, " ports ") && strstr(out, "banned until") &&
		  strstr(out, "ban del 198.51.100.7"), "%s", out);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "lookup 203.0.113.5"), 0, "%s", out);
	cr_expect(strstr(out, "banned by detection (password guessing (rdp): 30 connections"), "%s",
		  out);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "ban list"), 0, "%s", out);
	cr_expect(strstr(out, "detected by their behaviour") && strstr(out, "2001:db8:bad::/64"),
		  "%s", out);
	/* lifted by hand */
	cr_assert_eq(bouclier_envf(out, sizeof(out), "ban del 2001:db8:bad::7"), 0, "%s", out);
	cr_expect(strstr(out, "2001:db8:bad::/64 lifted"), "%s", out);
	cr_expect_eq(ping_from("2001:db8:bad::7", "2001:db8:1::1", 2), 2, "lifted at once");
	cr_expect_eq(ban_field("2001:db8:bad::/64", "count", NULL), -1);
}

Test(detect, a_ban_ends_on_time_and_a_repeat_doubles_it, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	time_t t0;

	detect_lab("ban = 3s\nmax_ban = 1m\n");
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "2000-2039", 1), 40);
	t0 = time(NULL);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 1), 0, "banned");
	cr_expect_eq(ban_field("198.51.100.7/32", "offences", NULL), 1);
	while (time(NULL) < t0 + 4)
		usleep(100 * 1000);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2, "the ban ended by itself");
	/* a second offence within max_ban: twice as long */
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "3000-3039", 1), 40);
	t0 = time(NULL);
	cr_expect_eq(ban_field("198.51.100.7/32", "offences", NULL), 2);
	cr_expect_eq(ban_field("198.51.100.7/32", "expires", NULL) -
		     ban_field("198.51.100.7/32", "detected_at", NULL), 6, "3 s doubled");
	while (time(NULL) < t0 + 4)
		usleep(100 * 1000);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 1), 0, "still banned at 4 s of 6");
	while (time(NULL) < t0 + 7)
		usleep(100 * 1000);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2, "ended at 6 s");
}

/* A reboot forgets the kernel's maps: the next attach puts detection's
 * bans back from detected.list, each with its bloom bit, so the banned
 * source is dropped again at once, with the time it had left. */
Test(detect, a_ban_comes_back_after_a_reboot, .init = lab_up, .fini = lab_down, .timeout = 120)
{
	char out[16384];
	long long expires;

	detect_lab(NULL);
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "2000-2039", 1), 40);
	cr_assert_eq(probe("198.51.100.70", "192.0.2.1", "syn", "4000-4039", 1), 40);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 1), 0, "banned");
	expires = ban_field("198.51.100.7/32", "expires", NULL);
	cr_assert_gt(expires, 0);
	/* a change of the lists writes detected.list (watch does within a second) */
	lab_put("x.txt", "203.0.113.99\n");
	cr_assert_eq(bouclier_envf(out, sizeof(out), "feed load x %s/x.txt", lab.state), 0, "%s",
		     out);
	cr_assert_eq(sh("grep -qwF 198.51.100.7 %s/detected.list", lab.state), 0);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "detach wan0"), 0, "%s", out);
	cr_assert_eq(sh("rm -rf %s", lab.pin), 0, "what a reboot leaves");
	cr_assert_eq(bouclier_envf(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "banned again at once");
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0, "both");
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 2, "the others pass");
	cr_expect_eq(ban_field("198.51.100.7/32", "expires", NULL), expires, "the same end");
}

Test(detect, forged_scans_from_the_towns_peers_ban_nothing, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[4096];

	detect_lab(NULL);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "allow add 203.0.113.5"), 0, "%s", out);
	/* a machine of the town talks to 198.51.100.70 (its resolver, say) */
	cr_assert_eq(ping_from("198.51.100.70", "192.0.2.1", 1), 1);
	cr_assert_eq(sh("ip netns exec %s-wan ping -c 1 -W 1 198.51.100.70 >/dev/null", lab.name), 0);
	/* someone forges a scan and a hammer in its name, and in the allowed one's */
	cr_assert_eq(probe("198.51.100.70", "192.0.2.1", "syn", "4000-4039", 1), 40);
	cr_assert_eq(probe("198.51.100.70", "192.0.2.1", "syn", "22", 40), 40);
	cr_assert_eq(probe("203.0.113.5", "192.0.2.1", "syn", "5000-5039", 1), 40);
	cr_expect_eq(ban_field("198.51.100.70/32", "count", NULL), -1, "the peer is not banned");
	cr_expect_eq(ban_field("203.0.113.5/32", "count", NULL), -1, "the allowed is not banned");
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 2);
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 2);
	cr_expect_geq(stat_detect("spared_contacted"), 1, "what was spared is counted");
	cr_expect_geq(stat_detect("spared_allowlist"), 1);
	cr_expect_eq(stat_detect("banned"), 0);
	/* a source banned before the town contacts it: the contact lifts it */
	cr_assert_eq(probe("198.51.100.8", "192.0.2.1", "syn", "6000-6039", 1), 40);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 1), 0, "banned");
	cr_assert_eq(sh("ip netns exec %s-wan ping -c 1 -W 1 198.51.100.8 >/dev/null", lab.name), 0,
		     "the town's own ping to it goes out, and its answer comes back");
	cr_expect_eq(stat_detect("lifted_contacted"), 1);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 2, "lifted");
}

Test(detect, a_busy_web_server_bans_nobody, .init = lab_up, .fini = lab_down, .timeout = 120)
{
	char out[16384];
	int sent = 0;

	detect_lab(NULL);
	/* 1,000 clients, five connections each to the web server */
	sent += probe("198.51.100.1-198.51.100.250", "192.0.2.1", "syn", "443", 5);
	sent += probe("203.0.113.1-203.0.113.250", "192.0.2.1", "syn", "443", 5);
	sent += probe("192.0.2.3-192.0.2.252", "192.0.2.1", "syn", "443", 5);
	sent += probe("2001:db8:100::5-2001:db8:100:f9::5", "2001:db8:1::1", "syn", "443", 5);
	cr_assert_geq(sent, 5000, "%d frames", sent);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "stats --json"), 0, "%s", out);
	cr_expect_eq(stat_detect("banned"), 0, "%s", out);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "ban list"), 0, "%s", out);
	cr_expect(strstr(out, "no ban"), "%s", out);
}

Test(detect, monitor_mode_drops_nothing_and_counts_everything, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[65536];
	json_t *doc, *x;

	detect_lab("ban = 1h\nmax_ban = 2h\naction = monitor\n");
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "1000-1039", 1), 40);
	cr_assert_eq(probe("203.0.113.5", "192.0.2.1", "syn", "3389", 40), 40);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 3), 3, "nothing dropped");
	cr_expect_eq(ban_field("198.51.100.7/32", "state", "monitor"), 1);
	cr_expect_eq(ban_field("203.0.113.5/32", "state", "monitor"), 1);
	cr_expect_eq(stat_detect("would_ban"), 2);
	cr_expect_eq(stat_detect("banned"), 0);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "stats --json"), 0, "%s", out);
	x = jpath(&doc, out, 3, "verdicts", "drop", "packets");
	cr_expect_eq(json_integer_value(x), 0, "%s", out);
	json_decref(doc);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "weather --json"), 0, "%s", out);
	x = jpath(&doc, out, 3, "figures", "detected", "mode");
	cr_expect_str_eq(json_string_value(x) ?: "", "monitor", "%s", out);
	json_decref(doc);
	x = jpath(&doc, out, 3, "figures", "detected", "would_ban");
	cr_expect_eq(json_integer_value(x), 2, "%s", out);
	json_decref(doc);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "why 198.51.100.7"), 0, "%s", out);
	cr_expect(strstr(out, "would be banned (monitor mode)"), "%s", out);
}

Test(detect, the_weather_counts_detected_attacks, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[65536];
	json_t *doc, *x;

	detect_lab(NULL);
	/* a scan of ports of no named service: what it sends after its ban is
	 * one attack; then one packet each to ssh and http, two more */
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "1000-1039", 1), 40);
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "22,80", 1), 2);
	/* 40 to RDP: the ten after the 30th dropped, one attack */
	cr_assert_eq(probe("203.0.113.5", "192.0.2.1", "syn", "3389", 40), 40);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "weather --json"), 0, "%s", out);
	x = jpath(&doc, out, 3, "figures", "detected", "attacks");
	cr_expect_eq(json_integer_value(x), 4, "%s", out);
	json_decref(doc);
	x = jpath(&doc, out, 3, "figures", "detected", "banned");
	cr_expect_eq(json_integer_value(x), 2, "%s", out);
	json_decref(doc);
	x = jpath(&doc, out, 2, "figures", "attacks");
	cr_expect_geq(json_integer_value(x), 4, "detected attacks are attacks: %s", out);
	json_decref(doc);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "weather --format prom"), 0, "%s", out);
	cr_expect(strstr(out, "bouclier_detected_attacks_today{town=\"Detectville\"} 4"), "%s",
		  out);
	cr_expect(strstr(out, "bouclier_detection_today{town=\"Detectville\",outcome=\"banned\"} 2"),
		  "%s", out);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "weather --lang fr"), 0, "%s", out);
	cr_expect(strstr(out, "4 attaques détectées par leur comportement"), "%s", out);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "weather"), 0, "%s", out);
	cr_expect(strstr(out, "4 attacks detected by their behaviour"), "%s", out);
}

/* ---- a flood, in the kernel (BPF_PROG_TEST_RUN through the harness) */

/* An Ethernet frame holding a TCP SYN from src to the town's port dport;
 * where its source address and its destination port sit. */
static int syn_frame(__u8 *buf, const char *src, int dport, __u32 *src_off, __u32 *dport_off)
{
	static const __u8 mac[6] = { 2, 0, 0, 0, 0, 1 };
	__u8 a[16], d[16];
	struct frame f;
	int v6 = !!strchr(src, ':');

	memset(buf, 0, 128);
	frame_start(&f, buf);
	frame_eth(&f, mac, mac);
	frame_ethertype(&f, v6 ? 0x86dd : 0x0800);
	if (v6) {
		inet_pton(AF_INET6, src, a);
		inet_pton(AF_INET6, "2001:db8:1::1", d);
		frame_ipv6(&f, &(struct frame_ip6){ .src = a, .dst = d, .version = 6, .next = 6,
						    .hop = 64 });
	} else {
		inet_pton(AF_INET, src, a);
		inet_pton(AF_INET, "192.0.2.1", d);
		frame_ipv4(&f, &(struct frame_ip4){ .src = a, .dst = d, .version = 4, .ihl = 5,
						    .ttl = 64, .proto = 6 });
	}
	*src_off = f.ip + (v6 ? 8 : 12);
	*dport_off = f.len + 2;
	frame_l4(&f, &(struct frame_l4){ .proto = 6, .sport = 40000, .dport = dport, .tcp_doff = 5,
					 .tcp_flags = 0x02 });
	return frame_end(&f);
}

/* Runs the frame repeat times through the harness: sources made from the
 * run's number from base (count 0), or the frame's own (count 1); ports >
 * 1 keeps a source for that many runs, its port counting up.  Returns the
 * last run's XDP verdict. */
static int flood(struct harness *h, const char *src, int dport, __u32 count, __u32 ports,
		 __u32 repeat)
{
	__u8 frame[128];
	__u32 off, doff, zero = 0;
	int len = syn_frame(frame, src, dport, &off, &doff);
	struct bench_addr a = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len, .repeat = repeat);

	if (!strchr(src, ':')) {
		inet_pton(AF_INET, src, &a.v4);
		a.v4 = ntohl(a.v4);
	} else {
		__u8 b[16];
		int i;

		inet_pton(AF_INET6, src, b);
		for (i = 0; i < 8; i++) {
			a.hi = a.hi << 8 | b[i];
			a.lo = a.lo << 8 | b[8 + i];
		}
	}
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(h->maps.harness_addrs), &zero, &a, BPF_ANY), 0);
	h->bss->harness_count = count;
	h->bss->harness_next = 0;
	h->bss->harness_ports = ports;
	h->bss->harness_port0 = dport;
	h->bss->harness_src = off;
	h->bss->harness_dport = doff;
	h->bss->harness_v6 = !!strchr(src, ':');
	h->bss->harness_base4 = a.v4;
	h->bss->harness_base6 = a.hi;
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(h->progs.harness), &o), 0, "%s",
		     strerror(errno));
	return (int)o.retval;
}

static long long entries(int fd, size_t key_size)
{
	__u8 k[64], next[64];
	long long n = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, next) && n < 10000000) {
		memcpy(k, next, key_size);
		prev = k;
		n++;
	}
	return n;
}

/* bouclier's object loaded unpinned, with these sizes, in the harness's
 * slot, detection on with its defaults. */
struct kernel {
	struct bouclier *skel;
	struct harness *h;
	struct live l;
};

static void kernel_up(struct kernel *x, __u32 behaviour, __u32 bans)
{
	struct detect_settings ds;
	struct bpf_map *m;
	__u32 fd, zero = 0;
	int err;

	if (geteuid() != 0)
		cr_skip_test("BPF_PROG_TEST_RUN needs root");
	x->skel = bouclier__open();
	cr_assert_not_null(x->skel);
	bpf_object__for_each_map(m, x->skel->obj)
		bpf_map__set_pin_path(m, NULL);
	bpf_map__set_max_entries(x->skel->maps.BOUCLIER_MAP_BEHAVIOUR, behaviour);
	bpf_map__set_max_entries(x->skel->maps.BOUCLIER_MAP_BANS, bans);
	err = bouclier__load(x->skel);
	if (err)
		cr_skip_test("the kernel refused the program: %s", strerror(-err));
	x->h = harness__open_and_load();
	cr_assert_not_null(x->h, "the harness: %s", strerror(errno));
	fd = bpf_program__fd(x->skel->progs.BOUCLIER_PROG_NAME);
	cr_assert_eq(bpf_map_update_elem(bpf_map__fd(x->h->maps.harness_progs), &zero, &fd,
					 BPF_ANY),
		     0, "the program in the harness's slot: %s", strerror(errno));
	cr_assert_eq(live_from_object(&x->l, x->skel->obj), 0);
	detect_defaults(&ds);
	cr_assert_eq(detect_configure(&x->l, &ds), 0);
}

static void kernel_down(struct kernel *x)
{
	live_close(&x->l);
	harness__destroy(x->h);
	bouclier__destroy(x->skel);
}

Test(detect, a_flood_of_forged_sources_evicts_no_ban_and_grows_nothing, .timeout = 600)
{
	struct kernel x;
	struct bouclier_stats per[512];
	struct bouclier_addr_key k = { 0, 0xffff00000000ULL | 0xc6336407 }; /* 198.51.100.7 */
	struct bouclier_ban b;
	long long mem[3], spared = 0;
	__u32 in = BOUCLIER_D_IN;
	int ncpu = libbpf_num_possible_cpus(), c;

	kernel_up(&x, 4096, 256);
	/* a real scan: banned */
	cr_assert_eq(flood(x.h, "198.51.100.7", 1000, 1, 40, 40), XDP_DROP);
	cr_assert_eq(bpf_map_lookup_elem(x.l.bans_fd, &k, &b), 0, "198.51.100.7 is banned");
	mem[0] = live_memlock(x.l.behaviour_fd);
	mem[1] = live_memlock(x.l.bans_fd);
	mem[2] = live_memlock(x.l.peers_fd);

	/* ten million forged sources, one SYN each, each in its own /64 */
	cr_expect_eq(flood(x.h, "2001:db8::1", 443, 0, 1, 10000000), XDP_PASS);
	/* and a hundred thousand forged scanners, enough to fill max_bans */
	flood(x.h, "2001:db8:8000::1", 2000, 0, 20, 2000000);

	cr_expect_eq(bpf_map_lookup_elem(x.l.bans_fd, &k, &b), 0, "the ban is still there");
	cr_expect_eq(flood(x.h, "198.51.100.7", 80, 1, 1, 1), XDP_DROP, "and still drops");
	cr_expect_leq(entries(x.l.bans_fd, sizeof(k)), 256, "never more than max_bans");
	cr_expect_leq(entries(x.l.behaviour_fd, sizeof(k)), 4096, "counting state is bounded");
	cr_expect_eq(live_memlock(x.l.behaviour_fd), mem[0], "no memory grown");
	cr_expect_eq(live_memlock(x.l.bans_fd), mem[1]);
	cr_expect_eq(live_memlock(x.l.peers_fd), mem[2]);
	cr_assert_leq(ncpu, 512);
	cr_assert_eq(bpf_map_lookup_elem(x.l.stats_fd, &in, per), 0);
	for (c = 0; c < ncpu; c++)
		spared += per[c].detect[BOUCLIER_DT_SPARED_FULL];
	cr_expect_gt(spared, 0, "what did not fit is counted");
	kernel_down(&x);
}

/* The gate before the behaviour map (bouclier_first_seen): a source that
 * sends one packet takes no entry, and one that sends more has its first
 * probe counted all the same: a scan of exactly the threshold's ports is
 * banned at its last, one port fewer is not. */
Test(detect, a_source_seen_once_takes_no_entry_yet_its_first_probe_counts, .timeout = 120)
{
	struct kernel x;
	struct bouclier_detect_conf conf;
	__u32 zero = 0;

	kernel_up(&x, 4096, 256);
	cr_assert_eq(bpf_map_lookup_elem(x.l.detect_fd, &zero, &conf), 0);
	cr_assert_gt(conf.scan_bits, 2);

	cr_expect_eq(flood(x.h, "2001:db8::1", 443, 0, 1, 20000), XDP_PASS);
	cr_expect_eq(entries(x.l.behaviour_fd, sizeof(struct bouclier_addr_key)), 0,
		     "twenty thousand sources of one SYN each take no entry");

	cr_expect_eq(flood(x.h, "198.51.100.9", 1000, 1, conf.scan_bits, conf.scan_bits - 1),
		     XDP_PASS, "%u ports: not a scan yet", conf.scan_bits - 1);
	cr_expect_eq(flood(x.h, "198.51.100.10", 1000, 1, conf.scan_bits, conf.scan_bits),
		     XDP_DROP, "%u ports, the first kept by the gate: a scan", conf.scan_bits);
	cr_expect_eq(entries(x.l.behaviour_fd, sizeof(struct bouclier_addr_key)), 2,
		     "the two sources that came back are followed");
	kernel_down(&x);
}

/* [alert] is told of the bans detection made, together, once. */
Test(detect, an_alert_tells_the_bans_detection_made, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384], extra[512], log[256], script[256];
	FILE *f;

	snprintf(log, sizeof(log), "%s/alerts.log", lab.state);
	snprintf(script, sizeof(script), "%s/notify.sh", lab.state);
	sh("mkdir -p %s", lab.state);
	f = fopen(script, "w");
	cr_assert_not_null(f);
	fprintf(f, "#!/bin/sh\nprintf '%%s|%%s|%%s\\n' \"$BOUCLIER_EVENT\" \"$BOUCLIER_MESSAGE\" "
		   "\"$BOUCLIER_MESSAGE_FR\" >> %s\n", log);
	fclose(f);
	chmod(script, 0700);
	snprintf(extra, sizeof(extra), "ban = 1h\nmax_ban = 2h\n[alert]\ncommand = %s\n", script);
	detect_lab(extra);
	/* a list, so that the filter protects and the first look is quiet */
	lab_put("list.txt", "198.51.100.99\n");
	cr_assert_eq(bouclier_envf(out, sizeof(out), "feed load list %s/list.txt", lab.state), 0,
		     "%s", out);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "alert check"), 0, "%s", out);
	cr_expect(strstr(out, "0 alerts sent"), "the first look tells nothing: %s", out);
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "1000-1039", 1), 40);
	cr_assert_eq(probe("203.0.113.5", "192.0.2.1", "syn", "3389", 40), 40);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "alert check"), 0, "%s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "grep -c '^detected|' %s", log), 0);
	cr_expect_eq(atoi(out), 1, "one alert for both bans");
	cr_assert_eq(sh_out(out, sizeof(out), "cat %s", log), 0);
	cr_expect(strstr(out, "detected|Detectville: bouclier banned 2 sources by itself") &&
		  strstr(out, "198.51.100.7/32 (port scan") &&
		  strstr(out, "203.0.113.5/32 (password guessing (rdp)") &&
		  strstr(out, "a banni 2 sources de lui-même") &&
		  strstr(out, "(essais de mots de passe (rdp) : 30 connexions"), "%s", out);
	/* told once; the next ones wait min_interval, and come together */
	cr_assert_eq(probe("198.51.100.8", "192.0.2.1", "syn", "1000-1039", 1), 40);
	cr_assert_eq(bouclier_envf(out, sizeof(out), "alert check"), 0, "%s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "grep -c '^detected|' %s", log), 0);
	cr_expect_eq(atoi(out), 1, "the third ban waits for min_interval");
}

/* Guessing over UDP is banned although the town's server answers every
 * guess: an answer from the server's port does not make the guesser a peer
 * of the town (only what the town asks does). */
Test(detect, sip_guessing_is_banned_although_the_town_answers, .init = lab_up,
     .fini = lab_down, .timeout = 120)
{
	char out[256];
	int server;

	detect_lab(NULL);
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-wan python3 %s/tests/system/"
			    "frames.py answer 5060 30 > %s/answer.log 2>&1 & echo $!", lab.name,
			    lab.src, lab.state), 0);
	server = atoi(out);
	cr_assert_gt(server, 0);
	cr_assert_geq(wait_for(5, "grep -q ready %s/answer.log", lab.state), 0);
	cr_assert_eq(probe("198.51.100.66", "192.0.2.1", "sip", "5060", 31), 31);
	kill(server, SIGTERM);
	cr_expect_eq(ban_field("198.51.100.66/32", "service", "sip"), 1, "banned for guessing");
	cr_expect_eq(stat_detect("spared_contacted"), 0, "the server's answers made no peer");
	cr_expect_eq(stat_detect("banned"), 1);
}
