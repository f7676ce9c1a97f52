// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bouclier.skel.h"
#include "live.h"
#include "log.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

void live_fault(const char *point)
{
	const char *f = getenv("BOUCLIER_FAULT");

	if (f && !strcmp(f, point)) {
		fprintf(stderr, "bouclier: fault injected at %s\n", point);
		raise(SIGKILL);
	}
}

const char *live_pin_dir(void)
{
	const char *d = getenv("BOUCLIER_PIN_DIR");

	return d && *d ? d : BOUCLIER_PIN_DIR;
}

static int pin_path(char *buf, size_t len, const char *name)
{
	if (snprintf(buf, len, "%s/%s", live_pin_dir(), name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int open_pinned(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (pin_path(path, sizeof(path), name))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

void live_close(struct live *l)
{
	int *fds[] = { &l->tables_fd, &l->sets_fd, &l->feeds_fd, &l->info_fd,
		       &l->stats_fd, &l->set_stats_fd, &l->slots_fd, &l->sources_fd, &l->clock_fd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int live_open(struct live *l)
{
	struct { int *fd; const char *name; } m[] = {
		{ &l->tables_fd, BOUCLIER_STR(BOUCLIER_MAP_TABLES) },
		{ &l->sets_fd, BOUCLIER_STR(BOUCLIER_MAP_SETS) },
		{ &l->feeds_fd, BOUCLIER_STR(BOUCLIER_MAP_FEEDS) },
		{ &l->info_fd, BOUCLIER_STR(BOUCLIER_MAP_INFO) },
		{ &l->stats_fd, BOUCLIER_STR(BOUCLIER_MAP_STATS) },
		{ &l->set_stats_fd, BOUCLIER_STR(BOUCLIER_MAP_SET_STATS) },
		{ &l->slots_fd, BOUCLIER_STR(BOUCLIER_MAP_SLOTS) },
		{ &l->sources_fd, BOUCLIER_STR(BOUCLIER_MAP_SOURCES) },
		{ &l->clock_fd, BOUCLIER_STR(BOUCLIER_MAP_CLOCK) },
	};
	size_t i;

	snprintf(l->pin_dir, sizeof(l->pin_dir), "%s", live_pin_dir());
	l->tables_fd = l->sets_fd = l->feeds_fd = l->info_fd = l->stats_fd = l->set_stats_fd = -1;
	l->slots_fd = l->sources_fd = l->clock_fd = -1;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		*m[i].fd = open_pinned(m[i].name);
		if (*m[i].fd < 0) {
			int err = *m[i].fd;

			*m[i].fd = -1;
			live_close(l);
			return err;
		}
	}
	{
		struct bouclier_info info = { 0 };
		__u32 zero = 0;

		/* 0: nothing swapped in yet by this version or an older one */
		if (!bpf_map_lookup_elem(l->info_fd, &zero, &info) && info.abi &&
		    info.abi != BOUCLIER_ABI) {
			pr_warn("the pinned maps in %s are of layout %u, this bouclier speaks %u: "
				"detach every interface with the bouclier that attached them, "
				"then attach again\n", l->pin_dir, info.abi, BOUCLIER_ABI);
			live_close(l);
			return -EPROTO;
		}
	}
	return 0;
}

int live_clock_sync(struct live *l)
{
	struct bouclier_clock c;
	struct timespec real, mono;
	__u32 zero = 0;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC_COARSE, &mono);
	c.wall_offset = real.tv_sec - mono.tv_sec + (real.tv_nsec - mono.tv_nsec) / 1000000000;
	c.updated_at = real.tv_sec;
	return bpf_map_update_elem(l->clock_fd, &zero, &c, BPF_ANY) ? -errno : 0;
}

/* ---- automatic allowlist: the attached interfaces' networks and gateways */

struct entries {
	struct table_entry *v;
	size_t n, cap;
};

static int entries_push(struct entries *e, const struct cidr *c, __u32 feeds, int allow)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 4096;
		struct table_entry *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->v = v;
		e->cap = cap;
	}
	memset(&e->v[e->n], 0, sizeof(e->v[0]));
	e->v[e->n].c = *c;
	e->v[e->n].feeds = feeds;
	e->v[e->n].allow = allow;
	e->n++;
	return 0;
}

static int auto_allow_gateways(struct entries *e)
{
	char line[512];
	FILE *f;
	int err = 0;

	f = fopen("/proc/net/route", "re");
	while (f && fgets(line, sizeof(line), f)) {
		char ifn[64];
		unsigned int dst, gw, flags;
		struct cidr c;

		if (sscanf(line, "%63s %x %x %x", ifn, &dst, &gw, &flags) == 4 && !dst && gw) {
			cidr_from_v4(&c, ntohl(gw), 32);
			err = entries_push(e, &c, 0, 1);
		}
	}
	if (f)
		fclose(f);
	f = fopen("/proc/net/ipv6_route", "re");
	while (!err && f && fgets(line, sizeof(line), f)) {
		char dst[33], gw[33];
		unsigned int dlen;
		struct cidr c = { .family = 6, .plen = 128 };
		int i;

		if (sscanf(line, "%32s %x %*s %*s %32s", dst, &dlen, gw) != 3 || dlen ||
		    !strcmp(gw, "00000000000000000000000000000000"))
			continue;
		for (i = 0; i < 16; i++)
			sscanf(gw + 2 * i, "%2hhx", &c.addr[i]);
		err = entries_push(e, &c, 0, 1);
	}
	if (f)
		fclose(f);
	return err;
}

static int auto_allow(struct entries *e)
{
	char names[64][32];
	struct ifaddrs *ifa, *i;
	int n, k, err = 0;

	n = live_links(names, 64);
	if (n <= 0 || getifaddrs(&ifa))
		return n < 0 ? n : 0;
	for (i = ifa; i && !err; i = i->ifa_next) {
		struct cidr c = { 0 };
		int plen = 0, b;

		if (!i->ifa_addr || !i->ifa_netmask)
			continue;
		for (k = 0; k < n && strcmp(names[k], i->ifa_name); k++)
			;
		if (k == n)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			c.family = 4;
			memcpy(c.addr, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
			for (b = 0; b < 4; b++)
				plen += __builtin_popcount(
					((unsigned char *)&((struct sockaddr_in *)i->ifa_netmask)->sin_addr)[b]);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			c.family = 6;
			memcpy(c.addr, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
			for (b = 0; b < 16; b++)
				plen += __builtin_popcount(
					((struct sockaddr_in6 *)i->ifa_netmask)->sin6_addr.s6_addr[b]);
		} else {
			continue;
		}
		c.plen = plen ? plen : (c.family == 4 ? 32 : 128);
		cidr_mask(&c);
		err = entries_push(e, &c, 0, 1);
	}
	freeifaddrs(ifa);
	return err ? err : auto_allow_gateways(e);
}

int live_auto_allow(struct cidr **v, size_t *n)
{
	struct entries e = { 0 };
	size_t i;
	int err = auto_allow(&e);

	*v = NULL;
	*n = 0;
	if (err) {
		free(e.v);
		return err;
	}
	*v = calloc(e.n ? e.n : 1, sizeof(**v));
	if (!*v) {
		free(e.v);
		return -ENOMEM;
	}
	for (i = 0; i < e.n; i++)
		(*v)[i] = e.v[i].c;
	*n = e.n;
	free(e.v);
	cidr_normalise(*v, n);
	return 0;
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
	__u8 dirty[BOUCLIER_MAX_SETS];
};

static int set_id(__u32 feeds, void *ctx)
{
	struct sets *s = ctx;
	int i, free_id = -1;

	for (i = 1; i < BOUCLIER_MAX_SETS; i++) {
		if (s->v[i].feeds == feeds) {
			s->used[i] = 1;
			return i;
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
	s->used[free_id] = s->dirty[free_id] = 1;
	return free_id;
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
		if (!s->dirty[i])
			continue;
		if (bpf_map_update_elem(l->set_stats_fd, &i, zero, BPF_ANY) ||
		    bpf_map_update_elem(l->sets_fd, &i, &s->v[i], BPF_ANY))
			err = -errno;
	}
	free(zero);
	return err;
}

/* ---- the swap */

static int build_entries(const struct state *s, struct entries *e)
{
	size_t k;
	int i, err = 0;

	for (i = 0; i < s->nfeeds && !err; i++)
		for (k = 0; k < s->feeds[i].n && !err; k++)
			err = entries_push(e, &s->feeds[i].v[k], 1u << s->feeds[i].index, 0);
	for (k = 0; k < s->nallow && !err; k++)
		err = entries_push(e, &s->allow[k], 0, 1);
	for (k = 0; k < s->nallow_conf && !err; k++)
		err = entries_push(e, &s->allow_conf[k], 0, 1);
	return err ? err : auto_allow(e);
}

int live_table_new(struct table_plan *plan)
{
	LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = BPF_F_INNER_MAP | BPF_F_MMAPABLE);
	size_t bytes = (size_t)table_plan_lines(plan) * BOUCLIER_LINE_BYTES;
	void *m;
	int fd, err;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bouclier_table", sizeof(__u32),
			    BOUCLIER_LINE_BYTES, table_plan_lines(plan), &o);
	if (fd < 0) {
		err = -errno;
		pr_warn("cannot create a table of %zu bytes: %s\n", bytes, strerror(errno));
		return err;
	}
	m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		err = -errno;
		close(fd);
		return err;
	}
	err = table_fill(plan, m);
	munmap(m, bytes);
	if (err) {
		pr_warn("cannot fit the entries in the table (%s)\n", strerror(-err));
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

static void write_feeds(struct live *l, const struct state *s)
{
	struct bouclier_feed f;
	__u32 i;
	int k;

	for (i = 0; i < BOUCLIER_MAX_FEEDS; i++) {
		memset(&f, 0, sizeof(f));
		for (k = 0; k < s->nfeeds; k++) {
			const struct feed_state *fs = &s->feeds[k];
			size_t j;

			if (fs->index != (int)i)
				continue;
			snprintf(f.name, sizeof(f.name), "%s", fs->name);
			snprintf(f.category, sizeof(f.category), "%s", fs->category);
			f.loaded_at = fs->loaded_at;
			for (j = 0; j < fs->n; j++)
				fs->v[j].family == 4 ? f.entries++ : f.v6_entries++;
		}
		bpf_map_update_elem(l->feeds_fd, &i, &f, BPF_ANY);
	}
}

int live_swap(struct live *l, const struct state *s, struct table_stats *st)
{
	struct entries e = { 0 };
	struct table_plan *plan = NULL;
	struct bouclier_info info = { 0 };
	struct sets *sets;
	__u32 zero = 0, i;
	int fd = -1, err;

	sets = calloc(1, sizeof(*sets));
	if (!sets)
		return -ENOMEM;
	live_clock_sync(l);
	for (i = 1; i < BOUCLIER_MAX_SETS; i++)
		bpf_map_lookup_elem(l->sets_fd, &i, &sets->v[i]);
	err = build_entries(s, &e);
	if (err)
		goto out;
	err = table_plan(e.v, e.n, set_id, sets, &plan);
	if (err) {
		pr_warn("cannot compile the lists: %s\n", strerror(-err));
		goto out;
	}
	fd = live_table_new(plan);
	if (fd < 0) {
		err = fd;
		goto out;
	}
	err = sets_write(l, sets);
	if (err)
		goto out;
	live_fault("before-swap");
	if (bpf_map_update_elem(l->tables_fd, &zero, &fd, BPF_ANY)) {
		err = -errno;
		pr_warn("cannot swap the new table in: %s\n", strerror(errno));
		goto out;
	}
	live_fault("after-swap");
	bpf_map_lookup_elem(l->info_fd, &zero, &info);
	info.abi = BOUCLIER_ABI;
	info.generation++;
	info.swapped_at = time(NULL);
	info.table_bytes = (__u64)table_plan_lines(plan) * BOUCLIER_LINE_BYTES;
	info.v4_entries = table_plan_stats(plan)->v4_prefixes;
	info.v6_entries = table_plan_stats(plan)->v6_prefixes;
	info.allow_entries = table_plan_stats(plan)->allow;
	bpf_map_update_elem(l->info_fd, &zero, &info, BPF_ANY);
	write_feeds(l, s);
	if (st)
		*st = *table_plan_stats(plan);
out:
	if (fd >= 0)
		close(fd);
	table_plan_free(plan);
	free(e.v);
	free(sets);
	return err;
}

/* ---- attach and detach */

static int ensure_bpffs(const char *dir)
{
	struct statfs sfs;
	char parent[PATH_MAX], *slash;

	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = 0;
	if (!statfs(parent, &sfs) && sfs.f_type == BPF_FS_MAGIC)
		goto mkpin;
	if (mount("bpf", parent, "bpf", 0, "mode=0700")) {
		pr_warn("%s is not a BPF filesystem and mounting one failed (%s); "
			"mount it with `mount -t bpf bpf %s`\n", parent, strerror(errno), parent);
		return -ENODEV;
	}
mkpin:
	if (mkdir(dir, 0700) && errno != EEXIST) {
		pr_warn("cannot create %s: %s\n", dir, strerror(errno));
		return -errno;
	}
	return 0;
}

static __u32 fd_prog_id(int fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static int load_program(int *prog_fd)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = live_pin_dir());
	char path[PATH_MAX];
	struct bouclier *skel;
	int err;

	*prog_fd = open_pinned(BOUCLIER_PIN_PROG);
	if (*prog_fd >= 0)
		return 0;
	skel = bouclier__open_opts(&o);
	if (!skel)
		return -errno;
	err = bouclier__load(skel);
	if (err) {
		pr_warn("the kernel refused the XDP program (%s); rerun with -v to see the "
			"verifier's log\n", strerror(-err));
		bouclier__destroy(skel);
		return -EPROTO;
	}
	pin_path(path, sizeof(path), BOUCLIER_PIN_PROG);
	err = bpf_program__pin(skel->progs.BOUCLIER_PROG_NAME, path);
	if (!err)
		*prog_fd = dup(bpf_program__fd(skel->progs.BOUCLIER_PROG_NAME));
	bouclier__destroy(skel);
	return err;
}

static void chmod_pins(void)
{
	char path[PATH_MAX * 2];
	struct dirent *de;
	DIR *d = opendir(live_pin_dir());

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", live_pin_dir(), de->d_name);
		chmod(path, 0600);
	}
	if (d)
		closedir(d);
}

int live_links(char names[][32], int max)
{
	const char *prefix = "bouclier_link_";
	struct dirent *de;
	DIR *d = opendir(live_pin_dir());
	int n = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) && n < max)
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			snprintf(names[n++], 32, "%s", de->d_name + strlen(prefix));
	closedir(d);
	return n;
}

static int remove_pins(void);

static void foreign_program(const char *ifname, __u32 id)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
		pr_warn("%s already runs XDP program id %u (\"%s\") that bouclier did not attach; "
			"bouclier will not replace it. Remove it with `ip link set dev %s xdp off` "
			"(or `xdp-loader unload %s --all`) and run attach again\n", ifname, id,
			info.name, ifname, ifname);
	else
		pr_warn("%s already runs XDP program id %u that bouclier did not attach; remove "
			"it with `ip link set dev %s xdp off` first\n", ifname, id, ifname);
	if (fd >= 0)
		close(fd);
}

static int table_empty(struct live *l)
{
	__u32 zero = 0, id;

	return bpf_map_lookup_elem(l->tables_fd, &zero, &id) != 0;
}

int live_attach(const char *ifname, enum attach_mode mode, struct state *s)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char link_name[64], path[PATH_MAX];
	struct live l = { .tables_fd = -1 };
	struct table_stats st = { 0 };
	int ifindex, prog_fd = -1, link_fd = -1, err;
	__u32 flags;

	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		pr_warn("no interface named \"%s\" (see `ip link`)\n", ifname);
		return -ENODEV;
	}
	snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_LINK_FMT, ifname);
	if (bpf_xdp_query(ifindex, 0, &q)) {
		pr_warn("cannot query the XDP program of %s: %s\n", ifname, strerror(errno));
		return -errno;
	}
	if (q.prog_id) {
		int fd = open_pinned(link_name), pfd = open_pinned(BOUCLIER_PIN_PROG);
		bool ours = fd >= 0 && pfd >= 0 && q.prog_id == fd_prog_id(pfd);

		if (fd >= 0)
			close(fd);
		if (pfd >= 0)
			close(pfd);
		if (ours) {
			pr_info("already attached to %s; nothing to do\n", ifname);
			return 0;
		}
		foreign_program(ifname, q.prog_id);
		return -EEXIST;
	}
	err = ensure_bpffs(live_pin_dir());
	if (err)
		return err;
	err = load_program(&prog_fd);
	if (err)
		goto out;
	err = live_open(&l);
	if (err)
		goto out;
	flags = mode == MODE_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	{
		LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = flags);

		link_fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
		if (link_fd < 0 && mode == MODE_AUTO) {
			pr_debug("native XDP refused on %s (%s); trying generic\n", ifname,
				 strerror(errno));
			lo.flags = XDP_FLAGS_SKB_MODE;
			link_fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
			flags = XDP_FLAGS_SKB_MODE;
		}
	}
	if (link_fd < 0) {
		err = -errno;
		pr_warn("cannot attach to %s in %s mode: %s\n", ifname,
			mode == MODE_GENERIC ? "generic" : "native", strerror(errno));
		goto out;
	}
	pin_path(path, sizeof(path), link_name);
	if (bpf_obj_pin(link_fd, path)) {
		err = -errno;
		pr_warn("cannot pin the link at %s: %s\n", path, strerror(errno));
		goto out;
	}
	if (table_empty(&l)) {
		err = live_swap(&l, s, &st);
		if (err) {
			unlink(path);
			goto out;
		}
	}
	chmod_pins();
	pr_info("attached to %s in %s mode\n", ifname,
		flags == XDP_FLAGS_SKB_MODE ? "generic" : "native");
out:
	if (link_fd >= 0)
		close(link_fd);
	if (prog_fd >= 0)
		close(prog_fd);
	live_close(&l);
	{
		char names[1][32];

		/* Leave nothing pinned behind a failed first attach. */
		if (err && live_links(names, 1) == 0)
			remove_pins();
	}
	return err;
}

/* Removes every pinned object of bouclier once no interface uses them. */
static int remove_pins(void)
{
	char path[PATH_MAX * 2];
	struct dirent *de;
	DIR *d = opendir(live_pin_dir());
	int err = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", live_pin_dir(), de->d_name);
		if (unlink(path))
			err = -errno;
	}
	closedir(d);
	if (!err && rmdir(live_pin_dir()))
		err = -errno;
	return err;
}

int live_detach(const char *ifname)
{
	char link_name[64], path[PATH_MAX], names[1][32];
	int fd, n;

	snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_LINK_FMT, ifname);
	fd = open_pinned(link_name);
	if (fd < 0) {
		pr_warn("bouclier is not attached to \"%s\" (see `bouclier status`)\n", ifname);
		return -ENXIO;
	}
	/* A link whose interface is gone is already detached: not an error. */
	if (bpf_link_detach(fd) && errno != ENOLINK && errno != EINVAL)
		pr_debug("detaching the link of %s: %s\n", ifname, strerror(errno));
	close(fd);
	pin_path(path, sizeof(path), link_name);
	if (unlink(path))
		return -errno;
	pr_info("detached from %s\n", ifname);
	n = live_links(names, 1);
	if (n == 0) {
		n = remove_pins();
		if (!n)
			pr_info("no interface left: removed every pinned object\n");
		return n;
	}
	return n < 0 ? n : 0;
}
