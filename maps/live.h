/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * live.h - file descriptors of the running filter's maps, one per entry of
 * BOUCLIER_MAPS in bouclier.h.  loader/pins.c fills them from the pin
 * directory; the tests and the benchmark from a skeleton they loaded
 * themselves (live_from_object).  -1 means not open.
 */
#ifndef BOUCLIER_LIVE_H
#define BOUCLIER_LIVE_H

#include "bouclier.h"

struct bpf_object;

struct live {
#define BOUCLIER_X(field, name) int field##_fd;
	BOUCLIER_MAPS(BOUCLIER_X)
#undef BOUCLIER_X
};

void live_init(struct live *l);   /* every fd -1 */
void live_close(struct live *l);  /* closes what is open; NULL-safe fields */
/* Duplicates the fds of an object's maps of these names; -ENOENT when one
 * is missing. */
int live_from_object(struct live *l, struct bpf_object *obj);
/* The kernel memory a map takes, as its fdinfo's memlock line says; -1
 * when it cannot be read. */
long long live_memlock(int fd);

#endif
