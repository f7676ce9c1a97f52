// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * history.c - STATE_DIR/history.csv, one line a 15-minute slot:
 * "slot,packets,bytes,tcp,udp,icmp,other,<14 services>,attacks,out_packets,
 * out_bytes,detected,<6 detection outcomes>,regional", for slots that had drops and
 * for the slots `record` ran in
 * while the filter was up (all zeros: a quiet slot, known to be quiet).
 * `record` (hourly, with refresh) merges the kernel's last 48 hours into it,
 * keeping the larger of two copies of a slot so that a counter reset never
 * lowers or double-counts a figure, and drops what is older than
 * HISTORY_DAYS.
 *
 * Rows of the first format stop after the services: their attacks are
 * unknown (has_attacks 0) and their packets stay packets.  Rows of the
 * second stop after the outbound bytes: written before detection, they
 * detected nothing (has_detect 0).  Rows of the third stop after detection's
 * outcomes: written before the region's list, none of their attacks is
 * known to be the region's (has_regional 0).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "history.h"
#include "state.h"

static void history_path(const char *dir, char *buf, size_t len)
{
	snprintf(buf, len, "%s/history.csv", dir);
}

/* The longest row history_write makes: HISTORY_FIELDS numbers of at most
 * 20 digits, their commas, the newline. */
#define HISTORY_ROW (HISTORY_FIELDS * 21 + 1)

/* A field: blanks, then decimal digits (strtoull alone would take "-1" as
 * 2^64 - 1, and a line break for a blank), then a comma or the end of the
 * row. */
static int field(const char **p, unsigned long long *x)
{
	const char *s = *p;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	*x = strtoull(s, &end, 10);
	if (errno)
		return 0;
	*p = *end == ',' ? end + 1 : end;
	return 1;
}

/* record writes one line a slot in increasing order, so the rows are taken
 * as they come; a file out of order (edited by hand) is merged slot by slot.
 * A line longer than any row written is not one: it is skipped whole. */
int history_read(const char *dir, struct wslot **v, size_t *n)
{
	char path[PATH_MAX + 16], line[HISTORY_ROW + 2];
	struct wslot *rows = NULL, *grown;
	size_t nrows = 0, cap = 0, i;
	int err = 0, ordered = 1;
	FILE *f;

	history_path(dir, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while (!err && fgets(line, sizeof(line), f)) {
		struct wslot s = { 0 };
		unsigned long long x[HISTORY_FIELDS];
		const char *p = line;
		int k, j, c;

		if (!strchr(line, '\n') && !feof(f)) {
			while ((c = getc(f)) != EOF && c != '\n')
				;
			continue;
		}
		if (line[0] == '#')
			continue;
		for (k = 0; k < HISTORY_FIELDS; k++)
			if (!field(&p, &x[k]))
				break;
		if (k < HISTORY_V1_FIELDS)
			continue; /* a line cut short by a crash is ignored */
		if (k == HISTORY_FIELDS || k == HISTORY_V3_FIELDS || k == HISTORY_V2_FIELDS) {
			s.has_attacks = 1;
			s.attacks = x[HISTORY_V1_FIELDS];
			s.out_pkts = x[HISTORY_V1_FIELDS + 1];
			s.out_bytes = x[HISTORY_V1_FIELDS + 2];
		} else if (k != HISTORY_V1_FIELDS) {
			continue; /* no format: cut short */
		}
		if (k == HISTORY_FIELDS || k == HISTORY_V3_FIELDS) {
			s.has_detect = 1;
			s.det_attacks = x[HISTORY_V2_FIELDS];
			for (j = 0; j < BOUCLIER_DT_MAX; j++)
				s.detect[j] = x[HISTORY_V2_FIELDS + 1 + j];
		}
		if (k == HISTORY_FIELDS) {
			s.has_regional = 1;
			s.reg_attacks = x[HISTORY_V3_FIELDS];
		}
		s.slot = x[0];
		s.pkts = x[1];
		s.bytes = x[2];
		for (k = 0; k < BOUCLIER_P_MAX; k++)
			s.proto[k] = x[3 + k];
		for (k = 0; k < BOUCLIER_PORTS; k++)
			s.ports[k] = x[7 + k];
		if (nrows == cap) {
			cap = cap ? cap * 2 : 1024;
			grown = realloc(rows, cap * sizeof(*rows));
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			rows = grown;
		}
		ordered &= !nrows || rows[nrows - 1].slot < s.slot;
		rows[nrows++] = s;
	}
	fclose(f);
	if (!err && ordered && !*n) {
		free(*v);
		*v = rows;
		*n = nrows;
		return 0;
	}
	for (i = 0; i < nrows && !err; i++)
		err = weather_slots_merge(v, n, &rows[i]);
	free(rows);
	return err;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct wslot *x = a, *y = b;

	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

int history_write(const char *dir, struct wslot *v, size_t n, __u64 oldest)
{
	char path[PATH_MAX + 16], *buf;
	size_t row = HISTORY_ROW, i, len = 0, cap;
	int k, err;

	if (n) /* an empty history is NULL, and qsort(NULL, 0) is undefined */
		qsort(v, n, sizeof(*v), cmp_slot);
	if (n > (SIZE_MAX - 256) / row)
		return -EOVERFLOW;
	cap = 256 + n * row;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	len += snprintf(buf, cap, "# bouclier history: slot (Unix seconds / 900), packets, bytes, "
				  "tcp, udp, icmp, other, %d services, attacks, outbound packets, "
				  "outbound bytes, detected attacks, %d detection outcomes, "
				  "regional attacks\n",
				  BOUCLIER_PORTS, BOUCLIER_DT_MAX);
	for (i = 0; i < n; i++) {
		if (v[i].slot < oldest || !(v[i].pkts || v[i].out_pkts || v[i].has_attacks))
			continue;
		len += snprintf(buf + len, cap - len, "%llu,%llu,%llu",
				(unsigned long long)v[i].slot, (unsigned long long)v[i].pkts,
				(unsigned long long)v[i].bytes);
		for (k = 0; k < BOUCLIER_P_MAX; k++)
			len += snprintf(buf + len, cap - len, ",%llu",
					(unsigned long long)v[i].proto[k]);
		for (k = 0; k < BOUCLIER_PORTS; k++)
			len += snprintf(buf + len, cap - len, ",%llu",
					(unsigned long long)v[i].ports[k]);
		/* a row of the first format keeps it: its attacks stay unknown */
		if (v[i].has_attacks)
			len += snprintf(buf + len, cap - len, ",%llu,%llu,%llu",
					(unsigned long long)v[i].attacks,
					(unsigned long long)v[i].out_pkts,
					(unsigned long long)v[i].out_bytes);
		/* and one of the second keeps it: it detected nothing */
		if (v[i].has_attacks && v[i].has_detect) {
			len += snprintf(buf + len, cap - len, ",%llu",
					(unsigned long long)v[i].det_attacks);
			for (k = 0; k < BOUCLIER_DT_MAX; k++)
				len += snprintf(buf + len, cap - len, ",%llu",
						(unsigned long long)v[i].detect[k]);
			/* and one of the third keeps it: nothing was the region's */
			if (v[i].has_regional)
				len += snprintf(buf + len, cap - len, ",%llu",
						(unsigned long long)v[i].reg_attacks);
		}
		buf[len++] = '\n';
	}
	history_path(dir, path, sizeof(path));
	err = state_write_atomic(path, buf, len, STATE_MODE);
	free(buf);
	return err;
}

