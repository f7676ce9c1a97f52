/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * bouclier.h - the contract between the XDP program (bpf/) and user space
 * (maps/, loader/, tools/, tests/).
 *
 * Holds every map name, pin name, key/value struct and limit that both sides
 * use, plus the hash both sides must compute identically.  Only __u8..__u64
 * and explicit padding; every struct is followed by _Static_asserts so a
 * layout change breaks the build instead of the filter.  Changing a layout
 * means bumping BOUCLIER_ABI: pinned maps of another ABI are refused.
 */
#ifndef BOUCLIER_H
#define BOUCLIER_H

#include <linux/types.h>

#define BOUCLIER_ABI 4

/* Pin directory; tests and benchmarks may point BOUCLIER_PIN_DIR elsewhere. */
#define BOUCLIER_PIN_DIR "/sys/fs/bpf/bouclier"

#define _BOUCLIER_STR(x) #x
#define BOUCLIER_STR(x) _BOUCLIER_STR(x)

/* Map names: the same identifier names the map in the object, the pin file
 * and the BTF shown by bpftool. */
#define BOUCLIER_MAP_TABLES    bouclier_tables
#define BOUCLIER_MAP_STATS     bouclier_stats
#define BOUCLIER_MAP_SET_STATS bouclier_set_stats
#define BOUCLIER_MAP_SETS      bouclier_sets
#define BOUCLIER_MAP_FEEDS     bouclier_feeds
#define BOUCLIER_MAP_INFO      bouclier_info
#define BOUCLIER_MAP_SLOTS     bouclier_slots
#define BOUCLIER_MAP_SOURCES   bouclier_sources
#define BOUCLIER_MAP_CLOCK     bouclier_clock
#define BOUCLIER_MAP_OUTBOUND  bouclier_outbound
#define BOUCLIER_MAP_TIMED     bouclier_timed
#define BOUCLIER_MAP_BEHAVIOUR bouclier_behaviour
#define BOUCLIER_MAP_BANS      bouclier_bans
#define BOUCLIER_MAP_BLOOM     bouclier_ban_bloom
#define BOUCLIER_MAP_PEERS     bouclier_peers
#define BOUCLIER_MAP_DETECT    bouclier_detect
#define BOUCLIER_MAP_EVENTS    bouclier_events
#define BOUCLIER_MAP_FIRST     bouclier_first_seen

/* Every pinned map once, as X(field, NAME): user space generates its file
 * descriptors, the opening of the pins and the checks from this list, so a
 * new map is one line here and its definition in bpf/. */
#define BOUCLIER_MAPS(X)                          \
	X(tables, BOUCLIER_MAP_TABLES)            \
	X(stats, BOUCLIER_MAP_STATS)              \
	X(set_stats, BOUCLIER_MAP_SET_STATS)      \
	X(sets, BOUCLIER_MAP_SETS)                \
	X(feeds, BOUCLIER_MAP_FEEDS)              \
	X(info, BOUCLIER_MAP_INFO)                \
	X(slots, BOUCLIER_MAP_SLOTS)              \
	X(sources, BOUCLIER_MAP_SOURCES)          \
	X(clock, BOUCLIER_MAP_CLOCK)              \
	X(outbound, BOUCLIER_MAP_OUTBOUND)        \
	X(timed, BOUCLIER_MAP_TIMED)              \
	X(behaviour, BOUCLIER_MAP_BEHAVIOUR)      \
	X(bans, BOUCLIER_MAP_BANS)                \
	X(bloom, BOUCLIER_MAP_BLOOM)              \
	X(peers, BOUCLIER_MAP_PEERS)              \
	X(detect, BOUCLIER_MAP_DETECT)            \
	X(events, BOUCLIER_MAP_EVENTS)

#define BOUCLIER_PROG_NAME     bouclier_xdp    /* Ethernet frames */
#define BOUCLIER_PROG_IP_NAME  bouclier_xdp_ip /* frames that start at the IP header */
#define BOUCLIER_TC_NAME       bouclier_tc     /* TC egress, Ethernet */
#define BOUCLIER_TC_IP_NAME    bouclier_tc_ip  /* TC egress, raw IP */
#define BOUCLIER_PIN_PROG      "bouclier_prog"
#define BOUCLIER_PIN_PROG_IP   "bouclier_prog_ip"
#define BOUCLIER_PIN_TC        "bouclier_prog_tc"
#define BOUCLIER_PIN_TC_IP     "bouclier_prog_tc_ip"
#define BOUCLIER_PIN_TC_LINK_FMT "bouclier_tc_link_%s" /* interface name */
#define BOUCLIER_PIN_LINK_FMT  "bouclier_link_%s" /* interface name */
#define BOUCLIER_PIN_LINK_PREFIX "bouclier_link_"

#define BOUCLIER_MAX_FEEDS 32   /* feed index is a bit of a 32-bit mask */
#define BOUCLIER_FEED_BAN 31    /* the index of timed bans, shown as feed "ban" */
#define BOUCLIER_FEED_BAN_NAME "ban"
#define BOUCLIER_FEED_BAN_CATEGORY "manual"
#define BOUCLIER_FEED_DETECT 30 /* the index of detected bans, shown as feed "detected" */
#define BOUCLIER_FEED_DETECT_NAME "detected"
#define BOUCLIER_FEED_DETECT_CATEGORY "behaviour"
#define BOUCLIER_USER_FEEDS 30  /* indexes 0..29 are the configuration's feeds */
#define BOUCLIER_MAX_SETS  4096 /* distinct combinations of feeds in use */
#define BOUCLIER_NAME_LEN  32

/*
 * Value of a lookup: 0 = not listed; BOUCLIER_ALLOW = on the allowlist (which
 * always wins, both ways); otherwise the id of a feed set (an index into
 * bouclier_sets, whose value is the mask of feeds that list the address) and
 * the directions in which one of those feeds drops: BOUCLIER_IN for a
 * source on the way in (XDP), BOUCLIER_OUT for a destination on the way out
 * (TC egress).  User space folds both into the value at compile time.
 * BOUCLIER_MON_IN and BOUCLIER_MON_OUT say that a feed in monitor mode lists
 * it for that direction: the packet passes, counted as "would drop", unless
 * an enforcing feed drops it.
 */
#define BOUCLIER_ALLOW 0x80000000u
#define BOUCLIER_IN 0x40000000u
#define BOUCLIER_OUT 0x20000000u
#define BOUCLIER_MON_IN 0x10000000u
#define BOUCLIER_MON_OUT 0x08000000u
#define BOUCLIER_SET_MASK 0x0000ffffu
/* Set by the programs only, never in a table: a ban the kernel made on a
 * source's behaviour (bouclier_bans) decided, so the weather counts the
 * drop as a detected attack as well. */
#define BOUCLIER_DETECTED 0x04000000u
/* Folded by user space: the only enforcing feeds that list the address on
 * the way in are regional ones (BOUCLIER_FEED_REGIONAL), so a drop is one
 * the town owes to the other towns of its region. */
#define BOUCLIER_REGIONAL 0x02000000u

/* A feed's directions and mode (struct bouclier_feed.flags). */
#define BOUCLIER_FEED_IN 1u
#define BOUCLIER_FEED_OUT 2u
#define BOUCLIER_FEED_MONITOR 4u /* its addresses pass, counted as "would drop" */
#define BOUCLIER_FEED_REGIONAL 8u /* the region's signed list: what other towns saw */

/* Counters are kept apart for the two directions: index 0 on the way in,
 * 1 on the way out (bouclier_stats, and bouclier_set_stats as
 * set + direction * BOUCLIER_MAX_SETS). */
enum bouclier_dir { BOUCLIER_D_IN = 0, BOUCLIER_D_OUT = 1, BOUCLIER_D_MAX = 2 };

/* ---------------------------------------------------------------------------
 * Verdicts and counters.  bouclier_stats is a PERCPU_ARRAY of one element a
 * direction (enum bouclier_dir), written by the programs only; user space
 * sums the CPUs.  On the way out, "pass", "drop" and "allow" are about the
 * destination.
 */
/* X(ENUM, "name", meaning): the names are what stats, JSON and Prometheus
 * print; user space builds its name table from this list (maps/names.c). */
#define BOUCLIER_VERDICTS(X)                                              \
	X(PASS, "pass")           /* IPv4/IPv6, source not listed */         \
	X(DROP, "drop")           /* source listed by at least one feed */   \
	X(ALLOW, "allow")         /* source on the allowlist */              \
	X(MONITOR, "monitor")     /* passed; a feed in monitor mode lists it */ \
	X(CONTROL, "control")     /* IPv6 neighbour discovery, never filtered */ \
	X(NONIP, "nonip")         /* ARP and every other ethertype */        \
	X(MALFORMED, "malformed") /* truncated or inconsistent headers: passed */

enum bouclier_verdict {
#define BOUCLIER_X(e, name) BOUCLIER_V_##e,
	BOUCLIER_VERDICTS(BOUCLIER_X)
#undef BOUCLIER_X
	BOUCLIER_V_MAX,
};

#define BOUCLIER_PROTOS(X) X(TCP, "tcp") X(UDP, "udp") X(ICMP, "icmp") X(OTHER, "other")

enum bouclier_proto { /* ICMP counts ICMP and ICMPv6 */
#define BOUCLIER_X(e, name) BOUCLIER_P_##e,
	BOUCLIER_PROTOS(BOUCLIER_X)
#undef BOUCLIER_X
	BOUCLIER_P_MAX,
};

/* What detection did when a source crossed a threshold (and after), counted
 * in bouclier_stats.detect and in each weather slot: X(ENUM, "name").
 * Spared: the source behaved like an attacker but was not banned, because
 * the allowlist covers it, a machine of the town contacted it lately (a
 * forged source would turn the detector against the town's own peers), or
 * max_bans bans are held already.  Lifted: a machine of the town contacted
 * a banned source, and the ban ended there. */
#define BOUCLIER_DETECT_COUNTS(X)                                   \
	X(BANNED, "banned")                                         \
	X(WOULD_BAN, "would_ban")    /* action = monitor */         \
	X(SPARED_ALLOW, "spared_allowlist")                         \
	X(SPARED_PEER, "spared_contacted")                          \
	X(SPARED_FULL, "spared_max_bans")                           \
	X(LIFTED, "lifted_contacted")

enum bouclier_detect_count {
#define BOUCLIER_X(e, name) BOUCLIER_DT_##e,
	BOUCLIER_DETECT_COUNTS(BOUCLIER_X)
#undef BOUCLIER_X
	BOUCLIER_DT_MAX,
};

enum bouclier_family {
	BOUCLIER_F_V4 = 0,
	BOUCLIER_F_V6 = 1,
	BOUCLIER_F_MAX = 2,
};

struct bouclier_stats {
	__u64 pkts[BOUCLIER_V_MAX];
	__u64 bytes[BOUCLIER_V_MAX];
	/* [0] passed (PASS, ALLOW, MONITOR), [1] dropped; IPv4 and IPv6 only */
	__u64 proto_pkts[2][BOUCLIER_P_MAX];
	__u64 proto_bytes[2][BOUCLIER_P_MAX];
	__u64 family_pkts[2][BOUCLIER_F_MAX];
	__u64 fragments;     /* non-first fragments seen (filtered like others) */
	__u64 detect[BOUCLIER_DT_MAX]; /* detection's outcomes (BOUCLIER_DETECT_COUNTS) */
	/* The program's own memo, not counters: the current 15-minute slot and
	 * the coarse-clock time it ends, so that the divisions that find a slot
	 * run once a slot and CPU rather than on every drop. */
	__u64 slot_now, slot_end_ns, slot_idx;
};
#define BOUCLIER_STATS_COUNTERS (2 * 7 + 4 * 4 + 4 + 1 + BOUCLIER_DT_MAX) /* u64 counters first */
_Static_assert(sizeof(struct bouclier_stats) == 8 * (BOUCLIER_STATS_COUNTERS + 3),
	       "bouclier_stats layout");

/* bouclier_set_stats: PERCPU_ARRAY[4 * BOUCLIER_MAX_SETS], by feed set:
 * drops on the way in, out, then would-drops (monitor) in, out, at
 * set + (monitor * 2 + direction) * BOUCLIER_MAX_SETS. */
struct bouclier_set_stat {
	__u64 pkts;
	__u64 bytes;
};
_Static_assert(sizeof(struct bouclier_set_stat) == 16, "set_stat layout");

/* bouclier_sets: ARRAY[BOUCLIER_MAX_SETS], written by user space.  Ids are
 * stable across refreshes so that per-set counters keep their meaning. */
struct bouclier_set {
	__u32 feeds; /* mask of feed indexes; 0 = id free */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_set) == 8, "set layout");

/* bouclier_feeds: ARRAY[BOUCLIER_MAX_FEEDS], written by user space, read by
 * people through bpftool and by the reports. */
struct bouclier_feed {
	char name[BOUCLIER_NAME_LEN];     /* "" = index free */
	char category[BOUCLIER_NAME_LEN];
	__u64 loaded_at;                  /* unix seconds of the last change */
	__u32 entries;                    /* CIDRs after normalisation */
	__u32 v6_entries;
	__u32 flags;                      /* BOUCLIER_FEED_IN, _OUT */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_feed) == 88, "feed layout");
_Static_assert(__builtin_offsetof(struct bouclier_feed, loaded_at) == 64, "feed layout");

/* bouclier_info: ARRAY[1], written by user space at each swap. */
struct bouclier_info {
	__u32 abi;
	__u32 generation;      /* bumped by every swap */
	__u64 swapped_at;      /* unix seconds */
	__u64 table_bytes;     /* size of the live table */
	__u32 v4_entries;      /* prefixes in the compiled table after folding */
	__u32 v6_entries;
	__u32 allow_entries;
	__u32 table_capacity;  /* lines of every table the running programs take */
};
_Static_assert(sizeof(struct bouclier_info) == 40, "info layout");

/* ---------------------------------------------------------------------------
 * Time buckets for the weather.  bouclier_slots is a PERCPU_ARRAY of
 * BOUCLIER_SLOTS entries, written by the XDP program on every drop: the entry
 * for 15-minute slot S (Unix seconds / 900) sits at S % BOUCLIER_SLOTS and is
 * reset the first time a CPU writes to it for a newer slot, so 48 hours stay
 * readable without user space ever writing.  Passed packets never touch it.
 *
 * The wall clock: bpf_ktime_get_tai_ns() costs about 45 ns a call on this
 * kind of VM, more than the lookup; the coarse monotonic clock costs next to
 * nothing.  User space keeps the difference to the wall clock in
 * bouclier_clock (ARRAY[1]) and refreshes it at every change, record and
 * report, so an NTP step shifts a slot by at most that step until then.
 */
struct bouclier_clock {
	__s64 wall_offset; /* CLOCK_REALTIME - CLOCK_MONOTONIC_COARSE, seconds */
	__u64 updated_at;  /* Unix seconds */
	__u32 timed;       /* entries in bouclier_timed: 0, and no packet looks */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_clock) == 24, "clock layout");

#define BOUCLIER_SLOT_SECONDS 900
#define BOUCLIER_SLOTS 192 /* 48 hours */
#define BOUCLIER_HLL_REGS 256
#define BOUCLIER_SLOT_SETS 64 /* drops of feed sets 1..62; 63 holds the rest */
#define BOUCLIER_SAMPLE 16    /* one drop in 16 is kept in bouclier_sources */

/* Destination services counted for "most targeted services": X(ENUM,
 * "name", port).  Any other port is BOUCLIER_PORT_OTHER, "other". */
#define BOUCLIER_SERVICES(X)                                           \
	X(SSH, "ssh", 22) X(TELNET, "telnet", 23) X(SMTP, "smtp", 25)  \
	X(DNS, "dns", 53) X(HTTP, "http", 80) X(HTTPS, "https", 443)   \
	X(SMB, "smb", 445) X(MSSQL, "mssql", 1433) X(MYSQL, "mysql", 3306) \
	X(RDP, "rdp", 3389) X(SIP, "sip", 5060) X(VNC, "vnc", 5900)    \
	X(HTTP_ALT, "http-alt", 8080)

enum bouclier_port {
	BOUCLIER_PORT_OTHER,
#define BOUCLIER_X(e, name, port) BOUCLIER_PORT_##e,
	BOUCLIER_SERVICES(BOUCLIER_X)
#undef BOUCLIER_X
	BOUCLIER_PORTS,
};

struct bouclier_slot {
	__u64 slot;                         /* Unix seconds / 900 of these counts */
	__u64 pkts, bytes;                  /* drops on the way in */
	__u64 out_pkts, out_bytes;          /* drops on the way out */
	__u64 mon_pkts, mon_bytes;          /* would-drops (monitor mode) on the way in */
	__u64 proto[BOUCLIER_P_MAX];        /* drops by protocol */
	__u32 ports[BOUCLIER_PORTS];        /* TCP/UDP drops by destination service */
	__u32 sets[BOUCLIER_SLOT_SETS];     /* drops by feed set id */
	__u32 detect[BOUCLIER_DT_MAX];      /* detection's outcomes in the slot */
	__u8 hll[BOUCLIER_HLL_REGS];        /* HyperLogLog of the sources dropped */
	/* HyperLogLog of (source, service class) pairs: one attack is one source
	 * trying one service in the slot, however many packets it sends */
	__u8 att_hll[BOUCLIER_HLL_REGS] __attribute__((aligned(8)));
	__u8 mon_hll[BOUCLIER_HLL_REGS];    /* sources monitored feeds would drop */
	/* the attacks of att_hll that a detected ban dropped (the source's
	 * behaviour, not a list, named it) */
	__u8 det_hll[BOUCLIER_HLL_REGS];
	/* ... and those only the region's list dropped (BOUCLIER_REGIONAL) */
	__u8 reg_hll[BOUCLIER_HLL_REGS];
};
_Static_assert(sizeof(struct bouclier_slot) ==
	       8 * 11 + 4 * 14 + 4 * 64 + 4 * BOUCLIER_DT_MAX + 5 * 256, "slot layout");
_Static_assert(__builtin_offsetof(struct bouclier_slot, hll) == 424, "slot layout");
_Static_assert(__builtin_offsetof(struct bouclier_slot, att_hll) == 680, "slot layout");

/* bouclier_sources: PERCPU_ARRAY ring of sampled drops, for "top blocked
 * sources": one drop in BOUCLIER_SAMPLE overwrites the next entry of the
 * CPU's ring, whose first half holds drops and second half the would-drops
 * of monitored feeds.  A ring and not a hash: an LRU hash update evicting under a
 * flood of new sources cost more than the whole lookup. */
struct bouclier_src_sample {
	__u64 hi, lo;   /* source, host order; IPv4 as ::ffff:a.b.c.d */
	__u32 set;      /* the feed set that listed it; BOUCLIER_SAMPLE_MONITOR:
			 * passed, a would-drop of a monitored feed */
	__u32 slot;     /* low 32 bits of the slot it was dropped in; 0 = empty */
	__u16 dport;    /* the destination port it tried (TCP, UDP); 0: none */
	__u16 flags;    /* BOUCLIER_SAMPLE_DETECTED: a detected ban dropped it */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_src_sample) == 32, "src sample");
#define BOUCLIER_SAMPLE_DETECTED 1u
#define BOUCLIER_SOURCES 4096 /* entries a CPU */
#define BOUCLIER_SAMPLE_MONITOR 0x80000000u
_Static_assert((BOUCLIER_SOURCES & (BOUCLIER_SOURCES - 1)) == 0, "a power of two");

/* bouclier_outbound: LRU_HASH, written by the TC egress program on every
 * drop on the way out: which inside machine tried to reach which listed
 * destination, in which 15-minute slot, how often.  The inside machine is
 * the packet's source before NAT, read from conntrack where the kernel
 * allows it (natted = 1 when that is not the source as it leaves), else the
 * source as it leaves.  Outbound drops are
 * rare (an infected machine), so every one is kept, not a sample. */
struct bouclier_out_key {
	__u64 in_hi, in_lo;   /* inside machine, host order; IPv4 as ::ffff:a.b.c.d */
	__u64 dst_hi, dst_lo; /* the listed destination */
	__u32 slot;           /* low 32 bits of the slot */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_out_key) == 40, "out key");

struct bouclier_out_val {
	__u64 attempts, bytes;
	__u32 set;            /* the feed set that lists the destination */
	__u16 dport;          /* the last attempt's destination port (TCP, UDP) */
	__u8 proto;           /* enum bouclier_proto of the last attempt */
	__u8 natted;          /* in_* came from conntrack, and NAT changed it */
};
_Static_assert(sizeof(struct bouclier_out_val) == 24, "out val");
#define BOUCLIER_OUTBOUND_ENTRIES 16384

/* bouclier_timed: LPM_TRIE of timed bans and allows, written by user space
 * (`bouclier ban`, `allow add --for`) without recompiling the table.  The
 * programs look an address up only while bouclier_clock.timed is not 0 and
 * take the most specific entry: if it has not expired, an allow replaces
 * the table's value and a ban adds its directions to it (the allowlist,
 * folded in the table, excepted); if it has, the table's value stands, so a
 * ban stops dropping at its time with no one to remove it.  An ended entry
 * still hides a broader one until `watch` removes it (within a minute);
 * a ban and an allow of the same prefix share a key, the allow written. */
struct bouclier_timed_key {
	__u32 prefixlen;      /* of the 128 bits; IPv4 as ::ffff:a.b.c.d/96+len */
	__u32 addr[4];        /* network order */
};
struct bouclier_timed_val {
	__u64 expires;        /* Unix seconds */
	__u32 val;            /* a lookup value: BOUCLIER_ALLOW, or the ban feed's set
			       * id with the directions it drops */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_timed_key) == 20, "timed key");
_Static_assert(sizeof(struct bouclier_timed_val) == 16, "timed val");
#define BOUCLIER_TIMED_ENTRIES 65536

/* ---------------------------------------------------------------------------
 * Detection: attacks no list names yet, seen by their behaviour on the way
 * in and banned by the kernel itself, from the probe that crossed a threshold on.
 *
 * A probe is a packet that opens something: a TCP SYN without ACK, a UDP
 * datagram that looks like a request (its destination port below its
 * source port, or the first message of IKE, OpenVPN or SIP), an ICMP echo
 * request.  For each source (IPv4 address, IPv6 /64) that is not dropped
 * already, bouclier_behaviour counts its probes in a window that starts at
 * its first one: distinct destination ports (a scan), distinct town
 * addresses (a sweep), new connections to one sensitive service (password
 * guessing).  Crossing a threshold makes a ban in bouclier_bans, unless the
 * source is spared: allowlisted, contacted lately by a machine of the town
 * (bouclier_peers, learned on the way out), or max_bans are held.
 *
 * Every packet on the way in that the table does not drop or allow reads one
 * 64-bit word of bouclier_ban_bloom (64 KiB, stays in cache): only a source
 * whose bit is set is looked up in bouclier_bans.  bouclier_events tells
 * user space (`watch`) of every ban made, lifted or spared for the cap.
 */

/* Sensitive services, whose new connections are counted for password
 * guessing: X(ENUM, "name"), and their ports: X(port, ENUM).  A UDP
 * service counts the first message of its handshake only (IKE_SA_INIT,
 * OpenVPN's hard reset, SIP REGISTER or INVITE, bpf/parse.h): its other
 * datagrams cannot be told from a tunnel's or a call's own traffic. */
#define BOUCLIER_GUESS_SERVICES(X)                                            \
	X(SSH, "ssh") X(TELNET, "telnet") X(FTP, "ftp") X(MAIL, "mail")       \
	X(SMB, "smb") X(RDP, "rdp") X(VNC, "vnc") X(SIP, "sip") X(VPN, "vpn") \
	X(DATABASE, "database")
#define BOUCLIER_GUESS_PORTS(X)                                               \
	X(22, SSH) X(23, TELNET) X(21, FTP)                                   \
	X(110, MAIL) X(143, MAIL) X(465, MAIL) X(587, MAIL) X(993, MAIL)      \
	X(995, MAIL) X(139, SMB) X(445, SMB) X(3389, RDP) X(5900, VNC)        \
	X(5060, SIP) X(5061, SIP) X(500, VPN) X(1194, VPN) X(1723, VPN)       \
	X(4500, VPN) X(1433, DATABASE) X(1521, DATABASE) X(3306, DATABASE)    \
	X(5432, DATABASE) X(6379, DATABASE) X(27017, DATABASE)

enum bouclier_guess {
	BOUCLIER_GUESS_NONE,
#define BOUCLIER_X(e, name) BOUCLIER_GUESS_##e,
	BOUCLIER_GUESS_SERVICES(BOUCLIER_X)
#undef BOUCLIER_X
	BOUCLIER_GUESSES, /* 1 + the classes */
};
_Static_assert(BOUCLIER_GUESSES <= 16, "a service class is 4 bits of a port's class byte");

/* What crossed a threshold: X(ENUM, "name"). */
#define BOUCLIER_BEHAVIOURS(X) \
	X(SCAN, "port scan") X(SWEEP, "address sweep") X(GUESS, "password guessing")

enum bouclier_behaviour_kind {
#define BOUCLIER_X(e, name) BOUCLIER_B_##e,
	BOUCLIER_BEHAVIOURS(BOUCLIER_X)
#undef BOUCLIER_X
	BOUCLIER_B_MAX,
};

/* struct bouclier_pkt.probe (bpf/parse.h) */
#define BOUCLIER_PROBE_SYN 1u   /* TCP SYN without ACK: a new connection */
#define BOUCLIER_PROBE_UDP 2u   /* a UDP request: a lower destination port */
#define BOUCLIER_PROBE_HELLO 4u /* the first message of IKE, OpenVPN, SIP */
#define BOUCLIER_PROBE_ECHO 8u  /* ICMP or ICMPv6 echo request */

/* The key of a source in bouclier_behaviour, bouclier_bans and
 * bouclier_peers: host order halves, IPv4 as ::ffff:a.b.c.d, IPv6 cut to
 * its /64 (an IPv6 attacker holds a /64 and may change address at every
 * packet; a peer of the town spares its /64). */
struct bouclier_addr_key {
	__u64 hi, lo;
};
_Static_assert(sizeof(struct bouclier_addr_key) == 16, "addr key");

#define BOUCLIER_PORT_BITS 512 /* distinct ports, counted as bits set */
#define BOUCLIER_ADDR_BITS 128 /* distinct town addresses, likewise */

/* bouclier_behaviour: LRU_HASH, written by the XDP program only.  A port
 * sets bit port % 512 and an IPv4 address bit address % 128 (an IPv6 one a
 * hashed bit): no hash, because the ports and addresses scanners try first
 * are small and close together, and so never share a bit — through a hash,
 * nmap's 20 most common ports set 17 bits of 256 and a 20-port threshold
 * never saw them.  Random ports share bits as hashed ones would; n* count
 * the bits set, so a threshold is a count of bits (user space turns the
 * configuration's counts into bits by linear counting). */
struct bouclier_behaviour {
	__u64 start;                      /* coarse monotonic ns the window started (the entry taken) */
	__u64 ports[BOUCLIER_PORT_BITS / 64];
	__u64 addrs[BOUCLIER_ADDR_BITS / 64];
	__u16 nports, naddrs;
	__u16 tries[16];                  /* new connections by enum bouclier_guess */
	__u16 last_port;
	__u8 decided;                     /* spared or banned in this window: not again */
	__u8 pad;
};
_Static_assert(sizeof(struct bouclier_behaviour) == 128, "behaviour: two cache lines");

/* bouclier_bans: HASH of max_bans entries, preallocated: the kernel adds a
 * ban when a source crosses a threshold; user space restores them after a
 * reboot, lifts them (`ban del`) and removes the oldest to keep room.  An
 * ended ban stays until max_ban after its end, so that a repeat offender's
 * next ban is twice as long. */
struct bouclier_ban {
	__u64 expires;   /* Unix seconds it stops dropping */
	__u64 at;        /* Unix seconds it was made */
	__u32 count;     /* what crossed the threshold: ports or addresses (bits
			  * set, an estimate), or connections */
	__u16 seconds;   /* since the window started */
	__u16 port;      /* the last destination port probed */
	__u8 kind;       /* enum bouclier_behaviour_kind */
	__u8 service;    /* enum bouclier_guess, for a guess */
	__u8 offences;   /* bans of this source remembered, this one included */
	__u8 flags;      /* BOUCLIER_BAN_* */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_ban) == 32, "ban");
#define BOUCLIER_BAN_MONITOR 1u /* action = monitor: counted, nothing dropped */
#define BOUCLIER_BAN_LIFTED 2u  /* a machine of the town contacted it: no longer acts */

/* bouclier_ban_bloom: ARRAY of 64-bit words, mmapable: bit h >> (64 - 19)
 * of bouclier_hll_hash(key) is set for every key of bouclier_bans.  The
 * kernel sets bits; user space rebuilds it when bans leave. */
#define BOUCLIER_BLOOM_BITS_LOG 19
#define BOUCLIER_BLOOM_WORDS (1u << (BOUCLIER_BLOOM_BITS_LOG - 6))

/* bouclier_detect: ARRAY[1], written by user space at attach and at every
 * change of the lists; all zeros (as the tests' own loads leave it) means
 * detection off. */
struct bouclier_detect_conf {
	__u32 flags;          /* BOUCLIER_DETECT_* */
	__u32 window;         /* seconds */
	__u16 scan_bits;      /* bits of bouclier_behaviour.ports that make a scan */
	__u16 sweep_bits;     /* of .addrs that make a sweep */
	__u16 guesses;        /* new connections to one sensitive service */
	__u16 set;            /* the feed set of the detected pseudo-feed */
	__u32 ban;            /* seconds a first ban lasts; each repeat doubles it */
	__u32 max_ban;        /* seconds, the ceiling, and how long an ended ban is remembered */
	__u32 peer_seconds;   /* a source the town contacted this recently is spared */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_detect_conf) == 32, "detect conf");
#define BOUCLIER_DETECT_ON 1u
#define BOUCLIER_DETECT_MONITOR 2u /* would-bans: counted and listed, nothing dropped */

/* bouclier_peers: LRU_HASH, written by the TC egress program: every address
 * (IPv6: /64) a machine of the town opened something with (a TCP SYN, a UDP
 * request, an echo request), and the Unix second it last did (refreshed
 * once a minute). */

/* bouclier_first_seen: ARRAY of BOUCLIER_FIRST_ENTRIES 64-bit words, not
 * pinned, written by the XDP program only: the gate before
 * bouclier_behaviour.  A source's first probe is remembered in the word
 * its bouclier_hll_hash() picks (low bits) instead of taking an entry: the
 * tag (the hash's high half, never 0), and the probe itself, so that the
 * second probe, which finds the tag, takes the entry and counts both.  A
 * forged source sends one packet: under a flood of them the LRU is neither
 * written nor churned.  A word another source overwrote costs a source one
 * probe more before it is followed, as an eviction from the LRU would. */
#define BOUCLIER_FIRST_ENTRIES 65536
#define BOUCLIER_FIRST_TAG(h) ((__u32)((h) >> 32) | 1u)
/* the low half: the port (bits 0-15), the town address's bit (16-22), and
 * whether the port was counted (bit 24) and as a new connection (bit 25) */
#define BOUCLIER_FIRST_PORT 0x1000000u
#define BOUCLIER_FIRST_CONNECT 0x2000000u
_Static_assert(BOUCLIER_ADDR_BITS <= 128, "a town address's bit is 7 bits of the gate's word");

/* bouclier_events: RINGBUF of struct bouclier_detect_event. */
struct bouclier_detect_event {
	struct bouclier_addr_key src;
	struct bouclier_ban ban;
	__u32 what;           /* enum bouclier_detect_count */
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_detect_event) == 56, "event");
#define BOUCLIER_EVENTS_BYTES (64 * 1024)

/* Defaults of the sizes the configuration sets at attach. */
#define BOUCLIER_BEHAVIOUR_ENTRIES 65536
#define BOUCLIER_PEERS_ENTRIES 65536
#define BOUCLIER_BANS_ENTRIES 10000


/* ---------------------------------------------------------------------------
 * The compiled table.
 *
 * bouclier_tables is an ARRAY_OF_MAPS of one slot.  The slot holds one inner
 * ARRAY map of 64-byte lines carrying everything the lookup needs for both
 * families; a refresh builds a new inner map and swaps it in with a single
 * update, so a packet sees the old table or the new one, whole.
 *
 * Every inner map has the same number of lines, the outer map's capacity
 * (a class: 2^k or 1.5 * 2^k lines, at least BOUCLIER_TABLE_MIN_LINES), and
 * no BPF_F_INNER_MAP: so the verifier knows the size and inlines each line
 * read into a few instructions instead of a helper call.  A table that
 * outgrows its class, or shrinks well below it, comes with new programs and
 * a new outer map (loader/attach.c), swapped onto every link at once.
 *
 * IPv4, most specific first:
 *   filter  2 bits per /24 (65536 lines): HOST = the host table may hold an
 *           address of this /24, NET = one of the net tables covers it.
 *   hosts   bucketised cuckoo hash of /32 keys (prefixes /25../32 expanded).
 *   net24   the same for /24 keys (prefixes /21../24 expanded, 8 keys at most).
 *   net20   the same for /20 keys (prefixes /17../20 expanded, 8 keys at most).
 *   dense   one value per /16 (prefixes /0../16 expanded), 4096 lines.
 * IPv6 (memory proportional to the prefixes, whatever their lengths):
 *   levels  up to 32 prefix lengths, chosen for each table among the lengths
 *           present (longest first), each a cuckoo hash of 128-bit keys
 *           masked to that length; a prefix is rounded up to its level by at
 *           most BOUCLIER_V6_SPAN bits, so it is at most 8 keys.
 *   dense   for each first 16 bits, the value of /1../16 prefixes and the
 *           mask of the levels shorter than /32 with a key under that /16;
 *           8192 lines.
 *   filter  one 32-bit mask per hash slot of the address's first 32 bits:
 *           the levels of /32 and longer that may hold a match.
 * Every value is pre-folded by user space: the allowlist and the union of all
 * covering prefixes' feeds are already in it, so the first hit is the answer.
 */
#define BOUCLIER_LINE_BYTES 64
#define BOUCLIER_TABLE_MIN_LINES (1u << 17) /* 8 MiB: the smallest capacity */
#define BOUCLIER_V4_FILTER_LINES 65536 /* 2^24 /24s * 2 bits / 512 */
#define BOUCLIER_DENSE_LINES 4096       /* 2^16 values * 4 bytes / 64 */
#define BOUCLIER_V6_DENSE_LINES 8192    /* 2^16 (value, mask) * 8 bytes / 64 */
#define BOUCLIER_V6_LEVELS 32
#define BOUCLIER_V6_SPAN 3              /* bits a prefix is rounded up, at most */
#define BOUCLIER_V6_SHORT 32            /* levels below /32 are flagged per /16 */
#define BOUCLIER_V4_SLOTS 8
#define BOUCLIER_V6_SLOTS 3

#define BOUCLIER_F4_HOST 1u
#define BOUCLIER_F4_NET 2u

struct bouclier_line {
	__u32 w[16];
};
_Static_assert(sizeof(struct bouclier_line) == BOUCLIER_LINE_BYTES, "line");

/* Line 0. Offsets and sizes count lines. */
struct bouclier_hdr {
	__u32 seed;
	__u32 v4_dense;
	__u32 v4_filter;
	__u32 v4_host_off;
	__u32 v4_host_nb;
	__u32 v4_net_off;
	__u32 v4_net_nb;
	__u32 v6_dense;
	__u32 v6_filter;
	__u32 v6_filter_nb; /* lines; 16 slots each */
	__u32 v4_net20_off;
	__u32 v4_net20_nb;
	__u32 v6_nlevels;
	/* User space only: what the table was compiled from (a sum over its
	 * lists, table_fingerprint()) and how many deltas were applied since
	 * the last full compile. */
	__u32 fingerprint[2];
	__u32 deltas;
};
_Static_assert(sizeof(struct bouclier_hdr) == BOUCLIER_LINE_BYTES, "hdr");

/* Line 1: each IPv6 level's prefix length, longest first. */
struct bouclier_v6_plens {
	__u8 plen[BOUCLIER_V6_LEVELS];
	__u8 pad[BOUCLIER_LINE_BYTES - BOUCLIER_V6_LEVELS];
};
_Static_assert(sizeof(struct bouclier_v6_plens) == BOUCLIER_LINE_BYTES, "plens");

/* Lines 2 to 5: where each IPv6 level's buckets are. */
struct bouclier_v6_level {
	__u32 off;
	__u32 nb;
};
struct bouclier_v6_levels {
	struct bouclier_v6_level l[8];
};
_Static_assert(sizeof(struct bouclier_v6_levels) == BOUCLIER_LINE_BYTES, "levels");
#define BOUCLIER_V6_PLEN_LINE 1
#define BOUCLIER_V6_LEVEL_LINE 2 /* lines 2..5, 8 levels each */
#define BOUCLIER_TABLE_FIRST 6   /* the regions start here */

struct bouclier_bucket4 {
	__u32 key[BOUCLIER_V4_SLOTS];
	__u32 val[BOUCLIER_V4_SLOTS]; /* 0 = empty slot */
};
_Static_assert(sizeof(struct bouclier_bucket4) == BOUCLIER_LINE_BYTES, "bucket4");

struct bouclier_bucket6 {
	__u64 key[BOUCLIER_V6_SLOTS][2]; /* host-order high and low halves */
	__u32 val[BOUCLIER_V6_SLOTS];
	__u32 pad;
};
_Static_assert(sizeof(struct bouclier_bucket6) == BOUCLIER_LINE_BYTES, "bucket6");
_Static_assert(__builtin_offsetof(struct bouclier_bucket6, val) == 48, "bucket6");

/* The hash both sides compute: a 64-bit finaliser (MurmurHash3's fmix64
 * constants); the two halves choose the two candidate buckets. */
static inline __u64 bouclier_mix(__u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Maps a 32-bit hash onto [0, n) without a division (Lemire's reduction). */
static inline __u32 bouclier_range(__u32 h, __u32 n)
{
	return (__u32)(((__u64)h * n) >> 32);
}

static inline __u64 bouclier_hash4(__u32 key, __u32 seed, __u32 salt)
{
	return bouclier_mix(((__u64)seed << 32 | salt) ^ key);
}

static inline __u64 bouclier_hash6(__u64 hi, __u64 lo, __u32 seed, __u32 plen)
{
	return bouclier_mix(hi ^ bouclier_mix(lo ^ ((__u64)seed << 32 | plen)));
}

static inline __u64 bouclier_mask64(__u32 bits)
{
	return bits == 0 ? 0 : bits >= 64 ? ~0ULL : ~0ULL << (64 - bits);
}

/* The HyperLogLog update both sides run: the top byte of the source's hash
 * picks the register, the leading zeros of the next 56 bits make the rank.
 * (A single multiplicative hash was tried: no faster, and too weak for
 * sequential addresses.) */
static inline __u64 bouclier_hll_hash(__u64 hi, __u64 lo)
{
	return bouclier_mix(hi ^ bouclier_mix(lo));
}

/* The bit of bouclier_ban_bloom a key of bouclier_bans sets: one formula
 * for the kernel, which sets and tests it, and user space, which rebuilds
 * the filter. */
static inline __u32 bouclier_bloom_bit(__u64 hi, __u64 lo)
{
	return (__u32)(bouclier_hll_hash(hi, lo) >> (64 - BOUCLIER_BLOOM_BITS_LOG));
}

/* The attack sketch's hash: the source's hash mixed with its service
 * class (enum bouclier_port; BOUCLIER_PORT_OTHER for everything without a
 * port of a known service). */
static inline __u64 bouclier_attack_hash(__u64 source_hash, __u32 service)
{
	return bouclier_mix(source_hash ^ (((__u64)service + 1) * 0x9e3779b97f4a7c15ULL));
}

/* Count of leading zero bits of a non-zero x: 64 minus the bits of x
 * smeared rightwards, counted in parallel (SWAR).  Without a branch, since
 * BPF has no conditional set: a branchy version made the verifier walk
 * every combination (and __builtin_clzll crashes clang 14's BPF backend). */
static inline __u32 bouclier_clz64(__u64 x)
{
	x |= x >> 1;
	x |= x >> 2;
	x |= x >> 4;
	x |= x >> 8;
	x |= x >> 16;
	x |= x >> 32;
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return 64 - (__u32)((x * 0x0101010101010101ULL) >> 56);
}

static inline void bouclier_hll_add(__u8 *regs, __u64 h)
{
	__u8 *r = &regs[(h >> 56) & (BOUCLIER_HLL_REGS - 1)];
	__u64 x = h << 8 | 0x80; /* the 56 bits of the rank, then a stop bit */
	__u32 cur = *r;

	/* The rank, clz(x) + 1, beats cur only when the top cur bits of x are
	 * zero: one shift tells, and the count runs once in 2^cur updates. */
	if (cur && (cur >= 64 || (x >> (64 - cur))))
		return;
	*r = bouclier_clz64(x) + 1;
}

#define BOUCLIER_SALT_HOST 0x68u
#define BOUCLIER_SALT_NET 0x6eu
#define BOUCLIER_SALT_NET20 0x6fu
#define BOUCLIER_SALT_F6 0x66u

#endif /* BOUCLIER_H */
