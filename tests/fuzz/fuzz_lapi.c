// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness for an answer of CrowdSec's LAPI stream
 * (maps/crowdsec.c), what `watch` reads from the network: any bytes, with a
 * bound taken from the first byte.  Asserted besides no crash, no undefined
 * behaviour and no leak: at most the bound on each side, every kept prefix
 * of a family with a length it allows, host bits clear and never /0, a new
 * ban that lasts at least a second, a deletion without duration, and a
 * reason that is a string without control characters.
 *
 * fuzz-build: maps/crowdsec.c maps/cidr.c -ljansson
 * fuzz-run: -max_len=16384 tests/data/crowdsec146
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "crowdsec.h"

static void check(const struct crowdsec_decision *d, bool added)
{
	struct cidr m = d->c;
	size_t i;

	cidr_mask(&m);
	if (!(d->c.family == 4 && d->c.plen >= 1 && d->c.plen <= 32) &&
	    !(d->c.family == 6 && d->c.plen >= 1 && d->c.plen <= 128))
		abort();
	if (memcmp(&m, &d->c, sizeof(m)))
		abort();
	if (added ? !d->seconds || d->seconds == CROWDSEC_ENDED : d->seconds != 0)
		abort();
	if (!memchr(d->reason, 0, sizeof(d->reason)))
		abort();
	for (i = 0; d->reason[i]; i++)
		if ((unsigned char)d->reason[i] < 0x20 || d->reason[i] == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct crowdsec_stream s;
	size_t max = size ? data[0] % 16 : 0, i;

	if (!crowdsec_stream_parse((const char *)data + !!size, size ? size - 1 : 0, max, &s)) {
		if (s.nadded > max || s.ndeleted > max)
			abort();
		for (i = 0; i < s.nadded; i++)
			check(&s.added[i], true);
		for (i = 0; i < s.ndeleted; i++)
			check(&s.deleted[i], false);
	}
	crowdsec_stream_free(&s);
	return 0;
}
