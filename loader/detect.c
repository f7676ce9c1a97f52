// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * detect.c - detection's user side (detect.h).  STATE_DIR/detected.list
 * holds one ban a line, tab-separated:
 *   prefix  at  expires  behaviour  count  seconds  port  service  offences  state
 * prefix an IPv4 address or an IPv6 /64, at and expires Unix seconds,
 * behaviour scan, sweep or guess, service a sensitive service's name or
 * "-", state ban, monitor (a would-ban) or lifted.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include "config.h"
#include "detect.h"
#include "log.h"
#include "names.h"
#include "out.h"
#include "publish.h"
#include "state.h"
#include "timed.h"
#include "verdict.h"
#include "weather/weather.h"

#define DETECT_FILE "detected.list"

long detect_estimate(__u32 b, __u32 m)
{
	if (b >= m)
		return (long)m * 8; /* every bit set: many more than m */
	return lround(-(double)m * log(1.0 - (double)b / m));
}

__u32 detect_bits(long n, __u32 m)
{
	__u32 b;

	if (n <= 0)
		return 0;
	for (b = 1; b < m; b++)
		if (detect_estimate(b, m) >= n)
			return b;
	return m;
}

void detect_list_free(struct detect_list *d)
{
	free(d->v);
	d->v = NULL;
	d->n = 0;
}

static int push(struct detect_list *d, const struct detect_entry *e)
{
	struct detect_entry *v = realloc(d->v, (d->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	d->v = v;
	d->v[d->n++] = *e;
	return 0;
}

void detect_key_of(const struct cidr *c, struct bouclier_addr_key *k)
{
	if (c->family == 4) {
		k->hi = 0;
		k->lo = 0xffff00000000ULL | cidr_v4(c);
	} else {
		cidr_v6(c, &k->hi, &k->lo);
		k->lo = 0;
	}
}

void detect_cidr_of(const struct bouclier_addr_key *k, struct cidr *c)
{
	if (!k->hi && (k->lo >> 32) == 0xffff)
		cidr_from_v4(c, (__u32)k->lo, 32);
	else
		cidr_from_v6(c, k->hi, 0, 64);
}

bool detect_active(const struct bouclier_ban *b, time_t now)
{
	return bouclier_ban_acts(b, now);
}

static const char *state_word(const struct bouclier_ban *b)
{
	return b->flags & BOUCLIER_BAN_LIFTED ? "lifted"
	       : b->flags & BOUCLIER_BAN_MONITOR ? "monitor" : "ban";
}

/* ---- the file */

static const char *const kind_words[BOUCLIER_B_MAX] = { "scan", "sweep", "guess" };

static int parse_line(char *line, struct detect_entry *e)
{
	char *f[10], *save = NULL, *p = line;
	const char *why;
	struct cidr c;
	int n, flags, i;

	line[strcspn(line, "\n")] = 0;
	for (n = 0; n < 10; n++) {
		f[n] = strtok_r(p, "\t", &save);
		p = NULL;
		if (!f[n])
			return -EINVAL;
	}
	memset(e, 0, sizeof(*e));
	if (cidr_parse(f[0], strlen(f[0]), &c, &flags, &why) ||
	    c.plen != (c.family == 4 ? 32 : 64))
		return -EINVAL;
	detect_key_of(&c, &e->k);
	e->b.at = strtoull(f[1], NULL, 10);
	e->b.expires = strtoull(f[2], NULL, 10);
	for (i = 0; i < BOUCLIER_B_MAX && strcmp(f[3], kind_words[i]); i++)
		;
	if (i == BOUCLIER_B_MAX || !e->b.expires)
		return -EINVAL;
	e->b.kind = i;
	e->b.count = strtoul(f[4], NULL, 10);
	e->b.seconds = strtoul(f[5], NULL, 10);
	e->b.port = strtoul(f[6], NULL, 10);
	for (i = 1; i < BOUCLIER_GUESSES && strcmp(f[7], guess_name(i)); i++)
		;
	e->b.service = i < BOUCLIER_GUESSES ? i : 0;
	i = atoi(f[8]);
	e->b.offences = i < 1 ? 1 : i > 255 ? 255 : i;
	if (!strcmp(f[9], "lifted"))
		e->b.flags = BOUCLIER_BAN_LIFTED;
	else if (!strcmp(f[9], "monitor"))
		e->b.flags = BOUCLIER_BAN_MONITOR;
	else if (strcmp(f[9], "ban"))
		return -EINVAL;
	return 0;
}

static int take_line(char *line, void *ctx)
{
	struct detect_entry e;

	return parse_line(line, &e) ? 1 : push(ctx, &e);
}

int detect_load(const char *dir, struct detect_list *d)
{
	char path[PATH_MAX + 32];
	int err;

	memset(d, 0, sizeof(*d));
	snprintf(path, sizeof(path), "%s/%s", dir, DETECT_FILE);
	err = state_read_lines(path, "a detected ban (prefix, at, expires, behaviour, count, "
				     "seconds, port, service, offences, state; tab-separated)",
			       take_line, d);
	if (err)
		detect_list_free(d);
	return err;
}

int detect_save(const char *dir, const struct detect_list *d)
{
	char path[PATH_MAX + 32], buf[CIDR_STRLEN], *text = NULL;
	size_t len = 0, i;
	FILE *m = open_memstream(&text, &len);

	if (!m)
		return -errno;
	fprintf(m, "# bouclier: the bans detection made (prefix, at, expires, behaviour, count, "
		   "seconds, port, service, offences, state; tab-separated; the kernel makes them, "
		   "`bouclier watch` keeps this file, `bouclier ban del` lifts one)\n");
	for (i = 0; i < d->n; i++) {
		const struct bouclier_ban *b = &d->v[i].b;
		struct cidr c;

		detect_cidr_of(&d->v[i].k, &c);
		fprintf(m, "%s\t%llu\t%llu\t%s\t%u\t%u\t%u\t%s\t%u\t%s\n",
			cidr_format(&c, buf, sizeof(buf)), (unsigned long long)b->at,
			(unsigned long long)b->expires,
			b->kind < BOUCLIER_B_MAX ? kind_words[b->kind] : "scan", b->count, b->seconds,
			b->port, b->service ? guess_name(b->service) : "-", b->offences,
			state_word(b));
	}
	snprintf(path, sizeof(path), "%s/%s", dir, DETECT_FILE);
	return state_write_stream(path, m, &text, &len);
}

/* ---- the map */

int detect_read(struct live *l, struct detect_list *d)
{
	struct bouclier_addr_key k, next;
	struct detect_entry e;
	void *prev = NULL;
	int err = 0;

	memset(d, 0, sizeof(*d));
	while (!err && !bpf_map_get_next_key(l->bans_fd, prev, &next)) {
		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(l->bans_fd, &k, &e.b))
			continue; /* removed meanwhile */
		e.k = k;
		err = push(d, &e);
	}
	if (err)
		detect_list_free(d);
	return err;
}

int detect_configure(struct live *l, const struct detect_settings *s)
{
	struct bouclier_detect_conf c = { 0 };
	struct bouclier_feed f = { BOUCLIER_FEED_DETECT_NAME, BOUCLIER_FEED_DETECT_CATEGORY };
	__u32 zero = 0, idx = BOUCLIER_FEED_DETECT, set = 0;
	int err;

	/* the drops of detected bans are counted as this pseudo-feed's */
	err = publish_pseudo_set(l, BOUCLIER_FEED_DETECT, &set);
	if (err)
		return err;
	f.flags = BOUCLIER_FEED_IN | (s->monitor ? BOUCLIER_FEED_MONITOR : 0);
	if (bpf_map_update_elem(l->feeds_fd, &idx, &f, BPF_ANY))
		return -errno;
	c.flags = (s->on ? BOUCLIER_DETECT_ON : 0) | (s->monitor ? BOUCLIER_DETECT_MONITOR : 0);
	c.window = (__u32)s->window;
	c.scan_bits = (__u16)detect_bits(s->scan_ports, BOUCLIER_PORT_BITS);
	c.sweep_bits = (__u16)detect_bits(s->sweep_addresses, BOUCLIER_ADDR_BITS);
	c.guesses = (__u16)(s->guesses < 0xffff ? s->guesses : 0xffff);
	c.set = (__u16)set;
	c.ban = (__u32)s->ban;
	c.max_ban = (__u32)s->max_ban;
	c.peer_seconds = (__u32)s->peer_seconds;
	return bpf_map_update_elem(l->detect_fd, &zero, &c, BPF_ANY) ? -errno : 0;
}

static int key_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct bouclier_addr_key));
}

/* The entry of k in d, sorted by key_cmp. */
static const struct detect_entry *find(const struct detect_list *d,
				       const struct bouclier_addr_key *k)
{
	return d->n ? bsearch(k, d->v, d->n, sizeof(d->v[0]), key_cmp) : NULL;
}

/* Deletes the ban of e unless the kernel made it again since it was read
 * (it reuses an ended entry in place for a repeat offender). */
static int delete_unchanged(struct live *l, const struct detect_entry *e)
{
	struct bouclier_ban now;

	if (bpf_map_lookup_elem(l->bans_fd, &e->k, &now) || now.at != e->b.at)
		return -EAGAIN;
	return bpf_map_delete_elem(l->bans_fd, &e->k) ? -errno : 0;
}

/* The bans the map holds at most: its size, fixed when the programs were
 * first loaded, whatever the configuration says now. */
static size_t map_capacity(struct live *l, const struct detect_settings *s)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(l->bans_fd, &info, &len) || !info.max_entries)
		return (size_t)s->max_bans;
	return info.max_entries;
}

/* The bans' bloom filter mapped for writing, or NULL (errno set). */
static __u64 *bloom_map(struct live *l)
{
	void *m = mmap(NULL, BOUCLIER_BLOOM_WORDS * sizeof(__u64), PROT_READ | PROT_WRITE,
		       MAP_SHARED, l->bloom_fd, 0);

	return m == MAP_FAILED ? NULL : m;
}

static void bloom_set(__u64 *bloom, const struct bouclier_addr_key *k)
{
	__u32 b = bouclier_bloom_bit(k->hi, k->lo);

	__atomic_fetch_or(&bloom[b >> 6], 1ULL << (b & 63), __ATOMIC_SEQ_CST);
}

/* The bloom filter as the map's keys make it.  Bits of keys that left are
 * cleared by one atomic AND a word; a ban the kernel added meanwhile may
 * lose its bit then, so every key's bit is set again after. */
static int bloom_rebuild(struct live *l)
{
	size_t bytes = BOUCLIER_BLOOM_WORDS * sizeof(__u64), i;
	struct detect_list d;
	__u64 *want, *bloom;
	int err;

	want = calloc(BOUCLIER_BLOOM_WORDS, sizeof(*want));
	if (!want)
		return -ENOMEM;
	bloom = bloom_map(l);
	if (!bloom) {
		err = -errno;
		free(want);
		return err;
	}
	err = detect_read(l, &d);
	for (i = 0; !err && i < d.n; i++) {
		__u32 b = bouclier_bloom_bit(d.v[i].k.hi, d.v[i].k.lo);

		want[b >> 6] |= 1ULL << (b & 63);
	}
	detect_list_free(&d);
	for (i = 0; !err && i < BOUCLIER_BLOOM_WORDS; i++)
		if (bloom[i] & ~want[i])
			__atomic_fetch_and(&bloom[i], want[i], __ATOMIC_SEQ_CST);
	if (!err)
		err = detect_read(l, &d);
	for (i = 0; !err && i < d.n; i++)
		bloom_set(bloom, &d.v[i].k);
	if (!err)
		detect_list_free(&d);
	munmap(bloom, bytes);
	free(want);
	return err;
}

/* Past max_bans, which entry leaves first: those that no longer act (the
 * earliest end first), then the oldest bans.  rank: 0 or 1, then the time. */
struct leave {
	int rank;
	__u64 t;
	size_t i;
};

static int leave_order(const void *a, const void *b)
{
	const struct leave *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank - y->rank;
	return x->t < y->t ? -1 : x->t > y->t;
}

int detect_sync(struct live *l, const char *dir, const struct detect_settings *s, time_t now,
		size_t *added, size_t *removed)
{
	struct detect_list file, map;
	size_t i, nadd = 0, nrm = 0, keep;
	__u64 *bloom = NULL; /* mapped at the first ban put back */
	int err;

	err = detect_load(dir, &file);
	if (err)
		return err;
	err = detect_read(l, &map);
	if (err)
		goto out_file;
	if (map.n) /* for find() */
		qsort(map.v, map.n, sizeof(map.v[0]), key_cmp);
	/* after a reboot or a reload of the maps: the file's bans go back */
	for (i = 0; i < file.n && !err; i++) {
		const struct detect_entry *e = &file.v[i];

		if (find(&map, &e->k) || e->b.expires + (__u64)s->max_ban <= (__u64)now)
			continue;
		/* before the ban goes in: one in the map without its bit is
		 * passed over by the fast path, and the next sync, finding it,
		 * would not mend that */
		if (!bloom && !(bloom = bloom_map(l))) {
			err = -errno;
			break;
		}
		if (bpf_map_update_elem(l->bans_fd, &e->k, &e->b, BPF_NOEXIST)) {
			if (errno == E2BIG)
				break; /* full: the kernel's own bans first */
			if (errno != EEXIST)
				err = -errno;
			continue;
		}
		bloom_set(bloom, &e->k);
		nadd++;
	}
	if (bloom)
		munmap(bloom, BOUCLIER_BLOOM_WORDS * sizeof(__u64));
	detect_list_free(&map);
	if (!err)
		err = detect_read(l, &map);
	if (err)
		goto out_file;
	/* what is forgotten: ended (or lifted) more than max_ban ago */
	for (i = 0; i < map.n; i++) {
		const struct bouclier_ban *b = &map.v[i].b;

		if (b->expires + (__u64)s->max_ban <= (__u64)now && !delete_unchanged(l, &map.v[i]))
			nrm++;
	}
	/* past max_bans less a sixteenth (room for the kernel's next ones),
	 * the first to leave go */
	keep = map_capacity(l, s);
	keep -= keep / 16;
	if (map.n - nrm > keep) {
		size_t over = map.n - nrm - keep, n = 0;
		struct leave *v = calloc(map.n, sizeof(*v));

		if (!v) {
			err = -ENOMEM;
			goto out_map;
		}
		for (i = 0; i < map.n; i++) {
			const struct bouclier_ban *b = &map.v[i].b;

			if (b->expires + (__u64)s->max_ban <= (__u64)now)
				continue; /* gone above */
			v[n++] = detect_active(b, now) ? (struct leave){ 1, b->at, i }
						       : (struct leave){ 0, b->expires, i };
		}
		if (n)
			qsort(v, n, sizeof(*v), leave_order);
		for (i = 0; i < n && over; i++)
			if (!delete_unchanged(l, &map.v[v[i].i])) {
				nrm++;
				over--;
			}
		free(v);
	}
out_map:
	detect_list_free(&map);
	if (nrm) { /* an extra bit only costs a lookup: an error here is told, not fatal */
		int e = bloom_rebuild(l);

		err = err ?: e;
	}
	if (!err)
		err = detect_read(l, &map);
	if (!err) {
		if (map.n) /* an empty list's v is NULL, and qsort(NULL, 0) is undefined */
			qsort(map.v, map.n, sizeof(map.v[0]), key_cmp);
		err = detect_save(dir, &map);
		detect_list_free(&map);
	}
out_file:
	detect_list_free(&file);
	if (added)
		*added = nadd;
	if (removed)
		*removed = nrm;
	return err;
}

int detect_lift(struct live *l, const char *dir, const struct cidr *c)
{
	struct bouclier_addr_key k;
	struct detect_list file;
	int err, found = 0;
	size_t i, j;

	/* the file first: were the map first and the file left as it was, the
	 * next sync would put the ban back */
	detect_key_of(c, &k);
	err = detect_load(dir, &file);
	if (err)
		return err;
	for (i = j = 0; i < file.n; i++) {
		if (!key_cmp(&file.v[i].k, &k)) {
			found = 1;
			continue;
		}
		file.v[j++] = file.v[i];
	}
	file.n = j;
	if (found)
		err = detect_save(dir, &file);
	detect_list_free(&file);
	if (err)
		return err;
	if (l && !bpf_map_delete_elem(l->bans_fd, &k))
		found = 1;
	if (found && l)
		err = bloom_rebuild(l);
	return err ? err : found ? 0 : -ENOENT;
}

int detect_lookup(struct live *l, const struct cidr *addr, __u32 *val, struct bouclier_ban *hit)
{
	struct bouclier_detect_conf conf = { 0 };
	struct bouclier_addr_key k;
	struct bouclier_ban b;
	__u32 zero = 0;

	detect_key_of(addr, &k);
	if (bpf_map_lookup_elem(l->bans_fd, &k, &b))
		return 0;
	if (hit)
		*hit = b;
	if (detect_active(&b, time(NULL))) {
		bpf_map_lookup_elem(l->detect_fd, &zero, &conf);
		/* as bouclier_ban_find() merges it */
		*val = bouclier_ban_merge(*val, conf.set, (b.flags & BOUCLIER_BAN_MONITOR) ||
					  (conf.flags & BOUCLIER_DETECT_MONITOR));
	}
	return 1;
}

/* ---- in words */

void detect_describe_lang(const struct bouclier_ban *b, const char *lang, char *buf, size_t len)
{
	int fr = lang && !strcmp(lang, "fr");
	char in[40];

	if (b->seconds)
		snprintf(in, sizeof(in), fr ? "en %u s" : "in %u s", b->seconds);
	else
		snprintf(in, sizeof(in), fr ? "en moins d'une seconde" : "within a second");
	switch (b->kind) {
	case BOUCLIER_B_SCAN:
		snprintf(buf, len, fr ? "balayage de ports : environ %ld ports %s"
				      : "port scan: about %ld ports %s",
			 detect_estimate(b->count, BOUCLIER_PORT_BITS), in);
		break;
	case BOUCLIER_B_SWEEP:
		snprintf(buf, len, fr ? "balayage d'adresses : environ %ld adresses %s"
				      : "address sweep: about %ld addresses %s",
			 detect_estimate(b->count, BOUCLIER_ADDR_BITS), in);
		break;
	default:
		snprintf(buf, len, fr ? "essais de mots de passe (%s) : %u connexions %s"
				      : "password guessing (%s): %u connections %s",
			 guess_name(b->service), b->count, in);
	}
}

void detect_describe(const struct bouclier_ban *b, char *buf, size_t len)
{
	detect_describe_lang(b, "en", buf, len);
}

void detect_print(const struct detect_entry *e, time_t now)
{
	char pfx[CIDR_STRLEN], what[128], at[32], until[32], left[32];
	struct cidr c;

	detect_cidr_of(&e->k, &c);
	detect_describe(&e->b, what, sizeof(what));
	weather_time((time_t)e->b.at, at, sizeof(at), "%Y-%m-%d %H:%M");
	weather_time((time_t)e->b.expires, until, sizeof(until), "%H:%M");
	if (e->b.expires - e->b.at >= 86400)
		weather_time((time_t)e->b.expires, until, sizeof(until), "%Y-%m-%d %H:%M");
	timed_left((long)e->b.expires - now, left, sizeof(left));
	printf("%-20s %s, %s, %s until %s (%s left)", cidr_format(&c, pfx, sizeof(pfx)), what, at,
	       e->b.flags & BOUCLIER_BAN_MONITOR ? "would be banned" : "banned", until, left);
	if (e->b.offences > 1)
		printf(", offence %u", e->b.offences);
	if (e->b.flags & BOUCLIER_BAN_LIFTED)
		printf("; lifted: a machine of the town contacted it");
	printf("\n");
}

json_t *detect_json(const struct detect_entry *e, time_t now)
{
	json_t *x = json_object();
	char pfx[CIDR_STRLEN], what[128];
	struct cidr c;

	detect_cidr_of(&e->k, &c);
	detect_describe(&e->b, what, sizeof(what));
	jset(x, "kind", jstr("detected"));
	jset(x, "prefix", jstr(cidr_format(&c, pfx, sizeof(pfx))));
	jset(x, "behaviour", jstr(behaviour_name(e->b.kind)));
	jset(x, "service", e->b.kind == BOUCLIER_B_GUESS ? jstr(guess_name(e->b.service))
							 : json_null());
	jset(x, "count", json_integer(e->b.kind == BOUCLIER_B_SCAN
					      ? detect_estimate(e->b.count, BOUCLIER_PORT_BITS)
				      : e->b.kind == BOUCLIER_B_SWEEP
					      ? detect_estimate(e->b.count, BOUCLIER_ADDR_BITS)
					      : (long)e->b.count));
	jset(x, "seconds", json_integer(e->b.seconds));
	jset(x, "last_port", json_integer(e->b.port));
	jset(x, "reason", jstr(what));
	jset(x, "detected_at", ju64(e->b.at));
	jset(x, "expires", ju64(e->b.expires));
	jset(x, "seconds_left", json_integer((json_int_t)e->b.expires - now));
	jset(x, "offences", json_integer(e->b.offences));
	jset(x, "state", jstr(state_word(&e->b)));
	jset(x, "direction", jstr("in"));
	return x;
}
