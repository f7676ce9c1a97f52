/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * cdp.h - headless Chromium driven over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: commands on its fd 3, answers on its fd 4, each
 * one JSON text ended by a NUL byte).  No port, no package but Debian's
 * chromium, and no script in the pages looked at: the test sets the
 * viewport, loads a file, measures it with Runtime.evaluate and takes
 * screenshots.  Every wait is bounded; cdp_stop() ends the browser (by its
 * pid) and is safe to call twice, from a test's .fini.
 */
#ifndef BOUCLIER_TEST_CDP_H
#define BOUCLIER_TEST_CDP_H

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CDP_TIMEOUT 15.0 /* seconds for any one answer */

struct cdp {
	pid_t pid;
	int to, from;           /* our ends: commands to the browser, its answers */
	int id;                 /* the last command's id */
	char session[64];       /* the page's session, once attached */
	char *buf;              /* bytes read that are not yet a whole message */
	size_t len, cap;
	int loads;              /* Page.loadEventFired seen */
	int requests;           /* Network.requestWillBeSent seen */
};

static inline double cdp_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Starts chromium with its profile in PROFILE; 0 or -errno. */
static inline int cdp_start(struct cdp *c, const char *profile)
{
	int in[2], out[2];
	char dir[4096 + 32];

	memset(c, 0, sizeof(*c));
	c->to = c->from = -1;
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -errno;
	snprintf(dir, sizeof(dir), "--user-data-dir=%s", profile);
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (!c->pid) {
		/* out of the way of 3 and 4 first, then onto them */
		int r = fcntl(in[0], F_DUPFD, 10), w = fcntl(out[1], F_DUPFD, 10);
		int null = open("/dev/null", O_RDWR);

		if (r < 0 || w < 0 || null < 0 || dup2(r, 3) < 0 || dup2(w, 4) < 0 ||
		    dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(126);
		setpgid(0, 0); /* its helpers go with it */
		execlp("chromium", "chromium", "--headless", "--no-sandbox", "--disable-gpu",
		       "--remote-debugging-pipe", dir, "--no-first-run",
		       "--no-default-browser-check",
		       "--disable-background-networking", "--disable-component-update",
		       "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage",
		       "--hide-scrollbars", "--mute-audio", "about:blank", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->to = in[1];
	c->from = out[0];
	return 0;
}

/* The next whole message, or NULL when the deadline passes or the browser
 * is gone.  Events are counted on the way. */
static inline json_t *cdp_read(struct cdp *c, double deadline)
{
	for (;;) {
		char *end = c->len ? memchr(c->buf, 0, c->len) : NULL;
		struct pollfd p = { .fd = c->from, .events = POLLIN };
		double left = deadline - cdp_now();
		ssize_t n;

		if (end) {
			size_t used = end - c->buf + 1;
			json_t *m = json_loadb(c->buf, used - 1, 0, NULL);
			const char *method = json_string_value(json_object_get(m, "method"));

			memmove(c->buf, c->buf + used, c->len - used);
			c->len -= used;
			if (method && !strcmp(method, "Page.loadEventFired"))
				c->loads++;
			if (method && !strcmp(method, "Network.requestWillBeSent"))
				c->requests++;
			return m;
		}
		if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0)
			return NULL;
		if (c->cap - c->len < 65536) {
			c->cap = c->cap * 2 + 65536;
			c->buf = realloc(c->buf, c->cap);
			cr_assert_not_null(c->buf);
		}
		n = read(c->from, c->buf + c->len, c->cap - c->len);
		if (n <= 0)
			return NULL;
		c->len += n;
	}
}

/* Sends METHOD with PARAMS (taken; NULL for none), to the page once
 * attached, and returns its result (the caller's), failing the test on an
 * error or no answer. */
static inline json_t *cdp_call(struct cdp *c, const char *method, json_t *params)
{
	json_t *msg = json_object(), *m, *res;
	double deadline = cdp_now() + CDP_TIMEOUT;
	char *text;
	size_t len, off = 0;
	int id = ++c->id;

	json_object_set_new(msg, "id", json_integer(id));
	json_object_set_new(msg, "method", json_string(method));
	json_object_set_new(msg, "params", params ? params : json_object());
	if (*c->session)
		json_object_set_new(msg, "sessionId", json_string(c->session));
	text = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	len = strlen(text) + 1; /* the NUL ends the message */
	while (off < len) {
		ssize_t n = write(c->to, text + off, len - off);

		cr_assert_gt(n, 0, "%s: the browser went away", method);
		off += n;
	}
	free(text);
	for (;;) {
		m = cdp_read(c, deadline);
		cr_assert_not_null(m, "%s: no answer from chromium in %.0f s", method, CDP_TIMEOUT);
		if (json_integer_value(json_object_get(m, "id")) == id)
			break;
		json_decref(m);
	}
	cr_assert_null(json_object_get(m, "error"), "%s: %s", method,
		       json_string_value(json_object_get(json_object_get(m, "error"), "message")));
	res = json_incref(json_object_get(m, "result"));
	json_decref(m);
	return res;
}

#define cdp_do(c, method, params) json_decref(cdp_call((c), (method), (params)))

/* A page of its own, attached, with its load events and requests reported. */
static inline void cdp_page(struct cdp *c)
{
	json_t *r = cdp_call(c, "Target.createTarget", json_pack("{s:s}", "url", "about:blank"));
	json_t *a = cdp_call(c, "Target.attachToTarget",
			     json_pack("{s:O,s:b}", "targetId", json_object_get(r, "targetId"),
				       "flatten", 1));

	snprintf(c->session, sizeof(c->session), "%s",
		 json_string_value(json_object_get(a, "sessionId")));
	json_decref(r);
	json_decref(a);
	cdp_do(c, "Page.enable", NULL);
	cdp_do(c, "Network.enable", NULL);
}

/* Loads URL and waits for its load event. */
static inline void cdp_load(struct cdp *c, const char *url)
{
	double deadline = cdp_now() + CDP_TIMEOUT;
	int loads = c->loads;

	cdp_do(c, "Page.navigate", json_pack("{s:s}", "url", url));
	while (c->loads == loads) {
		json_t *m = cdp_read(c, deadline);

		cr_assert_not_null(m, "%s did not load in %.0f s", url, CDP_TIMEOUT);
		json_decref(m);
	}
}

/* The value of a JavaScript expression evaluated in the page (the caller's). */
static inline json_t *cdp_eval(struct cdp *c, const char *expr)
{
	json_t *r = cdp_call(c, "Runtime.evaluate",
			     json_pack("{s:s,s:b}", "expression", expr, "returnByValue", 1));
	json_t *v = json_incref(json_object_get(json_object_get(r, "result"), "value"));

	cr_assert_null(json_object_get(r, "exceptionDetails"), "%s",
		       json_dumps(json_object_get(r, "exceptionDetails"), 0));
	json_decref(r);
	return v;
}

/* base64 text to bytes in out; returns their count. */
static inline size_t cdp_unbase64(const char *s, unsigned char *out, size_t max)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0;
	size_t n = 0;
	int bits = 0;

	for (; *s && *s != '='; s++) {
		const char *p = strchr(a, *s);

		if (!p)
			continue;
		v = v << 6 | (unsigned)(p - a);
		bits += 6;
		if (bits >= 8 && n < max) {
			bits -= 8;
			out[n++] = v >> bits & 0xff;
		}
	}
	return n;
}

/* A PNG of the page's WIDTH x HEIGHT CSS pixels from its top left; returns
 * its bytes (the caller frees them) and their count in *len. */
static inline unsigned char *cdp_screenshot(struct cdp *c, int width, int height, size_t *len)
{
	json_t *r = cdp_call(c, "Page.captureScreenshot",
			     json_pack("{s:s,s:b,s:b,s:{s:i,s:i,s:i,s:i,s:i}}", "format", "png",
				       "captureBeyondViewport", 1, "optimizeForSpeed", 1, "clip",
				       "x", 0, "y", 0, "width", width, "height", height, "scale",
				       1));
	const char *data = json_string_value(json_object_get(r, "data"));
	size_t max = data ? strlen(data) : 0;
	unsigned char *png = malloc(max + 1);

	cr_assert(data && png, "no screenshot data");
	*len = cdp_unbase64(data, png, max);
	json_decref(r);
	return png;
}

/* Asks the browser to close, gives it two seconds, then kills what is left
 * of its process group (the group of the pid cdp_start() made). */
static inline void cdp_stop(struct cdp *c)
{
	double deadline = cdp_now() + 2;
	int st;

	if (c->pid > 0) {
		if (c->to >= 0) {
			static const char bye[] = "{\"id\":999999,\"method\":\"Browser.close\"}";

			if (write(c->to, bye, sizeof(bye)) < 0) { /* with its NUL */
				/* gone already: waitpid says so below */
			}
		}
		/* the leader's end is seen, not reaped, so that its group id
		 * still names only its own helpers when they are killed */
		while (cdp_now() < deadline) {
			siginfo_t si = { 0 };

			if (waitid(P_PID, c->pid, &si, WEXITED | WNOHANG | WNOWAIT) || si.si_pid)
				break;
			usleep(20000);
		}
		kill(-c->pid, SIGKILL);
		waitpid(c->pid, &st, 0);
		c->pid = 0;
	}
	if (c->to >= 0)
		close(c->to);
	if (c->from >= 0)
		close(c->from);
	c->to = c->from = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
}

#endif
