// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * alert.c - alerts (alert.h).  STATE_DIR/alert.state holds what was last
 * told, one "key value time" a line:
 *   level NAME T     the level last told, and when
 *   filter STATE T   "ok", or what was wrong, last told
 *   refused FEED T   a refresh refused FEED: told again a day later at most
 *   detected AT T    the newest detected ban told (made at AT), told at T
 * An event is delivered to the command and to the webhook, each bounded in
 * time; what failed is logged and the state still moves on (a broken
 * webhook must not make every run send the same alert again).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "alert.h"
#include "log.h"
#include "out.h"
#include "state.h"
#include "weather/weather.h"

#define DELIVERY_SECONDS 20

#define REFUSED_AGAIN 86400 /* a feed refused every hour is told once a day */

struct told {
	char level[32], filter[160];
	__u64 level_at, filter_at;
	int known;
	__u64 detected, detected_at; /* the newest ban told, when */
	char refused[BOUCLIER_MAX_FEEDS][BOUCLIER_NAME_LEN];
	__u64 refused_at[BOUCLIER_MAX_FEEDS];
	int nrefused;
};

static void state_path(const struct ctx *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s/alert.state", c->state_dir);
}

static void told_load(const struct ctx *c, struct told *t)
{
	char path[PATH_MAX + 32], line[256], *v, *at;
	FILE *f;

	memset(t, 0, sizeof(*t));
	state_path(c, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		v = strchr(line, ' ');
		at = v ? strrchr(v + 1, ' ') : NULL;
		if (!v || !at)
			continue;
		*v++ = 0;
		*at++ = 0;
		if (!strcmp(line, "level")) {
			snprintf(t->level, sizeof(t->level), "%s", v);
			t->level_at = strtoull(at, NULL, 10);
			t->known = v[0] != 0;
		} else if (!strcmp(line, "filter")) {
			snprintf(t->filter, sizeof(t->filter), "%s", v);
			t->filter_at = strtoull(at, NULL, 10);
		} else if (!strcmp(line, "detected")) {
			t->detected = strtoull(v, NULL, 10);
			t->detected_at = strtoull(at, NULL, 10);
		} else if (!strcmp(line, "refused") && t->nrefused < BOUCLIER_MAX_FEEDS) {
			snprintf(t->refused[t->nrefused], sizeof(t->refused[0]), "%s", v);
			t->refused_at[t->nrefused++] = strtoull(at, NULL, 10);
		}
	}
	fclose(f);
}

/* What was told is read, acted on and written by one bouclier at a time
 * (watch every minute, record hourly, refresh, cron): STATE_DIR/alert.lock,
 * waited for up to wait_s seconds.  Returns the lock's fd, or -1 when
 * another holds it that long (its run tells what there is to tell). */
static int told_lock(const struct ctx *c, int wait_s)
{
	char path[PATH_MAX + 32];
	int fd;

	snprintf(path, sizeof(path), "%s/alert.lock", c->state_dir);
	fd = state_lock_file(path, wait_s * 1000);
	return fd < 0 ? -1 : fd;
}

static void told_save(const struct ctx *c, const struct told *t)
{
	char path[PATH_MAX + 32], buf[512 + BOUCLIER_MAX_FEEDS * 64];
	int n, i;

	state_path(c, path, sizeof(path));
	n = snprintf(buf, sizeof(buf), "level %s %llu\nfilter %s %llu\ndetected %llu %llu\n",
		     t->level, (unsigned long long)t->level_at, t->filter,
		     (unsigned long long)t->filter_at, (unsigned long long)t->detected,
		     (unsigned long long)t->detected_at);
	for (i = 0; i < t->nrefused; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "refused %s %llu\n", t->refused[i],
			      (unsigned long long)t->refused_at[i]);
	if (state_write_atomic(path, buf, (size_t)n, STATE_MODE))
		pr_debug("cannot write %s\n", path);
}

/* Runs argv with text on its standard input and env added, killed after
 * DELIVERY_SECONDS.  Returns the exit status, or -errno. */
static int run_with_input(char *const argv[], char *const env[], const char *text)
{
	int in[2], st = 0, waited;
	void (*old_pipe)(int);
	pid_t pid;

	if (pipe2(in, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(in[0]);
		close(in[1]);
		return -errno;
	}
	if (pid == 0) {
		int i;

		setpgid(0, 0); /* its own group: a timeout ends what it started too */
		dup2(in[0], 0);
		for (i = 0; env && env[i]; i++)
			putenv(env[i]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	setpgid(pid, pid); /* whichever of the two runs first */
	old_pipe = signal(SIGPIPE, SIG_IGN);
	if (write(in[1], text, strlen(text)) < 0)
		pr_debug("%s did not read the alert: %s\n", argv[0], strerror(errno));
	close(in[1]);
	signal(SIGPIPE, old_pipe);
	for (waited = 0; waited < DELIVERY_SECONDS * 10; waited++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		usleep(100 * 1000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -ETIMEDOUT;
}

/* s as a string of curl's configuration file: quoted, with \\ and \"
 * escaped (curl reads \\, \", \t, \n, \r and \v in quotes), control
 * characters dropped. */
static void curl_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

static char *curl_config(const char *url, const char *body)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fputs("url = ", f);
	curl_quoted(f, url);
	fputs("\ndata-binary = ", f);
	curl_quoted(f, body);
	fputc('\n', f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The host of a URL, for a log line that must not hold its secret path. */
static void url_host(const char *url, char *buf, size_t len)
{
	const char *h = strstr(url, "://"), *at;
	size_t n;

	h = h ? h + 3 : url;
	n = strcspn(h, "/?#");
	at = memchr(h, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - h);
		h = at + 1;
	}
	snprintf(buf, len, "%.*s", (int)n, h);
}

/* One event to the command and the webhook. */
static int deliver(const struct ctx *c, const char *event, const char *level, const char *en,
		   const char *fr)
{
	char *text, e1[64], e2[128], e3[64], *e4, *e5, tbuf[64];
	int sent = 0, rc;
	json_t *j;

	if (!c->cfg.alert_command[0] && !c->cfg.alert_webhook[0]) {
		pr_debug("alert not sent (no [alert] command or webhook): %s\n", en);
		return 0;
	}
	j = json_object();
	weather_time(c->now, tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S%z");
	jset(j, "town", jstr(c->cfg.town));
	jset(j, "event", jstr(event));
	jset(j, "level", jstr(level));
	jset(j, "time", jstr(tbuf));
	jset(j, "message", jstr(en));
	jset(j, "message_fr", jstr(fr));
	jset(j, "text", jstr(en)); /* what Slack, Mattermost and Teams webhooks show */
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!text)
		return -ENOMEM;
	if (c->cfg.alert_command[0]) {
		char *argv[] = { (char *)c->cfg.alert_command, NULL };
		char *env[6];

		snprintf(e1, sizeof(e1), "BOUCLIER_EVENT=%s", event);
		snprintf(e2, sizeof(e2), "BOUCLIER_TOWN=%s", c->cfg.town);
		snprintf(e3, sizeof(e3), "BOUCLIER_LEVEL=%s", level);
		e4 = malloc(strlen(en) + 20);
		e5 = malloc(strlen(fr) + 24);
		if (e4 && e5) {
			sprintf(e4, "BOUCLIER_MESSAGE=%s", en);
			sprintf(e5, "BOUCLIER_MESSAGE_FR=%s", fr);
			env[0] = e1, env[1] = e2, env[2] = e3, env[3] = e4, env[4] = e5, env[5] = NULL;
			rc = run_with_input(argv, env, text);
			if (rc)
				pr_warn("alert: %s failed (%s)\n", c->cfg.alert_command,
					rc < 0 ? strerror(-rc) : "non-zero exit");
			else
				sent = 1;
		}
		free(e4);
		free(e5);
	}
	if (c->cfg.alert_webhook[0]) {
		/* the URL and the message go to curl as its configuration, on
		 * its input: a chat webhook's URL is a secret, and a command
		 * line is for every local account to read */
		char *argv[] = { "/usr/bin/curl", "-sS", "--fail", "--max-time", "15",
				 "--proto", "=http,https", "-X", "POST", "-H",
				 "Content-Type: application/json", "--config", "-", NULL };
		char *conf = curl_config(c->cfg.alert_webhook, text), host[128];

		rc = conf ? run_with_input(argv, NULL, conf) : -ENOMEM;
		free(conf);
		if (rc) {
			url_host(c->cfg.alert_webhook, host, sizeof(host));
			pr_warn("alert: posting to the webhook at %s failed (%s)\n", host,
				rc < 0 ? strerror(-rc) : rc == 127 ? "curl is not installed"
								   : "curl failed");
		} else {
			sent = 1;
		}
	}
	if (sent)
		pr_info("alert sent: %s\n", en);
	free(text);
	return sent;
}

static int level_rank(const char *name)
{
	static const char *const order[] = { "sunny", "light rain", "storm", "tornado" };
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(name, order[i]))
			return i;
	return -1;
}

/* The bans detection made since the last told, at most once in
 * min_interval (a town is scanned many times a day): how many, and the
 * first few with what each did. */
static int tell_detected(const struct ctx *c, const struct winput *in, const char *lvl,
			 struct told *t)
{
	char en[1024], fr[1024], what[128], what_fr[160], pfx[CIDR_STRLEN];
	size_t i, n = 0, len_en, len_fr;
	__u64 newest = t->detected;
	int listed = 0;

	if (!t->detected) { /* the first look: from now on (this second included) */
		for (i = 0; i < in->nbans; i++)
			newest = in->bans[i].b.at > newest ? in->bans[i].b.at : newest;
		t->detected = newest ? newest : (__u64)c->now - 1;
		return 0;
	}
	if ((__u64)c->now < t->detected_at + (__u64)c->cfg.alert_min_interval)
		return 0;
	for (i = 0; i < in->nbans; i++)
		n += in->bans[i].b.at > t->detected && !(in->bans[i].b.flags & BOUCLIER_BAN_LIFTED);
	if (!n)
		return 0;
	len_en = snprintf(en, sizeof(en), "%s: bouclier %s %zu source%s by itself for what %s did:",
			  c->cfg.town, in->detect_mode == DETECT_MONITOR ? "would have banned"
									 : "banned",
			  n, n > 1 ? "s" : "", n > 1 ? "they" : "it");
	len_fr = snprintf(fr, sizeof(fr), "%s : bouclier %s %zu source%s de lui-même pour %s "
			  "comportement :", c->cfg.town,
			  in->detect_mode == DETECT_MONITOR ? "aurait banni" : "a banni", n,
			  n > 1 ? "s" : "", n > 1 ? "leur" : "son");
	for (i = 0; i < in->nbans; i++) {
		const struct detect_entry *e = &in->bans[i];
		struct cidr cc;

		if (e->b.at <= t->detected || (e->b.flags & BOUCLIER_BAN_LIFTED))
			continue;
		newest = e->b.at > newest ? e->b.at : newest;
		if (listed++ >= 3)
			continue;
		detect_cidr_of(&e->k, &cc);
		cidr_format(&cc, pfx, sizeof(pfx));
		detect_describe(&e->b, what, sizeof(what));
		detect_describe_lang(&e->b, "fr", what_fr, sizeof(what_fr));
		if (len_en < sizeof(en))
			len_en += snprintf(en + len_en, sizeof(en) - len_en, "%s %s (%s)",
					   listed > 1 ? ";" : "", pfx, what);
		if (len_fr < sizeof(fr))
			len_fr += snprintf(fr + len_fr, sizeof(fr) - len_fr, "%s %s (%s)",
					   listed > 1 ? " ;" : "", pfx, what_fr);
	}
	if (len_en < sizeof(en))
		snprintf(en + len_en, sizeof(en) - len_en, "%s. Nothing to do: the bans end by "
			 "themselves; `bouclier ban list` shows them, `bouclier ban del` lifts one.",
			 listed > 3 ? ", ..." : "");
	if (len_fr < sizeof(fr))
		snprintf(fr + len_fr, sizeof(fr) - len_fr, "%s. Rien à faire : les bannissements "
			 "cessent d'eux-mêmes ; `bouclier ban list` les montre, `bouclier ban del` "
			 "en lève un.", listed > 3 ? ", ..." : "");
	t->detected = newest;
	t->detected_at = (__u64)c->now;
	return deliver(c, "detected", lvl, en, fr) > 0;
}

int alert_test(const struct ctx *c)
{
	char en[256], fr[256];
	int n;

	if (!c->cfg.alert_command[0] && !c->cfg.alert_webhook[0]) {
		pr_warn("no [alert] command or webhook in %s\n", c->cfg.file);
		return -ENOENT;
	}
	snprintf(en, sizeof(en), "%s: a test of bouclier's alerts; nothing happened.", c->cfg.town);
	snprintf(fr, sizeof(fr), "%s : un essai des alertes de bouclier ; rien ne s'est passé.",
		 c->cfg.town);
	n = deliver(c, "test", "", en, fr);
	return n > 0 ? 0 : n < 0 ? n : -EIO;
}

int alert_check(const struct ctx *c)
{
	struct weather_inputs w;
	struct wreport r;
	struct told t;
	const char *lvl, *filter;
	char en[768], fr[768], why_en[256], why_fr[256];
	int err, sent = 0, up, lock;

	lock = told_lock(c, 0);
	if (lock < 0)
		return 0; /* another run is telling: this one would tell it twice */
	err = weather_inputs(c, &w);
	if (err) {
		weather_inputs_free(&w);
		close(lock);
		return err;
	}
	weather_compute(&w.in, &r);
	told_load(c, &t);
	lvl = weather_level_name(r.level, "en");
	/* the filter's own state: filtering, or what is wrong */
	filter = r.level == LEVEL_UNKNOWN ? (r.reason ? r.reason : "unknown")
					  : r.reason ? r.reason : "ok";
	if (!t.known) {
		/* the first look: told only when the filter is down */
		snprintf(t.level, sizeof(t.level), "%s", lvl);
		t.level_at = (__u64)c->now;
		snprintf(t.filter, sizeof(t.filter), "%s", "ok");
	}
	if (strcmp(filter, t.filter)) {
		if (!strcmp(filter, "ok")) {
			snprintf(en, sizeof(en), "%s: bouclier filters again (%s). %s", c->cfg.town,
				 lvl, weather_advice(&r, "en"));
			snprintf(fr, sizeof(fr), "%s : bouclier filtre à nouveau (%s). %s",
				 c->cfg.town, weather_level_name(r.level, "fr"), weather_advice(&r, "fr"));
		} else if (r.level == LEVEL_UNKNOWN) {
			snprintf(en, sizeof(en), "%s: bouclier is NOT FILTERING: %s. %s (`bouclier "
				 "status` on the firewall says more.)", c->cfg.town, filter,
				 weather_advice(&r, "en"));
			snprintf(fr, sizeof(fr), "%s : bouclier NE FILTRE PLUS : %s. %s (`bouclier "
				 "status` sur le pare-feu en dit plus.)", c->cfg.town,
				 weather_reason(filter, "fr"), weather_advice(&r, "fr"));
		} else {
			snprintf(en, sizeof(en), "%s: bouclier filters, less well than it should: %s.",
				 c->cfg.town, filter);
			snprintf(fr, sizeof(fr), "%s : bouclier filtre, moins bien qu'il ne devrait : "
				 "%s.", c->cfg.town, weather_reason(filter, "fr"));
		}
		sent += deliver(c, "filter", lvl, en, fr) > 0;
		snprintf(t.filter, sizeof(t.filter), "%s", filter);
		t.filter_at = (__u64)c->now;
		if (r.level == LEVEL_UNKNOWN || !strcmp(filter, "ok")) {
			/* the level comes with the filter's news */
			snprintf(t.level, sizeof(t.level), "%s", lvl);
			t.level_at = (__u64)c->now;
		}
	}
	up = level_rank(lvl) > level_rank(t.level);
	if (r.level != LEVEL_UNKNOWN && strcmp(lvl, t.level) &&
	    (up || (__u64)c->now >= t.level_at + (__u64)c->cfg.alert_min_interval)) {
		weather_why(&r, "en", why_en, sizeof(why_en));
		weather_why(&r, "fr", why_fr, sizeof(why_fr));
		snprintf(en, sizeof(en), "%s: the cyber weather is now %s (was %s): %s. %s",
			 c->cfg.town, lvl, t.level, why_en, weather_advice(&r, "en"));
		snprintf(fr, sizeof(fr), "%s : la météo cyber passe à %s (au lieu de %s) : %s. %s",
			 c->cfg.town, weather_level_name(r.level, "fr"),
			 level_rank(t.level) >= 0 ? weather_level_name(level_rank(t.level), "fr")
						  : t.level,
			 why_fr, weather_advice(&r, "fr"));
		sent += deliver(c, "level", lvl, en, fr) > 0;
		snprintf(t.level, sizeof(t.level), "%s", lvl);
		t.level_at = (__u64)c->now;
	}
	sent += tell_detected(c, &w.in, lvl, &t);
	told_save(c, &t);
	weather_inputs_free(&w);
	close(lock);
	return sent;
}

void alert_refused(const struct ctx *c, const char *feed, const char *why)
{
	char en[512], fr[512];
	struct told t;
	int i, lock;

	/* a run telling something else ends within its two deliveries */
	lock = told_lock(c, 2 * DELIVERY_SECONDS + 5);
	told_load(c, &t);
	for (i = 0; i < t.nrefused && strcmp(t.refused[i], feed); i++)
		;
	if (i < t.nrefused && (__u64)c->now < t.refused_at[i] + REFUSED_AGAIN) {
		if (lock >= 0)
			close(lock);
		return; /* told already today */
	}
	if (i == t.nrefused && t.nrefused < BOUCLIER_MAX_FEEDS)
		snprintf(t.refused[t.nrefused++], sizeof(t.refused[0]), "%s", feed);
	if (i < t.nrefused)
		t.refused_at[i] = (__u64)c->now;
	told_save(c, &t);

	snprintf(en, sizeof(en), "%s: the refresh refused feed %s (%s). Its last good list stays "
		 "live; `bouclier refresh -v` on the firewall says more.", c->cfg.town, feed, why);
	snprintf(fr, sizeof(fr), "%s : le rafraîchissement a refusé la liste %s (%s). Sa "
		 "dernière version valide reste en place ; `bouclier refresh -v` sur le pare-feu "
		 "en dit plus.", c->cfg.town, feed, why);
	deliver(c, "refresh", "", en, fr);
	if (lock >= 0)
		close(lock);
}

/* ---- alert check, alert test */

#include "cli.h"

static int run_check(struct ctx *c, void *o)
{
	int n;

	(void)o;
	n = alert_check(c);
	if (n < 0)
		return n;
	pr_info("%d alert%s sent\n", n, n == 1 ? "" : "s");
	return 0;
}

static int run_test(struct ctx *c, void *o)
{
	(void)o;
	return alert_test(c);
}

const struct command cmd_alert_check = {
	.name = "alert check",
	.summary = "tell [alert] what changed since it was last told: the weather's level, "
		   "whether the filter filters (watch and record run it)",
	.run = run_check,
};

const struct command cmd_alert_test = {
	.name = "alert test",
	.summary = "send a test message to [alert]'s command and webhook",
	.run = run_test,
};
