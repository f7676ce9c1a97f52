// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The one verdict (maps/verdict.h) that the programs, `lookup` and `why`
 * share, pinned value by value: every combination of the value's bits in
 * both directions, the timed entries' merge, the detected bans' merge.
 * The rules are docs/design.md's ("The decision on the way in"), written
 * here apart from the code.
 */
#include <criterion/criterion.h>
#include "verdict.h"

/* The rule, spelled out: the allowlist wins; an enforcing feed of the
 * direction drops; a monitored one counts a would-drop; else it passes. */
static int expected(__u32 val, __u32 dir)
{
	int allow = !!(val & BOUCLIER_ALLOW);
	int drop = dir == BOUCLIER_D_IN ? !!(val & BOUCLIER_IN) : !!(val & BOUCLIER_OUT);
	int mon = dir == BOUCLIER_D_IN ? !!(val & BOUCLIER_MON_IN) : !!(val & BOUCLIER_MON_OUT);

	return allow ? BOUCLIER_V_ALLOW : drop ? BOUCLIER_V_DROP : mon ? BOUCLIER_V_MONITOR
								: BOUCLIER_V_PASS;
}

static const __u32 bits[] = { BOUCLIER_ALLOW, BOUCLIER_IN, BOUCLIER_OUT, BOUCLIER_MON_IN,
			      BOUCLIER_MON_OUT, BOUCLIER_DETECTED, BOUCLIER_REGIONAL };
#define NBITS (sizeof(bits) / sizeof(bits[0]))

Test(verdict, every_value_in_both_directions)
{
	__u32 combo, dir, val;
	size_t i;

	for (combo = 0; combo < 1u << NBITS; combo++)
		for (dir = 0; dir < BOUCLIER_D_MAX; dir++) {
			val = 7; /* a set id: it never decides */
			for (i = 0; i < NBITS; i++)
				if (combo & (1u << i))
					val |= bits[i];
			cr_assert_eq(bouclier_verdict(val, dir), expected(val, dir),
				     "value %#x, direction %u", val, dir);
		}
	/* the four verdicts a lookup can give, by hand */
	cr_expect_eq(bouclier_verdict(0, BOUCLIER_D_IN), BOUCLIER_V_PASS);
	cr_expect_eq(bouclier_verdict(3 | BOUCLIER_OUT, BOUCLIER_D_IN), BOUCLIER_V_PASS,
		     "an outbound-only feed passes a source");
	cr_expect_eq(bouclier_verdict(3 | BOUCLIER_OUT, BOUCLIER_D_OUT), BOUCLIER_V_DROP);
	cr_expect_eq(bouclier_verdict(3 | BOUCLIER_IN | BOUCLIER_MON_IN, BOUCLIER_D_IN),
		     BOUCLIER_V_DROP, "an enforcing feed drops what a monitored one also lists");
	cr_expect_eq(bouclier_verdict(BOUCLIER_ALLOW | BOUCLIER_IN, BOUCLIER_D_IN),
		     BOUCLIER_V_ALLOW);
}

Test(verdict, a_timed_entry_over_the_table)
{
	__u32 ban = 9 | BOUCLIER_IN | BOUCLIER_OUT, ban_in = 9 | BOUCLIER_IN;

	/* the allowlist in the table wins over any timed entry */
	cr_expect_eq(bouclier_timed_merge(BOUCLIER_ALLOW, ban), BOUCLIER_ALLOW);
	/* a timed allow lets a listed address through */
	cr_expect_eq(bouclier_timed_merge(3 | BOUCLIER_IN, BOUCLIER_ALLOW), BOUCLIER_ALLOW);
	/* a ban where the lists drop nothing takes the value over */
	cr_expect_eq(bouclier_timed_merge(0, ban), ban);
	cr_expect_eq(bouclier_timed_merge(3 | BOUCLIER_MON_IN, ban_in), ban_in);
	/* where they drop, it adds its directions and keeps their set */
	cr_expect_eq(bouclier_timed_merge(3 | BOUCLIER_OUT, ban_in),
		     3 | BOUCLIER_OUT | BOUCLIER_IN);
	cr_expect_eq(bouclier_verdict(bouclier_timed_merge(3 | BOUCLIER_OUT, ban_in),
				      BOUCLIER_D_OUT), BOUCLIER_V_DROP,
		     "an inbound ban never takes the lists' outbound drop away");
}

Test(verdict, a_detected_ban_over_the_table)
{
	__u32 v;

	/* allowed or dropped on the way in already: nothing changes */
	cr_expect_eq(bouclier_ban_merge(BOUCLIER_ALLOW, 12, 0), BOUCLIER_ALLOW);
	cr_expect_eq(bouclier_ban_merge(3 | BOUCLIER_IN, 12, 0), 3 | BOUCLIER_IN);
	/* unlisted: dropped on the way in, counted as the detected set's */
	v = bouclier_ban_merge(0, 12, 0);
	cr_expect_eq(bouclier_verdict(v, BOUCLIER_D_IN), BOUCLIER_V_DROP);
	cr_expect_eq(v & BOUCLIER_SET_MASK, 12);
	cr_expect(v & BOUCLIER_DETECTED);
	/* a would-ban: counted, passed */
	v = bouclier_ban_merge(3 | BOUCLIER_MON_IN, 12, 1);
	cr_expect_eq(bouclier_verdict(v, BOUCLIER_D_IN), BOUCLIER_V_MONITOR);
	cr_expect_eq(v & BOUCLIER_SET_MASK, 12);
}
