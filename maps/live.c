// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "live.h"

void live_init(struct live *l)
{
#define BOUCLIER_X(field, name) l->field##_fd = -1;
	BOUCLIER_MAPS(BOUCLIER_X)
#undef BOUCLIER_X
}

void live_close(struct live *l)
{
#define BOUCLIER_X(field, name)            \
	if (l->field##_fd >= 0)            \
		close(l->field##_fd);      \
	l->field##_fd = -1;
	BOUCLIER_MAPS(BOUCLIER_X)
#undef BOUCLIER_X
}

int live_from_object(struct live *l, struct bpf_object *obj)
{
	struct bpf_map *m;

	live_init(l);
#define BOUCLIER_X(field, name)                                                   \
	m = bpf_object__find_map_by_name(obj, BOUCLIER_STR(name));               \
	if (!m || bpf_map__fd(m) < 0 || (l->field##_fd = dup(bpf_map__fd(m))) < 0) { \
		live_close(l);                                                    \
		return -ENOENT;                                                   \
	}
	BOUCLIER_MAPS(BOUCLIER_X)
#undef BOUCLIER_X
	return 0;
}

long long live_memlock(int fd)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "memlock:", 8))
			v = atoll(line + 8);
	if (f)
		fclose(f);
	return v;
}
