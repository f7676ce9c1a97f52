// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lapi_poll.c - `watch` polls CrowdSec's Local API (lapi.h).  The polls are
 * libcurl's multi interface inside watch's own loop (lapi_wait() is its
 * poll(2)), so a LAPI that hangs delays neither a re-attach nor the
 * automatic allowlist.  Each poll is bounded (LAPI_TIMEOUT_MS,
 * LAPI_MAX_BYTES, LAPI_MAX_DECISIONS); a failure is said once per change of
 * state and makes the next poll a startup=true one, which lists everything
 * again: whatever an answer lost in transit carried is found there.  The key
 * is read from api_key_file at each poll (a key put right is used at the
 * next one), sent in a header, and never logged.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dlfcn.h>
#include <curl/curl.h>
#include "cli.h"
#include "ctx.h"
#include "lapi.h"
#include "log.h"
#include "state.h"

/* libcurl is opened by the first watch that polls a LAPI, not linked into
 * the command: it brings some forty libraries (TLS, Kerberos, LDAP, ...),
 * and loading them cost every start of every command about 13 ms on the
 * VM measured (docs/performance.md), where only this file needs them.
 * The package names it in its dependencies (debian/control). */
#define LIBCURL "libcurl.so.4"
#define CURL_FUNCTIONS(X)                                                            \
	X(global_init) X(global_cleanup) X(multi_init) X(multi_cleanup)              \
	X(multi_add_handle) X(multi_remove_handle) X(multi_wait) X(multi_perform)    \
	X(multi_info_read) X(easy_init) X(easy_cleanup) X(easy_setopt)               \
	X(easy_getinfo) X(easy_strerror) X(slist_append) X(slist_free_all)

static struct {
#define CURL_POINTER(f) typeof(curl_##f) *f;
	CURL_FUNCTIONS(CURL_POINTER)
#undef CURL_POINTER
} lc;

/* 0 once lc holds every function; never closed: libcurl's global state
 * lives as long as the process. */
static int curl_open(void)
{
	static int done;
	void *h;

	if (done)
		return 0;
	h = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		pr_warn("cannot poll the CrowdSec LAPI feeds: %s (install the libcurl4 "
			"package); the bans already applied stay until they end\n", dlerror());
		return -1;
	}
#define CURL_SYMBOL(f)                                                               \
	if (!(*(void **)&lc.f = dlsym(h, "curl_" #f))) {                               \
		pr_warn("cannot poll the CrowdSec LAPI feeds: %s has no curl_" #f "\n", \
			LIBCURL);                                                      \
		dlclose(h);                                                            \
		return -1;                                                             \
	}
	CURL_FUNCTIONS(CURL_SYMBOL)
#undef CURL_SYMBOL
	done = 1;
	return 0;
}

#define STATUS_EVERY 60     /* s: lapi.json is written at least this often */
#define RETRY_MS 200        /* the state lock was busy: an answer waits this long */

struct lapi_feed {
	const struct config_feed *f;
	char owner[64];
	CURL *easy;
	struct curl_slist *hdr;
	char *body;
	size_t len;
	bool too_big;
	char curl_err[CURL_ERROR_SIZE];
	bool busy;           /* a poll in flight */
	bool startup;        /* the next poll asks startup=true */
	bool asked_startup;  /* the one in flight did */
	long long due;       /* ms: the next poll */
	struct crowdsec_stream answer; /* parsed, waiting for the state lock */
	bool pending;
	long long retry;     /* ms: when to try the lock again for it */
	/* what lapi.json says */
	const char *state;   /* "ok", "unreachable", "forbidden", ...: said once a change */
	char error[320];
	time_t last_poll, last_success;
	unsigned long long banned, lifted;
};

struct lapi_set {
	struct ctx *c;
	CURLM *multi;
	int lock_fd;         /* STATE_DIR/lapi.lock held: this watch polls */
	long long lock_due;  /* ms: when to try for it again */
	bool standby_said;
	time_t since, written;
	bool dirty;
	int n;
	struct lapi_feed v[CONFIG_LAPI_FEEDS];
};

/* Says the feed's state when it changes (never each poll). */
static void set_state(struct lapi_set *ls, struct lapi_feed *p, const char *state,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void set_state(struct lapi_set *ls, struct lapi_feed *p, const char *state,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	if (p->state && !strcmp(p->state, state))
		return;
	if (!strcmp(state, "ok"))
		pr_info("feed %s: CrowdSec LAPI %s answers%s\n", p->f->name, p->f->lapi,
			p->state ? " again" : "");
	else
		pr_warn("feed %s: CrowdSec LAPI %s: %s; the bans already applied stay until they "
			"end, and polls go on every %lds\n", p->f->name, p->f->lapi, p->error,
			p->f->lapi_interval);
	p->state = state;
	ls->dirty = true;
}

static size_t on_data(char *data, size_t size, size_t nmemb, void *ctx)
{
	struct lapi_feed *p = ctx;
	size_t n = size * nmemb;
	char *b;

	if (p->len + n > LAPI_MAX_BYTES) {
		p->too_big = true;
		return 0; /* curl stops with CURLE_WRITE_ERROR */
	}
	b = realloc(p->body, p->len + n + 1);
	if (!b)
		return 0;
	memcpy(b + p->len, data, n);
	p->body = b;
	p->len += n;
	return n;
}

static void forget_header(struct lapi_feed *p)
{
	struct curl_slist *h;

	for (h = p->hdr; h; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	lc.slist_free_all(p->hdr);
	p->hdr = NULL;
}

static void start(struct lapi_set *ls, struct lapi_feed *p, long long now)
{
	char key[LAPI_KEY_LEN + 1], line[LAPI_KEY_LEN + 16], why[PATH_MAX + 160];
	char url[sizeof(p->f->lapi) + 64];
	size_t len = strlen(p->f->lapi);
	int err;

	p->due = now + p->f->lapi_interval * 1000LL;
	err = lapi_key_read(p->f->api_key_file, key, sizeof(key), why, sizeof(why));
	if (err) {
		set_state(ls, p, "key file", "api_key_file %s: %s", p->f->api_key_file, why);
		return;
	}
	forget_header(p);
	snprintf(line, sizeof(line), "X-Api-Key: %s", key);
	p->hdr = lc.slist_append(NULL, line);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(line, sizeof(line));
	if (!p->hdr)
		return;
	while (len && p->f->lapi[len - 1] == '/')
		len--;
	snprintf(url, sizeof(url), "%.*s/v1/decisions/stream%s", (int)len, p->f->lapi,
		 p->startup ? "?startup=true" : "");
	p->asked_startup = p->startup;
	free(p->body);
	p->body = NULL;
	p->len = 0;
	p->too_big = false;
	p->curl_err[0] = 0;
	lc.easy_setopt(p->easy, CURLOPT_URL, url);
	lc.easy_setopt(p->easy, CURLOPT_HTTPHEADER, p->hdr);
	if (lc.multi_add_handle(ls->multi, p->easy) == CURLM_OK)
		p->busy = true;
}

/* What an answer held that did not become a ban, when it held any: one
 * line, only what is not zero. */
static void notes(const struct lapi_feed *p, const struct lapi_tally *n,
		  const struct crowdsec_stream *s)
{
	char line[512];
	size_t len = 0;

#define NOTE(count, fmt) \
	if (count && len < sizeof(line)) \
		len += snprintf(line + len, sizeof(line) - len, "%s%lu " fmt, len ? ", " : "", \
				(unsigned long)(count))
	NOTE(n->others, "banned already by someone else (left to them)");
	NOTE(n->refused, "IPv6 prefixes covering IPv4 refused");
	NOTE(n->full, "past a full ban map");
	NOTE(s->beyond, "new past " BOUCLIER_STR(LAPI_MAX_DECISIONS) " decisions");
	if (!p->asked_startup) /* a startup answer's deletions are not read */
		NOTE(s->beyond_deleted, "deletions past " BOUCLIER_STR(LAPI_MAX_DECISIONS)
		     " (those bans end at their time)");
	NOTE(s->bad, "values that are not an address or a range (or the whole Internet)");
	if (p->asked_startup) {
		NOTE(s->not_bans, "decisions that are not bans (captcha, ...)");
		NOTE(s->scopes, "decisions on other scopes");
	}
#undef NOTE
	if (len)
		pr_info("feed %s: not banned: %s\n", p->f->name, line);
}

enum applied { APPLY_BUSY, APPLY_OK, APPLY_FAILED };

/* The answer into the timed bans, under the state lock; APPLY_BUSY when
 * the lock is taken (the answer waits). */
static enum applied apply(struct lapi_set *ls, struct lapi_feed *p)
{
	const struct crowdsec_stream *s = &p->answer;
	struct lapi_tally n;
	struct timed_list t;
	struct state st;
	bool live = false;
	int err;

	if (state_open(&st, ls->c->state_dir, STATE_TRY))
		return APPLY_BUSY;
	ls->c->now = time(NULL);
	err = timed_load(ls->c->state_dir, &t);
	if (!err) {
		/* a ban past its end is no ban: the decision takes its place */
		timed_expire(&t, ls->c->now);
		err = lapi_apply(&t, p->owner, p->f->direction, s, p->asked_startup, ls->c->now,
				 &n);
	}
	if (!err && (n.banned || n.lifted || n.renewed))
		err = timed_apply(ls->c, &t, &live);
	timed_free(&t);
	state_close(&st);
	if (err) {
		pr_warn("feed %s: the LAPI's decisions could not be applied (%s); they are asked "
			"for again at the next poll\n", p->f->name, strerror(-err));
		return APPLY_FAILED;
	}
	p->banned += n.banned;
	p->lifted += n.lifted;
	ls->dirty |= n.banned || n.lifted;
	if (p->asked_startup)
		pr_info("feed %s: %zu bans in force from CrowdSec (%zu new, %zu lifted: no longer "
			"decided)%s\n", p->f->name, n.banned + n.renewed, n.banned, n.lifted,
			live ? ", live" : "");
	else if (n.banned || n.lifted)
		pr_info("feed %s: %zu banned, %zu lifted%s\n", p->f->name, n.banned, n.lifted,
			live ? ", live" : "");
	notes(p, &n, s);
	return APPLY_OK;
}

static void finish(struct lapi_set *ls, struct lapi_feed *p, CURLcode res)
{
	long code = 0;
	int err;

	lc.multi_remove_handle(ls->multi, p->easy);
	p->busy = false;
	p->last_poll = time(NULL);
	ls->dirty = true;
	p->startup = true; /* unless this one is applied */
	if (p->too_big) {
		set_state(ls, p, "too big", "an answer larger than %d MiB, refused whole",
			  LAPI_MAX_BYTES >> 20);
		return;
	}
	if (res != CURLE_OK) {
		set_state(ls, p, "unreachable", "cannot be reached: %s",
			  p->curl_err[0] ? p->curl_err : lc.easy_strerror(res));
		return;
	}
	lc.easy_getinfo(p->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code == 401 || code == 403) {
		set_state(ls, p, "forbidden", "access forbidden (HTTP %ld): the key in %s is not a "
			  "bouncer's key of this LAPI (`cscli bouncers add bouclier -o raw`)", code,
			  p->f->api_key_file);
		return;
	}
	if (code != 200) {
		set_state(ls, p, code >= 500 ? "server error" : "http error",
			  "HTTP %ld instead of the decisions", code);
		return;
	}
	err = crowdsec_stream_parse(p->body ? p->body : "", p->len, LAPI_MAX_DECISIONS,
				    &p->answer);
	free(p->body);
	p->body = NULL;
	if (err) {
		crowdsec_stream_free(&p->answer);
		set_state(ls, p, "bad answer", "%s", err == -EBADMSG
			  ? "the answer is not a decisions stream ({\"new\": ..., \"deleted\": "
			    "...}), or it was cut short" : strerror(-err));
		return;
	}
	p->last_success = p->last_poll;
	set_state(ls, p, "ok", "%s", "");
	p->pending = true;
	p->retry = 0;
}

static void write_status(struct lapi_set *ls)
{
	char path[PATH_MAX + 32], *text;
	json_t *j = json_object(), *feeds = json_object();
	int i;

	for (i = 0; i < ls->n; i++) {
		struct lapi_feed *p = &ls->v[i];
		json_t *x = json_object();

		json_object_set_new(x, "state", json_string(p->state ? p->state : "never polled"));
		json_object_set_new(x, "error", json_string(p->error));
		json_object_set_new(x, "last_poll", json_integer(p->last_poll));
		json_object_set_new(x, "last_success", json_integer(p->last_success));
		json_object_set_new(x, "since", json_integer(ls->since));
		json_object_set_new(x, "banned", json_integer((json_int_t)p->banned));
		json_object_set_new(x, "lifted", json_integer((json_int_t)p->lifted));
		json_object_set_new(feeds, p->f->name, x);
	}
	json_object_set_new(j, "feeds", feeds);
	json_object_set_new(j, "pid", json_integer(getpid()));
	text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	if (!text)
		return;
	snprintf(path, sizeof(path), "%s/lapi.json", ls->c->state_dir);
	if (!state_write_atomic(path, text, strlen(text), STATE_MODE)) {
		ls->written = time(NULL);
		ls->dirty = false;
	}
	free(text);
}

/* The bans of feeds no longer configured go, whether any remain or not. */
static void forget_removed(struct ctx *c)
{
	struct timed_list t;
	struct state s;
	size_t gone;
	bool live;

	if (timed_load(c->state_dir, &t))
		return;
	gone = lapi_forget_removed(&t, &c->cfg); /* a look without the lock first */
	timed_free(&t);
	if (!gone || state_open(&s, c->state_dir, STATE_LOCK_WAIT))
		return;
	if (!timed_load(c->state_dir, &t)) {
		gone = lapi_forget_removed(&t, &c->cfg);
		c->now = time(NULL);
		if (gone && !timed_apply(c, &t, &live))
			pr_info("%zu bans of CrowdSec feeds no longer in %s lifted\n", gone,
				c->config_path);
		timed_free(&t);
	}
	state_close(&s);
}

struct lapi_set *lapi_start(struct ctx *c)
{
	struct lapi_set *ls;
	char agent[64];
	int i;

	forget_removed(c);
	if (!c->cfg.nlapis || curl_open())
		return NULL;
	if (lc.global_init(CURL_GLOBAL_DEFAULT))
		goto fail;
	ls = calloc(1, sizeof(*ls));
	if (!ls)
		goto fail;
	ls->c = c;
	ls->lock_fd = -1;
	ls->since = time(NULL);
	ls->multi = lc.multi_init();
	snprintf(agent, sizeof(agent), "bouclier/%s", cli_version()); /* cscli bouncers list */
	for (i = 0; ls->multi && i < c->cfg.nlapis; i++) {
		struct lapi_feed *p = &ls->v[ls->n];

		p->f = &c->cfg.lapis[i];
		lapi_owner(p->f->name, p->owner, sizeof(p->owner));
		p->easy = lc.easy_init();
		if (!p->easy)
			break;
		ls->n++;
		p->startup = true;
		lc.easy_setopt(p->easy, CURLOPT_PRIVATE, p);
		lc.easy_setopt(p->easy, CURLOPT_WRITEFUNCTION, on_data);
		lc.easy_setopt(p->easy, CURLOPT_WRITEDATA, p);
		lc.easy_setopt(p->easy, CURLOPT_ERRORBUFFER, p->curl_err);
		lc.easy_setopt(p->easy, CURLOPT_TIMEOUT_MS, (long)LAPI_TIMEOUT_MS);
		lc.easy_setopt(p->easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
		lc.easy_setopt(p->easy, CURLOPT_NOSIGNAL, 1L);
		lc.easy_setopt(p->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)LAPI_MAX_BYTES);
		/* never after a redirect: the key would go along to wherever it points */
		lc.easy_setopt(p->easy, CURLOPT_FOLLOWLOCATION, 0L);
		lc.easy_setopt(p->easy, CURLOPT_PROTOCOLS_STR, "http,https");
		lc.easy_setopt(p->easy, CURLOPT_USERAGENT, agent);
	}
	if (!ls->multi || ls->n < c->cfg.nlapis) {
		lapi_stop(ls);
		goto fail;
	}
	for (i = 0; i < ls->n; i++)
		pr_info("feed %s: polling CrowdSec LAPI %s every %lds\n", ls->v[i].f->name,
			ls->v[i].f->lapi, ls->v[i].f->lapi_interval);
	return ls;
fail:
	pr_warn("cannot poll the CrowdSec LAPI feeds: out of memory; the bans "
		"already applied stay until they end\n");
	return NULL;
}

void lapi_stop(struct lapi_set *ls)
{
	int i;

	if (!ls)
		return;
	if (ls->lock_fd >= 0) {
		write_status(ls);
		close(ls->lock_fd);
	}
	for (i = 0; i < ls->n; i++) {
		struct lapi_feed *p = &ls->v[i];

		if (p->busy)
			lc.multi_remove_handle(ls->multi, p->easy);
		lc.easy_cleanup(p->easy);
		forget_header(p);
		free(p->body);
		crowdsec_stream_free(&p->answer);
	}
	lc.multi_cleanup(ls->multi);
	free(ls);
	lc.global_cleanup();
}

long long lapi_due(const struct lapi_set *ls)
{
	long long due = 0;
	int i;

	if (!ls)
		return 0;
	if (ls->lock_fd < 0)
		return ls->lock_due;
	for (i = 0; i < ls->n; i++) {
		long long at = ls->v[i].pending ? ls->v[i].retry : ls->v[i].due;

		if (!ls->v[i].busy && (!due || at < due))
			due = at;
	}
	return due;
}

int lapi_wait(struct lapi_set *ls, struct pollfd *fds, int n, int timeout_ms)
{
	struct curl_waitfd w[8];
	int i, k = 0, busy = 0, ready = 0;

	for (i = 0; ls && i < ls->n; i++)
		busy += ls->v[i].busy;
	if (!busy || n > 8)
		return poll(fds, n, timeout_ms);
	for (i = 0; i < n; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		w[k].fd = fds[i].fd;
		w[k].events = (fds[i].events & POLLIN ? CURL_WAIT_POLLIN : 0) |
			      (fds[i].events & POLLOUT ? CURL_WAIT_POLLOUT : 0);
		w[k++].revents = 0;
	}
	if (lc.multi_wait(ls->multi, w, k, timeout_ms, NULL) != CURLM_OK)
		return poll(fds, n, timeout_ms < 100 ? timeout_ms : 100);
	for (i = 0, k = 0; i < n; i++) {
		if (fds[i].fd < 0)
			continue;
		fds[i].revents = (w[k].revents & CURL_WAIT_POLLIN ? POLLIN : 0) |
				 (w[k].revents & CURL_WAIT_POLLOUT ? POLLOUT : 0);
		ready += !!fds[i].revents;
		k++;
	}
	return ready;
}

void lapi_run(struct lapi_set *ls, long long now)
{
	struct CURLMsg *m;
	int i, running, left;
	bool started = false;
	char path[PATH_MAX + 32];

	if (!ls)
		return;
	if (ls->lock_fd < 0) {
		if (now < ls->lock_due)
			return;
		snprintf(path, sizeof(path), "%s/lapi.lock", ls->c->state_dir);
		ls->lock_fd = state_lock_file(path, 0);
		if (ls->lock_fd < 0) {
			ls->lock_due = now + ls->v[0].f->lapi_interval * 1000LL;
			if (!ls->standby_said)
				pr_info("another bouclier watch polls the CrowdSec LAPI feeds (%s); "
					"this one stands by to take over\n", path);
			ls->standby_said = true;
			return;
		}
		for (i = 0; i < ls->n; i++) {
			ls->v[i].due = now;
			ls->v[i].startup = true;
		}
		ls->dirty = true;
	}
	lc.multi_perform(ls->multi, &running);
	while ((m = lc.multi_info_read(ls->multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			struct lapi_feed *p = NULL;

			lc.easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&p);
			if (p)
				finish(ls, p, m->data.result);
		}
	for (i = 0; i < ls->n; i++) {
		struct lapi_feed *p = &ls->v[i];

		if (p->pending && now >= p->retry) {
			enum applied a = apply(ls, p);

			if (a == APPLY_BUSY) {
				p->retry = now + RETRY_MS;
				continue;
			}
			p->pending = false;
			p->startup = a != APPLY_OK;
			crowdsec_stream_free(&p->answer);
		}
		if (!p->busy && !p->pending && now >= p->due) {
			start(ls, p, now);
			started |= p->busy;
		}
	}
	if (started)
		lc.multi_perform(ls->multi, &running);
	if (ls->dirty || time(NULL) - ls->written >= STATUS_EVERY)
		write_status(ls);
}
