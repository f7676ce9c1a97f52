// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * harness.bpf.c - the program under test, run on a stream of sources in the
 * kernel: each run of BPF_PROG_TEST_RUN (repeat N) writes the next source
 * into the frame, and optionally the next destination port, then
 * tail-calls the program in slot 0 of harness_progs.  So the whole program
 * (parsing, lookup, detection, counting) meets distinct sources as a link
 * would, where the kernel refuses live frames.  The benchmark (tools/bench.c)
 * and the detection flood test use it; bouclier itself never does.
 *
 * Sources come from harness_addrs (harness_count of them from harness_first,
 * in turn) or, when harness_count is 0, are made from the run's number:
 * IPv4 base + n, IPv6 base with n in bits 32..63 (a /64 of its own each).
 * harness_ports > 1
 * keeps each source for that many runs, its destination port counting up
 * from harness_port0.  (The frame is the same buffer from run to run: what
 * a run writes, the next one finds.)
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} harness_progs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * BENCH_ADDRS); /* the benchmark's listed, then unlisted */
	__type(key, __u32);
	__type(value, struct bench_addr);
} harness_addrs SEC(".maps");

__u32 harness_count;  /* sources in harness_addrs; 0: made from the run's number */
__u32 harness_first;  /* the first of them */
__u32 harness_next;   /* the next run's number */
__u32 harness_ports;  /* runs a source lasts, its port counting up; 0 or 1: one */
__u32 harness_src;    /* the source address's offset in the frame */
__u32 harness_dport;  /* the destination port's offset; 0: not written */
__u32 harness_port0;  /* the first destination port of a source */
__u32 harness_v6;     /* the frame is IPv6 */
__u32 harness_base4;  /* host order */
__u64 harness_base6;  /* the high half, host order */

SEC("xdp")
int harness(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u32 n = harness_next++, src = n, k, off = harness_src & 0x7f;
	struct bench_addr gen = {}, *a = &gen;
	__u8 *p = data + off;

	if (harness_ports > 1)
		src = n / harness_ports;
	if (harness_count) {
		k = harness_first + src % harness_count;
		a = bpf_map_lookup_elem(&harness_addrs, &k);
		if (!a)
			return XDP_ABORTED;
	} else {
		gen.v4 = harness_base4 + src;
		gen.hi = harness_base6 | src;
		gen.lo = 1;
	}
	if ((void *)(p + 16) > end)
		return XDP_ABORTED;
	if (!harness_v6) {
		*(__u32 *)p = bpf_htonl(a->v4);
	} else {
		*(__u64 *)p = bpf_cpu_to_be64(a->hi);
		*(__u64 *)(p + 8) = bpf_cpu_to_be64(a->lo);
	}
	if (harness_ports > 1 && harness_dport) {
		__u8 *d = data + (harness_dport & 0xff);
		__u16 port = harness_port0 + n % harness_ports;

		if ((void *)(d + 2) > end)
			return XDP_ABORTED;
		d[0] = port >> 8;
		d[1] = port;
	}
	bpf_tail_call(ctx, &harness_progs, 0);
	return XDP_ABORTED; /* nothing in the slot */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
