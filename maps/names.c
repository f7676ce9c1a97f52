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
