// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* words.c - the weather's words in each language, written once. */
#include <string.h>
#include "weather.h"

static const char *const level_en[LEVEL_MAX] = { "sunny", "light rain", "storm", "tornado" };
static const char *const level_fr[LEVEL_MAX] = { "ensoleillé", "averses", "orage", "tornade" };

static const struct words en = {
	"en", "cyber weather", "since midnight", "attacks blocked", "bytes", "sources (about)",
	"yesterday", "7-day average", "by feed", "most targeted services", "top blocked sources",
	"hour by hour", "why unknown", "last 30 days",
};
static const struct words fr = {
	"fr", "météo cyber", "depuis minuit", "attaques bloquées", "octets", "sources (environ)",
	"hier", "moyenne sur 7 jours", "par liste", "services les plus visés",
	"sources les plus bloquées", "heure par heure", "pourquoi inconnu", "30 derniers jours",
};

/* Every reason weather_compute() and weather_inputs() give, in English and French. */
static const struct { const char *en, *fr; } reasons[] = {
	{ "the filter is not attached or its counters cannot be read",
	  "le filtre n'est pas en place ou ses compteurs sont illisibles" },
	{ "no blocklist is loaded", "aucune liste de blocage n'est chargée" },
	{ "the blocklists are stale: no successful refresh within stale_after",
	  "les listes ne sont plus à jour (pas de rafraîchissement récent)" },
	{ "the filter is not running on any interface",
	  "le filtre ne tourne sur aucune interface" },
	{ "the filter is not running on every interface it should protect",
	  "le filtre ne tourne pas sur toutes les interfaces qu'il doit protéger" },
	{ "the filter runs in generic mode: it works, more slowly under a flood",
	  "le filtre tourne en mode générique : il protège, plus lentement sous une rafale" },
};

static int is_fr(const char *lang)
{
	return lang && !strcmp(lang, "fr");
}

const struct words *weather_words(const char *lang)
{
	return is_fr(lang) ? &fr : &en;
}

const char *weather_level_name(enum level l, const char *lang)
{
	if (l < LEVEL_SUNNY || l >= LEVEL_MAX)
		return is_fr(lang) ? "inconnu" : "unknown";
	return is_fr(lang) ? level_fr[l] : level_en[l];
}

const char *weather_reason(const char *reason, const char *lang)
{
	size_t i;

	if (!reason)
		return "";
	if (!is_fr(lang))
		return reason;
	for (i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(reason, reasons[i].en))
			return reasons[i].fr;
	return reason;
}
