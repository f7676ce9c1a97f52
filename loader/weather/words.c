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
	"1 machine of the town tried to reach servers on a blocklist (botnet, malware)",
	"%d machines of the town tried to reach servers on a blocklist (botnet, malware)",
	"times",
	"Its traffic was stopped. Have it checked for malware today: an infected machine may "
	"leak documents.",
	"Their traffic was stopped. Have them checked for malware today: an infected machine "
	"may leak documents.",
	":",
};
static const struct words fr = {
	"fr", "météo cyber", "depuis minuit", "attaques bloquées", "octets", "sources (environ)",
	"hier", "moyenne sur 7 jours", "par liste", "services les plus visés",
	"sources les plus bloquées", "heure par heure", "pourquoi inconnu", "30 derniers jours",
	"1 machine de la commune a tenté de joindre des serveurs listés (botnet, logiciel "
	"malveillant)",
	"%d machines de la commune ont tenté de joindre des serveurs listés (botnet, logiciel "
	"malveillant)",
	"fois",
	"Son trafic a été arrêté. Faites-la vérifier aujourd'hui : une machine infectée peut "
	"laisser fuir des documents.",
	"Leur trafic a été arrêté. Faites-les vérifier aujourd'hui : une machine infectée peut "
	"laisser fuir des documents.",
	"\u00a0:",
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

const char *weather_outbound_todo(const struct wreport *r, const char *lang)
{
	const struct words *w = weather_words(lang);

	return r->nhosts == 1 ? w->out_todo_one : w->out_todo_many;
}

/* "2 machines of the town tried ...: 10.10.0.23 (14 times, feodo), ..."
 * in the language; names come from the report (checked at the door). */
size_t weather_outbound_sentence(const struct wreport *r, const char *lang, char *buf, size_t len)
{
	const struct words *w = weather_words(lang);
	size_t n;
	int k, f, named;

	if (!r->nhosts || !len)
		return 0;
	n = snprintf(buf, len, r->nhosts == 1 ? w->out_one : w->out_many, r->nhosts);
	for (k = 0; k < r->nhosts && n < len; k++) {
		n += snprintf(buf + n, len - n, "%s %s (%llu %s", k ? "," : w->colon,
			      r->hosts[k].address, (unsigned long long)r->hosts[k].attempts,
			      w->out_times);
		for (f = 0, named = 0; f < BOUCLIER_MAX_FEEDS && n < len; f++)
			if ((r->hosts[k].feeds & (1u << f)) && r->in->feeds[f].name[0])
				n += snprintf(buf + n, len - n, "%s %s", named++ ? "," : ",",
					      r->in->feeds[f].name);
		if (n < len)
			n += snprintf(buf + n, len - n, ")");
	}
	return n < len ? n : len - 1;
}
