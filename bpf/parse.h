/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * parse.h - packet parsing for the XDP programs (kernel side only).
 *
 * bouclier_parse() reads Ethernet, up to two VLAN tags (802.1Q, 802.1ad),
 * a PPPoE session header (ethertype 0x8864, PPP protocol IPv4 or IPv6),
 * then IPv4 (options skipped) or IPv6 (extension headers skipped, bounded)
 * and fills struct bouclier_pkt.  bouclier_parse_ip() does the same for
 * links whose frames start at the IP header (tun, ppp, WireGuard, USB
 * modems): the version nibble says the family.  It returns BOUCLIER_PARSED when the source
 * address is known, otherwise the verdict the frame gets without a lookup:
 * NONIP, MALFORMED (the headers up to the source address are cut short or
 * inconsistent) or CONTROL (IPv6 neighbour discovery).
 *
 * Rule: once the fixed IP header is whole (both addresses readable) the
 * frame is filtered, however broken what follows is, so a listed source
 * cannot slip through by sending truncated options or extension headers.
 * A frame cut inside the fixed header is malformed (the kernel's IP layer
 * drops it too).  An IPv6 extension header that is not whole in the frame
 * ends the walk: class other, no port, not a fragment.
 */
#ifndef BOUCLIER_PARSE_H
#define BOUCLIER_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bouclier.h"

#define BOUCLIER_PARSED 255
#define BOUCLIER_MAX_VLAN 2
#define BOUCLIER_MAX_EXTHDR 6

#ifndef ETH_P_8021AD
#define ETH_P_8021AD 0x88A8
#endif
#ifndef ETH_P_PPP_SES
#define ETH_P_PPP_SES 0x8864
#endif
#define BOUCLIER_PPP_IP 0x0021
#define BOUCLIER_PPP_IPV6 0x0057

struct bouclier_pkt {
	__u32 v4, dst4;          /* source and destination, host order */
	__u64 hi, lo, dhi, dlo;  /* IPv6 source and destination halves, host order */
	__u16 dport;   /* host order; 0 when unknown */
	__u16 sport;   /* likewise */
	__u8 family;   /* enum bouclier_family */
	__u8 proto;    /* enum bouclier_proto */
	__u8 fragment; /* non-first fragment: no L4 header */
	__u8 probe;    /* BOUCLIER_PROBE_*: it opens something (bouclier.h) */
};

struct bouclier_vlan_hdr {
	__be16 tci;
	__be16 encap;
};

/* RFC 2516 session header, then the PPP protocol field. */
struct bouclier_pppoe_hdr {
	__u8 ver_type;
	__u8 code;
	__be16 session;
	__be16 length;
	__be16 ppp_proto;
};

static __always_inline __u8 bouclier_proto_class(__u8 ipproto)
{
	switch (ipproto) {
	case IPPROTO_TCP:
		return BOUCLIER_P_TCP;
	case IPPROTO_UDP:
		return BOUCLIER_P_UDP;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return BOUCLIER_P_ICMP;
	default:
		return BOUCLIER_P_OTHER;
	}
}

/* Whether a UDP payload is the first message of a handshake that guards a
 * password or a key: an IKE initiator's (its responder SPI, bytes 8..15, is
 * still zero; on 4500 after the four-byte non-ESP marker), OpenVPN's hard
 * reset from a client (opcodes 1, 7 and 10 in the top five bits), a SIP
 * REGISTER or INVITE.  Detection counts these as new connections. */
static __always_inline int bouclier_udp_hello(__u8 *pl, void *end, __u16 dport)
{
	__u32 i, skip = dport == 4500 ? 4 : 0;
	__u8 any = 0;

	switch (dport) {
	case 500:
	case 4500:
		/* the 28-byte IKE header after the marker; byte loads: the
		 * payload may sit at any alignment */
		if ((void *)(pl + skip + 28) > end)
			return 0;
#pragma unroll
		for (i = 0; i < 4; i++)
			any |= skip ? pl[i] : 0;
#pragma unroll
		for (i = 8; i < 16; i++)
			any |= pl[skip + i];
		return !any;
	case 1194:
		if ((void *)(pl + 1) > end)
			return 0;
		return (pl[0] >> 3) == 1 || (pl[0] >> 3) == 7 || (pl[0] >> 3) == 10;
	case 5060:
		if ((void *)(pl + 4) > end)
			return 0;
		return (pl[0] == 'R' && pl[1] == 'E' && pl[2] == 'G' && pl[3] == 'I') ||
		       (pl[0] == 'I' && pl[1] == 'N' && pl[2] == 'V' && pl[3] == 'I');
	}
	return 0;
}

/* The ports of TCP or UDP at l4, if the frame holds them, and whether the
 * packet opens something (struct bouclier_pkt.probe). */
static __always_inline void bouclier_l4(void *l4, void *end, __u8 ipproto,
					struct bouclier_pkt *p)
{
	__u8 *b = l4;

	if (ipproto != IPPROTO_TCP && ipproto != IPPROTO_UDP)
		return;
	if (l4 + 4 > end)
		return;
	p->sport = bpf_ntohs(((__be16 *)l4)[0]);
	p->dport = bpf_ntohs(((__be16 *)l4)[1]);
	if (ipproto == IPPROTO_TCP) {
		/* flags at byte 13: SYN 0x02, ACK 0x10 */
		if (l4 + 14 <= end && (b[13] & 0x12) == 0x02)
			p->probe = BOUCLIER_PROBE_SYN;
		return;
	}
	if (p->dport && p->dport < p->sport)
		p->probe = BOUCLIER_PROBE_UDP;
	if (l4 + 8 <= end && bouclier_udp_hello(b + 8, end, p->dport))
		p->probe |= BOUCLIER_PROBE_HELLO;
}

static __always_inline int bouclier_parse4(void *nh, void *end, struct bouclier_pkt *p)
{
	struct iphdr *iph = nh;
	__u32 hlen;

	if ((void *)(iph + 1) > end || iph->version != 4)
		return BOUCLIER_V_MALFORMED;
	p->family = BOUCLIER_F_V4;
	p->v4 = bpf_ntohl(iph->saddr);
	p->dst4 = bpf_ntohl(iph->daddr);
	p->proto = bouclier_proto_class(iph->protocol);
	if (iph->frag_off & bpf_htons(0x1fff)) {
		p->fragment = 1;
		return BOUCLIER_PARSED;
	}
	hlen = iph->ihl * 4;
	if (hlen < sizeof(*iph))
		return BOUCLIER_PARSED;
	bouclier_l4(nh + hlen, end, iph->protocol, p);
	if (iph->protocol == IPPROTO_ICMP && nh + hlen + 1 <= end &&
	    *(__u8 *)(nh + hlen) == 8) /* echo request */
		p->probe = BOUCLIER_PROBE_ECHO;
	return BOUCLIER_PARSED;
}

static __always_inline int bouclier_parse6(void *nh, void *end, struct bouclier_pkt *p)
{
	struct ipv6hdr *ip6 = nh;
	struct ipv6_opt_hdr *opt;
	__u8 next;
	int i;

	if ((void *)(ip6 + 1) > end || ip6->version != 6)
		return BOUCLIER_V_MALFORMED;
	p->family = BOUCLIER_F_V6;
	p->hi = bpf_be64_to_cpu(*(__be64 *)&ip6->saddr.in6_u.u6_addr32[0]);
	p->lo = bpf_be64_to_cpu(*(__be64 *)&ip6->saddr.in6_u.u6_addr32[2]);
	p->dhi = bpf_be64_to_cpu(*(__be64 *)&ip6->daddr.in6_u.u6_addr32[0]);
	p->dlo = bpf_be64_to_cpu(*(__be64 *)&ip6->daddr.in6_u.u6_addr32[2]);
	next = ip6->nexthdr;
	nh = ip6 + 1;

	for (i = 0; i < BOUCLIER_MAX_EXTHDR; i++) {
		opt = nh;
		if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING &&
		    next != IPPROTO_DSTOPTS && next != IPPROTO_FRAGMENT &&
		    next != IPPROTO_AH)
			break;
		if ((void *)(opt + 1) > end) {
			next = IPPROTO_NONE; /* cut short: filtered, class other */
			break;
		}
		if (next == IPPROTO_FRAGMENT) {
			/* 8 bytes, the offset in bits 3..15 of bytes 2..3 */
			if (nh + 8 > end) {
				next = IPPROTO_NONE;
				break;
			}
			if (((__be16 *)nh)[1] & bpf_htons(0xfff8)) {
				p->fragment = 1;
				p->proto = bouclier_proto_class(opt->nexthdr);
				return BOUCLIER_PARSED;
			}
			nh += 8;
		} else if (next == IPPROTO_AH) {
			nh += (opt->hdrlen + 2) * 4;
		} else {
			nh += (opt->hdrlen + 1) * 8;
		}
		if (nh > end) {
			next = IPPROTO_NONE; /* the header's length runs past the frame */
			break;
		}
		next = opt->nexthdr;
	}
	p->proto = bouclier_proto_class(next);
	if (next == IPPROTO_ICMPV6 && nh + 1 <= end) {
		__u8 type = *(__u8 *)nh;

		/* Router/neighbour solicitation and advertisement, redirect.
		 * RFC 4861 has receivers discard them unless the hop limit is
		 * 255, so only on-link peers can send one that counts. */
		if (type >= 133 && type <= 137 && ip6->hop_limit == 255)
			return BOUCLIER_V_CONTROL;
		if (type == 128) /* echo request */
			p->probe = BOUCLIER_PROBE_ECHO;
	}
	bouclier_l4(nh, end, next, p);
	return BOUCLIER_PARSED;
}

static __always_inline int bouclier_parse(void *data, void *end, struct bouclier_pkt *p)
{
	struct ethhdr *eth = data;
	struct bouclier_vlan_hdr *vh;
	void *nh = eth + 1;
	__u16 proto;
	int i;

	if (nh > end)
		return BOUCLIER_V_MALFORMED;
	proto = eth->h_proto;
#pragma unroll
	for (i = 0; i < BOUCLIER_MAX_VLAN; i++) {
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		vh = nh;
		if ((void *)(vh + 1) > end)
			return BOUCLIER_V_MALFORMED;
		proto = vh->encap;
		nh = vh + 1;
	}
	if (proto == bpf_htons(ETH_P_PPP_SES)) {
		struct bouclier_pppoe_hdr *ph = nh;

		if ((void *)(ph + 1) > end)
			return BOUCLIER_V_MALFORMED;
		nh = ph + 1;
		if (ph->ppp_proto == bpf_htons(BOUCLIER_PPP_IP))
			proto = bpf_htons(ETH_P_IP);
		else if (ph->ppp_proto == bpf_htons(BOUCLIER_PPP_IPV6))
			proto = bpf_htons(ETH_P_IPV6);
		else
			return BOUCLIER_V_NONIP; /* LCP, IPCP, ... */
	}
	if (proto == bpf_htons(ETH_P_IP))
		return bouclier_parse4(nh, end, p);
	if (proto == bpf_htons(ETH_P_IPV6))
		return bouclier_parse6(nh, end, p);
	return BOUCLIER_V_NONIP;
}

/* Frames that start at the IP header. */
static __always_inline int bouclier_parse_ip(void *data, void *end, struct bouclier_pkt *p)
{
	__u8 *v = data;

	if ((void *)(v + 1) > end)
		return BOUCLIER_V_MALFORMED;
	if ((*v >> 4) == 4)
		return bouclier_parse4(data, end, p);
	if ((*v >> 4) == 6)
		return bouclier_parse6(data, end, p);
	return BOUCLIER_V_NONIP;
}

#endif /* BOUCLIER_PARSE_H */
