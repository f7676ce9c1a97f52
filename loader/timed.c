// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * timed.c - timed bans and allows (timed.h).  STATE_DIR/timed.list holds
 * one entry a line, tab-separated:
 *   kind  prefix  expires  added  direction  by  reason
 * kind is ban or allow, expires and added Unix seconds, direction in, out
 * or both (bans; "-" for allows).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "config.h"
#include "log.h"
#include "publish.h"
#include "state.h"
#include "timed.h"
#include "verdict.h"

#define TIMED_FILE "timed.list"

static void path_of(const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", dir, TIMED_FILE);
}

/* Tabs, newlines and control characters would break the file and the
 * reports: replaced by spaces. */
static void clean_copy(char *dst, size_t len, const char *src)
{
	size_t i;

	snprintf(dst, len, "%s", src ? src : "");
	for (i = 0; dst[i]; i++)
		if ((unsigned char)dst[i] < 0x20 || dst[i] == 0x7f)
			dst[i] = ' ';
}

static int parse_line(char *line, struct timed_entry *e)
{
	char *f[7], *save = NULL, *p = line;
	const char *why;
	int n, flags, d;

	line[strcspn(line, "\n")] = 0;
	for (n = 0; n < 7; n++) {
		f[n] = strtok_r(p, "\t", &save);
		p = NULL;
		if (!f[n])
			break;
	}
	if (n < 6)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	if (!strcmp(f[0], "ban"))
		e->kind = TIMED_BAN;
	else if (!strcmp(f[0], "allow"))
		e->kind = TIMED_ALLOW;
	else
		return -EINVAL;
	if (cidr_parse(f[1], strlen(f[1]), &e->c, &flags, &why))
		return -EINVAL;
	e->expires = strtoull(f[2], NULL, 10);
	e->added = strtoull(f[3], NULL, 10);
	e->direction = DIR_BOTH;
	for (d = DIR_IN; d <= DIR_BOTH; d++)
		if (!strcmp(f[4], direction_names()[d]))
			e->direction = d;
	clean_copy(e->by, sizeof(e->by), f[5]);
	clean_copy(e->reason, sizeof(e->reason), n > 6 ? f[6] : "");
	return e->expires ? 0 : -EINVAL;
}

static int take_line(char *line, void *ctx)
{
	struct timed_entry e;

	return parse_line(line, &e) ? 1 : timed_put(ctx, &e);
}

int timed_load(const char *dir, struct timed_list *t)
{
	char path[PATH_MAX + 32];
	int err;

	memset(t, 0, sizeof(*t));
	path_of(dir, path, sizeof(path));
	err = state_read_lines(path, "a timed entry (kind, prefix, expires, added, direction, by, "
				     "reason, tab-separated)",
			       take_line, t);
	if (err)
		timed_free(t);
	return err;
}

int timed_save(const char *dir, const struct timed_list *t)
{
	char path[PATH_MAX + 32], buf[CIDR_STRLEN], *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return -errno;
	fprintf(m, "# bouclier timed bans and allows: kind, prefix, expires, added, direction, by, "
		   "reason (tab-separated; `bouclier ban` and `bouclier allow add --for` write it)\n");
	for (i = 0; i < t->n; i++) {
		const struct timed_entry *e = &t->v[i];

		fprintf(m, "%s\t%s\t%llu\t%llu\t%s\t%s\t%s\n", e->kind == TIMED_BAN ? "ban" : "allow",
			cidr_format(&e->c, buf, sizeof(buf)), (unsigned long long)e->expires,
			(unsigned long long)e->added,
			e->kind == TIMED_BAN ? direction_names()[e->direction] : "-",
			e->by[0] ? e->by : "-", e->reason);
	}
	path_of(dir, path, sizeof(path));
	return state_write_stream(path, m, &text, &len);
}

void timed_free(struct timed_list *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

size_t timed_expire(struct timed_list *t, time_t now)
{
	size_t i, k = 0, gone;

	for (i = 0; i < t->n; i++)
		if (t->v[i].expires > (__u64)now)
			t->v[k++] = t->v[i];
	gone = t->n - k;
	t->n = k;
	return gone;
}

static size_t find(const struct timed_list *t, enum timed_kind kind, const struct cidr *c)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].kind == kind && !cidr_cmp(&t->v[i].c, c))
			return i;
	return t->n;
}

bool timed_prefix_ok(const struct cidr *c)
{
	struct cidr mapped;

	if (c->family == 4)
		return true;
	cidr_from_v6(&mapped, 0, 0xffff00000000ULL, 96);
	return !cidr_contains(c, &mapped);
}

int timed_put(struct timed_list *t, const struct timed_entry *e)
{
	size_t i = find(t, e->kind, &e->c);
	struct timed_entry *v;

	if (i == t->n) {
		if (t->n >= BOUCLIER_TIMED_ENTRIES)
			return -ENOSPC;
		v = realloc(t->v, (t->n + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->v = v;
		t->n++;
	}
	t->v[i] = *e;
	/* whoever built it: a reason from a script may hold a newline, which
	 * would be a line of its own in timed.list */
	clean_copy(t->v[i].by, sizeof(t->v[i].by), e->by);
	clean_copy(t->v[i].reason, sizeof(t->v[i].reason), e->reason);
	return 0;
}

int timed_del(struct timed_list *t, enum timed_kind kind, const struct cidr *c)
{
	size_t i = find(t, kind, c);

	if (i == t->n)
		return -ENOENT;
	t->v[i] = t->v[--t->n];
	return 0;
}

static void key_of(const struct cidr *c, struct bouclier_timed_key *k)
{
	__u64 hi, lo;

	memset(k, 0, sizeof(*k));
	if (c->family == 4) {
		hi = 0;
		lo = 0xffff00000000ULL | cidr_v4(c);
		k->prefixlen = 96 + c->plen;
	} else {
		cidr_v6(c, &hi, &lo);
		k->prefixlen = c->plen;
	}
	k->addr[0] = htonl((__u32)(hi >> 32));
	k->addr[1] = htonl((__u32)hi);
	k->addr[2] = htonl((__u32)(lo >> 32));
	k->addr[3] = htonl((__u32)lo);
}

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct bouclier_timed_key));
}

/* The ban of an entry whose prefix also has a live timed allow is not
 * written: they would share one key, and the allow wins while it lasts. */
static bool shadowed_ban(const struct timed_list *t, const struct timed_entry *e, time_t now,
			 bool any_allow)
{
	size_t j;

	if (e->kind != TIMED_BAN || !any_allow) /* CrowdSec's thousands: bans alone */
		return false;
	for (j = 0; j < t->n; j++)
		if (t->v[j].kind == TIMED_ALLOW && t->v[j].expires > (__u64)now &&
		    !cidr_cmp(&t->v[j].c, &e->c))
			return true;
	return false;
}

int timed_sync(struct live *l, const struct timed_list *t, time_t now)
{
	struct bouclier_timed_key k, next, *want, *gone = NULL;
	struct bouclier_timed_val v;
	struct bouclier_clock clk = { 0 };
	__u32 ban_set = 0, zero = 0, count = 0;
	size_t i, nwant = 0, ngone = 0, cap = 0, *keep;
	void *prev = NULL;
	int err = 0, ban_err = 0;
	bool any_allow = false;

	/* the entries the map is to hold (keep, in the list's order) and their
	 * keys (want, sorted for the walk) */
	want = calloc(t->n ? t->n : 1, sizeof(*want));
	keep = calloc(t->n ? t->n : 1, sizeof(*keep));
	if (!want || !keep) {
		free(want);
		free(keep);
		return -ENOMEM;
	}
	for (i = 0; i < t->n; i++)
		any_allow |= t->v[i].kind == TIMED_ALLOW;
	for (i = 0; i < t->n; i++)
		if (t->v[i].expires > (__u64)now && !shadowed_ban(t, &t->v[i], now, any_allow)) {
			key_of(&t->v[i].c, &want[nwant]);
			keep[nwant++] = i;
		}
	qsort(want, nwant, sizeof(*want), key_cmp);
	/* what the map holds and the list does not leaves first (the map has
	 * room for the list, not for both), found by one walk, then removed */
	while (!bpf_map_get_next_key(l->timed_fd, prev, &next)) {
		k = next;
		prev = &k;
		if (bsearch(&k, want, nwant, sizeof(*want), key_cmp))
			continue;
		if (ngone == cap) {
			struct bouclier_timed_key *g;

			cap = cap ? 2 * cap : 64;
			g = realloc(gone, cap * sizeof(*g));
			if (!g) {
				err = -ENOMEM;
				break;
			}
			gone = g;
		}
		gone[ngone++] = k;
	}
	for (i = 0; !err && i < ngone; i++)
		if (bpf_map_delete_elem(l->timed_fd, &gone[i]) && errno != ENOENT)
			err = -errno;
	free(gone);
	for (i = 0; i < nwant && !err; i++) {
		const struct timed_entry *e = &t->v[keep[i]];

		memset(&v, 0, sizeof(v));
		v.expires = e->expires;
		if (e->kind == TIMED_ALLOW) {
			v.val = BOUCLIER_ALLOW;
		} else {
			/* no set for the bans (every set taken): the allows still go in */
			if (!ban_set && !ban_err)
				ban_err = publish_pseudo_set(l, BOUCLIER_FEED_BAN, &ban_set);
			if (ban_err)
				continue;
			v.val = ban_set | (e->direction & DIR_IN ? BOUCLIER_IN : 0) |
				(e->direction & DIR_OUT ? BOUCLIER_OUT : 0);
		}
		key_of(&e->c, &k);
		if (!err && bpf_map_update_elem(l->timed_fd, &k, &v, BPF_ANY))
			err = -errno;
	}
	prev = NULL;
	while (!bpf_map_get_next_key(l->timed_fd, prev, &next)) {
		k = next;
		prev = &k;
		count++;
	}
	free(want);
	free(keep);
	err = err ?: ban_err;
	/* whatever went wrong, the programs are told what the map holds */
	/* the bans' pseudo-feed has its name where the reports look for it */
	{
		__u32 idx = BOUCLIER_FEED_BAN;
		struct bouclier_feed f = { BOUCLIER_FEED_BAN_NAME, BOUCLIER_FEED_BAN_CATEGORY };

		f.flags = BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT;
		bpf_map_update_elem(l->feeds_fd, &idx, &f, BPF_ANY);
	}
	bpf_map_lookup_elem(l->clock_fd, &zero, &clk);
	clk.timed = count;
	if (bpf_map_update_elem(l->clock_fd, &zero, &clk, BPF_ANY))
		return -errno;
	return err ?: publish_clock(l);
}

int timed_lookup(struct live *l, const struct cidr *addr, __u32 *val,
		 struct bouclier_timed_val *hit)
{
	struct bouclier_timed_key k;
	struct bouclier_timed_val v;
	struct cidr host = *addr;

	if (*val & BOUCLIER_ALLOW)
		return 0;
	host.plen = host.family == 4 ? 32 : 128;
	key_of(&host, &k);
	if (bpf_map_lookup_elem(l->timed_fd, &k, &v) || v.expires <= (__u64)time(NULL))
		return 0;
	*val = bouclier_timed_merge(*val, v.val); /* as the programs do */
	if (hit)
		*hit = v;
	return 1;
}

void timed_who(char *buf, size_t len)
{
	const char *sudo = getenv("SUDO_USER");
	struct passwd *pw;

	if (sudo && *sudo) {
		clean_copy(buf, len, sudo);
		return;
	}
	pw = getpwuid(getuid());
	clean_copy(buf, len, pw ? pw->pw_name : "unknown");
}

void timed_left(long s, char *buf, size_t len)
{
	if (s <= 0)
		snprintf(buf, len, "expired");
	else if (s < 120)
		snprintf(buf, len, "%lds", s);
	else if (s < 2 * 3600)
		snprintf(buf, len, "%ldm", s / 60);
	else if (s < 2 * 86400)
		snprintf(buf, len, "%ldh%02ldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%ldd%02ldh", s / 86400, s % 86400 / 3600);
}
