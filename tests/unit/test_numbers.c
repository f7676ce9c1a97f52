// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Figures written for people (loader/weather/numbers.c): thousands grouped
 * by a comma in English and a narrow no-break space (U+202F) in French, a
 * decimal comma in French, bytes in decimal units (1 kB = 1000 B) with a
 * no-break space (U+00A0) before the unit.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "weather/weather.h"

#define NNBSP "\u202f"
#define NBSP "\u00a0"

static const char *num(unsigned long long v, const char *lang)
{
	static char buf[WEATHER_NUMLEN];

	return weather_num(buf, sizeof(buf), v, lang);
}

static const char *dec(double x, int decimals, const char *lang)
{
	static char buf[WEATHER_NUMLEN];

	return weather_dec(buf, sizeof(buf), x, decimals, lang);
}

static const char *bytes(unsigned long long v, const char *lang)
{
	static char buf[WEATHER_NUMLEN];

	return weather_bytes(buf, sizeof(buf), v, lang);
}

Test(numbers, thousands_are_grouped_in_each_language)
{
	cr_expect_str_eq(num(0, "en"), "0");
	cr_expect_str_eq(num(999, "en"), "999");
	cr_expect_str_eq(num(1000, "en"), "1,000");
	cr_expect_str_eq(num(1234567, "en"), "1,234,567");
	cr_expect_str_eq(num(3000000, "en"), "3,000,000");
	cr_expect_str_eq(num(UINT64_MAX, "en"), "18,446,744,073,709,551,615");
	cr_expect_str_eq(num(0, "fr"), "0");
	cr_expect_str_eq(num(999, "fr"), "999");
	cr_expect_str_eq(num(1000, "fr"), "1" NNBSP "000");
	cr_expect_str_eq(num(1234567, "fr"), "1" NNBSP "234" NNBSP "567");
	cr_expect_str_eq(num(UINT64_MAX, "fr"), "18" NNBSP "446" NNBSP "744" NNBSP "073" NNBSP
			 "709" NNBSP "551" NNBSP "615");
	cr_expect_str_eq(num(1234, NULL), "1,234", "no language is English");
}

Test(numbers, decimals_take_a_comma_in_french)
{
	cr_expect_str_eq(dec(3.26, 1, "en"), "3.3");
	cr_expect_str_eq(dec(3.26, 1, "fr"), "3,3");
	cr_expect_str_eq(dec(0, 1, "fr"), "0,0");
	cr_expect_str_eq(dec(1234.5, 1, "en"), "1,234.5");
	cr_expect_str_eq(dec(1234.5, 1, "fr"), "1" NNBSP "234,5");
	cr_expect_str_eq(dec(1234567.4, 0, "en"), "1,234,567");
	cr_expect_str_eq(dec(-1234.5, 1, "en"), "-1,234.5");
	cr_expect_str_eq(dec(1.0 / 0.0, 1, "en"), "—");
}

/* Decimal (SI) units, as network volumes are counted: 1 kB = 1000 B. At
 * most three significant figures; the rounded figure never reads 1000. */
Test(numbers, bytes_in_decimal_units)
{
	static const struct { unsigned long long v; const char *en, *fr; } cases[] = {
		{ 0, "0" NBSP "B", "0" NBSP "o" },
		{ 999, "999" NBSP "B", "999" NBSP "o" },
		{ 1000, "1.0" NBSP "kB", "1,0" NBSP "ko" },
		{ 1500, "1.5" NBSP "kB", "1,5" NBSP "ko" },
		{ 9949, "9.9" NBSP "kB", "9,9" NBSP "ko" },
		{ 9950, "10" NBSP "kB", "10" NBSP "ko" },
		{ 999499, "999" NBSP "kB", "999" NBSP "ko" },
		{ 999500, "1.0" NBSP "MB", "1,0" NBSP "Mo" },
		{ 1024 * 1024, "1.0" NBSP "MB", "1,0" NBSP "Mo" },
		{ 172000000, "172" NBSP "MB", "172" NBSP "Mo" },
		{ 1500000000, "1.5" NBSP "GB", "1,5" NBSP "Go" },
		{ 2000000000000ULL, "2.0" NBSP "TB", "2,0" NBSP "To" },
		{ UINT64_MAX, "18" NBSP "EB", "18" NBSP "Eo" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cr_expect_str_eq(bytes(cases[i].v, "en"), cases[i].en, "%llu", cases[i].v);
		cr_expect_str_eq(bytes(cases[i].v, "fr"), cases[i].fr, "%llu", cases[i].v);
	}
}

/* A buffer too small cuts the figure, never writes past its end. */
Test(numbers, a_short_buffer_is_cut_not_overrun)
{
	char buf[8];

	memset(buf, 'x', sizeof(buf));
	weather_num(buf, 4, 1234567, "fr");
	cr_expect_eq(buf[4], 'x');
	cr_expect_lt(strlen(buf), 4);
	weather_num(buf, 0, 1234567, "en");
	cr_expect_eq(buf[0], '1', "len 0 writes nothing (buf still holds the last)");
	memset(buf, 'x', sizeof(buf));
	weather_bytes(buf, 5, 172000000, "fr");
	cr_expect_eq(buf[5], 'x');
	cr_expect_lt(strlen(buf), 5);
	memset(buf, 'x', sizeof(buf));
	weather_dec(buf, 3, -1234.5, 1, "fr");
	cr_expect_eq(buf[3], 'x');
	cr_expect_lt(strlen(buf), 3);
}
