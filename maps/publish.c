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
};

/* The directions in which a set of feeds drops or would drop, as value bits. */
static int dirs(const struct sets *s, __u32 feeds)
{
	return (feeds & s->in ? BOUCLIER_IN : 0) | (feeds & s->out ? BOUCLIER_OUT : 0) |
	       (feeds & s->mon_in ? BOUCLIER_MON_IN : 0) |
	       (feeds & s->mon_out ? BOUCLIER_MON_OUT : 0);
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

int publish_ban_set(struct live *l, __u32 *set)
{
	struct sets *s = calloc(1, sizeof(*s));
	int id, err;
	__u32 i;

	if (!s)
		return -ENOMEM;
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		bpf_map_lookup_elem(l->sets_fd, &i, &s->v[i]);
	s->in = s->out = 1u << BOUCLIER_FEED_BAN;
	/* sets the live table uses must not be given out again: all but free ones */
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		s->used[i] = !!s->v[i].feeds;
	id = set_id(1u << BOUCLIER_FEED_BAN, s);
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
static void forget_feeds(struct live *l, const struct publish_input *in, struct sets *s)
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
}

/* ---- the swap */

static int build_entries(const struct publish_input *in, struct table_entry **out, size_t *n)
{
	struct table_entry *e;
	size_t total = in->nallow, k, i = 0;
	int f;

	for (f = 0; f < in->nfeeds; f++)
		total += in->feeds[f].n;
	e = calloc(total ? total : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (f = 0; f < in->nfeeds; f++)
		for (k = 0; k < in->feeds[f].n; k++) {
			e[i].c = in->feeds[f].v[k];
			e[i++].feeds = 1u << in->feeds[f].index;
		}
	for (k = 0; k < in->nallow; k++) {
		e[i].c = in->allow[k];
		e[i++].allow = 1;
	}
	*out = e;
	*n = i;
	return 0;
}

int publish_table_new(struct table_plan *plan, __u32 capacity)
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

int publish(struct live *l, const struct publish_input *in, struct table_stats *st)
{
	struct table_entry *e = NULL;
	struct table_plan *plan = NULL;
	struct bouclier_info info = { 0 };
	struct sets *sets;
	size_t n = 0;
	__u32 zero = 0, i, capacity = publish_capacity(l), want;
	int fd = -1, err;

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
	}
	/* the timed bans' set is in use whatever this table holds */
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		if (sets->v[i].feeds == 1u << BOUCLIER_FEED_BAN)
			sets->used[i] = 1;
	forget_feeds(l, in, sets);
	err = build_entries(in, &e, &n);
	if (err)
		goto out;
	err = table_plan(e, n, set_id, sets, &plan);
	if (err) {
		if (err != -EFBIG)
			pr_warn("cannot compile the lists: %s\n", strerror(-err));
		goto out;
	}
	if (st)
		*st = *table_plan_stats(plan);
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
	fd = publish_table_new(plan, want);
	if (fd < 0) {
		err = fd;
		goto out;
	}
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
	bpf_map_lookup_elem(l->info_fd, &zero, &info);
	info.abi = BOUCLIER_ABI;
	info.generation++;
	info.swapped_at = time(NULL);
	info.table_capacity = want;
	info.table_bytes = (__u64)want * BOUCLIER_LINE_BYTES;
	info.v4_entries = table_plan_stats(plan)->v4_prefixes;
	info.v6_entries = table_plan_stats(plan)->v6_prefixes;
	info.allow_entries = table_plan_stats(plan)->allow;
	bpf_map_update_elem(l->info_fd, &zero, &info, BPF_ANY);
	write_feeds(l, in);
	if (st)
		*st = *table_plan_stats(plan);
out:
	if (fd >= 0)
		close(fd);
	table_plan_free(plan);
	free(e);
	free(sets);
	return err;
}
