/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * detect.h - detection's user side (the kernel's is bpf/detect.h; the
 * contract in bouclier.h): the [detect] settings made into the kernel's
 * thresholds; the bans the kernel made, kept in STATE_DIR/detected.list so
 * that they survive a reboot and restored into bouclier_bans and its bloom
 * filter at every change of the lists; tidied (an ended ban is forgotten
 * max_ban after its end; past max_bans, the oldest go first); lifted by
 * `ban del`; said in words for `ban list`, `why`, the logs and the alerts.
 * Functions return 0 or -errno.
 */
#ifndef BOUCLIER_DETECT_USER_H
#define BOUCLIER_DETECT_USER_H

#include <stdbool.h>
#include <time.h>
#include <jansson.h>
#include "cidr.h"
#include "live.h"

/* [detect] of the configuration. */
struct detect_settings {
	bool on;              /* detect = on */
	bool monitor;         /* action = monitor: would-bans, nothing dropped */
	long window;          /* seconds */
	long scan_ports;      /* distinct ports that make a scan */
	long sweep_addresses; /* distinct town addresses that make a sweep */
	long guesses;         /* new connections to one sensitive service */
	long ban, max_ban;    /* seconds: a first ban, the ceiling (repeats double) */
	long peer_seconds;    /* contacted this recently by the town: never banned */
	long max_bans;        /* bans held at most (the map's size, at attach) */
	long sources, peers;  /* sizes of the kernel's LRU maps, at attach */
};
/* Inline: the configuration's parser (and its fuzzer) link without the
 * rest of detection, which needs libbpf. */
static inline void detect_defaults(struct detect_settings *d)
{
	*d = (struct detect_settings){
		.on = true,
		.window = 60,
		.scan_ports = 20,
		.sweep_addresses = 10,
		.guesses = 30,
		.ban = 3600,
		.max_ban = 86400,
		.peer_seconds = 3600,
		.max_bans = BOUCLIER_BANS_ENTRIES,
		.sources = BOUCLIER_BEHAVIOUR_ENTRIES,
		.peers = BOUCLIER_PEERS_ENTRIES,
	};
}
/* The bits of a bitmap of m that n distinct values set, as many as the
 * linear-counting estimate reads back as n (rounded); and the estimate of
 * b bits set. */
__u32 detect_bits(long n, __u32 m);
long detect_estimate(__u32 b, __u32 m);

/* One ban of the kernel's, with the prefix it covers (an IPv4 address, an
 * IPv6 /64). */
struct detect_entry {
	struct bouclier_addr_key k;
	struct bouclier_ban b;
};
struct detect_list {
	struct detect_entry *v;
	size_t n;
};
void detect_list_free(struct detect_list *d);
void detect_key_of(const struct cidr *c, struct bouclier_addr_key *k);
void detect_cidr_of(const struct bouclier_addr_key *k, struct cidr *c);

/* STATE_DIR/detected.list; a missing file is an empty list, a line that
 * does not parse is skipped with a warning naming it. */
int detect_load(const char *dir, struct detect_list *d);
int detect_save(const char *dir, const struct detect_list *d);
/* Every entry of the kernel's map. */
int detect_read(struct live *l, struct detect_list *d);

/* Writes the thresholds (and the detected pseudo-feed's name and set) for
 * the programs. */
int detect_configure(struct live *l, const struct detect_settings *s);
/* The file and the map made one: the file's entries the map lacks (after a
 * reboot) go in, what has been forgotten leaves, past max_bans the oldest
 * leave, the bloom filter follows, and the file is written from the map.
 * Under the state lock.  *added, *removed (may be NULL) count the changes. */
int detect_sync(struct live *l, const char *dir, const struct detect_settings *s, time_t now,
		size_t *added, size_t *removed);
/* `ban del` of a detected ban: out of the map and the file; -ENOENT when
 * no detected ban covers c. */
int detect_lift(struct live *l, const char *dir, const struct cidr *c);

/* What the programs do after the table's and the timed entries' value *val
 * for an address: a detected ban in force on it (its /64 for IPv6) is
 * merged as the kernel merges it (maps/verdict.h).  Returns 1 and the ban
 * in *hit when one covers it (acting or not: *hit says), else 0. */
int detect_lookup(struct live *l, const struct cidr *addr, __u32 *val, struct bouclier_ban *hit);

/* Whether a ban acts now: not ended, not lifted. */
bool detect_active(const struct bouclier_ban *b, time_t now);
/* "port scan: about 20 ports in 3 s", "password guessing (rdp): 31
 * connections in 12 s" */
void detect_describe(const struct bouclier_ban *b, char *buf, size_t len);
/* The same in a language ("en", "fr"), for what officials read (alerts). */
void detect_describe_lang(const struct bouclier_ban *b, const char *lang, char *buf, size_t len);
/* One entry for people (a line) and for JSON. */
void detect_print(const struct detect_entry *e, time_t now);
json_t *detect_json(const struct detect_entry *e, time_t now);

#endif
