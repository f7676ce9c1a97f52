// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* cmd_config.c - config check and config urls. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "ctx.h"
#include "lapi.h"
#include "log.h"
#include "out.h"

/* Each LAPI feed's key file, as watch will read it: what the file's syntax
 * cannot say.  Returns the problems. */
static int check_keys(const struct config *c)
{
	char key[LAPI_KEY_LEN + 1], why[PATH_MAX + 160];
	int i, bad = 0, err;

	for (i = 0; i < c->nlapis; i++) {
		const struct config_feed *f = &c->lapis[i];

		err = lapi_key_read(f->api_key_file, key, sizeof(key), why, sizeof(why));
		explicit_bzero(key, sizeof(key));
		if (err == -EACCES && geteuid() != 0) {
			pr_info("%s:%lu: api_key_file %s: not checked: only root may read it\n",
				c->file, f->line, f->api_key_file);
		} else if (err) {
			fprintf(stderr, "%s:%lu: feed %s: api_key_file %s: %s\n", c->file, f->line,
				f->name, f->api_key_file, why);
			bad++;
		}
	}
	return bad;
}

/* ctx_resolve() has read the file (problems printed, exit 78) before we run. */
static int run_check(struct ctx *x, void *o)
{
	struct json_opts *a = o;
	const struct config *c = &x->cfg;
	int i, urls = 0;

	if (!x->config_exists) {
		pr_warn("%s: no configuration (%s)\n", x->config_path, strerror(ENOENT));
		return -E_CONFIG;
	}
	for (i = 0; i < c->nfeeds; i++)
		urls += !!c->feeds[i].url[0];
	if (check_keys(c)) {
		pr_warn("%s: the CrowdSec LAPI keys above are not usable\n", x->config_path);
		return -E_CONFIG;
	}
	if (a->json) {
		json_t *j = json_object();

		jset(j, "file", jstr(x->config_path));
		jset(j, "ok", json_true());
		jset(j, "town", jstr(c->town));
		jset(j, "feeds", json_integer(c->nfeeds));
		jset(j, "url_feeds", json_integer(urls));
		jset(j, "lapi_feeds", json_integer(c->nlapis));
		jset(j, "allow", ju64(c->nallow));
		jset(j, "state_dir", jstr(x->state_dir));
		jset(j, "state_dir_from", jstr(x->state_dir_from));
		return json_print(stdout, j) ? -EIO : 0;
	}
	printf("%s: ok: town %s, %d feeds (%d fetched from a URL), %d CrowdSec LAPI feeds, %zu "
	       "allowlist entries, state in %s (from %s)\n", x->config_path, c->town, c->nfeeds,
	       urls, c->nlapis, c->nallow, x->state_dir, x->state_dir_from);
	return 0;
}

const struct command cmd_config_check = {
	.name = "config check",
	.summary = "validate the configuration; FILE:LINE for each problem, exit 78",
	.run = run_check,
	.size = sizeof(struct json_opts),
	.opts = json_only_opts,
};

/* For tools/bouclier-fetch: "NAME URL FILE KEYFILE" a line, for every URL
 * feed; KEYFILE is the region's public key of a feed with verify =, which
 * is fetched with URL.sig and kept only when they verify, else "-". */
static int run_urls(struct ctx *x, void *o)
{
	const struct config *c = &x->cfg;
	char file[PATH_MAX];
	int i;

	(void)o;
	for (i = 0; i < c->nfeeds; i++) {
		if (!c->feeds[i].url[0])
			continue;
		config_feed_file(c, &c->feeds[i], file, sizeof(file));
		printf("%s %s %s %s\n", c->feeds[i].name, c->feeds[i].url, file,
		       c->feeds[i].verify[0] ? c->feeds[i].verify : "-");
	}
	return 0;
}

const struct command cmd_config_urls = {
	.name = "config urls",
	.summary = "NAME URL FILE KEYFILE for every fetched feed (used by bouclier-fetch; "
		   "KEYFILE is verify =, or -)",
	.run = run_urls,
};
