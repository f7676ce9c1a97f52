// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <string.h>
#include <time.h>
#include <linux/rtnetlink.h>
#include "rtnl.h"

int rtnl_open(struct mnl_socket **nl)
{
	int err;

	*nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!*nl)
		return -errno;
	if (mnl_socket_bind(*nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(*nl);
		*nl = NULL;
		return err;
	}
	return 0;
}

int rtnl_dump(struct mnl_socket *nl, int type, int family, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned int seq = time(NULL) + type, portid = mnl_socket_get_portid(nl);
	struct rtgenmsg *g;
	int ret;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	/* an rtmsg-sized header (the size of an ndmsg too, which a dump of the
	 * forwarding table wants): every kernel reads the family from its start */
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(struct rtmsg));
	g->rtgen_family = family;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, cb, data);
		if (ret <= MNL_CB_STOP)
			break;
	}
	return ret < 0 ? -errno : 0;
}

struct attrs {
	const struct nlattr **tb;
	int max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct attrs *t = data;

	if (mnl_attr_type_valid(a, t->max) >= 0)
		t->tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

void rtnl_attrs(const struct nlmsghdr *nlh, size_t hdrlen, const struct nlattr **tb, int max)
{
	struct attrs t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, hdrlen, attr_cb, &t);
}

void rtnl_nested(const struct nlattr *nest, const struct nlattr **tb, int max)
{
	struct attrs t = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_nested(nest, attr_cb, &t);
}
