/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * pins.h - the pin directory (/sys/fs/bpf/bouclier by default, resolved by
 * ctx.h): opening the pinned maps with the layout check that bouclier.h
 * promises, the links pinned per interface, the bpffs mount, and removing
 * everything.  Functions return 0 or -errno.  It calls nothing above it:
 * what needs the programs (pinning again a map removed by hand) is a
 * callback the layer above registers, as publish.h's reload is.
 */
#ifndef BOUCLIER_PINS_H
#define BOUCLIER_PINS_H

#include <net/if.h>
#include <stddef.h>
#include "live.h"

void pins_set_dir(const char *dir);
const char *pins_dir(void);
int pins_path(char *buf, size_t len, const char *name);
/* bpf_obj_get of a pin by name: an fd, or -errno. */
int pins_get(const char *name);

/* Opens every pinned map; -ENOENT when bouclier is not loaded, -EPROTO when
 * the pins are of another layout (the message says what to do).  A map pin
 * missing is first handed to the repair callback, if one is set. */
int pins_open(struct live *l);

/* What pins_open() calls when a map pin is missing: 0 once the pins are
 * whole again (then it opens them again), or -errno; NULL: none, the
 * missing pin is -ENOENT.  main() sets attach_repair_pins(). */
void pins_set_repair(int (*repair)(void));

/* Interfaces with a pinned link: their names, how many, or -errno. */
int pins_links(char names[][IF_NAMESIZE], int max);

/* Mounts bpffs where needed and creates the directory, mode 0700. */
int pins_ensure_dir(void);
/* Every pin 0600: the maps hold what the town blocks and sees. */
void pins_restrict(void);
/* Removes every pin and the directory. */
int pins_remove_all(void);

#endif
