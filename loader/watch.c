// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * watch.c - `bouclier watch IFACE...`, what bouclier@.service runs: keeps
 * the filter on its interfaces while they come and go (a PPPoE redial
 * deletes ppp0 and creates it again; so do ifdown/ifup of a VLAN, a USB
 * modem, a driver reload) and keeps the automatic allowlist equal to the
 * interfaces' networks and default gateways as DHCP, IPCP or router
 * advertisements change them.  It follows rtnetlink (libmnl) and checks
 * what the kernel runs every few seconds besides.  It also polls the
 * configuration's CrowdSec LAPI feeds, in the same loop (lapi.h).  The
 * outside port of an inline box (a bridge port) is kept down while it is
 * not filtered: see hold().  SIGTERM stops watching and leaves the filter
 * attached.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include <systemd/sd-daemon.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "alert.h"
#include "attach.h"
#include "bridge.h"
#include "cli.h"
#include "ctx.h"
#include "detect.h"
#include "lapi.h"
#include "lists.h"
#include "log.h"
#include "pins.h"
#include "publish.h"
#include "state.h"
#include "timed.h"
#include "weather/weather.h"

#define CHECK_MS 5000      /* what the kernel runs, checked this often */
#define SETTLE_MS 200      /* address and route changes come in bursts */
#define NAG_SECONDS 600    /* a foreign program in our place: said again this often */
#define ALERT_MS 60000     /* the weather and the filter's state, for [alert] */
#define DETECT_SYNC_MS 1000 /* a ban the kernel made is in detected.list this soon */
#define EVENT_LINES 20     /* ban lines logged a minute, then a count */

struct watch_opts {
	struct strlist ifaces;
	int mode;
};

struct watched {
	const char *name;
	const char *said;      /* the last state logged, so each change is said once */
	time_t nagged;
	bool held;             /* a bridge port watch set down until it is filtered */
	char mark[PATH_MAX + 32]; /* STATE_DIR/held.NAME while held: the next watch knows */
	bool port;             /* seen as a bridge port: the outside of an inline box */
};

static volatile sig_atomic_t stopping;

static long long now_ms(void);

/* The kernel's detection events (bouclier_events): each said in the log,
 * and detected.list brought up to date within DETECT_SYNC_MS. */
struct events_rb {
	struct ring_buffer *rb;
	__u32 map_id;          /* the ring read: a detach and attach makes another */
	long long sync_at;     /* when detected.list is to be written; 0: nothing new */
	int fd;                /* the ring's map, kept open while it is read */
	int lines;             /* logged this minute */
	unsigned long quiet;   /* not logged this minute */
};

static int on_event(void *ctx, void *data, size_t size)
{
	const struct bouclier_detect_event *e = data;
	struct events_rb *ev = ctx;
	struct detect_entry d;
	char pfx[CIDR_STRLEN], what[128], until[32];
	struct cidr c;

	if (size < sizeof(*e))
		return 0;
	if (!ev->sync_at)
		ev->sync_at = now_ms() + DETECT_SYNC_MS;
	if (ev->lines >= EVENT_LINES) {
		ev->quiet++;
		return 0;
	}
	ev->lines++;
	d.k = e->src;
	d.b = e->ban;
	detect_cidr_of(&d.k, &c);
	cidr_format(&c, pfx, sizeof(pfx));
	detect_describe(&d.b, what, sizeof(what));
	weather_time((time_t)d.b.expires, until, sizeof(until), "%Y-%m-%d %H:%M");
	switch (e->what) {
	case BOUCLIER_DT_BANNED:
		pr_info("detected %s from %s; banned until %s%s\n", what, pfx, until,
			d.b.offences > 1 ? " (a repeat offender: twice the last ban)" : "");
		break;
	case BOUCLIER_DT_WOULD_BAN:
		pr_info("detected %s from %s; monitor mode: it would be banned until %s\n", what,
			pfx, until);
		break;
	case BOUCLIER_DT_SPARED_FULL:
		pr_warn("detected %s from %s, NOT banned: max_bans are held; the oldest leave "
			"within a second\n", what, pfx);
		break;
	case BOUCLIER_DT_LIFTED:
		pr_info("ban on %s lifted: a machine of the town contacted it\n", pfx);
		break;
	}
	return 0;
}

/* Reads the pinned ring, opening it again when the maps were made anew. */
static void events_open(struct events_rb *ev)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = pins_get(BOUCLIER_STR(BOUCLIER_MAP_EVENTS));

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) || info.id == ev->map_id) {
		if (fd >= 0)
			close(fd);
		return;
	}
	ring_buffer__free(ev->rb);
	if (ev->fd >= 0)
		close(ev->fd);
	ev->rb = ring_buffer__new(fd, on_event, ev, NULL);
	ev->map_id = ev->rb ? info.id : 0;
	ev->fd = ev->rb ? fd : -1;
	if (!ev->rb)
		close(fd);
}

/* detected.list from the kernel's map, ended bans forgotten, room kept. */
static void detect_tidy(const struct ctx *c)
{
	struct state s;
	struct live l;

	if (state_open(&s, c->state_dir, STATE_TRY))
		return; /* busy: the next time */
	if (!pins_open(&l)) {
		/* the programs' wall clock too: NTP may have stepped it since the
		 * last change, and bans are stamped with it */
		publish_clock(&l);
		detect_sync(&l, c->state_dir, &c->cfg.detect, time(NULL), NULL, NULL);
		live_close(&l);
	}
	state_close(&s);
}

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Attaches and makes the lists live with the new interface's networks. */
static int attach_and_publish(const struct ctx *c, const char *name, int mode)
{
	struct lists_attach la;
	struct state s;
	bool added;
	int err;

	err = state_open_loaded(&s, c->state_dir, STATE_LOCK_WAIT);
	if (err)
		return err;
	la = (struct lists_attach){ c, &s };
	err = attach_iface(name, mode, &added, lists_publish_attach, &la);
	state_close(&s);
	return err;
}

static void say(struct watched *w, const char *what, int warn, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void say(struct watched *w, const char *what, int warn, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (w->said && !strcmp(w->said, what))
		return;
	w->said = what;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (warn)
		pr_warn("%s", msg);
	else
		pr_info("%s", msg);
}

/* An inline box fails closed: a bridge port bouclier cannot filter at once
 * (nothing pinned to link it to: bouclier could not attach at boot, or its
 * pins were removed) is set down until it does, so that nothing crosses
 * the bridge unfiltered.  Its network configuration may have brought it up
 * first, for the milliseconds watch takes to see it.  Link down, not the
 * port's STP state, which the bridge sets back to forwarding when the
 * carrier returns.  Only a port watch set down is brought up again, by
 * this watch or the next: the mark held.NAME in the state directory says
 * so across a restart, a stop, a crash. */
#define HELD_TEXT "set down by bouclier watch until filtered\n"
static void hold(struct watched *w)
{
	int err;

	if (w->held || !w->port)
		return;
	err = bridge_link_set(w->name, false);
	if (err < 0)
		pr_warn("%s: cannot set the bridge port down while it is not filtered: %s\n",
			w->name, strerror(-err));
	w->held = err > 0;
	if (!w->held)
		return;
	pr_warn("%s: a bridge port that bouclier does not filter: set down until it does, so "
		"that nothing crosses the bridge unfiltered\n", w->name);
	/* a watch restarted, or stopped and started, brings it up once filtered */
	err = state_write_atomic(w->mark, HELD_TEXT, strlen(HELD_TEXT), STATE_MODE);
	if (err)
		pr_warn("%s: %s: %s; if watch restarts before it is filtered, bring the port up "
			"by hand (ip link set dev %s up)\n", w->name, w->mark, strerror(-err),
			w->name);
}

static void release(struct watched *w)
{
	int err;

	if (!w->held)
		return;
	err = bridge_link_set(w->name, true);
	if (err < 0) {
		pr_warn("%s: filtered, but cannot set it up again: %s\n", w->name, strerror(-err));
		return;
	}
	w->held = false;
	unlink(w->mark);
	pr_info("%s: filtered; up again\n", w->name);
}

/* Whether w is a bridge port, or was one before it went (a replugged card
 * is put back in its bridge by the network configuration, maybe after
 * watch sees it). */
static bool is_port(struct watched *w)
{
	struct bridge_info b;

	if (!bridge_info(w->name, &b) && b.bridge[0] && !b.is_bridge)
		w->port = true;
	return w->port;
}

/* Brings each interface to "filtering" where that is ours to do. */
static void check(const struct ctx *c, struct watched *w, int n, int mode)
{
	struct iface_state st[64];
	int k = attach_states(st, 64), i, j;

	for (i = 0; i < n; i++) {
		const struct iface_state *s = NULL;

		for (j = 0; j < k; j++)
			if (!strcmp(st[j].name, w[i].name))
				s = &st[j];
		if (s && s->filtering) {
			w[i].port = w[i].port || s->bridge[0];
			release(&w[i]);
			if (!strcmp(s->mode, "generic") && !s->raw_ip)
				say(&w[i], "generic", 1, "%s: filtering in generic mode: the driver "
				    "refused native XDP; it works, more slowly under a flood\n",
				    w[i].name);
			else
				say(&w[i], "filtering", 0, "%s: filtering (%s mode)\n", w[i].name,
				    s->mode);
			continue;
		}
		if (!if_nametoindex(w[i].name)) {
			w[i].held = false; /* what comes back is another link */
			unlink(w[i].mark);
			say(&w[i], "gone", 1, "%s: the interface is gone: NOT FILTERING; waiting for "
			    "it to come back\n", w[i].name);
			continue;
		}
		if (s && !strcmp(s->mode, "replaced")) {
			if (w[i].said && !strcmp(w[i].said, "replaced") &&
			    time(NULL) - w[i].nagged < NAG_SECONDS)
				continue;
			w[i].said = NULL;
			w[i].nagged = time(NULL);
			say(&w[i], "replaced", 1, "%s: another XDP program replaced bouclier's: NOT "
			    "FILTERING. bouclier never removes a program it did not attach; remove "
			    "it (`ip link set dev %s xdp off`) and bouclier comes back at once\n",
			    w[i].name, w[i].name);
			continue;
		}
		/* there and not filtering: new (a redial), or our program was removed */
		if (w[i].said && strcmp(w[i].said, "gone"))
			pr_warn("%s: bouclier's program is no longer on it: attaching again\n",
				w[i].name);
		/* a port comes back onto the live lists at once, without the state
		 * lock a refresh may hold for seconds; else it waits down */
		if (is_port(&w[i]) && !attach_relink(w[i].name, mode)) {
			say(&w[i], "filtering", 0, "%s: filtering again\n", w[i].name);
			release(&w[i]);
			continue;
		}
		hold(&w[i]);
		if (attach_and_publish(c, w[i].name, mode)) {
			say(&w[i], "failed", 1, "%s: cannot attach; trying again in %d s%s\n",
			    w[i].name, CHECK_MS / 1000, w[i].held ? " (the port stays down: the "
			    "town is cut off from the Internet until bouclier filters it)" : "");
		} else {
			say(&w[i], "filtering", 0, "%s: filtering again\n", w[i].name);
			release(&w[i]);
		}
	}
}

static void log_diff(const struct cidr *a, size_t na, const struct cidr *b, size_t nb)
{
	char line[1024], buf[CIDR_STRLEN];
	size_t i = 0, j = 0, len = 0;

	while (i < na || j < nb) {
		int d = i == na ? 1 : j == nb ? -1 : cidr_cmp(&a[i], &b[j]);

		if (d && len < sizeof(line) - CIDR_STRLEN - 8)
			len += snprintf(line + len, sizeof(line) - len, " %c%s", d < 0 ? '-' : '+',
					cidr_format(d < 0 ? &a[i] : &b[j], buf, sizeof(buf)));
		i += d <= 0;
		j += d >= 0;
	}
	pr_info("automatic allowlist:%s\n", len ? line : " unchanged");
}

static bool same(const struct cidr *a, size_t na, const struct cidr *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (cidr_cmp(&a[i], &b[i]))
			return false;
	return true;
}

/* Recompiles when the interfaces' networks or gateways changed. */
static void follow_addresses(const struct ctx *c)
{
	struct cidr *now = NULL, *live = NULL;
	size_t nnow = 0, nlive = 0;
	struct state s;
	bool on;

	if (lists_auto_allow(NULL, &now, &nnow))
		return;
	state_load_auto(c->state_dir, &live, &nlive);
	if (!same(live, nlive, now, nnow) && !state_open_loaded(&s, c->state_dir,
								 STATE_LOCK_WAIT)) {
		if (!lists_publish(c, &s, &on, NULL) && on)
			log_diff(live, nlive, now, nnow);
		state_close(&s);
	}
	free(now);
	free(live);
}

static int open_netlink(struct mnl_socket **nl)
{
	*nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!*nl)
		return -errno;
	if (mnl_socket_bind(*nl, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
			    RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(*nl);
		return err;
	}
	return 0;
}

struct events {
	bool links, addresses;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct events *ev = data;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		ev->links = true;
		/* a new interface brings addresses */
		__attribute__((fallthrough));
	case RTM_NEWADDR:
	case RTM_DELADDR:
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		ev->addresses = true;
	}
	return MNL_CB_OK;
}

static int run_watch(struct ctx *c, void *o)
{
	struct watch_opts *a = o;
	struct watched w[64] = { 0 };
	struct events_rb ev = { .fd = -1 };
	struct lapi_set *lapi;
	struct mnl_socket *nl;
	struct sigaction sa = { .sa_handler = on_signal };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	long long next_check = 0, settle = 0, next_alert = 0;
	int n = a->ifaces.n < 64 ? a->ifaces.n : 64, i, err;

	for (i = 0; i < n; i++) {
		if (strlen(a->ifaces.v[i]) >= IF_NAMESIZE) {
			pr_warn("\"%s\": an interface name has at most %d characters\n",
				a->ifaces.v[i], IF_NAMESIZE - 1);
			free(a->ifaces.v);
			return -E_USAGE;
		}
		w[i].name = a->ifaces.v[i];
		snprintf(w[i].mark, sizeof(w[i].mark), "%s/held.%s", c->state_dir, w[i].name);
		/* set down by a watch before this one: up once filtered */
		w[i].held = w[i].port = !access(w[i].mark, F_OK);
		if (w[i].held)
			pr_info("%s: set down by an earlier watch; up again once filtered\n",
				w[i].name);
	}
	err = open_netlink(&nl);
	if (err) {
		pr_warn("cannot follow rtnetlink: %s\n", strerror(-err));
		free(a->ifaces.v);
		return err;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	pr_info("watching %d interface%s; SIGTERM stops watching and leaves the filter on\n", n,
		n > 1 ? "s" : "");
	check(c, w, n, a->mode);
	follow_addresses(c);
	sd_notify(0, "READY=1\nSTATUS=watching");
	next_check = now_ms() + CHECK_MS;
	events_open(&ev);
	lapi = lapi_start(c);
	lapi_run(lapi, now_ms());
	while (!stopping) {
		struct pollfd pfd[2] = { { mnl_socket_get_fd(nl), POLLIN, 0 },
					 { ev.rb ? ring_buffer__epoll_fd(ev.rb) : -1, POLLIN, 0 } };
		long long t = now_ms(), deadline = settle ? (settle < next_check ? settle : next_check)
						       : next_check;
		struct events nev = { 0 };
		int r;

		if (ev.sync_at && ev.sync_at < deadline)
			deadline = ev.sync_at;
		if (lapi_due(lapi) && lapi_due(lapi) < deadline)
			deadline = lapi_due(lapi);
		r = lapi_wait(lapi, pfd, 2, deadline > t ? (int)(deadline - t) : 0);
		if (r < 0 && errno != EINTR) {
			/* a non-zero exit, so systemd's Restart=on-failure starts it again */
			err = -errno;
			pr_warn("cannot wait for events: %s; stopping\n", strerror(-err));
			break;
		}
		while (r > 0 && (pfd[0].revents & POLLIN)) {
			ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));

			if (len < 0) {
				if (errno == ENOBUFS) /* we fell behind: look at everything */
					nev.links = nev.addresses = true;
				break;
			}
			mnl_cb_run(buf, len, 0, 0, event_cb, &nev);
		}
		if (ev.rb)
			ring_buffer__consume(ev.rb);
		if (nev.links)
			check(c, w, n, a->mode);
		if (nev.addresses && !settle)
			settle = now_ms() + SETTLE_MS;
		t = now_ms();
		if (settle && t >= settle) {
			settle = 0;
			follow_addresses(c);
		}
		if (t >= next_check) {
			next_check = t + CHECK_MS;
			check(c, w, n, a->mode);
			events_open(&ev); /* the maps may be new since an attach */
		}
		if (ev.sync_at && t >= ev.sync_at) {
			ev.sync_at = 0;
			detect_tidy(c);
		}
		lapi_run(lapi, t);
		if (t >= next_alert) {
			next_alert = t + ALERT_MS;
			if (ev.quiet)
				pr_info("... and %lu more detection events this minute (`bouclier ban "
					"list` shows the bans)\n", ev.quiet);
			ev.lines = 0;
			ev.quiet = 0;
			c->now = time(NULL); /* the weather reads the time from here */
			timed_tidy(c);
			detect_tidy(c);
			alert_check(c);
		}
	}
	sd_notify(0, "STOPPING=1");
	lapi_stop(lapi);
	pr_info("no longer watching; the filter stays where it is\n");
	ring_buffer__free(ev.rb);
	if (ev.fd >= 0)
		close(ev.fd);
	mnl_socket_close(nl);
	free(a->ifaces.v);
	return err;
}

static const struct opt watch_opts[] = {
	{ .name = "IFACE", OPT_FIELD(LIST, struct watch_opts, ifaces),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "IFACE",
	  .help = "the interfaces to keep filtered" },
	{ .name = "mode", OPT_FIELD(ENUM, struct watch_opts, mode), .metavar = "MODE",
	  .help = "XDP mode (default auto: native, else generic)", .choices = attach_mode_names },
	{ NULL },
};

const struct command cmd_watch = {
	.name = "watch",
	.summary = "keep the filter on IFACE... as links come and go and addresses change (what "
		   "bouclier@.service runs)",
	.run = run_watch,
	.size = sizeof(struct watch_opts),
	.opts = watch_opts,
	.flags = CMD_LISTS | CMD_ROOT,
};
