// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * CrowdSec's Local API as a live source, end to end on the lab: `bouclier
 * watch wan0` polls a LAPI inside the lab's WAN namespace (on its own
 * loopback) and real pings from the Internet side say what it does.  First
 * a local server that answers as Debian 12's crowdsec 1.4.6 does
 * (tests/system/fake_lapi.py, the test writing each answer): a source in a
 * new decision is dropped within a poll or two, a deleted one passes again,
 * a captcha never blocks, a repeated deletion changes nothing, a restart
 * and a feed removed from the configuration are handled as lapi.h says, a
 * wrong key and a LAPI gone are said once and change nothing.  Then the
 * real LAPI (Debian's package unpacked into build/crowdsec by `make test`,
 * or an installed one, run by tests/system/lapi.sh), decisions added and
 * deleted with cscli; without it, the test says skip and why.
 */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "lab.h"

#define POLL_WAIT 8.0 /* s: a few polls of 1 s, a loaded machine included */

static pid_t fake;
static int port;
static char dir[256], conf[256], keyfile[256], crowdsec[600], cscli[600];
static bool real_lapi;

/* Written beside, then renamed: the server never reads half an answer. */
static void put(const char *path, const char *text, mode_t mode)
{
	char tmp[600];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	cr_assert_not_null(f, "%s", tmp);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(chmod(tmp, mode), 0);
	cr_assert_eq(rename(tmp, path), 0, "%s", path);
}

/* The configuration: one LAPI feed polled every second, or none. */
static void write_conf(bool with_feed)
{
	char text[1024];

	snprintf(text, sizeof(text), "[general]\ntown = Lapiville\n");
	if (with_feed)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
			 "[feed cs]\nlapi = http://127.0.0.1:%d/\napi_key_file = %s\n"
			 "lapi_interval = 1s\n", port, keyfile);
	put(conf, text, 0600);
}

static void paths(void)
{
	snprintf(dir, sizeof(dir), "%s/lapi", lab.state);
	snprintf(conf, sizeof(conf), "%s/bouclier.conf", lab.state);
	snprintf(keyfile, sizeof(keyfile), "%s/lapi.key", lab.state);
	cr_assert_eq(sh("mkdir -p %s && chmod 700 %s", dir, lab.state), 0);
}

static void fake_up(void)
{
	char buf[32] = { 0 }, script[600], server_key[300];
	int fds[2];

	lab_up();
	if (sh("command -v python3 >/dev/null"))
		cr_skip_test("needs python3");
	paths();
	/* the server's own copy: the test changes bouclier's */
	snprintf(server_key, sizeof(server_key), "%s/server.key", dir);
	put(server_key, "0123456789abcdef0123456789abcdef\n", 0600);
	put(keyfile, "0123456789abcdef0123456789abcdef\n", 0600);
	snprintf(script, sizeof(script), "%s/tests/system/fake_lapi.py", lab.src);
	cr_assert_eq(pipe(fds), 0);
	fake = fork();
	if (!fake) {
		char ns[128];

		dup2(fds[1], 1);
		snprintf(ns, sizeof(ns), "--net=/run/netns/%s-wan", lab.name);
		execlp("nsenter", "nsenter", ns, "python3", script, "--dir", dir, "--key-file",
		       server_key, "--max-seconds", "110", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	cr_assert_gt(read(fds[0], buf, sizeof(buf) - 1), 0, "the fake LAPI did not start");
	close(fds[0]);
	port = atoi(buf);
	cr_assert_gt(port, 0);
	write_conf(true);
}

static void fake_stop(void)
{
	if (fake > 0) {
		kill(fake, SIGTERM);
		waitpid(fake, NULL, 0);
	}
	fake = 0;
}

static void fake_down(void)
{
	fake_stop();
	lab_down();
}

/* Answers in the shapes the real one sends (tests/data/crowdsec146/). */
#define DECISION(dur, id, scenario, scope, type, value)                                         \
	"{\"duration\":\"" dur "\",\"id\":" #id ",\"origin\":\"cscli\",\"scenario\":\"" scenario \
	"\",\"scope\":\"" scope "\",\"type\":\"" type "\",\"value\":\"" value "\"}"

static void answer(const char *name, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	put(path, text, 0600);
}

static int bans_on(const char *prefix)
{
	return sh("nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s "
		  "%s --config %s ban list | grep -q '^%s '", lab.name, lab.pin, lab.state,
		  lab.bin, conf, prefix) == 0;
}

/* Waits for a timed ban on addr to come (want) or go (!want) in the live
 * map, which the programs read (timed.list is written just before it);
 * true when it did. */
static bool wait_ban(const char *addr, bool want)
{
	return wait_for(POLL_WAIT, "%s nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
			"BOUCLIER_STATE_DIR=%s %s lookup %s --json 2>/dev/null | grep -q '\"timed_until\":[0-9]'",
			want ? "" : "!", lab.name, lab.pin, lab.state, lab.bin, addr) >= 0;
}

static int lines(const char *file, const char *text)
{
	char out[32];

	sh_out(out, sizeof(out), "grep -c -- \"%s\" %s/%s", text, lab.state, file);
	return atoi(out);
}

static void start_watch(void)
{
	char args[512];

	snprintf(args, sizeof(args), "--config %s wan0", conf);
	watch_start(args);
}

Test(lapi, decisions_ban_and_lift_within_a_poll, .init = fake_up, .fini = fake_down,
     .timeout = 120)
{
	char out[16384];

	answer("startup.json", "{\"deleted\":null,\"new\":["
	       DECISION("29m58.660715858s", 3, "manual 'captcha' from 'lapi-sh'", "Ip", "captcha",
			"198.51.100.8") ","
	       DECISION("59m58.660713594s", 1, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"198.51.100.7") ","
	       DECISION("1h59m58.660713033s", 4, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"2001:DB8:BAD:0::7") ","
	       DECISION("59m58.556624938s", 6, "manual 'ban' from 'lapi-sh'", "Country", "ban",
			"FR") ","
	       DECISION("3h59m58.660711541s", 2, "crowdsecurity/ssh-bf", "Range", "ban",
			"203.0.113.5/24") "]}");
	start_watch();
	cr_assert(wait_ban("198.51.100.7", true), "no ban from the startup answer: %s",
		  (sh_out(out, sizeof(out), "cat %s/watch.log", lab.state), out));
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "a ban decision drops");
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 0, "a Range, host bits as typed");
	cr_expect_eq(ping_from("2001:db8:bad::7", "2001:db8:1::1", 2), 0, "IPv6 as typed");
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 2, "a captcha never blocks");
	cr_expect_eq(ping_from("2001:db8:cafe::8", "2001:db8:1::1", 2), 2);
	cr_assert_eq(bouclierf(out, sizeof(out), "--config %s ban list --json", conf), 0, "%s", out);
	cr_expect(strstr(out, "\"by\":\"crowdsec:cs\"") &&
		  strstr(out, "\"reason\":\"crowdsecurity/ssh-bf (cscli)\""), "%s", out);
	cr_expect_null(strstr(out, "198.51.100.8"), "%s", out);

	/* a delta: 198.51.100.7 deleted, 192.0.2.99 (never seen) deleted, .70 new */
	answer("delta-1.json", "{\"deleted\":["
	       DECISION("-1.734420793s", 9, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"192.0.2.99") ","
	       DECISION("-325.355761ms", 1, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"198.51.100.7") "],\"new\":["
	       DECISION("59m59.265789436s", 10, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"198.51.100.70") "]}");
	cr_assert(wait_ban("198.51.100.7", false), "the deletion was not applied");
	cr_expect(wait_ban("198.51.100.70", true));
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2, "deleted: passes again");
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0, "new: dropped");
	/* the same deletions again, as the LAPI repeats them: nothing changes */
	answer("delta-2.json", "{\"deleted\":["
	       DECISION("-1.765756657s", 9, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"192.0.2.99") ","
	       DECISION("-356.692144ms", 1, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"198.51.100.7") "],\"new\":null}");
	cr_assert_geq(wait_for(POLL_WAIT, "grep -q 'delta delta-2.json' %s/requests.log", dir), 0);
	cr_assert_geq(wait_for(POLL_WAIT, "[ $(grep -c '^delta$' %s/requests.log) -ge 2 ]", dir),
		      0, "two polls after it");
	cr_expect_eq(lines("watch.log", "lifted"), 2, "the startup line and one deletion");
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0, "still dropped");

	/* what a town sees */
	cr_assert_eq(bouclierf(out, sizeof(out), "--config %s feed list --json", conf), 0, "%s",
		     out);
	cr_expect(strstr(out, "\"lapi\":[") && strstr(out, "\"name\":\"cs\"") &&
		  strstr(out, "\"live\":true") && strstr(out, "\"state\":\"ok\""), "%s", out);
	cr_expect_eq(json_num(out, "\"lapi\"", "bans"), 3, "%s", out);
	cr_expect_eq(json_num(out, "\"lapi\"", "banned"), 4, "%s", out);
	cr_expect_eq(json_num(out, "\"lapi\"", "lifted"), 1, "%s", out);
	cr_expect_gt(json_num(out, "\"lapi\"", "last_success"), 0, "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "--config %s feed list", conf), 0, "%s", out);
	cr_expect(strstr(out, "feed cs, CrowdSec LAPI http://127.0.0.1:") &&
		  strstr(out, ": live, 3 bans; last answer"), "%s", out);
	cr_assert_eq(bouclierf(out, sizeof(out), "--config %s status --json", conf), 0, "%s", out);
	cr_expect(strstr(out, "\"lapi\":[") && strstr(out, "\"live\":true"), "%s", out);
	/* the key is in no log */
	cr_expect_neq(sh("grep -rq 0123456789abcdef %s/watch.log %s/lapi.json", lab.state,
			 lab.state), 0, "the key was logged");
}

Test(lapi, a_restart_resyncs_and_a_removed_feed_lets_go, .init = fake_up, .fini = fake_down,
     .timeout = 120)
{
	char out[16384];

	answer("startup.json", "{\"deleted\":null,\"new\":["
	       DECISION("59m58.660713594s", 1, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"198.51.100.7") ","
	       DECISION("3h59m58.660711541s", 2, "crowdsecurity/ssh-bf", "Range", "ban",
			"203.0.113.0/24") "]}");
	/* a ban of the town's own on one of the same addresses */
	cr_assert_eq(bouclierf(out, sizeof(out), "ban add 198.51.100.7 --for 2h --reason mine"), 0,
		     "%s", out);
	start_watch();
	cr_assert(wait_ban("203.0.113.5", true));
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 0);
	cr_assert_eq(bouclierf(out, sizeof(out), "--config %s ban list --json", conf), 0, "%s", out);
	cr_expect(strstr(out, "\"reason\":\"mine\""), "the town's own ban is left alone: %s", out);
	cr_expect_eq(watch_stop(), 0);

	/* while watch was down, 203.0.113.0/24 was deleted and .70 decided */
	answer("startup.json", "{\"deleted\":["
	       DECISION("-5m3.5s", 2, "crowdsecurity/ssh-bf", "Range", "ban", "203.0.113.0/24")
	       "],\"new\":["
	       DECISION("59m58.660713594s", 1, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"198.51.100.7") ","
	       DECISION("29m58.1s", 11, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"198.51.100.70") "]}");
	start_watch();
	cr_assert(wait_ban("198.51.100.70", true));
	cr_expect(wait_ban("203.0.113.5", false), "no longer in force when watch started");
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 2);
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0);
	cr_expect_eq(watch_stop(), 0);

	/* the feed removed from the configuration: its bans go, the town's stays */
	write_conf(false);
	start_watch();
	cr_assert(wait_ban("198.51.100.70", false), "the removed feed's ban stayed");
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 2);
	cr_expect(bans_on("198.51.100.7/32"), "the town's own ban");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0);
	cr_expect_geq(wait_for(POLL_WAIT, "grep -q 'bans of CrowdSec feeds no longer in' "
			       "%s/watch.log", lab.state), 0);
}

Test(lapi, a_wrong_key_or_a_lapi_gone_is_said_once_and_changes_nothing, .init = fake_up,
     .fini = fake_down, .timeout = 120)
{
	char out[16384];

	answer("startup.json", "{\"deleted\":null,\"new\":["
	       DECISION("59m58.660713594s", 1, "manual 'ban' from 'lapi-sh'", "Ip", "ban",
			"198.51.100.7") "]}");
	start_watch();
	cr_assert(wait_ban("198.51.100.7", true));
	/* a wrong key: refused, said once, the ban stays */
	put(keyfile, "fedcba9876543210fedcba9876543210\n", 0600);
	cr_assert_geq(wait_for(POLL_WAIT, "[ $(grep -c forbidden %s/requests.log) -ge 3 ]", dir),
		      0, "three polls refused");
	cr_expect_eq(lines("watch.log", "access forbidden (HTTP 403)"), 1, "said once");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "the ban stays");
	cr_assert_eq(bouclierf(out, sizeof(out), "--config %s feed list --json", conf), 0, "%s",
		     out);
	cr_expect(strstr(out, "\"state\":\"forbidden\"") && strstr(out, "\"live\":false"), "%s",
		  out);
	cr_expect_neq(sh("grep -rq fedcba9876543210 %s/watch.log %s/lapi.json", lab.state,
			 lab.state), 0, "the key was logged");
	/* the key put right: used at the next poll, from startup=true */
	put(keyfile, "0123456789abcdef0123456789abcdef\n", 0600);
	cr_assert_geq(wait_for(POLL_WAIT, "grep -q 'answers again' %s/watch.log", lab.state), 0);
	cr_expect_eq(lines("lapi/requests.log", "startup"), 2, "the poll after a failure lists all");
	/* a key file others can read: refused before anything is sent */
	cr_assert_eq(chmod(keyfile, 0644), 0);
	cr_assert_geq(wait_for(POLL_WAIT, "grep -q 'readable by every account' %s/watch.log",
			       lab.state), 0);
	cr_assert_eq(chmod(keyfile, 0600), 0);
	cr_assert_geq(wait_for(POLL_WAIT, "[ $(grep -c 'answers again' %s/watch.log) -ge 2 ]",
			       lab.state), 0);
	/* the LAPI gone: said once, the ban stays, watch goes on */
	fake_stop();
	cr_assert_geq(wait_for(POLL_WAIT, "grep -q 'cannot be reached' %s/watch.log", lab.state),
		      0);
	sleep(3);
	cr_expect_eq(lines("watch.log", "cannot be reached"), 1, "said once");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0, "the ban stays");
	cr_expect_eq(sh("kill -0 %d", lab.watch_pid), 0, "watch still runs");
	cr_assert_eq(bouclierf(out, sizeof(out), "--config %s config check", conf), 0, "%s", out);
	cr_expect(strstr(out, "1 CrowdSec LAPI feeds"), "%s", out);
	cr_assert_eq(chmod(keyfile, 0666), 0);
	cr_expect_eq(bouclierf(out, sizeof(out), "--config %s config check", conf), 78, "%s", out);
	cr_expect(strstr(out, "writable by every account"), "%s", out);
}

/* ---- the real CrowdSec LAPI */

static void real_up(void)
{
	const char *d = getenv("BOUCLIER_CROWDSEC");
	char out[4096];

	lab_up();
	snprintf(crowdsec, sizeof(crowdsec), "%s/usr/bin/crowdsec", d ? d : "/nonexistent");
	snprintf(cscli, sizeof(cscli), "%s/usr/bin/cscli", d ? d : "/nonexistent");
	if (access(crowdsec, X_OK) || access(cscli, X_OK)) {
		/* an installed package does as well */
		snprintf(crowdsec, sizeof(crowdsec), "/usr/bin/crowdsec");
		snprintf(cscli, sizeof(cscli), "/usr/bin/cscli");
	}
	if (access(crowdsec, X_OK) || access(cscli, X_OK))
		cr_skip_test("the real CrowdSec LAPI: no crowdsec binary (`make test` unpacks Debian's "
			     "package into build/crowdsec with apt-get download; it could not here, "
			     "and the package is not installed)");
	if (sh_out(out, sizeof(out), "%s -version 2>&1", crowdsec))
		cr_skip_test("the real CrowdSec LAPI: %s does not run here: %.200s", crowdsec, out);
	paths();
	write_conf(false);
	if (sh_out(out, sizeof(out), "nsenter --net=/run/netns/%s-wan env CROWDSEC_BIN=%s "
		   "CSCLI_BIN=%s %s/tests/system/lapi.sh start %s/crowdsec 18080 2>&1", lab.name,
		   crowdsec, cscli, lab.src, lab.state)) {
		lab_down();
		cr_skip_test("the real CrowdSec LAPI did not start here: %.400s", out);
	}
	real_lapi = true;
	port = 18080;
	/* the key goes from cscli's output to the file, on no command line */
	cr_assert_eq(sh("nsenter --net=/run/netns/%s-wan env CROWDSEC_BIN=%s CSCLI_BIN=%s "
			"%s/tests/system/lapi.sh key %s/crowdsec bouclier > %s && chmod 600 %s",
			lab.name, crowdsec, cscli, lab.src, lab.state, keyfile, keyfile), 0);
	write_conf(true);
}

static void real_down(void)
{
	if (real_lapi)
		sh("nsenter --net=/run/netns/%s-wan env CROWDSEC_BIN=%s CSCLI_BIN=%s "
		   "%s/tests/system/lapi.sh stop %s/crowdsec >/dev/null 2>&1", lab.name, crowdsec,
		   cscli, lab.src, lab.state);
	real_lapi = false;
	lab_down();
}

static int decisions(const char *args)
{
	char out[4096];
	int rc = sh_out(out, sizeof(out), "nsenter --net=/run/netns/%s-wan env CROWDSEC_BIN=%s "
			"CSCLI_BIN=%s %s/tests/system/lapi.sh cscli %s/crowdsec --error decisions %s "
			"2>&1", lab.name, crowdsec, cscli, lab.src, lab.state, args);

	cr_expect_eq(rc, 0, "cscli decisions %s: %s", args, out);
	return rc;
}

Test(lapi, the_real_crowdsec_lapi, .init = real_up, .fini = real_down, .timeout = 120)
{
	char out[16384];

	decisions("add --ip 198.51.100.7 --duration 1h --reason crowdsecurity/ssh-bf");
	decisions("add --range 203.0.113.5/24 --duration 4h");
	decisions("add --ip 198.51.100.8 --duration 30m --type captcha");
	decisions("add --ip 2001:DB8:BAD:0::7 --duration 2h");
	start_watch();
	cr_assert(wait_ban("198.51.100.7", true), "no ban from the real LAPI: %s",
		  (sh_out(out, sizeof(out), "cat %s/watch.log", lab.state), out));
	cr_expect(wait_ban("203.0.113.5", true));
	cr_expect(wait_ban("2001:db8:bad::7", true));
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 0);
	cr_expect_eq(ping_from("203.0.113.5", "192.0.2.1", 2), 0);
	cr_expect_eq(ping_from("2001:db8:bad::7", "2001:db8:1::1", 2), 0);
	cr_expect_eq(ping_from("198.51.100.8", "192.0.2.1", 2), 2, "a captcha never blocks");
	/* while watch runs: a new decision, a deletion */
	decisions("add --ip 198.51.100.70 --duration 10m");
	cr_expect(wait_ban("198.51.100.70", true), "a new decision within a poll or two");
	cr_expect_eq(ping_from("198.51.100.70", "192.0.2.1", 2), 0, "%s",
		     (sh_out(out, sizeof(out), "cat %s/watch.log; nsenter --net=/run/netns/%s-wan "
			     "env BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s %s why 198.51.100.70",
			     lab.state, lab.name, lab.pin, lab.state, lab.bin), out));
	decisions("delete --ip 198.51.100.7");
	cr_expect(wait_ban("198.51.100.7", false), "a deletion within a poll or two");
	cr_expect_eq(ping_from("198.51.100.7", "192.0.2.1", 2), 2);
	/* the deletion repeats for 2 s: nothing more happens */
	sleep(3);
	cr_expect_eq(lines("watch.log", " 1 lifted"), 1, "%s",
		     (sh_out(out, sizeof(out), "cat %s/watch.log", lab.state), out));
	cr_assert_eq(bouclierf(out, sizeof(out), "--config %s feed list --json", conf), 0, "%s",
		     out);
	cr_expect(strstr(out, "\"live\":true"), "%s", out);
	cr_expect_eq(json_num(out, "\"lapi\"", "bans"), 3, "%s", out);
}
