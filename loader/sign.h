/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * sign.h - Ed25519 keys and detached signatures (libsodium), for the
 * region's list: the observatory signs it, each town verifies it before it
 * loads it (region.h).  Included by region.c and the keygen command.
 *
 * Three text files, one line each (a line starting with '#' is a comment):
 *
 *   KEY      bouclier-ed25519-secret KEYID BASE64   64-byte secret key, mode 0600
 *   KEY.pub  bouclier-ed25519-public KEYID BASE64   32-byte public key
 *   LIST.sig bouclier-ed25519-signature KEYID BASE64   64-byte signature of LIST's bytes
 *
 * KEYID is 16 hex digits, BLAKE2b of the public key with an 8-byte output
 * (not a longer hash cut to 8 bytes: the output size changes the value); it
 * lets a town tell "signed by another key" from "changed after signing".
 * Base64 is the standard alphabet with padding.  The formats must not change
 * without a new first word: towns and the observatory upgrade apart.
 *
 * Functions return 0 or -errno; why (when not NULL) gets one sentence for
 * the person, without the file's name, which the caller adds.
 */
#ifndef BOUCLIER_SIGN_H
#define BOUCLIER_SIGN_H

#include <stddef.h>

#define SIGN_ID_LEN 17       /* 16 hex digits and a NUL */
#define SIGN_PUBLIC_BYTES 32
#define SIGN_SECRET_BYTES 64
#define SIGN_BYTES 64
#define SIGN_WHY_LEN 256

struct sign_public {
	unsigned char pk[SIGN_PUBLIC_BYTES];
	char id[SIGN_ID_LEN];
};

struct sign_secret {
	unsigned char sk[SIGN_SECRET_BYTES];
	struct sign_public pub;
};

/* libsodium's sodium_init(), once for the process; -EIO if it fails. */
int sign_init(void);

/* Writes a new key pair: path (the secret, 0600) and path.pub, refusing to
 * replace either (-EEXIST).  *pub gets the public half. */
int sign_keygen(const char *path, struct sign_public *pub, char *why, size_t len);

/* Reads a public key file; -ENOENT, or -EBADMSG when it is not one. */
int sign_read_public(const char *path, struct sign_public *k, char *why, size_t len);
/* Reads a secret key file; -EACCES when another account may read it. */
int sign_read_secret(const char *path, struct sign_secret *k, char *why, size_t len);

/* The signature file's one line (with its newline) for buf into text. */
int sign_detached(const struct sign_secret *k, const void *buf, size_t n, char *text,
		  size_t textlen);

/* Whether sigpath holds a signature of buf by k: 0; -ENOENT, no signature
 * file; -EKEYREJECTED, signed by another key (*signer gets its id when not
 * NULL); -EBADMSG, not a signature file, or buf is not what was signed. */
int sign_verify(const char *sigpath, const struct sign_public *k, const void *buf, size_t n,
		char signer[SIGN_ID_LEN], char *why, size_t len);

#endif
