/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * frames.h - test frames built header by header, for the XDP tests
 * (tests/system/test_xdp.c), the differential test (test_diff.c) and the
 * benchmark (tools/bench.c), as the kernel selftests build theirs once
 * (network_helpers.h).  Each frame_*() writes one header where the frame
 * built so far ends and moves past it.
 *
 * A header function writes the fields that steer a parser (types,
 * versions, header lengths, addresses, ports) and the ones its arguments
 * name; every other byte is left as the buffer held it: zeros for a fixed
 * frame, random bytes for the differential test, which fills each header
 * before it is written.  Lengths that depend on what follows (IP total or
 * payload length, PPPoE length, UDP length) are written by frame_end(),
 * or one by one.  Nothing checks the buffer's size: callers give one that
 * holds what they build (FRAME_MAX holds any).
 */
#ifndef BOUCLIER_TEST_FRAMES_H
#define BOUCLIER_TEST_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define FRAME_MAX 2048 /* seven IPv6 extension headers of up to 256 bytes, and more */

struct frame {
	__u8 *buf;
	size_t len;        /* bytes built */
	size_t ip;         /* where the IP header starts, once ip_version is set */
	int ip_version;    /* 4 or 6 after frame_ipv4() or frame_ipv6(); else 0 */
	size_t pppoe_len;  /* where the PPPoE header's length is; 0: no PPPoE */
	size_t udp;        /* the UDP header whose length frame_end() writes; 0: none */
};

/* An empty frame in buf, whose bytes are left as they are. */
void frame_start(struct frame *f, __u8 *buf);

/* Destination and source MAC (NULL: left as they are): 12 bytes; the
 * EtherType is frame_vlan()'s, frame_ethertype()'s or frame_pppoe()'s. */
void frame_eth(struct frame *f, const __u8 *dst, const __u8 *src);
/* A VLAN tag: its TPID (0x8100, 0x88a8) and TCI. */
void frame_vlan(struct frame *f, __u16 tpid, __u16 tci);
void frame_ethertype(struct frame *f, __u16 type);
/* EtherType 0x8864 and a PPPoE session header (version 1, type 1, code 0)
 * carrying PPP protocol ppp (0x21 IPv4, 0x57 IPv6, 0xc021 LCP). */
void frame_pppoe(struct frame *f, __u16 session, __u16 ppp);

struct frame_ip4 {
	const __u8 *src, *dst; /* 4 bytes each */
	__u8 version;          /* as written: 4, or another to make a bad frame */
	__u8 ihl;              /* header words as written; the header takes ihl * 4
				* bytes when ihl > 5, else 20 */
	__u8 proto;
	__u8 ttl;              /* 0: left as it is */
	__u16 frag;            /* flags and fragment offset */
	bool nop_options;      /* options (ihl > 5) all NOPs; else left as they are */
};
void frame_ipv4(struct frame *f, const struct frame_ip4 *h);

struct frame_ip6 {
	const __u8 *src, *dst; /* 16 bytes each */
	__u8 version;          /* 6, or another; the low nibble of byte 0 is left */
	__u8 next;             /* the first extension header's number, or the L4's */
	__u8 hop;              /* hop limit */
};
void frame_ipv6(struct frame *f, const struct frame_ip6 *h);

/* An IPv6 extension header of kind (0 hop-by-hop, 43 routing, 44 fragment,
 * 51 AH, 60 destination options) followed by next: the fragment header
 * takes frag (offset, flags) and 8 bytes; the others take len, their
 * length field, and (len + 1) * 8 bytes, AH (len + 2) * 4. */
void frame_ext6(struct frame *f, __u8 kind, __u8 next, __u8 len, __u16 frag);
size_t frame_ext6_size(__u8 kind, __u8 len);

struct frame_l4 {
	__u8 proto;    /* the layout: TCP (6), UDP (17), ICMP (1, 58), or another */
	__u16 size;    /* bytes of the header; 0: TCP 20, UDP and ICMP 8, others 0 */
	__u16 sport;   /* TCP, UDP: 0 leaves it as it is */
	__u16 dport;   /* TCP, UDP: always written */
	__u8 tcp_doff; /* TCP data offset in words; 0 leaves it as it is */
	__u8 tcp_flags; /* TCP: 0 leaves them as they are (0x02 SYN, 0x10 ACK) */
	bool udp_len;  /* UDP: frame_end() writes its length */
	__u8 icmp_type; /* ICMP, ICMPv6: always written */
};
void frame_l4(struct frame *f, const struct frame_l4 *h);

/* n bytes, left as they are. */
void frame_payload(struct frame *f, size_t n);

/* The IP header's total (IPv4) or payload (IPv6) length, the PPPoE
 * length, the UDP length, each from what is built; frame_end() writes all
 * those the frame has and returns its length. */
void frame_ip_len(struct frame *f);
void frame_pppoe_len(struct frame *f);
size_t frame_end(struct frame *f);

#endif
