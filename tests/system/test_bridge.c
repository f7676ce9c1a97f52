// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The inline box: bouclier on the outside port of a bridge slipped in
 * between the provider's router and the town (tools/lab.sh bridge: NAME-net
 * the provider and the Internet, NAME-wan the box, br0 over out0 and in0,
 * NAME-lan the town).  Listed sources are dropped as they enter the bridge
 * and unlisted ones cross it; the town's machines cannot reach a listed
 * server and are named, by their own address or by the town router's
 * behind its NAT; the bridge device itself is refused; `watch` takes the
 * outside port back when it is created again, keeping it down until then;
 * nothing listed crosses while the lists change.  What arrives is counted
 * by nftables on the far side, whatever bouclier says.
 */
#include "lab.h"

#define N 10
#define BOX(cmd) "ip netns exec %s-wan " cmd
#define TOWN(cmd) "ip netns exec %s-lan " cmd
#define PROV(cmd) "ip netns exec %s-net " cmd

static void bridge_down(void)
{
	if (lab.name[0])
		sh("nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s "
		   "%s detach out0 >/dev/null 2>&1", lab.name, lab.pin, lab.state, lab.bin);
	unsetenv("BOUCLIER_CONFIG");
	lab_down();
}

static void bridge_up(void)
{
	const char *bin = getenv("BOUCLIER"), *src = getenv("BOUCLIER_SRC");
	char out[4096], conf[256];

	if (geteuid() != 0)
		cr_skip_test("end-to-end tests need root");
	if (!bin || !src)
		cr_skip_test("run through `make test` (BOUCLIER and BOUCLIER_SRC unset)");
	if (sh("command -v nsenter && command -v ip && command -v ping && command -v nft"))
		cr_skip_test("needs nsenter, ip, ping and nft (Debian packages util-linux, "
			     "iproute2, iputils-ping, nftables)");
	/* a prefix of its own: the two-namespace labs of other tests run beside */
	snprintf(lab.name, sizeof(lab.name), "bb%d", getpid());
	snprintf(lab.pin, sizeof(lab.pin), "/sys/fs/bpf/bouclier-bridge-%d", getpid());
	snprintf(lab.state, sizeof(lab.state), "/tmp/bouclier-bridge-%d", getpid());
	snprintf(lab.bin, sizeof(lab.bin), "%s", bin);
	snprintf(lab.src, sizeof(lab.src), "%s", src);
	if (sh_out(out, sizeof(out), "%s/tools/lab.sh bridge %s 2>&1", lab.src, lab.name)) {
		bridge_down();
		cr_skip_test("cannot make a bridge between network namespaces here: %s", out);
	}
	/* what arrives on either side, counted whatever bouclier says */
	cr_assert_eq(sh("printf 'table inet count {\\n chain in {\\n  type filter hook input "
			"priority 0;\\n  ip saddr 203.0.113.5 counter\\n  ip saddr 203.0.113.8 "
			"counter\\n  ip6 saddr 2001:db8:bad::7 counter\\n  ip6 saddr "
			"2001:db8:cafe::8 counter\\n }\\n}\\n' | " TOWN("nft -f -"), lab.name), 0);
	cr_assert_eq(sh("printf 'table inet count {\\n chain in {\\n  type filter hook input "
			"priority 0;\\n  ip daddr 203.0.113.66 counter\\n  ip daddr 203.0.113.68 "
			"counter\\n  ip6 daddr 2001:db8:c2::66 counter\\n }\\n}\\n' | "
			PROV("nft -f -"), lab.name), 0);
	snprintf(conf, sizeof(conf), "%s/bouclier.conf", lab.state);
	sh("mkdir -p %s && printf '[general]\\ntown = Pontlevis\\n' > %s", lab.state, conf);
	setenv("BOUCLIER_CONFIG", conf, 1);
	/* the bridge forwards once its ports are up; and the box knows its gateway */
	cr_assert_geq(wait_for(10, TOWN("ping -c 1 -W 1 203.0.113.68 >/dev/null"), lab.name), 0,
		      "the town reaches the Internet across the bridge");
	cr_assert_eq(sh(BOX("ping -c 1 -W 1 198.51.100.1 >/dev/null"), lab.name), 0);
}

/* Packets counted on arrival in ns's count table for a rule holding what. */
static long arrived(const char *ns, const char *what)
{
	char out[8192], *p;

	sh_out(out, sizeof(out), "ip netns exec %s-%s nft list chain inet count in", lab.name, ns);
	p = strstr(out, what);
	if (!p || !(p = strstr(p, "packets ")))
		return -1;
	return atol(p + 8);
}

static void feed(const char *name, const char *category, const char *text)
{
	char out[4096], path[256];

	snprintf(path, sizeof(path), "%s/%s.txt", lab.state, name);
	lab_put(strrchr(path, '/') + 1, text);
	cr_assert_eq(bouclierf(out, sizeof(out), "feed load %s %s --category %s", name, path,
			       category), 0, "%s", out);
}

static void feeds(void)
{
	feed("scan", "scanners", "203.0.113.5\n2001:db8:bad::7\n");
	feed("feodo", "botnet-c2", "203.0.113.66\n2001:db8:c2::66\n");
}

static json_t *weather_json(void)
{
	char out[65536];
	json_error_t jerr;
	json_t *j;

	cr_assert_eq(bouclier(out, sizeof(out), "weather --json"), 0, "%s", out);
	j = json_loads(out, 0, &jerr);
	cr_assert_not_null(j, "%s: %s", jerr.text, out);
	return j;
}

Test(bridge, the_bridge_device_is_refused_by_name, .init = bridge_up, .fini = bridge_down,
     .timeout = 60)
{
	char out[8192];

	cr_expect_eq(bouclier(out, sizeof(out), "attach br0"), 69, "%s", out);
	cr_expect(strstr(out, "br0 is a bridge over out0 and in0"), "%s", out);
	cr_expect(strstr(out, "sees only what this box itself receives"), "%s", out);
	cr_expect(strstr(out, "Attach the outside port, the one towards the gateway 198.51.100.1: "
			 "bouclier attach out0"), "says what to do: %s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "status"), 69, "nothing attached: %s", out);
	cr_expect_eq(sh(BOX("ip link show br0 | grep -q xdp"), lab.name), 1);

	/* the outside port is taken; the inside one beside it is refused */
	cr_assert_eq(bouclier(out, sizeof(out), "attach out0"), 0, "%s", out);
	cr_expect(strstr(out, "out0 is a port of the bridge br0"), "%s", out);
	cr_expect_eq(bouclier(out, sizeof(out), "attach in0"), 69, "%s", out);
	cr_expect(strstr(out, "ports of the same bridge br0"), "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "attach out0"), 0, "twice: nothing to do: %s", out);
}

Test(bridge, filters_what_crosses_both_ways, .init = bridge_up, .fini = bridge_down,
     .timeout = 120)
{
	char out[16384];
	json_t *j, *h;

	cr_assert_eq(bouclier(out, sizeof(out), "attach out0"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "status"), 0, "%s", out);
	cr_expect(strstr(out, "filtering out0 (") && strstr(out, "bridge br0, outside port out0"),
		  "%s", out);
	cr_expect(strstr(out, "the way out: filtered"), "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "status --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"name\":\"out0\"") && strstr(out, "\"bridge\":\"br0\""), "%s", out);
	feeds();

	/* on the way in: what enters the bridge by the outside port */
	cr_expect_eq(ping_in("net", "203.0.113.5", "198.51.100.20", N), 0, "a listed source");
	cr_expect_eq(arrived("lan", "203.0.113.5 "), 0, "never reaches the town");
	cr_expect_eq(ping_in("net", "203.0.113.8", "198.51.100.20", N), N, "an unlisted one");
	cr_expect_geq(arrived("lan", "203.0.113.8 "), N, "crosses the bridge");
	cr_expect_eq(ping_in("net", "2001:db8:bad::7", "2001:db8:100::20", N), 0);
	cr_expect_eq(arrived("lan", "2001:db8:bad::7 "), 0);
	cr_expect_eq(ping_in("net", "2001:db8:cafe::8", "2001:db8:100::20", N), N);
	cr_expect_eq(ping_in("net", "203.0.113.5", "198.51.100.2", N), 0, "nor the box itself");

	/* on the way out: what leaves by it, from a machine with its own public
	 * address and from one behind the town's NAT */
	cr_expect_eq(ping_in("lan", "198.51.100.20", "203.0.113.66", N), 0);
	cr_expect_eq(ping_in("lan", "10.10.0.23", "203.0.113.66", N), 0);
	cr_expect_eq(ping_in("lan", "2001:db8:100::20", "2001:db8:c2::66", N), 0);
	cr_expect_eq(arrived("net", "203.0.113.66 "), 0, "the listed server never hears the town");
	cr_expect_eq(arrived("net", "2001:db8:c2::66 "), 0);
	cr_expect_eq(ping_in("lan", "198.51.100.20", "203.0.113.68", N), N);
	cr_expect_eq(ping_in("lan", "10.10.0.23", "203.0.113.68", N), N);

	j = weather_json();
	cr_expect_str_eq(json_string_value(json_object_get(j, "level")), "storm",
			 "a machine of the town calling a command server is a storm");
	cr_expect_geq(json_integer_value(json_object_get(json_object_get(json_object_get(j,
		      "figures"), "outbound"), "attempts")), 3 * N, "the weather counts each try");
	cr_expect_geq(json_integer_value(json_object_get(json_object_get(j, "figures"),
							 "packets")), 3 * N, "and what it dropped");
	h = outbound_host(j, "198.51.100.20");
	cr_assert_not_null(h, "the machine named by its own address: %s", json_dumps(j, 0));
	cr_expect_eq(json_integer_value(json_object_get(h, "attempts")), N);
	cr_expect(json_is_false(json_object_get(h, "behind_nat")), "no NAT on the box");
	h = outbound_host(j, "198.51.100.21");
	cr_assert_not_null(h, "behind the town's NAT: the town router's address");
	cr_expect_eq(json_integer_value(json_object_get(h, "attempts")), N);
	cr_expect_not_null(outbound_host(j, "2001:db8:100::20"));
	cr_expect_null(outbound_host(j, "10.10.0.23"), "a transparent box never sees behind the town's NAT");
	cr_expect_null(outbound_host(j, "198.51.100.2"), "nor is it the box's own address");
	json_decref(j);

	/* the automatic allowlist: the bridge's networks, where the town is */
	cr_assert_eq(bouclier(out, sizeof(out), "allow list"), 0, "%s", out);
	cr_expect(strstr(out, "198.51.100.0/24\t(automatic"), "%s", out);
	cr_expect(strstr(out, "2001:db8:100::/64\t(automatic"), "%s", out);
	feed("bogons", "bogons", "198.51.100.0/24\n");
	cr_expect_eq(ping_in("net", "198.51.100.1", "198.51.100.20", N), N,
		     "a list holding the town's own segment cannot cut it off");
}

/* br_netfilter passes bridged frames through conntrack once a rule wants
 * it: the egress program then finds an entry, without NAT, and names the
 * same machine, not as behind NAT. */
Test(bridge, conntrack_on_the_box_names_the_same_machine, .init = bridge_up,
     .fini = bridge_down, .timeout = 120)
{
	char out[8192];
	json_t *j, *h;

	if (sh(BOX("grep -qx 1 /proc/sys/net/bridge/bridge-nf-call-iptables"), lab.name))
		cr_skip_test("br_netfilter is not loaded, or does not pass bridged frames to "
			     "conntrack here");
	cr_assert_eq(sh("printf 'table inet box {\\n chain pass {\\n  type filter hook forward "
			"priority 0;\\n  ct state established,related counter accept\\n  ct state "
			"new counter\\n }\\n}\\n' | " BOX("nft -f -"), lab.name), 0);
	cr_assert_eq(bouclier(out, sizeof(out), "attach out0"), 0, "%s", out);
	feeds();
	cr_expect_eq(ping_in("lan", "198.51.100.20", "203.0.113.66", N), 0);
	cr_expect_eq(ping_in("lan", "10.10.0.23", "203.0.113.66", N), 0);
	cr_expect_eq(ping_in("lan", "198.51.100.20", "203.0.113.68", N), N);
	sh_out(out, sizeof(out), BOX("nft list chain inet box pass"), lab.name);
	cr_expect_null(strstr(out, "new counter packets 0 "), "conntrack saw the bridged "
		       "frames: %s", out);
	j = weather_json();
	h = outbound_host(j, "198.51.100.20");
	cr_assert_not_null(h);
	cr_expect(json_is_false(json_object_get(h, "behind_nat")), "a conntrack entry without "
		  "NAT is no NAT");
	h = outbound_host(j, "198.51.100.21");
	cr_assert_not_null(h);
	cr_expect(json_is_false(json_object_get(h, "behind_nat")));
	json_decref(j);
}

/* Holds the state lock, as a refresh does, until unlock(). */
static void lock_state(void)
{
	sh("touch %s/hold && (timeout 60 flock %s/lock sh -c 'touch %s/locked; while [ -e %s/hold ]; "
	   "do sleep 0.1; done' >/dev/null 2>&1 &)", lab.state, lab.state, lab.state, lab.state);
	cr_assert_geq(wait_for(5, "test -e %s/locked", lab.state), 0);
}

static void unlock_state(void)
{
	sh("rm -f %s/hold", lab.state);
}

static long wait_filtering(double seconds)
{
	return wait_for(seconds, "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
			"BOUCLIER_STATE_DIR=%s %s status >/dev/null 2>&1 && "
			BOX("ip link show out0 | grep -q 'state UP'"), lab.name, lab.pin,
			lab.state, lab.bin, lab.name);
}

/* bouclier on out0 with the lists, watch keeping it there, and the state
 * lock held, as a refresh holds it, until unlock_state(). */
static void watching_while_locked(void)
{
	char out[4096];

	cr_assert_eq(bouclier(out, sizeof(out), "attach out0"), 0, "%s", out);
	feeds();
	watch_start("out0");
	cr_assert_geq(wait_for(5, "grep -q 'out0: filtering' %s/watch.log", lab.state), 0);
	lock_state();
}

/* A replugged card, put back in the bridge and up by the network
 * configuration: watch links it to the live lists at once, even while a
 * refresh holds the state lock. */
Test(bridge, watch_takes_the_outside_port_back, .init = bridge_up, .fini = bridge_down,
     .timeout = 180)
{
	char out[16384];
	long ms;

	watching_while_locked();
	cr_assert_eq(sh("%s/tools/lab.sh outside %s", lab.src, lab.name), 0);
	ms = wait_filtering(5);
	cr_expect(ms >= 0 && ms <= 1500, "filtering again %ld ms after the port came back", ms);
	cr_expect_geq(wait_for(5, PROV("ping -c 1 -W 1 -I 203.0.113.8 198.51.100.20 >/dev/null"),
			       lab.name), 0);
	cr_expect_eq(ping_in("net", "203.0.113.5", "198.51.100.20", N), 0, "listed: dropped");
	cr_expect_eq(ping_in("net", "203.0.113.8", "198.51.100.20", N), N, "unlisted: crosses");
	cr_expect_eq(ping_in("lan", "198.51.100.20", "203.0.113.66", N), 0);
	cr_expect_eq(arrived("lan", "203.0.113.5 "), 0);
	unlock_state();
	cr_expect_eq(sh("grep -q 'out0: filtering again' %s/watch.log", lab.state), 0);
	cr_expect_neq(sh("grep -q 'set down' %s/watch.log", lab.state), 0, "never set down");
	cr_assert_eq(bouclier(out, sizeof(out), "status"), 0, "%s", out);
	cr_expect(strstr(out, "bridge br0, outside port out0"), "%s", out);
	cr_expect_eq(watch_stop(), 0);
	cr_expect_eq(bouclier(out, sizeof(out), "status"), 0, "the filter stays when watch stops");
}

/* Fail closed: a port watch cannot filter at once (its pins are gone, and
 * the lists wait for the state lock) is set down until it is filtered. */
Test(bridge, an_unfiltered_port_is_kept_down, .init = bridge_up, .fini = bridge_down,
     .timeout = 180)
{
	long ms;

	watching_while_locked();
	cr_assert_eq(sh("rm -rf %s", lab.pin), 0, "what a reboot, or a hand, leaves");
	ms = wait_for(10, BOX("ip link show out0 | grep -q 'state DOWN'"), lab.name);
	cr_expect(ms >= 0, "the port is set down while it is not filtered");
	cr_expect_eq(ping_in("net", "203.0.113.8", "198.51.100.20", 3), 0,
		     "nothing crosses the bridge meanwhile");
	cr_expect_eq(ping_in("lan", "198.51.100.20", "203.0.113.68", 3), 0, "either way");
	unlock_state();
	ms = wait_filtering(40);
	cr_assert_geq(ms, 0, "filtering again, and up, once the lists are live");
	cr_expect_geq(wait_for(5, PROV("ping -c 1 -W 1 -I 203.0.113.8 198.51.100.20 >/dev/null"),
			       lab.name), 0);
	cr_expect_eq(ping_in("net", "203.0.113.5", "198.51.100.20", N), 0, "with its lists");
	cr_expect_eq(ping_in("net", "203.0.113.8", "198.51.100.20", N), N);
	cr_expect_eq(sh("grep -q 'out0: a bridge port that bouclier does not filter: set down' "
			"%s/watch.log && grep -q 'out0: filtered; up again' %s/watch.log",
			lab.state, lab.state), 0, "watch says what it did");
}

/* A port set down stays known across a restart of watch (a crash, an
 * upgrade): the next watch brings it up once it filters, and not before. */
Test(bridge, a_port_set_down_is_brought_up_by_the_next_watch, .init = bridge_up,
     .fini = bridge_down, .timeout = 180)
{
	long ms;

	watching_while_locked();
	cr_assert_eq(sh("rm -rf %s", lab.pin), 0);
	ms = wait_for(10, BOX("ip link show out0 | grep -q 'state DOWN'"), lab.name);
	cr_assert_geq(ms, 0, "set down while it is not filtered");
	watch_stop(); /* killed, as a crash would, when it waits for the lock */
	cr_expect_eq(sh(BOX("ip link show out0 | grep -q 'state DOWN'"), lab.name), 0,
		     "still down: nothing filters it");
	watch_start("out0");
	cr_expect_geq(wait_for(5, "grep -q 'out0: set down by an earlier watch' %s/watch.log",
			       lab.state), 0, "the next watch knows");
	cr_expect_eq(sh(BOX("ip link show out0 | grep -q 'state DOWN'"), lab.name), 0,
		     "and keeps it down while the lists wait for the lock");
	unlock_state();
	ms = wait_filtering(40);
	cr_assert_geq(ms, 0, "filtering, and up, once the lists are live");
	cr_expect_eq(sh("grep -q 'out0: filtered; up again' %s/watch.log", lab.state), 0);
	cr_expect_neq(sh("ls %s/held.out0 2>/dev/null", lab.state), 0, "the mark is gone");
}

/* Twenty swaps of the lists while a listed source sends to the town and the
 * town calls a listed server, each 1500 packets in 3 s: not one arrives,
 * while the unlisted streams beside them do. */
Test(bridge, nothing_listed_crosses_while_lists_change, .init = bridge_up,
     .fini = bridge_down, .timeout = 180)
{
	char out[16384];
	int i;

	cr_assert_eq(bouclier(out, sizeof(out), "attach out0"), 0, "%s", out);
	for (i = 0; i < 2; i++) {
		char name[32], text[512];
		int k, at = 0;

		at += snprintf(text + at, sizeof(text) - at, "203.0.113.5\n203.0.113.66\n");
		for (k = 0; k < 10; k++)
			at += snprintf(text + at, sizeof(text) - at, "203.0.113.%d\n",
				       100 + i * 10 + k);
		snprintf(name, sizeof(name), "swap%d.txt", i);
		lab_put(name, text);
	}
	cr_assert_eq(bouclierf(out, sizeof(out), "feed load mix %s/swap0.txt --category botnet-c2",
			       lab.state), 0, "%s", out);
	cr_assert_eq(sh("timeout 60 sh -c '"
			PROV("ping -q -n -i 0.002 -c 1500 -W 1 -I 203.0.113.5 198.51.100.20 "
			     ">/dev/null 2>&1 & ")
			PROV("ping -q -n -i 0.002 -c 1500 -W 1 -I 203.0.113.8 198.51.100.20 "
			     ">/dev/null 2>&1 & ")
			TOWN("ping -q -n -i 0.002 -c 1500 -W 1 -I 198.51.100.20 203.0.113.66 "
			     ">/dev/null 2>&1 & ")
			TOWN("ping -q -n -i 0.002 -c 1500 -W 1 -I 198.51.100.20 203.0.113.68 "
			     ">/dev/null 2>&1 & ")
			"for i in $(seq 1 20); do nsenter --net=/run/netns/%s-wan env "
			"BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s %s feed load mix "
			"%s/swap$((i %% 2)).txt --category botnet-c2 >/dev/null 2>&1 || exit 1; "
			"done; wait'", lab.name, lab.name, lab.name, lab.name, lab.name,
			lab.pin, lab.state, lab.bin, lab.state), 0, "twenty swaps under traffic");
	cr_expect_eq(arrived("lan", "203.0.113.5 "), 0, "no listed packet crossed the bridge in");
	cr_expect_eq(arrived("net", "203.0.113.66 "), 0, "nor out");
	cr_expect_gt(arrived("lan", "203.0.113.8 "), 1000, "while the unlisted stream crossed");
	cr_expect_gt(arrived("net", "203.0.113.68 "), 1000);
	cr_assert_eq(bouclier(out, sizeof(out), "status"), 0, "%s", out);
}
