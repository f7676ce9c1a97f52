/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * filter.h - the XDP program body: parse, look up the source (the table,
 * then the timed bans and allows, then the bans detection made), count the
 * probe for detection, decide (maps/verdict.h), count.  Drops on the way in are
 * sources listed by a feed whose direction is in or both (BOUCLIER_IN in the
 * looked-up value); sources only feeds in monitor mode list pass, counted.
 *
 * The including .bpf.c defines how a source is looked up, before including:
 *   static __u32 bouclier_find4(__u32 addr);
 *   static __u32 bouclier_find6(__u64 hi, __u64 lo);
 * each returning a lookup value (bouclier.h).  bouclier.bpf.c uses the
 * compiled table; the benchmark's baseline uses LPM tries; both share every
 * other instruction, so the benchmark compares lookups and nothing else.
 */
#ifndef BOUCLIER_FILTER_H
#define BOUCLIER_FILTER_H

#include "detect.h"

static __always_inline int bouclier_filter(struct xdp_md *ctx, int raw_ip)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct bouclier_pkt p = {};
	__u32 len = end - data, val = 0;
	int verdict;

	verdict = raw_ip ? bouclier_parse_ip(data, end, &p) : bouclier_parse(data, end, &p);
	if (verdict == BOUCLIER_PARSED) {
		__u64 hi, lo;

		val = p.family == BOUCLIER_F_V4 ? bouclier_find4(p.v4)
						: bouclier_find6(p.hi, p.lo);
		bouclier_addr(&p, 0, &hi, &lo);
		val = bouclier_timed_apply(hi, lo, val);
#ifndef BOUCLIER_NO_DETECT /* the benchmark's A/B (nodetect.bpf.c) */
		/* the kernel's own bans, then the probe counted (detect.h) */
		val = bouclier_ban_check(&p, val);
		if (p.probe && !(val & (BOUCLIER_IN | BOUCLIER_DETECTED)))
			val = bouclier_behave(&p, val);
#endif
		verdict = bouclier_verdict(val, BOUCLIER_D_IN);
	}
	bouclier_count(&p, BOUCLIER_D_IN, verdict, len, val);
	return verdict == BOUCLIER_V_DROP ? XDP_DROP : XDP_PASS;
}

/* Ethernet links (and VLANs, PPPoE sessions on them). */
SEC("xdp")
int BOUCLIER_PROG_NAME(struct xdp_md *ctx)
{
	return bouclier_filter(ctx, 0);
}

/* Links whose frames start at the IP header: tun, ppp, WireGuard. */
SEC("xdp")
int BOUCLIER_PROG_IP_NAME(struct xdp_md *ctx)
{
	return bouclier_filter(ctx, 1);
}

#endif /* BOUCLIER_FILTER_H */
