/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lab.h - end-to-end helpers: a lab of two namespaces (tools/lab.sh), the
 * real bouclier command run inside the WAN one, real traffic from the other.
 * Every name carries the test's pid, so tests run in parallel, and
 * lab_down() removes namespaces, pins and state even after a failure.
 */
#ifndef BOUCLIER_TEST_LAB_H
#define BOUCLIER_TEST_LAB_H

#include <jansson.h>
#include <signal.h>
#include "run.h"

struct lab {
	char name[32], pin[128], state[128], bin[512], src[512];
	int watch_pid;       /* a `bouclier watch` started by the test */
};

static struct lab lab;

/* bouclier ARGS inside the lab's WAN namespace, with ENV ("NAME=value ...",
 * or "") besides the lab's pins and state; stderr joins stdout. */
static inline int bouclier_env(char *out, size_t outlen, const char *env, const char *args)
{
	return sh_out(out, outlen,
		      "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		      "BOUCLIER_STATE_DIR=%s %s %s %s 2>&1",
		      lab.name, lab.pin, lab.state, env, lab.bin, args);
}

/* bouclier ARGS inside the lab's WAN namespace; stderr joins stdout. */
static inline int bouclier(char *out, size_t outlen, const char *args)
{
	return bouclier_env(out, outlen, "", args);
}

/* The same, with printf-style arguments. */
static inline int bouclierf(char *out, size_t outlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static inline int bouclierf(char *out, size_t outlen, const char *fmt, ...)
{
	char args[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return bouclier(out, outlen, args);
}

/* bouclier ARGS inside the WAN namespace with the configuration CONF and no
 * state directory from the environment: where the state goes is the
 * configuration's to say. */
static inline int bouclier_conf(char *out, size_t outlen, const char *conf, const char *args)
{
	return sh_out(out, outlen,
		      "nsenter --net=/run/netns/%s-wan env -u BOUCLIER_STATE_DIR BOUCLIER_PIN_DIR=%s "
		      "BOUCLIER_CONFIG=%s %s %s 2>&1", lab.name, lab.pin, conf, lab.bin, args);
}

/* Writes text to STATE/name (the directory made if needed). */
static inline void lab_put(const char *name, const char *text)
{
	char path[512];
	FILE *f;

	sh("mkdir -p %s", lab.state);
	snprintf(path, sizeof(path), "%s/%s", lab.state, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

/* Pings from the lab's namespace NAME-ns ("net", "wan", "lan") with a given
 * source; returns replies. */
static inline int ping_in(const char *ns, const char *src, const char *dst, int count)
{
	char out[4096];

	sh_out(out, sizeof(out), "ip netns exec %s-%s ping %s -n -q -c %d -i 0.01 -W 1 -I %s %s",
	       lab.name, ns, strchr(dst, ':') ? "-6" : "-4", count, src, dst);
	return ping_received(out);
}

/* Pings from the Internet side with a given source; returns replies. */
static inline int ping_from(const char *src, const char *dst, int count)
{
	return ping_in("net", src, dst, count);
}

/* Starts `bouclier watch ARGS` in the WAN namespace, its output in
 * STATE/watch.log; lab_down() stops it. */
static inline void watch_start(const char *args)
{
	char out[64];

	cr_assert_eq(sh_out(out, sizeof(out),
			    "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
			    "BOUCLIER_STATE_DIR=%s %s watch %s > %s/watch.log 2>&1 & echo $!",
			    lab.name, lab.pin, lab.state, lab.bin, args, lab.state), 0);
	lab.watch_pid = atoi(out);
	cr_assert_gt(lab.watch_pid, 0);
}

/* Stops the watch with SIGTERM; returns its exit status (-1 if none). */
static inline int watch_stop(void)
{
	int st = -1, i;

	if (lab.watch_pid <= 0)
		return -1;
	kill(lab.watch_pid, SIGTERM);
	for (i = 0; i < 50 && !kill(lab.watch_pid, 0); i++)
		usleep(100 * 1000);
	if (!kill(lab.watch_pid, 0)) {
		kill(lab.watch_pid, SIGKILL);
		st = 137;
	} else {
		st = 0; /* not our child (started through sh): gone in time is what we check */
	}
	lab.watch_pid = 0;
	return st;
}

/* Runs a shell command every 100 ms until it succeeds or seconds pass;
 * returns the milliseconds it took, or -1. */
static inline long wait_for(double seconds, const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	long ms;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	for (ms = 0; ms <= seconds * 1000; ms += 100) {
		if (sh("%s", cmd) == 0)
			return ms;
		usleep(100 * 1000);
	}
	return -1;
}

static inline void lab_down(void)
{
	if (!lab.name[0])
		return;
	watch_stop();
	sh("nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s "
	   "%s detach wan0 >/dev/null 2>&1", lab.name, lab.pin, lab.state, lab.bin);
	sh("rm -rf %s %s; %s/tools/lab.sh down %s", lab.pin, lab.state, lab.src, lab.name);
}

static inline void lab_up(void)
{
	const char *bin = getenv("BOUCLIER"), *src = getenv("BOUCLIER_SRC");

	if (geteuid() != 0)
		cr_skip_test("end-to-end tests need root");
	if (!bin || !src)
		cr_skip_test("run through `make test` (BOUCLIER and BOUCLIER_SRC unset)");
	if (sh("command -v nsenter && command -v ip && command -v ping") != 0)
		cr_skip_test("needs nsenter, ip and ping");
	snprintf(lab.name, sizeof(lab.name), "bt%d", getpid());
	snprintf(lab.pin, sizeof(lab.pin), "/sys/fs/bpf/bouclier-test-%d", getpid());
	snprintf(lab.state, sizeof(lab.state), "/tmp/bouclier-test-%d", getpid());
	snprintf(lab.bin, sizeof(lab.bin), "%s", bin);
	snprintf(lab.src, sizeof(lab.src), "%s", src);
	if (sh("%s/tools/lab.sh up %s", lab.src, lab.name) != 0) {
		lab_down();
		cr_skip_test("cannot create network namespaces and a veth pair here");
	}
}

/* The number after "key": in a JSON text, searching from after `from`. */
static inline long long json_num(const char *json, const char *from, const char *key)
{
	const char *p = from ? strstr(json, from) : json;
	char k[128];

	if (!p)
		return -1;
	snprintf(k, sizeof(k), "\"%s\":", key);
	p = strstr(p, k);
	return p ? atoll(p + strlen(k)) : -1;
}

/* The inside machine named address in `weather --json`'s
 * figures.outbound.inside_hosts, or NULL. */
static inline json_t *outbound_host(json_t *report, const char *address)
{
	json_t *hosts = json_object_get(json_object_get(json_object_get(report, "figures"),
							"outbound"), "inside_hosts"), *h;
	size_t i;

	json_array_foreach(hosts, i, h)
		if (!strcmp(json_string_value(json_object_get(h, "address")), address))
			return h;
	return NULL;
}

#endif
