// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lapi.c - CrowdSec's Local API as a live source (lapi.h): the bouncer's
 * key, an answer applied to the timed bans, and what `feed list` and
 * `status` say of the polls.  The polls themselves are lapi_poll.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lapi.h"
#include "out.h"
#include "weather/weather.h"

#define OWNER_PREFIX "crowdsec:"

int lapi_key_read(const char *path, char *key, size_t len, char *why, size_t whylen)
{
	char buf[LAPI_KEY_LEN + 2];
	struct stat st;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		err = -errno;
		snprintf(why, whylen, "cannot read it: %s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not a file");
		err = -EINVAL;
	} else if (config_distrust(&st, path, true, why, whylen)) {
		err = -EPERM;
	} else if ((n = read(fd, buf, sizeof(buf) - 1)) < 0) {
		err = -errno;
		snprintf(why, whylen, "cannot read it: %s", strerror(errno));
	} else {
		/* one line; the newline an editor adds is not part of the key */
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
			n--;
		buf[n] = 0;
		/* printable, no space: it goes into a header line */
		if (!n || (size_t)n >= len || (size_t)n > LAPI_KEY_LEN ||
		    strspn(buf, "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				"[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~") != (size_t)n) {
			snprintf(why, whylen, "expected the key alone on one line (1 to %d printable "
				 "characters, as `cscli bouncers add NAME -o raw` prints it)",
				 LAPI_KEY_LEN);
			err = -EINVAL;
		} else {
			memcpy(key, buf, n + 1);
		}
	}
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return err;
}

void lapi_owner(const char *feed, char *buf, size_t len)
{
	snprintf(buf, len, OWNER_PREFIX "%s", feed);
}

static bool owned(const struct timed_entry *e, const char *owner)
{
	return e->kind == TIMED_BAN && !strcmp(e->by, owner);
}

/* The list's bans by prefix, for bsearch: a list and an answer are both
 * thousands long in a town that takes CrowdSec's community blocklist. */
struct slot {
	struct cidr c;
	size_t i;
};

static int slot_cmp(const void *a, const void *b)
{
	return cidr_cmp(&((const struct slot *)a)->c, &((const struct slot *)b)->c);
}

static int decision_cmp(const void *a, const void *b)
{
	const struct crowdsec_decision *const *x = a, *const *y = b;

	return cidr_cmp(&(*x)->c, &(*y)->c);
}

static struct slot *find(struct slot *idx, size_t n, const struct cidr *c)
{
	struct slot key = { .c = *c };

	return bsearch(&key, idx, n, sizeof(*idx), slot_cmp);
}

static bool in_answer(const struct crowdsec_decision **add, size_t n, const struct cidr *c)
{
	struct crowdsec_decision key = { .c = *c };
	const struct crowdsec_decision *k = &key;

	return bsearch(&k, add, n, sizeof(*add), decision_cmp) != NULL;
}

int lapi_apply(struct timed_list *t, const char *owner, int direction,
	       const struct crowdsec_stream *s, bool startup, time_t now, struct lapi_tally *n)
{
	const struct crowdsec_decision **add;
	size_t i, nidx = 0, nadd = 0, ngone = 0, n0 = t->n, k;
	struct timed_entry *v;
	struct slot *idx;
	bool *gone;
	int err = -ENOMEM;

	memset(n, 0, sizeof(*n));
	idx = malloc((n0 ? n0 : 1) * sizeof(*idx));
	gone = calloc(n0 ? n0 : 1, sizeof(*gone));
	add = malloc((s->nadded ? s->nadded : 1) * sizeof(*add));
	/* room for every new ban first: past this point nothing fails */
	v = realloc(t->v, (n0 + s->nadded ? n0 + s->nadded : 1) * sizeof(*v));
	if (v)
		t->v = v;
	if (!idx || !gone || !add || !v)
		goto out;
	for (i = 0; i < n0; i++)
		if (t->v[i].kind == TIMED_BAN)
			idx[nidx++] = (struct slot){ t->v[i].c, i };
	qsort(idx, nidx, sizeof(*idx), slot_cmp);
	/* one decision a prefix (two values typed apart, 2001:DB8::7 and
	 * 2001:db8::7, are one prefix): the one that lasts longest */
	for (i = 0; i < s->nadded; i++)
		add[i] = &s->added[i];
	qsort(add, s->nadded, sizeof(*add), decision_cmp);
	for (i = 0; i < s->nadded; i++) {
		if (nadd && !cidr_cmp(&add[nadd - 1]->c, &add[i]->c)) {
			if (add[i]->seconds > add[nadd - 1]->seconds)
				add[nadd - 1] = add[i];
			continue;
		}
		add[nadd++] = add[i];
	}
	if (startup && !s->beyond) {
		for (i = 0; i < n0; i++)
			if (owned(&t->v[i], owner) && !in_answer(add, nadd, &t->v[i].c))
				gone[i] = true, n->lifted++;
	} else if (!startup) {
		for (i = 0; i < s->ndeleted; i++) {
			struct slot *hit = find(idx, nidx, &s->deleted[i].c);

			if (hit && owned(&t->v[hit->i], owner) && !gone[hit->i])
				gone[hit->i] = true, n->lifted++;
		}
	}
	ngone = n->lifted;
	for (i = 0; i < nadd; i++) {
		const struct crowdsec_decision *d = add[i];
		struct slot *hit = find(idx, nidx, &d->c);
		struct timed_entry *e;

		if (!timed_prefix_ok(&d->c)) {
			n->refused++;
			continue;
		}
		if (hit && !owned(&t->v[hit->i], owner)) {
			/* banned already, by hand or another feed: that entry stays
			 * its owner's, but lasts at least as long as the decision,
			 * which is not given again before it ends */
			e = &t->v[hit->i];
			if (e->expires < (__u64)now + d->seconds) {
				e->expires = (__u64)now + d->seconds;
				n->renewed++;
			}
			n->others++;
			continue;
		}
		if (hit) {
			e = &t->v[hit->i];
			if (gone[hit->i]) { /* deleted and given again in one answer */
				gone[hit->i] = false;
				n->lifted--;
				ngone--;
			}
			n->renewed++;
		} else {
			if (t->n - ngone >= BOUCLIER_TIMED_ENTRIES) {
				n->full++;
				continue;
			}
			e = &t->v[t->n++];
			memset(e, 0, sizeof(*e));
			e->kind = TIMED_BAN;
			e->c = d->c;
			e->added = (__u64)now;
			snprintf(e->by, sizeof(e->by), "%s", owner);
			n->banned++;
		}
		e->expires = (__u64)now + d->seconds;
		e->direction = direction;
		snprintf(e->reason, sizeof(e->reason), "%s", d->reason);
	}
	for (i = 0, k = 0; i < t->n; i++)
		if (i >= n0 || !gone[i])
			t->v[k++] = t->v[i];
	t->n = k;
	err = 0;
out:
	free(idx);
	free(gone);
	free(add);
	return err;
}

static bool configured(const struct config *c, const char *feed)
{
	int i;

	for (i = 0; i < c->nlapis; i++)
		if (!strcmp(c->lapis[i].name, feed))
			return true;
	return false;
}

size_t lapi_forget_removed(struct timed_list *t, const struct config *c)
{
	size_t i, k = 0, len = strlen(OWNER_PREFIX);

	for (i = 0; i < t->n; i++)
		if (t->v[i].kind != TIMED_BAN || strncmp(t->v[i].by, OWNER_PREFIX, len) ||
		    configured(c, t->v[i].by + len))
			t->v[k++] = t->v[i];
	i = t->n - k;
	t->n = k;
	return i;
}

json_t *lapi_status(const char *dir, const struct config *c, time_t now)
{
	char path[PATH_MAX + 32], owner[64];
	struct timed_list t = { 0 };
	json_t *file, *out;
	int i;
	size_t k;

	if (!c->nlapis)
		return NULL;
	snprintf(path, sizeof(path), "%s/lapi.json", dir);
	file = json_load_file(path, 0, NULL);
	timed_load(dir, &t);
	out = json_array();
	for (i = 0; i < c->nlapis; i++) {
		const struct config_feed *f = &c->lapis[i];
		json_t *was = json_object_get(json_object_get(file, "feeds"), f->name), *x;
		json_int_t ok = json_integer_value(json_object_get(was, "last_success"));
		long window = 3 * f->lapi_interval > 90 ? 3 * f->lapi_interval : 90;
		size_t bans = 0;

		lapi_owner(f->name, owner, sizeof(owner));
		for (k = 0; k < t.n; k++)
			bans += owned(&t.v[k], owner) && t.v[k].expires > (__u64)now;
		/* what the poller said, if it did, then what holds now */
		x = json_is_object(was) ? json_deep_copy(was) : json_object();
		jset(x, "name", jstr(f->name));
		jset(x, "lapi", jstr(f->lapi));
		jset(x, "interval", json_integer(f->lapi_interval));
		if (!json_object_get(x, "state"))
			jset(x, "state", jstr("never polled"));
		/* lapi.json is a file: its state may be anything */
		jset(x, "live", json_boolean(ok && ok >= now - window &&
					     !strcmp(json_string_value(json_object_get(x, "state"))
						     ?: "", "ok")));
		jset(x, "bans", ju64(bans));
		json_array_append_new(out, x);
	}
	json_decref(file);
	timed_free(&t);
	return out;
}

void lapi_status_print(FILE *f, json_t *status, time_t now)
{
	json_t *x;
	size_t i;

	json_array_foreach(status, i, x) {
		const char *state = json_string_value(json_object_get(x, "state"));
		json_int_t ok = json_integer_value(json_object_get(x, "last_success"));
		char when[32], name[64], url[600], err[400];

		text_safe_buf(name, sizeof(name), json_string_value(json_object_get(x, "name")));
		text_safe_buf(url, sizeof(url), json_string_value(json_object_get(x, "lapi")));
		weather_time((time_t)ok, when, sizeof(when), "%Y-%m-%d %H:%M:%S");
		fprintf(f, "feed %s, CrowdSec LAPI %s: %s, %lld bans; ", name, url,
			json_is_true(json_object_get(x, "live")) ? "live" : "NOT live",
			(long long)json_integer_value(json_object_get(x, "bans")));
		if (ok)
			fprintf(f, "last answer %s (%llds ago)", when, (long long)(now - ok));
		else
			fprintf(f, "no answer yet");
		fprintf(f, ", %lld bans and %lld lifts since watch started",
			(long long)json_integer_value(json_object_get(x, "banned")),
			(long long)json_integer_value(json_object_get(x, "lifted")));
		if (state && strcmp(state, "ok")) {
			text_safe_buf(err, sizeof(err), json_string_value(json_object_get(x, "error")));
			fprintf(f, "; %s%s%s", state, err[0] ? ": " : "", err);
		}
		fputc('\n', f);
	}
}
