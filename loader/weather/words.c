// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* words.c - the weather's words in each language, written once. */
#include <string.h>
#include "weather.h"

static const char *const level_en[LEVEL_MAX] = { "sunny", "light rain", "storm", "tornado" };
static const char *const level_fr[LEVEL_MAX] = { "ensoleillé", "averses", "orage", "tornade" };

static const struct words en = {
	"en", "cyber weather", "since midnight", "attacks blocked", "bytes", "sources (about)",
	"yesterday", "7-day average", "packets by feed", "packets by service", "top blocked sources",
	"hour by hour", "why unknown", "last 30 days", "packets",
	"at most: today began before attacks were counted",
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
	"hier", "moyenne sur 7 jours", "paquets par liste", "paquets par service",
	"sources les plus bloquées", "heure par heure", "pourquoi inconnu", "30 derniers jours",
	"paquets", "au plus : la journée a commencé avant le décompte des attaques",
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

static const char *const weekday_en[7] = { "Sunday", "Monday", "Tuesday", "Wednesday",
					   "Thursday", "Friday", "Saturday" };
static const char *const weekday_fr[7] = { "dimanche", "lundi", "mardi", "mercredi", "jeudi",
					   "vendredi", "samedi" };

const char *weather_attack_definition(const char *lang)
{
	return is_fr(lang)
		? "Une attaque, c'est une source bloquée qui vise un service (ssh, web, bureau à "
		  "distance, ...) dans un quart d'heure, quel que soit le nombre de paquets envoyés."
		: "One attack is one blocked source trying one service (ssh, web, remote desktop, "
		  "...) within a quarter of an hour, however many packets it sends.";
}

/* "3.2" or "3,2". */
static const char *times(double x, const char *lang, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "%.1f", x);
	if (is_fr(lang) && (p = strchr(buf, '.')))
		*p = ',';
	return buf;
}

void weather_monitor_line(FILE *f, const struct wreport *r, const char *lang)
{
	int k, n = 0;

	fputs(is_fr(lang) ? "  en observation (non appliqué) :" : "  monitor mode (not enforced):",
	      f);
	for (k = 0; k < BOUCLIER_MAX_FEEDS; k++)
		if (r->monitor_feeds & (1u << k))
			fprintf(f, "%s %s", n++ ? "," : "", r->in->feeds[k].name);
	if (is_fr(lang))
		fprintf(f, " aurai%s bloqué %llu paquets passés, d'environ %llu sources, "
			"aujourd'hui\n",
			n > 1 ? "ent" : "t", (unsigned long long)r->monitor_pkts,
			(unsigned long long)r->monitor_sources);
	else
		fprintf(f, " would have dropped %llu packets that passed, from about %llu sources, "
			"today\n",
			(unsigned long long)r->monitor_pkts, (unsigned long long)r->monitor_sources);
}

size_t weather_why(const struct wreport *r, const char *lang, char *buf, size_t len)
{
	const struct wlevels *lv = &r->levels;
	const char *day = lv->same_weekday
		? (is_fr(lang) ? weekday_fr : weekday_en)[lv->weekday % 7]
		: is_fr(lang) ? "jour" : "day";
	unsigned long long a = r->attacks, fl = lv->flood;
	int fr = is_fr(lang), n = 0;
	char x[32];

	if (!len)
		return 0;
	*buf = 0;
	if (r->level == LEVEL_UNKNOWN)
		return 0;
	switch (lv->cause) {
	case CAUSE_OUTBOUND:
		n = snprintf(buf, len, fr ? "au moins orage : une machine de la commune a appelé "
					    "un serveur listé"
					  : "storm at least: a machine of the town called a listed "
					    "server");
		break;
	case CAUSE_FLOOD:
		n = snprintf(buf, len, fr ? "un déferlement : environ %llu sources en un quart "
					    "d'heure"
					  : "a flood: about %llu sources at once in a quarter hour",
			     fl);
		break;
	case CAUSE_THRESHOLD:
		if (lv->basis == BASIS_CONFIGURED)
			n = snprintf(buf, len, fr ? "seuils fixes de la configuration : orage dès "
						    "%ld, tornade dès %ld attaques"
						  : "absolute thresholds from the configuration: "
						    "storm from %ld, tornado from %ld attacks",
				     r->thresholds[1], r->thresholds[2]);
		else
			n = snprintf(buf, len, fr ? "%d jour(s) d'historique : seuils fixes (orage "
						    "dès %ld, tornade dès %ld attaques) jusqu'à %d "
						    "jours"
						  : "%d day(s) of history: absolute thresholds (storm "
						    "from %ld, tornado from %ld attacks) until %d days "
						    "are known",
				     lv->known_days, r->thresholds[1], r->thresholds[2],
				     WEATHER_USUAL_DAYS);
		break;
	case CAUSE_QUIET:
		n = snprintf(buf, len, lv->basis == BASIS_USUAL
				 ? (fr ? "calme, comme d'habitude" : "quiet as usual")
				 : (fr ? "rien de bloqué depuis minuit" : "nothing blocked since midnight"));
		break;
	case CAUSE_BELOW:
		if (!a)
			n = snprintf(buf, len, fr ? "rien de bloqué pour l'instant ; un %s habituel en "
						    "compte %.0f à cette heure"
						  : "nothing blocked yet; a usual %s has %.0f attacks by "
						    "this time", day, lv->usual);
		else
			n = snprintf(buf, len, fr ? "plus calme qu'un %s habituel (%s×)"
						  : "quieter than a usual %s (%s×)", day,
				     times(lv->ratio, lang, x, sizeof(x)));
		break;
	case CAUSE_AS_USUAL:
		n = snprintf(buf, len, fr ? "comme un %s habituel (%s×)" : "about a usual %s (%s×)",
			     day, times(lv->ratio, lang, x, sizeof(x)));
		break;
	case CAUSE_ABOVE:
		if (lv->usual <= 0)
			n = snprintf(buf, len, fr ? "quelques attaques un %s d'habitude calme"
						  : "a few attacks on a %s that is usually quiet", day);
		else if (a <= lv->p90)
			n = snprintf(buf, len, fr ? "%s× un %s habituel, dans ce qu'ont connu les 30 "
						    "derniers jours"
						  : "%s× a usual %s, within what the last 30 days have "
						    "seen", times(lv->ratio, lang, x, sizeof(x)), day);
		else
			n = snprintf(buf, len, fr ? "%s× un %s habituel, mais seulement %llu attaques"
						  : "%s× a usual %s, but only %llu attacks",
				     times(lv->ratio, lang, x, sizeof(x)), day, a);
		break;
	case CAUSE_STORM:
		if (lv->usual <= 0)
			n = snprintf(buf, len, fr ? "%llu attaques un %s d'habitude calme"
						  : "%llu attacks on a %s that is usually quiet", a, day);
		else
			n = snprintf(buf, len, fr ? "%s× un %s habituel" : "%s× a usual %s",
				     times(lv->ratio, lang, x, sizeof(x)), day);
		break;
	case CAUSE_FAR:
		if (lv->max <= 0)
			n = snprintf(buf, len, fr ? "%llu attaques quand les 30 derniers jours n'en "
						    "comptaient aucune à cette heure"
						  : "%llu attacks where the last 30 days had none by "
						    "this time", a);
		else
			n = snprintf(buf, len, fr ? "%s× le jour le plus chargé des 30 derniers jours "
						    "à cette heure"
						  : "%s× the busiest of the last 30 days by this time",
				     times(a / lv->max, lang, x, sizeof(x)));
		break;
	}
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}
