// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tools/bouclier-fetch against a real HTTP server on 127.0.0.1
 * (tests/http_server.py): every way a download goes wrong keeps the last
 * good copy.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t server;
static int port;
static char dir[128];

static void server_up(void)
{
	const char *src = getenv("BOUCLIER_SRC"), *bin = getenv("BOUCLIER");
	char script[512], buf[32] = { 0 };
	int fds[2];

	if (!src || !bin)
		cr_skip_test("run through `make test` (BOUCLIER and BOUCLIER_SRC unset)");
	if (system("command -v curl >/dev/null && command -v python3 >/dev/null"))
		cr_skip_test("needs curl and python3");
	snprintf(script, sizeof(script), "%s/tests/system/http_server.py", src);
	cr_assert_eq(pipe(fds), 0);
	server = fork();
	if (!server) {
		dup2(fds[1], 1);
		execlp("python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	cr_assert_gt(read(fds[0], buf, sizeof(buf) - 1), 0, "the test server did not start");
	close(fds[0]);
	port = atoi(buf);
	cr_assert_gt(port, 0);
	snprintf(dir, sizeof(dir), "/tmp/bouclier-fetch-%d", getpid());
}

static void server_down(void)
{
	char cmd[256];

	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (dir[0])
		system(cmd);
}

static char *slurp(const char *path)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static int fetch(char *log, size_t len)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd),
		 "FETCH_TIMEOUT=2 FETCH_RETRIES=1 FETCH_MAX_BYTES=1048576 %s/tools/bouclier-fetch "
		 "-c %s/bouclier.conf --no-delay --no-refresh 2>&1",
		 getenv("BOUCLIER_SRC"), dir);
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 0);
	p = popen(cmd, "r");
	n = fread(log, 1, len - 1, p);
	log[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *const bad[] = { "notfound", "error", "truncated", "empty", "big", "chunked",
				   "slow" };
#define NBAD (sizeof(bad) / sizeof(bad[0]))
#define LAST_GOOD "198.51.100.99\n"

Test(fetch, a_bad_download_never_replaces_the_last_good_copy, .init = server_up,
     .fini = server_down, .timeout = 90)
{
	char path[512], log[8192], *s;
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "mkdir -p %s/state/downloads", dir);
	cr_assert_eq(system(path), 0);
	snprintf(path, sizeof(path), "%s/bouclier.conf", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "[general]\nstate_dir = %s/state\n[feed ok]\nurl = http://127.0.0.1:%d/ok.txt\n",
		dir, port);
	for (i = 0; i < NBAD; i++) {
		fprintf(f, "[feed %s]\nurl = http://127.0.0.1:%d/%s\n", bad[i], port, bad[i]);
		snprintf(path, sizeof(path), "%s/state/downloads/%s", dir, bad[i]);
		FILE *g = fopen(path, "w");

		fputs(LAST_GOOD, g);
		fclose(g);
	}
	fclose(f);
	setenv("BOUCLIER", getenv("BOUCLIER"), 1);

	cr_assert_eq(fetch(log, sizeof(log)), 75, "some downloads failed: exit 75\n%s", log);
	snprintf(path, sizeof(path), "%s/state/downloads/ok", dir);
	s = slurp(path);
	cr_assert_not_null(s, "200 must be saved\n%s", log);
	cr_assert(strstr(s, "198.51.100.7") && strstr(s, "203.0.113.0/24"), "%s", s);
	for (i = 0; i < NBAD; i++) {
		snprintf(path, sizeof(path), "%s/state/downloads/%s", dir, bad[i]);
		s = slurp(path);
		cr_expect(s && !strcmp(s, LAST_GOOD), "%s replaced the last good copy: %s\n%s",
			  bad[i], s ? s : "(gone)", log);
		cr_expect(strstr(log, bad[i]), "the log names %s:\n%s", bad[i], log);
	}
	snprintf(path, sizeof(path), "ls %s/state/downloads | grep -q XXX\\|'\\.[A-Za-z0-9]\\{6\\}$'",
		 dir);
	cr_expect_neq(system(path), 0, "temporary files left behind");

	/* Again: the server answers 304 and the copy stays as it is. */
	fetch(log, sizeof(log));
	cr_expect(strstr(log, "ok: not modified"), "conditional GET: %s", log);
	snprintf(path, sizeof(path), "%s/state/downloads/ok", dir);
	s = slurp(path);
	cr_expect(s && strstr(s, "198.51.100.7"), "the copy survives a 304");
}
