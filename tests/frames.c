// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* frames.c - test frames header by header (frames.h); libc only, so the
 * system tests and the benchmark link it alike. */
#include <string.h>
#include "frames.h"

#define EXT_FRAG 44
#define EXT_AH 51

static void put16(__u8 *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

void frame_start(struct frame *f, __u8 *buf)
{
	memset(f, 0, sizeof(*f));
	f->buf = buf;
}

void frame_eth(struct frame *f, const __u8 *dst, const __u8 *src)
{
	if (dst)
		memcpy(f->buf + f->len, dst, 6);
	if (src)
		memcpy(f->buf + f->len + 6, src, 6);
	f->len += 12;
}

void frame_vlan(struct frame *f, __u16 tpid, __u16 tci)
{
	put16(f->buf + f->len, tpid);
	put16(f->buf + f->len + 2, tci);
	f->len += 4;
}

void frame_ethertype(struct frame *f, __u16 type)
{
	put16(f->buf + f->len, type);
	f->len += 2;
}

void frame_pppoe(struct frame *f, __u16 session, __u16 ppp)
{
	__u8 *p = f->buf + f->len;

	put16(p, 0x8864);
	p[2] = 0x11; /* version 1, type 1 */
	p[3] = 0;    /* code 0: session data */
	put16(p + 4, session);
	f->pppoe_len = f->len + 6;
	put16(p + 8, ppp);
	f->len += 10;
}

void frame_ipv4(struct frame *f, const struct frame_ip4 *h)
{
	__u8 *p = f->buf + f->len;
	size_t size = h->ihl > 5 ? h->ihl * 4u : 20;

	p[0] = (__u8)(h->version << 4 | (h->ihl & 0x0f));
	put16(p + 6, h->frag);
	if (h->ttl)
		p[8] = h->ttl;
	p[9] = h->proto;
	memcpy(p + 12, h->src, 4);
	memcpy(p + 16, h->dst, 4);
	if (h->nop_options)
		memset(p + 20, 1, size - 20);
	f->ip = f->len;
	f->ip_version = 4;
	f->len += size;
}

void frame_ipv6(struct frame *f, const struct frame_ip6 *h)
{
	__u8 *p = f->buf + f->len;

	p[0] = (__u8)(h->version << 4 | (p[0] & 0x0f));
	p[6] = h->next;
	p[7] = h->hop;
	memcpy(p + 8, h->src, 16);
	memcpy(p + 24, h->dst, 16);
	f->ip = f->len;
	f->ip_version = 6;
	f->len += 40;
}

size_t frame_ext6_size(__u8 kind, __u8 len)
{
	if (kind == EXT_FRAG)
		return 8;
	return kind == EXT_AH ? ((size_t)len + 2) * 4 : ((size_t)len + 1) * 8;
}

void frame_ext6(struct frame *f, __u8 kind, __u8 next, __u8 len, __u16 frag)
{
	__u8 *p = f->buf + f->len;

	p[0] = next;
	if (kind == EXT_FRAG)
		put16(p + 2, frag);
	else
		p[1] = len;
	f->len += frame_ext6_size(kind, len);
}

void frame_l4(struct frame *f, const struct frame_l4 *h)
{
	__u8 *p = f->buf + f->len;
	int tcp = h->proto == 6, udp = h->proto == 17, icmp = h->proto == 1 || h->proto == 58;

	if (tcp || udp) {
		if (h->sport)
			put16(p, h->sport);
		put16(p + 2, h->dport);
	}
	if (tcp && h->tcp_doff)
		p[12] = h->tcp_doff << 4;
	if (tcp && h->tcp_flags)
		p[13] = h->tcp_flags;
	if (udp && h->udp_len)
		f->udp = f->len;
	if (icmp)
		p[0] = h->icmp_type;
	f->len += h->size ? h->size : tcp ? 20 : udp || icmp ? 8 : 0;
}

void frame_payload(struct frame *f, size_t n)
{
	f->len += n;
}

void frame_ip_len(struct frame *f)
{
	if (f->ip_version == 4)
		put16(f->buf + f->ip + 2, f->len - f->ip);
	else if (f->ip_version == 6)
		put16(f->buf + f->ip + 4, f->len - f->ip - 40);
}

void frame_pppoe_len(struct frame *f)
{
	if (f->pppoe_len) /* the PPP protocol and what follows */
		put16(f->buf + f->pppoe_len, f->len - f->pppoe_len - 2);
}

size_t frame_end(struct frame *f)
{
	frame_ip_len(f);
	frame_pppoe_len(f);
	if (f->udp)
		put16(f->buf + f->udp + 4, f->len - f->udp);
	return f->len;
}
