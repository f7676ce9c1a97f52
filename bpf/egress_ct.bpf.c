// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The TC egress program that names the inside machine behind NAT.  On the
 * WAN side the router's masquerade has already replaced the source; the
 * connection's conntrack entry still holds it.  For a packet of direction D
 * of its connection, the source before NAT is tuplehash[D].tuple.src, so
 * one rule covers both a machine calling out and a server answering.
 *
 * The skb is reached with the bpf_cast_to_kern_ctx kfunc (Linux 6.3) and
 * conntrack's layout through CO-RE; a kernel without them refuses this
 * object, and the loader falls back to the program in bouclier.bpf.c, which
 * names the machine by its source as it leaves.
 */
#include <bpf/bpf_core_read.h>
#include "find.h"
#include "counters.h"

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

/* The fields read, relocated against the running kernel's BTF. */
struct sk_buff___b {
	unsigned long _nfct;
} __attribute__((preserve_access_index));

union nf_inet_addr___b {
	__u32 all[4];
} __attribute__((preserve_access_index));

struct nf_conntrack_man___b {
	union nf_inet_addr___b u3;
} __attribute__((preserve_access_index));

struct nf_conntrack_tuple___b {
	struct nf_conntrack_man___b src;
} __attribute__((preserve_access_index));

struct nf_conntrack_tuple_hash___b {
	struct nf_conntrack_tuple___b tuple;
} __attribute__((preserve_access_index));

struct nf_conn___b {
	struct nf_conntrack_tuple_hash___b tuplehash[2];
} __attribute__((preserve_access_index));

#define NFCT_INFOMASK 7UL
#define IP_CT_IS_REPLY 3

static __always_inline int bouclier_inside_ct(struct __sk_buff *skb, const struct bouclier_pkt *p,
					      __u64 *hi, __u64 *lo);

#define BOUCLIER_INSIDE(skb, p, hi, lo) bouclier_inside_ct(skb, p, hi, lo)
#include "egress.h"

static __always_inline int bouclier_inside_ct(struct __sk_buff *skb, const struct bouclier_pkt *p,
					      __u64 *hi, __u64 *lo)
{
	struct sk_buff___b *kskb = bpf_cast_to_kern_ctx(skb);
	struct nf_conn___b *ct;
	unsigned long nfct = kskb->_nfct;
	__u32 a[4];
	int dir;

	bouclier_addr(p, 0, hi, lo);
	ct = (void *)(nfct & ~NFCT_INFOMASK);
	if (!ct)
		return 0;
	dir = (nfct & NFCT_INFOMASK) >= IP_CT_IS_REPLY;
	if (bpf_probe_read_kernel(a, sizeof(a), &ct->tuplehash[dir & 1].tuple.src.u3))
		return 0;
	if (p->family == BOUCLIER_F_V4) {
		*lo = 0xffff00000000ULL | bpf_ntohl(a[0]);
	} else {
		*hi = (__u64)bpf_ntohl(a[0]) << 32 | bpf_ntohl(a[1]);
		*lo = (__u64)bpf_ntohl(a[2]) << 32 | bpf_ntohl(a[3]);
	}
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
