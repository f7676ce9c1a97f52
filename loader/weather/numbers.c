// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* numbers.c - figures written for people, in each language: the one place
 * the text and HTML reports take their thousands, decimals and byte units
 * from.  JSON and Prometheus keep raw numbers and never come here. */
#include <math.h>
#include <string.h>
#include "weather.h"

/* French typography: a narrow no-break space between groups of three
 * digits (what CLDR and the Imprimerie nationale give), a no-break space
 * between a figure and its unit, a decimal comma. */
#define NNBSP "\u202f"
#define NBSP "\u00a0"

static int is_fr(const char *lang)
{
	return lang && !strcmp(lang, "fr");
}

/* The digits of "digits" (no sign, no separator) grouped by three. */
static const char *group(char *buf, size_t len, const char *digits, const char *lang)
{
	const char *sep = is_fr(lang) ? NNBSP : ",";
	size_t n = strlen(digits), i, o = 0, sl = strlen(sep);

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0) {
			if (o + sl >= len)
				break;
			memcpy(buf + o, sep, sl);
			o += sl;
		}
		if (o + 1 >= len)
			break;
		buf[o++] = digits[i];
	}
	if (len)
		buf[o < len ? o : len - 1] = 0;
	return buf;
}

const char *weather_num(char *buf, size_t len, unsigned long long v, const char *lang)
{
	char digits[24];

	snprintf(digits, sizeof(digits), "%llu", v);
	return group(buf, len, digits, lang);
}

const char *weather_dec(char *buf, size_t len, double x, int decimals, const char *lang)
{
	char raw[320 + 8], *dot, *digits = raw;
	size_t n;

	if (!len)
		return buf;
	if (!isfinite(x)) {
		snprintf(buf, len, "—");
		return buf;
	}
	decimals = decimals < 0 ? 0 : decimals > 6 ? 6 : decimals;
	snprintf(raw, sizeof(raw), "%.*f", decimals, x);
	*buf = 0;
	if (*digits == '-') {
		snprintf(buf, len, "-");
		digits++;
	}
	dot = strchr(digits, '.');
	if (dot)
		*dot = 0;
	n = strlen(buf);
	group(buf + n, len > n ? len - n : 0, digits, lang);
	n = strlen(buf);
	if (dot)
		snprintf(buf + n, len > n ? len - n : 0, "%s%s", is_fr(lang) ? "," : ".", dot + 1);
	return buf;
}

/* Decimal units, as the SI defines them and as network volumes are
 * counted: 1 kB = 1000 B, 1 MB = 1000 kB.  Lower-case k is the SI's; an
 * upper-case K is the JEDEC convention for 1024 and would say the other
 * base.  Three significant figures at most: "999 B", "1.5 kB", "172 MB". */
const char *weather_bytes(char *buf, size_t len, unsigned long long v, const char *lang)
{
	static const char *const en[] = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };
	static const char *const fr[] = { "o", "ko", "Mo", "Go", "To", "Po", "Eo" };
	const char *const *unit = is_fr(lang) ? fr : en;
	double x = (double)v;
	char n[WEATHER_NUMLEN];
	int u = 0;

	if (v < 1000) {
		snprintf(buf, len, "%llu" NBSP "%s", v, unit[0]);
		return buf;
	}
	/* the unit in which the rounded figure stays below 1000 */
	while (u < 6 && x >= 999.5) {
		x /= 1000;
		u++;
	}
	weather_dec(n, sizeof(n), x, x < 9.95 ? 1 : 0, lang);
	snprintf(buf, len, "%s" NBSP "%s", n, unit[u]);
	return buf;
}
