// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The region's list, without root: keys (made once, never replaced, a
 * secret others may read refused), the list the observatory publishes
 * (sources at least K towns saw, a town's several reports once), and a
 * town's check before it loads one: a good list accepted; a tampered byte,
 * a wrong key, a replay, a truncated download and a missing signature each
 * refused with its own words, through the library and through `bouclier
 * feed check --verify` (exit 65, the file and the fix named).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "observatory.h"
#include "region.h"
#include "run.h"
#include "sign.h"
#include "tmpdir.h"

static char dir[64], key[128], other[128], list[128];

static void setup(void)
{
	struct sign_public pub;
	char why[SIGN_WHY_LEN];

	tmpdir_make(dir, sizeof(dir), "region");
	snprintf(key, sizeof(key), "%s/region.key", dir);
	snprintf(other, sizeof(other), "%s/other.key", dir);
	snprintf(list, sizeof(list), "%s/region.list", dir);
	cr_assert_eq(sign_keygen(key, &pub, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(sign_keygen(other, &pub, why, sizeof(why)), 0, "%s", why);
}

static void teardown(void)
{
	tmpdir_remove(dir);
}

/* Publishes the sources 198.51.100.7 and 2001:db8:1:2::/64 as the next list. */
static __u64 publish(time_t now)
{
	struct region_entry v[2] = { { 0, 0xffff00000000ULL | 0xc6336407, 3, 12 },
				     { 0x20010db800010002ULL, 0, 2, 5 } };
	struct region_params p = { 2, 86400, 4, now };
	__u64 seq = 0;

	cr_assert_eq(region_publish(list, key, v, 2, &p, &seq), 0);
	return seq;
}

/* What region_verify() says of the list now, with the public key of k. */
static int verify(const char *k, const struct region_signed *live, char *why, size_t len,
		  struct region_signed *got)
{
	struct feed_result r = { 0 };
	char pub[160];
	int err;

	snprintf(pub, sizeof(pub), "%s.pub", k);
	err = region_verify(list, pub, live, &r, NULL, got, why, len);
	feed_result_free(&r);
	return err;
}

Test(region, keys_are_made_once_and_a_secret_others_read_is_refused, .init = setup,
     .fini = teardown)
{
	struct sign_public pub, back;
	struct sign_secret sec;
	char why[SIGN_WHY_LEN], pubpath[160];
	struct stat st;

	cr_assert_eq(stat(key, &st), 0);
	cr_expect_eq(st.st_mode & 0777, 0600, "the secret is the owner's: %o", st.st_mode);
	cr_assert_eq(sign_keygen(key, &pub, why, sizeof(why)), -EEXIST);
	cr_expect(strstr(why, "already exists"), "%s", why);
	snprintf(pubpath, sizeof(pubpath), "%s.pub", key);
	cr_assert_eq(sign_read_public(pubpath, &back, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(sign_read_secret(key, &sec, why, sizeof(why)), 0, "%s", why);
	cr_expect_str_eq(sec.pub.id, back.id);
	cr_expect_eq(strlen(back.id), 16);
	chmod(key, 0644);
	cr_expect_eq(sign_read_secret(key, &sec, why, sizeof(why)), -EACCES);
	cr_expect(strstr(why, "chmod 600"), "%s", why);
	cr_expect_eq(sign_read_public(key, &back, why, sizeof(why)), -EBADMSG,
		     "a secret key is not a public one");
	cr_expect(strstr(why, "bouclier-ed25519-public"), "%s", why);
}

Test(region, a_good_list_is_accepted_and_numbered, .init = setup, .fini = teardown)
{
	struct region_signed got, live;
	struct feed_result r = { 0 };
	char why[256], pub[160], out[4096];

	/* a sequence is the clock's second, or one more than the list there
	 * when the clock has not moved on */
	cr_assert_eq(publish(1795868700), 1795868700, "the first list: the clock");
	cr_assert_eq(verify(key, NULL, why, sizeof(why), &got), 0, "%s", why);
	cr_expect_eq(got.sequence, 1795868700);
	cr_expect_eq(got.made, 1795868700);
	cr_assert_eq(publish(1795868700), 1795868701, "one more than the list there");
	cr_assert_eq(publish(1795868000), 1795868702, "never back, whatever the clock says");
	cr_assert_eq(verify(key, NULL, why, sizeof(why), &got), 0, "%s", why);
	live = got;
	cr_assert_eq(publish(1795872300), 1795872300);
	cr_assert_eq(verify(key, &live, why, sizeof(why), &got), 0, "%s", why);
	cr_expect_eq(got.sequence, 1795872300);
	snprintf(pub, sizeof(pub), "%s.pub", key);
	cr_assert_eq(region_verify(list, pub, &live, &r, NULL, &got, why, sizeof(why)), 0);
	cr_expect_eq(r.n, 2);
	cr_expect_eq(r.format, FEED_REGION);
	feed_result_free(&r);
	cr_assert_eq(sh_out(out, sizeof(out), "cat %s", list), 0);
	cr_expect(strstr(out, "\n198.51.100.7 # 3 towns\n2001:db8:1:2::/64 # 2 towns\n"
			      "# END 2 entries\n"), "%s", out);
}

Test(region, a_tampered_byte_is_refused, .init = setup, .fini = teardown)
{
	struct region_signed got;
	char why[256];

	publish(1795868700);
	cr_assert_eq(sh("sed -i 's/198.51.100.7/198.51.100.8/' %s", list), 0);
	cr_assert_eq(verify(key, NULL, why, sizeof(why), &got), -EBADMSG);
	cr_expect(strstr(why, "the signature does not match"), "%s", why);
}

Test(region, a_list_signed_by_another_key_is_refused, .init = setup, .fini = teardown)
{
	struct region_signed got;
	char why[256];

	publish(1795868700);
	cr_assert_eq(verify(other, NULL, why, sizeof(why), &got), -EBADMSG);
	cr_expect(strstr(why, "signed by key"), "%s", why);
	cr_expect(strstr(why, "not by the key trusted"), "%s", why);
}

/* Whoever may rewrite the public key may sign the town's blocklist. */
Test(region, a_public_key_others_may_rewrite_is_refused, .init = setup, .fini = teardown)
{
	struct region_signed got;
	char why[256], pub[160];

	publish(1795868700);
	snprintf(pub, sizeof(pub), "%s.pub", key);
	cr_assert_eq(chmod(pub, 0666), 0);
	cr_expect_eq(verify(key, NULL, why, sizeof(why), &got), -EACCES);
	cr_expect(strstr(why, "its public key") && strstr(why, "cannot be read"), "%s", why);
	cr_assert_eq(chmod(pub, 0644), 0);
	cr_expect_eq(verify(key, NULL, why, sizeof(why), &got), 0, "%s", why);
}

Test(region, an_older_list_replayed_is_refused, .init = setup, .fini = teardown)
{
	struct region_signed got, live;
	char why[256];

	publish(1795868700);
	cr_assert_eq(sh("cp %s %s.1 && cp %s.sig %s.1.sig", list, list, list, list), 0);
	publish(1795872300);
	cr_assert_eq(verify(key, NULL, why, sizeof(why), &live), 0, "%s", why);
	cr_assert_eq(live.sequence, 1795872300);
	cr_assert_eq(sh("cp %s.1 %s && cp %s.1.sig %s.sig", list, list, list, list), 0);
	cr_assert_eq(verify(key, &live, why, sizeof(why), &got), -EBADMSG,
		     "the first list is signed, but older than the live one");
	cr_expect(strstr(why, "sequence 1795868700 is older than the live list's 1795872300"),
		  "%s", why);
	cr_expect_eq(verify(key, &got, why, sizeof(why), &got), 0, "the same list again is fine");
	/* a new key starts its own numbering: what the old key signed says nothing */
	snprintf(live.key, sizeof(live.key), "0123456789abcdef");
	cr_expect_eq(verify(key, &live, why, sizeof(why), &got), 0, "%s", why);
}

Test(region, a_truncated_download_is_refused, .init = setup, .fini = teardown)
{
	struct region_signed got;
	struct feed_result r = { 0 };
	char why[256];

	publish(1795868700);
	cr_assert_eq(sh("head -c 300 %s > %s.cut && mv %s.cut %s", list, list, list, list), 0);
	cr_assert_eq(verify(key, NULL, why, sizeof(why), &got), -EBADMSG);
	cr_expect(strstr(why, "changed or cut short"), "%s", why);
	/* and unsigned, its trailer says so */
	cr_expect_eq(feed_parse_file(list, NULL, &r, NULL), -EBADMSG);
	feed_result_free(&r);
}

Test(region, a_missing_signature_is_refused, .init = setup, .fini = teardown)
{
	struct region_signed got;
	char why[256];

	publish(1795868700);
	cr_assert_eq(sh("rm %s.sig", list), 0);
	cr_assert_eq(verify(key, NULL, why, sizeof(why), &got), -EBADMSG);
	cr_expect(strstr(why, "no signature"), "%s", why);
}

/* The command says it with the file and the fix, and exits 65. */
Test(region, feed_check_verify_names_the_file_and_the_fix, .init = setup, .fini = teardown)
{
	const char *bin = getenv("BOUCLIER");
	char out[4096];

	if (!bin)
		cr_skip_test("run through `make unit` (BOUCLIER unset)");
	publish(1795868700);
	cr_expect_eq(sh_out(out, sizeof(out), "%s feed check %s --verify %s.pub 2>&1", bin, list,
			    key), 0, "%s", out);
	cr_expect(strstr(out, "signed by key"), "%s", out);
	cr_expect_eq(sh_out(out, sizeof(out), "%s feed check %s --verify %s.pub 2>&1", bin, list,
			    other), 65, "%s", out);
	cr_expect(strstr(out, list) && strstr(out, "ask the region for its public key"), "%s",
		  out);
	cr_assert_eq(sh("rm %s.sig", list), 0);
	cr_expect_eq(sh_out(out, sizeof(out), "%s feed check %s --verify %s.pub 2>&1", bin, list,
			    key), 65, "%s", out);
	cr_expect(strstr(out, "no signature") && strstr(out, "fetch both"), "%s", out);
}

Test(region, the_sources_at_least_k_towns_saw)
{
	struct region_sightings s = { 0 };
	struct region_entry *v;
	unsigned char fed[4];
	size_t n, i;

	/* town 0 reports 198.51.100.7 in two hourly reports: once */
	cr_assert_eq(region_sighting_add(&s, 0, 0xffffc6336407ULL, 0, 3), 0);
	cr_assert_eq(region_sighting_add(&s, 0, 0xffffc6336407ULL, 0, 5), 0);
	cr_assert_eq(region_sighting_add(&s, 0, 0xffffc6336407ULL, 2, 1), 0);
	cr_assert_eq(region_sighting_add(&s, 0, 0xffffcb007105ULL, 1, 9), 0); /* one town */
	cr_assert_eq(region_sighting_add(&s, 0x20010db800010002ULL, 0, 1, 2), 0);
	cr_assert_eq(region_sighting_add(&s, 0x20010db800010002ULL, 0, 3, 2), 0);
	cr_assert_eq(region_select(&s, 2, NULL, fed, 4, &v, &n), 0);
	cr_assert_eq(n, 2, "two sources seen by two towns each");
	cr_expect_eq(v[0].lo, 0xffffc6336407ULL);
	cr_expect_eq(v[0].towns, 2);
	cr_expect_eq(v[0].attacks, 6, "town 0's largest report, plus town 2's");
	cr_expect_eq(v[1].hi, 0x20010db800010002ULL);
	for (i = 0; i < 4; i++)
		cr_expect_eq(fed[i], 1, "every town saw one of them");
	free(v);
	cr_assert_eq(region_select(&s, 3, NULL, fed, 4, &v, &n), 0);
	cr_expect_eq(n, 0);
	free(v);
	region_sightings_free(&s);
}

Test(region, many_sightings_stay_bounded)
{
	struct region_sightings s = { .fold_at = 1 << 16 };
	struct region_entry *v;
	unsigned char fed[2];
	size_t n;
	__u32 i, r;
	int err = 0;

	/* 24 hourly reports of two towns naming the same 50,000 sources each:
	 * 1,200,000 sightings of 100,000 pairs, past fold_at */
	for (r = 0; r < 24; r++)
		for (i = 0; i < 50000; i++)
			err |= region_sighting_add(&s, 0, 0xffff0a000000ULL + i * 7 + 0x1000000,
						   r & 1, r);
	cr_assert_eq(err, 0);
	cr_expect_leq(s.cap, 4 * 100000, "folded as it fills: %zu", s.cap);
	cr_assert_eq(region_select(&s, 2, NULL, fed, 2, &v, &n), 0);
	cr_expect_eq(n, 50000);
	free(v);
	region_sightings_free(&s);
}

Test(region, special_addresses_are_never_listed)
{
	cr_expect(town_source_special(0, 0xffff0a000001ULL), "10.0.0.1");
	cr_expect(town_source_special(0, 0xffffc0a80101ULL), "192.168.1.1");
	cr_expect(town_source_special(0, 0xffff7f000001ULL), "127.0.0.1");
	cr_expect(town_source_special(0, 0xffffe0000001ULL), "224.0.0.1");
	cr_expect(town_source_special(0, 0xffff64400001ULL), "100.64.0.1");
	cr_expect(town_source_special(0xfe80000000000000ULL, 0), "fe80::/64");
	cr_expect(town_source_special(0xfd00000000000000ULL, 0), "fd00::/64");
	cr_expect(town_source_special(0, 0), "::/64");
	cr_expect_not(town_source_special(0, 0xffffc6336407ULL), "198.51.100.7");
	cr_expect_not(town_source_special(0, 0xffff08080808ULL), "8.8.8.8");
	cr_expect_not(town_source_special(0x20010db800010002ULL, 0), "2001:db8:1:2::/64");
}

/* tools/bouclier-fetch keeps a list and its signature together: a pair
 * replaces the last good one only when it verifies (file:// URLs: no
 * network; dir/www is the web server's copy of what the observatory
 * published). */
Test(region, bouclier_fetch_keeps_the_list_and_its_signature_together, .init = setup,
     .fini = teardown, .timeout = 120)
{
	const char *bin = getenv("BOUCLIER"), *src = getenv("BOUCLIER_SRC");
	char out[8192], conf[160], run[1024];
	FILE *f;

	if (!bin || !src)
		cr_skip_test("run through `make unit` (BOUCLIER or BOUCLIER_SRC unset)");
	if (sh("command -v curl >/dev/null"))
		cr_skip_test("needs curl");
	snprintf(conf, sizeof(conf), "%s/bouclier.conf", dir);
	f = fopen(conf, "w");
	cr_assert_not_null(f);
	fprintf(f, "[general]\nstate_dir = %s/state\n[feed region]\n"
		   "url = file://%s/www/region.list\nverify = %s.pub\n", dir, dir, key);
	fclose(f);
	snprintf(run, sizeof(run), "BOUCLIER=%s FETCH_RETRIES=0 %s/tools/bouclier-fetch -c %s "
		 "--no-delay --no-refresh 2>&1", bin, src, conf);
	/* newer than the copy kept, to the second If-Modified-Since counts in */
#define SERVE() cr_assert_eq(sh("mkdir -p %s/www && cp %s %s.sig %s/www/ && touch -d @%lld " \
				"%s/www/*", dir, list, list, dir, (long long)time(NULL) + 60, \
				dir), 0)
	/* the download checked as refresh will check it */
#define KEPT(seq) sh_out(out, sizeof(out), "%s feed check %s/state/downloads/region --verify " \
			 "%s.pub | grep -q 'sequence %d,'", bin, dir, key, seq)

	publish(1795868700);
	SERVE();
	cr_assert_eq(sh_out(out, sizeof(out), "%s", run), 0, "%s", out);
	cr_expect(strstr(out, "signature verified"), "%s", out);
	cr_expect_eq(KEPT(1795868700), 0, "the pair is kept");

	publish(1795872300);
	SERVE();
	cr_assert_eq(sh("sed -i 's/198.51.100.7/198.51.100.8/' %s/www/region.list && "
			"touch -d @%lld %s/www/region.list", dir, (long long)time(NULL) + 60, dir),
		     0);
	cr_expect_eq(sh_out(out, sizeof(out), "%s", run), 75, "%s", out);
	cr_expect(strstr(out, "does not verify"), "%s", out);
	cr_expect_eq(KEPT(1795868700), 0, "a tampered list never replaces the last good pair");

	publish(1795875900);
	SERVE();
	cr_assert_eq(sh("rm %s/www/region.list.sig", dir), 0);
	cr_expect_eq(sh_out(out, sizeof(out), "%s", run), 75, "%s", out);
	cr_expect(strstr(out, ".sig: download failed"), "%s", out);
	cr_expect_eq(KEPT(1795868700), 0, "a list without its signature never replaces the pair");

	publish(1795879500);
	SERVE();
	cr_assert_eq(sh_out(out, sizeof(out), "%s", run), 0, "%s", out);
	cr_expect_eq(KEPT(1795879500), 0, "a good pair replaces it");
	cr_expect_neq(sh("ls %s/state/downloads | grep -q '\\.[A-Za-z0-9]\\{6\\}'", dir), 0,
		      "temporary files left behind");
#undef KEPT
#undef SERVE
}

/* refresh --dry-run (no root) takes the same path as refresh: the region's
 * feed refused alone, with its reason, the other feeds read, exit 65; a
 * list older than the one the state says is live is a replay. */
Test(region, refresh_refuses_the_regions_feed_alone, .init = setup, .fini = teardown,
     .timeout = 60)
{
	const char *bin = getenv("BOUCLIER");
	char out[8192], conf[160], pub[160], why[SIGN_WHY_LEN];
	struct sign_public k;
	FILE *f;

	if (!bin)
		cr_skip_test("run through `make unit` (BOUCLIER unset)");
	snprintf(conf, sizeof(conf), "%s/bouclier.conf", dir);
	snprintf(pub, sizeof(pub), "%s.pub", key);
	f = fopen(conf, "w");
	cr_assert_not_null(f);
	fprintf(f, "[general]\nstate_dir = %s/state\n[feed region]\npath = %s\nverify = %s\n"
		   "[feed other]\npath = %s/other.txt\n", dir, list, pub, dir);
	fclose(f);
	cr_assert_eq(sh("echo 192.0.2.1 > %s/other.txt && mkdir -p %s/state/feeds", dir, dir), 0);
	publish(1795868700);
	cr_expect_eq(sh_out(out, sizeof(out), "%s refresh --dry-run -c %s 2>&1", bin, conf), 0,
		     "%s", out);
	cr_expect(strstr(out, "feed region: 2 entries"), "%s", out);

	cr_assert_eq(sh("sed -i 's/198.51.100.7/198.51.100.8/' %s", list), 0);
	cr_expect_eq(sh_out(out, sizeof(out), "%s refresh --dry-run -c %s 2>&1", bin, conf), 65,
		     "%s", out);
	cr_expect(strstr(out, "feed region: refused: the signature does not match the list"),
		  "%s", out);
	cr_expect(strstr(out, "feed other: 1 entries"), "the other feeds still refresh: %s", out);

	/* the observatory lost its list: the next one, numbered from the clock,
	 * is still newer than what the towns hold */
	cr_assert_eq(sh("rm %s %s.sig", list, list), 0);
	cr_assert_eq(publish(1795875900), 1795875900, "nothing there: the clock");
	cr_assert_eq(sign_read_public(pub, &k, why, sizeof(why)), 0, "%s", why);
	f = fopen(strcat(strcpy((char[192]){ 0 }, dir), "/state/feeds/region.list"), "w");
	cr_assert_not_null(f);
	fprintf(f, "# index: 0\n# origin: config\n# key: %s\n# sequence: 1795872300\n"
		   "# made: 1795872300\n198.51.100.7/32\n", k.id);
	fclose(f);
	cr_expect_eq(sh_out(out, sizeof(out), "%s refresh --dry-run -c %s 2>&1", bin, conf), 0,
		     "%s", out);
	/* the state says a later list of this key is live: this one is a replay */
	f = fopen(strcat(strcpy((char[192]){ 0 }, dir), "/state/feeds/region.list"), "w");
	cr_assert_not_null(f);
	fprintf(f, "# index: 0\n# origin: config\n# key: %s\n# sequence: 1795879500\n"
		   "# made: 1795879500\n198.51.100.7/32\n", k.id);
	fclose(f);
	cr_expect_eq(sh_out(out, sizeof(out), "%s refresh --dry-run -c %s 2>&1", bin, conf), 65,
		     "%s", out);
	cr_expect(strstr(out, "feed region: refused: sequence 1795875900 is older than the live "
			      "list's 1795879500"), "%s", out);
}
