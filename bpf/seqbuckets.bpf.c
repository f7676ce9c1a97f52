// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The benchmark's A/B of reading both cuckoo buckets at once: bouclier's
 * programs exactly, with the same table, but reading a key's second bucket
 * only when its first does not hold it, as they did before (maps/lookup.h,
 * BOUCLIER_SEQUENTIAL_BUCKETS). */
#define BOUCLIER_SEQUENTIAL_BUCKETS
#include "find.h"
#include "filter.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
