// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The region defends together, end to end: three towns in namespaces, each
 * with its own bouclier, on links to one Internet namespace that holds a
 * scanner and the region's web server.  The scanner attacks town A, which
 * detects and bans it; A's report reaches the observatory, which publishes
 * the signed list; towns B and C fetch it over HTTP with bouclier-fetch,
 * verify it, and drop the scanner's first packet.  A tampered list and a
 * replayed older one are refused in B, its list still live.
 *
 * Documentation addresses only: the towns' links are 192.0.2.0/30, .4/30
 * and .8/30; the scanners 198.51.100.66 and .67; the web server
 * 203.0.113.80, all confined to the namespaces the test makes and removes.
 */
#include <signal.h>
#include <time.h>
#include "run.h"

static struct {
	char name[32], dir[128], bin[512], src[512];
	int http_pid;
} R;

static const char towns[3] = { 'a', 'b', 'c' };

/* A command in town t's namespace, with its own pins, state and
 * configuration in the environment; BOUCLIER names the command, so
 * bouclier-fetch runs it too. */
static int in_town(char *out, size_t len, int t, const char *cmd)
{
	return sh_out(out, len, "nsenter --net=/run/netns/%s-%c env BOUCLIER_PIN_DIR=/sys/fs/bpf/"
		      "%s-%c BOUCLIER_STATE_DIR=%s/%c BOUCLIER_CONFIG=%s/%c.conf BOUCLIER=%s "
		      "FETCH_SPLAY=0 FETCH_RETRIES=0 FETCH_TIMEOUT=10 %s 2>&1", R.name, towns[t],
		      R.name, towns[t], R.dir, towns[t], R.dir, towns[t], R.bin, cmd);
}

/* bouclier ARGS in town t. */
static int town(char *out, size_t len, int t, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int town(char *out, size_t len, int t, const char *fmt, ...)
{
	char cmd[1536];
	va_list ap;
	int n;

	n = snprintf(cmd, sizeof(cmd), "%s ", R.bin);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
	va_end(ap);
	return in_town(out, len, t, cmd);
}

/* bouclier-fetch in town t: download the region's list, then refresh. */
static int fetch(char *out, size_t len, int t)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "%s/tools/bouclier-fetch --no-delay", R.src);
	return in_town(out, len, t, cmd);
}

/* Probes from the Internet's side into town t (frames.py probe). */
static int probe(int t, const char *src, const char *kind, const char *ports, int repeat)
{
	char out[256], mac[64];

	cr_assert_eq(sh_out(mac, sizeof(mac), "ip -n %s-%c -o link show wan0 | sed 's/.*link\\/"
			    "ether \\([0-9a-f:]*\\).*/\\1/' | tr -d '\\n'", R.name, towns[t]), 0);
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-net python3 %s/tests/system/"
			    "frames.py probe n%c %s %s 192.0.2.%d %s %s %d", R.name, R.src,
			    towns[t], mac, src, 4 * t + 1, kind, ports, repeat), 0, "%s", out);
	return atoi(out);
}

static int ping_into(int t, const char *src, int count)
{
	char out[4096];

	sh_out(out, sizeof(out), "ip netns exec %s-net ping -4 -n -q -c %d -i 0.05 -W 1 -I %s "
	       "192.0.2.%d", R.name, count, src, 4 * t + 1);
	return ping_received(out);
}

static void region_down(void)
{
	int t;

	if (!R.name[0])
		return;
	if (R.http_pid > 0)
		kill(R.http_pid, SIGTERM);
	for (t = 0; t < 3; t++) {
		town(NULL, 0, t, "detach wan0 >/dev/null");
		sh("rm -rf /sys/fs/bpf/%s-%c; ip netns del %s-%c 2>/dev/null", R.name, towns[t],
		   R.name, towns[t]);
	}
	sh("ip netns del %s-net 2>/dev/null; rm -rf %s", R.name, R.dir);
	R.name[0] = 0;
}

static void region_up(void)
{
	const char *bin = getenv("BOUCLIER"), *src = getenv("BOUCLIER_SRC");
	char out[4096];
	int t;

	if (geteuid() != 0)
		cr_skip_test("the region's test needs root");
	if (!bin || !src)
		cr_skip_test("run through `make test` (BOUCLIER and BOUCLIER_SRC unset)");
	if (sh("command -v nsenter && command -v curl && python3 -c 'import http.server'"))
		cr_skip_test("needs nsenter, curl and python3");
	snprintf(R.name, sizeof(R.name), "rg%d", getpid());
	snprintf(R.dir, sizeof(R.dir), "/tmp/bouclier-region-%d", getpid());
	snprintf(R.bin, sizeof(R.bin), "%s", bin);
	snprintf(R.src, sizeof(R.src), "%s", src);
	if (sh("ip netns add %s-net && ip -n %s-net link set lo up && "
	       "ip -n %s-net addr add 198.51.100.66/32 dev lo && "
	       "ip -n %s-net addr add 198.51.100.69/32 dev lo && "
	       "ip -n %s-net addr add 203.0.113.80/32 dev lo", R.name, R.name, R.name, R.name,
	       R.name)) {
		region_down();
		cr_skip_test("cannot create network namespaces here");
	}
	for (t = 0; t < 3; t++) {
		int a = 4 * t;

		cr_assert_eq(sh("ip netns add %s-%c && ip -n %s-%c link set lo up && "
				"ip link add wan0 netns %s-%c type veth peer name n%c netns %s-net && "
				"ip -n %s-%c addr add 192.0.2.%d/30 dev wan0 && "
				"ip -n %s-net addr add 192.0.2.%d/30 dev n%c && "
				"ip -n %s-%c link set wan0 up && ip -n %s-net link set n%c up && "
				"ip -n %s-%c route add default via 192.0.2.%d && "
				"ip netns exec %s-net ethtool -K n%c gro on >/dev/null 2>&1; "
				"ip netns exec %s-%c ethtool -K wan0 gro on >/dev/null 2>&1; true",
				R.name, towns[t], R.name, towns[t], R.name, towns[t], towns[t], R.name,
				R.name, towns[t], a + 1, R.name, a + 2, towns[t], R.name, towns[t],
				R.name, towns[t], R.name, towns[t], a + 2, R.name, towns[t], R.name,
				towns[t]), 0, "town %c", towns[t]);
	}
	cr_assert_eq(sh("mkdir -p %s/www %s/reports %s/a %s/b %s/c && %s keygen %s/region.key "
			">/dev/null", R.dir, R.dir, R.dir, R.dir, R.dir, R.bin, R.dir), 0);
	/* A: detection only; B and C: the region's list, from the web server */
	cr_assert_eq(sh("printf '[general]\\ntown = Town A\\n[detect]\\nban = 1h\\n' > %s/a.conf",
			R.dir), 0);
	for (t = 1; t < 3; t++)
		cr_assert_eq(sh("printf '[general]\\ntown = Town %c\\n[feed region]\\n"
				"url = http://203.0.113.80:8080/region.list\\nverify = %s/region.key.pub\\n"
				"category = region\\n' > %s/%c.conf", 'A' + t, R.dir, R.dir,
				towns[t]), 0);
	for (t = 0; t < 3; t++)
		cr_assert_eq(town(out, sizeof(out), t, "attach wan0"), 0, "town %c: %s", towns[t],
			     out);
	/* the region's web server, bounded in time */
	cr_assert_eq(sh_out(out, sizeof(out), "ip netns exec %s-net timeout 300 python3 -m "
			    "http.server 8080 --bind 203.0.113.80 --directory %s/www >/dev/null "
			    "2>&1 & echo $!", R.name, R.dir), 0);
	R.http_pid = atoi(out);
}

/* The observatory publishes the towns' reports found in reports/. */
static void publish(void)
{
	char out[4096];

	cr_assert_eq(sh_out(out, sizeof(out), "%s observatory %s/reports --publish %s/www/region.list "
			    "--key %s/region.key --min-towns 1 --window 24h 2>&1", R.bin, R.dir,
			    R.dir, R.dir), 0, "%s", out);
}

static long long region_entries(int t)
{
	char out[16384], *p;

	cr_assert_eq(town(out, sizeof(out), t, "feed list --json"), 0, "%s", out);
	p = strstr(out, "\"name\":\"region\"");
	cr_assert_not_null(p, "%s", out);
	p = strstr(p, "\"entries\":");
	return p ? atoll(p + 10) : -1;
}

Test(region, a_source_one_town_detects_is_dropped_by_the_others_first_packet,
     .init = region_up, .fini = region_down, .timeout = 240)
{
	char out[65536];
	int t;

	/* before: every town answers the scanner's pings */
	for (t = 0; t < 3; t++)
		cr_expect_eq(ping_into(t, "198.51.100.69", 1), 1, "town %c", towns[t]);
	/* the scanner attacks A: detected and banned there */
	cr_assert_eq(probe(0, "198.51.100.66", "syn", "1000-1039", 1), 40);
	cr_assert_eq(town(out, sizeof(out), 0, "ban list"), 0, "%s", out);
	cr_expect(strstr(out, "198.51.100.66/32") && strstr(out, "port scan"), "%s", out);
	/* A's report reaches the observatory, which publishes the signed list */
	cr_assert_eq(town(out, sizeof(out), 0, "weather --json > %s/reports/a.json", R.dir), 0,
		     "%s", out);
	publish();
	cr_assert_eq(sh("grep -q '^198.51.100.66' %s/www/region.list && test -s "
			"%s/www/region.list.sig", R.dir, R.dir), 0, "the scanner in the list");
	/* B and C fetch it over HTTP, verify it, and drop the scanner's first
	 * packet: a ping for B, a SYN for C */
	for (t = 1; t < 3; t++) {
		cr_assert_eq(fetch(out, sizeof(out), t),
			     0, "town %c: %s", towns[t], out);
		cr_expect_eq(region_entries(t), 1, "town %c", towns[t]);
	}
	cr_expect_eq(ping_into(1, "198.51.100.66", 2), 0, "B drops the scanner at once");
	cr_expect_eq(ping_into(1, "198.51.100.69", 1), 1, "B passes others");
	cr_assert_eq(probe(2, "198.51.100.66", "syn", "22", 1), 1);
	cr_assert_eq(town(out, sizeof(out), 2, "stats --json"), 0, "%s", out);
	cr_expect(strstr(out, "\"name\":\"region\",\"category\":\"region\",\"dropped_packets\":1"),
		  "C dropped its first SYN by the region's list: %s", out);
	cr_assert_eq(town(out, sizeof(out), 2, "why 198.51.100.66"), 0, "%s", out);
	cr_expect(strstr(out, "listed by feed region"), "%s", out);

	/* a tampered list: refused in B, its list still live */
	sleep(2);
	cr_assert_eq(sh("cp -p %s/www/region.list %s/good.list && cp -p %s/www/region.list.sig "
			"%s/good.list.sig && sed -i 's/^198.51.100.66/198.51.100.69/' "
			"%s/www/region.list && touch %s/www/region.list.sig", R.dir, R.dir, R.dir,
			R.dir, R.dir, R.dir), 0);
	cr_expect_neq(fetch(out, sizeof(out), 1), 0,
		      "%s", out);
	cr_expect_eq(ping_into(1, "198.51.100.66", 1), 0, "the old list stays live");
	cr_expect_eq(ping_into(1, "198.51.100.69", 1), 1, "the tampered entry never took");

	/* a new list (the second scanner, seen by A), then the old one replayed;
	 * each served a second after the last fetch, or its Last-Modified
	 * (whole seconds) would answer the fetch's If-Modified-Since with 304 */
	cr_assert_eq(probe(0, "198.51.100.69", "syn", "2000-2039", 1), 40);
	cr_assert_eq(town(out, sizeof(out), 0, "weather --json > %s/reports/a.json", R.dir), 0,
		     "%s", out);
	sleep(2);
	publish();
	cr_assert_eq(fetch(out, sizeof(out), 1), 0,
		     "%s", out);
	cr_expect_eq(region_entries(1), 2);
	cr_expect_eq(ping_into(1, "198.51.100.69", 1), 0, "the new list is live");
	cr_expect_eq(ping_into(1, "198.51.100.66", 1), 0);
	sleep(2);
	cr_assert_eq(sh("cp %s/good.list %s/www/region.list && cp %s/good.list.sig "
			"%s/www/region.list.sig && touch %s/www/region.list %s/www/region.list.sig",
			R.dir, R.dir, R.dir, R.dir, R.dir, R.dir), 0);
	cr_expect_neq(fetch(out, sizeof(out), 1), 0,
		      "a replayed older list is refused: %s", out);
	cr_expect_eq(region_entries(1), 2, "the newer list stays");
	cr_expect_eq(ping_into(1, "198.51.100.69", 1), 0);
}
