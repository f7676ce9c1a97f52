// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * model.c - the reference model of the data path (model.h says what it is
 * for and what it may share).  Each rule below cites where it is written;
 * the code reads the frame as an array of bytes with explicit offsets, on
 * purpose unlike the programs' pointer walk, and looks addresses up by brute
 * force over the lists as given, on purpose unlike the compiled table.
 */
#include <string.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include "model.h"

/* Numbers from the documents (docs/design.md "What the filter does with a frame",
 * DESIGN "Data flow") and the standards they name. */
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_8021Q 0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_PPPOE_SESSION 0x8864
#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057
#define ETH_HEADER 14
#define VLAN_TAG 4
#define VLAN_TAGS_SKIPPED 2
#define PPPOE_HEADER 6
#define PPP_PROTOCOL 2
#define IPV6_HEADER 40 /* where the extension headers start */
#define IPV6_EXT_SKIPPED 6

enum {
	IP_HOPOPTS = 0,
	IP_ICMP = 1,
	IP_TCP = 6,
	IP_UDP = 17,
	IP_ROUTING = 43,
	IP_FRAGMENT = 44,
	IP_AH = 51,
	IP_ICMPV6 = 58,
	IP_DSTOPTS = 60,
};

static unsigned int be16(const __u8 *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

/* Protocol classes: ICMP counts ICMP and ICMPv6 (bouclier.h). */
static __u8 proto_class(unsigned int proto)
{
	switch (proto) {
	case IP_TCP:
		return BOUCLIER_P_TCP;
	case IP_UDP:
		return BOUCLIER_P_UDP;
	case IP_ICMP:
	case IP_ICMPV6:
		return BOUCLIER_P_ICMP;
	default:
		return BOUCLIER_P_OTHER;
	}
}

/* The destination port: TCP and UDP only, and only when the four bytes of
 * ports are in the frame. */
static __u16 read_dport(const __u8 *f, size_t len, size_t l4, unsigned int proto)
{
	if (proto != IP_TCP && proto != IP_UDP)
		return 0;
	if (l4 + 4 > len)
		return 0;
	return be16(f + l4 + 2);
}

/* docs/design.md, "What passes without a lookup": a frame whose fixed IP
 * header (up to and including the destination address) is cut short passes
 * (malformed); once it is whole the frame is filtered however broken the
 * rest is.  A header of another version is inconsistent: malformed. */
static int addresses(const __u8 *f, size_t len, size_t ip, unsigned int version, int src,
		     int dst, int bytes, struct model_frame *m)
{
	if (len < ip + dst + bytes || f[ip] >> 4 != version) {
		m->verdict = BOUCLIER_V_MALFORMED;
		return 0;
	}
	m->verdict = -1;
	memcpy(m->src, f + ip + src, bytes);
	memcpy(m->dst, f + ip + dst, bytes);
	m->have_dst = 1;
	return 1;
}

/* IPv4 at offset ip.  A non-first fragment has no L4 header; an ihl below 5
 * says nothing about where it is. */
static void parse_ipv4(const __u8 *f, size_t len, size_t ip, struct model_frame *m)
{
	unsigned int ihl, offset;

	if (!addresses(f, len, ip, 4, 12, 16, 4, m))
		return;
	m->family = BOUCLIER_F_V4;
	m->pclass = proto_class(f[ip + 9]);
	offset = be16(f + ip + 6) & 0x1fff; /* below the three flag bits */
	if (offset) {
		m->fragment = 1;
		return;
	}
	ihl = f[ip] & 0x0f;
	if (ihl < 5)
		return;
	m->dport = read_dport(f, len, ip + ihl * 4, f[ip + 9]);
}

static int ipv6_extension(unsigned int next)
{
	return next == IP_HOPOPTS || next == IP_ROUTING || next == IP_DSTOPTS ||
	       next == IP_FRAGMENT || next == IP_AH;
}

/* IPv6 at offset ip.  Hop-by-hop, routing, destination options, fragment
 * and AH are skipped, at most six (docs/design.md); their lengths are RFC 8200's
 * and RFC 4302's.  An extension header that is not whole in the frame ends
 * the walk with class "other" (bpf/parse.h's own words: "cut short:
 * filtered, class other"); the frame is still filtered by its source.  A
 * non-first fragment ends it too, its class that of the fragment header's
 * next header, and counts in "fragments" (bouclier.h).  Neighbour discovery
 * (ICMPv6 133..137) with hop limit 255 is "control" (docs/design.md), which needs
 * the ICMPv6 type byte in the frame. */
static void parse_ipv6(const __u8 *f, size_t len, size_t ip, struct model_frame *m)
{
	unsigned int next, hop_limit, type;
	size_t at, size;
	int skipped;

	if (!addresses(f, len, ip, 6, 8, 24, 16, m))
		return;
	m->family = BOUCLIER_F_V6;
	hop_limit = f[ip + 7];
	next = f[ip + 6];
	at = ip + IPV6_HEADER;
	for (skipped = 0; skipped < IPV6_EXT_SKIPPED && ipv6_extension(next); skipped++) {
		if (next == IP_FRAGMENT)
			size = 8;
		else if (at + 2 > len)
			size = 0; /* not even its length is there */
		else if (next == IP_AH)
			size = ((size_t)f[at + 1] + 2) * 4;
		else
			size = ((size_t)f[at + 1] + 1) * 8;
		if (!size || at + size > len) {
			m->pclass = BOUCLIER_P_OTHER;
			return;
		}
		if (next == IP_FRAGMENT && (be16(f + at + 2) & 0xfff8)) {
			m->fragment = 1;
			m->pclass = proto_class(f[at]);
			return;
		}
		next = f[at];
		at += size;
	}
	m->pclass = proto_class(next);
	if (next == IP_ICMPV6 && at + 1 <= len) {
		type = f[at];
		if (type >= 133 && type <= 137 && hop_limit == 255) {
			m->verdict = BOUCLIER_V_CONTROL;
			return;
		}
	}
	m->dport = read_dport(f, len, at, next);
}

/* Ethernet: up to two VLAN tags (802.1Q, 802.1ad) skipped, a third is not
 * parsed (nonip); a PPPoE session header carries IPv4 or IPv6 by its PPP
 * protocol, anything else (LCP, IPCP) is nonip; ARP, PPPoE discovery and
 * every other ethertype are nonip; a header cut short is malformed.
 * Raw IP links: the version nibble says the family. */
void model_parse(const __u8 *f, size_t len, enum model_link link, struct model_frame *m)
{
	unsigned int type;
	size_t at;
	int tags;

	memset(m, 0, sizeof(*m));
	m->verdict = BOUCLIER_V_MALFORMED;
	if (link == MODEL_RAW) {
		if (len < 1)
			return; /* not even the version */
		if (f[0] >> 4 == 4)
			parse_ipv4(f, len, 0, m);
		else if (f[0] >> 4 == 6)
			parse_ipv6(f, len, 0, m);
		else
			m->verdict = BOUCLIER_V_NONIP;
		return;
	}
	if (len < ETH_HEADER)
		return;
	type = be16(f + 12);
	at = ETH_HEADER;
	for (tags = 0; tags < VLAN_TAGS_SKIPPED; tags++) {
		if (type != ETHERTYPE_8021Q && type != ETHERTYPE_8021AD)
			break;
		if (at + VLAN_TAG > len)
			return;
		type = be16(f + at + 2);
		at += VLAN_TAG;
	}
	if (type == ETHERTYPE_PPPOE_SESSION) {
		if (at + PPPOE_HEADER + PPP_PROTOCOL > len)
			return;
		switch (be16(f + at + PPPOE_HEADER)) {
		case PPP_IPV4:
			type = ETHERTYPE_IPV4;
			break;
		case PPP_IPV6:
			type = ETHERTYPE_IPV6;
			break;
		default:
			m->verdict = BOUCLIER_V_NONIP;
			return;
		}
		at += PPPOE_HEADER + PPP_PROTOCOL;
	}
	if (type == ETHERTYPE_IPV4)
		parse_ipv4(f, len, at, m);
	else if (type == ETHERTYPE_IPV6)
		parse_ipv6(f, len, at, m);
	else
		m->verdict = BOUCLIER_V_NONIP; /* a third VLAN tag lands here too */
}

/* Whether prefix p covers the address a of family fam (4 or 6), bit by
 * bit. */
static int covers(const struct cidr *p, int fam, const __u8 *a)
{
	int bit;

	if (p->family != fam)
		return 0;
	for (bit = 0; bit < p->plen; bit++) {
		int mask = 0x80 >> (bit % 8);

		if ((p->addr[bit / 8] & mask) != (a[bit / 8] & mask))
			return 0;
	}
	return 1;
}

/* docs/design.md "The table": an address carries "allowed" or the set of
 * feeds of every prefix covering it; the allowlist always wins, both ways.
 * bouclier.h: it drops on the way in when one of those feeds drops on the
 * way in (direction in or both), on the way out likewise. */
void model_lookup(const struct model_lists *l, int family, const __u8 *addr,
		  struct model_addr *a)
{
	int fam = family == BOUCLIER_F_V4 ? 4 : 6, i;
	size_t k;

	memset(a, 0, sizeof(*a));
	for (k = 0; k < l->nallow; k++)
		if (covers(&l->allow[k], fam, addr))
			a->allowed = 1;
	for (i = 0; i < l->nfeeds; i++)
		for (k = 0; k < l->feeds[i].n; k++)
			if (covers(&l->feeds[i].v[k], fam, addr)) {
				/* docs/design.md, "The decision on the way in": a monitored feed's address
				 * passes, counted, unless an enforcing feed drops it */
				int mon = !!(l->feeds[i].flags & BOUCLIER_FEED_MONITOR);
				int in = !!(l->feeds[i].flags & BOUCLIER_FEED_IN);
				int out = !!(l->feeds[i].flags & BOUCLIER_FEED_OUT);

				a->feeds |= 1u << l->feeds[i].index;
				*(mon ? &a->mon_in : &a->drop_in) |= in;
				*(mon ? &a->mon_out : &a->drop_out) |= out;
				if (mon)
					a->monitor |= 1u << l->feeds[i].index;
				break;
			}
}

void model_run(const struct model_lists *l, const __u8 *f, size_t len, enum model_link link,
	       int dir, struct model_result *r)
{
	memset(r, 0, sizeof(*r));
	model_parse(f, len, link, &r->fr);
	if (r->fr.verdict < 0 && dir == BOUCLIER_D_OUT && !r->fr.have_dst)
		r->fr.verdict = BOUCLIER_V_MALFORMED; /* cut short before the destination */
	r->verdict = r->fr.verdict;
	if (r->verdict < 0) {
		/* the source on the way in, the destination on the way out */
		r->addr = dir == BOUCLIER_D_IN ? r->fr.src : r->fr.dst;
		model_lookup(l, r->fr.family, r->addr, &r->a);
		if (r->a.allowed)
			r->verdict = BOUCLIER_V_ALLOW;
		else if (dir == BOUCLIER_D_IN ? r->a.drop_in : r->a.drop_out)
			r->verdict = BOUCLIER_V_DROP;
		else if (dir == BOUCLIER_D_IN ? r->a.mon_in : r->a.mon_out)
			r->verdict = BOUCLIER_V_MONITOR;
		else
			r->verdict = BOUCLIER_V_PASS;
	}
	if (dir == BOUCLIER_D_IN)
		r->action = r->verdict == BOUCLIER_V_DROP ? XDP_DROP : XDP_PASS;
	else
		r->action = r->verdict == BOUCLIER_V_DROP ? TC_ACT_SHOT : TC_ACT_UNSPEC;
}

/* bouclier.h, struct bouclier_stats: packets and bytes by verdict; by
 * protocol and family for the IP verdicts only ([0] passed or allowed, [1]
 * dropped); non-first fragments among those. */
void model_count(const struct model_result *r, __u64 len, struct bouclier_stats *delta)
{
	int d;

	memset(delta, 0, sizeof(*delta));
	delta->pkts[r->verdict] = 1;
	delta->bytes[r->verdict] = len;
	if (r->verdict != BOUCLIER_V_PASS && r->verdict != BOUCLIER_V_DROP &&
	    r->verdict != BOUCLIER_V_ALLOW && r->verdict != BOUCLIER_V_MONITOR)
		return;
	d = r->verdict == BOUCLIER_V_DROP;
	delta->proto_pkts[d][r->fr.pclass] = 1;
	delta->proto_bytes[d][r->fr.pclass] = len;
	delta->family_pkts[d][r->fr.family] = 1;
	delta->fragments = r->fr.fragment;
}

int model_service(__u16 port)
{
	static const __u16 ports[] = {
#define BOUCLIER_X(e, name, number) [BOUCLIER_PORT_##e] = number,
		BOUCLIER_SERVICES(BOUCLIER_X)
#undef BOUCLIER_X
	};
	int s;

	for (s = 1; s < BOUCLIER_PORTS; s++)
		if (ports[s] == port)
			return s;
	return BOUCLIER_PORT_OTHER;
}
