/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * cidr.h - addresses and prefixes in user space: strict parsing, canonical
 * printing, ordering.  Included by the feed parser, the table compiler, the
 * loader and the tests.  Functions return 0 or a negative errno.
 */
#ifndef BOUCLIER_CIDR_H
#define BOUCLIER_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct cidr {
	__u8 family; /* 4 or 6 */
	__u8 plen;
	__u8 addr[16]; /* network order; IPv4 in the first 4 bytes */
};

/* Longest printed form: an IPv6 address and "/128". */
#define CIDR_STRLEN 48

enum cidr_flags {
	CIDR_HOSTBITS = 1, /* host bits were set and have been cleared */
};

/*
 * Parses "A.B.C.D", "A.B.C.D/N", "X:Y::Z" or "X:Y::Z/N".  On failure *why
 * holds a short reason for the user.  *flags gets CIDR_HOSTBITS when host
 * bits were masked off.  /0 is refused: it would block the whole Internet.
 */
int cidr_parse(const char *s, size_t len, struct cidr *out, int *flags, const char **why);
/* The common feed line, exactly "A.B.C.D" or "A.B.C.D/N" with no host bits
 * set, in one pass: 1 and *out, or 0 when [s, e) is anything else, which
 * cidr_parse() then reads (and explains).  Never accepts what cidr_parse()
 * refuses. */
int cidr_parse_v4_line(const char *s, const char *e, struct cidr *out);
/* Parses a bare address (no prefix length) of either family. */
int cidr_parse_addr(const char *s, size_t len, struct cidr *out, const char **why);
char *cidr_format(const struct cidr *c, char *buf, size_t len);
/* The same, returning the length written (without the NUL). */
size_t cidr_print(const struct cidr *c, char *buf, size_t len);
/* Orders by family, then address, then prefix length (shorter first), so a
 * covering prefix comes before what it covers. */
int cidr_cmp(const struct cidr *a, const struct cidr *b);
bool cidr_contains(const struct cidr *outer, const struct cidr *inner);
void cidr_mask(struct cidr *c);
__u32 cidr_v4(const struct cidr *c); /* host order */
void cidr_v6(const struct cidr *c, __u64 *hi, __u64 *lo);
void cidr_from_v4(struct cidr *c, __u32 addr, __u8 plen);
void cidr_from_v6(struct cidr *c, __u64 hi, __u64 lo, __u8 plen);



/* Sorts like qsort(), stably, in O(n) when the input is already in order
 * and O(n log r) for r sorted runs: feeds usually arrive sorted, and the
 * compiler's input is a few sorted feeds end to end. */
void sort_runs(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* Sorts, drops duplicates and covered prefixes, merges adjacent siblings
 * into their parent: the smallest list of prefixes covering the same
 * addresses.  Updates *n. */
void cidr_normalise(struct cidr *v, size_t *n);
/* Splits the inclusive range [lo, hi] of one family into the fewest
 * prefixes; calls emit for each; stops at the first non-zero return. */
int cidr_range(const struct cidr *lo, const struct cidr *hi,
	       int (*emit)(const struct cidr *c, void *ctx), void *ctx);
/* Emits a minus the holes (each inside a), in the fewest prefixes; stops at
 * the first non-zero return of emit. */
int cidr_subtract(const struct cidr *a, const struct cidr *holes, size_t n,
		  int (*emit)(const struct cidr *c, void *ctx), void *ctx);
#endif
