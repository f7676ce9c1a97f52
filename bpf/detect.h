/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * detect.h - detection in the kernel (bouclier.h says what it counts): the
 * bans the kernel made, checked on every packet on the way in that the
 * table neither drops nor allows; each probe counted by source; a ban made
 * when a threshold is crossed and the source is not spared; on the way
 * out, the addresses the town opens something with, learned (so a forged
 * scan cannot ban them), and a ban on such an address lifted.  Kernel side
 * only; included by filter.h and egress.h after counters.h.
 *
 * Cost: a packet the table passes reads one word of the 64 KiB bloom
 * filter (in cache); only a probe (a SYN, a UDP request, an echo request)
 * touches a source's state, in a global function verified once, and a
 * source's first probe only a word of the gate (bouclier_first_seen).
 */
#ifndef BOUCLIER_DETECT_H
#define BOUCLIER_DETECT_H

#include "counters.h"

/* Each source's probes in its window (bouclier.h); a flood of forged
 * sources evicts these, never a ban. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BOUCLIER_BEHAVIOUR_ENTRIES); /* set at attach */
	__type(key, struct bouclier_addr_key);
	__type(value, struct bouclier_behaviour);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_BEHAVIOUR SEC(".maps");

/* The bans the kernel made, and the ended ones remembered for repeats. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BOUCLIER_BANS_ENTRIES); /* max_bans, set at attach */
	__type(key, struct bouclier_addr_key);
	__type(value, struct bouclier_ban);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_BANS SEC(".maps");

/* One bit per hash of every key of bouclier_bans. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, BOUCLIER_BLOOM_WORDS);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_BLOOM SEC(".maps");

/* What the town opened something with lately: never banned. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BOUCLIER_PEERS_ENTRIES); /* set at attach */
	__type(key, struct bouclier_addr_key);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_PEERS SEC(".maps");

/* A source's first probe, before it takes an entry above (bouclier.h).
 * Not pinned: forgotten at a reload, which costs each source one probe. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BOUCLIER_FIRST_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} BOUCLIER_MAP_FIRST SEC(".maps");

/* The thresholds; written by user space (all zeros: detection off). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bouclier_detect_conf);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_DETECT SEC(".maps");

/* Bans made, lifted, refused for the cap: for `watch`. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, BOUCLIER_EVENTS_BYTES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} BOUCLIER_MAP_EVENTS SEC(".maps");

/* Sensitive service by port (enum bouclier_guess), as the weather's
 * service classes are kept: one load from .rodata, read by probes only. */
static const __u8 bouclier_port_guess[65536] = {
#define BOUCLIER_X(port, e) [port] = BOUCLIER_GUESS_##e,
	BOUCLIER_GUESS_PORTS(BOUCLIER_X)
#undef BOUCLIER_X
};

static const struct bouclier_behaviour bouclier_no_behaviour;

/* A source (dst 0) or destination as detection keys it: an IPv6 address cut
 * to its /64. */
static __always_inline void bouclier_detect_key(const struct bouclier_pkt *p, int dst,
						struct bouclier_addr_key *k)
{
	bouclier_addr(p, dst, &k->hi, &k->lo);
	if (p->family == BOUCLIER_F_V6)
		k->lo = 0;
}

static __always_inline __s64 bouclier_wall_now(void)
{
	struct bouclier_clock *clk;
	__u32 zero = 0;

	clk = bpf_map_lookup_elem(&BOUCLIER_MAP_CLOCK, &zero);
	return (__s64)(bpf_ktime_get_coarse_ns() / 1000000000ULL) + (clk ? clk->wall_offset : 0);
}

/* The bloom filter's word for a key, and the bit in it. */
static __always_inline __u64 *bouclier_bloom_word(const struct bouclier_addr_key *k, __u64 *bit)
{
	__u32 b = bouclier_bloom_bit(k->hi, k->lo), w = b >> 6;

	*bit = 1ULL << (b & 63);
	return bpf_map_lookup_elem(&BOUCLIER_MAP_BLOOM, &w);
}

/* Counts an outcome in the CPU's counters and the weather's slot.  Global:
 * the slot's upkeep is inlined once, not at every outcome. */
__noinline int bouclier_detect_count(__u32 what)
{
	struct bouclier_stats *st;
	struct bouclier_slot *sl;
	__u32 key = BOUCLIER_D_IN;

	st = bpf_map_lookup_elem(&BOUCLIER_MAP_STATS, &key);
	if (!st || what >= BOUCLIER_DT_MAX)
		return 0;
	st->detect[what]++;
	sl = bouclier_slot_now(st);
	if (sl && what < BOUCLIER_DT_MAX)
		sl->detect[what]++;
	return 0;
}

static __always_inline void bouclier_detect_tell(const struct bouclier_addr_key *k,
						 const struct bouclier_ban *b, __u32 what)
{
	struct bouclier_detect_event *e;

	/* a full ring loses the event, not the ban: watch reads the map too */
	e = bpf_ringbuf_reserve(&BOUCLIER_MAP_EVENTS, sizeof(*e), 0);
	if (!e)
		return;
	e->src = *k;
	e->ban = *b;
	e->what = what;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
}

/* A source whose bloom bit is set: the ban in force on it, if any, merged
 * into val.  Global: verified once, called only on a bloom hit. */
__noinline __u32 bouclier_ban_find(const struct bouclier_addr_key *key, __u32 val)
{
	struct bouclier_detect_conf *conf;
	struct bouclier_addr_key k;
	struct bouclier_ban *b;
	__u32 zero = 0;

	if (!key)
		return val;
	k = *key;
	b = bpf_map_lookup_elem(&BOUCLIER_MAP_BANS, &k);
	if (!b || !bouclier_ban_acts(b, bouclier_wall_now()))
		return val;
	conf = bpf_map_lookup_elem(&BOUCLIER_MAP_DETECT, &zero);
	/* a ban made before the town switched to monitor mode watches too */
	return bouclier_ban_merge(val, conf ? conf->set : 0,
				  (b->flags & BOUCLIER_BAN_MONITOR) ||
				  (conf && (conf->flags & BOUCLIER_DETECT_MONITOR)));
}

/* Every packet on the way in that the table neither drops nor allows: one
 * word of the bloom filter, in cache, decides whether to look further. */
static __always_inline __u32 bouclier_ban_check(const struct bouclier_pkt *p, __u32 val)
{
	struct bouclier_addr_key k;
	__u64 bit, *w;

	if (val & (BOUCLIER_ALLOW | BOUCLIER_IN))
		return val;
	bouclier_detect_key(p, 0, &k);
	w = bouclier_bloom_word(&k, &bit);
	if (!w || !(*w & bit))
		return val;
	return bouclier_ban_find(&k, val);
}

/* A source crossed a threshold: spared, or banned (a would-ban in monitor
 * mode), the ban twice as long as its last one when it ended less than
 * max_ban ago.  Returns the new value; *decided is set when the source is
 * spared for this window (allowlisted, a peer), not when max_bans are
 * held: room is made within a second. */
static __always_inline __u32 bouclier_detected(const struct bouclier_addr_key *k,
					       const struct bouclier_detect_conf *conf,
					       struct bouclier_ban *nb, __u32 val, __u8 *decided)
{
	struct bouclier_ban *b;
	__s64 now = bouclier_wall_now();
	__u64 *peer, *w, bit;
	__u32 offences = 1, shift, secs;
	int monitor = !!(conf->flags & BOUCLIER_DETECT_MONITOR);

	if (val & BOUCLIER_ALLOW) {
		bouclier_detect_count(BOUCLIER_DT_SPARED_ALLOW);
		*decided = 1;
		return val;
	}
	peer = bpf_map_lookup_elem(&BOUCLIER_MAP_PEERS, k);
	if (peer && now - (__s64)*peer < (__s64)conf->peer_seconds) {
		bouclier_detect_count(BOUCLIER_DT_SPARED_PEER);
		*decided = 1;
		return val;
	}
	b = bpf_map_lookup_elem(&BOUCLIER_MAP_BANS, k);
	if (b) {
		/* one in force is found here only while its bloom bit is not
		 * set yet (another CPU banning it meanwhile, user space
		 * rebuilding the filter): it acts all the same */
		if (bouclier_ban_acts(b, now))
			return bouclier_ban_merge(val, conf->set,
						  monitor || (b->flags & BOUCLIER_BAN_MONITOR));
		if (now - (__s64)b->expires < (__s64)conf->max_ban)
			offences = b->offences < 255 ? b->offences + 1 : 255;
	}
	shift = offences - 1 < 16 ? offences - 1 : 16;
	secs = conf->ban << shift;
	if (!conf->ban || secs > conf->max_ban || (secs >> shift) != conf->ban)
		secs = conf->max_ban;
	nb->at = now;
	nb->expires = now + secs;
	nb->offences = offences;
	nb->flags = monitor ? BOUCLIER_BAN_MONITOR : 0;
	if (b) {
		*b = *nb;
	} else if (bpf_map_update_elem(&BOUCLIER_MAP_BANS, k, nb, BPF_NOEXIST)) {
		/* another CPU banned it first (a scan's flows spread over CPUs) */
		if (bpf_map_lookup_elem(&BOUCLIER_MAP_BANS, k))
			return bouclier_ban_merge(val, conf->set, monitor);
		/* max_bans held: user space makes room, oldest first */
		bouclier_detect_count(BOUCLIER_DT_SPARED_FULL);
		bouclier_detect_tell(k, nb, BOUCLIER_DT_SPARED_FULL);
		return val;
	}
	w = bouclier_bloom_word(k, &bit);
	if (w)
		__sync_fetch_and_or(w, bit);
	bouclier_detect_count(monitor ? BOUCLIER_DT_WOULD_BAN : BOUCLIER_DT_BANNED);
	bouclier_detect_tell(k, nb, monitor ? BOUCLIER_DT_WOULD_BAN : BOUCLIER_DT_BANNED);
	return bouclier_ban_merge(val, conf->set, monitor);
}

/* Sets a bit of a bitmap and says whether it was new; atomic, so that two
 * CPUs never count one bit twice. */
static __always_inline int bouclier_bit_new(__u64 *words, __u32 bit)
{
	__u64 m = 1ULL << (bit & 63);

	return !(__sync_fetch_and_or(&words[bit >> 6], m) & m);
}

/* One probe counted in a source's window: its port (a bit), a new
 * connection to a sensitive service, the town address it tried (a bit).
 * probe is the low half of a gate word (bouclier.h).  Returns the service
 * guessed at, if any. */
static __always_inline __u32 bouclier_probe_add(struct bouclier_behaviour *b, __u32 probe)
{
	__u16 port = (__u16)probe;
	__u32 guess = 0;

	if (probe & BOUCLIER_FIRST_PORT) {
		if (bouclier_bit_new(b->ports, port & (BOUCLIER_PORT_BITS - 1)))
			b->nports++;
		b->last_port = port;
		if (probe & BOUCLIER_FIRST_CONNECT) {
			guess = bouclier_port_guess[port] & 15;
			if (guess && b->tries[guess] < 0xffff)
				b->tries[guess]++;
		}
	}
	if (bouclier_bit_new(b->addrs, (probe >> 16) & (BOUCLIER_ADDR_BITS - 1)))
		b->naddrs++;
	return guess;
}

/* A new window of a source's counts, from now. */
static __always_inline void bouclier_window_restart(struct bouclier_behaviour *b, __u64 now)
{
	__builtin_memset((void *)b + sizeof(b->start), 0, sizeof(*b) - sizeof(b->start));
	b->start = now;
}

/* A source without an entry: its first probe is kept in the gate (returns
 * 1: nothing more to do); at its second, the gate's word holds the first
 * (*first, returns 0).  Only probes from sources the table passes get here,
 * so a listed flood never writes the gate. */
static __always_inline int bouclier_first_sight(const struct bouclier_addr_key *k, __u32 probe,
						__u64 *first)
{
	__u64 h = bouclier_hll_hash(k->hi, k->lo), *w;
	__u32 i = (__u32)h & (BOUCLIER_FIRST_ENTRIES - 1);

	w = bpf_map_lookup_elem(&BOUCLIER_MAP_FIRST, &i);
	if (!w)
		return 0;
	*first = *w;
	if ((__u32)(*first >> 32) == BOUCLIER_FIRST_TAG(h)) {
		*w = 0;
		return 0;
	}
	*w = (__u64)BOUCLIER_FIRST_TAG(h) << 32 | probe;
	return 1;
}

/* A probe from a source the table passes (or allows: what is spared is
 * counted too): its state in its window, and a threshold crossed.  Global:
 * verified once.  Counters other than the bitmaps are plain increments: two
 * CPUs racing lose a count, which only delays a detection by a probe. */
__noinline __u32 bouclier_behave(const struct bouclier_pkt *p, __u32 val)
{
	struct bouclier_behaviour *b;
	struct bouclier_detect_conf *conf;
	struct bouclier_ban nb = {};
	struct bouclier_addr_key k;
	__u64 now, dh, first = 0;
	__u32 zero = 0, guess, n, probe;

	if (!p)
		return val;
	conf = bpf_map_lookup_elem(&BOUCLIER_MAP_DETECT, &zero);
	if (!conf || !(conf->flags & BOUCLIER_DETECT_ON))
		return val;
	/* the probe as the gate keeps it: the port when it is one's opening,
	 * the town address's bit */
	dh = p->family == BOUCLIER_F_V4 ? p->dst4 : bouclier_hll_hash(p->dhi, p->dlo);
	probe = ((__u32)dh & (BOUCLIER_ADDR_BITS - 1)) << 16;
	if (p->dport && (p->probe & (BOUCLIER_PROBE_SYN | BOUCLIER_PROBE_UDP |
				     BOUCLIER_PROBE_HELLO))) {
		probe |= p->dport | BOUCLIER_FIRST_PORT;
		if (p->probe & (BOUCLIER_PROBE_SYN | BOUCLIER_PROBE_HELLO))
			probe |= BOUCLIER_FIRST_CONNECT;
	}
	bouclier_detect_key(p, 0, &k);
	now = bpf_ktime_get_coarse_ns();
	b = bpf_map_lookup_elem(&BOUCLIER_MAP_BEHAVIOUR, &k);
	if (!b) {
		if (bouclier_first_sight(&k, probe, &first))
			return val;
		/* from .rodata: a zeroed value on the stack would cost 96 of its
		 * 512 bytes */
		bpf_map_update_elem(&BOUCLIER_MAP_BEHAVIOUR, &k, &bouclier_no_behaviour, BPF_NOEXIST);
		b = bpf_map_lookup_elem(&BOUCLIER_MAP_BEHAVIOUR, &k);
		if (!b)
			return val;
		if (!b->start)
			b->start = now;
		/* the first probe, which the gate kept (none when the gate's
		 * map was missing) */
		if (first)
			bouclier_probe_add(b, (__u32)first);
	} else if ((__s64)(now - b->start) > (__s64)conf->window * 1000000000LL) {
		/* signed: another CPU may have started it a coarse tick later */
		/* a new window: the racing CPU's probe may be lost with the old one */
		bouclier_window_restart(b, now);
	}
	if (b->decided) /* spared in this window already */
		return val;
	guess = bouclier_probe_add(b, probe);

	if (conf->scan_bits && b->nports >= conf->scan_bits) {
		nb.kind = BOUCLIER_B_SCAN;
		nb.count = b->nports;
	} else if (conf->sweep_bits && b->naddrs >= conf->sweep_bits) {
		nb.kind = BOUCLIER_B_SWEEP;
		nb.count = b->naddrs;
	} else if (guess && conf->guesses && b->tries[guess] >= conf->guesses) {
		nb.kind = BOUCLIER_B_GUESS;
		nb.service = guess;
		nb.count = b->tries[guess];
	} else {
		return val;
	}
	/* signed, as above: 0 rather than a wrap when start is a tick ahead */
	n = (__s64)(now - b->start) > 0 ? (__u32)((now - b->start) / 1000000000ULL) : 0;
	nb.seconds = n < 0xffff ? n : 0xffff;
	nb.port = b->last_port;
	val = bouclier_detected(&k, conf, &nb, val, &b->decided);
	if (val & BOUCLIER_DETECTED) {
		/* banned: counted afresh when the ban ends */
		bouclier_window_restart(b, now);
	}
	return val;
}

/* On the way out: a packet that opens something (a TCP SYN, a UDP request,
 * an echo request) makes its destination a peer of the town for
 * peer_seconds, and lifts a ban on it.  Global: verified once. */
__noinline int bouclier_learn(const struct bouclier_pkt *p)
{
	struct bouclier_addr_key k;
	struct bouclier_ban *b;
	__u64 *seen, *w, bit;
	__s64 now;

	if (!p)
		return 0;
	/* UDP only when it asks: a request (a lower destination port, or the
	 * same port but a sensitive service's, NTP's say) or a handshake's
	 * opening.  The town's own servers answering from their port would
	 * make every SIP, IKE or OpenVPN guesser a peer of the town. */
	if (!(p->probe & (BOUCLIER_PROBE_SYN | BOUCLIER_PROBE_ECHO | BOUCLIER_PROBE_UDP |
			  BOUCLIER_PROBE_HELLO)) &&
	    !(p->proto == BOUCLIER_P_UDP && p->dport && p->dport == p->sport &&
	      !bouclier_port_guess[p->dport] && !p->fragment))
		return 0;
	bouclier_detect_key(p, 1, &k);
	now = bouclier_wall_now();
	seen = bpf_map_lookup_elem(&BOUCLIER_MAP_PEERS, &k);
	if (!seen || now - (__s64)*seen >= 60) {
		__u64 t = (__u64)now;

		bpf_map_update_elem(&BOUCLIER_MAP_PEERS, &k, &t, BPF_ANY);
	}
	w = bouclier_bloom_word(&k, &bit);
	if (!w || !(*w & bit))
		return 0;
	b = bpf_map_lookup_elem(&BOUCLIER_MAP_BANS, &k);
	if (!b || !bouclier_ban_acts(b, now))
		return 0;
	b->flags |= BOUCLIER_BAN_LIFTED;
	bouclier_detect_count(BOUCLIER_DT_LIFTED);
	bouclier_detect_tell(&k, b, BOUCLIER_DT_LIFTED);
	return 1;
}

#endif /* BOUCLIER_DETECT_H */
