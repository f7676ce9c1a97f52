// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* words.c - the weather's words in each language, written once: every word
 * the text and the page show a reader comes from here (tests/unit/
 * test_words.c fails on one left in English on the French page). */
#include <string.h>
#include "weather.h"

/* Each level: its name, what it means and what to do in one sentence, as
 * a weather service's vigilance map says it, and its picture on a terminal
 * without emoji.  Row 0 is unknown (LEVEL_UNKNOWN + 1). */
static const struct {
	const char *en, *fr, *advice_en, *advice_fr, *sign_en, *sign_fr, *emoji;
} levels[LEVEL_MAX + 1] = {
	{ "unknown", "inconnu",
	  "The filter is not protecting the town as it should (stopped, or its blocklists are "
	  "missing or out of date): call the IT person now.",
	  "Le filtre ne protège pas la commune comme il le devrait (arrêté, ou listes absentes "
	  "ou périmées) : appelez dès maintenant la personne chargée de l'informatique.",
	  "(?)", "(?)", "\u2753" },
	{ "sunny", "ensoleillé",
	  "Calm: no attack, or hardly any, reached the filter today. Nothing to do.",
	  "Calme : aucune attaque, ou presque, n'est arrivée jusqu'au filtre aujourd'hui. Rien "
	  "à faire.",
	  "(sun)", "(soleil)", "\u2600\ufe0f" },
	{ "light rain", "averses",
	  "The usual background of scans that every address on the Internet receives; the "
	  "filter blocks it. Nothing to do.",
	  "Le bruit de fond habituel des balayages que reçoit toute adresse sur Internet ; le "
	  "filtre le bloque. Rien à faire.",
	  "(rain)", "(pluie)", "\U0001F326\ufe0f" },
	{ "storm", "orage",
	  "Far more attacks than usual: check that the town's services open to the Internet "
	  "(web site, mail, remote access) have their updates, and watch the next days.",
	  "Beaucoup plus d'attaques que d'habitude : vérifiez que les services de la commune "
	  "ouverts sur Internet (site web, messagerie, accès à distance) sont à jour, et "
	  "surveillez les jours suivants.",
	  "(storm)", "(orage)", "\u26c8\ufe0f" },
	{ "tornado", "tornade",
	  "A flood or an attack campaign aimed at the town: tell the IT person or the Internet "
	  "provider today. The filter keeps blocking, but the link itself may slow down.",
	  "Un déferlement ou une campagne d'attaques visant la commune : prévenez aujourd'hui "
	  "la personne chargée de l'informatique ou le fournisseur d'accès. Le filtre continue "
	  "de bloquer, mais la connexion elle-même peut ralentir.",
	  "(tornado)", "(tornade)", "\U0001F32A\ufe0f" },
};

static const struct words en = {
	.lang = "en", .title = "cyber weather", .since = "since midnight",
	.attacks = "attacks blocked", .sources = "sources (about)",
	.yesterday = "yesterday", .week = "7-day average", .feeds = "packets by feed",
	.ports = "packets by service", .top = "top blocked sources", .hourly = "hour by hour",
	.unknown_why = "why unknown", .last_days = "last 30 days", .packets = "packets",
	.upper_bound = "at most: today began before attacks were counted",
	.out_one = "1 machine of the town tried to reach servers on a blocklist (botnet, malware)",
	.out_many = "%s machines of the town tried to reach servers on a blocklist (botnet, "
		    "malware)",
	.out_times = "times",
	.out_todo_one = "Its traffic was stopped. Have it checked for malware today: an infected "
			"machine may leak documents.",
	.out_todo_many = "Their traffic was stopped. Have them checked for malware today: an "
			 "infected machine may leak documents.",
	.colon = ":",
	.volume = "volume", .listed_by = "listed by",
	.legend = "What the levels mean",
	.trend = "Compared with a usual day", .today_by = "today by %s",
	.usual_by = "a usual %s by this time", .busiest_by = "the busiest of the last 30 days by this time",
	.young = "Not enough history yet to know the town's usual day: %d of the %d days needed "
		 "are known.",
	.fixed = "The levels follow fixed thresholds: light rain from %s, storm from %s, "
		 "tornado from %s attacks.",
	.day = "day",
	.no_figure = "no figure (not recorded, or before attacks were counted)",
};
static const struct words fr = {
	.lang = "fr", .title = "météo cyber", .since = "depuis minuit",
	.attacks = "attaques bloquées", .sources = "sources (environ)",
	.yesterday = "hier", .week = "moyenne sur 7 jours", .feeds = "paquets par liste",
	.ports = "paquets par service", .top = "sources les plus bloquées",
	.hourly = "heure par heure", .unknown_why = "pourquoi inconnu",
	.last_days = "30 derniers jours", .packets = "paquets",
	.upper_bound = "au plus : la journée a commencé avant le décompte des attaques",
	.out_one = "1 machine de la commune a tenté de joindre des serveurs listés (botnet, "
		   "logiciel malveillant)",
	.out_many = "%s machines de la commune ont tenté de joindre des serveurs listés (botnet, "
		    "logiciel malveillant)",
	.out_times = "fois",
	.out_todo_one = "Son trafic a été arrêté. Faites-la vérifier aujourd'hui : une machine "
			"infectée peut laisser fuir des documents.",
	.out_todo_many = "Leur trafic a été arrêté. Faites-les vérifier aujourd'hui : une machine "
			 "infectée peut laisser fuir des documents.",
	.colon = "\u00a0:",
	.volume = "volume", .listed_by = "listée par",
	.legend = "Ce que veulent dire les niveaux",
	.trend = "Par rapport à un jour habituel", .today_by = "aujourd'hui à %s",
	.usual_by = "un %s habituel à la même heure", .busiest_by = "le jour le plus chargé des "
		  "30 derniers à la même heure",
	.young = "Pas encore assez d'historique pour connaître le jour habituel de la commune : "
		 "jours connus : %d sur les %d nécessaires.",
	.fixed = "Les niveaux suivent des seuils fixes : averses dès %s, orage dès %s, tornade "
		 "dès %s attaques.",
	.day = "jour",
	.no_figure = "pas de chiffre (non enregistré, ou avant le décompte des attaques)",
};

/* Every reason weather_compute() and weather_inputs() give, in English and French. */
static const struct { const char *en, *fr; } reasons[] = {
	{ "the filter is not attached or its counters cannot be read",
	  "le filtre n'est pas en place ou ses compteurs sont illisibles" },
	{ "no blocklist is loaded", "aucune liste de blocage n'est chargée" },
	{ "every blocklist is in monitor mode: nothing is dropped",
	  "toutes les listes sont en observation : rien n'est bloqué" },
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

static int row(enum level l)
{
	return l < LEVEL_SUNNY || l >= LEVEL_MAX ? 0 : l + 1;
}

const char *weather_level_name(enum level l, const char *lang)
{
	return is_fr(lang) ? levels[row(l)].fr : levels[row(l)].en;
}

const char *weather_level_advice(enum level l, const char *lang)
{
	return is_fr(lang) ? levels[row(l)].advice_fr : levels[row(l)].advice_en;
}

const char *weather_level_sign(enum level l, const char *lang, int utf8)
{
	if (utf8)
		return levels[row(l)].emoji;
	return is_fr(lang) ? levels[row(l)].sign_fr : levels[row(l)].sign_en;
}

/* The categories bouclier itself gives a feed. */
static const struct { const char *en, *fr; } categories[] = {
	{ CATEGORY_DEFAULT, "non classé" },
	{ BOUCLIER_FEED_BAN_CATEGORY, "manuel" },
};

const char *weather_category(const char *category, const char *lang)
{
	size_t i;

	for (i = 0; is_fr(lang) && i < sizeof(categories) / sizeof(categories[0]); i++)
		if (!strcmp(category, categories[i].en))
			return categories[i].fr;
	return category;
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
	char num[WEATHER_NUMLEN];
	size_t n;
	int k, f, named;

	if (!r->nhosts || !len)
		return 0;
	n = snprintf(buf, len, r->nhosts == 1 ? w->out_one : w->out_many,
		     weather_num(num, sizeof(num), r->nhosts, lang));
	for (k = 0; k < r->nhosts && n < len; k++) {
		n += snprintf(buf + n, len - n, "%s %s (%s %s", k ? "," : w->colon,
			      r->hosts[k].address,
			      weather_num(num, sizeof(num), r->hosts[k].attempts, lang),
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

const char *weather_usual_day(const struct wreport *r, const char *lang)
{
	const struct wlevels *lv = &r->levels;

	if (!lv->same_weekday)
		return weather_words(lang)->day;
	return (is_fr(lang) ? weekday_fr : weekday_en)[lv->weekday % 7];
}

const char *weather_advice(const struct wreport *r, const char *lang)
{
	if (r->level == LEVEL_STORM && r->levels.cause == CAUSE_OUTBOUND)
		return is_fr(lang)
			? "Une machine de la commune a tenté de joindre un serveur connu pour des "
			  "attaques : faites-la vérifier aujourd'hui (voir ci-dessous)."
			: "A machine of the town tried to reach a server known for attacks: have it "
			  "checked today (see below).";
	return weather_level_advice(r->level, lang);
}

/* "3.2" below ten, "280" above: a tenth means nothing at that size. */
static const char *ratio(char *buf, size_t len, double x, const char *lang)
{
	return weather_dec(buf, len, x, x < 9.95 ? 1 : 0, lang);
}

/* "monitor mode (not enforced): ipsum would have dropped 1,234 packets
 * that passed, from about 56 sources, today" in both languages, figures
 * for people; its length, 0 when no feed is monitored. */
size_t weather_monitor_sentence(const struct wreport *r, const char *lang, char *buf,
				size_t len)
{
	char pk[WEATHER_NUMLEN], src[WEATHER_NUMLEN];
	int k, n = 0, fr = is_fr(lang);
	size_t o;

	if (!r->monitor_feeds || !len)
		return 0;
	o = (size_t)snprintf(buf, len, "%s",
			     fr ? "en observation (non appliqué) :" : "monitor mode (not enforced):");
	for (k = 0; k < BOUCLIER_MAX_FEEDS && o < len; k++)
		if (r->monitor_feeds & (1u << k))
			o += (size_t)snprintf(buf + o, len - o, "%s %s", n++ ? "," : "",
					      r->in->feeds[k].name);
	weather_num(pk, sizeof(pk), r->monitor_pkts, lang);
	weather_num(src, sizeof(src), r->monitor_sources, lang);
	if (o < len)
		o += (size_t)snprintf(buf + o, len - o,
				      fr ? " aurai%s bloqué %s paquets passés, d'environ %s sources, "
					   "aujourd'hui"
					 : "%s would have dropped %s packets that passed, from about "
					   "%s sources, today",
				      fr ? (n > 1 ? "ent" : "t") : "", pk, src);
	return o < len ? o : len - 1;
}

size_t weather_why(const struct wreport *r, const char *lang, char *buf, size_t len)
{
	const struct wlevels *lv = &r->levels;
	const char *day = weather_usual_day(r, lang);
	unsigned long long a = r->attacks;
	int fr = is_fr(lang), n = 0;
	char x[WEATHER_NUMLEN], y[WEATHER_NUMLEN];

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
		n = snprintf(buf, len, fr ? "un déferlement : environ %s sources en un quart "
					    "d'heure"
					  : "a flood: about %s sources at once in a quarter hour",
			     weather_num(x, sizeof(x), lv->flood, lang));
		break;
	case CAUSE_THRESHOLD:
		if (lv->basis == BASIS_CONFIGURED)
			n = snprintf(buf, len, fr ? "seuils fixes de la configuration : orage dès "
						    "%s, tornade dès %s attaques"
						  : "absolute thresholds from the configuration: "
						    "storm from %s, tornado from %s attacks",
				     weather_num(x, sizeof(x), r->thresholds[1], lang),
				     weather_num(y, sizeof(y), r->thresholds[2], lang));
		else
			n = snprintf(buf, len, fr ? "%d jour(s) d'historique : seuils fixes (orage "
						    "dès %s, tornade dès %s attaques) jusqu'à %d "
						    "jours"
						  : "%d day(s) of history: absolute thresholds (storm "
						    "from %s, tornado from %s attacks) until %d days "
						    "are known",
				     lv->known_days, weather_num(x, sizeof(x), r->thresholds[1], lang),
				     weather_num(y, sizeof(y), r->thresholds[2], lang),
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
						    "compte %s à cette heure"
						  : "nothing blocked yet; a usual %s has %s attacks by "
						    "this time", day, weather_dec(x, sizeof(x), lv->usual, 0, lang));
		else
			n = snprintf(buf, len, fr ? "plus calme qu'un %s habituel (%s×)"
						  : "quieter than a usual %s (%s×)", day,
				     ratio(x, sizeof(x), lv->ratio, lang));
		break;
	case CAUSE_AS_USUAL:
		n = snprintf(buf, len, fr ? "comme un %s habituel (%s×)" : "about a usual %s (%s×)",
			     day, ratio(x, sizeof(x), lv->ratio, lang));
		break;
	case CAUSE_ABOVE:
		if (lv->usual <= 0)
			n = snprintf(buf, len, fr ? "quelques attaques un %s d'habitude calme"
						  : "a few attacks on a %s that is usually quiet", day);
		else if (a <= lv->p90)
			n = snprintf(buf, len, fr ? "%s× un %s habituel, dans ce qu'ont connu les 30 "
						    "derniers jours"
						  : "%s× a usual %s, within what the last 30 days have "
						    "seen", ratio(x, sizeof(x), lv->ratio, lang), day);
		else
			n = snprintf(buf, len, fr ? "%s× un %s habituel, mais seulement %s attaques"
						  : "%s× a usual %s, but only %s attacks",
				     ratio(x, sizeof(x), lv->ratio, lang), day,
				     weather_num(y, sizeof(y), a, lang));
		break;
	case CAUSE_STORM:
		if (lv->usual <= 0)
			n = snprintf(buf, len, fr ? "%s attaques un %s d'habitude calme"
						  : "%s attacks on a %s that is usually quiet",
				     weather_num(x, sizeof(x), a, lang), day);
		else
			n = snprintf(buf, len, fr ? "%s× un %s habituel" : "%s× a usual %s",
				     ratio(x, sizeof(x), lv->ratio, lang), day);
		break;
	case CAUSE_FAR:
		if (lv->max <= 0)
			n = snprintf(buf, len, fr ? "%s attaques quand les 30 derniers jours n'en "
						    "comptaient aucune à cette heure"
						  : "%s attacks where the last 30 days had none by "
						    "this time", weather_num(x, sizeof(x), a, lang));
		else
			n = snprintf(buf, len, fr ? "%s× le jour le plus chargé des 30 derniers jours "
						    "à cette heure"
						  : "%s× the busiest of the last 30 days by this time",
				     ratio(x, sizeof(x), a / lv->max, lang));
		break;
	}
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* A plural's "s" for n: French's plural starts at 2, English's at 0 and 2. */
static const char *plural_s(__u64 n, int fr)
{
	return (fr ? n > 1 : n != 1) ? "s" : "";
}

size_t weather_detect_sentence(const struct wreport *r, const char *lang, char *buf, size_t len)
{
	char a[WEATHER_NUMLEN], b[WEATHER_NUMLEN], sp[WEATHER_NUMLEN];
	__u64 spared = r->detect[BOUCLIER_DT_SPARED_ALLOW] + r->detect[BOUCLIER_DT_SPARED_PEER] +
		       r->detect[BOUCLIER_DT_SPARED_FULL];
	int fr = is_fr(lang), n;

	if (!len || r->in->detect_mode == DETECT_OFF)
		return 0;
	weather_num(b, sizeof(b), r->detect[BOUCLIER_DT_WOULD_BAN], lang);
	weather_num(sp, sizeof(sp), spared, lang);
	if (r->in->detect_mode == DETECT_MONITOR)
		n = snprintf(buf, len, fr ? "détection en observation : %s source%s aurai%s été "
					    "bannie%s aujourd'hui (rien n'est bloqué)"
					  : "detection in monitor mode: %s source%s would have been "
					    "banned today (nothing is dropped)",
			     b, plural_s(r->detect[BOUCLIER_DT_WOULD_BAN], fr),
			     fr ? (r->detect[BOUCLIER_DT_WOULD_BAN] > 1 ? "ent" : "t") : "",
			     fr ? plural_s(r->detect[BOUCLIER_DT_WOULD_BAN], fr) : "");
	else if (fr)
		n = snprintf(buf, len, "%s attaque%s détectée%s par leur comportement (%s source%s "
			     "bannie%s par bouclier lui-même",
			     weather_num(a, sizeof(a), r->det_attacks, lang),
			     plural_s(r->det_attacks, fr), plural_s(r->det_attacks, fr),
			     weather_num(b, sizeof(b), r->detect[BOUCLIER_DT_BANNED], lang),
			     plural_s(r->detect[BOUCLIER_DT_BANNED], fr),
			     plural_s(r->detect[BOUCLIER_DT_BANNED], fr));
	else
		n = snprintf(buf, len, "%s attack%s detected by their behaviour (%s source%s banned "
			     "by bouclier itself", weather_num(a, sizeof(a), r->det_attacks, lang),
			     plural_s(r->det_attacks, fr),
			     weather_num(b, sizeof(b), r->detect[BOUCLIER_DT_BANNED], lang),
			     plural_s(r->detect[BOUCLIER_DT_BANNED], fr));
	if (n > 0 && (size_t)n < len && spared)
		n += snprintf(buf + n, len - (size_t)n,
			      fr ? " ; %s épargnée%s : sur la liste blanche ou contactée%s par la ville"
				 : "; %s spared: allowlisted or contacted by the town", sp,
			      fr ? plural_s(spared, fr) : "", fr ? plural_s(spared, fr) : "");
	if (n > 0 && (size_t)n < len && r->in->detect_mode != DETECT_MONITOR)
		n += snprintf(buf + n, len - (size_t)n, ")");
	return n < 0 ? 0 : (size_t)n < len ? (size_t)n : len - 1;
}

/* The observatory's page (observatory.c), in both languages. */
static const struct obs_words obs_en = {
	.lang = "en",
	.title = "Observatory: %d towns, %s attacks blocked today",
	.infected = "towns with infected machines",
	.town = "town", .weather = "weather", .attacks = "attacks today",
	.vs_usual = "vs its usual", .vs_region = "vs the region", .yesterday = "yesterday",
	.machines = "infected machines", .note = "note", .trend = "Trend (attacks)",
	.unreadable = "unreadable report", .stale = "stale report", .missing = "no report",
	.down = "the town's filter reports unknown",
	.packets_only = "counts packets, not attacks (an older bouclier): not in the totals",
	.region = "The region's list",
	.region_list = "%s sources attacked at least %u towns within %ld hours; %s towns saw "
		       "them.",
	.region_saved = "%s attacks were blocked in a town because another town saw the source "
			"first.",
	.region_published = "Published as %s, sequence %llu, signed.",
	.region_fed = "fed the region's list", .yes = "yes",
};

static const struct obs_words obs_fr = {
	.lang = "fr",
	.title = "Observatoire : %d communes, %s attaques bloquées aujourd'hui",
	.infected = "communes ayant des machines infectées",
	.town = "commune", .weather = "météo", .attacks = "attaques aujourd'hui",
	.vs_usual = "par rapport à l'habitude", .vs_region = "par rapport à la région",
	.yesterday = "hier", .machines = "machines infectées", .note = "remarque",
	.trend = "Tendance (attaques)",
	.unreadable = "rapport illisible", .stale = "rapport trop ancien",
	.missing = "pas de rapport",
	.down = "le filtre de la commune se dit inconnu (arrêté ou listes périmées)",
	.packets_only = "compte des paquets et non des attaques (bouclier plus ancien) : hors "
			"des totaux",
	.region = "La liste de la région",
	.region_list = "%s sources ont attaqué au moins %u communes en %ld heures ; %s communes "
		       "les ont vues.",
	.region_saved = "%s attaques ont été bloquées dans une commune parce qu'une autre commune "
			"avait vu la source la première.",
	.region_published = "Publiée dans %s, numéro %llu, signée.",
	.region_fed = "a nourri la liste de la région", .yes = "oui",
};

const struct obs_words *weather_obs_words(const char *lang)
{
	return is_fr(lang) ? &obs_fr : &obs_en;
}
