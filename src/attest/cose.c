/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The CBOR writer, ES384 signatures and COSE_Sign1 (RFC 9052 4): the structure both tokens
 * share. The signature is over the Sig_structure, never over the payload alone, and is the
 * raw r || s of RFC 9053 2.1, not DER.
 */
#include "attest_private.h"

#include <cbor.h>
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/hmac_drbg.h>
#include <mbedtls/md.h>
#include <string.h>

void cw_init(struct cw *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = buf != NULL ? cap : 0;
	w->len = 0;
	w->full = buf == NULL;
}

/* Takes the result of a libcbor encoder: the bytes it wrote, 0 when they did not fit. */
static void cw_advance(struct cw *w, size_t n)
{
	if (n == 0) {
		w->full = true;
	} else {
		w->len += n;
	}
}

void cw_uint(struct cw *w, uint64_t v)
{
	if (!w->full) {
		cw_advance(w, cbor_encode_uint(v, w->buf + w->len, w->cap - w->len));
	}
}

void cw_int(struct cw *w, int64_t v)
{
	if (v >= 0) {
		cw_uint(w, (uint64_t)v);
	} else if (!w->full) { /* CBOR major type 1 holds -1 - v */
		cw_advance(
		    w, cbor_encode_negint((uint64_t)(-(v + 1)), w->buf + w->len, w->cap - w->len));
	}
}

static void cw_raw(struct cw *w, const void *p, size_t n)
{
	if (w->full || n == 0) {
		return;
	}
	if (n > w->cap - w->len) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void cw_bytes(struct cw *w, const void *p, size_t n)
{
	if (!w->full) {
		cw_advance(w, cbor_encode_bytestring_start(n, w->buf + w->len, w->cap - w->len));
	}
	cw_raw(w, p, n);
}

void cw_text(struct cw *w, const char *s)
{
	size_t n = strlen(s);
	if (!w->full) {
		cw_advance(w, cbor_encode_string_start(n, w->buf + w->len, w->cap - w->len));
	}
	cw_raw(w, s, n);
}

void cw_array(struct cw *w, size_t n)
{
	if (!w->full) {
		cw_advance(w, cbor_encode_array_start(n, w->buf + w->len, w->cap - w->len));
	}
}

void cw_map(struct cw *w, size_t n)
{
	if (!w->full) {
		cw_advance(w, cbor_encode_map_start(n, w->buf + w->len, w->cap - w->len));
	}
}

void cw_tag(struct cw *w, uint64_t tag)
{
	if (!w->full) {
		cw_advance(w, cbor_encode_tag(tag, w->buf + w->len, w->cap - w->len));
	}
}

/* The message digest ES384 signs: SHA-384. */
static int sha384(const uint8_t *msg, size_t len, uint8_t out[SHA384_SIZE])
{
	return mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA384), msg, len, out);
}

enum attest_status es384_sign(const struct attest_key *k, const uint8_t *msg, size_t len,
			      uint8_t sig[ATTEST_SIGNATURE_SIZE])
{
	uint8_t hash[SHA384_SIZE], blind_seed[ATTEST_PRIVKEY_SIZE + SHA384_SIZE];
	mbedtls_ecp_group grp;
	mbedtls_mpi d, r, s;
	mbedtls_hmac_drbg_context drbg;
	int rc;
	if (sha384(msg, len, hash) != 0) {
		return ATTEST_ERR_CRYPTO;
	}
	/* The nonce is RFC 6979's, from d and the hash; the RNG only blinds the arithmetic and
	 * does not change r or s, so it too is seeded from them, keeping runs reproducible. */
	memcpy(blind_seed, k->d, ATTEST_PRIVKEY_SIZE);
	memcpy(blind_seed + ATTEST_PRIVKEY_SIZE, hash, SHA384_SIZE);
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	mbedtls_hmac_drbg_init(&drbg);
	rc = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP384R1);
	if (rc == 0) {
		rc = mbedtls_mpi_read_binary(&d, k->d, sizeof(k->d));
	}
	if (rc == 0) {
		rc = mbedtls_hmac_drbg_seed_buf(&drbg, mbedtls_md_info_from_type(MBEDTLS_MD_SHA384),
						blind_seed, sizeof(blind_seed));
	}
	if (rc == 0) {
		rc = mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, hash, sizeof(hash),
						MBEDTLS_MD_SHA384, mbedtls_hmac_drbg_random, &drbg);
	}
	if (rc == 0) {
		rc = mbedtls_mpi_write_binary(&r, sig, EC_COORD_SIZE);
	}
	if (rc == 0) {
		rc = mbedtls_mpi_write_binary(&s, sig + EC_COORD_SIZE, EC_COORD_SIZE);
	}
	mbedtls_hmac_drbg_free(&drbg);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&d);
	mbedtls_ecp_group_free(&grp);
	memset(blind_seed, 0, sizeof(blind_seed));
	return rc == 0 ? ATTEST_OK : ATTEST_ERR_CRYPTO;
}

enum attest_status es384_verify(const struct attest_pubkey *k, const uint8_t *msg, size_t len,
				const uint8_t sig[ATTEST_SIGNATURE_SIZE])
{
	uint8_t hash[SHA384_SIZE];
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	enum attest_status st = ATTEST_ERR_CRYPTO;
	if (sha384(msg, len, hash) != 0) {
		return ATTEST_ERR_CRYPTO;
	}
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	if (p384_load_public(&grp, &q, k->point) == 0 &&
	    mbedtls_mpi_read_binary(&r, sig, EC_COORD_SIZE) == 0 &&
	    mbedtls_mpi_read_binary(&s, sig + EC_COORD_SIZE, EC_COORD_SIZE) == 0) {
		st = mbedtls_ecdsa_verify(&grp, hash, sizeof(hash), &q, &r, &s) == 0
			 ? ATTEST_OK
			 : ATTEST_ERR_SIGNATURE;
	}
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return st;
}

/* a1 01 38 22: a map of one pair, label 1 (alg) => -35 (ES384). */
const uint8_t cose_protected_es384[4] = {0xa1, 0x01, 0x38, 0x22};

void cose_sig_structure(struct cw *w, const uint8_t *protected_hdr, size_t protected_len,
			const uint8_t *payload, size_t payload_len)
{
	cw_array(w, 4);
	cw_text(w, COSE_SIG_CONTEXT);
	cw_bytes(w, protected_hdr, protected_len);
	cw_bytes(w, NULL, 0); /* external_aad: none */
	cw_bytes(w, payload, payload_len);
}

enum attest_status cose_sign1(const uint8_t *payload, size_t payload_len,
			      const struct attest_key *k, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t tbs[ATTEST_TOKEN_MAX_SIZE], sig[ATTEST_SIGNATURE_SIZE];
	struct cw w;
	enum attest_status st;
	cw_init(&w, tbs, sizeof(tbs));
	cose_sig_structure(&w, cose_protected_es384, sizeof(cose_protected_es384), payload,
			   payload_len);
	if (w.full) {
		return ATTEST_ERR_SPACE;
	}
	st = es384_sign(k, tbs, w.len, sig);
	if (st != ATTEST_OK) {
		return st;
	}
	cw_init(&w, out, cap);
	cw_tag(&w, TAG_COSE_SIGN1);
	cw_array(&w, 4);
	cw_bytes(&w, cose_protected_es384, sizeof(cose_protected_es384));
	cw_map(&w, 0); /* unprotected header: nothing */
	cw_bytes(&w, payload, payload_len);
	cw_bytes(&w, sig, sizeof(sig));
	if (w.full) {
		return ATTEST_ERR_SPACE;
	}
	*len = w.len;
	return ATTEST_OK;
}
