// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The benchmark's baseline: bouclier's parsing and counting around one LPM
 * trie per family.  Only the lookup differs from bouclier.bpf.c. */
#include "lpm.h"

#define bouclier_find4 lpm_find4
#define bouclier_find6 lpm_find6
#include "filter.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
