// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The benchmark's A/B of the drop path's bookkeeping: bouclier's programs
 * exactly, with the same table, but without the weather's per-drop work
 * (bouclier_count_drop: the slot, its sketches, the sampled sources).  The
 * verdict counters stay. */
#define BOUCLIER_NO_BOOKKEEPING
#include "find.h"
#include "filter.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
