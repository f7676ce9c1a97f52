/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * crowdsec.h - what CrowdSec's decisions are to bouclier, in one place for
 * the crowdsec feed format (formats.c: files, `ban import`) and the Local
 * API poller (loader/lapi.c): which decisions block (bans on the Ip and
 * Range scopes that are not simulated; a captcha never does), how long they
 * last (Go durations, unrounded before CrowdSec 1.6.3: "59m58.660713594s",
 * "-325.355761ms", "µs"), and an answer of the LAPI's /v1/decisions/stream
 * read into its two sides.  No I/O, no kernel: fuzzed (fuzz_lapi.c).
 */
#ifndef BOUCLIER_CROWDSEC_H
#define BOUCLIER_CROWDSEC_H

#include <jansson.h>
#include "cidr.h"

enum crowdsec_kind {
	CROWDSEC_BAN,         /* a ban on an Ip or a Range: it blocks */
	CROWDSEC_NOT_OBJECT,  /* not a JSON object */
	CROWDSEC_NOT_BAN,     /* captcha, throttle, ...: never blocks */
	CROWDSEC_SIMULATED,   /* "simulated": true */
	CROWDSEC_NO_VALUE,    /* no "value" string */
	CROWDSEC_OTHER_SCOPE, /* Country, AS, ...: nothing an address lookup can match */
};

/* What decision d is.  For a ban, its value in *value (d owns it); else
 * *value is the type or the scope that made it something else, for a
 * message (may be NULL). */
enum crowdsec_kind crowdsec_classify(json_t *d, const char **value);

#define CROWDSEC_ENDED 0xffffffffu
/* A Go duration ("3h59m50.12345s", "1h", "-1s") in whole seconds;
 * CROWDSEC_ENDED when negative or under a second (the decision has ended),
 * 0 when absent or not a duration. */
__u32 crowdsec_duration(const char *s);

/* One ban of a stream answer. */
struct crowdsec_decision {
	struct cidr c;     /* the value as a prefix, host bits cleared */
	__u32 seconds;     /* what is left of it ("new"); 0 on the "deleted" side */
	char reason[96];   /* "SCENARIO (ORIGIN)", control characters as spaces */
};

/* An answer of GET /v1/decisions/stream: {"deleted": [...] | null, "new":
 * [...] | null}.  What is not a ban is counted, never kept. */
struct crowdsec_stream {
	struct crowdsec_decision *added, *deleted; /* the "new" and "deleted" bans */
	size_t nadded, ndeleted;
	unsigned long not_bans;  /* captchas and other types, simulated decisions */
	unsigned long scopes;    /* other scopes than Ip and Range */
	unsigned long bad;       /* values that are not a prefix (or /0), objects that are
				  * not decisions */
	unsigned long ended;     /* "new" bans whose duration has run out already */
	unsigned long beyond;    /* "new" bans past max, not kept */
	unsigned long beyond_deleted; /* "deleted" ones (a startup answer lists every
				       * expired decision still in the database) */
};

/* Reads one answer of len bytes, keeping at most max bans on each side.
 * 0, -EBADMSG when it is not such a document (not JSON, cut
 * short, another shape), -ENOMEM.  s is to be freed either way. */
int crowdsec_stream_parse(const char *buf, size_t len, size_t max, struct crowdsec_stream *s);
void crowdsec_stream_free(struct crowdsec_stream *s);

#endif
