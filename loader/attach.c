// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <linux/if_link.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attach.h"
#include "bouclier.skel.h"
#include "bridge.h"
#include "egress_ct.skel.h"
#include "log.h"
#include "pins.h"
#include "publish.h"

const char *const *attach_mode_names(void)
{
	static const char *const names[] = { "auto", "native", "generic", NULL };

	return names;
}

/* The sizes of the maps the configuration's [detect] sets. */
static __u32 size_behaviour = BOUCLIER_BEHAVIOUR_ENTRIES, size_peers = BOUCLIER_PEERS_ENTRIES,
	     size_bans = BOUCLIER_BANS_ENTRIES;

void attach_set_sizes(__u32 sources, __u32 peers, __u32 bans)
{
	size_behaviour = sources;
	size_peers = peers;
	size_bans = bans;
}

/* Before a load: the sized maps as pinned where they are (libbpf reuses a
 * pin only of the same size; a new size takes a detach and an attach), as
 * configured where they are not yet. */
static void size_maps(struct bpf_object *obj)
{
	const struct { const char *name; __u32 want; } m[] = {
		{ BOUCLIER_STR(BOUCLIER_MAP_BEHAVIOUR), size_behaviour },
		{ BOUCLIER_STR(BOUCLIER_MAP_PEERS), size_peers },
		{ BOUCLIER_STR(BOUCLIER_MAP_BANS), size_bans },
	};
	size_t i;

	for (i = 0; obj && i < sizeof(m) / sizeof(m[0]); i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(obj, m[i].name);
		struct bpf_map_info info = { 0 };
		__u32 len = sizeof(info), n = m[i].want;
		int fd = pins_get(m[i].name);

		if (fd >= 0) {
			if (!bpf_obj_get_info_by_fd(fd, &info, &len))
				n = info.max_entries;
			close(fd);
			if (n != m[i].want)
				pr_debug("%s keeps its %u entries until a detach of every interface "
					 "(the configuration asks for %u)\n", m[i].name, n, m[i].want);
		}
		if (map)
			bpf_map__set_max_entries(map, n);
	}
}

static __u32 prog_id_of(int fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

#ifndef ARPHRD_RAWIP
#define ARPHRD_RAWIP 519
#endif
#ifndef ARPHRD_IP6GRE
#define ARPHRD_IP6GRE 823
#endif
#ifndef ARPHRD_NETLINK
#define ARPHRD_NETLINK 824
#endif

/* What a link's frames start with, from its hardware type. */
enum link_kind { LINK_UNSUPPORTED, LINK_ETHERNET, LINK_RAW_IP };

static const struct { unsigned short type; enum link_kind kind; const char *name; } link_types[] = {
	{ ARPHRD_ETHER, LINK_ETHERNET, "ethernet" },
	{ ARPHRD_LOOPBACK, LINK_ETHERNET, "loopback" },
	{ ARPHRD_NONE, LINK_RAW_IP, "none (tun, WireGuard)" },
	{ ARPHRD_PPP, LINK_RAW_IP, "ppp" },
	{ ARPHRD_RAWIP, LINK_RAW_IP, "raw IP (USB modem)" },
	{ ARPHRD_TUNNEL, LINK_RAW_IP, "ipip" },
	{ ARPHRD_TUNNEL6, LINK_RAW_IP, "ip6tnl" },
	{ ARPHRD_SIT, LINK_RAW_IP, "sit" },
	{ ARPHRD_IPGRE, LINK_UNSUPPORTED, "ipgre" },
	{ ARPHRD_IP6GRE, LINK_UNSUPPORTED, "ip6gre" },
	{ ARPHRD_INFINIBAND, LINK_UNSUPPORTED, "infiniband" },
	{ ARPHRD_IEEE80211_RADIOTAP, LINK_UNSUPPORTED, "802.11 monitor" },
	{ ARPHRD_NETLINK, LINK_UNSUPPORTED, "netlink (nlmon)" },
	{ 280 /* ARPHRD_CAN */, LINK_UNSUPPORTED, "can" },
};

static enum link_kind link_kind(const char *ifname, const char **name, unsigned short *type)
{
	struct ifreq ifr = { 0 };
	size_t i;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	*name = "unknown";
	*type = 0xffff;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		if (fd >= 0)
			close(fd);
		return LINK_UNSUPPORTED;
	}
	close(fd);
	*type = ifr.ifr_hwaddr.sa_family;
	for (i = 0; i < sizeof(link_types) / sizeof(link_types[0]); i++)
		if (link_types[i].type == *type) {
			*name = link_types[i].name;
			return link_types[i].kind;
		}
	return LINK_UNSUPPORTED;
}

/* The pinned programs (Ethernet and raw IP), loading and pinning them the
 * first time; *prog_fd gets the one for kind. */
static int load_program(enum link_kind kind, int *prog_fd)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pins_dir());
	const char *want = kind == LINK_RAW_IP ? BOUCLIER_PIN_PROG_IP : BOUCLIER_PIN_PROG;
	char path[4096];
	struct bouclier *skel;
	int err, fd;

	*prog_fd = pins_get(want);
	if (*prog_fd >= 0)
		return 0;
	skel = bouclier__open_opts(&o);
	if (!skel)
		return -errno;
	size_maps(skel->obj);
	err = bouclier__load(skel);
	if (err) {
		pr_warn("the kernel refused the XDP program (%s); rerun with -v to see the "
			"verifier's log\n", strerror(-err));
		bouclier__destroy(skel);
		return -EPROTO;
	}
	/* pin both variants that are not pinned yet; the maps are shared by name */
	fd = pins_get(BOUCLIER_PIN_PROG);
	if (fd >= 0)
		close(fd);
	else if (!pins_path(path, sizeof(path), BOUCLIER_PIN_PROG))
		err = bpf_program__pin(skel->progs.BOUCLIER_PROG_NAME, path);
	fd = pins_get(BOUCLIER_PIN_PROG_IP);
	if (fd >= 0)
		close(fd);
	else if (!err && !pins_path(path, sizeof(path), BOUCLIER_PIN_PROG_IP))
		err = bpf_program__pin(skel->progs.BOUCLIER_PROG_IP_NAME, path);
	bouclier__destroy(skel);
	if (err)
		return err;
	*prog_fd = pins_get(want);
	return *prog_fd < 0 ? *prog_fd : 0;
}

/* ---- outbound: a TC egress program on the same interfaces */

#ifndef BPF_TCX_EGRESS
#define BPF_TCX_EGRESS 47 /* Linux 6.6; Debian 12's headers predate it */
#endif
#define LINK_TYPE_TCX 11
#define TC_HANDLE 0xb0c1  /* classic tc: our filter's handle and priority */

/* Pins the egress programs: the one that reads conntrack (names the inside
 * machine behind NAT) where the kernel takes it, else the plain one. */
static int pin_egress(void)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pins_dir());
	char path[4096], path_ip[4096];
	struct egress_ct *ct;
	struct bouclier *plain;
	int err;

	pins_path(path, sizeof(path), BOUCLIER_PIN_TC);
	pins_path(path_ip, sizeof(path_ip), BOUCLIER_PIN_TC_IP);
	ct = egress_ct__open_opts(&o);
	if (ct)
		size_maps(ct->obj);
	if (ct && !egress_ct__load(ct)) {
		err = bpf_program__pin(ct->progs.BOUCLIER_TC_NAME, path);
		if (!err)
			err = bpf_program__pin(ct->progs.BOUCLIER_TC_IP_NAME, path_ip);
		egress_ct__destroy(ct);
		return err;
	}
	egress_ct__destroy(ct);
	pr_info("this kernel does not let TC programs read conntrack (Linux 6.3 and later do): "
		"a machine behind NAT is named by the address it leaves with\n");
	plain = bouclier__open_opts(&o);
	if (!plain)
		return -errno;
	size_maps(plain->obj);
	err = bouclier__load(plain);
	if (!err)
		err = bpf_program__pin(plain->progs.BOUCLIER_TC_NAME, path);
	if (!err)
		err = bpf_program__pin(plain->progs.BOUCLIER_TC_IP_NAME, path_ip);
	bouclier__destroy(plain);
	return err;
}

static int egress_fd(enum link_kind kind)
{
	const char *name = kind == LINK_RAW_IP ? BOUCLIER_PIN_TC_IP : BOUCLIER_PIN_TC;
	int fd = pins_get(name), err;

	if (fd >= 0)
		return fd;
	err = pin_egress();
	return err ? err : pins_get(name);
}

/* TCX (a link, pinned like the XDP one) where the kernel has it; classic
 * tc (clsact) otherwise, or when $BOUCLIER_EGRESS=tc asks for it. */
static int attach_egress(const char *ifname, int ifindex, enum link_kind kind)
{
	const char *force = getenv("BOUCLIER_EGRESS");
	char link_name[64], path[4096];
	int prog = egress_fd(kind), link, err;

	if (prog < 0)
		return prog;
	snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_TC_LINK_FMT, ifname);
	if (!force || strcmp(force, "tc")) {
		link = bpf_link_create(prog, ifindex, BPF_TCX_EGRESS, NULL);
		if (link >= 0) {
			pins_path(path, sizeof(path), link_name);
			err = bpf_obj_pin(link, path) ? -errno : 0;
			close(link);
			close(prog);
			return err;
		}
		pr_debug("TCX egress refused on %s (%s); using tc clsact\n", ifname, strerror(errno));
	}
	{
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, to, .handle = TC_HANDLE, .priority = TC_HANDLE,
			    .prog_fd = prog, .flags = BPF_TC_F_REPLACE);

		err = bpf_tc_hook_create(&hook);
		if (err && err != -EEXIST)
			goto out;
		err = bpf_tc_attach(&hook, &to);
	}
out:
	close(prog);
	return err;
}

static void detach_egress(const char *ifname, int ifindex)
{
	char link_name[64], path[4096];
	int fd;

	snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_TC_LINK_FMT, ifname);
	fd = pins_get(link_name);
	if (fd >= 0) {
		bpf_link_detach(fd);
		close(fd);
		if (!pins_path(path, sizeof(path), link_name))
			unlink(path);
	}
	if (ifindex) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, to, .handle = TC_HANDLE, .priority = TC_HANDLE);

		bpf_tc_detach(&hook, &to); /* nothing there is no error here */
	}
}

/* How our egress program runs on an interface: "tcx", "tc" or "off". */
static const char *egress_state(int ifindex, const __u32 ids[4])
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, to, .handle = TC_HANDLE, .priority = TC_HANDLE);
	__u32 progs[64], cnt = 64, flags = 0, i;

	if (!bpf_prog_query(ifindex, BPF_TCX_EGRESS, 0, &flags, progs, &cnt))
		for (i = 0; i < cnt && i < 64; i++)
			if (progs[i] && (progs[i] == ids[2] || progs[i] == ids[3]))
				return "tcx";
	if (!bpf_tc_query(&hook, &to) && (to.prog_id == ids[2] || to.prog_id == ids[3]))
		return "tc";
	return "off";
}

/* Ids of our programs, 0 when not loaded: XDP Ethernet and raw IP, TC
 * Ethernet and raw IP. */
static void our_prog_ids(__u32 ids[4])
{
	const char *const names[4] = { BOUCLIER_PIN_PROG, BOUCLIER_PIN_PROG_IP, BOUCLIER_PIN_TC,
				       BOUCLIER_PIN_TC_IP };
	int i, fd;

	for (i = 0; i < 4; i++) {
		fd = pins_get(names[i]);
		ids[i] = fd >= 0 ? prog_id_of(fd) : 0;
		if (fd >= 0)
			close(fd);
	}
}

/* The TCX link of an interface that was deleted: dropped, as for XDP. */
static void drop_stale_link_tc(const char *ifname, int ifindex)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);
	char link_name[64], path[4096];
	int fd;

	snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_TC_LINK_FMT, ifname);
	fd = pins_get(link_name);
	if (fd < 0)
		return;
	/* a TCX link's info starts with its ifindex, where XDP's does */
	if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.type == LINK_TYPE_TCX &&
	    info.xdp.ifindex == (__u32)ifindex) {
		close(fd);
		return;
	}
	bpf_link_detach(fd);
	close(fd);
	if (!pins_path(path, sizeof(path), link_name))
		unlink(path);
}

/* A pinned link of ours whose interface was deleted (a PPPoE redial) or
 * recreated holds the name: it is dropped so the new interface can be
 * attached. */
static void drop_stale_link(const char *link_name, int ifindex)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);
	char path[4096];
	int fd = pins_get(link_name);

	if (fd < 0)
		return;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len) && info.type == BPF_LINK_TYPE_XDP &&
	    info.xdp.ifindex == (__u32)ifindex) {
		close(fd);
		return;
	}
	pr_info("the pinned link %s belonged to an interface that is gone (index %u); "
		"replacing it\n", link_name, info.xdp.ifindex);
	bpf_link_detach(fd);
	close(fd);
	if (!pins_path(path, sizeof(path), link_name))
		unlink(path);
}

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

/* The ports' names, "a, b and c" (or "or"). */
static void port_list(const struct bridge_info *b, const char *and, char *buf, size_t len)
{
	int i, n = b->nports < BRIDGE_MAX_PORTS ? b->nports : BRIDGE_MAX_PORTS;
	size_t at = 0;

	buf[0] = 0;
	for (i = 0; i < n && at < len; i++)
		at += snprintf(buf + at, len - at, "%s%s", i == 0 ? "" : i < n - 1 ? ", " : and,
			       b->ports[i]);
}

/* A bridge is filtered on its outside port.  XDP on the bridge device sees
 * only what the box itself receives, never what the bridge forwards from
 * one port to another: refused when the bridge has ports to forward
 * between.  A second port of one bridge is refused too: what enters by the
 * inside port is the town, which bouclier would take for the Internet. */
static int check_bridge(const char *ifname)
{
	char port[IF_NAMESIZE], gw[INET6_ADDRSTRLEN], ports[BRIDGE_MAX_PORTS * (IF_NAMESIZE + 5)];
	char either[sizeof(ports)], names[64][IF_NAMESIZE];
	struct bridge_info b;
	int n, i, j;

	if (bridge_info(ifname, &b) || !b.bridge[0])
		return 0;
	if (bridge_outside(&b, port, gw))
		port[0] = 0;
	port_list(&b, " and ", ports, sizeof(ports));
	port_list(&b, " or ", either, sizeof(either));
	if (b.is_bridge && b.nports >= 2) {
		if (port[0])
			pr_warn("%s is a bridge over %s: XDP on %s sees only what this box itself "
				"receives, not what the bridge forwards from one port to another. "
				"Attach the outside port, the one towards the gateway %s: bouclier "
				"attach %s\n", ifname, ports, ifname, gw, port);
		else
			pr_warn("%s is a bridge over %s: XDP on %s sees only what this box itself "
				"receives, not what the bridge forwards from one port to another. "
				"Attach the outside port, the one cabled to the provider's router: "
				"bouclier attach %s\n", ifname, ports, ifname, either);
		return -EOPNOTSUPP;
	}
	if (b.is_bridge)
		return 0;
	n = pins_links(names, 64);
	for (i = 0; i < n; i++)
		for (j = 0; j < b.nports && j < BRIDGE_MAX_PORTS; j++)
			if (strcmp(names[i], ifname) && !strcmp(names[i], b.ports[j])) {
				pr_warn("%s and %s are ports of the same bridge %s, and bouclier "
					"filters %s already: a bridge is filtered on its outside port "
					"only (what enters by the inside one is the town, which bouclier "
					"would take for the Internet)\n", ifname, names[i], b.bridge,
					names[i]);
				return -EEXIST;
			}
	if (port[0] && strcmp(port, ifname))
		pr_warn("%s: the default gateway %s is behind %s, not behind %s: bouclier filters "
			"what enters the bridge by the port it is attached to, which on an inline "
			"box is the outside port (`bouclier detach %s && bouclier attach %s`)\n",
			ifname, gw, port, ifname, ifname, port);
	pr_info("%s is a port of the bridge %s: filtering what enters %s by %s and what leaves "
		"by it\n", ifname, b.bridge, b.bridge, ifname);
	return 0;
}

int attach_iface(const char *ifname, enum attach_mode mode, bool *added,
		 int (*publish)(void *arg, const char *ifname), void *arg)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char link_name[64], path[4096];
	int ifindex, prog_fd = -1, link_fd = -1, err, out_err;
	enum link_kind kind;
	unsigned short type;
	const char *type_name;
	__u32 flags, ours[4];

	*added = false;
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		pr_warn("no interface named \"%s\" (see `ip link`)\n", ifname);
		return -ENODEV;
	}
	kind = link_kind(ifname, &type_name, &type);
	if (kind == LINK_UNSUPPORTED) {
		pr_warn("%s is a link of type %s (%u): bouclier filters Ethernet links (with VLANs "
			"and PPPoE) and links whose frames start at the IP header (ppp, tun, "
			"WireGuard, ipip, sit, USB modems), not this one\n", ifname, type_name, type);
		return -EOPNOTSUPP;
	}
	snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_LINK_FMT, ifname);
	if (bpf_xdp_query(ifindex, 0, &q)) {
		err = -errno;
		pr_warn("cannot query the XDP program of %s: %s\n", ifname, strerror(errno));
		return err;
	}
	our_prog_ids(ours);
	if (q.prog_id && (q.prog_id == ours[0] || q.prog_id == ours[1])) {
		if (!strcmp(egress_state(ifindex, ours), "off")) {
			err = attach_egress(ifname, ifindex, kind);
			pr_info("%s: outbound filtering was missing: %s\n", ifname,
				err ? strerror(-err) : "attached");
		}
		pr_info("already attached to %s; nothing to do\n", ifname);
		return 0;
	}
	if (q.prog_id) {
		foreign_program(ifname, q.prog_id);
		return -EEXIST;
	}
	err = check_bridge(ifname);
	if (!err)
		err = pins_ensure_dir();
	if (err)
		return err;
	drop_stale_link(link_name, ifindex);
	err = load_program(kind, &prog_fd);
	if (err)
		goto out;
	err = publish(arg, ifname);
	if (err)
		goto out;
	/* a table of another size class came with new programs: link those */
	close(prog_fd);
	prog_fd = pins_get(kind == LINK_RAW_IP ? BOUCLIER_PIN_PROG_IP : BOUCLIER_PIN_PROG);
	if (prog_fd < 0) {
		err = prog_fd;
		goto out;
	}
	flags = mode == MODE_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
	{
		LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = flags);

		link_fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
		if (link_fd < 0 && mode == MODE_AUTO) {
			pr_debug("native XDP refused on %s (%s); trying generic\n", ifname,
				 strerror(errno));
			lo.flags = flags = XDP_FLAGS_SKB_MODE;
			link_fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
		}
	}
	if (link_fd < 0) {
		err = -errno;
		pr_warn("cannot attach to %s in %s mode: %s\n", ifname,
			mode == MODE_GENERIC ? "generic" : "native", strerror(errno));
		goto out;
	}
	pins_path(path, sizeof(path), link_name);
	if (bpf_obj_pin(link_fd, path)) {
		err = -errno;
		pr_warn("cannot pin the link at %s: %s\n", path, strerror(errno));
		goto out;
	}
	*added = true;
	pr_info("attached to %s in %s mode (%s frames)\n", ifname,
		flags == XDP_FLAGS_SKB_MODE ? "generic" : "native",
		kind == LINK_RAW_IP ? "raw IP" : "Ethernet");
	/* the way out: inbound filtering stands even if this fails */
	drop_stale_link_tc(ifname, ifindex);
	out_err = attach_egress(ifname, ifindex, kind);
	if (out_err)
		pr_warn("%s: outbound filtering could not be attached (%s): machines of the town "
			"can still reach listed destinations; `bouclier status` says so\n", ifname,
			strerror(-out_err));
	pins_restrict();
out:
	if (link_fd >= 0)
		close(link_fd);
	if (prog_fd >= 0)
		close(prog_fd);
	if (err) {
		char names[1][IF_NAMESIZE];

		/* Leave nothing pinned behind a failed first attach. */
		if (pins_links(names, 1) == 0)
			pins_remove_all();
	}
	return err;
}

static int publish_nothing(void *arg, const char *ifname)
{
	(void)arg;
	(void)ifname;
	return 0;
}

int attach_relink(const char *ifname, enum attach_mode mode)
{
	int fd = pins_get(BOUCLIER_PIN_PROG);
	bool added;

	if (fd < 0)
		return fd;
	close(fd);
	return attach_iface(ifname, mode, &added, publish_nothing, NULL);
}

int detach_iface(const char *ifname)
{
	char link_name[64], path[4096], names[1][IF_NAMESIZE];
	int fd, n;

	snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_LINK_FMT, ifname);
	fd = pins_get(link_name);
	if (fd < 0) {
		pr_warn("bouclier is not attached to \"%s\" (see `bouclier status`)\n", ifname);
		return -ENXIO;
	}
	/* A link whose interface is gone is already detached: not an error. */
	if (bpf_link_detach(fd) && errno != ENOLINK && errno != EINVAL)
		pr_debug("detaching the link of %s: %s\n", ifname, strerror(errno));
	close(fd);
	detach_egress(ifname, if_nametoindex(ifname));
	pins_path(path, sizeof(path), link_name);
	if (unlink(path))
		return -errno;
	pr_info("detached from %s\n", ifname);
	n = pins_links(names, 1);
	if (n == 0) {
		n = pins_remove_all();
		if (!n)
			pr_info("no interface left: removed every pinned object\n");
		return n;
	}
	return n < 0 ? n : 0;
}

int attach_states(struct iface_state *v, int max)
{
	char names[64][IF_NAMESIZE];
	int n = pins_links(names, max < 64 ? max : 64), i;
	__u32 ids[4];

	if (n <= 0)
		return n;
	our_prog_ids(ids);
	for (i = 0; i < n; i++) {
		LIBBPF_OPTS(bpf_xdp_query_opts, q);

		memset(&v[i], 0, sizeof(v[i]));
		memcpy(v[i].name, names[i], sizeof(v[i].name));
		v[i].ifindex = if_nametoindex(names[i]);
		if (!v[i].ifindex) {
			v[i].mode = "gone";
			continue;
		}
		if (bpf_xdp_query(v[i].ifindex, 0, &q)) {
			v[i].mode = "unreadable";
			continue;
		}
		{
			const char *tn;
			unsigned short t;

			v[i].raw_ip = link_kind(names[i], &tn, &t) == LINK_RAW_IP;
		}
		v[i].egress = egress_state(v[i].ifindex, ids);
		{
			struct bridge_info b;

			if (!bridge_info(names[i], &b) && !b.is_bridge)
				memcpy(v[i].bridge, b.bridge, sizeof(v[i].bridge));
		}
		if (q.drv_prog_id && (q.drv_prog_id == ids[0] || q.drv_prog_id == ids[1])) {
			v[i].filtering = true;
			v[i].mode = "native";
		} else if (q.skb_prog_id && (q.skb_prog_id == ids[0] || q.skb_prog_id == ids[1])) {
			v[i].filtering = true;
			v[i].mode = "generic";
		} else {
			v[i].mode = q.prog_id || q.drv_prog_id || q.skb_prog_id || q.hw_prog_id
					    ? "replaced" : "detached";
		}
	}
	return n;
}

/* ---- capacity classes: new programs for a table of another size */

/* Pins fd at name through a temporary name and rename(2): the pin is
 * replaced at once, never missing. */
static int pin_replace(int fd, const char *name)
{
	char path[4096], tmp[4200];
	int err;

	if (pins_path(path, sizeof(path), name))
		return -ENAMETOOLONG;
	snprintf(tmp, sizeof(tmp), "%s_swap", path); /* bpffs refuses dots in names */
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp))
		return -errno;
	if (rename(tmp, path)) {
		err = -errno;
		unlink(tmp);
		return err;
	}
	return 0;
}

/* Moves a link onto the pinned program name when it runs another one. */
static int link_follow(const char *link_name, __u32 want_a, __u32 want_b, const char *prog)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = pins_get(link_name), pfd, err = 0;

	if (fd < 0)
		return 0;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.prog_id == want_a ||
	    info.prog_id == want_b) {
		close(fd);
		return 0;
	}
	pfd = pins_get(prog);
	if (pfd < 0 || bpf_link_update(fd, pfd, NULL))
		err = pfd < 0 ? pfd : -errno;
	if (err && err != -ENOLINK) /* an interface gone: watch replaces its link */
		pr_warn("cannot move %s onto the new program: %s\n", link_name, strerror(-err));
	else
		err = 0;
	if (pfd >= 0)
		close(pfd);
	close(fd);
	return err;
}

int attach_converge(void)
{
	char names[64][IF_NAMESIZE], link_name[64 + sizeof(names)];
	int n = pins_links(names, 64), i, err = 0, e;
	__u32 ids[4];

	if (n <= 0)
		return n;
	our_prog_ids(ids);
	for (i = 0; i < n; i++) {
		int ifindex = if_nametoindex(names[i]), raw;
		const char *tn;
		unsigned short t;

		if (!ifindex)
			continue;
		raw = link_kind(names[i], &tn, &t) == LINK_RAW_IP;
		snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_LINK_FMT, names[i]);
		e = link_follow(link_name, ids[0], ids[1],
				raw ? BOUCLIER_PIN_PROG_IP : BOUCLIER_PIN_PROG);
		err = err ? err : e;
		snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_TC_LINK_FMT, names[i]);
		e = link_follow(link_name, ids[2], ids[3], raw ? BOUCLIER_PIN_TC_IP : BOUCLIER_PIN_TC);
		err = err ? err : e;
		{ /* classic tc: our filter replaced in place */
			LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
				    .attach_point = BPF_TC_EGRESS);
			LIBBPF_OPTS(bpf_tc_opts, to, .handle = TC_HANDLE, .priority = TC_HANDLE);

			if (!bpf_tc_query(&hook, &to) && to.prog_id != ids[2] &&
			    to.prog_id != ids[3]) {
				int pfd = pins_get(raw ? BOUCLIER_PIN_TC_IP : BOUCLIER_PIN_TC);
				LIBBPF_OPTS(bpf_tc_opts, ro, .handle = TC_HANDLE,
					    .priority = TC_HANDLE, .prog_fd = pfd,
					    .flags = BPF_TC_F_REPLACE);

				e = pfd < 0 ? pfd : bpf_tc_attach(&hook, &ro);
				if (pfd >= 0)
					close(pfd);
				err = err ? err : e;
			}
		}
	}
	return err;
}

bool attach_pins_torn(void)
{
	static const char *const progs[] = { BOUCLIER_PIN_PROG, BOUCLIER_PIN_PROG_IP,
					      BOUCLIER_PIN_TC, BOUCLIER_PIN_TC_IP };
	struct bpf_map_info minfo = { 0 };
	__u32 mlen = sizeof(minfo);
	bool torn = false;
	size_t p;
	int tfd = pins_get(BOUCLIER_STR(BOUCLIER_MAP_TABLES));

	if (tfd < 0)
		return false;
	if (bpf_obj_get_info_by_fd(tfd, &minfo, &mlen)) {
		close(tfd);
		return false;
	}
	close(tfd);
	for (p = 0; p < sizeof(progs) / sizeof(progs[0]) && !torn; p++) {
		struct bpf_prog_info info = { 0 };
		__u32 ids[64], len = sizeof(info), i;
		int fd = pins_get(progs[p]);

		if (fd < 0)
			continue;
		info.nr_map_ids = 64;
		info.map_ids = (__u64)(unsigned long)ids;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
			for (i = 0; i < info.nr_map_ids && i < 64 && ids[i] != minfo.id; i++)
				;
			torn = i == info.nr_map_ids || i == 64;
		}
		close(fd);
	}
	return torn;
}

int attach_reload(__u32 capacity, int table_fd)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pins_dir());
	struct egress_ct *ct = NULL;
	struct bouclier *skel;
	struct bpf_map *tables;
	__u32 zero = 0;
	int err, tfd;

	skel = bouclier__open_opts(&o);
	if (!skel)
		return -errno;
	size_maps(skel->obj);
	tables = skel->maps.BOUCLIER_MAP_TABLES;
	/* a new outer map of the new class, the table itself its template (libbpf
	 * 1.1 cannot resize the inner map it parsed); every other map is the
	 * pinned one */
	bpf_map__set_pin_path(tables, NULL);
	err = bpf_map__set_inner_map_fd(tables, table_fd);
	if (err)
		goto out;
	err = bouclier__load(skel);
	if (err) {
		pr_warn("the kernel refused the programs for a table of %u lines (%s)\n", capacity,
			strerror(-err));
		goto out;
	}
	tfd = bpf_map__fd(tables);
	if (bpf_map_update_elem(tfd, &zero, &table_fd, BPF_ANY)) {
		err = -errno;
		goto out;
	}
	ct = egress_ct__open_opts(&o);
	if (ct) {
		size_maps(ct->obj);
		bpf_map__set_pin_path(ct->maps.BOUCLIER_MAP_TABLES, NULL);
		if (bpf_map__reuse_fd(ct->maps.BOUCLIER_MAP_TABLES, tfd) || egress_ct__load(ct)) {
			egress_ct__destroy(ct);
			ct = NULL; /* the plain egress programs, as pin_egress falls back to */
		}
	}
	/* the pins first, the source of truth; then every link follows them */
	err = pin_replace(tfd, BOUCLIER_STR(BOUCLIER_MAP_TABLES));
	fault_point("reload-between-pins"); /* the next publish sees them torn */
	if (!err)
		err = pin_replace(bpf_program__fd(skel->progs.BOUCLIER_PROG_NAME), BOUCLIER_PIN_PROG);
	if (!err)
		err = pin_replace(bpf_program__fd(skel->progs.BOUCLIER_PROG_IP_NAME),
				  BOUCLIER_PIN_PROG_IP);
	if (!err)
		err = pin_replace(ct ? bpf_program__fd(ct->progs.BOUCLIER_TC_NAME)
				     : bpf_program__fd(skel->progs.BOUCLIER_TC_NAME),
				  BOUCLIER_PIN_TC);
	if (!err)
		err = pin_replace(ct ? bpf_program__fd(ct->progs.BOUCLIER_TC_IP_NAME)
				     : bpf_program__fd(skel->progs.BOUCLIER_TC_IP_NAME),
				  BOUCLIER_PIN_TC_IP);
	if (err) {
		pr_warn("cannot pin the programs for the new table: %s\n", strerror(-err));
		goto out;
	}
	fault_point("reload-pinned");
	/* the pins are the new programs and table from here: a link that does
	 * not follow yet is said, and followed at the next change, but the
	 * swap is done and its bookkeeping must happen */
	if (attach_converge())
		pr_warn("some interfaces still run older programs of bouclier; the next change "
			"moves them (`bouclier status` says which)\n");
	pr_info("the table grew or shrank to a new size class (%u MiB): new programs "
		"swapped in\n", (unsigned)((__u64)capacity * BOUCLIER_LINE_BYTES >> 20));
	pins_restrict();
out:
	egress_ct__destroy(ct);
	bouclier__destroy(skel);
	return err;
}

/* A pinned map removed by hand while bouclier runs: the programs keep the
 * maps they use, so those are pinned again from the running programs (a new
 * empty map would be one the programs never see); the maps only user space
 * writes (sets, feeds, info) are created again empty, and the next change
 * fills them. */
int attach_repair_pins(void)
{
	static const char *const progs[] = { BOUCLIER_PIN_PROG, BOUCLIER_PIN_PROG_IP,
					      BOUCLIER_PIN_TC, BOUCLIER_PIN_TC_IP };
	static const char *const maps[] = {
#define BOUCLIER_X(field, name) BOUCLIER_STR(name),
		BOUCLIER_MAPS(BOUCLIER_X)
#undef BOUCLIER_X
	};
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pins_dir());
	struct bouclier *skel;
	size_t p, m;
	int any = 0;

	for (p = 0; p < sizeof(progs) / sizeof(progs[0]); p++) {
		struct bpf_prog_info info = { 0 };
		__u32 ids[64], len = sizeof(info), i;
		int fd = pins_get(progs[p]);

		if (fd < 0)
			continue;
		any = 1;
		info.nr_map_ids = 64;
		info.map_ids = (__u64)(unsigned long)ids;
		if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
			close(fd);
			continue;
		}
		close(fd);
		for (i = 0; i < info.nr_map_ids && i < 64; i++) {
			struct bpf_map_info mi = { 0 };
			__u32 mlen = sizeof(mi);
			int mfd = bpf_map_get_fd_by_id(ids[i]);
			char path[4096];

			if (mfd < 0)
				continue;
			if (!bpf_obj_get_info_by_fd(mfd, &mi, &mlen))
				for (m = 0; m < sizeof(maps) / sizeof(maps[0]); m++) {
					int have = pins_get(maps[m]);

					if (have >= 0) {
						close(have);
						continue;
					}
					/* kernel names stop at 15 characters */
					if (strncmp(mi.name, maps[m], sizeof(mi.name) - 1) ||
					    pins_path(path, sizeof(path), maps[m]))
						continue;
					if (!bpf_obj_pin(mfd, path))
						pr_warn("the pinned map %s had been removed; pinned again "
							"from the running program\n", maps[m]);
				}
			close(mfd);
		}
	}
	if (!any)
		return -ENOENT;
	/* what no program holds: created again (libbpf reuses every pin left) */
	skel = bouclier__open_opts(&o);
	if (skel)
		size_maps(skel->obj);
	if (!skel || bouclier__load(skel)) {
		bouclier__destroy(skel);
		return -ENOENT;
	}
	bouclier__destroy(skel);
	pins_restrict();
	return 0;
}
