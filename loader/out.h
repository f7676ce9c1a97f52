/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * out.h - the one way each text format is written: JSON through jansson
 * (never by hand), HTML text and attribute values through html_esc(),
 * Prometheus label values through prom_label(), and outside text shown on a
 * terminal through text_safe().  Every writer in the loader uses these.
 */
#ifndef BOUCLIER_OUT_H
#define BOUCLIER_OUT_H

#include <stdio.h>
#include <jansson.h>

/* A JSON string of s; bytes that are not UTF-8 become U+FFFD, so a report is
 * always valid JSON whatever a name holds.  NULL s gives JSON null. */
json_t *jstr(const char *s);
/* A JSON integer of an unsigned counter (clamped at 2^63 - 1). */
json_t *ju64(unsigned long long v);
/* Writes j compactly and a newline; takes the reference. */
int json_print(FILE *f, json_t *j);
/* json_object_set_new(o, key, v), returning o: builds objects inline. */
json_t *jset(json_t *o, const char *key, json_t *v);

/* s escaped for HTML text and quoted attribute values (& < > " '). */
void html_esc(FILE *f, const char *s);
/* name="value" with the value escaped as the exposition format asks
 * (backslash, double quote, newline). */
void prom_label(FILE *f, const char *name, const char *value);
/* s with control characters shown as '?' (terminal escapes from outside data). */
void text_safe(FILE *f, const char *s);
/* The same, into a buffer; returns buf. */
char *text_safe_buf(char *buf, size_t len, const char *s);

#endif
