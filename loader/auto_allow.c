// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include "auto_allow.h"
#include "bridge.h"
#include "rtnl.h"

struct collect {
	int ifindex[64];
	int nif;
	struct cidr *v;
	size_t n, cap;
	int err;
};

static void push(struct collect *c, int family, const void *addr, int plen)
{
	struct cidr x = { 0 };

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct cidr *nv = realloc(c->v, cap * sizeof(*nv));

		if (!nv) {
			c->err = -ENOMEM;
			return;
		}
		c->v = nv;
		c->cap = cap;
	}
	x.family = family == AF_INET ? 4 : 6;
	x.plen = plen ? plen : (x.family == 4 ? 32 : 128);
	memcpy(x.addr, addr, x.family == 4 ? 4 : 16);
	cidr_mask(&x);
	c->v[c->n++] = x;
}

static int ours(const struct collect *c, int ifindex)
{
	int i;

	for (i = 0; i < c->nif; i++)
		if (c->ifindex[i] == ifindex)
			return 1;
	return 0;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1];
	struct collect *c = data;
	size_t alen = ifa->ifa_family == AF_INET ? 4 : 16;

	if (nlh->nlmsg_type != RTM_NEWADDR || !ours(c, ifa->ifa_index) ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return MNL_CB_OK;
	rtnl_attrs(nlh, sizeof(*ifa), tb, IFA_MAX);
	/* IFA_ADDRESS is the peer on a point-to-point link, IFA_LOCAL our end */
	if (tb[IFA_ADDRESS] && mnl_attr_get_payload_len(tb[IFA_ADDRESS]) >= alen)
		push(c, ifa->ifa_family, mnl_attr_get_payload(tb[IFA_ADDRESS]), ifa->ifa_prefixlen);
	if (tb[IFA_LOCAL] && mnl_attr_get_payload_len(tb[IFA_LOCAL]) >= alen)
		push(c, ifa->ifa_family, mnl_attr_get_payload(tb[IFA_LOCAL]), ifa->ifa_prefixlen);
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rt = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1];
	struct collect *c = data;
	size_t alen = rt->rtm_family == AF_INET ? 4 : 16;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rt->rtm_dst_len != 0 ||
	    (rt->rtm_family != AF_INET && rt->rtm_family != AF_INET6) ||
	    rt->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	rtnl_attrs(nlh, sizeof(*rt), tb, RTA_MAX);
	if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) >= alen)
		push(c, rt->rtm_family, mnl_attr_get_payload(tb[RTA_GATEWAY]), 0);
	if (tb[RTA_MULTIPATH]) { /* ECMP default routes: every next hop's gateway */
		const struct rtnexthop *nh = mnl_attr_get_payload(tb[RTA_MULTIPATH]);
		int left = mnl_attr_get_payload_len(tb[RTA_MULTIPATH]);

		while (left >= (int)sizeof(*nh) && nh->rtnh_len >= sizeof(*nh) &&
		       nh->rtnh_len <= left) {
			const struct nlattr *a = (const void *)((const char *)nh + RTNH_LENGTH(0));
			const char *end = (const char *)nh + nh->rtnh_len;

			while ((const char *)a + sizeof(*a) <= end && a->nla_len >= sizeof(*a) &&
			       (const char *)a + a->nla_len <= end) {
				if (mnl_attr_get_type(a) == RTA_GATEWAY &&
				    mnl_attr_get_payload_len(a) >= alen)
					push(c, rt->rtm_family, mnl_attr_get_payload(a), 0);
				a = (const void *)((const char *)a + MNL_ALIGN(a->nla_len));
			}
			left -= RTNH_ALIGN(nh->rtnh_len);
			nh = RTNH_NEXT(nh);
		}
	}
	return MNL_CB_OK;
}

int auto_allow(const char (*ifnames)[IF_NAMESIZE], int nif, struct cidr **v, size_t *n)
{
	struct collect c = { 0 };
	struct mnl_socket *nl;
	int i, err, tries = 0;

	*v = NULL;
	*n = 0;
	for (i = 0; i < nif && c.nif < 64; i++) {
		int idx = if_nametoindex(ifnames[i]);

		if (idx)
			c.ifindex[c.nif++] = idx;
	}
	if (!c.nif)
		return 0;
	/* a bridge port has no address: its bridge's and the other ports' */
	err = bridge_expand(c.ifindex, &c.nif, 64);
	if (!err)
		err = rtnl_open(&nl);
	if (err)
		return err;
	do { /* addresses or routes changing meanwhile (a redial): again */
		c.n = 0;
		c.err = 0;
		err = rtnl_dump(nl, RTM_GETADDR, AF_UNSPEC, addr_cb, &c);
		if (!err)
			err = rtnl_dump(nl, RTM_GETROUTE, AF_UNSPEC, route_cb, &c);
	} while (err == -EINTR && ++tries < RTNL_TRIES);
	mnl_socket_close(nl);
	if (!err)
		err = c.err;
	if (err) {
		free(c.v);
		return err;
	}
	cidr_normalise(c.v, &c.n);
	*v = c.v;
	*n = c.n;
	return 0;
}
