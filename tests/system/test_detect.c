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
#include <jansson.h>
#include <time.h>
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

/* [detect] with short bans for the test, then attached. */
static void detect_lab(const char *extra)
{
	char conf[1024], out[4096];

	snprintf(conf, sizeof(conf), "[general]\ntown = Detectville\n[detect]\nban = 3s\n"
		 "max_ban = 1m\n%s", extra ? extra : "");
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

	detect_lab("ban = 1h\nmax_ban = 2h\n");
	/* a SYN scan of 40 ports */
	cr_assert_eq(probe("198.51.100.7", "192.0.2.1", "syn", "1000-1039", 1), 40);
	cr_expect_eq(ban_field("198.51.100.7/32", "behaviour", "port scan"), 1);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "banned: its pings drop");
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
	cr_expect_eq(stat_detect("banned"), 5);
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

	detect_lab(NULL);
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

	detect_lab("action = monitor\n");
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

	detect_lab("ban = 1h\nmax_ban = 2h\n");
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
