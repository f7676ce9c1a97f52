// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* libFuzzer harness for the feed parser: any bytes, every format, then the
 * normaliser and the table compiler on whatever came out.
 *
 * fuzz-build: maps/feed.c maps/formats.c maps/crowdsec.c maps/cidr.c maps/table_plan.c
 * fuzz-build: maps/table_fill.c -ljansson
 * fuzz-run: -max_len=65536 tests/data tests/data/publishers
 */
#include <stdlib.h>
#include <string.h>
#include "feed.h"
#include "table.h"

static int one(__u32 feeds, void *ctx)
{
	(void)feeds;
	(void)ctx;
	return 1;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct feed_result r = { 0 };
	enum feed_format fmt = size ? data[0] % FEED_FORMAT_MAX : FEED_AUTO;

	if (feed_parse_buf("fuzz", (const char *)data + !!size, size ? size - 1 : 0,
			   &(struct feed_options){ fmt, size > 1 ? data[1] % 4 : 0 }, &r,
			   NULL) == 0 && r.n) {
		struct table_entry *e;
		struct table_plan *p;
		size_t i, n = r.n < 64 ? r.n : 64;

		cidr_normalise(r.v, &r.n);
		e = calloc(n, sizeof(*e));
		for (i = 0; i < n && i < r.n; i++) {
			e[i].c = r.v[i];
			e[i].feeds = 1;
			e[i].allow = i % 7 == 3;
		}
		if (!table_plan(e, i, one, NULL, &p)) {
			struct bouclier_line *img = calloc(table_plan_lines(p), sizeof(*img));

			if (img && !table_fill(p, img))
				for (size_t k = 0; k < i; k++)
					table_lookup(img, table_plan_lines(p), &e[k].c);
			free(img);
			table_plan_free(p);
		}
		free(e);
	}
	feed_result_free(&r);
	return 0;
}
