// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "out.h"

json_t *jstr(const char *s)
{
	json_t *j;
	char *fixed, *d;
	const unsigned char *p;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	/* not UTF-8: keep the ASCII, replace the rest */
	fixed = malloc(strlen(s) * 3 + 1);
	if (!fixed)
		return json_string("");
	for (p = (const unsigned char *)s, d = fixed; *p; p++) {
		if (*p < 0x80) {
			*d++ = *p;
		} else {
			memcpy(d, "\xef\xbf\xbd", 3);
			d += 3;
		}
	}
	*d = 0;
	j = json_string(fixed);
	free(fixed);
	return j ? j : json_string("");
}

json_t *ju64(unsigned long long v)
{
	return json_integer(v > (unsigned long long)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

json_t *jset(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
	return o;
}

int json_print(FILE *f, json_t *j)
{
	int err;

	if (!j)
		return -1;
	err = json_dumpf(j, f, JSON_COMPACT | JSON_REAL_PRECISION(10));
	fputc('\n', f);
	json_decref(j);
	return err;
}

void html_esc(FILE *f, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
}

void prom_label(FILE *f, const char *name, const char *value)
{
	fprintf(f, "%s=\"", name);
	for (; value && *value; value++) {
		if (*value == '\\' || *value == '"')
			fputc('\\', f);
		if (*value == '\n')
			fputs("\\n", f);
		else
			fputc(*value, f);
	}
	fputc('"', f);
}

char *text_safe_buf(char *buf, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s && s[i] && i + 1 < len; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (len)
		buf[i < len ? i : len - 1] = 0;
	return buf;
}

void text_safe(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}
