// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "attach.h"
#include "auto_allow.h"
#include "detect.h"
#include "lists.h"
#include "log.h"
#include "pins.h"
#include "publish.h"
#include "timed.h"

int lists_auto_allow(const char *also, struct cidr **v, size_t *n)
{
	char names[65][IF_NAMESIZE];
	int k = pins_links(names, 64);

	*v = NULL;
	*n = 0;
	if (k < 0)
		return k;
	if (also && strlen(also) < IF_NAMESIZE)
		snprintf(names[k++], IF_NAMESIZE, "%s", also);
	return auto_allow((const char (*)[IF_NAMESIZE])names, k, v, n);
}

int lists_publish(const struct ctx *c, const struct state *s, bool *live, struct table_stats *st)
{
	return lists_publish_with(c, s, NULL, live, st);
}

int lists_publish_attach(void *arg, const char *ifname)
{
	struct lists_attach *a = arg;
	bool live;

	return lists_publish_with(a->c, a->s, ifname, &live, NULL);
}

/* Where a feed drops, and how: monitored, or the region's (verified: what
 * other towns saw, so the kernel counts what only it dropped). */
static __u32 feed_flags(const struct feed_state *f)
{
	return (__u32)f->direction | (f->monitor ? BOUCLIER_FEED_MONITOR : 0) |
	       (f->region.key[0] ? BOUCLIER_FEED_REGIONAL : 0);
}

/* Detection as it may run now: only watching (monitor mode) while an
 * interface is filtered on the way in but not on the way out, since the
 * peers that spare the town's resolver or bank from a forged scan are
 * learned on the way out. */
static const struct detect_settings *detect_settings_now(const struct detect_settings *want,
							 struct detect_settings *now)
{
	struct iface_state ifs[64];
	int n = attach_states(ifs, 64), i;

	*now = *want;
	for (i = 0; i < n && want->on && !want->monitor; i++)
		if (ifs[i].filtering && !strcmp(ifs[i].egress, "off")) {
			pr_warn("%s is not filtered on the way out, where the town's peers are "
				"learned: detection only watches (action = monitor) until it is, so "
				"that forged sources cannot get the town's own peers banned\n",
				ifs[i].name);
			now->monitor = true;
			break;
		}
	return now;
}

static int reload(void *arg, __u32 capacity, int table_fd)
{
	(void)arg;
	return attach_reload(capacity, table_fd);
}

int lists_publish_with(const struct ctx *c, const struct state *s, const char *also, bool *live,
		       struct table_stats *st)
{
	struct publish_feed feeds[BOUCLIER_MAX_FEEDS + 2];
	struct publish_input in = { .feeds = feeds, .nfeeds = s->nfeeds,
				    .max_bytes = (__u64)c->cfg.table_memory, .reload = reload };
	struct cidr *autov = NULL, *allow = NULL;
	struct publish_result res;
	struct detect_settings ds;
	size_t nauto = 0;
	struct live l;
	int i, err;

	*live = false;
	err = pins_open(&l);
	if (err == -ENOENT) {
		pr_info("bouclier is not attached: the change is saved and applies at "
			"`bouclier attach IFACE`\n");
		return 0;
	}
	if (err) {
		if (err != -EPROTO)
			pr_warn("cannot open the pinned maps in %s: %s\n", pins_dir(), strerror(-err));
		return err;
	}
	/* a reload cut short by a crash: pins that disagree, links on the old
	 * programs */
	in.torn = attach_pins_torn();
	if (!in.torn && attach_converge())
		pr_warn("some interfaces still run older programs of bouclier; `bouclier status` "
			"says which\n");
	for (i = 0; i < s->nfeeds; i++)
		feeds[i] = (struct publish_feed){ s->feeds[i].name, s->feeds[i].category,
						  s->feeds[i].index, s->feeds[i].loaded_at,
						  s->feeds[i].v, s->feeds[i].n,
						  feed_flags(&s->feeds[i]),
						  s->feeds[i].was, s->feeds[i].nwas, s->feeds[i].changed };
	/* the bans' pseudo-feeds (timed, detected): no entries, their names and
	 * indexes kept */
	feeds[in.nfeeds++] = (struct publish_feed){ BOUCLIER_FEED_BAN_NAME,
						    BOUCLIER_FEED_BAN_CATEGORY, BOUCLIER_FEED_BAN,
						    0, NULL, 0,
						    BOUCLIER_FEED_IN | BOUCLIER_FEED_OUT };
	feeds[in.nfeeds++] = (struct publish_feed){ BOUCLIER_FEED_DETECT_NAME,
						    BOUCLIER_FEED_DETECT_CATEGORY,
						    BOUCLIER_FEED_DETECT, 0, NULL, 0,
						    BOUCLIER_FEED_IN | (c->cfg.detect.monitor
									? BOUCLIER_FEED_MONITOR
									: 0) };
	err = lists_auto_allow(also, &autov, &nauto);
	if (err) {
		pr_warn("cannot read the interfaces' addresses and routes: %s\n", strerror(-err));
		goto out;
	}
	allow = calloc(s->nallow + s->nallow_conf + nauto + 1, sizeof(*allow));
	if (!allow) {
		err = -ENOMEM;
		goto out;
	}
	if (s->nallow)
		memcpy(allow, s->allow, s->nallow * sizeof(*allow));
	if (s->nallow_conf)
		memcpy(allow + s->nallow, s->allow_conf, s->nallow_conf * sizeof(*allow));
	if (nauto)
		memcpy(allow + s->nallow + s->nallow_conf, autov, nauto * sizeof(*allow));
	in.allow = allow;
	in.nallow = s->nallow + s->nallow_conf + nauto;
	err = publish_ex(&l, &in, st, &res);
	*live = !err;
	if (!err && res.delta)
		pr_debug("a change of %zu prefixes applied to a copy of the live table (%llu keys "
			 "rewritten)\n", res.ds.changed, (unsigned long long)res.ds.keys);
	/* the timed bans and allows, written again from their file (the map is
	 * the pinned one, kept across reloads: this also heals it) */
	if (!err) {
		struct timed_list t;

		err = timed_load(s->dir, &t);
		if (!err)
			err = timed_sync(&l, &t, time(NULL));
		timed_free(&t);
		/* the lists are live and their state is staged: this is no reason
		 * to call the swap failed, only to say so */
		if (err)
			pr_warn("the lists are live, but the timed bans and allows could not be "
				"applied (%s); the next change or `bouclier watch` applies them\n",
				strerror(-err));
		/* detection's thresholds, and its bans back after a reboot */
		err = detect_configure(&l, detect_settings_now(&c->cfg.detect, &ds));
		if (!err)
			err = detect_sync(&l, s->dir, &c->cfg.detect, time(NULL), NULL, NULL);
		if (err)
			pr_warn("the lists are live, but detection could not be set up (%s); the "
				"next change of the lists tries again\n", strerror(-err));
		err = 0;
	}
	/* what the live table holds, for `allow list` and `watch` */
	if (!err && state_save_auto(s->dir, autov, nauto))
		pr_debug("cannot write %s/auto-allow.list\n", s->dir);
out:
	free(allow);
	free(autov);
	live_close(&l);
	return err;
}
