/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * bridge.h - an interface's place in a Linux bridge, as rtnetlink says: is
 * it a bridge, or a port of one, which are the bridge's other ports, and
 * which port leads to the default gateway (the outside port of an inline
 * box).  bouclier filters a bridge on its outside port: XDP on a port sees
 * every frame that enters the bridge by it, where XDP on the bridge device
 * sees only what the box itself receives.  Read in the caller's network
 * namespace, never from /sys (a namespace entered with setns keeps the
 * /sys of another).  Functions return 0 or -errno.
 */
#ifndef BOUCLIER_BRIDGE_H
#define BOUCLIER_BRIDGE_H

#include <stdbool.h>
#include <net/if.h>
#include <netinet/in.h>

#define BRIDGE_MAX_PORTS 16 /* ports named; nports counts them all */

struct bridge_info {
	char bridge[IF_NAMESIZE]; /* the interface itself, or its master; "" when neither */
	bool is_bridge;           /* the interface is the bridge device */
	int nports;               /* the bridge's ports */
	char ports[BRIDGE_MAX_PORTS][IF_NAMESIZE];
};

/* What ifname is in a bridge; -ENODEV when there is no such interface. */
int bridge_info(const char *ifname, struct bridge_info *b);

/* The port of b's bridge behind which the default gateway's hardware
 * address was learnt, and that gateway: "" when the box has not talked to
 * its gateway yet, or reaches it otherwise. */
int bridge_outside(const struct bridge_info *b, char port[IF_NAMESIZE],
		   char gateway[INET6_ADDRSTRLEN]);

/* For each of the n interfaces of v that is a bridge port: its bridge and
 * the bridge's other ports, appended to v (up to max, no duplicate). */
int bridge_expand(int *v, int *n, int max);

/* Sets ifname administratively up or down: 1 when that changed it, 0 when
 * it already was, or -errno. */
int bridge_link_set(const char *ifname, bool up);

#endif
