/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * lapi.h - CrowdSec's Local API as a live source: a [feed NAME] with
 * `lapi = URL` and `api_key_file = FILE` is polled by `bouclier watch`
 * (GET /v1/decisions/stream, with startup=true first, then every
 * lapi_interval), and its ban decisions become timed bans (timed.h), each
 * for its own duration, owned by "crowdsec:NAME": a deletion lifts only a
 * ban of that owner, and a prefix banned by someone else (`ban add`,
 * another feed) is left to them.
 *
 * What happens when:
 *   - watch starts: the first poll is startup=true, which lists every
 *     decision in force; the feed's bans become exactly those (one deleted
 *     while watch was down is lifted), each until its decision ends;
 *   - the LAPI cannot be reached, refuses the key, or answers something
 *     else than a stream: said once per change, never fatal to watch; the
 *     bans already applied stay until they end, and polls go on (with
 *     startup=true until one succeeds);
 *   - the feed leaves the configuration: its bans are lifted when watch
 *     starts again;
 *   - two watches (one a link) share the state directory: one polls
 *     (STATE_DIR/lapi.lock), the other stands by to take over.
 * lapi.c: the key, the decisions applied to a list, the status file;
 * lapi_poll.c: the polls (libcurl), for watch.c.
 */
#ifndef BOUCLIER_LAPI_H
#define BOUCLIER_LAPI_H

#include <poll.h>
#include <stdbool.h>
#include <time.h>
#include <jansson.h>
#include "config.h"
#include "crowdsec.h"
#include "timed.h"

#define LAPI_MAX_DECISIONS 32768 /* bans applied from one answer, on each side */
#define LAPI_MAX_BYTES (32 << 20) /* an answer larger is refused whole */
#define LAPI_TIMEOUT_MS 20000    /* a poll, connection included */
#define LAPI_KEY_LEN 256

/* Reads the API key of api_key_file into key: a file root may trust (not
 * writable or readable by other accounts; config_distrust()), holding one
 * line of printable characters.  0, or -errno and why in why. */
int lapi_key_read(const char *path, char *key, size_t len, char *why, size_t whylen);

/* The owner of a feed's bans, "crowdsec:NAME". */
void lapi_owner(const char *feed, char *buf, size_t len);

struct lapi_tally {
	size_t banned;  /* new bans */
	size_t renewed; /* bans held already, their end set again */
	size_t lifted;  /* bans lifted: deleted, or not in force at startup */
	size_t others;  /* prefixes someone else bans already: theirs, made to last the decision */
	size_t refused; /* IPv6 prefixes covering ::ffff:0:0/96 */
	size_t full;    /* no room left in the timed map */
};

/* Applies one answer to t for the feed whose bans are owned by owner.  A
 * startup answer lists every decision in force: the owner's bans become
 * exactly its bans (unless it was cut at LAPI_MAX_DECISIONS: then none is
 * lifted).  Another answer lifts the owner's bans it deletes (a deletion
 * said twice finds nothing the second time), then adds its new ones.  Each
 * ban lasts the decision's duration from now, in the feed's direction.
 * 0 or -ENOMEM (t unchanged). */
int lapi_apply(struct timed_list *t, const char *owner, int direction,
	       const struct crowdsec_stream *s, bool startup, time_t now, struct lapi_tally *n);

/* Lifts the bans of owners "crowdsec:X" for which c has no lapi feed X:
 * a feed removed from the configuration.  Returns how many. */
size_t lapi_forget_removed(struct timed_list *t, const struct config *c);

/* STATE_DIR/lapi.json: what the polling watch says of each feed, for
 * `feed list` and `status`.  Read: the file's feeds, each with "live"
 * (polled successfully within three intervals, at least 90 s) and "bans"
 * (held now, from timed.list) added; NULL without LAPI feeds. */
json_t *lapi_status(const char *dir, const struct config *c, time_t now);
/* One line a feed, for people. */
void lapi_status_print(FILE *f, json_t *status, time_t now);

/* ---- lapi_poll.c: the polls, in watch's loop */
struct lapi_set;
struct ctx;
/* NULL when the configuration has no LAPI feed (nothing to do). */
struct lapi_set *lapi_start(struct ctx *c);
void lapi_stop(struct lapi_set *ls);
/* When (now_ms()'s clock, ms) the next poll is due; 0: never. */
long long lapi_due(const struct lapi_set *ls);
/* poll(2) on fds, and on the polls in flight. */
int lapi_wait(struct lapi_set *ls, struct pollfd *fds, int n, int timeout_ms);
/* Starts the polls that are due, applies the answers that came; now_ms on
 * watch's now_ms() clock. */
void lapi_run(struct lapi_set *ls, long long now_ms);

#endif
