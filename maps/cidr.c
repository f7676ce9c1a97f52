// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cidr.h"

static int parse_v4(const char *s, size_t len, __u8 out[4], const char **why)
{
	size_t i = 0;
	int octet;

	for (octet = 0; octet < 4; octet++) {
		unsigned int v = 0, digits = 0;

		if (octet) {
			if (i >= len || s[i] != '.') {
				*why = "IPv4 address needs four dot-separated numbers";
				return -EINVAL;
			}
			i++;
		}
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (s[i] - '0');
			if (++digits > 3 || v > 255) {
				*why = "IPv4 octet above 255";
				return -EINVAL;
			}
			i++;
		}
		if (!digits) {
			*why = "IPv4 address needs four dot-separated numbers";
			return -EINVAL;
		}
		if (digits > 1 && s[i - digits] == '0') {
			*why = "leading zero in an IPv4 octet is ambiguous (octal or decimal?)";
			return -EINVAL;
		}
		out[octet] = v;
	}
	if (i != len) {
		*why = "unexpected characters after the IPv4 address";
		return -EINVAL;
	}
	return 0;
}

int cidr_parse_v4_line(const char *s, const char *e, struct cidr *out)
{
	__u32 a = 0, v;
	unsigned int plen = 32;
	int octet;

	for (octet = 0; octet < 4; octet++) {
		if (octet && (s == e || *s++ != '.'))
			return 0;
		if (s == e || *s < '0' || *s > '9')
			return 0;
		v = *s++ - '0';
		if (s < e && *s >= '0' && *s <= '9') {
			if (!v)
				return 0; /* a leading zero: the careful path says why */
			v = v * 10 + (*s++ - '0');
			if (s < e && *s >= '0' && *s <= '9')
				v = v * 10 + (*s++ - '0');
		}
		if (v > 255)
			return 0;
		a = a << 8 | v;
	}
	if (s < e) {
		if (*s++ != '/' || s == e || *s < '1' || *s > '9')
			return 0;
		plen = *s++ - '0';
		if (s < e && *s >= '0' && *s <= '9')
			plen = plen * 10 + (*s++ - '0');
		if (plen > 32)
			return 0;
	}
	if (s != e || (plen < 32 && (a << plen)))
		return 0; /* more, or host bits set: the careful path warns */
	cidr_from_v4(out, a, plen);
	return 1;
}

int cidr_parse_addr(const char *s, size_t len, struct cidr *out, const char **why)
{
	char buf[64];

	memset(out, 0, sizeof(*out));
	if (!len) {
		*why = "empty address";
		return -EINVAL;
	}
	if (memchr(s, 0, len)) { /* "2001:db8::1\0garbage" is not 2001:db8::1 */
		*why = "a NUL byte inside the address";
		return -EINVAL;
	}
	if (memchr(s, ':', len)) {
		if (memchr(s, '%', len)) {
			*why = "zone index (%...) has no meaning in a blocklist";
			return -EINVAL;
		}
		if (len >= sizeof(buf) || (memcpy(buf, s, len), buf[len] = 0,
					   inet_pton(AF_INET6, buf, out->addr) != 1)) {
			*why = "not a valid IPv6 address";
			return -EINVAL;
		}
		out->family = 6;
		out->plen = 128;
		return 0;
	}
	if (parse_v4(s, len, out->addr, why))
		return -EINVAL;
	out->family = 4;
	out->plen = 32;
	return 0;
}

void cidr_mask(struct cidr *c)
{
	int bytes = c->family == 4 ? 4 : 16, i;

	for (i = 0; i < bytes; i++) {
		int keep = (int)c->plen - i * 8;

		if (keep <= 0)
			c->addr[i] = 0;
		else if (keep < 8)
			c->addr[i] &= (__u8)(0xff << (8 - keep));
	}
	for (i = bytes; i < 16; i++)
		c->addr[i] = 0;
}

int cidr_parse(const char *s, size_t len, struct cidr *out, int *flags, const char **why)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	struct cidr masked;
	int err;

	*flags = 0;
	err = cidr_parse_addr(s, alen, out, why);
	if (err)
		return err;
	if (slash) {
		const char *p = slash + 1, *e = s + len;
		unsigned int v = 0, max = out->family == 4 ? 32 : 128;

		if (p == e || e - p > 3) {
			*why = "prefix length must be a number after /";
			return -EINVAL;
		}
		for (; p < e; p++) {
			if (*p < '0' || *p > '9') {
				*why = "prefix length must be a number after /";
				return -EINVAL;
			}
			v = v * 10 + (*p - '0');
		}
		if ((slash[1] == '0' && e - slash > 2) || v > max) {
			*why = out->family == 4 ? "IPv4 prefix length must be 1 to 32"
						: "IPv6 prefix length must be 1 to 128";
			return -EINVAL;
		}
		out->plen = v;
	}
	if (out->plen == 0) {
		*why = "a /0 prefix would block every address; refused";
		return -EINVAL;
	}
	masked = *out;
	cidr_mask(&masked);
	if (memcmp(masked.addr, out->addr, 16)) {
		*flags |= CIDR_HOSTBITS;
		*out = masked;
	}
	return 0;
}

static char *put_dec(char *p, unsigned int v)
{
	if (v >= 100)
		*p++ = '0' + v / 100;
	if (v >= 10)
		*p++ = '0' + v / 10 % 10;
	*p++ = '0' + v % 10;
	return p;
}

/* IPv4 by hand: state files and --print write a million of these. */
size_t cidr_print(const struct cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], *p = buf;
	int i, n;

	if (c->family == 4 && len >= CIDR_STRLEN) {
		for (i = 0; i < 4; i++) {
			p = put_dec(p, c->addr[i]);
			*p++ = i < 3 ? '.' : '/';
		}
		p = put_dec(p, c->plen);
		*p = 0;
		return p - buf;
	}
	inet_ntop(c->family == 4 ? AF_INET : AF_INET6, c->addr, a, sizeof(a));
	n = snprintf(buf, len, "%s/%u", a, c->plen);
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len ? len - 1 : 0;
}

char *cidr_format(const struct cidr *c, char *buf, size_t len)
{
	cidr_print(c, buf, len);
	return buf;
}

int cidr_cmp(const struct cidr *a, const struct cidr *b)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	r = memcmp(a->addr, b->addr, a->family == 4 ? 4 : 16);
	if (r)
		return r;
	return a->plen < b->plen ? -1 : a->plen > b->plen;
}

bool cidr_contains(const struct cidr *outer, const struct cidr *inner)
{
	struct cidr t;

	if (outer->family != inner->family || outer->plen > inner->plen)
		return false;
	t = *inner;
	t.plen = outer->plen;
	cidr_mask(&t);
	return !memcmp(t.addr, outer->addr, 16);
}

__u32 cidr_v4(const struct cidr *c)
{
	return (__u32)c->addr[0] << 24 | (__u32)c->addr[1] << 16 |
	       (__u32)c->addr[2] << 8 | c->addr[3];
}

void cidr_v6(const struct cidr *c, __u64 *hi, __u64 *lo)
{
	int i;

	*hi = *lo = 0;
	for (i = 0; i < 8; i++) {
		*hi = *hi << 8 | c->addr[i];
		*lo = *lo << 8 | c->addr[i + 8];
	}
}

void cidr_from_v4(struct cidr *c, __u32 addr, __u8 plen)
{
	memset(c, 0, sizeof(*c));
	c->family = 4;
	c->plen = plen;
	c->addr[0] = addr >> 24;
	c->addr[1] = addr >> 16;
	c->addr[2] = addr >> 8;
	c->addr[3] = addr;
}

void cidr_from_v6(struct cidr *c, __u64 hi, __u64 lo, __u8 plen)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->family = 6;
	c->plen = plen;
	for (i = 7; i >= 0; i--, hi >>= 8, lo >>= 8) {
		c->addr[i] = hi;
		c->addr[i + 8] = lo;
	}
}

static int cmp_void(const void *a, const void *b)
{
	return cidr_cmp(a, b);
}

/* a and b have the same length and are the two halves of one parent; two
 * /1s are not folded: a /0 is refused everywhere a list is read again
 * (cidr_parse, the state's image), so a list never holds one. */
static bool siblings(const struct cidr *a, const struct cidr *b)
{
	struct cidr pa = *a, pb = *b;

	if (a->family != b->family || a->plen != b->plen || a->plen <= 1)
		return false;
	pa.plen--;
	pb.plen--;
	cidr_mask(&pa);
	cidr_mask(&pb);
	return !memcmp(pa.addr, pb.addr, 16) && memcmp(a->addr, b->addr, 16);
}

/* Merges the sorted runs [lo, mid) and [mid, hi) of src into dst. */
static void merge(const char *src, char *dst, size_t lo, size_t mid, size_t hi, size_t size,
		  int (*cmp)(const void *, const void *))
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi) {
		if (cmp(src + j * size, src + i * size) < 0)
			memcpy(dst + k++ * size, src + j++ * size, size);
		else
			memcpy(dst + k++ * size, src + i++ * size, size);
	}
	memcpy(dst + k * size, src + i * size, (mid - i) * size);
	k += mid - i;
	memcpy(dst + k * size, src + j * size, (hi - j) * size);
}

void sort_runs(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	size_t *runs, nruns = 0, i, r;
	char *a = base, *b, *src, *dst;

	if (n < 2)
		return;
	runs = malloc((n + 1) * sizeof(*runs));
	b = malloc(n * size);
	if (!runs || !b) { /* out of memory: the library sort needs none of ours */
		free(runs);
		free(b);
		qsort(base, n, size, cmp);
		return;
	}
	runs[nruns++] = 0;
	for (i = 1; i < n; i++)
		if (cmp(a + (i - 1) * size, a + i * size) > 0)
			runs[nruns++] = i;
	runs[nruns] = n;
	src = a;
	dst = b;
	while (nruns > 1) {
		size_t out = 0;

		for (r = 0; r < nruns; r += 2) {
			if (r + 1 < nruns)
				merge(src, dst, runs[r], runs[r + 1], runs[r + 2], size, cmp);
			else
				memcpy(dst + runs[r] * size, src + runs[r] * size,
				       (runs[r + 1] - runs[r]) * size);
			runs[out++] = runs[r];
		}
		runs[out] = n;
		nruns = out;
		src = src == a ? b : a;
		dst = dst == a ? b : a;
	}
	if (src != a)
		memcpy(a, src, n * size);
	free(runs);
	free(b);
}

/* IPv4 prefixes as 40-bit keys (address, length): sorted by an LSD radix
 * sort, lists of a million hosts arrive in random order, and this is
 * several times a comparison sort. */
static void radix40(__u64 *key, __u64 *tmp, size_t n)
{
	size_t i, pass, count[256];

	for (pass = 0; pass < 5; pass++) {
		size_t sum = 0, c;

		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[(key[i] >> (8 * pass)) & 0xff]++;
		for (c = 0; c < 256; c++) {
			size_t k = count[c];

			count[c] = sum;
			sum += k;
		}
		for (i = 0; i < n; i++)
			tmp[count[(key[i] >> (8 * pass)) & 0xff]++] = key[i];
		memcpy(key, tmp, n * sizeof(*key));
	}
}

/* Most lists arrive sorted, or nearly (yesterday's list with a few entries
 * changed): the entries out of order go aside (a dip, or the spikes before
 * it), are sorted alone and merged back, in one pass.  Spikes come in
 * runs: with 1% of a list's entries changed at random, one change in a
 * hundred has a changed neighbour, and taking a run of two spikes for a
 * dip set every entry after it aside, up to the limit.  false, with key as
 * it was but in another order, when more than a sixteenth are out of
 * order. */
#define SPIKE_RUN 8

static bool sort_nearly(__u64 *key, __u64 *tmp, size_t n)
{
	size_t m = 0, s = 0, i, j, limit = n / 16;

	for (i = 0; i < n; i++) {
		__u64 x = key[i];

		if (!m || key[m - 1] <= x) {
			key[m++] = x;
			continue;
		}
		/* the run's last j entries above x, when a few: spikes */
		for (j = 1; j < m && j <= SPIKE_RUN && key[m - 1 - j] > x; j++)
			;
		if (j <= SPIKE_RUN && (j == m || key[m - 1 - j] <= x)) {
			memcpy(tmp + s, key + m - j, j * sizeof(*key));
			s += j;
			m -= j;
			key[m++] = x;
		} else {
			tmp[s++] = x; /* a dip */
		}
		if (s > limit) {
			memcpy(key + m, tmp, s * sizeof(*key)); /* m + s == i + 1 */
			return false;
		}
	}
	if (!s)
		return true;
	radix40(tmp, tmp + s, s);
	for (i = n; s; ) /* merge from the end: the main run is key[0..m) */
		key[--i] = m && key[m - 1] > tmp[s - 1] ? key[--m] : tmp[--s];
	return true;
}

static __u32 v4_mask(unsigned int plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

/* cidr_normalise() of sorted IPv4 keys, in place; returns how many stay. */
static size_t normalise_keys(__u64 *key, size_t n)
{
	size_t i, top = 0;

#define K_ADDR(k) ((__u32)((k) >> 8))
#define K_LEN(k) ((unsigned int)((k) & 0xff))
#define K_CONTAINS(o, x) \
	(K_LEN(o) <= K_LEN(x) && (K_ADDR(x) & v4_mask(K_LEN(o))) == K_ADDR(o))
	for (i = 0; i < n; i++) {
		if (top && K_CONTAINS(key[top - 1], key[i]))
			continue;
		key[top++] = key[i];
		/* siblings: the same length, the same parent (cidr_normalise) */
		while (top >= 2 && K_LEN(key[top - 2]) == K_LEN(key[top - 1]) &&
		       K_LEN(key[top - 1]) > 1 && /* never a /0 (siblings) */
		       (K_ADDR(key[top - 2]) ^ K_ADDR(key[top - 1])) ==
			       1u << (32 - K_LEN(key[top - 1]))) {
			top--;
			key[top - 1]--; /* one bit shorter; the address is the parent's */
			while (top >= 2 && K_CONTAINS(key[top - 1], key[top - 2])) {
				key[top - 2] = key[top - 1];
				top--;
			}
		}
	}
#undef K_ADDR
#undef K_LEN
#undef K_CONTAINS
	return top;
}

/* The generic fold of a sorted run of one family; returns how many stay. */
static size_t normalise_sorted(struct cidr *v, size_t n)
{
	size_t i, top = 0;

	for (i = 0; i < n; i++) {
		if (top && cidr_contains(&v[top - 1], &v[i]))
			continue;
		v[top++] = v[i];
		while (top >= 2 && siblings(&v[top - 2], &v[top - 1])) {
			top--;
			v[top - 1].plen--;
			cidr_mask(&v[top - 1]);
			/* the merged parent may now cover what precedes it */
			while (top >= 2 && cidr_contains(&v[top - 1], &v[top - 2])) {
				v[top - 2] = v[top - 1];
				top--;
			}
		}
	}
	return top;
}

void cidr_normalise(struct cidr *v, size_t *n)
{
	__u64 *key = NULL, *tmp = NULL;
	size_t n4 = 0, m4, m6, i;

	for (i = 0; i < *n; i++)
		n4 += v[i].family == 4;
	if (n4 >= 1024) {
		key = malloc(n4 * sizeof(*key));
		tmp = malloc(n4 * sizeof(*tmp));
	}
	if (!key || !tmp) { /* few, or out of memory: comparisons, in place */
		free(key);
		free(tmp);
		sort_runs(v, *n, sizeof(*v), cmp_void);
		*n = normalise_sorted(v, *n);
		return;
	}
	/* IPv4 first, as cidr_cmp orders them; the two families never merge */
	for (i = 0, n4 = 0; i < *n; i++) {
		if (v[i].family == 4)
			key[n4++] = (__u64)cidr_v4(&v[i]) << 8 | v[i].plen;
		else
			v[i - n4] = v[i]; /* IPv6 entries slide down, order kept */
	}
	memmove(v + n4, v, (*n - n4) * sizeof(*v));
	if (!sort_nearly(key, tmp, n4))
		radix40(key, tmp, n4);
	m4 = normalise_keys(key, n4);
	for (i = 0; i < m4; i++)
		cidr_from_v4(&v[i], (__u32)(key[i] >> 8), key[i] & 0xff);
	sort_runs(v + n4, *n - n4, sizeof(*v), cmp_void);
	m6 = normalise_sorted(v + n4, *n - n4);
	memmove(v + m4, v + n4, m6 * sizeof(*v));
	*n = m4 + m6;
	free(key);
	free(tmp);
}

typedef unsigned __int128 u128;

static u128 to_u128(const struct cidr *c)
{
	__u64 hi, lo;

	if (c->family == 4)
		return cidr_v4(c);
	cidr_v6(c, &hi, &lo);
	return (u128)hi << 64 | lo;
}

int cidr_range(const struct cidr *lo, const struct cidr *hi,
	       int (*emit)(const struct cidr *c, void *ctx), void *ctx)
{
	int bits = lo->family == 4 ? 32 : 128, err;
	u128 a = to_u128(lo), b = to_u128(hi);
	struct cidr c;

	if (lo->family != hi->family || a > b)
		return -EINVAL;
	for (;;) {
		int size = 0; /* host bits of the largest block starting at a */

		while (size < bits) {
			u128 span = size + 1 == 128 ? ~(u128)0 : ((u128)1 << (size + 1)) - 1;

			if ((a & span) || b - a < span)
				break;
			size++;
		}
		if (lo->family == 4)
			cidr_from_v4(&c, (__u32)a, 32 - size);
		else
			cidr_from_v6(&c, (__u64)(a >> 64), (__u64)a, 128 - size);
		if (size == bits) /* the whole space: refused like /0 */
			return -EINVAL;
		err = emit(&c, ctx);
		if (err)
			return err;
		if (size == 128 || b - a <= ((u128)1 << size) - 1)
			return 0;
		a += (u128)1 << size;
	}
}

int cidr_subtract(const struct cidr *a, const struct cidr *holes, size_t n,
		  int (*emit)(const struct cidr *c, void *ctx), void *ctx)
{
	struct cidr half[2];
	size_t i;
	int any = 0, k, err;

	for (i = 0; i < n; i++) {
		if (cidr_contains(&holes[i], a))
			return 0; /* all of a is a hole */
		any |= cidr_contains(a, &holes[i]);
	}
	if (!any)
		return emit(a, ctx);
	/* a hole is strictly inside: go down one bit on each side */
	for (k = 0; k < 2; k++) {
		half[k] = *a;
		half[k].plen++;
		if (k)
			half[k].addr[a->plen / 8] |= 0x80 >> (a->plen % 8);
		err = cidr_subtract(&half[k], holes, n, emit, ctx);
		if (err)
			return err;
	}
	return 0;
}
