/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * rtnl.h - reading the network configuration over rtnetlink (libmnl): one
 * dump request and its answer, and the attributes of a message.  Used by
 * the automatic allowlist (addresses, routes) and by bridge.c (links,
 * neighbours, the bridge's forwarding table).  Read only; everything is of
 * the caller's network namespace.  Functions return 0 or -errno.
 */
#ifndef BOUCLIER_RTNL_H
#define BOUCLIER_RTNL_H

#include <libmnl/libmnl.h>

/* A route socket, bound; mnl_socket_close() it. */
int rtnl_open(struct mnl_socket **nl);

/* Asks for a dump of type (RTM_GETADDR, RTM_GETROUTE, RTM_GETLINK,
 * RTM_GETNEIGH) of family (AF_UNSPEC, or AF_BRIDGE for a bridge's forwarding
 * table) and runs cb on each message of the answer; cb's own errors are for
 * it to keep in data.  -EINTR: the kernel's tables changed during the dump
 * (NLM_F_DUMP_INTR), after cb saw part of it; start data afresh and ask
 * again (RTNL_TRIES times at most). */
#define RTNL_TRIES 5
int rtnl_dump(struct mnl_socket *nl, int type, int family, mnl_cb_t cb, void *data);

/* The attributes after a message's fixed header of hdrlen bytes, by type
 * into tb[0..max] (cleared first); those of a type above max are left. */
void rtnl_attrs(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb, int max);
/* The same for the attributes nested in one (IFLA_LINKINFO). */
void rtnl_nested(const struct nlattr *nest, const struct nlattr **tb, int max);

#endif
