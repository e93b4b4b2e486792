/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Hashes, the deterministic derivation of the CPAK and RAKs, and the encodings of a public key
 * (SEC1 point, PEM SubjectPublicKeyInfo, COSE_Key), all with mbedtls.
 */
#include "attest_private.h"

#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <stdlib.h>
#include <string.h>

/* FIPS 186-5 A.2.1: 64 bits more than the 384 of n make the reduction's bias negligible. */
#define DERIVE_OKM_SIZE (ATTEST_PRIVKEY_SIZE + 8)
#define DERIVE_SALT     "cca-sim attestation key v1"

const char *attest_status_name(enum attest_status s)
{
	switch (s) {
	case ATTEST_OK:
		return "ok";
	case ATTEST_ERR_INPUT:
		return "invalid input";
	case ATTEST_ERR_SPACE:
		return "buffer too small";
	case ATTEST_ERR_CRYPTO:
		return "cryptographic failure";
	case ATTEST_ERR_MALFORMED:
		return "malformed CBOR";
	case ATTEST_ERR_FORMAT:
		return "not a CCA attestation token";
	case ATTEST_ERR_SIGNATURE:
		return "signature does not verify";
	case ATTEST_ERR_BINDING:
		return "binding does not hold";
	case ATTEST_UNCHECKED:
		return "not checked";
	}
	return "unknown status";
}

static const struct {
	const char *name;
	size_t size;
	mbedtls_md_type_t md;
} hashes[] = {
    [ATTEST_HASH_SHA256] = {"sha-256", 32, MBEDTLS_MD_SHA256},
    [ATTEST_HASH_SHA384] = {"sha-384", 48, MBEDTLS_MD_SHA384},
    [ATTEST_HASH_SHA512] = {"sha-512", 64, MBEDTLS_MD_SHA512},
};

static bool hash_known(enum attest_hash h)
{
	return (unsigned)h < sizeof(hashes) / sizeof(hashes[0]);
}

size_t attest_hash_size(enum attest_hash h)
{
	return hash_known(h) ? hashes[h].size : 0;
}

const char *attest_hash_name(enum attest_hash h)
{
	return hash_known(h) ? hashes[h].name : "unknown";
}

bool attest_hash_parse(const char *name, size_t len, enum attest_hash *out)
{
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++) {
		if (strlen(hashes[i].name) == len && memcmp(hashes[i].name, name, len) == 0) {
			*out = (enum attest_hash)i;
			return true;
		}
	}
	return false;
}

enum attest_status attest_hash_compute(enum attest_hash h, const void *buf, size_t len,
				       uint8_t out[ATTEST_HASH_MAX])
{
	if (!hash_known(h) || (buf == NULL && len != 0)) {
		return ATTEST_ERR_INPUT;
	}
	memset(out, 0, ATTEST_HASH_MAX);
	return mbedtls_md(mbedtls_md_info_from_type(hashes[h].md), buf, len, out) == 0
		   ? ATTEST_OK
		   : ATTEST_ERR_CRYPTO;
}

/* Q = d.G. The point multiplication wants an RNG for its blinding, which does not change the
 * result: a DRBG seeded with d keeps the whole computation reproducible. */
static int ecp_public(mbedtls_ecp_group *grp, const mbedtls_mpi *d, mbedtls_ecp_point *q)
{
	uint8_t seed[ATTEST_PRIVKEY_SIZE];
	mbedtls_hmac_drbg_context drbg;
	int rc;
	mbedtls_hmac_drbg_init(&drbg);
	rc = mbedtls_mpi_write_binary(d, seed, sizeof(seed));
	if (rc == 0) {
		rc = mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA384),
						seed, sizeof(seed));
	}
	if (rc == 0) {
		rc = mbedtls_ecp_mul(grp, q, d, &grp->G, mbedtls_hmac_drbg_random, &drbg);
	}
	mbedtls_hmac_drbg_free(&drbg);
	memset(seed, 0, sizeof(seed));
	return rc;
}

/* Fills out->pub from the scalar d, which must be in [1, n - 1]. */
static enum attest_status key_complete(mbedtls_ecp_group *grp, const mbedtls_mpi *d,
				       struct attest_key *out)
{
	mbedtls_ecp_point q;
	size_t olen = 0;
	int rc;
	if (mbedtls_ecp_check_privkey(grp, d) != 0) {
		return ATTEST_ERR_INPUT;
	}
	mbedtls_ecp_point_init(&q);
	rc = ecp_public(grp, d, &q);
	if (rc == 0) {
		rc = mbedtls_mpi_write_binary(d, out->d, sizeof(out->d));
	}
	if (rc == 0) {
		rc = mbedtls_ecp_point_write_binary(grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
						    out->pub.point, sizeof(out->pub.point));
	}
	mbedtls_ecp_point_free(&q);
	return rc == 0 && olen == ATTEST_PUBKEY_SIZE ? ATTEST_OK : ATTEST_ERR_CRYPTO;
}

enum attest_status attest_key_from_private(const uint8_t d[ATTEST_PRIVKEY_SIZE],
					   struct attest_key *out)
{
	mbedtls_ecp_group grp;
	mbedtls_mpi m;
	enum attest_status st = ATTEST_ERR_CRYPTO;
	if (d == NULL || out == NULL) {
		return ATTEST_ERR_INPUT;
	}
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&m);
	if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP384R1) == 0 &&
	    mbedtls_mpi_read_binary(&m, d, ATTEST_PRIVKEY_SIZE) == 0) {
		st = key_complete(&grp, &m, out);
	}
	mbedtls_mpi_free(&m);
	mbedtls_ecp_group_free(&grp);
	return st;
}

enum attest_status attest_key_derive(const void *seed, size_t seed_len, const char *label,
				     const void *context, size_t context_len,
				     struct attest_key *out)
{
	uint8_t info[64], okm[DERIVE_OKM_SIZE];
	size_t label_len = label != NULL ? strlen(label) : 0;
	mbedtls_ecp_group grp;
	mbedtls_mpi c, n1, d;
	enum attest_status st = ATTEST_ERR_CRYPTO;
	if (out == NULL || label == NULL || (seed == NULL && seed_len != 0) ||
	    (context == NULL && context_len != 0) || label_len + context_len > sizeof(info)) {
		return ATTEST_ERR_INPUT;
	}
	memcpy(info, label, label_len);
	if (context_len != 0) {
		memcpy(info + label_len, context, context_len);
	}
	if (mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA384),
			 (const unsigned char *)DERIVE_SALT, strlen(DERIVE_SALT), seed, seed_len,
			 info, label_len + context_len, okm, sizeof(okm)) != 0) {
		return ATTEST_ERR_CRYPTO;
	}
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&c);
	mbedtls_mpi_init(&n1);
	mbedtls_mpi_init(&d);
	if (mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP384R1) == 0 &&
	    mbedtls_mpi_read_binary(&c, okm, sizeof(okm)) == 0 &&
	    mbedtls_mpi_sub_int(&n1, &grp.N, 1) == 0 && mbedtls_mpi_mod_mpi(&d, &c, &n1) == 0 &&
	    mbedtls_mpi_add_int(&d, &d, 1) == 0) {
		st = key_complete(&grp, &d, out);
	}
	mbedtls_mpi_free(&d);
	mbedtls_mpi_free(&n1);
	mbedtls_mpi_free(&c);
	mbedtls_ecp_group_free(&grp);
	memset(okm, 0, sizeof(okm));
	return st;
}

enum attest_status attest_cpak_derive(const void *seed, size_t seed_len, struct attest_key *out)
{
	return attest_key_derive(seed, seed_len, "CPAK", NULL, 0, out);
}

enum attest_status attest_rak_derive(const void *seed, size_t seed_len, uint64_t vmid,
				     struct attest_key *out)
{
	uint8_t ctx[8];
	for (unsigned i = 0; i < sizeof(ctx); i++) {
		ctx[i] = (uint8_t)(vmid >> (8 * i));
	}
	return attest_key_derive(seed, seed_len, "RAK", ctx, sizeof(ctx), out);
}

int p384_load_public(mbedtls_ecp_group *grp, mbedtls_ecp_point *q,
		     const uint8_t point[ATTEST_PUBKEY_SIZE])
{
	int rc = mbedtls_ecp_group_load(grp, MBEDTLS_ECP_DP_SECP384R1);
	if (rc == 0) {
		rc = mbedtls_ecp_point_read_binary(grp, q, point, ATTEST_PUBKEY_SIZE);
	}
	if (rc == 0) {
		rc = mbedtls_ecp_check_pubkey(grp, q);
	}
	return rc;
}

/* A PK context holding the public key k, for mbedtls' SubjectPublicKeyInfo writer. */
static int pk_from_pubkey(mbedtls_pk_context *pk, const struct attest_pubkey *k)
{
	mbedtls_ecp_keypair *ec;
	int rc = mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
	if (rc != 0) {
		return rc;
	}
	ec = mbedtls_pk_ec(*pk);
	return p384_load_public(&ec->grp, &ec->Q, k->point);
}

enum attest_status attest_pubkey_pem(const struct attest_pubkey *k, char *out, size_t cap)
{
	mbedtls_pk_context pk;
	int rc;
	if (k == NULL || out == NULL || cap == 0) {
		return ATTEST_ERR_INPUT;
	}
	mbedtls_pk_init(&pk);
	rc = pk_from_pubkey(&pk, k);
	if (rc != 0) {
		mbedtls_pk_free(&pk);
		return ATTEST_ERR_CRYPTO;
	}
	rc = mbedtls_pk_write_pubkey_pem(&pk, (unsigned char *)out, cap);
	mbedtls_pk_free(&pk);
	if (rc == MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL || rc == MBEDTLS_ERR_ASN1_BUF_TOO_SMALL) {
		return ATTEST_ERR_SPACE;
	}
	return rc == 0 ? ATTEST_OK : ATTEST_ERR_CRYPTO;
}

enum attest_status attest_pubkey_from_pem(const char *pem, size_t len, struct attest_pubkey *out)
{
	mbedtls_pk_context pk;
	unsigned char *copy;
	size_t olen = 0;
	enum attest_status st = ATTEST_ERR_FORMAT;
	if (pem == NULL || out == NULL || len == 0) {
		return ATTEST_ERR_INPUT;
	}
	/* mbedtls reads PEM only from a NUL-terminated buffer whose size counts the NUL. */
	copy = malloc(len + 1);
	if (copy == NULL) {
		return ATTEST_ERR_CRYPTO;
	}
	memcpy(copy, pem, len);
	copy[len] = 0;
	mbedtls_pk_init(&pk);
	if (mbedtls_pk_parse_public_key(&pk, copy, len + 1) == 0 &&
	    mbedtls_pk_get_type(&pk) == MBEDTLS_PK_ECKEY) {
		const mbedtls_ecp_keypair *ec = mbedtls_pk_ec(pk);
		if (ec->grp.id == MBEDTLS_ECP_DP_SECP384R1 &&
		    mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED,
						   &olen, out->point, sizeof(out->point)) == 0 &&
		    olen == ATTEST_PUBKEY_SIZE) {
			st = ATTEST_OK;
		}
	}
	mbedtls_pk_free(&pk);
	free(copy);
	return st;
}

enum attest_status pubkey_from_xy(const uint8_t x[EC_COORD_SIZE], const uint8_t y[EC_COORD_SIZE],
				  struct attest_pubkey *out)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	enum attest_status st = ATTEST_ERR_FORMAT;
	out->point[0] = 0x04;
	memcpy(out->point + 1, x, EC_COORD_SIZE);
	memcpy(out->point + 1 + EC_COORD_SIZE, y, EC_COORD_SIZE);
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	if (p384_load_public(&grp, &q, out->point) == 0) {
		st = ATTEST_OK;
	}
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return st;
}

enum attest_status attest_pubkey_cose(const struct attest_pubkey *k, uint8_t *out, size_t cap,
				      size_t *len)
{
	struct cw w;
	if (k == NULL || out == NULL || len == NULL || k->point[0] != 0x04) {
		return ATTEST_ERR_INPUT;
	}
	/* Keys in deterministic order: 1, -1, -2, -3 encode as 0x01, 0x20, 0x21, 0x22. */
	cw_init(&w, out, cap);
	cw_map(&w, 4);
	cw_int(&w, COSE_KEY_KTY);
	cw_int(&w, COSE_KTY_EC2);
	cw_int(&w, COSE_KEY_CRV);
	cw_int(&w, COSE_CRV_P384);
	cw_int(&w, COSE_KEY_X);
	cw_bytes(&w, k->point + 1, EC_COORD_SIZE);
	cw_int(&w, COSE_KEY_Y);
	cw_bytes(&w, k->point + 1 + EC_COORD_SIZE, EC_COORD_SIZE);
	if (w.full) {
		return ATTEST_ERR_SPACE;
	}
	*len = w.len;
	return ATTEST_OK;
}

enum attest_status attest_rak_hash(const struct attest_pubkey *rak, enum attest_hash h,
				   uint8_t out[ATTEST_HASH_MAX], size_t *len)
{
	uint8_t cose[COSE_KEY_MAX_LEN];
	size_t cose_len = 0;
	enum attest_status st = attest_pubkey_cose(rak, cose, sizeof(cose), &cose_len);
	if (st == ATTEST_OK) {
		st = attest_hash_compute(h, cose, cose_len, out);
	}
	if (st == ATTEST_OK && len != NULL) {
		*len = attest_hash_size(h);
	}
	return st;
}
