/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to src/attest: claim labels, the CBOR writer, COSE_Sign1 and ECDSA. */
#ifndef CCA_ATTEST_PRIVATE_H
#define CCA_ATTEST_PRIVATE_H

#include "attest/attest.h"

#include <mbedtls/ecp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The collection [S:A7.2.3, IPTKYD]. */
#define TAG_CCA_TOKEN       399
#define CCA_PLATFORM_TOKEN  44234
#define CCA_REALM_DELEGATED 44241
#define TAG_COSE_SIGN1      18    /* RFC 9052 2 */
#define COSE_HEADER_ALG     1     /* RFC 9052 3.1 */
#define COSE_ALG_ES384      (-35) /* RFC 9053 2.1 */
#define COSE_SIG_CONTEXT    "Signature1"

/* Claims shared by both tokens (EAT labels). */
#define CLAIM_CHALLENGE 10  /* EAT nonce */
#define CLAIM_PROFILE   265 /* EAT profile */

/* Realm claims [S:A7.2.3.1]. */
#define REALM_PERSONALIZATION_VALUE  44235
#define REALM_HASH_ALGO_ID           44236
#define REALM_PUBLIC_KEY             44237
#define REALM_INITIAL_MEASUREMENT    44238
#define REALM_EXTENSIBLE_MEASUREMENT 44239
#define REALM_PUBLIC_KEY_HASH_ALGO   44240

/* CCA platform claims [S:A7.2.3.2]. */
#define PLATFORM_INSTANCE_ID          256 /* EAT ueid */
#define PLATFORM_LIFECYCLE            2395
#define PLATFORM_IMPLEMENTATION_ID    2396
#define PLATFORM_SW_COMPONENTS        2399
#define PLATFORM_VERIFICATION_SERVICE 2400
#define PLATFORM_CONFIG               2401
#define PLATFORM_HASH_ALGO_ID         2402

/* Software component map keys [S:A7.2.3.2.7]. */
#define SW_TYPE        1
#define SW_MEASUREMENT 2
#define SW_VERSION     4
#define SW_SIGNER_ID   5
#define SW_HASH_ALGO   6

/* COSE_Key (RFC 9052 7, RFC 9053 7.1). */
#define COSE_KEY_KTY     1
#define COSE_KEY_CRV     (-1)
#define COSE_KEY_X       (-2)
#define COSE_KEY_Y       (-3)
#define COSE_KTY_EC2     2
#define COSE_CRV_P384    2
#define COSE_KEY_MAX_LEN 110 /* the 104 bytes our encoding takes, rounded up */

/* A hash-valued claim is 32, 48 or 64 bytes (cca-hash-type of [S:A7.2.3.2.2]). */
bool attest_hash_len_ok(size_t len);

#define EC_COORD_SIZE 48 /* a P-384 coordinate or scalar */
#define SHA384_SIZE   48

/*
 * A bounded CBOR writer over libcbor's encoders, which choose the shortest head for every
 * integer and length (RFC 8949 4.2.1). Writing past `cap` sets `full` and writes nothing
 * more, so a sequence of calls needs one check at its end.
 */
struct cw {
	uint8_t *buf;
	size_t cap, len;
	bool full;
};

void cw_init(struct cw *w, uint8_t *buf, size_t cap);
void cw_uint(struct cw *w, uint64_t v);
void cw_int(struct cw *w, int64_t v);
void cw_bytes(struct cw *w, const void *p, size_t n);
void cw_text(struct cw *w, const char *s);
void cw_array(struct cw *w, size_t n);
void cw_map(struct cw *w, size_t n);
void cw_tag(struct cw *w, uint64_t tag);

/* ES384 over SHA-384 of msg: RFC 6979 deterministic signing, r || s out. */
enum attest_status es384_sign(const struct attest_key *k, const uint8_t *msg, size_t len,
			      uint8_t sig[ATTEST_SIGNATURE_SIZE]);
/* ATTEST_OK, ATTEST_ERR_SIGNATURE, or ATTEST_ERR_CRYPTO for a key not on the curve. */
enum attest_status es384_verify(const struct attest_pubkey *k, const uint8_t *msg, size_t len,
				const uint8_t sig[ATTEST_SIGNATURE_SIZE]);

/* The protected header every token carries: {1 (alg): -35 (ES384)}. */
extern const uint8_t cose_protected_es384[4];

/* The ToBeSigned of RFC 9052 4.4: ["Signature1", protected, h'', payload], into w. */
void cose_sig_structure(struct cw *w, const uint8_t *protected_hdr, size_t protected_len,
			const uint8_t *payload, size_t payload_len);
/* COSE_Sign1_Tagged over `payload`, signed with k, into out[cap]. */
enum attest_status cose_sign1(const uint8_t *payload, size_t payload_len,
			      const struct attest_key *k, uint8_t *out, size_t cap, size_t *len);

/* Loads P-384 into grp and `point` (SEC1 uncompressed) into q, checking that it is on the
 * curve: 0, or an mbedtls error. */
int p384_load_public(mbedtls_ecp_group *grp, mbedtls_ecp_point *q,
		     const uint8_t point[ATTEST_PUBKEY_SIZE]);

/* Fills a P-384 point from its coordinates; ATTEST_ERR_FORMAT if it is not on the curve. */
enum attest_status pubkey_from_xy(const uint8_t x[EC_COORD_SIZE], const uint8_t y[EC_COORD_SIZE],
				  struct attest_pubkey *out);

#endif
