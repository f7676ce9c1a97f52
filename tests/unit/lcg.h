/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The unit tests' random numbers: a linear congruential generator, the
 * same sequence on every machine for a seed, so a failure replays. */
#ifndef BOUCLIER_TEST_LCG_H
#define BOUCLIER_TEST_LCG_H

static inline unsigned int lcg(unsigned int *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

#endif
