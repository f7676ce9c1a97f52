// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* cmd_allow.c - the allowlist: allow add, del and list. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "ctx.h"
#include "lists.h"
#include "log.h"
#include "out.h"
#include "timed.h"

struct cidr_opts {
	const char *cidr, *reason;
	long seconds;
};

static int parse_cidr_arg(const char *arg, struct cidr *c)
{
	const char *why;
	char buf[CIDR_STRLEN];
	int flags;

	if (cidr_parse(arg, strlen(arg), c, &flags, &why)) {
		pr_warn("\"%s\": %s\n", arg, why);
		return -EINVAL;
	}
	if (flags & CIDR_HOSTBITS)
		pr_warn("\"%s\" has host bits set; using %s\n", arg, cidr_format(c, buf, sizeof(buf)));
	return 0;
}

static int allow_change(struct ctx *x, const char *arg, bool add)
{
	struct cidr c, *v;
	struct staged staged;
	struct state s;
	char buf[CIDR_STRLEN];
	size_t i;
	bool live;
	int err;

	err = parse_cidr_arg(arg, &c);
	if (err)
		return err;
	err = need_root(add ? "allow add" : "allow del");
	if (err)
		return err;
	err = state_open_loaded(&s, x->state_dir, STATE_LOCK_WAIT);
	if (err)
		goto out;
	for (i = 0; i < s.nallow && cidr_cmp(&s.allow[i], &c); i++)
		;
	if (add == (i < s.nallow)) {
		pr_info("%s is %s on the allowlist\n", cidr_format(&c, buf, sizeof(buf)),
			add ? "already" : "not");
		err = add ? 0 : -ENOENT;
		goto out;
	}
	if (add) {
		v = realloc(s.allow, (s.nallow + 1) * sizeof(*v));
		if (!v) {
			err = -ENOMEM;
			goto out;
		}
		s.allow = v;
		s.allow[s.nallow++] = c;
	} else {
		s.allow[i] = s.allow[--s.nallow];
	}
	err = state_stage_allow(&s, &staged);
	if (!err) {
		err = lists_publish(x, &s, &live, NULL);
		if (err)
			state_abort(&staged);
		else
			err = state_commit(&staged);
	}
	if (!err)
		pr_info("%s %s the allowlist%s\n", cidr_format(&c, buf, sizeof(buf)),
			add ? "added to" : "removed from", live ? ", live" : "");
out:
	state_close(&s);
	return err;
}

static int run_add(struct ctx *x, void *o)
{
	struct cidr_opts *a = o;

	if (a->seconds) /* a quick unblock: no recompile, gone by itself */
		return timed_change(x, TIMED_ALLOW, a->cidr, a->seconds, a->reason, 0, true);
	if (a->reason)
		pr_info("--reason is kept for timed allows (--for); the allowlist keeps prefixes "
			"only\n");
	return allow_change(x, a->cidr, true);
}

/* A timed allow on CIDR first, else the allowlist's entry. */
static int run_del(struct ctx *x, void *o)
{
	struct cidr_opts *a = o;
	struct timed_list t;
	struct cidr c;
	const char *why;
	size_t i;
	int flags, timed = 0;

	if (!cidr_parse(a->cidr, strlen(a->cidr), &c, &flags, &why) &&
	    !timed_load(x->state_dir, &t)) {
		for (i = 0; i < t.n; i++)
			timed |= t.v[i].kind == TIMED_ALLOW && !cidr_cmp(&t.v[i].c, &c);
		timed_free(&t);
	}
	if (timed)
		return timed_change(x, TIMED_ALLOW, a->cidr, 0, NULL, 0, false);
	return allow_change(x, a->cidr, false);
}

static const struct opt add_opts[] = {
	{ .name = "CIDR", OPT_FIELD(STR, struct cidr_opts, cidr),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "CIDR",
	  .help = "an address or prefix" },
	{ .name = "for", OPT_FIELD(DURATION, struct cidr_opts, seconds), .metavar = "DURATION",
	  .help = "a timed allow: let it through for 30m, 2h, 1d, at once and without "
		  "recompiling, over every feed and ban; it ends by itself" },
	{ .name = "reason", OPT_FIELD(STR, struct cidr_opts, reason), .metavar = "TEXT",
	  .help = "why (timed allows), shown by `allow list` and `why`" },
	{ NULL },
};

static const struct opt del_opts[] = {
	{ .name = "CIDR", OPT_FIELD(STR, struct cidr_opts, cidr),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "CIDR",
	  .help = "an address or prefix" },
	{ NULL },
};

const struct command cmd_allow_add = {
	.name = "allow add",
	.summary = "never filter CIDR (the allowlist always wins), or for a while (--for)",
	.run = run_add,
	.size = sizeof(struct cidr_opts),
	.opts = add_opts,
	.flags = CMD_LISTS,
};

const struct command cmd_allow_del = {
	.name = "allow del",
	.summary = "remove CIDR from the allowlist, or end its timed allow",
	.run = run_del,
	.size = sizeof(struct cidr_opts),
	.opts = del_opts,
	.flags = CMD_LISTS,
};

static json_t *cidr_array(const struct cidr *v, size_t n)
{
	json_t *a = json_array();
	char buf[CIDR_STRLEN];
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jstr(cidr_format(&v[i], buf, sizeof(buf))));
	return a;
}

static int run_list(struct ctx *x, void *o)
{
	struct json_opts *a = o;
	struct cidr *autov = NULL, *live = NULL;
	struct timed_list t = { 0 };
	size_t nauto = 0, nlive = 0, i, k;
	const struct state *s = x->state;
	char buf[CIDR_STRLEN];
	int err;

	err = lists_auto_allow(NULL, &autov, &nauto);
	if (!err)
		err = state_load_auto(x->state_dir, &live, &nlive);
	if (!err)
		err = timed_load(x->state_dir, &t);
	if (err)
		goto out;
	if (a->json) {
		json_t *j = json_object();

		jset(j, "configured", cidr_array(s->allow, s->nallow));
		jset(j, "from_config", cidr_array(x->cfg.allow, x->cfg.nallow));
		jset(j, "automatic", cidr_array(live, nlive));
		jset(j, "automatic_now", cidr_array(autov, nauto));
		{
			json_t *ta = json_array();

			for (i = 0; i < t.n; i++)
				if (t.v[i].kind == TIMED_ALLOW && t.v[i].expires > (__u64)x->now)
					json_array_append_new(ta, timed_json(&t.v[i], x->now));
			jset(j, "timed", ta);
		}
		json_print(stdout, j);
	} else {
		for (i = 0; i < s->nallow; i++)
			printf("%s\n", cidr_format(&s->allow[i], buf, sizeof(buf)));
		for (i = 0; i < x->cfg.nallow; i++)
			printf("%s\t(the configuration's [allow])\n",
			       cidr_format(&x->cfg.allow[i], buf, sizeof(buf)));
		for (i = 0; i < nlive; i++)
			printf("%s\t(automatic: attached interface or gateway)\n",
			       cidr_format(&live[i], buf, sizeof(buf)));
		for (i = 0; i < nauto; i++) {
			for (k = 0; k < nlive && cidr_cmp(&live[k], &autov[i]); k++)
				;
			if (k == nlive)
				printf("%s\t(automatic, NOT YET LIVE: `bouclier watch` applies it within "
				       "a second; any change applies it now)\n",
				       cidr_format(&autov[i], buf, sizeof(buf)));
		}
		for (i = 0; i < t.n; i++)
			if (t.v[i].kind == TIMED_ALLOW && t.v[i].expires > (__u64)x->now) {
				printf("timed allow: ");
				timed_print(&t.v[i], x->now);
			}
	}
out:
	timed_free(&t);
	free(autov);
	free(live);
	return err;
}

const struct command cmd_allow_list = {
	.name = "allow list",
	.summary = "the allowlist, with the entries added on their own",
	.run = run_list,
	.size = sizeof(struct json_opts),
	.opts = json_only_opts,
	.flags = CMD_STATE_READ,
};
