/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * region.h - the region's list, both ends.  The observatory gathers the
 * sources towns reported (one sighting a source and town), keeps those at
 * least min_towns towns saw, and publishes them as a list of the format
 * "region" (maps/formats.c), signed (sign.h): LIST and LIST.sig.  A town
 * whose feed says `verify = KEY.pub` takes a list only when it verifies
 * with that key and is not older than the one it runs (its sequence
 * number).  Used by observatory.c, refresh.c and cmd_feed.c; the replay
 * check's memory is the feed's state file (state.h, "# key:", "# sequence:").
 * Functions return 0 or -errno.
 */
#ifndef BOUCLIER_REGION_H
#define BOUCLIER_REGION_H

#include <stdbool.h>
#include <time.h>
#include <linux/types.h>
#include "feed.h"
#include "sign.h"

/* ---- a town */

/* What a verified list says of itself: the key that signed it, its
 * sequence number, when it was made. */
struct region_signed {
	char key[SIGN_ID_LEN]; /* "" for a feed that is not the region's */
	__u64 sequence, made;
};

/* Reads file and file.sig, verifies the file's bytes with the public key
 * in pubkey, parses those same bytes as a regional list into r (problems
 * through d), and refuses a list older than live when live was signed by
 * the same key (a replay; a new key starts its own numbering).  What is
 * refused is said on stderr, naming the file and the fix; *got is what the
 * list says of itself; why gets a short reason for refresh's log and the
 * alert.  -EBADMSG: the list is refused; -ENOENT and others: pubkey cannot
 * be read. */
int region_verify(const char *file, const char *pubkey, const struct region_signed *live,
		  struct feed_result *r, const struct feed_diag *d, struct region_signed *got,
		  char *why, size_t len);

/* The replay check alone (region_verify() makes it): -EBADMSG, said, when
 * got is older than live and signed by the same key. */
int region_replayed(const char *file, const struct region_signed *live,
		    const struct region_signed *got, char *why, size_t len);

/* ---- the observatory */

/* One source in one town's reports: IPv4 as ::ffff:a.b.c.d (hi 0), IPv6 cut
 * to its /64 (lo 0), as bouclier_addr_key. */
struct region_sighting {
	__u64 hi, lo;
	__u32 town;    /* the town's index, the observatory's */
	__u32 attacks; /* what the town counted (the largest of its reports) */
};

/* Every sighting, a town's several reports folded into one: past
 * REGION_FOLD_AT entries the array is sorted and folded whenever it fills,
 * so it holds at most about twice the distinct (source, town) pairs. */
#define REGION_FOLD_AT (1u << 22) /* 96 MiB of sightings */
struct region_sightings {
	struct region_sighting *v;
	size_t n, cap;
	size_t fold_at; /* 0: REGION_FOLD_AT (the tests set a smaller one) */
};
int region_sighting_add(struct region_sightings *s, __u64 hi, __u64 lo, __u32 town,
			__u32 attacks);
void region_sightings_free(struct region_sightings *s);

struct region_entry {
	__u64 hi, lo;
	__u32 towns;   /* that saw it */
	__u64 attacks; /* summed over them */
};

/* The sources at least min_towns towns saw, in address order, into *v
 * (malloc'd); fed[t] (ntowns of them, zeroed first) is set for each town
 * that saw one of them.  counted, when not NULL, names the towns whose
 * sightings count (counted[t] nonzero): the roster's, not whoever wrote a
 * report. */
int region_select(struct region_sightings *s, unsigned int min_towns, const unsigned char *counted,
		  unsigned char *fed, size_t ntowns, struct region_entry **v, size_t *n);

struct region_params {
	unsigned int min_towns;
	long window;      /* seconds */
	size_t towns_fed; /* towns that saw a source of the list */
	time_t now;
};

/* Writes the list to out and its signature to out.sig (each replaced
 * atomically, the list first), signed with the secret key in keyfile.  Its
 * sequence is the clock's second (p->now), or one more than the previous
 * out's when that verifies with this key and is not older: so a list lost or
 * tampered with on the web server never makes the next one older than what
 * the towns hold.  *sequence gets it.  Problems are said on stderr naming
 * the file. */
int region_publish(const char *out, const char *keyfile, const struct region_entry *v, size_t n,
		   const struct region_params *p, __u64 *sequence);

#endif
