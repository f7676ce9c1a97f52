/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * bench.h - the contract between the benchmark's BPF programs
 * (bpf/baseline_lpm.bpf.c, bpf/bench_loop.bpf.c, bpf/gen.bpf.c) and
 * tools/bench.c.  Not used by bouclier itself.
 */
#ifndef BOUCLIER_BENCH_H
#define BOUCLIER_BENCH_H

#include <linux/types.h>

#define BENCH_LPM_MAX (5u << 20) /* 4M IPv4 rows, allocated as filled */
#define BENCH_ADDRS (1u << 20) /* addresses a loop program walks */

struct bench_lpm4_key {
	__u32 prefixlen;
	__u32 addr; /* network order */
};
_Static_assert(sizeof(struct bench_lpm4_key) == 8, "lpm4 key");

struct bench_lpm6_key {
	__u32 prefixlen;
	__u64 addr[2]; /* network order */
} __attribute__((packed));
_Static_assert(sizeof(struct bench_lpm6_key) == 20, "lpm6 key");

/* One address of the stream the loop programs and the generator use. */
struct bench_addr {
	__u32 v4;    /* host order */
	__u32 pad;
	__u64 hi, lo; /* host order */
};
_Static_assert(sizeof(struct bench_addr) == 24, "bench addr");

#endif
