// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The WAN link in real life: an interface deleted and created again (what a
 * PPPoE redial does), addresses and a gateway that DHCP gives after attach,
 * links whose frames start at the IP header (tun), PPPoE session frames on
 * Ethernet, a link that cannot be filtered, and the reports while nothing
 * is filtered.
 */
#include <time.h>
#include "lab.h"

#define N 10

static void feed(const char *text)
{
	char path[256], cmd[512], out[4096];
	FILE *f;

	sh("mkdir -p %s", lab.state);
	snprintf(path, sizeof(path), "%s/list.txt", lab.state);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "feed load lab %s", path);
	cr_assert_eq(bouclier(out, sizeof(out), cmd), 0, "%s", out);
}

static const char *lookup(const char *addr)
{
	static char out[1024];
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "lookup %s", addr);
	bouclier(out, sizeof(out), cmd);
	return out;
}

static void relink(void)
{
	cr_assert_eq(sh("%s/tools/lab.sh relink %s", lab.src, lab.name), 0);
}

Test(link, a_deleted_interface_is_never_reported_as_filtered, .init = lab_up, .fini = lab_down,
     .timeout = 120)
{
	char out[16384], conf[256];

	snprintf(conf, sizeof(conf), "%s/bouclier.conf", lab.state);
	sh("mkdir -p %s && printf '[general]\\ntown = Redial\\n' > %s", lab.state, conf);
	setenv("BOUCLIER_CONFIG", conf, 1);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	feed("198.51.100.7\n");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), 0);

	cr_assert_eq(sh("ip -n %s-wan link del wan0", lab.name), 0);
	cr_expect_eq(bouclier(out, sizeof(out), "status"), 69, "not filtering anywhere: %s", out);
	cr_expect(strstr(out, "NOT filtering wan0: the interface is gone"), "%s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "weather --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"level\":\"unknown\""), "never sunny while nothing is filtered: %s",
		  out);
	cr_expect(strstr(out, "not running on any interface"), "%s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "weather --format prom"), 0, "%s", out);
	cr_expect(strstr(out, "bouclier_up{town=\"Redial\"} 0"), "%s", out);

	/* The interface comes back with a new index: attach takes it at once. */
	relink();
	cr_expect_eq(bouclier(out, sizeof(out), "status"), 69, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "the stale link pin is "
		     "replaced: %s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "status"), 0, "%s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), 0, "the lists came back with it");
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", N), N);
	unsetenv("BOUCLIER_CONFIG");
}

Test(link, watch_survives_a_redial_and_follows_dhcp, .init = lab_up, .fini = lab_down,
     .timeout = 180)
{
	char out[16384];
	long ms;

	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	/* a bogon list holds the provider's private range */
	feed("10.0.0.0/8\n198.51.100.7\n");
	watch_start("wan0");
	ms = wait_for(5, "grep -q 'wan0: filtering' %s/watch.log", lab.state);
	cr_assert_geq(ms, 0, "watch did not start");

	/* PPPoE redial: the interface is deleted and created again */
	relink();
	ms = wait_for(5, "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		      "BOUCLIER_STATE_DIR=%s %s status >/dev/null 2>&1", lab.name, lab.pin,
		      lab.state, lab.bin);
	cr_expect(ms >= 0 && ms <= 1500, "filtering again %ld ms after the interface came back, "
		  "with no command typed", ms);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), 0, "listed sources dropped again");
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", N), N);
	cr_expect_eq(sh("grep -q 'wan0: the interface is gone' %s/watch.log", lab.state), 0);

	/* DHCP gives an address and a gateway inside the listed 10/8 */
	cr_expect(strstr(lookup("10.9.0.1"), "dropped"), "%s", lookup("10.9.0.1"));
	sh("ip -n %s-net addr add 10.9.0.1/24 dev net0", lab.name);
	sh("ip -n %s-wan addr add 10.9.0.2/24 dev wan0 && ip -n %s-wan route add default via "
	   "10.9.0.1", lab.name, lab.name);
	ms = wait_for(5, "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		      "BOUCLIER_STATE_DIR=%s %s lookup 10.9.0.1 | grep -q allowlist", lab.name,
		      lab.pin, lab.state, lab.bin);
	cr_expect(ms >= 0 && ms <= 1500, "the gateway allowed %ld ms after DHCP", ms);
	cr_expect_eq(ping_from("10.9.0.1", "10.9.0.2", N), N, "the provider box is never dropped");
	cr_expect_eq(sh("grep -q 'automatic allowlist:.*+10.9.0.0/24' %s/watch.log", lab.state), 0,
		     "the change is logged");
	cr_assert_eq(bouclier(out, sizeof(out), "allow list"), 0, "%s", out);
	cr_expect(strstr(out, "10.9.0.0/24\t(automatic") && !strstr(out, "NOT YET LIVE"), "%s", out);

	/* the lease ends: the range is listed again */
	sh("ip -n %s-wan route del default via 10.9.0.1; ip -n %s-wan addr del 10.9.0.2/24 "
	   "dev wan0", lab.name, lab.name);
	ms = wait_for(5, "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		      "BOUCLIER_STATE_DIR=%s %s lookup 10.9.0.1 | grep -q dropped", lab.name,
		      lab.pin, lab.state, lab.bin);
	cr_expect(ms >= 0 && ms <= 1500, "%ld ms", ms);

	/* someone removes our program by hand: watch puts it back */
	cr_assert_eq(sh("bpftool link detach pinned %s/bouclier_link_wan0", lab.pin), 0);
	ms = wait_for(8, "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		      "BOUCLIER_STATE_DIR=%s %s status >/dev/null 2>&1", lab.name, lab.pin,
		      lab.state, lab.bin);
	cr_expect(ms >= 0, "watch attaches again after a removal");
	cr_expect_eq(sh("grep -q \"no longer on it\" %s/watch.log", lab.state), 0);

	/* SIGTERM: watching stops, the filter stays */
	watch_stop();
	cr_expect_eq(wait_for(3, "grep -q 'no longer watching' %s/watch.log", lab.state) >= 0, 1);
	cr_expect_eq(bouclier(out, sizeof(out), "status"), 0, "still attached: %s", out);
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", N), 0);
}

/* A tun device: frames start at the IP header (ppp and WireGuard alike). */
Test(link, a_tun_link_is_filtered, .init = lab_up, .fini = lab_down, .timeout = 90)
{
	char out[16384];
	const char *frames;
	char script[600];

	snprintf(script, sizeof(script), "%s/tests/system/frames.py", lab.src);
	frames = script;
	if (sh("ip -n %s-wan tuntap add mode tun name tun9", lab.name))
		cr_skip_test("no tun device here");
	sh("ip -n %s-wan addr add 10.99.0.1/24 dev tun9 && ip -n %s-wan link set tun9 up && "
	   "ip -n %s-wan route add 198.51.100.96/27 dev tun9", lab.name, lab.name, lab.name);
	cr_assert_eq(bouclier(out, sizeof(out), "attach tun9"), 0, "%s", out);
	cr_expect(strstr(out, "raw IP frames"), "%s", out);
	feed("198.51.100.100\n");
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-wan python3 %s tun tun9 "
			    "198.51.100.101 10.99.0.1 20", lab.name, frames), 0, "%s", out);
	cr_expect_eq(atoi(out), 20, "unlisted frames reach the stack and are answered: %s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-wan python3 %s tun tun9 "
			    "198.51.100.100 10.99.0.1 20", lab.name, frames), 0, "%s", out);
	cr_expect_eq(atoi(out), 0, "0 of 20 frames from a listed source reach the stack: %s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "stats --json"), 0, "%s", out);
	cr_expect_eq(json_num(out, "\"drop\"", "packets"), 20, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "status"), 0, "%s", out);
	cr_expect(strstr(out, "filtering tun9"), "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "detach tun9"), 0, "%s", out);
}

/* PPPoE session frames on the Ethernet link under a PPPoE client. */
Test(link, pppoe_session_frames_are_filtered, .init = lab_up, .fini = lab_down, .timeout = 90)
{
	char out[16384], mac[64], script[600];

	snprintf(script, sizeof(script), "%s/tests/system/frames.py", lab.src);
	cr_assert_eq(sh_out(mac, sizeof(mac), "cat /proc/self/net/dev >/dev/null; ip -n %s-wan "
			    "-o link show wan0 | sed 's/.*link.ether \\([0-9a-f:]*\\).*/\\1/'",
			    lab.name), 0);
	mac[strcspn(mac, "\n")] = 0;
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	feed("198.51.100.7\n");
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-net python3 %s pppoe net0 %s "
			    "198.51.100.7 192.0.2.1 15", lab.name, script, mac), 0, "%s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-net python3 %s pppoe net0 %s "
			    "198.51.100.8 192.0.2.1 9", lab.name, script, mac), 0, "%s", out);
	usleep(200 * 1000);
	cr_assert_eq(bouclier(out, sizeof(out), "stats --json"), 0, "%s", out);
	cr_expect_eq(json_num(out, "\"drop\"", "packets"), 15, "listed PPPoE frames dropped: %s",
		     out);
	cr_expect_eq(json_num(out, "\"nonip\"", "packets") < 9, 1, "PPPoE is not \"nonip\": %s",
		     out);
	cr_expect_geq(json_num(out, "\"pass\"", "packets"), 9, "unlisted ones passed: %s", out);
}

Test(link, a_link_that_cannot_be_filtered_is_refused_by_name, .init = lab_up,
     .fini = lab_down, .timeout = 60)
{
	char out[8192];

	/* an 802.11 monitor interface (ARPHRD_IEEE80211_RADIOTAP, 803): frames
	 * start with a radiotap header.  A tun device takes the type with no
	 * module needed. */
	if (sh("ip -n %s-wan tuntap add mode tun name mon9", lab.name))
		cr_skip_test("no tun device here");
	cr_assert_eq(sh("ip netns exec %s-wan python3 %s/tests/system/frames.py linktype mon9 803",
			lab.name, lab.src), 0);
	cr_expect_eq(bouclier(out, sizeof(out), "attach mon9"), 69, "%s", out);
	cr_expect(strstr(out, "mon9 is a link of type 802.11 monitor (803)"), "names the type: %s",
		  out);
	cr_expect_neq(sh("test -e %s/bouclier_link_mon9", lab.pin), 0, "nothing pinned");
}
