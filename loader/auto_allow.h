/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * auto_allow.h - the allowlist entries bouclier adds on its own, read from
 * the kernel over rtnetlink: the networks of the interfaces it filters (both
 * ends of a point-to-point link) and the gateways of the default routes.  A
 * list holding the provider's range can then never cut the town off.
 *
 * On an inline box the interface filtered is a bridge port, which has no
 * address: the bridge's addresses and their networks stand for it, with
 * those of the bridge's other ports (the inside).  Together they are the
 * segment the box is slipped into, where the town's machines are, or the
 * outside address of the town's own router.  Networks behind a router of
 * the town cannot be seen from a transparent box: [allow] names them.
 */
#ifndef BOUCLIER_AUTO_ALLOW_H
#define BOUCLIER_AUTO_ALLOW_H

#include <net/if.h>
#include <stddef.h>
#include "cidr.h"

/* The entries for the named interfaces, normalised, into *v (malloc'd). */
int auto_allow(const char (*ifnames)[IF_NAMESIZE], int nif, struct cidr **v, size_t *n);

#endif
