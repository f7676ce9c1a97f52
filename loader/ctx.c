// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctx.h"
#include "log.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int ctx_resolve(struct ctx *c, bool skip_config)
{
	const char *v;
	int err;

	c->now = env("BOUCLIER_NOW") ? (time_t)strtoll(env("BOUCLIER_NOW"), NULL, 10)
				      : time(NULL);
	snprintf(c->pin_dir, sizeof(c->pin_dir), "%s",
		 env("BOUCLIER_PIN_DIR") ? env("BOUCLIER_PIN_DIR") : BOUCLIER_PIN_DIR);

	if (c->opt_config)
		c->config_path = c->opt_config, c->config_from = "--config";
	else if ((v = env("BOUCLIER_CONFIG")))
		c->config_path = v, c->config_from = "BOUCLIER_CONFIG";
	else
		c->config_path = CONFIG_PATH_DEFAULT, c->config_from = "default";
	config_defaults(&c->cfg);
	c->config_exists = !access(c->config_path, F_OK);
	if (!skip_config && (c->config_exists || strcmp(c->config_from, "default"))) {
		err = config_load(c->config_path, &c->cfg);
		if (err)
			return -E_CONFIG;
	}

	if (c->opt_state_dir && *c->opt_state_dir)
		v = c->opt_state_dir, c->state_dir_from = "--state-dir";
	else if ((v = env("BOUCLIER_STATE_DIR")))
		c->state_dir_from = "BOUCLIER_STATE_DIR";
	else if (c->cfg.state_dir_set)
		v = c->cfg.state_dir, c->state_dir_from = "config";
	else
		v = STATE_DIR_DEFAULT, c->state_dir_from = "default";
	if (snprintf(c->state_dir, sizeof(c->state_dir), "%s", v) >= (int)sizeof(c->state_dir)) {
		pr_warn("state directory \"%s\": path too long\n", v);
		return -E_USAGE;
	}
	/* refresh and the reports read the feeds' downloads there too */
	snprintf(c->cfg.state_dir, sizeof(c->cfg.state_dir), "%s", c->state_dir);
	return 0;
}

void ctx_free(struct ctx *c)
{
	config_free(&c->cfg);
}

int need_root(const char *what)
{
	if (geteuid() == 0)
		return 0;
	pr_warn("%s needs root; run it with sudo\n", what);
	return -EPERM;
}
