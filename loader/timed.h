/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * timed.h - timed bans and allows: STATE_DIR/timed.list, and the programs'
 * bouclier_timed map that mirrors it (bouclier.h).  A ban drops an address
 * or prefix until its time, an allow lets it through until its time; both
 * act within milliseconds, without recompiling the table, and expire in the
 * data path.  The file survives reboots; `watch`, `attach` and every change
 * write the map again from it.
 */
#ifndef BOUCLIER_TIMED_H
#define BOUCLIER_TIMED_H

#include <stdbool.h>
#include <time.h>
#include "cidr.h"
#include "live.h"

enum timed_kind { TIMED_BAN, TIMED_ALLOW };

struct timed_entry {
	enum timed_kind kind;
	struct cidr c;
	__u64 expires, added;   /* Unix seconds */
	int direction;          /* enum direction (config.h); bans only */
	char by[48];            /* who added it: an account, or "crowdsec:FEED" */
	char reason[160];       /* why; control characters and tabs replaced */
};

struct timed_list {
	struct timed_entry *v;
	size_t n;
};

/* Reads STATE_DIR/timed.list (a missing file is an empty list); lines that
 * do not parse are skipped with a warning naming the line. */
int timed_load(const char *dir, struct timed_list *t);
int timed_save(const char *dir, const struct timed_list *t);
void timed_free(struct timed_list *t);
/* Drops the entries that expired before now; returns how many. */
size_t timed_expire(struct timed_list *t, time_t now);
/* Whether a prefix can be a timed entry: the map holds IPv4 as
 * ::ffff:a.b.c.d, so an IPv6 prefix covering ::ffff:0:0/96 (::/8, say)
 * would reach every IPv4 address too; such prefixes are refused. */
bool timed_prefix_ok(const struct cidr *c);
/* Adds or replaces the entry of the same kind and prefix. */
int timed_put(struct timed_list *t, const struct timed_entry *e);
/* Removes the entry of that kind and prefix; -ENOENT when there is none. */
int timed_del(struct timed_list *t, enum timed_kind kind, const struct cidr *c);

/* Makes the map hold exactly the entries of t that have not expired (new
 * ones first, then the removals, so no entry is missing on the way) and
 * tells the programs how many there are. */
int timed_sync(struct live *l, const struct timed_list *t, time_t now);

/* What the programs do after the table's value *val for an address: a
 * covering timed entry that has not expired replaces it (the allowlist
 * excepted).  Returns 1 and the entry in *hit when one did. */
int timed_lookup(struct live *l, const struct cidr *addr, __u32 *val,
		 struct bouclier_timed_val *hit);

/* The commands' shared work (cmd_ban.c): add (for seconds, with a reason)
 * or remove one entry, saved then applied; and one entry for people or
 * JSON. */
struct ctx;
int timed_change(struct ctx *x, enum timed_kind kind, const char *arg, long seconds,
		 const char *reason, int direction, bool add);
void timed_print(const struct timed_entry *e, time_t now);
#include <jansson.h>
json_t *timed_json(const struct timed_entry *e, time_t now);

/* Saves t (its ended entries dropped) and writes it to the running
 * programs, under the state lock the caller holds; *live says whether they
 * took it.  Not attached: saved, and 0. */
int timed_apply(struct ctx *x, struct timed_list *t, bool *live);

/* What watch does every minute: the entries that ended leave the file and
 * the map (an ended entry still hides a broader one in the map's longest-
 * prefix match, and a ban shares its key with an allow of the same
 * prefix); nothing to do most minutes. */
int timed_tidy(struct ctx *x);

/* Who runs the command: $SUDO_USER behind sudo, else the account name. */
void timed_who(char *buf, size_t len);
/* "2h", "3 d 4 h": what is left of a duration, for people. */
void timed_left(long seconds, char *buf, size_t len);

#endif
