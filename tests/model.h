/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * model.h - a reference model of the data path, for the differential test
 * (tests/system/test_diff.c): what the programs must do with a frame and
 * which counters must move, written from the documents (DESIGN.md,
 * docs/design.md's "What the filter does with a frame" and "The table", the
 * comments of maps/bouclier.h) and nothing else.
 *
 * Contract: the model shares no parsing or lookup code with bpf/,
 * maps/lookup.h or maps/table_*.c; if it did, a bug would be in both and the
 * test would prove nothing.  It takes bouclier.h for the layouts and the
 * enum values, and struct cidr (cidr.h) as the shape of the lists, calling
 * no function of either.  Parsing reads the frame's bytes, never a
 * description of how they were made.  The lookup is brute force: every
 * prefix of every list against the address.
 */
#ifndef BOUCLIER_TEST_MODEL_H
#define BOUCLIER_TEST_MODEL_H

#include <stddef.h>
#include <linux/types.h>
#include "bouclier.h"
#include "cidr.h"

enum model_link {
	MODEL_ETH, /* bouclier_xdp, bouclier_tc: frames start at Ethernet */
	MODEL_RAW, /* bouclier_xdp_ip, bouclier_tc_ip: frames start at the IP header */
};

struct model_feed {
	int index;    /* bit in the feed masks */
	__u32 flags;  /* BOUCLIER_FEED_IN, BOUCLIER_FEED_OUT, BOUCLIER_FEED_MONITOR */
	const struct cidr *v;
	size_t n;
};

struct model_lists {
	const struct model_feed *feeds;
	int nfeeds;
	const struct cidr *allow;
	size_t nallow;
};

/* What the model read in a frame. */
struct model_frame {
	int verdict;      /* BOUCLIER_V_NONIP, _MALFORMED or _CONTROL; or -1 when
			   * the source was read and a lookup decides (on the
			   * way out, if the destination was read too) */
	__u8 family;      /* enum bouclier_family, when read */
	__u8 pclass;      /* enum bouclier_proto */
	__u8 fragment;    /* a non-first fragment */
	__u16 dport;      /* TCP/UDP destination port; 0 when not read */
	__u8 have_dst;    /* the destination address is in the frame too */
	__u8 src[16], dst[16]; /* network order; IPv4 in the first 4 bytes */
};

/* What the lists say of one address. */
struct model_addr {
	int allowed;      /* an allowlist prefix covers it: always wins */
	__u32 feeds;      /* mask of the feeds with a prefix covering it */
	int drop_in;      /* one of those feeds drops on the way in */
	int drop_out;     /* ... on the way out */
	int mon_in;       /* one of them, in monitor mode, would drop on the way in */
	int mon_out;      /* ... on the way out */
	__u32 monitor;    /* mask of those feeds in monitor mode */
};

struct model_result {
	struct model_frame fr;
	struct model_addr a; /* of the looked-up address (source in, destination out) */
	const __u8 *addr;    /* that address, in fr */
	int verdict;         /* enum bouclier_verdict */
	int action;          /* XDP_DROP/XDP_PASS, or TC_ACT_SHOT/TC_ACT_UNSPEC */
};

void model_parse(const __u8 *f, size_t len, enum model_link link, struct model_frame *m);
void model_lookup(const struct model_lists *l, int family, const __u8 *addr,
		  struct model_addr *a);
/* The whole decision, for a frame run through the program of direction dir
 * (BOUCLIER_D_IN: XDP, BOUCLIER_D_OUT: TC egress). */
void model_run(const struct model_lists *l, const __u8 *f, size_t len, enum model_link link,
	       int dir, struct model_result *r);

/* The counters of bouclier_stats the frame moves in its direction (the u64
 * counters only; the other direction moves none).  len is the frame's
 * length: XDP counts it, TC counts skb->len, the same for a test run. */
void model_count(const struct model_result *r, __u64 len, struct bouclier_stats *delta);

/* The service class of a destination port (bouclier.h's list), for the
 * weather's slot; BOUCLIER_PORT_OTHER for any other port. */
int model_service(__u16 port);

#endif
