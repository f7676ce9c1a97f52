// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "log.h"
#include "publish.h"

void fault_point(const char *point)
{
	const char *f = getenv("BOUCLIER_FAULT");

	if (f && !strcmp(f, point)) {
		fprintf(stderr, "bouclier: fault injected at %s\n", point);
		raise(SIGKILL);
	}
}

int publish_clock(struct live *l)
{
	struct bouclier_clock c = { 0 };
	struct timespec real, mono;
	__u32 zero = 0;

	bpf_map_lookup_elem(l->clock_fd, &zero, &c); /* keeps c.timed */
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC_COARSE, &mono);
	c.wall_offset = real.tv_sec - mono.tv_sec + (real.tv_nsec - mono.tv_nsec) / 1000000000;
	c.updated_at = real.tv_sec;
	return bpf_map_update_elem(l->clock_fd, &zero, &c, BPF_ANY) ? -errno : 0;
}

int live_lookup(struct live *l, const struct cidr *addr, __u32 *val)
{
	struct bpf_map_info info = { 0 };
	__u32 zero = 0, id, len = sizeof(info);
	size_t bytes;
	void *m;
	int fd, err = 0;

	*val = 0;
	if (bpf_map_lookup_elem(l->tables_fd, &zero, &id))
		return 0; /* no table yet: nothing listed */
	fd = bpf_map_get_fd_by_id(id);
	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		err = -errno;
		goto out;
	}
	bytes = (size_t)info.max_entries * BOUCLIER_LINE_BYTES;
	m = mmap(NULL, bytes, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		err = -errno;
		goto out;
	}
	*val = table_lookup(m, info.max_entries, addr);
	munmap(m, bytes);
out:
	close(fd);
	return err;
}

/* ---- feed sets: stable ids for combinations of feeds */

struct sets {
	struct bouclier_set v[BOUCLIER_MAX_SETS];
	__u8 used[BOUCLIER_MAX_SETS]; /* by this compilation */
	__u8 dirty[BOUCLIER_MAX_SETS]; /* its mask changed: written to bouclier_sets */
	__u8 fresh[BOUCLIER_MAX_SETS]; /* newly given out: its counters start at zero */
	__u32 in, out;                /* feeds that drop on the way in, out */
	__u32 mon_in, mon_out;        /* feeds in monitor mode, by direction */
	__u32 regional;               /* the region's lists (BOUCLIER_FEED_REGIONAL) */
};

/* The directions in which a set of feeds drops or would drop, as value bits,
 * and whether only the region's lists drop it on the way in. */
static int dirs(const struct sets *s, __u32 feeds)
{
	return (feeds & s->in ? BOUCLIER_IN : 0) | (feeds & s->out ? BOUCLIER_OUT : 0) |
	       (feeds & s->mon_in ? BOUCLIER_MON_IN : 0) |
	       (feeds & s->mon_out ? BOUCLIER_MON_OUT : 0) |
	       ((feeds & s->in) && !(feeds & s->in & ~s->regional) ? BOUCLIER_REGIONAL : 0);
}

static int set_id(__u32 feeds, void *ctx)
{
	struct sets *s = ctx;
	int i, free_id = -1;

	for (i = 1; i < BOUCLIER_MAX_SETS; i++) {
		if (s->v[i].feeds == feeds) {
			s->used[i] = 1;
			return i | dirs(s, feeds);
		}
		if (!s->v[i].feeds && free_id < 0)
			free_id = i;
	}
	/* All taken: reuse one this table does not use (its counters restart). */
	for (i = 1; free_id < 0 && i < BOUCLIER_MAX_SETS; i++)
		if (!s->used[i])
			free_id = i;
	if (free_id < 0)
		return -ENOSPC;
	s->v[free_id].feeds = feeds;
	s->used[free_id] = s->dirty[free_id] = s->fresh[free_id] = 1;
	return free_id | dirs(s, feeds);
}

static int sets_write(struct live *l, struct sets *s)
{
	int ncpu = libbpf_num_possible_cpus();
	struct bouclier_set_stat *zero;
	__u32 i;
	int err = 0;

	zero = calloc(ncpu > 0 ? ncpu : 1, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	for (i = 1; i < BOUCLIER_MAX_SETS && !err; i++) {
		__u32 k;

		/* drops in, out; would-drops in, out */
		for (k = 0; s->fresh[i] && k < 4 && !err; k++) {
			__u32 key = i + k * BOUCLIER_MAX_SETS;

			if (bpf_map_update_elem(l->set_stats_fd, &key, zero, BPF_ANY))
				err = -errno;
		}
		if (s->dirty[i] && bpf_map_update_elem(l->sets_fd, &i, &s->v[i], BPF_ANY))
			err = -errno;
	}
	free(zero);
	return err;
}

int publish_pseudo_set(struct live *l, int index, __u32 *set)
{
	struct sets *s = calloc(1, sizeof(*s));
	int id, err;
	__u32 i;

	if (!s)
		return -ENOMEM;
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		bpf_map_lookup_elem(l->sets_fd, &i, &s->v[i]);
	s->in = s->out = 1u << index;
	/* sets the live table uses must not be given out again: all but free ones */
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		s->used[i] = !!s->v[i].feeds;
	id = set_id(1u << index, s);
	err = id < 0 ? id : sets_write(l, s);
	free(s);
	if (err)
		return err;
	*set = (__u32)id & BOUCLIER_SET_MASK;
	return 0;
}

/* A feed index given to another feed (after `feed remove`) must not bring
 * the old feed's drops with it: the bit leaves every set that holds it.  The
 * set keeps its counters for the feeds still in it; a set left empty is
 * free, and starts again at zero when given out. */
static __u32 forget_feeds(struct live *l, const struct publish_input *in, struct sets *s)
{
	struct bouclier_feed old;
	__u32 gone = 0, i;
	int k;

	for (i = 0; i < BOUCLIER_MAX_FEEDS; i++) {
		const char *now = "";

		for (k = 0; k < in->nfeeds; k++)
			if (in->feeds[k].index == (int)i)
				now = in->feeds[k].name;
		if (!bpf_map_lookup_elem(l->feeds_fd, &i, &old) && old.name[0] &&
		    strncmp(old.name, now, sizeof(old.name)))
			gone |= 1u << i;
	}
	for (i = 1; gone && i < BOUCLIER_MAX_SETS; i++)
		if (s->v[i].feeds & gone) {
			s->v[i].feeds &= ~gone;
			s->dirty[i] = 1;
		}
	return gone;
}

/* ---- the swap */

/* The lists as the compiler and the delta take them: each feed now and as
 * the live table has it, the allowlist sorted and folded (it is compiled
 * the same either way). */
struct lists_in {
	struct table_list now[BOUCLIER_MAX_FEEDS + 2], was[BOUCLIER_MAX_FEEDS + 2];
	int n;
	struct cidr *allow;
	size_t total;
};

static int lists_build(const struct publish_input *in, struct lists_in *L)
{
	size_t na = in->nallow;
	int f;

	memset(L, 0, sizeof(*L));
	for (f = 0; f < in->nfeeds && f < BOUCLIER_MAX_FEEDS + 1; f++) {
		const struct publish_feed *pf = &in->feeds[f];

		L->now[f] = (struct table_list){ pf->v, pf->n, 1u << pf->index, 0, pf->flags };
		L->was[f] = L->now[f];
		if (pf->changed) {
			L->was[f].v = pf->was;
			L->was[f].n = pf->nwas;
		}
		L->total += pf->n;
	}
	L->allow = calloc(na ? na : 1, sizeof(*L->allow));
	if (!L->allow)
		return -ENOMEM;
	if (na)
		memcpy(L->allow, in->allow, na * sizeof(*L->allow));
	cidr_normalise(L->allow, &na);
	L->now[f] = (struct table_list){ L->allow, na, 0, 1, 0 };
	L->was[f] = L->now[f];
	L->n = f + 1;
	L->total += na;
	return 0;
}

static int build_entries(const struct lists_in *L, struct table_entry **out, size_t *n)
{
	struct table_entry *e;
	size_t k, i = 0;
	int f;

	e = calloc(L->total ? L->total : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (f = 0; f < L->n; f++)
		for (k = 0; k < L->now[f].n; k++)
			e[i++] = (struct table_entry){ .c = L->now[f].v[k], .allow = L->now[f].allow,
						       .feeds = L->now[f].feeds };
	*out = e;
	*n = i;
	return 0;
}

int publish_table_new(struct table_plan *plan, __u32 capacity, __u64 fingerprint)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_MMAPABLE);
	size_t bytes = (size_t)table_plan_lines(plan) * BOUCLIER_LINE_BYTES;
	void *m;
	int fd, err;

	if (capacity < table_plan_lines(plan))
		return -ENOSPC;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bouclier_table", sizeof(__u32),
			    BOUCLIER_LINE_BYTES, capacity, &o);
	if (fd < 0) {
		err = -errno;
		pr_warn("cannot create a table of %llu bytes: %s\n",
			(unsigned long long)capacity * BOUCLIER_LINE_BYTES, strerror(errno));
		return err;
	}
	/* the lines past the plan stay zero, as the kernel made them */
	m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		err = -errno;
		close(fd);
		return err;
	}
	err = table_fill(plan, m);
	if (!err)
		table_image_mark(m, fingerprint, 0);
	munmap(m, bytes);
	if (err) {
		pr_warn("cannot fit the entries in the table (%s)\n",
			strerror(-err));
		close(fd);
		return err;
	}
	/* The live table is read-only from here on, for everyone. */
	if (bpf_map_freeze(fd)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* The outer map's own word first: the size of the table it holds, which
 * can only be of its class; then what the last publish wrote. */
__u32 publish_capacity(struct live *l)
{
	struct bouclier_info info = { 0 };
	struct bpf_map_info mi = { 0 };
	__u32 zero = 0, id, len = sizeof(mi);
	int fd;

	if (!bpf_map_lookup_elem(l->tables_fd, &zero, &id)) {
		fd = bpf_map_get_fd_by_id(id);
		if (fd >= 0) {
			if (!bpf_obj_get_info_by_fd(fd, &mi, &len))
				info.table_capacity = mi.max_entries;
			close(fd);
			if (info.table_capacity)
				return info.table_capacity;
		}
	}
	bpf_map_lookup_elem(l->info_fd, &zero, &info);
	return info.table_capacity ? info.table_capacity : BOUCLIER_TABLE_MIN_LINES;
}

static void write_feeds(struct live *l, const struct publish_input *in)
{
	struct bouclier_feed f;
	__u32 i;
	int k;

	for (i = 0; i < BOUCLIER_MAX_FEEDS; i++) {
		memset(&f, 0, sizeof(f));
		for (k = 0; k < in->nfeeds; k++) {
			const struct publish_feed *pf = &in->feeds[k];
			size_t j;

			if (pf->index != (int)i)
				continue;
			snprintf(f.name, sizeof(f.name), "%s", pf->name);
			snprintf(f.category, sizeof(f.category), "%s", pf->category);
			f.loaded_at = pf->loaded_at;
			f.flags = pf->flags;
			for (j = 0; j < pf->n; j++)
				pf->v[j].family == 4 ? f.entries++ : f.v6_entries++;
		}
		bpf_map_update_elem(l->feeds_fd, &i, &f, BPF_ANY);
	}
}

#define DELTA_MAX_RUNS 64 /* deltas in a row, then a full compile: the filter bits
			   * of removed keys and the regions' sizes stay near
			   * what a compile would make */

/* The change as a delta on a copy of the live table: 0 and *out a frozen
 * table; -EAGAIN and *why when a full compile is needed; or -errno. */
static int publish_delta(struct live *l, const struct lists_in *L, struct sets *s,
			 const struct table_scan *sc, __u32 capacity, __u64 max_bytes, int *out,
			 struct table_delta_stats *ds, const char **why)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_MMAPABLE);
	struct bpf_map_info mi = { 0 };
	__u32 zero = 0, id, len = sizeof(mi), used = 0, deltas = 0, i;
	size_t bytes = (size_t)capacity * BOUCLIER_LINE_BYTES;
	__u64 fingerprint;
	void *live = MAP_FAILED, *copy = MAP_FAILED;
	int fd = -1, nfd = -1, err = -EAGAIN;

	*why = "no table is live yet";
	if (bpf_map_lookup_elem(l->tables_fd, &zero, &id))
		return -EAGAIN;
	fd = bpf_map_get_fd_by_id(id);
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &mi, &len) || mi.max_entries != capacity) {
		*why = "the live table cannot be read";
		goto out;
	}
	live = mmap(NULL, bytes, PROT_READ, MAP_SHARED, fd, 0);
	if (live == MAP_FAILED) {
		*why = "the live table cannot be read";
		goto out;
	}
	used = table_image_lines(live, capacity);
	fingerprint = table_image_fingerprint(live, &deltas);
	if (!fingerprint) {
		*why = "the live table has no fingerprint";
		goto out;
	}
	if (deltas >= DELTA_MAX_RUNS) {
		*why = "many changes in a row: compiled afresh now and then";
		goto out;
	}
	if (!used || (max_bytes && (__u64)used * BOUCLIER_LINE_BYTES > max_bytes)) {
		*why = "the live table's layout is not one to change";
		goto out;
	}
	if (fingerprint != sc->fp_was) {
		*why = "the live table was not compiled from the lists as they were";
		goto out;
	}
	if (!sc->ordered) {
		*why = "a list is not sorted and folded";
		goto out;
	}
	if (sc->too_many) {
		*why = "the change is large";
		goto out;
	}
	nfd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bouclier_table", sizeof(__u32),
			     BOUCLIER_LINE_BYTES, capacity, &o);
	if (nfd < 0) {
		err = -errno;
		pr_warn("cannot create a table of %zu bytes: %s\n", bytes, strerror(errno));
		goto out;
	}
	copy = mmap(NULL, (size_t)used * BOUCLIER_LINE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
		    nfd, 0);
	if (copy == MAP_FAILED) {
		err = -errno;
		goto out;
	}
	memcpy(copy, live, (size_t)used * BOUCLIER_LINE_BYTES);
	/* every set the live table holds keeps its id: set_id() may give out
	 * only free ones */
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		s->used[i] = !!s->v[i].feeds;
	err = table_delta(copy, used, L->was, L->now, L->n, sc, set_id, s, ds);
	if (err == -EAGAIN)
		*why = ds->why;
	if (err)
		goto out;
	table_image_mark(copy, sc->fp_now, deltas + 1);
	munmap(copy, (size_t)used * BOUCLIER_LINE_BYTES);
	copy = MAP_FAILED;
	if (bpf_map_freeze(nfd)) {
		err = -errno;
		goto out;
	}
	*out = nfd;
	nfd = -1;
out:
	if (copy != MAP_FAILED)
		munmap(copy, (size_t)used * BOUCLIER_LINE_BYTES);
	if (live != MAP_FAILED)
		munmap(live, bytes);
	if (nfd >= 0)
		close(nfd);
	if (fd >= 0)
		close(fd);
	return err;
}

int publish(struct live *l, const struct publish_input *in, struct table_stats *st)
{
	return publish_ex(l, in, st, NULL);
}

int publish_ex(struct live *l, const struct publish_input *in, struct table_stats *st,
	       struct publish_result *res)
{
	struct publish_result rdummy;
	struct table_entry *e = NULL;
	struct table_plan *plan = NULL;
	struct bouclier_info info = { 0 };
	struct table_stats dst = { 0 };
	struct sets *sets, *before = NULL;
	struct lists_in L;
	size_t n = 0;
	__u32 zero = 0, i, capacity = publish_capacity(l), want, gone;
	struct table_scan sc = { 0 };
	int fd = -1, err;

	if (!res)
		res = &rdummy;
	memset(res, 0, sizeof(*res));
	sets = calloc(1, sizeof(*sets));
	if (!sets)
		return -ENOMEM;
	publish_clock(l);
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		bpf_map_lookup_elem(l->sets_fd, &i, &sets->v[i]);
	for (i = 0; i < (__u32)in->nfeeds; i++) {
		__u32 bit = 1u << in->feeds[i].index, f = in->feeds[i].flags;
		int mon = !!(f & BOUCLIER_FEED_MONITOR);

		if (f & BOUCLIER_FEED_IN)
			*(mon ? &sets->mon_in : &sets->in) |= bit;
		if (f & BOUCLIER_FEED_OUT)
			*(mon ? &sets->mon_out : &sets->out) |= bit;
		if (f & BOUCLIER_FEED_REGIONAL)
			sets->regional |= bit;
	}
	/* the bans' sets (timed, detected) are in use whatever this table holds */
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		if (sets->v[i].feeds == 1u << BOUCLIER_FEED_BAN ||
		    sets->v[i].feeds == 1u << BOUCLIER_FEED_DETECT)
			sets->used[i] = 1;
	gone = forget_feeds(l, in, sets);
	/* whether a small change may be applied to a copy of the live table */
	if (in->torn)
		res->why = "an earlier change of size class was cut short";
	else if (gone)
		res->why = "a feed's place was given to another";
	else if (getenv("BOUCLIER_NO_DELTA"))
		res->why = "BOUCLIER_NO_DELTA is set";
	err = lists_build(in, &L);
	if (err)
		goto out;
	/* both versions in one pass: fingerprints, order, and (when a delta
	 * may follow) what changed; a change past a sixteenth of the entries
	 * is compiled in full: faster */
	err = table_scan(L.was, L.now, L.n, res->why ? 0 : L.total / 16 + 1024, &sc);
	if (err)
		goto out;
	log_phase("gather the lists");

	if (!res->why) {
		before = malloc(sizeof(*before));
		if (!before) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(before, sets, sizeof(*sets));
		err = publish_delta(l, &L, sets, &sc, capacity, in->max_bytes, &fd,
				    &res->ds, &res->why);
		if (!err) {
			struct bouclier_info was = { 0 };

			res->delta = true;
			res->why = NULL;
			want = capacity;
			bpf_map_lookup_elem(l->info_fd, &zero, &was);
			dst.v4_prefixes = (__u32)((long)was.v4_entries + res->ds.v4_prefixes);
			dst.v6_prefixes = (__u32)((long)was.v6_entries + res->ds.v6_prefixes);
			dst.allow = was.allow_entries;
			dst.bytes = (__u64)capacity * BOUCLIER_LINE_BYTES;
			log_phase("apply the change to a copy");
			goto swap;
		}
		if (err != -EAGAIN)
			goto out;
		memcpy(sets, before, sizeof(*sets)); /* ids the delta gave out are not used */
	}
	pr_debug("compiled in full: %s\n", res->why);

	err = build_entries(&L, &e, &n);
	if (err)
		goto out;
	err = table_plan(e, n, set_id, sets, &plan);
	log_phase("plan the table");
	if (err) {
		if (err != -EFBIG)
			pr_warn("cannot compile the lists: %s\n", strerror(-err));
		goto out;
	}
	dst = *table_plan_stats(plan);
	if (st)
		*st = dst;
	if (in->max_bytes && table_plan_bytes(plan) > in->max_bytes) {
		err = -EFBIG; /* the caller knows which feed to refuse */
		goto out;
	}
	want = table_capacity_fits(table_plan_lines(plan), capacity) && !in->torn
		       ? capacity : table_capacity_for(table_plan_lines(plan), in->max_bytes);
	if (in->torn && want == capacity && in->reload)
		pr_info("an earlier change of size class was cut short: the programs are "
			"brought together again\n");
	if ((want != capacity || in->torn) && !in->reload) {
		err = -ENOSPC;
		pr_warn("the table needs %u lines where the programs take %u\n",
			table_plan_lines(plan), capacity);
		goto out;
	}
	fd = publish_table_new(plan, want, sc.fp_now);
	if (fd < 0) {
		err = fd;
		goto out;
	}
	log_phase("fill the new table");
swap:
	err = sets_write(l, sets);
	if (err)
		goto out;
	fault_point("before-swap");
	if (want != capacity || in->torn) {
		/* new programs, their outer map holding this table, on every link */
		err = in->reload(in->reload_arg, want, fd);
		if (err)
			goto out;
	} else if (bpf_map_update_elem(l->tables_fd, &zero, &fd, BPF_ANY)) {
		err = -errno;
		pr_warn("cannot swap the new table in: %s\n", strerror(errno));
		goto out;
	}
	fault_point("after-swap");
	log_phase("swap it in");
	bpf_map_lookup_elem(l->info_fd, &zero, &info);
	info.abi = BOUCLIER_ABI;
	info.generation++;
	info.swapped_at = time(NULL);
	info.table_capacity = want;
	info.table_bytes = (__u64)want * BOUCLIER_LINE_BYTES;
	info.v4_entries = dst.v4_prefixes;
	info.v6_entries = dst.v6_prefixes;
	info.allow_entries = dst.allow;
	bpf_map_update_elem(l->info_fd, &zero, &info, BPF_ANY);
	write_feeds(l, in);
	if (st)
		*st = dst;
out:
	if (fd >= 0)
		close(fd);
	table_plan_free(plan);
	table_scan_free(&sc);
	free(L.allow);
	free(e);
	free(before);
	free(sets);
	return err;
}

