// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <linux/if_link.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "attach.h"
#include "bouclier.skel.h"
#include "log.h"
#include "pins.h"

const char *const *attach_mode_names(void)
{
	static const char *const names[] = { "auto", "native", "generic", NULL };

	return names;
}

static __u32 prog_id_of(int fd)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* The pinned program, loading and pinning it the first time. */
static int load_program(int *prog_fd)
{
	LIBBPF_OPTS(bpf_object_open_opts, o, .pin_root_path = pins_dir());
	char path[4096];
	struct bouclier *skel;
	int err;

	*prog_fd = pins_get(BOUCLIER_PIN_PROG);
	if (*prog_fd >= 0)
		return 0;
	skel = bouclier__open_opts(&o);
	if (!skel)
		return -errno;
	err = bouclier__load(skel);
	if (err) {
		pr_warn("the kernel refused the XDP program (%s); rerun with -v to see the "
			"verifier's log\n", strerror(-err));
		bouclier__destroy(skel);
		return -EPROTO;
	}
	pins_path(path, sizeof(path), BOUCLIER_PIN_PROG);
	err = bpf_program__pin(skel->progs.BOUCLIER_PROG_NAME, path);
	if (!err)
		*prog_fd = dup(bpf_program__fd(skel->progs.BOUCLIER_PROG_NAME));
	bouclier__destroy(skel);
	return err;
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

int attach_iface(const char *ifname, enum attach_mode mode, bool *added)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char link_name[64], path[4096];
	int ifindex, prog_fd = -1, link_fd = -1, err;
	__u32 flags;

	*added = false;
	ifindex = if_nametoindex(ifname);
	if (!ifindex) {
		pr_warn("no interface named \"%s\" (see `ip link`)\n", ifname);
		return -ENODEV;
	}
	snprintf(link_name, sizeof(link_name), BOUCLIER_PIN_LINK_FMT, ifname);
	if (bpf_xdp_query(ifindex, 0, &q)) {
		err = -errno;
		pr_warn("cannot query the XDP program of %s: %s\n", ifname, strerror(errno));
		return err;
	}
	if (q.prog_id) {
		int fd = pins_get(link_name), pfd = pins_get(BOUCLIER_PIN_PROG);
		bool ours = fd >= 0 && pfd >= 0 && q.prog_id == prog_id_of(pfd);

		if (fd >= 0)
			close(fd);
		if (pfd >= 0)
			close(pfd);
		if (ours) {
			pr_info("already attached to %s; nothing to do\n", ifname);
			return 0;
		}
		foreign_program(ifname, q.prog_id);
		return -EEXIST;
	}
	err = pins_ensure_dir();
	if (err)
		return err;
	err = load_program(&prog_fd);
	if (err)
		goto out;
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
	pins_restrict();
	*added = true;
	pr_info("attached to %s in %s mode\n", ifname,
		flags == XDP_FLAGS_SKB_MODE ? "generic" : "native");
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
	int n = pins_links(names, max < 64 ? max : 64), i, pfd;
	__u32 ours = 0;

	if (n <= 0)
		return n;
	pfd = pins_get(BOUCLIER_PIN_PROG);
	if (pfd >= 0) {
		ours = prog_id_of(pfd);
		close(pfd);
	}
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
		if (ours && q.drv_prog_id == ours) {
			v[i].filtering = true;
			v[i].mode = "native";
		} else if (ours && q.skb_prog_id == ours) {
			v[i].filtering = true;
			v[i].mode = "generic";
		} else {
			v[i].mode = q.prog_id || q.drv_prog_id || q.skb_prog_id || q.hw_prog_id
					    ? "replaced" : "detached";
		}
	}
	return n;
}
