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

#define BOUCLIER_ABI 3

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
	X(timed, BOUCLIER_MAP_TIMED)

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
#define BOUCLIER_USER_FEEDS 31  /* indexes 0..30 are the configuration's feeds */
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

/* A feed's directions and mode (struct bouclier_feed.flags). */
#define BOUCLIER_FEED_IN 1u
#define BOUCLIER_FEED_OUT 2u
#define BOUCLIER_FEED_MONITOR 4u /* its addresses pass, counted as "would drop" */

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
	/* The program's own memo, not counters: the current 15-minute slot and
	 * the coarse-clock time it ends, so that the divisions that find a slot
	 * run once a slot and CPU rather than on every drop. */
	__u64 slot_now, slot_end_ns, slot_idx;
};
#define BOUCLIER_STATS_COUNTERS (2 * 7 + 4 * 4 + 4 + 1) /* u64 counters first */
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
	__u8 hll[BOUCLIER_HLL_REGS];        /* HyperLogLog of the sources dropped */
	/* HyperLogLog of (source, service class) pairs: one attack is one source
	 * trying one service in the slot, however many packets it sends */
	__u8 att_hll[BOUCLIER_HLL_REGS] __attribute__((aligned(8)));
	__u8 mon_hll[BOUCLIER_HLL_REGS];    /* sources monitored feeds would drop */
};
_Static_assert(sizeof(struct bouclier_slot) == 8 * 11 + 4 * 14 + 4 * 64 + 3 * 256, "slot layout");
_Static_assert(__builtin_offsetof(struct bouclier_slot, hll) == 400, "slot layout");
_Static_assert(__builtin_offsetof(struct bouclier_slot, att_hll) == 656, "slot layout");

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
};
_Static_assert(sizeof(struct bouclier_src_sample) == 24, "src sample");
#define BOUCLIER_SOURCES 4096 /* entries a CPU */
#define BOUCLIER_SAMPLE_MONITOR 0x80000000u
_Static_assert((BOUCLIER_SOURCES & (BOUCLIER_SOURCES - 1)) == 0, "a power of two");

/* bouclier_outbound: LRU_HASH, written by the TC egress program on every
 * drop on the way out: which inside machine tried to reach which listed
 * destination, in which 15-minute slot, how often.  The inside machine is
 * the packet's source before NAT, read from conntrack where the kernel
 * allows it (natted = 1), else the source as it leaves.  Outbound drops are
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
	__u8 natted;          /* in_* came from conntrack */
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
