/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* history.h - the weather's history file (history.c says its format). */
#ifndef BOUCLIER_HISTORY_H
#define BOUCLIER_HISTORY_H

#include "weather/weather.h"

#define HISTORY_DAYS 100
#define HISTORY_V1_FIELDS (7 + BOUCLIER_PORTS)     /* up to the services */
#define HISTORY_V2_FIELDS (HISTORY_V1_FIELDS + 3)  /* + attacks, outbound packets, bytes */
/* + detected attacks, then detection's outcomes (bouclier.h's order) */
#define HISTORY_V3_FIELDS (HISTORY_V2_FIELDS + 1 + BOUCLIER_DT_MAX)
/* + the attacks only the region's list dropped */
#define HISTORY_FIELDS (HISTORY_V3_FIELDS + 1)

/* Merges the file's rows into *v (one entry a slot); a missing file is empty. */
int history_read(const char *dir, struct wslot **v, size_t *n);
/* Rewrites the file with the slots of v that had drops since oldest (sorts v). */
int history_write(const char *dir, struct wslot *v, size_t n, __u64 oldest);

#endif
