// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "names.h"

static const char *const verdicts[BOUCLIER_V_MAX] = {
#define BOUCLIER_X(e, name) [BOUCLIER_V_##e] = name,
	BOUCLIER_VERDICTS(BOUCLIER_X)
#undef BOUCLIER_X
};

static const char *const protos[BOUCLIER_P_MAX] = {
#define BOUCLIER_X(e, name) [BOUCLIER_P_##e] = name,
	BOUCLIER_PROTOS(BOUCLIER_X)
#undef BOUCLIER_X
};

static const struct { const char *name; int port; } services[BOUCLIER_PORTS] = {
	[BOUCLIER_PORT_OTHER] = { "other", 0 },
#define BOUCLIER_X(e, name, number) [BOUCLIER_PORT_##e] = { name, number },
	BOUCLIER_SERVICES(BOUCLIER_X)
#undef BOUCLIER_X
};

const char *verdict_name(int v)
{
	return v >= 0 && v < BOUCLIER_V_MAX ? verdicts[v] : "?";
}

const char *proto_name(int p)
{
	return p >= 0 && p < BOUCLIER_P_MAX ? protos[p] : "?";
}

const char *service_name(int s)
{
	return s >= 0 && s < BOUCLIER_PORTS ? services[s].name : "?";
}

int service_port(int s)
{
	return s >= 0 && s < BOUCLIER_PORTS ? services[s].port : 0;
}

int service_of_port(__u16 port)
{
	int k;

	for (k = BOUCLIER_PORT_OTHER + 1; port && k < BOUCLIER_PORTS; k++)
		if (services[k].port == port)
			return k;
	return BOUCLIER_PORT_OTHER;
}

static const char *const detect_counts[BOUCLIER_DT_MAX] = {
#define BOUCLIER_X(e, name) [BOUCLIER_DT_##e] = name,
	BOUCLIER_DETECT_COUNTS(BOUCLIER_X)
#undef BOUCLIER_X
};

static const char *const behaviours[BOUCLIER_B_MAX] = {
#define BOUCLIER_X(e, name) [BOUCLIER_B_##e] = name,
	BOUCLIER_BEHAVIOURS(BOUCLIER_X)
#undef BOUCLIER_X
};

static const char *const guesses[BOUCLIER_GUESSES] = {
	[BOUCLIER_GUESS_NONE] = "other",
#define BOUCLIER_X(e, name) [BOUCLIER_GUESS_##e] = name,
	BOUCLIER_GUESS_SERVICES(BOUCLIER_X)
#undef BOUCLIER_X
};

const char *detect_count_name(int d)
{
	return d >= 0 && d < BOUCLIER_DT_MAX ? detect_counts[d] : "?";
}

const char *behaviour_name(int b)
{
	return b >= 0 && b < BOUCLIER_B_MAX ? behaviours[b] : "?";
}

const char *guess_name(int g)
{
	return g >= 0 && g < BOUCLIER_GUESSES ? guesses[g] : "?";
}
