/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lookup.h - the table lookup, one copy for every side: the XDP program, the
 * unit tests and `bouclier lookup` all run this code, so what the tests prove
 * about it is what the kernel does.
 *
 * The includer defines, before including:
 *   BOUCLIER_CTX           the type of the handle on the table
 *   BOUCLIER_LINE(ctx, i)  a const struct bouclier_line * for line i, or
 *                          NULL when i is outside the table
 * Each function returns a lookup value as described in bouclier.h.
 */
#ifndef BOUCLIER_LOOKUP_H
#define BOUCLIER_LOOKUP_H

#include "bouclier.h"

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#ifdef __bpf__
#define BOUCLIER_UNROLL _Pragma("unroll")
#else
#define BOUCLIER_UNROLL
#endif

/* All-ones when x is zero, else zero: lets the probes compare every slot
 * without a branch, which keeps the verifier's work and mispredictions low. */
static __always_inline __u64 bouclier_zmask(__u64 x)
{
	return ((x | -x) >> 63) - 1;
}

static __always_inline __u32 bouclier_scan4(const struct bouclier_bucket4 *b, __u32 key)
{
	__u32 r = 0;
	int i;

	BOUCLIER_UNROLL
	for (i = 0; i < BOUCLIER_V4_SLOTS; i++)
		r |= b->val[i] & (__u32)bouclier_zmask(b->key[i] ^ key);
	return r;
}

static __always_inline __u32 bouclier_probe4(BOUCLIER_CTX ctx, __u32 off, __u32 nb,
					     __u32 key, __u32 seed, __u32 salt)
{
	const struct bouclier_bucket4 *b;
	__u64 h = bouclier_hash4(key, seed, salt);
	__u32 v;

	b = (const void *)BOUCLIER_LINE(ctx, off + bouclier_range((__u32)h, nb));
	if (!b)
		return 0;
	v = bouclier_scan4(b, key);
	if (v)
		return v;
	b = (const void *)BOUCLIER_LINE(ctx, off + bouclier_range((__u32)(h >> 32), nb));
	return b ? bouclier_scan4(b, key) : 0;
}

/* addr in host byte order */
static __always_inline __u32 bouclier_lookup4(BOUCLIER_CTX ctx, __u32 addr)
{
	const struct bouclier_hdr *hdr = (const void *)BOUCLIER_LINE(ctx, 0);
	const struct bouclier_line *l;
	__u32 n24 = addr >> 8, bits, v;

	if (!hdr)
		return 0;
	l = BOUCLIER_LINE(ctx, hdr->v4_filter + (n24 >> 8));
	if (!l)
		return 0;
	bits = (l->w[(n24 >> 4) & 15] >> ((n24 & 15) * 2)) & 3;
	if (bits & BOUCLIER_F4_HOST) {
		v = bouclier_probe4(ctx, hdr->v4_host_off, hdr->v4_host_nb, addr,
				    hdr->seed, BOUCLIER_SALT_HOST);
		if (v)
			return v;
	}
	if (bits & BOUCLIER_F4_NET) {
		v = bouclier_probe4(ctx, hdr->v4_net_off, hdr->v4_net_nb, n24,
				    hdr->seed, BOUCLIER_SALT_NET);
		if (v)
			return v;
		v = bouclier_probe4(ctx, hdr->v4_net20_off, hdr->v4_net20_nb, addr >> 12,
				    hdr->seed, BOUCLIER_SALT_NET20);
		if (v)
			return v;
	}
	l = BOUCLIER_LINE(ctx, hdr->v4_dense + (addr >> 20));
	return l ? l->w[(addr >> 16) & 15] : 0;
}

static __always_inline __u32 bouclier_scan6(const struct bouclier_bucket6 *b, __u64 hi,
					    __u64 lo)
{
	__u32 r = 0;
	int i;

	BOUCLIER_UNROLL
	for (i = 0; i < BOUCLIER_V6_SLOTS; i++)
		r |= b->val[i] & (__u32)bouclier_zmask((b->key[i][0] ^ hi) | (b->key[i][1] ^ lo));
	return r;
}

static __always_inline __u32 bouclier_probe6(BOUCLIER_CTX ctx, const struct bouclier_v6_level *lv,
					     __u64 hi, __u64 lo, __u32 seed, __u32 plen)
{
	const struct bouclier_bucket6 *b;
	__u64 h = bouclier_hash6(hi, lo, seed, plen);
	__u32 v;

	b = (const void *)BOUCLIER_LINE(ctx, lv->off + bouclier_range((__u32)h, lv->nb));
	if (!b)
		return 0;
	v = bouclier_scan6(b, hi, lo);
	if (v)
		return v;
	b = (const void *)BOUCLIER_LINE(ctx, lv->off + bouclier_range((__u32)(h >> 32), lv->nb));
	return b ? bouclier_scan6(b, hi, lo) : 0;
}

/* hi, lo: the address's two halves in host byte order */
static __always_inline __u32 bouclier_lookup6(BOUCLIER_CTX ctx, __u64 hi, __u64 lo)
{
	const struct bouclier_hdr *hdr = (const void *)BOUCLIER_LINE(ctx, 0);
	const struct bouclier_v6_plens *pl;
	const struct bouclier_v6_levels *lv;
	const struct bouclier_line *l;
	__u32 slot, mask, v, plen, dense, i;

	if (!hdr)
		return 0;
	/* the /16's value, and which levels below /32 have a key under it */
	l = BOUCLIER_LINE(ctx, hdr->v6_dense + (__u32)(hi >> 51));
	if (!l)
		return 0;
	dense = l->w[((hi >> 48) & 7) * 2];
	mask = l->w[((hi >> 48) & 7) * 2 + 1];
	if (hdr->v6_filter_nb) {
		slot = bouclier_range((__u32)bouclier_hash4(hi >> 32, hdr->seed, BOUCLIER_SALT_F6),
				      hdr->v6_filter_nb * 16);
		l = BOUCLIER_LINE(ctx, hdr->v6_filter + slot / 16);
		if (l)
			mask |= l->w[slot & 15];
	}
	if (!mask)
		return dense;
	pl = (const void *)BOUCLIER_LINE(ctx, BOUCLIER_V6_PLEN_LINE);
	if (!pl)
		return dense;
	/* Longest level first; nothing but the probe differs between paths,
	 * so the verifier's states merge after every level. */
	BOUCLIER_UNROLL
	for (i = 0; i < BOUCLIER_V6_LEVELS; i++) {
		if (!(mask & (1u << i)))
			continue;
		lv = (const void *)BOUCLIER_LINE(ctx, BOUCLIER_V6_LEVEL_LINE + (i >> 3));
		if (!lv)
			break;
		plen = pl->plen[i];
		v = bouclier_probe6(ctx, &lv->l[i & 7], hi & bouclier_mask64(plen),
				    lo & bouclier_mask64(plen > 64 ? plen - 64 : 0), hdr->seed, plen);
		if (v)
			return v;
	}
	return dense;
}

#endif /* BOUCLIER_LOOKUP_H */
