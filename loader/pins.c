// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "log.h"
#include "pins.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

static char dir[4096] = BOUCLIER_PIN_DIR;
static int (*repair_pins)(void);

void pins_set_repair(int (*repair)(void))
{
	repair_pins = repair;
}

void pins_set_dir(const char *d)
{
	snprintf(dir, sizeof(dir), "%s", d);
}

const char *pins_dir(void)
{
	return dir;
}

int pins_path(char *buf, size_t len, const char *name)
{
	return snprintf(buf, len, "%s/%s", dir, name) >= (int)len ? -ENAMETOOLONG : 0;
}

int pins_get(const char *name)
{
	char path[4096 + 64];
	int fd;

	if (pins_path(path, sizeof(path), name))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

static int open_maps(struct live *l)
{
	int fd;

	live_init(l);
#define BOUCLIER_X(field, name)                  \
	fd = pins_get(BOUCLIER_STR(name));      \
	if (fd < 0) {                           \
		live_close(l);                  \
		return fd;                      \
	}                                       \
	l->field##_fd = fd;
	BOUCLIER_MAPS(BOUCLIER_X)
#undef BOUCLIER_X
	return 0;
}

int pins_open(struct live *l)
{
	struct bouclier_info info = { 0 };
	__u32 zero = 0;
	int err;

	err = open_maps(l);
	/* a map pin missing while our programs are pinned: removed by hand */
	if (err == -ENOENT && repair_pins && !repair_pins())
		err = open_maps(l);
	if (err)
		return err;
	/* abi 0: nothing swapped in yet by this version or an older one */
	if (!bpf_map_lookup_elem(l->info_fd, &zero, &info) && info.abi &&
	    info.abi != BOUCLIER_ABI) {
		pr_warn("the pinned maps in %s are of layout %u, this bouclier speaks %u: detach "
			"every interface with the bouclier that attached them, then attach again\n",
			dir, info.abi, BOUCLIER_ABI);
		live_close(l);
		return -EPROTO;
	}
	return 0;
}

int pins_links(char names[][IF_NAMESIZE], int max)
{
	const char *prefix = BOUCLIER_PIN_LINK_PREFIX;
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d)) && n < max)
		if (!strncmp(de->d_name, prefix, strlen(prefix)) &&
		    strlen(de->d_name + strlen(prefix)) < IF_NAMESIZE)
			snprintf(names[n++], IF_NAMESIZE, "%s", de->d_name + strlen(prefix));
	closedir(d);
	return n;
}

int pins_ensure_dir(void)
{
	struct statfs sfs;
	char parent[sizeof(dir)], *slash;

	snprintf(parent, sizeof(parent), "%s", dir);
	slash = strrchr(parent, '/');
	if (slash && slash != parent)
		*slash = 0;
	if (statfs(parent, &sfs) || sfs.f_type != BPF_FS_MAGIC) {
		if (mount("bpf", parent, "bpf", 0, "mode=0700")) {
			pr_warn("%s is not a BPF filesystem and mounting one failed (%s); mount it "
				"with `mount -t bpf bpf %s`\n", parent, strerror(errno), parent);
			return -ENODEV;
		}
	}
	if (mkdir(dir, 0700) && errno != EEXIST) {
		pr_warn("cannot create %s: %s\n", dir, strerror(errno));
		return -errno;
	}
	return 0;
}

void pins_restrict(void)
{
	char path[sizeof(dir) + 256];
	struct dirent *de;
	DIR *d = opendir(dir);

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		chmod(path, 0600);
	}
	if (d)
		closedir(d);
}

int pins_remove_all(void)
{
	char path[sizeof(dir) + 256];
	struct dirent *de;
	DIR *d = opendir(dir);
	int err = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (unlink(path))
			err = -errno;
	}
	closedir(d);
	if (!err && rmdir(dir))
		err = -errno;
	return err;
}
