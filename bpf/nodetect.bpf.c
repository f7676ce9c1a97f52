// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The benchmark's A/B of detection on the way in: bouclier's programs
 * exactly, with the same table, but without the detected bans' check (the
 * bloom filter's word on every packet the table passes) and without the
 * probes' counting. */
#define BOUCLIER_NO_DETECT
#include "find.h"
#include "filter.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
