/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the fixture's tokens and keys for the independent verifier (verify_token.py):
 *   token.cbor               the fixture's token
 *   token-sha512.cbor        the same realm measured with SHA-512, its RAK hashed with SHA-384
 *   token-wrong-binding.cbor both signatures good, but the platform token binds another RAK
 *   token-truncated.cbor     the first 600 bytes of token.cbor
 *   cpak.pem, rak.pem        the fixture's CPAK and RAK, PEM SubjectPublicKeyInfo
 * Usage: write_token OUTDIR
 */
#include "fixture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int write_file(const char *dir, const char *name, const void *buf, size_t len)
{
	char path[4096];
	FILE *f;
	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "write_token: cannot write %s\n", path);
		return 1;
	}
	return 0;
}

static int write_pem(const char *dir, const char *name, const struct attest_key *k)
{
	char pem[ATTEST_PEM_MAX];
	if (attest_pubkey_pem(&k->pub, pem, sizeof(pem)) != ATTEST_OK) {
		return 1;
	}
	return write_file(dir, name, pem, strlen(pem));
}

/* A token whose platform challenge is the hash of `bound`, not of the signing RAK. */
static enum attest_status wrong_binding(const struct attest_realm_claims *r,
					const struct attest_platform_claims *p,
					const struct attest_key *cpak, const struct attest_key *rak,
					const struct attest_key *bound, uint8_t *out, size_t *len)
{
	uint8_t ptok[ATTEST_TOKEN_MAX_SIZE];
	size_t plen = 0;
	struct attest_platform_claims pc = *p;
	enum attest_status st =
	    attest_rak_hash(&bound->pub, r->pubkey_hash_algo, pc.challenge, &pc.challenge_len);
	if (st == ATTEST_OK) {
		st = attest_platform_token_sign(&pc, cpak, ptok, sizeof(ptok), &plen);
	}
	if (st == ATTEST_OK) {
		st = attest_token_assemble(ptok, plen, r, rak, out, ATTEST_TOKEN_MAX_SIZE, len);
	}
	return st;
}

int main(int argc, char **argv)
{
	struct attest_key cpak, rak, other;
	struct attest_realm_claims r, r512;
	struct attest_platform_claims p;
	uint8_t tok[ATTEST_TOKEN_MAX_SIZE];
	size_t len = 0;
	int rc = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: write_token OUTDIR\n");
		return 2;
	}
	if (mkdir(argv[1], 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "write_token: cannot create %s\n", argv[1]);
		return 1;
	}
	fixture_keys(&cpak, &rak);
	fixture_realm(&r);
	fixture_platform(&cpak, &p);
	if (attest_token_build(&r, &p, &cpak, &rak, tok, sizeof(tok), &len) != ATTEST_OK) {
		return 1;
	}
	rc |= write_file(argv[1], "token.cbor", tok, len);
	rc |= write_file(argv[1], "token-truncated.cbor", tok, len < 600 ? len / 2 : 600);

	r512 = r;
	r512.hash_algo = ATTEST_HASH_SHA512;
	r512.pubkey_hash_algo = ATTEST_HASH_SHA384;
	memset(r512.rim, 0xa1, 64);
	for (unsigned k = 0; k < ATTEST_REM_COUNT; k++) {
		memset(r512.rem[k], (int)(0xb0 + k), 64);
	}
	if (attest_token_build(&r512, &p, &cpak, &rak, tok, sizeof(tok), &len) != ATTEST_OK) {
		return 1;
	}
	rc |= write_file(argv[1], "token-sha512.cbor", tok, len);

	if (attest_rak_derive(FIXTURE_SEED, strlen(FIXTURE_SEED), FIXTURE_VMID + 1, &other) !=
		ATTEST_OK ||
	    wrong_binding(&r, &p, &cpak, &rak, &other, tok, &len) != ATTEST_OK) {
		return 1;
	}
	rc |= write_file(argv[1], "token-wrong-binding.cbor", tok, len);

	rc |= write_pem(argv[1], "cpak.pem", &cpak);
	rc |= write_pem(argv[1], "rak.pem", &rak);
	return rc;
}
