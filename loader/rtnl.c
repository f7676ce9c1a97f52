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

/* A dump's answers come in parts of up to a page or 32 KiB; libmnl 1.0.5's
 * MNL_SOCKET_DUMP_SIZE, which Debian 12's 1.0.4 lacks. */
#define RTNL_DUMP_SIZE 32768

/* The header a dump request of type carries: the kernel reads the family
 * from its first byte, and takes a header of another size for an older
 * one, parsing what is left as attributes (and says so in its log). */
static size_t request_header(int type)
{
	switch (type) {
	case RTM_GETLINK:
		return sizeof(struct ifinfomsg);
	case RTM_GETADDR:
		return sizeof(struct ifaddrmsg);
	case RTM_GETNEIGH:
		return sizeof(struct ndmsg);
	default:
		return sizeof(struct rtmsg);
	}
}

/* An interrupted dump (NLM_F_DUMP_INTR: what it lists changed meanwhile)
 * goes on to its end in the kernel, and a new request on the socket is
 * refused until it has been read: its remaining parts are read and thrown
 * away, up to its NLMSG_DONE. */
static void rtnl_drain(struct mnl_socket *nl, char *buf, size_t len, unsigned int seq)
{
	int n, parts = 0;

	while (parts++ < 100000 && (n = mnl_socket_recvfrom(nl, buf, len)) > 0) {
		const struct nlmsghdr *h = (const void *)buf;

		for (; mnl_nlmsg_ok(h, n); h = mnl_nlmsg_next(h, &n))
			if (h->nlmsg_seq == seq &&
			    (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR))
				return;
	}
}

int rtnl_dump(struct mnl_socket *nl, int type, int family, mnl_cb_t cb, void *data)
{
	static unsigned int next_seq;
	char buf[RTNL_DUMP_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned int seq, portid = mnl_socket_get_portid(nl);
	struct rtgenmsg *g;
	int ret;

	seq = next_seq ? ++next_seq : (next_seq = time(NULL));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	g = mnl_nlmsg_put_extra_header(nlh, request_header(type));
	g->rtgen_family = family;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, cb, data);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret < 0 && errno == EINTR) {
		/* a message of the dump said it was interrupted: the rest of
		 * it is read before the caller asks again */
		rtnl_drain(nl, buf, sizeof(buf), seq);
		return -EINTR;
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
