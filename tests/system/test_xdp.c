// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The XDP program itself, through BPF_PROG_TEST_RUN: a table of crafted
 * frames, each with the verdict and the counters it must move.  The table is
 * compiled and swapped in by the loader's own code (publish()), on maps
 * that are not pinned.  Needs root; skips otherwise.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "bouclier.skel.h"
#include "frames.h"
#include "names.h"
#include "publish.h"
#include "stats.h"

#define HBH 0xfe
#define F_SCAN 0 /* feed indexes */
#define F_BOTNET 1

enum { ETH_ONLY, V4, V6, ARP };

struct frame_case {
	char what[64];
	int l3;             /* V4, V6, ARP, ETH_ONLY */
	char src[40];
	__u16 tags[3];      /* VLAN TPIDs, outermost first; 0 ends */
	__u8 proto;         /* IPPROTO_* of the L4 header */
	__u8 ihl;           /* IPv4 header words; 0 = 5 */
	__u8 frag;          /* 1: first fragment (MF), 2: non-first fragment */
	__u8 ext[3];        /* IPv6 extension headers, in order; 0 ends, HBH is
			     * hop-by-hop (whose protocol number is 0) */
	__u8 icmp_type;
	__u8 hop_limit;     /* 0 = 64 */
	__u8 bad_version;
	__u16 pppoe;        /* PPP protocol in a PPPoE session frame; 0: no PPPoE */
	__u8 raw;           /* the frame starts at the IP header (bouclier_xdp_ip) */
	int cut;            /* >0: frame cut to this many bytes */
	int xdp;            /* expected XDP_DROP / XDP_PASS */
	int verdict;        /* expected counter */
	int pclass;         /* expected protocol class, -1 = none counted */
	__u32 feeds;        /* feeds whose drop counters must move */
	char dst[40];       /* "" = the town's address */
};

struct fixture {
	struct bouclier *skel;
	struct live l;
};
static struct fixture fx;

/* The protocol number of an extension header of ext[] (HBH stands for 0,
 * which ends the list). */
static __u8 ext_number(__u8 e)
{
	return e == HBH ? IPPROTO_HOPOPTS : e;
}

static int build(const struct frame_case *c, __u8 *buf)
{
	static const __u8 dmac[6] = { 2, 0, 0, 0, 0, 1 }, smac[6] = { 2, 0, 0, 0, 0, 2 };
	__u8 src[16], dst[16];
	struct frame f;
	int i;

	memset(buf, 0, FRAME_MAX);
	frame_start(&f, buf);
	if (!c->raw) {
		frame_eth(&f, dmac, smac);
		for (i = 0; i < 3 && c->tags[i]; i++)
			frame_vlan(&f, c->tags[i], 100 + i); /* VLAN id */
		if (c->l3 == ETH_ONLY) {
			frame_ethertype(&f, c->tags[0] ? ETH_P_8021Q : 0x88b5);
			return f.len;
		}
		if (c->l3 == ARP) {
			frame_ethertype(&f, ETH_P_ARP);
			frame_payload(&f, 28);
			return f.len;
		}
		if (c->pppoe)
			frame_pppoe(&f, 0x1234, c->pppoe);
		else
			frame_ethertype(&f, c->l3 == V4 ? ETH_P_IP : ETH_P_IPV6);
	}
	if (c->l3 == V4) {
		inet_pton(AF_INET, c->src, src);
		inet_pton(AF_INET, c->dst[0] ? c->dst : "192.0.2.1", dst);
		frame_ipv4(&f, &(struct frame_ip4){
			.src = src, .dst = dst, .proto = c->proto, .ttl = 64,
			.version = c->bad_version == 2 ? 8 : c->bad_version ? 6 : 4,
			.ihl = c->ihl ? c->ihl : 5, .nop_options = true,
			.frag = c->frag == 1 ? 0x2000 : c->frag == 2 ? 0x2000 | 185 : 0 });
	} else {
		inet_pton(AF_INET6, c->src, src);
		inet_pton(AF_INET6, c->dst[0] ? c->dst : "2001:db8:1::1", dst);
		frame_ipv6(&f, &(struct frame_ip6){
			.src = src, .dst = dst, .version = c->bad_version ? 4 : 6,
			.next = ext_number(c->ext[0] ? c->ext[0] : c->proto),
			.hop = c->hop_limit ? c->hop_limit : 64 });
		for (i = 0; i < 3 && c->ext[i]; i++)
			frame_ext6(&f, ext_number(c->ext[i]),
				   ext_number(i + 1 < 3 && c->ext[i + 1] ? c->ext[i + 1] : c->proto),
				   1 /* 16 bytes */, c->frag == 2 ? (185 << 3) | 1 : 1);
	}
	/* 20 bytes of any protocol: the destination port or the ICMP type */
	frame_l4(&f, &(struct frame_l4){ .proto = c->proto, .size = 20, .dport = 22,
					 .icmp_type = c->icmp_type });
	frame_end(&f);
	return c->cut ? c->cut : (int)f.len;
}

/* The lists of the table: two feeds and an allowlist. */
static const char *const scan_list[] = { "198.51.100.7", "203.0.113.0/24", "2001:db8:bad::/48",
					 "2001:db8:dead::1" };
static const char *const botnet_list[] = { "203.0.113.99", "2001:db8:bad:1::/64" };
static const char *const allow_list[] = { "203.0.113.128/26", "2001:db8:bad:2::/64" };

static void parse_all(const char *const *s, int n, struct cidr *v)
{
	const char *why;
	int i, flags;

	for (i = 0; i < n; i++)
		cr_assert_eq(cidr_parse(s[i], strlen(s[i]), &v[i], &flags, &why), 0, "%s", s[i]);
}

static void setup(void)
{
	static struct cidr scan[4], botnet[2], allow[2];
	struct publish_feed feeds[2] = {
		{ "scanners", "scanners", F_SCAN, 1, scan, 4, BOUCLIER_FEED_IN },
		{ "botnet", "botnet-c2", F_BOTNET, 1, botnet, 2, BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT },
	};
	struct publish_input in = { feeds, 2, allow, 2 };
	struct bpf_map *m;
	int err;

	if (geteuid() != 0)
		cr_skip_test("BPF_PROG_TEST_RUN needs root");
	fx.skel = bouclier__open();
	cr_assert_not_null(fx.skel);
	bpf_object__for_each_map(m, fx.skel->obj) /* nothing of a test is pinned */
		bpf_map__set_pin_path(m, NULL);
	err = bouclier__load(fx.skel);
	if (err)
		cr_skip_test("the kernel refused the program: %s", strerror(-err));
	cr_assert_eq(live_from_object(&fx.l, fx.skel->obj), 0);
	parse_all(scan_list, 4, scan);
	parse_all(botnet_list, 2, botnet);
	parse_all(allow_list, 2, allow);
	cr_assert_eq(publish(&fx.l, &in, NULL), 0);
}

static void teardown(void)
{
	live_close(&fx.l);
	bouclier__destroy(fx.skel);
}

#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP
#define Q 0x8100
#define AD 0x88a8

ParameterizedTestParameters(xdp, frames)
{
	static struct frame_case cases[] = {
		{ "IPv4 listed host", V4, "198.51.100.7", {0}, TCP, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP, .feeds = 1 << F_SCAN },
		{ "IPv4 unlisted", V4, "198.51.100.8", {0}, TCP, .xdp = XDP_PASS,
		  .verdict = BOUCLIER_V_PASS, .pclass = BOUCLIER_P_TCP },
		{ "IPv4 inside a listed /24", V4, "203.0.113.1", {0}, UDP, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_UDP, .feeds = 1 << F_SCAN },
		{ "IPv4 listed by two feeds", V4, "203.0.113.99", {0}, UDP, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_UDP,
		  .feeds = 1 << F_SCAN | 1 << F_BOTNET },
		{ "IPv4 allowlisted inside a listed /24", V4, "203.0.113.130", {0}, TCP,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_ALLOW, .pclass = BOUCLIER_P_TCP },
		{ "IPv4 with options, listed", V4, "198.51.100.7", {0}, TCP, .ihl = 8,
		  .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP,
		  .feeds = 1 << F_SCAN },
		{ "IPv4 options cut short, listed", V4, "198.51.100.7", {0}, TCP, .ihl = 15,
		  .cut = 14 + 24, .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP,
		  .pclass = BOUCLIER_P_TCP, .feeds = 1 << F_SCAN },
		{ "IPv4 first fragment, listed", V4, "198.51.100.7", {0}, UDP, .frag = 1,
		  .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_UDP,
		  .feeds = 1 << F_SCAN },
		{ "IPv4 non-first fragment, listed", V4, "198.51.100.7", {0}, UDP, .frag = 2,
		  .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_UDP,
		  .feeds = 1 << F_SCAN },
		{ "IPv4 non-first fragment, unlisted", V4, "192.0.2.77", {0}, UDP, .frag = 2,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_PASS, .pclass = BOUCLIER_P_UDP },
		{ "802.1Q, listed", V4, "198.51.100.7", {Q}, TCP, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP, .feeds = 1 << F_SCAN },
		{ "QinQ 802.1ad+802.1Q, listed", V4, "198.51.100.7", {AD, Q}, TCP, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP, .feeds = 1 << F_SCAN },
		{ "QinQ, unlisted IPv6", V6, "2001:db8:1::99", {AD, Q}, TCP, .xdp = XDP_PASS,
		  .verdict = BOUCLIER_V_PASS, .pclass = BOUCLIER_P_TCP },
		{ "three VLAN tags: not parsed", V4, "198.51.100.7", {Q, Q, Q}, TCP, .xdp = XDP_PASS,
		  .verdict = BOUCLIER_V_NONIP, .pclass = -1 },
		{ "VLAN tag cut short", ETH_ONLY, "", {Q}, 0, .cut = 16, .xdp = XDP_PASS,
		  .verdict = BOUCLIER_V_MALFORMED, .pclass = -1 },
		{ "ARP", ARP, "", {0}, 0, .xdp = XDP_PASS, .verdict = BOUCLIER_V_NONIP,
		  .pclass = -1 },
		{ "other ethertype", ETH_ONLY, "", {0}, 0, .xdp = XDP_PASS,
		  .verdict = BOUCLIER_V_NONIP, .pclass = -1 },
		{ "IPv4 header cut short", V4, "198.51.100.7", {0}, TCP, .cut = 14 + 12,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_MALFORMED, .pclass = -1 },
		{ "IPv4 ethertype, version 6", V4, "198.51.100.7", {0}, TCP, .bad_version = 1,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_MALFORMED, .pclass = -1 },
		{ "IPv6 inside a listed /48", V6, "2001:db8:bad:ffff::1", {0}, UDP, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_UDP, .feeds = 1 << F_SCAN },
		{ "IPv6 listed host", V6, "2001:db8:dead::1", {0}, TCP, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP, .feeds = 1 << F_SCAN },
		{ "IPv6 neighbour of a listed host", V6, "2001:db8:dead::2", {0}, TCP,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_PASS, .pclass = BOUCLIER_P_TCP },
		{ "IPv6 in a /64 of two feeds", V6, "2001:db8:bad:1::5", {0}, TCP, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP,
		  .feeds = 1 << F_SCAN | 1 << F_BOTNET },
		{ "IPv6 allowlisted inside a listed /48", V6, "2001:db8:bad:2::5", {0}, TCP,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_ALLOW, .pclass = BOUCLIER_P_TCP },
		{ "IPv6 unlisted", V6, "2001:db8:1::2", {0}, UDP, .xdp = XDP_PASS,
		  .verdict = BOUCLIER_V_PASS, .pclass = BOUCLIER_P_UDP },
		{ "IPv6 hop-by-hop + destination options, listed", V6, "2001:db8:bad::1", {0}, TCP,
		  .ext = { HBH, IPPROTO_DSTOPTS }, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP, .feeds = 1 << F_SCAN },
		{ "IPv6 routing + fragment (first), listed", V6, "2001:db8:bad::1", {0}, UDP,
		  .ext = { IPPROTO_ROUTING, IPPROTO_FRAGMENT }, .frag = 1, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_UDP, .feeds = 1 << F_SCAN },
		{ "IPv6 non-first fragment, listed", V6, "2001:db8:bad::1", {0}, UDP,
		  .ext = { IPPROTO_FRAGMENT }, .frag = 2, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_UDP, .feeds = 1 << F_SCAN },
		{ "IPv6 extension header cut short, listed", V6, "2001:db8:bad::1", {0}, TCP,
		  .ext = { HBH }, .cut = 14 + 40 + 1, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_OTHER, .feeds = 1 << F_SCAN },
		{ "IPv6 neighbour solicitation from a listed source", V6, "2001:db8:bad::1", {0},
		  IPPROTO_ICMPV6, .icmp_type = 135, .hop_limit = 255, .xdp = XDP_PASS,
		  .verdict = BOUCLIER_V_CONTROL, .pclass = -1 },
		{ "IPv6 router advertisement after hop-by-hop", V6, "2001:db8:bad::1", {0},
		  IPPROTO_ICMPV6, .ext = { HBH }, .icmp_type = 134, .hop_limit = 255,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_CONTROL, .pclass = -1 },
		{ "IPv6 'ND' with hop limit 64 from a listed source", V6, "2001:db8:bad::1", {0},
		  IPPROTO_ICMPV6, .icmp_type = 135, .hop_limit = 64, .xdp = XDP_DROP,
		  .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_ICMP, .feeds = 1 << F_SCAN },
		{ "IPv6 echo request from a listed source", V6, "2001:db8:bad::1", {0},
		  IPPROTO_ICMPV6, .icmp_type = 128, .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP,
		  .pclass = BOUCLIER_P_ICMP, .feeds = 1 << F_SCAN },
		{ "IPv6 header cut short", V6, "2001:db8:bad::1", {0}, TCP, .cut = 14 + 30,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_MALFORMED, .pclass = -1 },
		{ "IPv6 ethertype, version 4", V6, "2001:db8:bad::1", {0}, TCP, .bad_version = 1,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_MALFORMED, .pclass = -1 },
		{ "PPPoE session, IPv4 listed", V4, "198.51.100.7", {0}, TCP, .pppoe = 0x21,
		  .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP,
		  .feeds = 1 << F_SCAN },
		{ "PPPoE session in a VLAN, IPv6 listed", V6, "2001:db8:bad::9", {Q}, UDP,
		  .pppoe = 0x57, .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP,
		  .pclass = BOUCLIER_P_UDP, .feeds = 1 << F_SCAN },
		{ "PPPoE session, IPv4 unlisted", V4, "198.51.100.8", {0}, UDP, .pppoe = 0x21,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_PASS, .pclass = BOUCLIER_P_UDP },
		{ "PPPoE session, LCP", V4, "198.51.100.7", {0}, 0, .pppoe = 0xc021,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_NONIP, .pclass = -1 },
		{ "PPPoE header cut short", V4, "198.51.100.7", {0}, TCP, .pppoe = 0x21,
		  .cut = 14 + 5, .xdp = XDP_PASS, .verdict = BOUCLIER_V_MALFORMED, .pclass = -1 },
		{ "raw IP link, IPv4 listed", V4, "198.51.100.7", {0}, TCP, .raw = 1,
		  .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP, .pclass = BOUCLIER_P_TCP,
		  .feeds = 1 << F_SCAN },
		{ "raw IP link, IPv6 listed with hop-by-hop", V6, "2001:db8:bad::1", {0}, UDP,
		  .ext = { HBH }, .raw = 1, .xdp = XDP_DROP, .verdict = BOUCLIER_V_DROP,
		  .pclass = BOUCLIER_P_UDP, .feeds = 1 << F_SCAN },
		{ "raw IP link, IPv4 unlisted", V4, "192.0.2.50", {0}, UDP, .raw = 1,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_PASS, .pclass = BOUCLIER_P_UDP },
		{ "raw IP link, IPv6 unlisted", V6, "2001:db8:1::2", {0}, TCP, .raw = 1,
		  .xdp = XDP_PASS, .verdict = BOUCLIER_V_PASS, .pclass = BOUCLIER_P_TCP },
		{ "raw IP link, neither version", V4, "198.51.100.7", {0}, TCP, .raw = 1,
		  .bad_version = 2, .xdp = XDP_PASS, .verdict = BOUCLIER_V_NONIP, .pclass = -1 },
		{ "raw IP link, IPv6 header cut short", V6, "2001:db8:bad::1", {0}, TCP, .raw = 1,
		  .cut = 30, .xdp = XDP_PASS, .verdict = BOUCLIER_V_MALFORMED, .pclass = -1 },
	};
	return cr_make_param_array(struct frame_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct frame_case *c, xdp, frames, .init = setup, .fini = teardown)
{
	__u8 frame[FRAME_MAX];
	struct stats before, after;
	int len = build(c, frame), v, f, d;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len, .repeat = 1);

	cr_assert_eq(stats_read(&fx.l, &before), 0);
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(c->raw ? fx.skel->progs.bouclier_xdp_ip
								   : fx.skel->progs.bouclier_xdp),
					    &o), 0, "%s: test run failed: %s", c->what, strerror(errno));
	cr_assert_eq(stats_read(&fx.l, &after), 0);
	cr_expect_eq(o.retval, (__u32)c->xdp, "%s: XDP verdict %u, want %d", c->what, o.retval,
		     c->xdp);
	for (v = 0; v < BOUCLIER_V_MAX; v++) {
		__u64 want = v == c->verdict;

		cr_expect_eq(after.sum.pkts[v] - before.sum.pkts[v], want,
			     "%s: %s counter moved by %llu, want %llu", c->what, verdict_name(v),
			     (unsigned long long)(after.sum.pkts[v] - before.sum.pkts[v]),
			     (unsigned long long)want);
		cr_expect_eq(after.sum.bytes[v] - before.sum.bytes[v], want * len,
			     "%s: %s bytes", c->what, verdict_name(v));
	}
	d = c->verdict == BOUCLIER_V_DROP;
	for (v = 0; v < BOUCLIER_P_MAX; v++)
		cr_expect_eq(after.sum.proto_pkts[d][v] - before.sum.proto_pkts[d][v],
			     (__u64)(v == c->pclass), "%s: protocol class %s", c->what,
			     proto_name(v));
	for (f = 0; f < 2; f++)
		cr_expect_eq(after.feed_pkts[f] - before.feed_pkts[f], (__u64)!!(c->feeds & (1u << f)),
			     "%s: drops of feed %d", c->what, f);
	if (c->frag == 2)
		cr_expect_eq(after.sum.fragments - before.sum.fragments, 1, "%s: fragments",
			     c->what);
}

Test(xdp, swap_keeps_counters_and_replaces_the_table, .init = setup, .fini = teardown)
{
	struct frame_case c = { "listed", V4, "198.51.100.7", {0}, TCP };
	struct publish_input none = { 0 };
	struct stats before, after;
	__u8 frame[FRAME_MAX];
	int len = build(&c, frame);
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len, .repeat = 3);

	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(fx.skel->progs.bouclier_xdp), &o), 0);
	cr_assert_eq(o.retval, XDP_DROP);
	cr_assert_eq(stats_read(&fx.l, &before), 0);
	cr_assert_eq(publish(&fx.l, &none, NULL), 0); /* no feeds at all now */
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(fx.skel->progs.bouclier_xdp), &o), 0);
	cr_assert_eq(o.retval, XDP_PASS, "the empty table lists nothing");
	cr_assert_eq(stats_read(&fx.l, &after), 0);
	cr_assert_eq(after.sum.pkts[BOUCLIER_V_DROP], before.sum.pkts[BOUCLIER_V_DROP]);
	cr_assert_eq(after.sum.pkts[BOUCLIER_V_PASS], before.sum.pkts[BOUCLIER_V_PASS] + 3);
	cr_assert_eq(after.info.generation, before.info.generation + 1);
}

/* The way out: the TC egress program on the destination, same table. */
struct out_case {
	char what[64];
	int l3;
	char dst[40];
	int tc;      /* expected TC verdict */
	int verdict; /* expected counter on the way out */
	int feed;    /* feed whose outbound drops must move, -1 none */
};

ParameterizedTestParameters(xdp, egress)
{
	static struct out_case cases[] = {
		{ "to a command server (botnet-c2: both ways)", V4, "203.0.113.99", TC_ACT_SHOT,
		  BOUCLIER_V_DROP, F_BOTNET },
		{ "to an IPv6 command server", V6, "2001:db8:bad:1::7", TC_ACT_SHOT,
		  BOUCLIER_V_DROP, F_BOTNET },
		{ "to a scanner (listed on the way in only)", V4, "198.51.100.7", TC_ACT_UNSPEC,
		  BOUCLIER_V_PASS, -1 },
		{ "to an unlisted server", V4, "192.0.2.50", TC_ACT_UNSPEC, BOUCLIER_V_PASS, -1 },
		{ "to an allowlisted address inside a listed /48", V6, "2001:db8:bad:2::5",
		  TC_ACT_UNSPEC, BOUCLIER_V_ALLOW, -1 },
	};
	return cr_make_param_array(struct out_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct out_case *c, xdp, egress, .init = setup, .fini = teardown)
{
	struct frame_case f = { .l3 = c->l3, .proto = UDP };
	struct stats before, after;
	__u8 frame[FRAME_MAX];
	int len, v;

	snprintf(f.src, sizeof(f.src), "%s", c->l3 == V4 ? "192.0.2.23" : "2001:db8:10::23");
	snprintf(f.dst, sizeof(f.dst), "%s", c->dst);
	len = build(&f, frame);
	{
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len, .repeat = 1);

		cr_assert_eq(stats_read(&fx.l, &before), 0);
		cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(fx.skel->progs.bouclier_tc),
						    &o), 0, "%s: %s", c->what, strerror(errno));
		cr_assert_eq(stats_read(&fx.l, &after), 0);
		cr_expect_eq((int)o.retval, c->tc, "%s: TC verdict %d, want %d", c->what,
			     (int)o.retval, c->tc);
	}
	for (v = 0; v < BOUCLIER_V_MAX; v++)
		cr_expect_eq(after.out.pkts[v] - before.out.pkts[v], (__u64)(v == c->verdict),
			     "%s: outbound %s counter", c->what, verdict_name(v));
	cr_expect_eq(after.sum.pkts[BOUCLIER_V_DROP], before.sum.pkts[BOUCLIER_V_DROP],
		     "%s: the way in is untouched", c->what);
	if (c->feed >= 0)
		cr_expect_eq(after.feed_out_pkts[c->feed] - before.feed_out_pkts[c->feed], 1,
			     "%s: the feed's outbound drops", c->what);
}

/* A feed that takes a removed feed's index starts from zero drops. */
Test(xdp, a_reused_feed_index_brings_no_old_drops, .init = setup, .fini = teardown)
{
	struct frame_case c = { "listed", V4, "198.51.100.7", {0}, TCP };
	static struct cidr list[1];
	struct publish_feed old = { "old", "scanners", 5, 1, list, 1, BOUCLIER_FEED_IN };
	struct publish_feed new = { "new", "scanners", 5, 1, list, 1, BOUCLIER_FEED_IN };
	struct publish_input in = { &old, 1 };
	struct stats st;
	__u8 frame[FRAME_MAX];
	const char *why;
	int len = build(&c, frame), f;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame, .data_size_in = len, .repeat = 4);

	cr_assert_eq(cidr_parse("198.51.100.7", 12, &list[0], &f, &why), 0);
	cr_assert_eq(publish(&fx.l, &in, NULL), 0);
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(fx.skel->progs.bouclier_xdp), &o), 0);
	cr_assert_eq(stats_read(&fx.l, &st), 0);
	cr_assert_eq(st.feed_pkts[5], 4);
	in.feeds = &new; /* "old" removed, "new" loaded: it gets index 5 */
	cr_assert_eq(publish(&fx.l, &in, NULL), 0);
	cr_assert_eq(stats_read(&fx.l, &st), 0);
	cr_expect_eq(st.feed_pkts[5], 0, "the new feed inherits nothing");
	o.repeat = 1;
	cr_assert_eq(bpf_prog_test_run_opts(bpf_program__fd(fx.skel->progs.bouclier_xdp), &o), 0);
	cr_assert_eq(stats_read(&fx.l, &st), 0);
	cr_expect_eq(st.feed_pkts[5], 1);
}
