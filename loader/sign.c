// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sign.c - Ed25519 keys and detached signatures in the text files sign.h
 * describes, through libsodium; and `bouclier keygen`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include "cli.h"
#include "config.h"
#include "ctx.h"
#include "log.h"
#include "sign.h"

#define W_SECRET "bouclier-ed25519-secret"
#define W_PUBLIC "bouclier-ed25519-public"
#define W_SIG "bouclier-ed25519-signature"
#define FILE_MAX 4096 /* a key or signature file is one line of about 150 bytes */

#define say(why, len, ...)                                \
	do {                                              \
		if (why && len)                           \
			snprintf(why, len, __VA_ARGS__); \
	} while (0)

int sign_init(void)
{
	static int done;

	if (!done) {
		if (sodium_init() < 0)
			return -EIO;
		done = 1;
	}
	return 0;
}

static void key_id(const unsigned char *pk, char id[SIGN_ID_LEN])
{
	unsigned char h[8];

	crypto_generichash(h, sizeof(h), pk, SIGN_PUBLIC_BYTES, NULL, 0);
	sodium_bin2hex(id, SIGN_ID_LEN, h, sizeof(h));
}

/* Reads a whole small file; fd is fstat'ed into *st when not NULL. */
static int slurp(const char *path, char *buf, size_t cap, struct stat *st)
{
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (st && fstat(fd, st))
		err = -errno;
	while (!err && got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) != 0) {
		if (n < 0 && errno != EINTR)
			err = -errno;
		else if (n > 0)
			got += n;
	}
	if (!err && got == cap - 1)
		err = -EFBIG;
	close(fd);
	buf[got] = 0;
	return err;
}

/* The file's line "WORD ID BASE64" decoded into out[want]: 0, or -EBADMSG
 * with why. */
static int parse_line(char *text, const char *word, char id[SIGN_ID_LEN], unsigned char *out,
		      size_t want, char *why, size_t len)
{
	char *line, *save = NULL, *w, *i, *b, *extra;
	size_t got = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r")] = 0;
		line += strspn(line, " \t");
		if (*line && *line != '#')
			break;
	}
	w = line ? strtok_r(line, " \t", &save) : NULL;
	i = w ? strtok_r(NULL, " \t", &save) : NULL;
	b = i ? strtok_r(NULL, " \t", &save) : NULL;
	extra = b ? strtok_r(NULL, " \t", &save) : NULL;
	if (!w || strcmp(w, word)) {
		say(why, len, "not a %s file: its line must start with \"%s\"",
		    !strcmp(word, W_SIG) ? "signature" : "key", word);
		return -EBADMSG;
	}
	if (!b || extra || strlen(i) != SIGN_ID_LEN - 1 ||
	    sodium_base642bin(out, want, b, strlen(b), NULL, &got, NULL,
			      sodium_base64_VARIANT_ORIGINAL) || got != want) {
		say(why, len, "\"%s KEYID BASE64\" expected, with a 16-digit key id and %zu "
		    "bytes in base64: the file is damaged", word, want);
		return -EBADMSG;
	}
	snprintf(id, SIGN_ID_LEN, "%s", i);
	return 0;
}

static int write_new(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	if (fchmod(fd, mode))
		err = -errno;
	else if ((size_t)write(fd, text, len) != len) /* a line: short only on a full disk */
		err = -ENOSPC;
	else if (fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (err)
		unlink(path);
	return err;
}

/* "WORD ID BASE64\n" of n bytes. */
static void encode(const char *word, const char *id, const unsigned char *bin, size_t n,
		   char *text, size_t len)
{
	char b64[sodium_base64_ENCODED_LEN(SIGN_SECRET_BYTES, sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(b64, sizeof(b64), bin, n, sodium_base64_VARIANT_ORIGINAL);
	snprintf(text, len, "%s %s %s\n", word, id, b64);
	sodium_memzero(b64, sizeof(b64));
}

int sign_keygen(const char *path, struct sign_public *pub, char *why, size_t len)
{
	unsigned char sk[SIGN_SECRET_BYTES];
	char pubpath[4096], text[256];
	struct stat st;
	int err;

	if ((err = sign_init()))
		return err;
	if (snprintf(pubpath, sizeof(pubpath), "%s.pub", path) >= (int)sizeof(pubpath))
		return -ENAMETOOLONG;
	if (!lstat(path, &st) || !lstat(pubpath, &st)) {
		say(why, len, "%s already exists: a key is never replaced (remove it first if "
		    "that is what you mean; towns that trust it must then get the new .pub)",
		    !lstat(path, &st) ? path : pubpath);
		return -EEXIST;
	}
	crypto_sign_keypair(pub->pk, sk);
	key_id(pub->pk, pub->id);
	encode(W_SECRET, pub->id, sk, sizeof(sk), text, sizeof(text));
	sodium_memzero(sk, sizeof(sk));
	err = write_new(path, text, 0600);
	sodium_memzero(text, sizeof(text));
	if (err) {
		say(why, len, "cannot write %s: %s", path, strerror(-err));
		return err;
	}
	encode(W_PUBLIC, pub->id, pub->pk, sizeof(pub->pk), text, sizeof(text));
	err = write_new(pubpath, text, 0644);
	if (err) {
		say(why, len, "cannot write %s: %s", pubpath, strerror(-err));
		unlink(path);
	}
	return err;
}

int sign_read_public(const char *path, struct sign_public *k, char *why, size_t len)
{
	char text[FILE_MAX], id[SIGN_ID_LEN];
	struct stat st;
	int err;

	if ((err = sign_init()))
		return err;
	err = slurp(path, text, sizeof(text), &st);
	if (err) {
		say(why, len, "%s", err == -EFBIG ? "too long for a key file" : strerror(-err));
		return err == -EFBIG ? -EBADMSG : err;
	}
	/* whoever may rewrite the key trusted may sign the town's blocklist */
	if (config_distrust(&st, path, false, why, len))
		return -EACCES;
	err = parse_line(text, W_PUBLIC, id, k->pk, sizeof(k->pk), why, len);
	if (err)
		return err;
	key_id(k->pk, k->id);
	if (strcmp(id, k->id)) {
		say(why, len, "the key id %s does not match the key (%s): the file is damaged", id,
		    k->id);
		return -EBADMSG;
	}
	return 0;
}

int sign_read_secret(const char *path, struct sign_secret *k, char *why, size_t len)
{
	char text[FILE_MAX], id[SIGN_ID_LEN];
	struct stat st;
	int err;

	if ((err = sign_init()))
		return err;
	err = slurp(path, text, sizeof(text), &st);
	if (!err && (st.st_mode & 0077)) {
		say(why, len, "other accounts may read this secret key (mode %04o): chmod 600 %s",
		    (unsigned)(st.st_mode & 07777), path);
		err = -EACCES;
	} else if (err) {
		say(why, len, "%s", err == -EFBIG ? "too long for a key file" : strerror(-err));
		err = err == -EFBIG ? -EBADMSG : err;
	} else {
		err = parse_line(text, W_SECRET, id, k->sk, sizeof(k->sk), why, len);
	}
	sodium_memzero(text, sizeof(text));
	if (err) {
		sodium_memzero(k->sk, sizeof(k->sk)); /* a line cut short may have decoded part */
		return err;
	}
	if (crypto_sign_ed25519_sk_to_pk(k->pub.pk, k->sk)) {
		sodium_memzero(k->sk, sizeof(k->sk));
		return -EBADMSG;
	}
	key_id(k->pub.pk, k->pub.id);
	if (strcmp(id, k->pub.id)) {
		say(why, len, "the key id %s does not match the key (%s): the file is damaged", id,
		    k->pub.id);
		sodium_memzero(k->sk, sizeof(k->sk));
		return -EBADMSG;
	}
	return 0;
}

int sign_detached(const struct sign_secret *k, const void *buf, size_t n, char *text,
		  size_t textlen)
{
	unsigned char sig[SIGN_BYTES];
	int err;

	if ((err = sign_init()))
		return err;
	if (crypto_sign_detached(sig, NULL, buf, n, k->sk))
		return -EIO;
	encode(W_SIG, k->pub.id, sig, sizeof(sig), text, textlen);
	return 0;
}

int sign_verify(const char *sigpath, const struct sign_public *k, const void *buf, size_t n,
		char signer[SIGN_ID_LEN], char *why, size_t len)
{
	unsigned char sig[SIGN_BYTES];
	char text[FILE_MAX], id[SIGN_ID_LEN];
	int err;

	if ((err = sign_init()))
		return err;
	err = slurp(sigpath, text, sizeof(text), NULL);
	if (err == -ENOENT) {
		say(why, len, "no signature beside the list");
		return err;
	}
	if (err) {
		say(why, len, "%s",
		    err == -EFBIG ? "too long for a signature file" : strerror(-err));
		return err == -EFBIG ? -EBADMSG : err;
	}
	err = parse_line(text, W_SIG, id, sig, sizeof(sig), why, len);
	if (err)
		return err;
	if (signer)
		snprintf(signer, SIGN_ID_LEN, "%s", id);
	if (strcmp(id, k->id)) {
		say(why, len, "signed by key %s, not by the key trusted (%s)", id, k->id);
		return -EKEYREJECTED;
	}
	if (crypto_sign_verify_detached(sig, buf, n, k->pk)) {
		say(why, len, "the signature does not match the list: changed after it was "
		    "signed, or cut short in the download");
		return -EBADMSG;
	}
	return 0;
}

/* ---- bouclier keygen OUT */

struct keygen_opts {
	const char *out;
};

static int run_keygen(struct ctx *c, void *o)
{
	struct keygen_opts *a = o;
	struct sign_public pub;
	char why[SIGN_WHY_LEN];
	int err;

	(void)c;
	err = sign_keygen(a->out, &pub, why, sizeof(why));
	if (err) {
		pr_warn("keygen: %s\n", why);
		return err;
	}
	printf("%s: the secret key (mode 0600): keep it on the observatory only, for "
	       "`bouclier observatory DIR --publish LIST --key %s`\n"
	       "%s.pub: the public key, id %s: give it to every town, whose feed of the "
	       "regional list says `verify = /etc/bouclier/%s.pub`\n", a->out, a->out, a->out,
	       pub.id, strrchr(a->out, '/') ? strrchr(a->out, '/') + 1 : a->out);
	return 0;
}

static const struct opt keygen_opts[] = {
	{ .name = "OUT", OPT_FIELD(STR, struct keygen_opts, out),
	  .flags = OPT_POSITIONAL | OPT_REQUIRED, .metavar = "OUT",
	  .help = "the secret key's file (mode 0600); the public key goes to OUT.pub. Neither "
		  "may exist" },
	{ NULL },
};

const struct command cmd_keygen = {
	.name = "keygen",
	.summary = "make the region's signing key: OUT (secret) and OUT.pub (for the towns)",
	.run = run_keygen,
	.size = sizeof(struct keygen_opts),
	.opts = keygen_opts,
	.flags = CMD_NO_CONFIG,
};
