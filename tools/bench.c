// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * bench - `make bench`: bouclier side by side with its baseline (one LPM
 * trie per family) and its peers, in one run, on this machine.
 *
 *   1. in-kernel cost per frame, one repeated frame (BPF_PROG_TEST_RUN)
 *   2. lookup cost over a stream of distinct addresses (bpf_loop)
 *   2b. the whole program on a stream of a million distinct sources, in
 *      the kernel (a harness that gives each BPF_PROG_TEST_RUN run the next
 *      source and tail-calls the program), against one memory miss
 *   3. live frames on a veth pair (BPF_F_TEST_XDP_LIVE_FRAMES generator),
 *      where the kernel allows them
 *   4. time to load a list, against ipset restore and nft -f
 *   5. kernel memory per entry (map fdinfo memlock)
 *   6. the way out: TC egress on an unlisted destination, against a bare
 *      TC program
 *
 * Prints a table, writes OUT.json and OUT.svg.  Ratios within one run are the
 * figures to quote; absolute times move with the machine.
 */
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <spawn.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <jansson.h>
#include "bench.h"
#include "bouclier.h"
#include "frames.h"
#include "publish.h"
#include "table.h"
#include "bouclier.skel.h"
#include "baseline_lpm.skel.h"
#include "bare_drop.skel.h"
#include "bare_pass.skel.h"
#include "bare_tc.skel.h"
#include "bench_loop.skel.h"
#include "nolookup.skel.h"
#include "nobook.skel.h"
#include "nodetect.skel.h"
#include "gen.skel.h"
#include "harness.skel.h"
#include "probe.skel.h"
#include "detect.h"
#include "live.h"

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES (1U << 1)
#endif

static struct {
	int quick;
	int stream_only; /* only the in-kernel stream (2b), for a quick look at the data path */
	const char *out, *bin, *src;
	char lab[32];
	/* the lab's bouclier: where its pins and its state are */
	char pin_dir[64], state_dir[64];
	int ns_root, ns_wan, ns_net;
	const char *json_path;
} B;

static __u64 rng = 0x9e3779b97f4a7c15ULL;

static __u64 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	exit(1);
}

static struct rec {
	char section[40], name[40], unit[8];
	double value;
} recs[512];
static int nrecs;

/* One measure, kept for OUT.json and OUT.svg. */
static void record(const char *section, const char *name, double value, const char *unit)
{
	if (nrecs < (int)(sizeof(recs) / sizeof(recs[0]))) {
		snprintf(recs[nrecs].section, sizeof(recs[0].section), "%s", section);
		snprintf(recs[nrecs].name, sizeof(recs[0].name), "%s", name);
		snprintf(recs[nrecs].unit, sizeof(recs[0].unit), "%s", unit);
		recs[nrecs++].value = value;
	}
}

/* {"date":..,"kernel":..,"cpus":..,"quick":..,"results":[{"section","name","value","unit"}]} */
static void write_json(const char *path, time_t t, const char *kernel)
{
	json_t *j = json_object(), *a = json_array();
	int i;

	for (i = 0; i < nrecs; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:f, s:s}", "section", recs[i].section,
						   "name", recs[i].name, "value", recs[i].value,
						   "unit", recs[i].unit));
	json_object_set_new(j, "date", json_integer(t));
	json_object_set_new(j, "kernel", json_string(kernel));
	json_object_set_new(j, "cpus", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
	json_object_set_new(j, "quick", json_boolean(B.quick));
	json_object_set_new(j, "results", a);
	if (json_dump_file(j, path, JSON_INDENT(1) | JSON_REAL_PRECISION(6)))
		fprintf(stderr, "bench: cannot write %s\n", path);
	json_decref(j);
}

/* ---- lists */

struct list {
	int family;
	size_t n;
	struct table_entry *e;   /* as generated */
	struct cidr *norm;       /* normalised, for the peers' loaders */
	size_t nnorm;
	struct bench_addr *hits, *misses;
	size_t nprobe;
	struct bouclier_line *img; /* for checking hits and misses */
	__u32 nlines;
};

/* One feed, dropping both ways: set id 1. */
#define BENCH_VALUE (1 | BOUCLIER_IN | BOUCLIER_OUT)

static int one_set(__u32 feeds, void *ctx)
{
	(void)feeds;
	(void)ctx;
	return BENCH_VALUE;
}

/* IPv4: 80% hosts, the rest /16../24; IPv6: /29../64 and some hosts. */
static void random_prefix(int family, struct cidr *c)
{
	static const __u8 v4len[] = { 16, 18, 20, 22, 23, 24, 24, 24, 24, 24 };
	static const __u8 v6len[] = { 29, 32, 32, 36, 40, 44, 48, 48, 48, 56, 64, 64, 64, 128 };

	if (family == 4) {
		__u32 a = (__u32)rnd();

		a = (a % (223u << 24)) + (1u << 24); /* 1.0.0.0 .. 223.255.255.255 */
		cidr_from_v4(c, a, rnd() % 10 < 8 ? 32 : v4len[rnd() % sizeof(v4len)]);
	} else {
		__u64 hi = (0x2000ULL << 48) | (rnd() & 0x1fffffffffffffffULL);

		cidr_from_v6(c, hi, rnd(), v6len[rnd() % sizeof(v6len)]);
	}
	cidr_mask(c);
}

static struct bench_addr to_addr(const struct cidr *c)
{
	struct bench_addr a = { 0 };

	if (c->family == 4)
		a.v4 = cidr_v4(c);
	else
		cidr_v6(c, &a.hi, &a.lo);
	return a;
}

static void list_make(struct list *l, int family, size_t n, size_t nprobe)
{
	struct table_entry *copy;
	struct table_plan *plan;
	size_t i, k;

	memset(l, 0, sizeof(*l));
	l->family = family;
	l->n = n;
	l->nprobe = nprobe;
	l->e = calloc(n, sizeof(*l->e));
	l->norm = calloc(n, sizeof(*l->norm));
	l->hits = calloc(nprobe, sizeof(*l->hits));
	l->misses = calloc(nprobe, sizeof(*l->misses));
	copy = calloc(n, sizeof(*copy));
	if (!l->e || !l->norm || !l->hits || !l->misses || !copy)
		die("out of memory\n");
	for (i = 0; i < n; i++) {
		random_prefix(family, &l->e[i].c);
		l->e[i].feeds = 1;
		l->norm[i] = l->e[i].c;
	}
	l->nnorm = n;
	cidr_normalise(l->norm, &l->nnorm);
	memcpy(copy, l->e, n * sizeof(*copy));
	if (table_plan(copy, n, one_set, NULL, &plan))
		die("cannot plan the table\n");
	l->nlines = table_plan_lines(plan);
	l->img = calloc(l->nlines, sizeof(*l->img));
	if (!l->img || table_fill(plan, l->img))
		die("cannot fill the table\n");
	table_plan_free(plan);
	free(copy);
	for (k = 0; k < nprobe; k++) {
		struct cidr q = l->e[rnd() % n].c; /* a random address inside an entry */
		int bytes = family == 4 ? 4 : 16, b;

		for (b = q.plen / 8; b < bytes; b++)
			q.addr[b] |= (__u8)(rnd() & (b == q.plen / 8 ? 0xff >> (q.plen % 8) : 0xff));
		q.plen = family == 4 ? 32 : 128;
		l->hits[k] = to_addr(&q);
		do {
			random_prefix(family, &q);
			for (b = 0; b < bytes; b++)
				q.addr[b] ^= (__u8)rnd() & (b ? 0xff : 0);
			q.plen = family == 4 ? 32 : 128;
		} while (table_lookup(l->img, l->nlines, &q));
		l->misses[k] = to_addr(&q);
	}
}

static void list_free(struct list *l)
{
	free(l->e);
	free(l->norm);
	free(l->hits);
	free(l->misses);
	free(l->img);
}

/* ---- BPF objects */

static void unpin_all(struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj)
		bpf_map__set_pin_path(m, NULL);
}

struct rig {
	struct bouclier *bc;
	struct nobook *nb; /* the same program and table without the drop bookkeeping */
	struct nodetect *nd;   /* ... without detection */
	struct baseline_lpm *lpm;
	struct bench_loop *loop;
	int table_fd;
	__u32 table_lines; /* of the table's capacity, what the plan fills */
	double t_compile, t_lpm;
	long mem_table, mem_lpm;
};

static void lpm_fill(struct rig *r, const struct list *l)
{
	int fd = l->family == 4 ? bpf_map__fd(r->lpm->maps.bench_lpm4)
				: bpf_map__fd(r->lpm->maps.bench_lpm6);
	size_t i;
	__u32 one = BENCH_VALUE;
	double t0 = now();

	for (i = 0; i < l->n; i++) {
		const struct cidr *c = &l->e[i].c;
		int err;

		if (l->family == 4) {
			struct bench_lpm4_key k = { c->plen, 0 };

			memcpy(&k.addr, c->addr, 4);
			err = bpf_map_update_elem(fd, &k, &one, BPF_ANY);
		} else {
			struct bench_lpm6_key k = { .prefixlen = c->plen };

			memcpy(k.addr, c->addr, 16);
			err = bpf_map_update_elem(fd, &k, &one, BPF_ANY);
		}
		if (err)
			die("LPM update: %s\n", strerror(errno));
	}
	r->t_lpm = now() - t0;
	r->mem_lpm = live_memlock(fd);
}

static void rig_up(struct rig *r, const struct list *l)
{
	struct table_entry *copy = calloc(l->n, sizeof(*copy));
	struct table_plan *plan;
	__u32 zero = 0, cap;
	double t0;

	memset(r, 0, sizeof(*r));
	memcpy(copy, l->e, l->n * sizeof(*copy));
	t0 = now();
	if (table_plan(copy, l->n, one_set, NULL, &plan))
		die("plan\n");
	r->t_compile = now() - t0;
	/* every program is built for the table's capacity class, as the
	 * loader does (bouclier.h) */
	cap = table_capacity_for(table_plan_lines(plan), 0);
	r->bc = bouclier__open();
	r->lpm = baseline_lpm__open();
	r->loop = bench_loop__open();
	r->nb = nobook__open();
	r->nd = nodetect__open();
	if (!r->bc || !r->lpm || !r->loop || !r->nb || !r->nd)
		die("cannot open the BPF objects\n");
	unpin_all(r->nb->obj);
	unpin_all(r->nd->obj);
	unpin_all(r->bc->obj);
	unpin_all(r->lpm->obj);
	unpin_all(r->loop->obj);
	t0 = now();
	r->table_fd = publish_table_new(plan, cap, 0);
	if (r->table_fd < 0)
		die("table: %s\n", strerror(-r->table_fd));
	r->t_compile += now() - t0;
	/* the table is the template of the outer maps' inner ones */
	bpf_map__set_inner_map_fd(r->bc->maps.bouclier_tables, r->table_fd);
	bpf_map__set_inner_map_fd(r->loop->maps.bouclier_tables, r->table_fd);
	if (bouclier__load(r->bc) || baseline_lpm__load(r->lpm))
		die("cannot load the BPF objects\n");
	bpf_map__reuse_fd(r->loop->maps.bench_lpm4, bpf_map__fd(r->lpm->maps.bench_lpm4));
	bpf_map__reuse_fd(r->loop->maps.bench_lpm6, bpf_map__fd(r->lpm->maps.bench_lpm6));
	if (bench_loop__load(r->loop))
		die("cannot load the loop programs\n");
	if (bpf_map__reuse_fd(r->nb->maps.bouclier_tables,
			      bpf_map__fd(r->bc->maps.bouclier_tables)) || nobook__load(r->nb))
		die("cannot load nobook\n");
	if (bpf_map__reuse_fd(r->nd->maps.bouclier_tables,
			      bpf_map__fd(r->bc->maps.bouclier_tables)) || nodetect__load(r->nd))
		die("cannot load nodetect\n");

	t0 = now();
	if (bpf_map_update_elem(bpf_map__fd(r->bc->maps.bouclier_tables), &zero, &r->table_fd, 0))
		die("swap: %s\n", strerror(errno));
	r->t_compile += now() - t0;
	bpf_map_update_elem(bpf_map__fd(r->loop->maps.bouclier_tables), &zero, &r->table_fd, 0);
	r->mem_table = live_memlock(r->table_fd);
	r->table_lines = table_plan_lines(plan);
	table_plan_free(plan);
	free(copy);
	lpm_fill(r, l);
}

static void rig_down(struct rig *r)
{
	close(r->table_fd);
	nobook__destroy(r->nb);
	nodetect__destroy(r->nd);
	bench_loop__destroy(r->loop);
	baseline_lpm__destroy(r->lpm);
	bouclier__destroy(r->bc);
}

/* ---- 1. one repeated frame */

/* What a frame of the bench carries: UDP to port 9 (discard), a request;
 * a TCP SYN to port 80, a new connection; a TCP ACK, established. */
enum frame_kind { F_UDP, F_SYN, F_ACK };

/* A frame to 192.0.2.1 or 2001:db8:1::1 from src; UDP with 18 bytes of
 * payload: 60 and 80 bytes. */
static int frame_kind_build(__u8 *buf, int family, const struct bench_addr *src,
			    const __u8 *dmac, const __u8 *smac, enum frame_kind kind)
{
	static const __u8 dst4[4] = { 192, 0, 2, 1 },
			  dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 };
	struct frame f;
	__u8 a[16];
	int i;

	memset(buf, 0, 128);
	frame_start(&f, buf);
	frame_eth(&f, dmac, smac);
	if (family == 4) {
		for (i = 0; i < 4; i++)
			a[i] = src->v4 >> (24 - 8 * i);
		frame_ethertype(&f, 0x0800);
		frame_ipv4(&f, &(struct frame_ip4){ .src = a, .dst = dst4, .version = 4, .ihl = 5,
						    .ttl = 64, .proto = kind == F_UDP ? 17 : 6 });
	} else {
		for (i = 0; i < 8; i++) {
			a[i] = src->hi >> (56 - 8 * i);
			a[8 + i] = src->lo >> (56 - 8 * i);
		}
		frame_ethertype(&f, 0x86dd);
		frame_ipv6(&f, &(struct frame_ip6){ .src = a, .dst = dst6, .version = 6,
						    .next = kind == F_UDP ? 17 : 6, .hop = 64 });
	}
	if (kind == F_UDP) {
		frame_l4(&f, &(struct frame_l4){ .proto = 17, .sport = 12345, .dport = 9,
						 .udp_len = true });
		frame_payload(&f, 18);
	} else {
		frame_l4(&f, &(struct frame_l4){ .proto = 6, .sport = 40000, .dport = 80,
						 .tcp_doff = 5,
						 .tcp_flags = kind == F_SYN ? 0x02 : 0x10 });
	}
	return frame_end(&f);
}

static int frame_build(__u8 *buf, int family, const struct bench_addr *src, const __u8 *dmac,
		       const __u8 *smac)
{
	return frame_kind_build(buf, family, src, dmac, smac, F_UDP);
}

static double run_frame(int prog_fd, int family, const struct bench_addr *src, int repeat,
			__u32 *retval)
{
	static const __u8 mac[6] = { 2, 0, 0, 0, 0, 1 };
	__u8 f[128];
	int len = frame_build(f, family, src, mac, mac);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = repeat);

	if (bpf_prog_test_run_opts(prog_fd, &o))
		die("test run: %s\n", strerror(errno));
	if (retval)
		*retval = o.retval;
	return o.duration;
}

/* ---- 2. a stream of distinct addresses */

static double run_loop(struct rig *r, struct bpf_program *none, struct bpf_program *p,
		       const struct bench_addr *addrs, size_t n)
{
	int fd = bpf_map__fd(r->loop->maps.bench_addrs);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0", .data_size_in = 14,
		    .repeat = 1);
	__u32 i, best_none = ~0u, best = ~0u;
	int k;

	for (i = 0; i < n; i++)
		bpf_map_update_elem(fd, &i, &addrs[i], BPF_ANY);
	r->loop->bss->bench_count = n;
	for (k = 0; k < 3; k++) { /* best of three: the least disturbed */
		if (bpf_prog_test_run_opts(bpf_program__fd(none), &o))
			die("loop: %s\n", strerror(errno));
		best_none = o.duration < best_none ? o.duration : best_none;
		if (bpf_prog_test_run_opts(bpf_program__fd(p), &o))
			die("loop: %s\n", strerror(errno));
		best = o.duration < best ? o.duration : best;
	}
	return best > best_none ? (double)(best - best_none) / n : 0;
}

static const char *size_name(size_t n)
{
	static char buf[4][16];
	static int k;

	k = (k + 1) % 4;
	if (n >= 1000000)
		snprintf(buf[k], 16, "%zuM", n / 1000000);
	else if (n >= 1000)
		snprintf(buf[k], 16, "%zuk", n / 1000);
	else
		snprintf(buf[k], 16, "%zu", n);
	return buf[k];
}

/* ---- 2b. the whole program on a stream of distinct sources (the harness) */

/* As many distinct sources as the loop's lists hold (1M; 100k with
 * --quick), each run once a round: far more lines than any cache holds, so
 * that the probe's read and the table's are misses, as on a link. */
static struct harness *stream_h;
static struct bare_drop *stream_bare;

/* The listed sources into harness_addrs from 0, the unlisted from n. */
static void stream_fill(const struct list *l, size_t n)
{
	int fd = bpf_map__fd(stream_h->maps.harness_addrs);
	__u32 i, k;

	for (i = 0; i < n; i++) {
		k = n + i;
		if (bpf_map_update_elem(fd, &i, &l->hits[i], BPF_ANY) ||
		    bpf_map_update_elem(fd, &k, &l->misses[i], BPF_ANY))
			die("the harness's sources: %s\n", strerror(errno));
	}
}

/* One run of the program over n sources of harness_addrs from first (the
 * first of which also builds the frame), frames frames in turn: ns a frame. */
static double stream_once(int prog_fd, int family, const struct bench_addr *a0, __u32 first,
			  size_t n, __u32 frames, enum frame_kind kind, __u32 per_source,
			  __u32 *retval)
{
	static const __u8 mac[6] = { 2, 0, 0, 0, 0, 1 };
	__u32 zero = 0;
	__u8 f[128];
	int len = frame_kind_build(f, family, a0, mac, mac, kind);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = frames);

	if (bpf_map_update_elem(bpf_map__fd(stream_h->maps.harness_progs), &zero, &prog_fd, 0))
		die("the harness's slot: %s\n", strerror(errno));
	stream_h->bss->harness_count = n;
	stream_h->bss->harness_first = first;
	stream_h->bss->harness_ports = per_source; /* the same port each time */
	stream_h->bss->harness_dport = 0;
	stream_h->bss->harness_src = 14 + (family == 4 ? 12 : 8);
	stream_h->bss->harness_v6 = family == 6;
	stream_h->bss->harness_next = 0;
	if (bpf_prog_test_run_opts(bpf_program__fd(stream_h->progs.harness), &o))
		die("harness: %s\n", strerror(errno));
	if (retval)
		*retval = o.retval;
	return o.duration;
}

/* The cases of a section, measured in turns: round after round, each case
 * once, so that what the machine does meanwhile falls on all of them alike,
 * the order turning a step each round so that no case always follows the
 * same one; each keeps its best round.  A case's frames come from the
 * unlisted sources (harness_addrs from n) or the listed ones (from 0).
 * detect: -1 leaves detection as it is, 0 or 1 turns it off or on in lv
 * first; per_source: frames a source sends in a row (0: one). */
struct stream_case {
	int prog_fd;
	bool unlisted;
	enum frame_kind kind;
	int detect;
	__u32 per_source;
	double best;
	__u32 retval;
};

static void stream_rounds(struct stream_case *c, int nc, const struct list *l, size_t n,
			  __u32 frames, struct live *lv)
{
	int rounds = B.quick ? 3 : 7, r, i, k;
	struct detect_settings ds;

	detect_defaults(&ds);
	for (k = 0; k < nc; k++)
		c[k].best = 1e18;
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nc; i++) {
			double d;

			k = (i + r) % nc;
			if (c[k].detect >= 0) {
				ds.on = c[k].detect;
				if (detect_configure(lv, &ds))
					die("cannot set detection\n");
			}
			d = stream_once(c[k].prog_fd, l->family,
					c[k].unlisted ? &l->misses[0] : &l->hits[0],
					c[k].unlisted ? n : 0, n, frames, c[k].kind, c[k].per_source,
					&c[k].retval);
			c[k].best = d < c[k].best ? d : c[k].best;
		}
}

static void stream_setup(void)
{
	stream_h = harness__open_and_load();
	stream_bare = bare_drop__open_and_load();
	if (!stream_h || !stream_bare)
		die("cannot load the harness and the bare program\n");
}

/* One row: ns listed, ns unlisted, and each as a ratio to the probe. */
static void stream_row(const char *what, const char *who, const char *name, double hit,
		       double miss, double probe)
{
	char rec[64];

	printf("  %-52s %7.1f %5.2f %7.1f %5.2f\n", what, hit, hit / probe, miss, miss / probe);
	snprintf(rec, sizeof(rec), "stream_frame_ns_%s", who);
	record(rec, name, hit, "ns");
	snprintf(rec, sizeof(rec), "stream_frame_ns_%s_unlisted", who);
	record(rec, name, miss, "ns");
	snprintf(rec, sizeof(rec), "stream_ratio_%s", who);
	record(rec, name, hit / probe, "x");
	snprintf(rec, sizeof(rec), "stream_ratio_%s_unlisted", who);
	record(rec, name, miss / probe, "x");
}

/* The floor's array: a power of two of 8-byte words, at least bytes (and
 * 1 MiB). */
static struct probe *probe_for(unsigned long long bytes, double *mib)
{
	__u32 words = 1u << 17;
	struct probe *pr = probe__open();

	if (!pr)
		die("cannot open the probe\n");
	while ((unsigned long long)words * 8 < bytes && words < (1u << 28))
		words <<= 1;
	bpf_map__set_max_entries(pr->maps.probe_words, words);
	pr->rodata->probe_mask = words - 1;
	if (probe__load(pr))
		die("cannot load the probe (%u words)\n", words);
	*mib = words * 8.0 / 1048576;
	return pr;
}

/* Two measures.  The (warm): 65,536 sources met 16 times a round,
 * against one read of a 32 MiB array; its 4 MiB of sources and much of
 * the probe's array stay in a large last-level cache.  Cold: a million
 * sources each met once a round, against one read of an array as large as
 * the table, and a SYN flood whose every source is new to the behaviour
 * map. */
static void section_stream(struct rig *r, const struct list *l, bool cold)
{
	enum { PROBE, BARE, LPM_H, LPM_M, BC_H, BC_M, NB_H, NB_M, ND_H, ND_M, SYN_ON, SYN_TWICE,
	       SYN_OFF, NCASES };
	size_t most = cold ? BENCH_ADDRS : 65536,
	       n = l->nprobe < most ? l->nprobe : most;
	__u32 frames = cold ? n : B.quick ? (1u << 18) : (1u << 20);
	double mib;
	struct probe *pr = probe_for(cold ? (unsigned long long)r->table_lines * BOUCLIER_LINE_BYTES
					  : 32ull << 20, &mib);
	int fam = l->family, bc = bpf_program__fd(r->bc->progs.bouclier_xdp),
	    lpm = bpf_program__fd(r->lpm->progs.bouclier_xdp),
	    nb = bpf_program__fd(r->nb->progs.bouclier_xdp),
	    nd = bpf_program__fd(r->nd->progs.bouclier_xdp);
	struct stream_case c[NCASES] = {
		[PROBE] = { bpf_program__fd(pr->progs.probe), false, F_UDP, -1 },
		[BARE] = { bpf_program__fd(stream_bare->progs.bare_drop), false, F_UDP, -1 },
		/* established traffic: detection's switch changes nothing there, the
		 * bans' check runs whatever it says (nodetect leaves it out) */
		[LPM_H] = { lpm, false, F_ACK, -1 }, [LPM_M] = { lpm, true, F_ACK, -1 },
		[BC_H] = { bc, false, F_ACK, -1 }, [BC_M] = { bc, true, F_ACK, -1 },
		[NB_H] = { nb, false, F_ACK, -1 }, [NB_M] = { nb, true, F_ACK, -1 },
		[ND_H] = { nd, false, F_ACK, -1 }, [ND_M] = { nd, true, F_ACK, -1 },
		/* a SYN flood: each source new to detection (a million sources,
		 * far more than its gate's words and its entries): one SYN each,
		 * kept by the gate; two each, the second an insert into the
		 * behaviour map and an eviction; cold only */
		[SYN_ON] = { bc, true, F_SYN, 1 }, [SYN_TWICE] = { bc, true, F_SYN, 1, 2 },
		[SYN_OFF] = { bc, true, F_SYN, 0 },
	};
	double p;
	struct live lv;
	char name[64], what[80];

	snprintf(name, sizeof(name), "v%d/%s%s", fam, size_name(l->n), cold ? "/cold" : "");
	if (live_from_object(&lv, r->bc->obj))
		die("the bouclier object's maps\n");
	stream_fill(l, n);
	stream_rounds(c, cold ? NCASES : SYN_ON, l, n, frames, &lv);
	if (c[BC_H].retval != XDP_DROP || c[BC_M].retval != XDP_PASS)
		die("the harness's frames: listed %u, unlisted %u\n", c[BC_H].retval,
		    c[BC_M].retval);
	p = c[PROBE].best;
	if (cold)
		printf("\nIPv%d, %s entries, cold: the whole program on %zu distinct sources, each "
		       "once a round, in the kernel (BPF_PROG_TEST_RUN through a harness that gives "
		       "each run the next source and tail-calls the program; each case the best of "
		       "%d rounds taken in turns): ns a frame, and its ratio to one miss in an array "
		       "as large as the table\n", fam, size_name(l->n), n, B.quick ? 3 : 7);
	else
		printf("\nIPv%d, %s entries, the issue's measure: the whole program on a stream of "
		       "%zu distinct sources, %u frames a round, in the kernel (the same harness; "
		       "each case the best of %d rounds taken in turns): ns a frame, and its ratio to "
		       "one read of a 32 MiB array\n", fam, size_name(l->n), n, frames,
		       B.quick ? 3 : 7);
	printf("  %-52s %13s %13s\n", "", "listed", "unlisted");
	stream_row("bare XDP_DROP (the harness and a tail call)", "bare", name, c[BARE].best,
		   c[BARE].best, p);
	snprintf(what, sizeof(what), "one miss: a random word of %.0f MiB%s", mib,
		 cold ? ", the table's size" : "");
	stream_row(what, "probe", name, p, p, p);
	stream_row("XDP, one LPM trie (the baseline)", "lpm", name, c[LPM_H].best, c[LPM_M].best, p);
	stream_row("bouclier (TCP, established)", "bouclier", name, c[BC_H].best, c[BC_M].best, p);
	stream_row("  without the drop bookkeeping", "nobook", name, c[NB_H].best, c[NB_M].best, p);
	stream_row("  without detection (compiled out)", "nodetect", name, c[ND_H].best,
		   c[ND_M].best, p);
	printf("  %-52s %+7.1f       %+7.1f\n", "    detection's cost a frame",
	       c[BC_H].best - c[ND_H].best, c[BC_M].best - c[ND_M].best);
	record("detect_ns", name, c[BC_M].best - c[ND_M].best, "ns");
	if (cold) {
		printf("  %-52s %7s       %7.1f %5.2f\n",
		       "bouclier, a SYN flood: every frame a new source", "", c[SYN_ON].best,
		       c[SYN_ON].best / p);
		printf("  %-52s %7s       %7.1f %5.2f\n", "  the same, detection off", "",
		       c[SYN_OFF].best, c[SYN_OFF].best / p);
		printf("  %-52s %7s       %7.1f %5.2f\n",
		       "  detection on, every source sending two SYNs", "", c[SYN_TWICE].best,
		       c[SYN_TWICE].best / p);
		record("stream_frame_ns_detect_syn_unlisted", name, c[SYN_ON].best, "ns");
		record("stream_frame_ns_detect_syn2_unlisted", name, c[SYN_TWICE].best, "ns");
		record("stream_frame_ns_nodetect_syn_unlisted", name, c[SYN_OFF].best, "ns");
	}
	live_close(&lv);
	probe__destroy(pr);
}

static void section_kernel(int family, const size_t *sizes, int nsizes, struct list *keep,
			   size_t keep_n)
{
	struct bench_addr any = { 0x01020304, 0, 0x2001000000000000ULL, 1 };
	struct bare_drop *bd = bare_drop__open_and_load();
	struct nolookup *nl = nolookup__open();
	int repeat = B.quick ? 1000000 : 10000000, s;
	size_t nloop = B.quick ? 100000 : 1000000;
	double bare, nolookup;
	char name[16];

	if (!bd || !nl)
		die("cannot open bare_drop and nolookup\n");
	unpin_all(nl->obj);
	if (nolookup__load(nl))
		die("cannot load nolookup\n");
	bare = run_frame(bpf_program__fd(bd->progs.bare_drop), family, &any, repeat, NULL);
	/* bouclier's parsing and counting around a lookup that finds nothing */
	nolookup = run_frame(bpf_program__fd(nl->progs.bouclier_xdp), family, &any, repeat, NULL);
	nolookup__destroy(nl);
	snprintf(name, sizeof(name), "v%d", family);
	record("frame_ns_nolookup", name, nolookup, "ns");
	printf("\n%s, one repeated frame (ns per frame, BPF_PROG_TEST_RUN repeat %d), and a "
	       "stream of %zu distinct sources (ns per lookup, bpf_loop)\n"
	       "bare XDP_DROP %.1f ns; bouclier's parsing and counting with no lookup %.1f ns "
	       "(%.2f of bare)\n",
	       family == 4 ? "IPv4" : "IPv6", repeat, nloop, bare, nolookup, nolookup / bare);
	printf("%-8s %-5s %9s %9s %9s %10s %10s  %10s %10s %9s\n", "entries", "case", "bare",
	       "lpm", "bouclier", "lpm/bare", "bcl/bare", "lpm-strm", "bcl-strm", "lpm/bcl");
	for (s = 0; s < nsizes; s++) {
		double book = 0, book_bc = 0, book_nb = 0;
		int stream = (family == 4 && sizes[s] == (B.quick ? 100000u : 1000000u)) ||
			     (family == 6 && sizes[s] >= (B.quick ? 1000u : 100000u));
		struct list l;
		struct rig r;
		int hit;

		if (B.stream_only && !stream)
			continue;
		list_make(&l, family, sizes[s], nloop);
		rig_up(&r, &l);
		for (hit = 1; hit >= 0 && !B.stream_only; hit--) {
			const struct bench_addr *a = hit ? l.hits : l.misses;
			__u32 rv_lpm, rv_bc;
			double lpm = run_frame(bpf_program__fd(r.lpm->progs.bouclier_xdp), family, a,
					       repeat, &rv_lpm);
			double bc = run_frame(bpf_program__fd(r.bc->progs.bouclier_xdp), family, a,
					      repeat, &rv_bc);
			double sl = run_loop(&r, family == 4 ? r.loop->progs.loop_none4
							     : r.loop->progs.loop_none6,
					     family == 4 ? r.loop->progs.loop_lpm4
							 : r.loop->progs.loop_lpm6, a, nloop);
			double sb = run_loop(&r, family == 4 ? r.loop->progs.loop_none4
							     : r.loop->progs.loop_none6,
					     family == 4 ? r.loop->progs.loop_table4
							 : r.loop->progs.loop_table6, a, nloop);
			char name[64];

			if (rv_lpm != (hit ? XDP_DROP : XDP_PASS) || rv_bc != rv_lpm)
				die("verdicts disagree: lpm %u, bouclier %u (hit %d)\n", rv_lpm, rv_bc,
				    hit);
			printf("%-8s %-5s %9.1f %9.1f %9.1f %10.2f %10.2f  %10.1f %10.1f %9.2f\n",
			       size_name(l.n), hit ? "hit" : "miss", bare, lpm, bc, lpm / bare,
			       bc / bare, sl, sb, sb > 0 ? sl / sb : 0);
			snprintf(name, sizeof(name), "v%d/%s/%s", family, size_name(l.n),
				 hit ? "hit" : "miss");
			record("frame_ns_bare", name, bare, "ns");
			record("frame_ns_lpm", name, lpm, "ns");
			record("frame_ns_bouclier", name, bc, "ns");
			record("stream_ns_lpm", name, sl, "ns");
			record("stream_ns_bouclier", name, sb, "ns");
			if (hit) {
				double nb = run_frame(bpf_program__fd(r.nb->progs.bouclier_xdp),
						      family, a, repeat, NULL);

				record("frame_ns_nobook", name, nb, "ns");
				record("bookkeeping_ns", name, bc - nb, "ns");
				book = bc - nb;
				book_nb = nb;
				book_bc = bc;
			}
		}
		if (!B.stream_only)
			printf("%-8s       drop bookkeeping (weather slot, sketches, samples): %.1f ns "
			       "a drop (%.1f with, %.1f without)\n", size_name(l.n), book, book_bc,
			       book_nb);
		{
			char name[64];

			snprintf(name, sizeof(name), "v%d/%s", family, size_name(l.n));
			record("load_s_bouclier_table", name, r.t_compile, "s");
			record("load_s_lpm", name, r.t_lpm, "s");
			record("mem_bytes_per_entry_bouclier", name, (double)r.mem_table / l.n, "B");
			record("table_bytes_per_entry_bouclier", name,
			       (double)r.table_lines * BOUCLIER_LINE_BYTES / l.n, "B");
			record("mem_bytes_per_entry_lpm", name, (double)r.mem_lpm / l.n, "B");
			printf("%-8s       table: compiled and swapped in %.3f s, %.1f bytes/entry "
			       "(%.1f allocated in its size class); LPM: loaded in %.3f s, %.1f "
			       "bytes/entry\n", size_name(l.n), r.t_compile,
			       (double)r.table_lines * BOUCLIER_LINE_BYTES / l.n,
			       (double)r.mem_table / l.n, r.t_lpm, (double)r.mem_lpm / l.n);
		}
		if (family == 4 && s == nsizes - 1 && !B.stream_only) {
			struct bare_tc *bt = bare_tc__open_and_load();
			double tc_bare, tc_bc;

			if (!bt)
				die("cannot load bare_tc\n");
			tc_bare = run_frame(bpf_program__fd(bt->progs.bare_tc), 4, &any, repeat, NULL);
			/* the frame's destination (192.0.2.1) is not listed: the pass path */
			tc_bc = run_frame(bpf_program__fd(r.bc->progs.bouclier_tc), 4, &any, repeat,
					  NULL);
			printf("the way out, %s entries, an unlisted destination: bare TC program "
			       "%.1f ns, bouclier's egress %.1f ns (+%.1f ns a packet)\n",
			       size_name(l.n), tc_bare, tc_bc, tc_bc - tc_bare);
			record("egress_ns_bare", size_name(l.n), tc_bare, "ns");
			record("egress_ns_bouclier", size_name(l.n), tc_bc, "ns");
			bare_tc__destroy(bt);
		}
		if (stream) {
			section_stream(&r, &l, false);
			section_stream(&r, &l, true);
		}
		rig_down(&r);
		if (keep && l.n == keep_n)
			*keep = l;
		else
			list_free(&l);
	}
	bare_drop__destroy(bd);
}

/* ---- 3 and 4: the lab, live frames and load times */

static void enter(int ns)
{
	if (setns(ns, CLONE_NEWNET))
		die("setns: %s\n", strerror(errno));
}

static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void lab_down(void)
{
	if (!B.lab[0])
		return;
	enter(B.ns_root);
	sh("nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s BOUCLIER_STATE_DIR=%s "
	   "%s detach wan0 >/dev/null 2>&1; rm -rf %s %s; %s/tools/lab.sh down %s",
	   B.lab, B.pin_dir, B.state_dir, B.bin, B.pin_dir, B.state_dir, B.src, B.lab);
	B.lab[0] = 0;
}

static void lab_up(void)
{
	char path[128];

	snprintf(B.lab, sizeof(B.lab), "bbench%d", getpid());
	snprintf(B.pin_dir, sizeof(B.pin_dir), "/sys/fs/bpf/bouclier-bench-%d", getpid());
	snprintf(B.state_dir, sizeof(B.state_dir), "/tmp/bouclier-bench-%d", getpid());
	atexit(lab_down);
	if (sh("%s/tools/lab.sh up %s", B.src, B.lab))
		die("cannot build the lab\n");
	B.ns_root = open("/proc/self/ns/net", O_RDONLY);
	snprintf(path, sizeof(path), "/run/netns/%s-wan", B.lab);
	B.ns_wan = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/run/netns/%s-net", B.lab);
	B.ns_net = open(path, O_RDONLY);
	if (B.ns_root < 0 || B.ns_wan < 0 || B.ns_net < 0)
		die("cannot open the lab's namespaces\n");
}

static void mac_of(const char *ifname, __u8 *mac)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr))
		die("cannot read the MAC of %s\n", ifname);
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
}

struct gen_rig {
	struct gen *g;
	__u8 wan_mac[6], net_mac[6];
	int wan_ifindex;
};

static void gen_up(struct gen_rig *gr)
{
	enter(B.ns_wan);
	mac_of("wan0", gr->wan_mac);
	gr->wan_ifindex = if_nametoindex("wan0");
	enter(B.ns_net);
	mac_of("net0", gr->net_mac);
	gr->g = gen__open();
	if (!gr->g || gen__load(gr->g))
		die("cannot load the generator\n");
	gr->g->bss->gen_ifindex = if_nametoindex("net0");
	enter(B.ns_root);
}

static void gen_addrs(struct gen_rig *gr, const struct bench_addr *a, size_t n)
{
	int fd = bpf_map__fd(gr->g->maps.gen_addrs);
	__u32 i;

	if (n > BENCH_ADDRS)
		n = BENCH_ADDRS;
	for (i = 0; i < n; i++)
		bpf_map_update_elem(fd, &i, &a[i], BPF_ANY);
	gr->g->data->gen_count = n;
}

/* Sends frames frames through the generator and returns millions a second,
 * or -errno; the CPUs the benchmark may use are what they were, either way. */
static double gen_run(struct gen_rig *gr, int family, __u32 frames)
{
	struct bench_addr dummy = { 0x01020304, 0, 0x2001000000000000ULL, 1 };
	__u8 f[128];
	int len = frame_build(f, family, &dummy, gr->wan_mac, gr->net_mac);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f, .data_size_in = len, .repeat = frames,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES, .batch_size = 64);
	double t0;
	cpu_set_t one, was;
	int err = 0;

	if (sched_getaffinity(0, sizeof(was), &was))
		die("sched_getaffinity: %s\n", strerror(errno));
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one); /* generator and receiver share a core */
	enter(B.ns_net);
	t0 = now();
	if (bpf_prog_test_run_opts(bpf_program__fd(gr->g->progs.gen), &o))
		err = -errno;
	t0 = now() - t0;
	enter(B.ns_root);
	sched_setaffinity(0, sizeof(was), &was);
	return err ? err : frames / t0 / 1e6;
}

static void xdp_on(struct gen_rig *gr, int prog_fd)
{
	enter(B.ns_wan);
	if (bpf_xdp_attach(gr->wan_ifindex, prog_fd, XDP_FLAGS_DRV_MODE, NULL))
		die("attach to wan0: %s\n", strerror(errno));
	enter(B.ns_root);
}

static void xdp_off(struct gen_rig *gr)
{
	enter(B.ns_wan);
	bpf_xdp_detach(gr->wan_ifindex, XDP_FLAGS_DRV_MODE, NULL);
	enter(B.ns_root);
}

static void write_list(const char *path, const struct list *l, const char *prefix,
		       const char *sep, const char *suffix)
{
	char buf[CIDR_STRLEN];
	FILE *f = fopen(path, "w");
	size_t i;

	if (!f)
		die("cannot write %s\n", path);
	fputs(prefix, f);
	for (i = 0; i < l->nnorm; i++)
		fprintf(f, "%s%s", i ? sep : "", cidr_format(&l->norm[i], buf, sizeof(buf)));
	fputs(suffix, f);
	fclose(f);
}

static double timed(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	double t0 = now();

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (sh("%s", cmd))
		return -1;
	return now() - t0;
}

/* The wall time of a shell command, and its peak resident memory in bytes,
 * as GNU time measures it for the command: a child's own rusage would also
 * count this process's memory, which the child holds until its exec. */
static double timed_rss(long *rss, const char *fmt, ...)
{
	char cmd[2048], tf[64];
	double t0 = now();
	long kb = 0;
	va_list ap;
	FILE *f;
	int st = 0;
	pid_t pid;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(tf, sizeof(tf), "/tmp/bouclier-bench-%d.rss", getpid());
	pid = fork();
	if (pid == 0) {
		execl("/usr/bin/time", "time", "-f", "%M", "-o", tf, "/bin/sh", "-c", cmd,
		      (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	f = fopen(tf, "r");
	if (!f || fscanf(f, "%ld", &kb) != 1)
		die("cannot read the peak memory GNU time wrote in %s\n", tf);
	fclose(f);
	unlink(tf);
	*rss = kb * 1024L;
	return now() - t0;
}

/* One line of the live table, and its JSON record. */
static void show(const char *label, double v, double base, const char *who, const char *name)
{
	char section[64];

	printf("%-40s %8.2f %8.2f\n", label, v, v / base);
	snprintf(section, sizeof(section), "live_mpps_%s", who);
	record(section, name, v, "Mpps");
}

/* One candidate XDP program on wan0 for one run of the generator. */
static double live_run(struct gen_rig *gr, int prog_fd, int family, __u32 frames)
{
	double v;

	xdp_on(gr, prog_fd);
	v = gen_run(gr, family, frames);
	xdp_off(gr);
	return v;
}

/* The bare program, the LPM baseline and bouclier, one after the other on
 * the same traffic; returns the bare program's rate. */
static double live_three(struct gen_rig *gr, struct rig *r, int bare_fd, const char *path,
			 const char *bare_label, int fam, __u32 frames, const char *name)
{
	char label[64];
	double base, v;

	base = live_run(gr, bare_fd, fam, frames);
	show(bare_label, base, base, "bare", name);
	v = live_run(gr, bpf_program__fd(r->lpm->progs.bouclier_xdp), fam, frames);
	snprintf(label, sizeof(label), "%sXDP, one LPM trie (baseline)", path);
	show(label, v, base, "lpm", name);
	v = live_run(gr, bpf_program__fd(r->bc->progs.bouclier_xdp), fam, frames);
	snprintf(label, sizeof(label), "%sbouclier", path);
	show(label, v, base, "bouclier", name);
	/* 64-byte frames take 84 bytes of a wire (preamble and gap) */
	printf("%-40s %8.2f Gbit/s of 64-byte frames on one core\n", "  as a link speed",
	       v * 84 * 8 / 1000);
	v = live_run(gr, bpf_program__fd(r->nb->progs.bouclier_xdp), fam, frames);
	snprintf(label, sizeof(label), "%sbouclier without drop bookkeeping", path);
	show(label, v, base, "nobook", name);
	return base;
}

static void section_live(struct list *l, __u32 frames)
{
	struct bare_drop *bd = bare_drop__open_and_load();
	struct bare_pass *bp = bare_pass__open_and_load();
	struct gen_rig gr;
	struct rig r;
	double base_drop, v;
	char name[64], fn[256];
	int fam = l->family;

	if (!bd || !bp)
		die("cannot load the bare programs\n");
	gen_up(&gr);
	/* some kernels refuse live frames (EPERM here): say so once, and
	 * keep the in-kernel stream above as the measure */
	v = gen_run(&gr, fam, 64);
	if (v < 0) {
		printf("\nIPv%d live frames: refused by this kernel (%s); the in-kernel stream "
		       "above stands for them\n", fam, strerror((int)-v));
		record("live_refused", fam == 4 ? "v4" : "v6", -v, "errno");
		gen__destroy(gr.g);
		bare_drop__destroy(bd);
		bare_pass__destroy(bp);
		return;
	}
	rig_up(&r, l);
	printf("\nIPv%d live frames on a veth pair, %s entries, %u frames a run, generator and "
	       "receiver on one core (Mpps, ratio to the bare program)\n", fam, size_name(l->n),
	       frames);
	printf("%-40s %8s %8s\n", "what drops the listed sources", "Mpps", "ratio");

	gen_addrs(&gr, l->hits, l->nprobe);
	snprintf(name, sizeof(name), "v%d/%s/drop", fam, size_name(l->n));
	base_drop = live_three(&gr, &r, bpf_program__fd(bd->progs.bare_drop), "",
			       "bare XDP_DROP (the limit)", fam, frames, name);

	if (fam == 4 && !sh("command -v nft >/dev/null && command -v ipset >/dev/null && "
			    "command -v iptables >/dev/null")) {
		double t;

		snprintf(fn, sizeof(fn), "/tmp/bouclier-bench-%d.nft", getpid());
		write_list(fn, l, "table inet bench {\n set bl4 { type ipv4_addr; flags interval;"
				  " elements = { ", ", ",
			   " } }\n chain pre { type filter hook prerouting priority raw; "
			   "ip saddr @bl4 drop; }\n}\n");
		t = timed("ip netns exec %s-wan nft -f %s", B.lab, fn);
		unlink(fn);
		if (t >= 0) {
			v = gen_run(&gr, fam, frames);
			show("nftables interval set, prerouting", v, base_drop, "nft", name);
			record("load_s_nft", name, t, "s");
			sh("ip netns exec %s-wan nft delete table inet bench", B.lab);
		}
		snprintf(fn, sizeof(fn), "/tmp/bouclier-bench-%d.ipset", getpid());
		write_list(fn, l, "create bl4 hash:net family inet hashsize 1048576 maxelem 4000000\n"
				  "add bl4 ", "\nadd bl4 ", "\n");
		t = timed("ip netns exec %s-wan ipset restore -f %s", B.lab, fn);
		unlink(fn);
		if (t >= 0 && !sh("ip netns exec %s-wan iptables -t raw -A PREROUTING -m set "
				  "--match-set bl4 src -j DROP", B.lab)) {
			v = gen_run(&gr, fam, frames);
			show("iptables raw + ipset hash:net", v, base_drop, "ipset", name);
			record("load_s_ipset", name, t, "s");
			sh("ip netns exec %s-wan iptables -t raw -F PREROUTING; "
			   "ip netns exec %s-wan ipset destroy bl4", B.lab, B.lab);
		}
	}

	if (fam == 4 && !sh("command -v xdp-filter >/dev/null") &&
	    !sh("nsenter --net=/run/netns/%s-wan xdp-filter load wan0 -m native -f ipv4 "
		">/dev/null 2>&1", B.lab)) {
		/* xdp-filter holds exact addresses, 10000 at most: the generator
		 * sends only those it holds. */
		int fd = bpf_obj_get("/sys/fs/bpf/xdp-filter/filter_ipv4"), ncpu =
			libbpf_num_possible_cpus();
		__u64 *val = calloc(ncpu, sizeof(*val));
		size_t i, n = l->nprobe < 10000 ? l->nprobe : 10000;

		for (i = 0; fd >= 0 && val && i < (size_t)ncpu; i++)
			val[i] = 1; /* xdp-tools' MAP_FLAG_SRC */
		for (i = 0; fd >= 0 && val && i < n; i++) {
			__u32 key = htonl(l->hits[i].v4);

			bpf_map_update_elem(fd, &key, val, BPF_ANY);
		}
		gen_addrs(&gr, l->hits, n);
		v = gen_run(&gr, fam, frames);
		show("xdp-filter (xdp-tools), 10k exact IPs", v, base_drop, "xdp_filter_10k", name);
		sh("nsenter --net=/run/netns/%s-wan xdp-filter unload wan0 >/dev/null 2>&1; "
		   "rmdir /sys/fs/bpf/xdp-filter/programs/wan0 /sys/fs/bpf/xdp-filter/programs "
		   "/sys/fs/bpf/xdp 2>/dev/null", B.lab);
		if (fd >= 0)
			close(fd);
		free(val);
	}

	gen_addrs(&gr, l->misses, l->nprobe);
	snprintf(name, sizeof(name), "v%d/%s/pass", fam, size_name(l->n));
	live_three(&gr, &r, bpf_program__fd(bp->progs.bare_pass), "pass path: ",
		   "pass path: bare XDP_PASS (the limit)", fam, frames, name);

	gen__destroy(gr.g);
	rig_down(&r);
	bare_drop__destroy(bd);
	bare_pass__destroy(bp);
}

/* The milliseconds `bouclier -v` gives a phase in the file of its messages
 * (maps/log.c, log_phase); 0 when absent. */
static double phase_ms(const char *file, const char *phase)
{
	char line[256];
	double ms = 0, v;
	FILE *f = fopen(file, "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, phase);

		if (p && sscanf(p + strlen(phase), " %lf ms", &v) == 1)
			ms += v;
	}
	if (f)
		fclose(f);
	return ms;
}

/* The wall time of `bouclier ARGV...` alone in the lab's WAN namespace,
 * with the lab's pins and state: spawned from here (no copy of this
 * process's page tables), with neither shell, nsenter, env nor GNU time
 * around it, each of which costs an exec: about 10 ms on the VM measured.
 * Its output goes to /dev/null. */
static double bouclier_alone(char *const argv[])
{
	extern char **environ;
	char pin[128], state[128], *envp[256];
	posix_spawn_file_actions_t fa;
	double t0, t;
	int n = 0, i, st = 0;
	pid_t pid;

	snprintf(pin, sizeof(pin), "BOUCLIER_PIN_DIR=%s", B.pin_dir);
	snprintf(state, sizeof(state), "BOUCLIER_STATE_DIR=%s", B.state_dir);
	envp[n++] = pin;
	envp[n++] = state;
	for (i = 0; environ[i] && n < 255; i++)
		if (strncmp(environ[i], "BOUCLIER_PIN_DIR=", 17) &&
		    strncmp(environ[i], "BOUCLIER_STATE_DIR=", 19))
			envp[n++] = environ[i];
	envp[n] = NULL;
	if (posix_spawn_file_actions_init(&fa) ||
	    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0) ||
	    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0))
		die("posix_spawn_file_actions: out of memory\n");
	enter(B.ns_wan);
	t0 = now();
	if (posix_spawnp(&pid, B.bin, &fa, NULL, argv, envp))
		die("cannot start %s\n", B.bin);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("%s %s %s failed (%d)\n", B.bin, argv[1], argv[2], st);
	t = now() - t0;
	enter(B.ns_root);
	posix_spawn_file_actions_destroy(&fa);
	return t;
}

/* The real command, as cron runs it: parse, normalise, compile, swap, save. */
static void section_refresh(struct list *l)
{
	char fn[256], fn2[256], env[512], name[64], log[256];
	double full, incr, incr_full, incr_alone, big, table_ms, table_full_ms;
	long rss_full = 0, rss_incr = 0, rss_big = 0, rss_if = 0;
	size_t i, changed = l->nnorm / 100, n4 = B.quick ? 400000 : 4000000,
		  n6 = B.quick ? 100000 : 1000000;

	snprintf(env, sizeof(env), "nsenter --net=/run/netns/%s-wan env BOUCLIER_PIN_DIR=%s "
		 "BOUCLIER_STATE_DIR=%s", B.lab, B.pin_dir, B.state_dir);
	if (sh("%s %s attach wan0 >/dev/null 2>&1", env, B.bin))
		die("cannot attach bouclier in the lab\n");
	snprintf(fn, sizeof(fn), "/tmp/bouclier-bench-%d.txt", getpid());
	snprintf(fn2, sizeof(fn2), "/tmp/bouclier-bench-%d-b.txt", getpid());
	snprintf(log, sizeof(log), "/tmp/bouclier-bench-%d.log", getpid());
	write_list(fn, l, "", "\n", "\n");
	for (i = 0; i < changed; i++) /* 1% of the list replaced */
		random_prefix(l->family, &l->norm[rnd() % l->nnorm]);
	write_list(fn2, l, "", "\n", "\n");
	full = timed_rss(&rss_full, "%s %s feed load big %s 2>/dev/null", env, B.bin, fn);
	/* the change: applied to a copy of the live table (the delta) */
	incr = timed_rss(&rss_incr, "%s %s -v feed load big %s 2>%s", env, B.bin, fn2, log);
	table_ms = phase_ms(log, "gather the lists") + phase_ms(log, "apply the change to a copy") +
		   phase_ms(log, "swap it in");
	if (!phase_ms(log, "apply the change to a copy"))
		printf("(the 1%% change was compiled in full: %s)\n", log);
	/* the same change compiled in full, for comparison */
	timed("%s %s feed load big %s 2>/dev/null", env, B.bin, fn);
	incr_full = timed_rss(&rss_if, "%s BOUCLIER_NO_DELTA=1 %s -v feed load big %s 2>%s", env,
			      B.bin, fn2, log);
	table_full_ms = phase_ms(log, "gather the lists") + phase_ms(log, "plan the table") +
			phase_ms(log, "fill the new table") + phase_ms(log, "swap it in");
	/* the same change, the command alone: the best of three */
	incr_alone = 1e9;
	for (i = 0; i < 3; i++) {
		char *argv[] = { (char *)B.bin, "feed", "load", "big", fn2, NULL };
		double t;

		if (sh("%s %s feed load big %s >/dev/null 2>&1", env, B.bin, fn))
			die("cannot load the 1M-line list again\n");
		t = bouclier_alone(argv);
		incr_alone = t < incr_alone ? t : incr_alone;
	}
	sh("%s %s feed remove big >/dev/null 2>&1", env, B.bin);
	unlink(fn);
	unlink(fn2);
	unlink(log);
	snprintf(name, sizeof(name), "v%d/%s", l->family, size_name(l->n));
	printf("\nIPv%d refresh of %s entries with the real command (`bouclier feed load`: parse, "
	       "normalise, compile or change, swap, save), and its peak memory\n", l->family,
	       size_name(l->nnorm));
	printf("%-40s %8.3f s %8.1f MB %6.0f B/entry\n", "full refresh", full, rss_full / 1e6,
	       (double)rss_full / l->nnorm);
	printf("%-40s %8.3f s %8.1f MB  the table's part: %.0f ms (a delta)\n",
	       "1% of the entries changed", incr, rss_incr / 1e6, table_ms);
	printf("%-40s %8.3f s %8.1f MB  the table's part: %.0f ms (BOUCLIER_NO_DELTA=1)\n",
	       "the same, compiled in full", incr_full, rss_if / 1e6, table_full_ms);
	printf("%-40s %8.3f s              (no shell, nsenter or GNU time around it; "
	       "best of 3)\n", "1% changed, the command alone", incr_alone);
	record("refresh_s_full", name, full, "s");
	record("refresh_s_incremental", name, incr, "s");
	record("refresh_table_ms_delta", name, table_ms, "ms");
	record("refresh_s_incremental_compiled", name, incr_full, "s");
	record("refresh_s_incremental_alone", name, incr_alone, "s");
	record("refresh_table_ms_compiled", name, table_full_ms, "ms");
	record("refresh_peak_rss_bytes", name, rss_full, "B");

	/* the largest town: 4M IPv4 and 1M IPv6 prefixes of any length, two feeds */
	{
		struct list a = { .family = 4 }, b = { .family = 6 };

		a.norm = calloc(n4, sizeof(*a.norm));
		b.norm = calloc(n6, sizeof(*b.norm));
		if (!a.norm || !b.norm)
			die("out of memory\n");
		for (i = 0; i < n4; i++)
			random_prefix(4, &a.norm[i]);
		for (i = 0; i < n6; i++)
			random_prefix(6, &b.norm[i]);
		a.nnorm = n4;
		b.nnorm = n6;
		write_list(fn, &a, "", "\n", "\n");
		write_list(fn2, &b, "", "\n", "\n");
		free(a.norm);
		free(b.norm);
		if (timed("%s %s feed load v4 %s 2>/dev/null", env, B.bin, fn) < 0)
			die("cannot load %zu IPv4 prefixes\n", n4);
		big = timed_rss(&rss_big, "%s %s feed load v6 %s 2>/dev/null", env, B.bin, fn2);
		unlink(fn);
		unlink(fn2);
		snprintf(name, sizeof(name), "v4 %s + v6 %s", size_name(n4), size_name(n6));
		printf("%-40s %8.3f s %8.1f MB %6.0f B/entry\n", name, big, rss_big / 1e6,
		       (double)rss_big / (n4 + n6));
		record("refresh_s_full", name, big, "s");
		record("refresh_peak_rss_bytes", name, rss_big, "B");
		sh("%s %s feed remove v4 >/dev/null 2>&1; %s %s feed remove v6 >/dev/null 2>&1", env,
		   B.bin, env, B.bin);
	}
}

/* The observatory at a département's scale: tools/bench_region.sh makes
 * 1,000 towns' reports and times the signed list's publication. */
static void section_region(void)
{
	char cmd[1024], buf[4096];
	size_t n;
	json_t *j;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "BOUCLIER=%s %s/tools/bench_region.sh --towns %d --json",
		 B.bin, B.src, B.quick ? 100 : 1000);
	p = popen(cmd, "r");
	if (!p)
		die("cannot run %s\n", cmd);
	n = fread(buf, 1, sizeof(buf) - 1, p);
	buf[n] = 0;
	if (pclose(p) || !(j = json_loads(buf, 0, NULL))) {
		printf("\nthe region's list: %s failed: %s\n", cmd, buf);
		return;
	}
	printf("\nthe region's list: %lld towns' reports (%lld sources each, %.1f MB), read and "
	       "published with their signature in %.2f s, peak %.0f MB; %lld sources listed\n",
	       (long long)json_integer_value(json_object_get(j, "towns")),
	       (long long)json_integer_value(json_object_get(j, "sources")),
	       json_number_value(json_object_get(j, "report_bytes")) / 1e6,
	       json_number_value(json_object_get(j, "seconds")),
	       json_number_value(json_object_get(j, "peak_kb")) / 1e3,
	       (long long)json_integer_value(json_object_get(j, "listed")));
	record("region_publish_s", "towns", json_number_value(json_object_get(j, "seconds")), "s");
	record("region_publish_peak_bytes", "towns",
	       json_number_value(json_object_get(j, "peak_kb")) * 1024, "B");
	json_decref(j);
}

static void write_svg(const char *path)
{
	static const struct { const char *prefix, *title; } groups[] = {
		{ "live_mpps_", "Live frames on veth (Mpps, higher is better)" },
		{ "stream_ns_", "Lookup over distinct sources (ns, lower is better)" },
		{ "frame_ns_", "One repeated frame (ns, lower is better)" },
	};
	FILE *f = fopen(path, "w");
	int g, i, y = 30, rows = 0;

	if (!f)
		return;
	for (g = 0; g < 3; g++)
		for (i = 0; i < nrecs; i++)
			rows += !strncmp(recs[i].section, groups[g].prefix, strlen(groups[g].prefix));
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"%d\" "
		   "font-family=\"sans-serif\" font-size=\"11\">\n"
		   "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		   "<text x=\"10\" y=\"18\" font-size=\"14\">bouclier make bench</text>\n",
		rows * 14 + 3 * 30 + 40);
	for (g = 0; g < 3; g++) {
		double max = 0;

		for (i = 0; i < nrecs; i++)
			if (!strncmp(recs[i].section, groups[g].prefix, strlen(groups[g].prefix)) &&
			    recs[i].value > max)
				max = recs[i].value;
		if (max <= 0)
			continue;
		y += 16;
		fprintf(f, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>\n", y,
			groups[g].title);
		y += 6;
		for (i = 0; i < nrecs; i++) {
			const char *who;
			int w;

			if (strncmp(recs[i].section, groups[g].prefix, strlen(groups[g].prefix)))
				continue;
			who = recs[i].section + strlen(groups[g].prefix);
			w = (int)(recs[i].value / max * 560);
			fprintf(f, "<text x=\"10\" y=\"%d\">%s %s</text>"
				   "<rect x=\"250\" y=\"%d\" width=\"%d\" height=\"10\" fill=\"%s\"/>"
				   "<text x=\"%d\" y=\"%d\">%.2f</text>\n",
				y + 10, recs[i].name, who, y + 1, w,
				!strcmp(who, "bouclier") ? "#2a7" : !strcmp(who, "bare") ? "#999" : "#c63",
				255 + w, y + 10, recs[i].value);
			y += 14;
		}
	}
	fprintf(f, "</svg>\n");
	fclose(f);
}

int main(int argc, char **argv)
{
	static const size_t v4_full[] = { 1000, 100000, 1000000, 4000000 },
			    v6_full[] = { 1000, 100000, 1000000 };
	static const size_t v4_quick[] = { 1000, 100000 }, v6_quick[] = { 1000 };
	char path[512];
	struct utsname u;
	time_t t = time(NULL);
	int i;

	B.out = "build/bench";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			B.quick = 1;
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			B.out = argv[++i];
		else if (!strcmp(argv[i], "--bouclier") && i + 1 < argc)
			B.bin = argv[++i];
		else if (!strcmp(argv[i], "--src") && i + 1 < argc)
			B.src = argv[++i];
		else if (!strcmp(argv[i], "--stream-only"))
			B.stream_only = 1;
		else
			die("usage: bench [--quick] [--stream-only] [--out PREFIX] [--bouclier BIN] "
			    "[--src DIR]\n");
	}
	if (geteuid() != 0)
		die("the benchmark needs root (BPF, namespaces)\n");
	libbpf_set_print(NULL);
	stream_setup();
	uname(&u);
	printf("bouclier bench, %.24s, Linux %s, %ld CPUs%s\n", ctime(&t), u.release,
	       sysconf(_SC_NPROCESSORS_ONLN), B.quick ? " (quick)" : "");

	{
		struct list big4 = { 0 }, big6 = { 0 };
		size_t n4 = B.quick ? 100000 : 1000000, n6 = B.quick ? 1000 : 100000;
		__u32 frames = B.quick ? 2000000 : 10000000;

		section_kernel(4, B.quick ? v4_quick : v4_full, B.quick ? 2 : 4, &big4, n4);
		section_kernel(6, B.quick ? v6_quick : v6_full, B.quick ? 1 : 3, &big6, n6);
		if (B.bin && B.src && !B.stream_only) {
			lab_up();
			section_live(&big4, frames);
			section_live(&big6, frames);
			section_refresh(&big4);
			lab_down();
			section_region();
		} else {
			printf("\n(no --bouclier and --src: live frames and refresh skipped)\n");
		}
		list_free(&big4);
		list_free(&big6);
	}

	snprintf(path, sizeof(path), "%s.json", B.out);
	write_json(path, t, u.release);
	snprintf(path, sizeof(path), "%s.svg", B.out);
	write_svg(path);
	printf("\nwrote %s.json and %s.svg\n", B.out, B.out);
	return 0;
}
