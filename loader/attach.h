/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * attach.h - the XDP program on interfaces: loading it once (pinned),
 * attaching it with a pinned link per interface, detaching, and asking the
 * kernel whether it really runs there.  Functions return 0 or -errno and
 * print what the user needs to know.
 */
#ifndef BOUCLIER_ATTACH_H
#define BOUCLIER_ATTACH_H

#include <stdbool.h>
#include <net/if.h>
#include <linux/types.h>

enum attach_mode { MODE_AUTO, MODE_NATIVE, MODE_GENERIC };
const char *const *attach_mode_names(void);

/* The sizes of the maps [detect] sizes (sources, peers, max_bans), for the
 * programs' first load; maps already pinned keep theirs. */
void attach_set_sizes(__u32 sources, __u32 peers, __u32 bans);

/* Attaches to ifname; *added is false when it already was.  publish runs
 * once the program and its maps are pinned and before the link is made, so
 * the interface is never filtered by an empty table, nor by one without its
 * own networks in the allowlist; its failure leaves nothing attached. */
int attach_iface(const char *ifname, enum attach_mode mode, bool *added,
		 int (*publish)(void *arg, const char *ifname), void *arg);
/* Attaches ifname to the programs and lists that are live, without a
 * publish: for a bridge port that comes back, whose lists do not depend on
 * it (a port has no address), at once and without the state lock.
 * -ENOENT when no program is pinned: then attach_iface() it is. */
int attach_relink(const char *ifname, enum attach_mode mode);
/* Detaches from ifname; removes every pin when no interface is left. */
int detach_iface(const char *ifname);

/* What the kernel says of one interface bouclier is meant to filter. */
struct iface_state {
	char name[IF_NAMESIZE];
	int ifindex;          /* 0: no such interface now */
	bool filtering;       /* our program runs there */
	bool raw_ip;          /* its frames start at the IP header (tun, ppp, wg) */
	const char *mode;     /* "native", "generic", ... or why not: "gone", "replaced", "detached" */
	const char *egress;   /* the way out: "tcx", "tc", or "off" */
	char bridge[IF_NAMESIZE]; /* the bridge it is the outside port of, or "" */
};

/* Pins again the maps someone removed while bouclier runs (pins_open()'s
 * repair callback, set by main()); -ENOENT when no program of ours is
 * pinned. */
int attach_repair_pins(void);

/* New programs whose tables take capacity lines, their outer map holding
 * table_fd: pinned in place of the running ones, then every link moved onto
 * them.  publish() calls it when a table changes size class. */
int attach_reload(__u32 capacity, int table_fd);
/* Moves every link of ours that runs another program than the pinned one
 * onto it (after a reload, or a crash in the middle of one). */
int attach_converge(void);
/* Whether a pinned program reads another outer map than the pinned one: a
 * reload stopped between its pins (publish then reloads, see torn). */
bool attach_pins_torn(void);

/* One entry per pinned link; returns how many, or -errno. */
int attach_states(struct iface_state *v, int max);

#endif
