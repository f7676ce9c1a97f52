// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * crowdsec.c - CrowdSec's decisions (crowdsec.h): which block, for how
 * long, and the LAPI stream's answer.  What the captures of Debian 12's
 * crowdsec 1.4.6 showed: an empty side is null, never []; every type comes
 * through the stream, so the type decides; values are stored as typed
 * ("2001:DB8:0:0::7", host bits set, even "0.0.0.0/0").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "crowdsec.h"

enum crowdsec_kind crowdsec_classify(json_t *d, const char **value)
{
	const char *type = json_string_value(json_object_get(d, "type"));
	const char *scope = json_string_value(json_object_get(d, "scope"));
	json_t *v = json_object_get(d, "value");

	*value = NULL;
	if (!json_is_object(d))
		return CROWDSEC_NOT_OBJECT;
	if (type && strcasecmp(type, "ban")) {
		*value = type;
		return CROWDSEC_NOT_BAN;
	}
	if (json_is_true(json_object_get(d, "simulated")))
		return CROWDSEC_SIMULATED;
	if (!json_is_string(v))
		return CROWDSEC_NO_VALUE;
	if (scope && strcasecmp(scope, "ip") && strcasecmp(scope, "range")) {
		*value = scope;
		return CROWDSEC_OTHER_SCOPE;
	}
	*value = json_string_value(v);
	return CROWDSEC_BAN;
}

__u32 crowdsec_duration(const char *s)
{
	double total = 0, x;
	char *end;

	if (!s)
		return 0;
	if (*s == '-')
		return CROWDSEC_ENDED;
	while (*s) {
		x = strtod(s, &end);
		if (end == s)
			return 0;
		s = end;
		if (!strncmp(s, "ms", 2))
			x /= 1e3, s += 2;
		else if (!strncmp(s, "us", 2) || !strncmp(s, "\u00b5s", 3))
			x /= 1e6, s += *s == 'u' ? 2 : 3;
		else if (!strncmp(s, "ns", 2))
			x /= 1e9, s += 2;
		else if (*s == 'h')
			x *= 3600, s++;
		else if (*s == 'm')
			x *= 60, s++;
		else if (*s == 's')
			s++;
		else
			return 0;
		total += x;
	}
	return total < 1 ? CROWDSEC_ENDED : total < 4e9 ? (__u32)total : 0;
}

/* ::ffff:192.0.2.10 is 192.0.2.10, as the kernel sees it: one prefix, one
 * ban (cscli stores the value as typed).  ::ffff:0:0/96 itself stays IPv6,
 * for timed_prefix_ok() to refuse: as IPv4 it would be /0. */
static void unmap(struct cidr *c)
{
	static const __u8 mapped[12] = { [10] = 0xff, [11] = 0xff };
	__u8 v4[4];

	if (c->family != 6 || c->plen <= 96 || memcmp(c->addr, mapped, sizeof(mapped)))
		return;
	memcpy(v4, c->addr + 12, 4);
	memset(c->addr, 0, sizeof(c->addr));
	memcpy(c->addr, v4, 4);
	c->family = 4;
	c->plen -= 96;
}

/* One side's array (or null) into *v; the rest counted in s. */
static int side(struct crowdsec_stream *s, json_t *a, bool added, size_t max,
		struct crowdsec_decision **v, size_t *n, unsigned long *beyond)
{
	json_t *d;
	size_t i;

	if (json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return -EBADMSG;
	json_array_foreach(a, i, d) {
		struct crowdsec_decision *x;
		const char *val, *why, *scenario, *origin;
		char *r;
		int flags;
		__u32 secs = 0;

		switch (crowdsec_classify(d, &val)) {
		case CROWDSEC_BAN:
			break;
		case CROWDSEC_NOT_BAN:
		case CROWDSEC_SIMULATED:
			s->not_bans++;
			continue;
		case CROWDSEC_OTHER_SCOPE:
			s->scopes++;
			continue;
		default:
			s->bad++;
			continue;
		}
		if (added) {
			secs = crowdsec_duration(json_string_value(json_object_get(d, "duration")));
			if (secs == CROWDSEC_ENDED || !secs) {
				s->ended += secs == CROWDSEC_ENDED;
				s->bad += !secs;
				continue;
			}
		}
		if (*n >= max) {
			(*beyond)++;
			continue;
		}
		if (!*v) {
			/* at most the side's length: one allocation */
			*v = calloc(json_array_size(a) < max ? json_array_size(a) : max, sizeof(**v));
			if (!*v)
				return -ENOMEM;
		}
		x = &(*v)[*n];
		if (cidr_parse(val, strlen(val), &x->c, &flags, &why)) {
			s->bad++;
			continue;
		}
		unmap(&x->c);
		x->seconds = secs;
		scenario = json_string_value(json_object_get(d, "scenario"));
		origin = json_string_value(json_object_get(d, "origin"));
		snprintf(x->reason, sizeof(x->reason), "%s (%s)", scenario ? scenario : "no scenario",
			 origin ? origin : "crowdsec");
		for (r = x->reason; *r; r++) /* a line of timed.list, a log line */
			if ((unsigned char)*r < 0x20 || *r == 0x7f)
				*r = ' ';
		(*n)++;
	}
	return 0;
}

int crowdsec_stream_parse(const char *buf, size_t len, size_t max, struct crowdsec_stream *s)
{
	json_t *doc;
	int err;

	memset(s, 0, sizeof(*s));
	doc = json_loadb(buf, len, 0, NULL);
	if (!json_is_object(doc) || !json_object_get(doc, "new") ||
	    !json_object_get(doc, "deleted")) {
		json_decref(doc);
		return -EBADMSG;
	}
	err = side(s, json_object_get(doc, "new"), true, max, &s->added, &s->nadded, &s->beyond);
	if (!err)
		err = side(s, json_object_get(doc, "deleted"), false, max, &s->deleted, &s->ndeleted,
			   &s->beyond_deleted);
	json_decref(doc);
	return err;
}

void crowdsec_stream_free(struct crowdsec_stream *s)
{
	free(s->added);
	free(s->deleted);
	s->added = s->deleted = NULL;
	s->nadded = s->ndeleted = 0;
}
