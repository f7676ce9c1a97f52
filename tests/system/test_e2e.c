// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * End to end: the real command attaches the real program to a veth in a
 * namespace, real pings arrive from listed and unlisted sources.
 */
#include "lab.h"

#define N 20

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

Test(e2e, listed_sources_never_arrive_and_others_do, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[65536], feed[256], cmd[512];

	snprintf(feed, sizeof(feed), "%s/scanners.txt", lab.state);
	sh("mkdir -p %s", lab.state);
	write_file(feed, "# lab feed\n198.51.100.7\n203.0.113.0/24\n2001:db8:bad::/48\n"
			 "192.0.2.0/24   # the town's own link: the automatic allowlist wins\n");

	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "attach twice: %s", out);
	cr_assert(strstr(out, "already attached"), "%s", out);
	snprintf(cmd, sizeof(cmd), "feed load scanners %s --category scanners", feed);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);

	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), 0, "listed IPv4 host got through");
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", N), 0, "listed IPv4 /24 got through");
	cr_expect_eq(ping_from("2001:db8:bad::7", "2001:db8:1::1", N), 0,
		     "listed IPv6 prefix got through");
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", N), N, "unlisted IPv4 was dropped");
	cr_expect_eq(ping_from("2001:db8:cafe::8", "2001:db8:1::1", N), N,
		     "unlisted IPv6 was dropped");
	cr_expect_eq(ping_from("192.0.2.2", "192.0.2.1", N), N,
		     "the link's own network is allowed automatically");

	cr_assert_eq(bouclier(out, sizeof(out), "stats --json"), 0, "%s", out);
	cr_expect_eq(json_num(out, "\"drop\"", "packets"), 3 * N, "drops counted: %s", out);
	cr_expect_eq(json_num(out, "\"icmp\"", "dropped_packets"), 3 * N, "%s", out);
	cr_expect_eq(json_num(out, "\"ipv6\"", "dropped_packets"), N, "%s", out);
	cr_expect_eq(json_num(out, "\"scanners\"", "dropped_packets"), 3 * N, "%s", out);
	cr_expect_geq(json_num(out, "\"allow\"", "packets"), N, "%s", out);
	cr_expect_geq(json_num(out, "\"pass\"", "packets"), 2 * N, "%s", out);

	cr_assert_eq(bouclier(out, sizeof(out), "lookup 203.0.113.77"), 0, "%s", out);
	cr_expect(strstr(out, "dropped as a source (on the way in), listed by scanners"), "%s", out);

	/* Readable with the standard tool. */
	cr_assert_eq(sh_out(out, sizeof(out), "bpftool map dump pinned %s/bouclier_feeds", lab.pin),
		     0, "%s", out);
	cr_expect(strstr(out, "\"name\": \"scanners\""), "bpftool shows the feed: %.400s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "nsenter --net=/run/netns/%s-wan ip link show wan0",
			    lab.name), 0);
	cr_expect(strstr(out, "xdp"), "ip link shows the program: %s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "stat -c %%a %s/bouclier_stats", lab.pin), 0);
	cr_expect_eq(atoi(out), 600, "pins are 0600, got %s", out);

	/* The program stays attached after the command exits, and lists change live. */
	cr_assert_eq(bouclier(out, sizeof(out), "allow add 198.51.100.7"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), N, "allow add is live");
	cr_assert_eq(bouclier(out, sizeof(out), "allow del 198.51.100.7"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), 0, "allow del is live");
	cr_assert_eq(bouclier(out, sizeof(out), "feed remove scanners"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), N, "feed remove is live");

	cr_assert_eq(bouclier(out, sizeof(out), "detach wan0"), 0, "%s", out);
	cr_expect_neq(sh("test -e %s", lab.pin), 0, "detach left %s behind", lab.pin);
	sh_out(out, sizeof(out), "nsenter --net=/run/netns/%s-wan ip link show wan0", lab.name);
	cr_expect_null(strstr(out, "xdp"), "program still attached: %s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "status"), 69, "status after detach: %s", out);
}

Test(e2e, a_foreign_xdp_program_is_never_replaced, .init = lab_up, .fini = lab_down,
     .timeout = 60)
{
	char out[8192];

	cr_assert_eq(sh("ip -n %s-wan link set dev wan0 xdp obj %s/build/bare_pass.bpf.o sec xdp",
			lab.name, lab.src), 0);
	cr_expect_eq(bouclier(out, sizeof(out), "attach wan0"), 69, "%s", out);
	cr_expect(strstr(out, "bouclier did not attach"), "%s", out);
	cr_expect(strstr(out, "bare_pass"), "names the program: %s", out);
	cr_expect(strstr(out, "ip link set dev wan0 xdp off"), "says how to proceed: %s", out);
	sh_out(out, sizeof(out), "ip -n %s-wan link show wan0", lab.name);
	cr_expect(strstr(out, "xdp"), "the foreign program is still there: %s", out);
	cr_expect_neq(sh("test -e %s", lab.pin), 0, "a refused attach leaves no pins");
	sh("ip -n %s-wan link set dev wan0 xdp off", lab.name);
}

Test(e2e, bad_input_gets_a_clear_message_and_code, .init = lab_up, .fini = lab_down,
     .timeout = 60)
{
	char out[8192], cmd[512];

	cr_expect_eq(bouclier(out, sizeof(out), "attach nosuchif0"), 69, "%s", out);
	cr_expect(strstr(out, "no interface named \"nosuchif0\""), "%s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "attach wan0 --mode turbo"), 64, "%s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "frobnicate"), 64, "%s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "detach wan0"), 69, "not attached: %s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "feed load x /nonexistent/list.txt"), 66, "%s",
		     out);
	cr_expect(strstr(out, "/nonexistent/list.txt"), "%s", out);
	sh("mkdir -p %s && printf '# nothing listed today\\n' > %s/empty.txt", lab.state, lab.state);
	snprintf(cmd, sizeof(cmd), "feed load x %s/empty.txt", lab.state);
	cr_expect_eq(bouclier(out, sizeof(out), cmd), 65, "an empty feed is refused: %s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "allow add 010.0.0.1"), 65, "%s", out);
	cr_expect(strstr(out, "leading zero"), "%s", out);
	cr_expect_eq(sh_out(out, sizeof(out), "setpriv --reuid=65534 --regid=65534 --clear-groups "
			    "env BOUCLIER_PIN_DIR=%s %s attach lo 2>&1", lab.pin, lab.bin), 77,
		     "not root: %s", out);
	cr_expect(strstr(out, "needs root"), "%s", out);
}
