// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * [alert] end to end on the lab: a webhook (a local HTTP server inside the
 * lab's namespace, tests/system/http_server.py) and a command receive the
 * weather's level changes, the filter stopping and starting, and a refused
 * feed; each event once.
 */
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "lab.h"

static pid_t server;
static char hooklog[256], cmdlog[256];

static void up(void)
{
	char buf[32] = { 0 }, script[600];
	int fds[2];

	lab_up();
	if (sh("command -v curl >/dev/null && command -v python3 >/dev/null"))
		cr_skip_test("needs curl and python3");
	sh("mkdir -p %s", lab.state);
	snprintf(hooklog, sizeof(hooklog), "%s/hook.log", lab.state);
	snprintf(cmdlog, sizeof(cmdlog), "%s/cmd.log", lab.state);
	snprintf(script, sizeof(script), "%s/tests/system/http_server.py", lab.src);
	cr_assert_eq(pipe(fds), 0);
	server = fork();
	if (!server) {
		char ns[128];

		dup2(fds[1], 1);
		setenv("HOOK_LOG", hooklog, 1);
		snprintf(ns, sizeof(ns), "--net=/run/netns/%s-wan", lab.name);
		execlp("nsenter", "nsenter", ns, "python3", script, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	cr_assert_gt(read(fds[0], buf, sizeof(buf) - 1), 0, "the test server did not start");
	close(fds[0]);
	cr_assert_gt(atoi(buf), 0);
	/* the command writes what it was given */
	{
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/notify.sh", lab.state);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		fprintf(f, "#!/bin/sh\nprintf '%%s|%%s|%%s|%%s\\n' \"$BOUCLIER_EVENT\" "
			   "\"$BOUCLIER_LEVEL\" \"$BOUCLIER_MESSAGE\" \"$(cat)\" >> %s\n", cmdlog);
		fclose(f);
		chmod(path, 0700);
		snprintf(path, sizeof(path), "%s/bouclier.conf", lab.state);
		f = fopen(path, "w");
		cr_assert_not_null(f);
		fprintf(f, "[general]\ntown = Alertville\nstate_dir = %s\n[feed scan]\npath = "
			   "%s/scan.txt\n[weather]\nlevels = absolute\nstorm = 3\n[alert]\ncommand = "
			   "%s/notify.sh\nwebhook = http://127.0.0.1:%d/hook\nmin_interval = 1h\n",
			lab.state, lab.state, lab.state, atoi(buf));
		fclose(f);
		setenv("BOUCLIER_CONFIG", path, 1);
	}
}

static void down(void)
{
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	unsetenv("BOUCLIER_CONFIG");
	lab_down();
}

/* Lines of a log holding every word given (NULL-terminated). */
static int lines_with(const char *path, ...)
{
	char line[8192];
	int n = 0;
	FILE *f = fopen(path, "r");

	while (f && fgets(line, sizeof(line), f)) {
		va_list ap;
		const char *w;
		int all = 1;

		va_start(ap, path);
		while ((w = va_arg(ap, const char *)))
			all &= strstr(line, w) != NULL;
		va_end(ap);
		n += all;
	}
	if (f)
		fclose(f);
	return n;
}

Test(alerts, each_event_is_told_once_to_the_command_and_the_webhook, .init = up, .fini = down,
     .timeout = 120)
{
	char out[16384];

	sh("printf '198.51.100.7\\n198.51.100.8\\n198.51.100.70\\n' > %s/scan.txt", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "refresh"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "alert check"), 0, "%s", out);
	cr_expect(strstr(out, "0 alerts sent"), "the first look tells nothing: %s", out);

	ping_from("198.51.100.7", "192.0.2.1", 2);
	cr_assert_eq(bouclier(out, sizeof(out), "alert check"), 0, "%s", out);
	cr_expect(strstr(out, "1 alert sent"), "%s", out);
	cr_expect_eq(lines_with(hooklog, "\"event\":\"level\"", "\"level\":\"light rain\"",
				"Alertville", "\"text\":", NULL), 1, "the webhook");
	cr_expect_eq(lines_with(cmdlog, "level|light rain|Alertville: the cyber weather is now "
				"light rain (was sunny)", "\"message_fr\":", NULL), 1, "the command");
	/* storm: up, told at once; the same state again: nothing */
	ping_from("198.51.100.8", "192.0.2.1", 2);
	ping_from("198.51.100.70", "192.0.2.1", 2);
	cr_assert_eq(bouclier(out, sizeof(out), "alert check"), 0, "%s", out);
	cr_expect_eq(lines_with(hooklog, "\"level\":\"storm\"", "Far more attacks than usual",
				NULL), 1, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "alert check"), 0, "%s", out);
	cr_expect(strstr(out, "0 alerts sent"), "once per event: %s", out);

	/* the filter stops: told at once, once, though three checks run
	 * together (watch, record and a cron can); comes back: told too */
	cr_assert_eq(bouclier(out, sizeof(out), "detach wan0"), 0, "%s", out);
	cr_assert_eq(sh_out(out, sizeof(out), "for i in 1 2 3; do nsenter --net=/run/netns/%s-wan "
			    "env BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s %s alert check 2>&1 & "
			    "done; wait", lab.name, lab.pin, lab.state, lab.bin), 0, "%s", out);
	cr_expect_eq(lines_with(hooklog, "\"event\":\"filter\"", "NOT FILTERING",
				"call the IT person", NULL), 1, "%s", out);
	cr_expect_eq(lines_with(cmdlog, "filter|unknown|", NULL), 1);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "alert check"), 0, "%s", out);
	cr_expect_eq(lines_with(hooklog, "filters again", NULL), 1, "%s", out);

	/* a refused feed: told, and not again the same day */
	sh("printf '' > %s/scan.txt", lab.state);
	cr_expect_neq(bouclier(out, sizeof(out), "refresh"), 0, "an empty list is refused: %s",
		      out);
	cr_expect_eq(lines_with(hooklog, "\"event\":\"refresh\"", "refused feed scan", NULL), 1);
	bouclier(out, sizeof(out), "refresh");
	cr_expect_eq(lines_with(hooklog, "\"event\":\"refresh\"", NULL), 1, "once a day");
	cr_assert_eq(bouclier(out, sizeof(out), "alert test"), 0, "%s", out);
	cr_expect_eq(lines_with(hooklog, "\"event\":\"test\"", NULL), 1);
}

Test(alerts, a_webhook_that_fails_is_logged_and_changes_nothing, .init = up, .fini = down,
     .timeout = 60)
{
	char out[16384], conf[512];

	snprintf(conf, sizeof(conf), "%s/bouclier.conf", lab.state);
	sh("sed -i 's|/hook$|/hook500|' %s", conf);
	sh("printf '198.51.100.7\\n' > %s/scan.txt", lab.state);
	cr_assert_eq(bouclier(out, sizeof(out), "attach wan0"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "refresh"), 0, "%s", out);
	cr_assert_eq(bouclier(out, sizeof(out), "alert test"), 0, "the command took it: %s", out);
	cr_expect(strstr(out, "posting to") && strstr(out, "failed"), "%s", out);
	cr_expect_eq(lines_with(cmdlog, "test|", NULL), 1);
}
