/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * egress.h - the TC egress program body: parse, look up the destination,
 * count, decide, and on a drop record which inside machine tried.  Drops on
 * the way out are destinations listed by a feed whose direction is out or
 * both (BOUCLIER_OUT in the looked-up value): a machine of the town calling
 * a botnet's command server.  Same parsing rules as on the way in.
 *
 * The including .bpf.c defines, before including, bouclier_find4/6 (as for
 * filter.h) and may define
 *   BOUCLIER_INSIDE(skb, p, hi, lo)
 * which sets the inside machine's address (before NAT) and is 1 when that is
 * not the packet's own source (the machine is behind NAT); the default is
 * the packet's own source.
 */
#ifndef BOUCLIER_EGRESS_H
#define BOUCLIER_EGRESS_H

#include <linux/pkt_cls.h>
#include "detect.h"

#define BOUCLIER_LINEAR 128 /* bytes of headers the parser may want */

#ifndef BOUCLIER_INSIDE
#define BOUCLIER_INSIDE(skb, p, hi, lo) (bouclier_addr(p, 0, hi, lo), 0)
#endif

/* An outbound drop: the weather's slot, and the inside machine's record. */
static __always_inline void bouclier_count_out(struct __sk_buff *skb, const struct bouclier_pkt *p,
					       __u32 set)
{
	struct bouclier_out_key k = {};
	struct bouclier_out_val *v, nv = {};
	struct bouclier_stats *st;
	__u32 key = BOUCLIER_D_OUT;
	int natted;

	st = bpf_map_lookup_elem(&BOUCLIER_MAP_STATS, &key);
	if (!st)
		return;
	natted = BOUCLIER_INSIDE(skb, p, &k.in_hi, &k.in_lo);
	bouclier_addr(p, 1, &k.dst_hi, &k.dst_lo);
	k.slot = (__u32)st->slot_now;
	v = bpf_map_lookup_elem(&BOUCLIER_MAP_OUTBOUND, &k);
	if (!v) {
		nv.set = set;
		nv.natted = natted;
		/* another CPU may insert it first: then its entry is counted on */
		bpf_map_update_elem(&BOUCLIER_MAP_OUTBOUND, &k, &nv, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&BOUCLIER_MAP_OUTBOUND, &k);
	}
	if (v) {
		__sync_fetch_and_add(&v->attempts, 1);
		__sync_fetch_and_add(&v->bytes, skb->len);
		v->dport = p->dport;
		v->proto = p->proto;
	}
}

static __always_inline int bouclier_egress(struct __sk_buff *skb, int raw_ip)
{
	struct bouclier_pkt p = {};
	void *data, *end;
	__u32 val = 0;
	int verdict;

	/* locally built packets keep their headers linear; make sure */
	if ((__u32)(skb->data_end - skb->data) < BOUCLIER_LINEAR &&
	    skb->len > (__u32)(skb->data_end - skb->data))
		bpf_skb_pull_data(skb, skb->len < BOUCLIER_LINEAR ? skb->len : BOUCLIER_LINEAR);
	data = (void *)(long)skb->data;
	end = (void *)(long)skb->data_end;
	verdict = raw_ip ? bouclier_parse_ip(data, end, &p) : bouclier_parse(data, end, &p);
	if (verdict == BOUCLIER_PARSED) {
		__u64 hi, lo;

		val = p.family == BOUCLIER_F_V4 ? bouclier_find4(p.dst4)
						: bouclier_find6(p.dhi, p.dlo);
		bouclier_addr(&p, 1, &hi, &lo);
		val = bouclier_timed_apply(hi, lo, val);
		verdict = bouclier_verdict(val, BOUCLIER_D_OUT);
		/* what the town opens something with is a peer (detect.h) */
		if (verdict != BOUCLIER_V_DROP)
			bouclier_learn(&p);
	}
	if (bouclier_count(&p, BOUCLIER_D_OUT, verdict, skb->len, val))
		bouclier_count_out(skb, &p, val & BOUCLIER_SET_MASK);
	/* TC_ACT_UNSPEC: on to the next program (TCX_NEXT), or tc's default */
	return verdict == BOUCLIER_V_DROP ? TC_ACT_SHOT : TC_ACT_UNSPEC;
}

/* Ethernet links. */
SEC("tc")
int BOUCLIER_TC_NAME(struct __sk_buff *skb)
{
	return bouclier_egress(skb, 0);
}

/* Links whose packets start at the IP header. */
SEC("tc")
int BOUCLIER_TC_IP_NAME(struct __sk_buff *skb)
{
	return bouclier_egress(skb, 1);
}

#endif /* BOUCLIER_EGRESS_H */
