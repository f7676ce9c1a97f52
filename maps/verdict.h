/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * verdict.h - what a lookup value (bouclier.h) means, decided in one place:
 * the XDP and TC programs, `bouclier lookup`, `bouclier why` and the unit
 * tests all include this, so the verdict the kernel applies and the one
 * user space explains cannot disagree.  Pure functions of their arguments;
 * no map, no helper.
 *
 * A value is folded by user space at compile time (the allowlist wins, the
 * feeds' directions and monitor bits are the union of every covering
 * prefix's); the programs then merge, in this order, a timed ban or allow
 * (bouclier_timed) and a ban the kernel made on the source's behaviour
 * (bouclier_bans).  The value's set id is what the counters are kept by.
 */
#ifndef BOUCLIER_VERDICT_H
#define BOUCLIER_VERDICT_H

#include "bouclier.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* The verdict for a value in a direction (enum bouclier_dir): the
 * allowlist wins, then an enforcing feed or ban of that direction drops,
 * then a monitored feed or would-ban counts a would-drop. */
static __always_inline int bouclier_verdict(__u32 val, __u32 dir)
{
	if (val & BOUCLIER_ALLOW)
		return BOUCLIER_V_ALLOW;
	if (val & (dir == BOUCLIER_D_OUT ? BOUCLIER_OUT : BOUCLIER_IN))
		return BOUCLIER_V_DROP;
	if (val & (dir == BOUCLIER_D_OUT ? BOUCLIER_MON_OUT : BOUCLIER_MON_IN))
		return BOUCLIER_V_MONITOR;
	return BOUCLIER_V_PASS;
}

/* The value after a timed entry that has not expired (timed: its value,
 * BOUCLIER_ALLOW or the ban feed's set with its directions): the allowlist
 * in val still wins; a timed allow replaces the value; a ban adds its
 * directions to what the lists drop already (whose feeds keep the count),
 * and takes the value over only where the lists drop nothing. */
static __always_inline __u32 bouclier_timed_merge(__u32 val, __u32 timed)
{
	if (val & BOUCLIER_ALLOW)
		return val;
	if ((timed & BOUCLIER_ALLOW) || !(val & (BOUCLIER_IN | BOUCLIER_OUT)))
		return timed;
	return val | (timed & (BOUCLIER_IN | BOUCLIER_OUT));
}

/* Whether a ban detection made acts at now (Unix seconds): until it ends,
 * unless a contact of the town lifted it. */
static __always_inline int bouclier_ban_acts(const struct bouclier_ban *b, __s64 now)
{
	return !(b->flags & BOUCLIER_BAN_LIFTED) && now < (__s64)b->expires;
}

/* The value after a detected ban in force on the source (set: the detected
 * pseudo-feed's; monitor: a would-ban).  Detected bans act on the way in
 * only.  A source the lists or a timed entry allow or drop on the way in
 * keeps its value: the ban adds nothing there. */
static __always_inline __u32 bouclier_ban_merge(__u32 val, __u32 set, int monitor)
{
	if (val & (BOUCLIER_ALLOW | BOUCLIER_IN))
		return val;
	return (set & BOUCLIER_SET_MASK) | (monitor ? BOUCLIER_MON_IN : BOUCLIER_IN) |
	       BOUCLIER_DETECTED;
}

#endif /* BOUCLIER_VERDICT_H */
