// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "bridge.h"
#include "rtnl.h"

/* One link of the namespace. */
struct link_row {
	int ifindex;
	int master;   /* its bridge (or bond...), 0 when none */
	bool bridge;  /* a bridge device */
	char name[IF_NAMESIZE];
};

struct links {
	struct link_row *v;
	size_t n, cap;
	int err;
};

/* A string attribute into buf, cut to its size, whether or not the
 * attribute ends with a NUL. */
static void attr_str(const struct nlattr *a, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)mnl_attr_get_payload_len(a),
		 (const char *)mnl_attr_get_payload(a));
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	struct links *l = data;
	struct link_row *r;
	char kind[16] = "";

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct link_row *nv = realloc(l->v, cap * sizeof(*nv));

		if (!nv) {
			l->err = -ENOMEM;
			return MNL_CB_ERROR;
		}
		l->v = nv;
		l->cap = cap;
	}
	r = &l->v[l->n];
	memset(r, 0, sizeof(*r));
	r->ifindex = ifi->ifi_index;
	rtnl_attrs(nlh, sizeof(*ifi), tb, IFLA_MAX);
	if (!tb[IFLA_IFNAME])
		return MNL_CB_OK;
	attr_str(tb[IFLA_IFNAME], r->name, sizeof(r->name));
	if (tb[IFLA_MASTER] && mnl_attr_get_payload_len(tb[IFLA_MASTER]) >= 4)
		r->master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINKINFO]) {
		rtnl_nested(tb[IFLA_LINKINFO], info, IFLA_INFO_MAX);
		if (info[IFLA_INFO_KIND])
			attr_str(info[IFLA_INFO_KIND], kind, sizeof(kind));
	}
	r->bridge = !strcmp(kind, "bridge");
	l->n++;
	return MNL_CB_OK;
}

static int read_links(struct links *l)
{
	struct mnl_socket *nl;
	int err, tries = 0;

	memset(l, 0, sizeof(*l));
	err = rtnl_open(&nl);
	if (err)
		return err;
	do { /* links changing meanwhile (a port enslaved at boot): again */
		l->n = 0;
		l->err = 0;
		err = rtnl_dump(nl, RTM_GETLINK, AF_UNSPEC, link_cb, l);
	} while (err == -EINTR && ++tries < RTNL_TRIES);
	mnl_socket_close(nl);
	if (!err)
		err = l->err;
	if (err) {
		free(l->v);
		l->v = NULL;
	}
	return err;
}

static const struct link_row *by_index(const struct links *l, int ifindex)
{
	size_t i;

	for (i = 0; ifindex && i < l->n; i++)
		if (l->v[i].ifindex == ifindex)
			return &l->v[i];
	return NULL;
}

/* The bridge r is, or is a port of; NULL when neither. */
static const struct link_row *bridge_of(const struct links *l, const struct link_row *r)
{
	const struct link_row *m;

	if (r->bridge)
		return r;
	m = by_index(l, r->master);
	return m && m->bridge ? m : NULL;
}

int bridge_info(const char *ifname, struct bridge_info *b)
{
	const struct link_row *r = NULL, *br;
	struct links l;
	size_t i;
	int err;

	memset(b, 0, sizeof(*b));
	err = read_links(&l);
	if (err)
		return err;
	for (i = 0; i < l.n && !r; i++)
		if (!strcmp(l.v[i].name, ifname))
			r = &l.v[i];
	br = r ? bridge_of(&l, r) : NULL;
	if (br) {
		b->is_bridge = br == r;
		snprintf(b->bridge, sizeof(b->bridge), "%s", br->name);
		for (i = 0; i < l.n; i++)
			if (l.v[i].master == br->ifindex) {
				if (b->nports < BRIDGE_MAX_PORTS)
					memcpy(b->ports[b->nports], l.v[i].name, IF_NAMESIZE);
				b->nports++;
			}
	}
	free(l.v);
	return r ? 0 : -ENODEV;
}

static void add_index(int *v, int *n, int max, int ifindex)
{
	int i;

	for (i = 0; i < *n; i++)
		if (v[i] == ifindex)
			return;
	if (*n < max)
		v[(*n)++] = ifindex;
}

int bridge_expand(int *v, int *n, int max)
{
	const struct link_row *r, *br;
	struct links l;
	int i, n0 = *n, err;
	size_t j;

	err = read_links(&l);
	if (err)
		return err;
	for (i = 0; i < n0; i++) {
		r = by_index(&l, v[i]);
		br = r && !r->bridge ? bridge_of(&l, r) : NULL;
		if (!br)
			continue;
		add_index(v, n, max, br->ifindex);
		for (j = 0; j < l.n; j++)
			if (l.v[j].master == br->ifindex)
				add_index(v, n, max, l.v[j].ifindex);
	}
	free(l.v);
	return 0;
}

/* ---- the port towards the default gateway: route, neighbour, forwarding table */

struct outside {
	int bridge;                    /* its ifindex */
	int family[4];                 /* the default gateways through the bridge */
	unsigned char gw[4][16];
	int ngw;
	unsigned char mac[6];          /* the first one's hardware address, once known */
	int which;                     /* ... and which gateway that is; -1: none */
	int port;                      /* the port it was learnt on; 0: none */
	struct links l;
};

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1];
	struct outside *o = data;
	size_t alen = rt->rtm_family == AF_INET ? 4 : 16;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rt->rtm_dst_len || rt->rtm_type != RTN_UNICAST ||
	    (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6) || o->ngw == 4)
		return MNL_CB_OK;
	rtnl_attrs(nlh, sizeof(*rt), tb, RTA_MAX);
	if (!tb[RTA_GATEWAY] || !tb[RTA_OIF] || mnl_attr_get_payload_len(tb[RTA_GATEWAY]) < alen ||
	    mnl_attr_get_payload_len(tb[RTA_OIF]) < 4 ||
	    (int)mnl_attr_get_u32(tb[RTA_OIF]) != o->bridge)
		return MNL_CB_OK;
	o->family[o->ngw] = rt->rtm_family;
	memcpy(o->gw[o->ngw++], mnl_attr_get_payload(tb[RTA_GATEWAY]), alen);
	return MNL_CB_OK;
}

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1];
	struct outside *o = data;
	int i;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nd->ndm_ifindex != o->bridge ||
	    (nd->ndm_state & (NUD_INCOMPLETE | NUD_FAILED)))
		return MNL_CB_OK;
	rtnl_attrs(nlh, sizeof(*nd), tb, NDA_MAX);
	if (!tb[NDA_DST] || !tb[NDA_LLADDR] || mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6)
		return MNL_CB_OK;
	for (i = 0; i < o->ngw; i++)
		if (o->family[i] == nd->ndm_family && (o->which < 0 || i < o->which) &&
		    mnl_attr_get_payload_len(tb[NDA_DST]) == (nd->ndm_family == AF_INET ? 4 : 16) &&
		    !memcmp(mnl_attr_get_payload(tb[NDA_DST]), o->gw[i],
			    mnl_attr_get_payload_len(tb[NDA_DST]))) {
			memcpy(o->mac, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
			o->which = i;
		}
	return MNL_CB_OK;
}

static int fdb_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *nd = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NDA_MAX + 1];
	const struct link_row *r;
	struct outside *o = data;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || nd->ndm_family != AF_BRIDGE)
		return MNL_CB_OK;
	r = by_index(&o->l, nd->ndm_ifindex);
	if (!r || r->master != o->bridge)
		return MNL_CB_OK;
	rtnl_attrs(nlh, sizeof(*nd), tb, NDA_MAX);
	if (tb[NDA_LLADDR] && mnl_attr_get_payload_len(tb[NDA_LLADDR]) == 6 &&
	    !memcmp(mnl_attr_get_payload(tb[NDA_LLADDR]), o->mac, 6))
		o->port = nd->ndm_ifindex;
	return MNL_CB_OK;
}

int bridge_outside(const struct bridge_info *b, char port[IF_NAMESIZE],
		   char gateway[INET6_ADDRSTRLEN])
{
	struct outside o = { .which = -1 };
	const struct link_row *r;
	struct mnl_socket *nl;
	int err;

	port[0] = gateway[0] = 0;
	o.bridge = b->bridge[0] ? (int)if_nametoindex(b->bridge) : 0;
	if (!o.bridge)
		return 0;
	err = read_links(&o.l);
	if (err)
		return err;
	err = rtnl_open(&nl);
	if (err)
		goto out;
	err = rtnl_dump(nl, RTM_GETROUTE, AF_UNSPEC, route_cb, &o);
	if (!err && o.ngw)
		err = rtnl_dump(nl, RTM_GETNEIGH, AF_UNSPEC, neigh_cb, &o);
	if (!err && o.which >= 0)
		err = rtnl_dump(nl, RTM_GETNEIGH, AF_BRIDGE, fdb_cb, &o);
	mnl_socket_close(nl);
	r = by_index(&o.l, o.port);
	if (!err && r) {
		memcpy(port, r->name, IF_NAMESIZE);
		inet_ntop(o.family[o.which], o.gw[o.which], gateway, INET6_ADDRSTRLEN);
	}
out:
	free(o.l.v);
	return err;
}

int bridge_link_set(const char *ifname, bool up)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		err = -errno;
	} else if (!!(ifr.ifr_flags & IFF_UP) != up) {
		ifr.ifr_flags = up ? ifr.ifr_flags | IFF_UP : ifr.ifr_flags & ~IFF_UP;
		err = ioctl(fd, SIOCSIFFLAGS, &ifr) ? -errno : 1;
	}
	close(fd);
	return err;
}
