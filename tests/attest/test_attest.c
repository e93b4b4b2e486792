/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/attest: keys, token encoding and decoding, verification, determinism, and what a
 * verifier must refuse (tampered bytes, a wrong binding, a wrong key, malformed and
 * mistyped input). The independent check of the same tokens is verify_token.py.
 */
#include "attest/attest_private.h"
#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

static const char p256_pem[] = "-----BEGIN PUBLIC KEY-----\n"
			       "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJu/OvQ7p40pmkYfhizqRIrL3M5Rb\n"
			       "ZJzJ+fkh6fna2BKQI4venMe7Mw0VDGdwTdJa5wVSBXRLbzG/QHB0WHLQ5g==\n"
			       "-----END PUBLIC KEY-----\n";

/* The fixture's token: keys, claims and the built bytes. */
struct built {
	struct attest_key cpak, rak;
	struct attest_realm_claims realm;
	struct attest_platform_claims platform;
	uint8_t tok[ATTEST_TOKEN_MAX_SIZE];
	size_t len;
};

static void build(struct built *b)
{
	memset(b, 0, sizeof(*b));
	fixture_keys(&b->cpak, &b->rak);
	fixture_realm(&b->realm);
	fixture_platform(&b->cpak, &b->platform);
	assert_int_equal(attest_token_build(&b->realm, &b->platform, &b->cpak, &b->rak, b->tok,
					    sizeof(b->tok), &b->len),
			 ATTEST_OK);
}

static enum attest_status verify(const struct built *b, const uint8_t *tok, size_t len,
				 struct attest_verdict *v)
{
	struct attest_token t;
	return attest_token_verify(tok, len, &b->cpak.pub, &t, v);
}

static void keys_are_deterministic_and_distinct(void **state)
{
	struct attest_key a, b, c, rak1, rak2, from_d;
	assert_int_equal(attest_cpak_derive("s", 1, &a), ATTEST_OK);
	assert_int_equal(attest_cpak_derive("s", 1, &b), ATTEST_OK);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(attest_cpak_derive("t", 1, &c), ATTEST_OK);
	assert_memory_not_equal(a.pub.point, c.pub.point, ATTEST_PUBKEY_SIZE);
	assert_int_equal(attest_rak_derive("s", 1, 1, &rak1), ATTEST_OK);
	assert_int_equal(attest_rak_derive("s", 1, 2, &rak2), ATTEST_OK);
	assert_memory_not_equal(rak1.pub.point, rak2.pub.point, ATTEST_PUBKEY_SIZE);
	assert_memory_not_equal(rak1.pub.point, a.pub.point, ATTEST_PUBKEY_SIZE);
	assert_int_equal(a.pub.point[0], 0x04);
	/* A key handed over as its scalar alone (RMM_ATTEST_GET_REALM_KEY) is the same key. */
	assert_int_equal(attest_key_from_private(rak1.d, &from_d), ATTEST_OK);
	assert_memory_equal(&from_d, &rak1, sizeof(from_d));
	/* 0 and n are no private keys. */
	memset(from_d.d, 0, sizeof(from_d.d));
	assert_int_equal(attest_key_from_private(from_d.d, &c), ATTEST_ERR_INPUT);
	assert_int_equal(attest_key_derive("s", 1, NULL, NULL, 0, &c), ATTEST_ERR_INPUT);
}

static void pem_round_trip(void **state)
{
	struct attest_key k;
	struct attest_pubkey back;
	char pem[ATTEST_PEM_MAX], small[64];
	assert_int_equal(attest_cpak_derive(ATTEST_DEFAULT_SEED, strlen(ATTEST_DEFAULT_SEED), &k),
			 ATTEST_OK);
	assert_int_equal(attest_pubkey_pem(&k.pub, pem, sizeof(pem)), ATTEST_OK);
	assert_non_null(strstr(pem, "-----BEGIN PUBLIC KEY-----\n"));
	assert_non_null(strstr(pem, "-----END PUBLIC KEY-----\n"));
	assert_int_equal(attest_pubkey_from_pem(pem, strlen(pem), &back), ATTEST_OK);
	assert_memory_equal(back.point, k.pub.point, ATTEST_PUBKEY_SIZE);
	assert_int_equal(attest_pubkey_pem(&k.pub, small, sizeof(small)), ATTEST_ERR_SPACE);
	/* Another curve, and no key at all, are refused. */
	assert_int_equal(attest_pubkey_from_pem(p256_pem, strlen(p256_pem), &back),
			 ATTEST_ERR_FORMAT);
	assert_int_equal(attest_pubkey_from_pem("hello", 5, &back), ATTEST_ERR_FORMAT);
}

static void cose_key_encoding(void **state)
{
	struct attest_key k;
	uint8_t cose[128], h[ATTEST_HASH_MAX], want[ATTEST_HASH_MAX];
	size_t len = 0, hlen = 0;
	/* {1: 2, -1: 2, -2: h'x', -3: h'y'} with x and y 48 bytes. */
	static const uint8_t head[] = {0xa4, 0x01, 0x02, 0x20, 0x02, 0x21, 0x58, 0x30};
	fixture_keys(NULL, &k);
	assert_int_equal(attest_pubkey_cose(&k.pub, cose, sizeof(cose), &len), ATTEST_OK);
	assert_int_equal(len, sizeof(head) + 48 + 3 + 48);
	assert_memory_equal(cose, head, sizeof(head));
	assert_memory_equal(cose + sizeof(head), k.pub.point + 1, 48);
	assert_int_equal(cose[sizeof(head) + 48], 0x22);
	assert_memory_equal(cose + sizeof(head) + 51, k.pub.point + 49, 48);
	/* The binding hashes exactly those bytes. */
	assert_int_equal(attest_rak_hash(&k.pub, ATTEST_HASH_SHA384, h, &hlen), ATTEST_OK);
	assert_int_equal(hlen, 48);
	assert_int_equal(attest_hash_compute(ATTEST_HASH_SHA384, cose, len, want), ATTEST_OK);
	assert_memory_equal(h, want, 48);
}

static void build_decode_verify(void **state)
{
	static struct built b;
	struct attest_token t;
	struct attest_verdict v;
	uint8_t binding[ATTEST_HASH_MAX];
	size_t blen = 0;
	build(&b);
	assert_true(b.len < ATTEST_TOKEN_MAX_SIZE);
	assert_int_equal(attest_token_verify(b.tok, b.len, &b.cpak.pub, &t, &v), ATTEST_OK);
	assert_int_equal(v.status, ATTEST_OK);
	assert_int_equal(v.platform_signature, ATTEST_OK);
	assert_int_equal(v.binding, ATTEST_OK);
	assert_int_equal(v.realm_signature, ATTEST_OK);
	/* Every realm claim as it went in, and the RAK from the signing key. */
	assert_memory_equal(t.realm.challenge, b.realm.challenge, ATTEST_CHALLENGE_SIZE);
	assert_memory_equal(t.realm.rpv, b.realm.rpv, ATTEST_RPV_SIZE);
	assert_int_equal(t.realm.hash_algo, ATTEST_HASH_SHA256);
	assert_memory_equal(t.realm.rim, b.realm.rim, 32);
	for (unsigned k = 0; k < ATTEST_REM_COUNT; k++) {
		assert_memory_equal(t.realm.rem[k], b.realm.rem[k], 32);
	}
	assert_int_equal(t.realm.pubkey_hash_algo, ATTEST_HASH_SHA256);
	assert_memory_equal(t.realm.pubkey.point, b.rak.pub.point, ATTEST_PUBKEY_SIZE);
	assert_true(t.realm_profile);
	/* The platform claims, and the challenge the build put there. */
	assert_int_equal(attest_rak_hash(&b.rak.pub, ATTEST_HASH_SHA256, binding, &blen),
			 ATTEST_OK);
	assert_int_equal(t.platform.challenge_len, 32);
	assert_memory_equal(t.platform.challenge, binding, 32);
	assert_memory_equal(t.platform.implementation_id, b.platform.implementation_id,
			    ATTEST_IMPL_ID_SIZE);
	assert_memory_equal(t.platform.instance_id, b.platform.instance_id,
			    ATTEST_INSTANCE_ID_SIZE);
	assert_int_equal(t.platform.config_len, strlen(FIXTURE_CONFIG));
	assert_memory_equal(t.platform.config, FIXTURE_CONFIG, strlen(FIXTURE_CONFIG));
	assert_int_equal(t.platform.lifecycle, ATTEST_LIFECYCLE_SECURED);
	assert_int_equal(t.platform.sw_count, 2);
	assert_string_equal(t.platform.sw[0].type, "BL31");
	assert_string_equal(t.platform.sw[1].type, "RMM");
	assert_string_equal(t.platform.sw[1].version, CCA_SIM_VERSION);
	assert_memory_equal(t.platform.sw[1].measurement, b.platform.sw[1].measurement, 32);
	assert_string_equal(t.platform.verification_service, "cca-sim token");
	assert_string_equal(t.platform.hash_algo, "sha-256");
	assert_true(t.platform_token_len > 0 && t.realm_token_len > 0);
	assert_true(t.platform_token_len + t.realm_token_len < b.len);
}

static void other_algorithms_round_trip(void **state)
{
	static struct built b;
	struct attest_token t;
	struct attest_verdict v;
	build(&b);
	b.realm.hash_algo = ATTEST_HASH_SHA512;
	b.realm.pubkey_hash_algo = ATTEST_HASH_SHA384;
	memset(b.realm.rim, 0x5a, 64);
	assert_int_equal(attest_token_build(&b.realm, &b.platform, &b.cpak, &b.rak, b.tok,
					    sizeof(b.tok), &b.len),
			 ATTEST_OK);
	assert_int_equal(attest_token_verify(b.tok, b.len, &b.cpak.pub, &t, &v), ATTEST_OK);
	assert_int_equal(t.realm.hash_algo, ATTEST_HASH_SHA512);
	assert_int_equal(t.realm.pubkey_hash_algo, ATTEST_HASH_SHA384);
	assert_int_equal(t.platform.challenge_len, 48);
	assert_memory_equal(t.realm.rim, b.realm.rim, 64);
}

/* Where `needle` first occurs in the token. */
static size_t find(const struct built *b, const void *needle, size_t n)
{
	for (size_t i = 0; i + n <= b->len; i++) {
		if (memcmp(b->tok + i, needle, n) == 0) {
			return i;
		}
	}
	fail_msg("not in the token");
	return 0;
}

static void same_inputs_same_bytes(void **state)
{
	static struct built a, b;
	build(&a);
	build(&b);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.tok, b.tok, a.len);
	/* A new challenge changes the realm token only: same RAK, same platform token. */
	b.realm.challenge[0] ^= 1;
	assert_int_equal(attest_token_build(&b.realm, &b.platform, &b.cpak, &b.rak, b.tok,
					    sizeof(b.tok), &b.len),
			 ATTEST_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_not_equal(a.tok, b.tok, a.len);
	{
		static uint8_t ptok[ATTEST_TOKEN_MAX_SIZE];
		struct attest_platform_claims pc = a.platform;
		size_t plen = 0;
		assert_int_equal(attest_rak_hash(&a.rak.pub, ATTEST_HASH_SHA256, pc.challenge,
						 &pc.challenge_len),
				 ATTEST_OK);
		assert_int_equal(
		    attest_platform_token_sign(&pc, &a.cpak, ptok, sizeof(ptok), &plen), ATTEST_OK);
		assert_int_equal(find(&a, ptok, plen), find(&b, ptok, plen));
	}
}

static void tampered_bytes_fail(void **state)
{
	static struct built b;
	static uint8_t copy[ATTEST_TOKEN_MAX_SIZE];
	struct attest_verdict v;
	size_t at;
	build(&b);
	/* A platform claim: the platform signature fails, the rest holds. */
	memcpy(copy, b.tok, b.len);
	at = find(&b, b.platform.implementation_id, ATTEST_IMPL_ID_SIZE);
	copy[at] ^= 0x01;
	assert_int_equal(verify(&b, copy, b.len, &v), ATTEST_ERR_SIGNATURE);
	assert_int_equal(v.platform_signature, ATTEST_ERR_SIGNATURE);
	assert_int_equal(v.binding, ATTEST_OK);
	assert_int_equal(v.realm_signature, ATTEST_OK);
	assert_non_null(strstr(v.message, "platform token"));
	/* The RIM: the realm signature fails. */
	memcpy(copy, b.tok, b.len);
	at = find(&b, b.realm.rim, 32);
	copy[at + 31] ^= 0x80;
	assert_int_equal(verify(&b, copy, b.len, &v), ATTEST_ERR_SIGNATURE);
	assert_int_equal(v.platform_signature, ATTEST_OK);
	assert_int_equal(v.realm_signature, ATTEST_ERR_SIGNATURE);
	assert_non_null(strstr(v.message, "realm token"));
	/* The realm signature's last byte (the token's last). */
	memcpy(copy, b.tok, b.len);
	copy[b.len - 1] ^= 0x01;
	assert_int_equal(verify(&b, copy, b.len, &v), ATTEST_ERR_SIGNATURE);
	assert_int_equal(v.realm_signature, ATTEST_ERR_SIGNATURE);
	/* The RAK's x: the binding breaks and the realm signature no longer matches the key
	 * (or the point leaves the curve, which decoding refuses). */
	memcpy(copy, b.tok, b.len);
	at = find(&b, b.rak.pub.point + 1, 48);
	copy[at + 47] ^= 0x01;
	assert_int_not_equal(verify(&b, copy, b.len, &v), ATTEST_OK);
	assert_int_not_equal(v.binding, ATTEST_OK);
	/* And a spread of single bytes anywhere: none of them still verifies. */
	for (size_t i = 0; i < b.len; i += 53) {
		memcpy(copy, b.tok, b.len);
		copy[i] ^= 0x10;
		assert_int_not_equal(verify(&b, copy, b.len, &v), ATTEST_OK);
	}
}

static void wrong_key_and_wrong_binding_fail(void **state)
{
	static struct built b;
	static uint8_t ptok[ATTEST_TOKEN_MAX_SIZE], rtok[ATTEST_TOKEN_MAX_SIZE],
	    tok[ATTEST_TOKEN_MAX_SIZE], tok2[ATTEST_TOKEN_MAX_SIZE];
	struct attest_key other_cpak, other_rak;
	struct attest_platform_claims pc;
	struct attest_token t;
	struct attest_verdict v;
	size_t plen = 0, rlen = 0, len = 0, len2 = 0;
	build(&b);
	/* Verified with another platform's CPAK. */
	assert_int_equal(attest_cpak_derive("another seed", 12, &other_cpak), ATTEST_OK);
	assert_int_equal(attest_token_verify(b.tok, b.len, &other_cpak.pub, &t, &v),
			 ATTEST_ERR_SIGNATURE);
	assert_int_equal(v.platform_signature, ATTEST_ERR_SIGNATURE);
	assert_int_equal(v.binding, ATTEST_OK);
	assert_int_equal(v.realm_signature, ATTEST_OK);
	/* A platform token that binds another RAK: both signatures hold, the binding not. */
	assert_int_equal(attest_rak_derive(FIXTURE_SEED, strlen(FIXTURE_SEED), 2, &other_rak),
			 ATTEST_OK);
	pc = b.platform;
	assert_int_equal(
	    attest_rak_hash(&other_rak.pub, ATTEST_HASH_SHA256, pc.challenge, &pc.challenge_len),
	    ATTEST_OK);
	assert_int_equal(attest_platform_token_sign(&pc, &b.cpak, ptok, sizeof(ptok), &plen),
			 ATTEST_OK);
	assert_int_equal(
	    attest_token_assemble(ptok, plen, &b.realm, &b.rak, tok, sizeof(tok), &len), ATTEST_OK);
	assert_int_equal(attest_token_verify(tok, len, &b.cpak.pub, &t, &v), ATTEST_ERR_BINDING);
	assert_int_equal(v.platform_signature, ATTEST_OK);
	assert_int_equal(v.binding, ATTEST_ERR_BINDING);
	assert_int_equal(v.realm_signature, ATTEST_OK);
	assert_non_null(strstr(v.message, "binding"));
	/* The binding names its hash: the same key hashed with SHA-384 does not match. */
	pc.challenge_len = 0;
	assert_int_equal(
	    attest_rak_hash(&b.rak.pub, ATTEST_HASH_SHA384, pc.challenge, &pc.challenge_len),
	    ATTEST_OK);
	assert_int_equal(attest_platform_token_sign(&pc, &b.cpak, ptok, sizeof(ptok), &plen),
			 ATTEST_OK);
	assert_int_equal(
	    attest_token_assemble(ptok, plen, &b.realm, &b.rak, tok, sizeof(tok), &len), ATTEST_OK);
	assert_int_equal(attest_token_verify(tok, len, &b.cpak.pub, &t, &v), ATTEST_ERR_BINDING);
	/* The two steps of attest_token_assemble give the same bytes. */
	assert_int_equal(attest_realm_token_sign(&b.realm, &b.rak, rtok, sizeof(rtok), &rlen),
			 ATTEST_OK);
	assert_int_equal(attest_collection(ptok, plen, rtok, rlen, tok2, sizeof(tok2), &len2),
			 ATTEST_OK);
	assert_int_equal(len2, len);
	assert_memory_equal(tok2, tok, len);
}

static void truncated_never_decodes(void **state)
{
	static struct built b;
	struct attest_token t;
	struct attest_verdict v;
	build(&b);
	for (size_t n = 0; n < b.len; n++) {
		assert_int_equal(attest_token_decode(b.tok, n, &t, &v), ATTEST_ERR_MALFORMED);
		assert_int_equal(v.status, ATTEST_ERR_MALFORMED);
	}
	assert_int_equal(attest_token_decode(b.tok, b.len - 1, &t, &v), ATTEST_ERR_MALFORMED);
	assert_non_null(strstr(v.message, "truncated"));
}

struct bad_cbor {
	const char *what;
	uint8_t bytes[24];
	size_t len;
	const char *message;
};

static void malformed_cbor_is_refused(void **state)
{
	/* Each after tag 399 (d9 01 8f), as a token begins. */
	static const struct bad_cbor cases[] = {
	    /* An array of 2^32 items in 13 bytes: refused before libcbor allocates for it. */
	    {"huge array",
	     {0xd9, 0x01, 0x8f, 0x9b, 0, 0, 0, 1, 0, 0, 0, 0, 0x01},
	     13,
	     "declares more items"},
	    {"huge map",
	     {0xd9, 0x01, 0x8f, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x01},
	     13,
	     "declares more pairs"},
	    {"huge bstr",
	     {0xd9, 0x01, 0x8f, 0x5b, 0x10, 0, 0, 1, 0, 0, 0, 0, 0x01},
	     13,
	     "truncated"},
	    {"indefinite array", {0xd9, 0x01, 0x8f, 0x9f, 0xff}, 5, "indefinite"},
	    {"indefinite bstr", {0xd9, 0x01, 0x8f, 0x5f, 0x41, 0x00, 0xff}, 7, "indefinite"},
	    {"trailing byte", {0xd9, 0x01, 0x8f, 0xa0, 0x00}, 5, "1 bytes after the end"},
	    {"reserved head", {0xd9, 0x01, 0x8f, 0x1c}, 4, "not CBOR"},
	    {"deep",
	     {0xd9, 0x01, 0x8f, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81,
	      0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x00},
	     21,
	     "nested deeper"},
	    {"tag only", {0xd9, 0x01, 0x8f}, 3, "truncated"},
	    {"short tag 18 inside", {0xd9, 0x01, 0x8f, 0xd2, 0x80}, 5, "libcbor issue 307"},
	};
	static const uint8_t text[] = "hello, world\n";
	struct attest_token t;
	struct attest_verdict v;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum attest_status st = attest_token_decode(cases[i].bytes, cases[i].len, &t, &v);
		if (st != ATTEST_ERR_MALFORMED || strstr(v.message, cases[i].message) == NULL) {
			fail_msg("%s: %s: %s", cases[i].what, attest_status_name(st), v.message);
		}
	}
	/* What does not even begin with a tag is no token, whatever CBOR it may be. */
	assert_int_equal(attest_token_decode(text, sizeof(text) - 1, &t, &v), ATTEST_ERR_FORMAT);
	assert_non_null(strstr(v.message, "does not begin with a CBOR tag"));
}

/* Tokens built by hand, each with one thing wrong, for the format checks. */
enum mutation {
	M_NONE,
	M_NO_RIM,
	M_SHORT_RIM,
	M_LONG_RIM,
	M_UNKNOWN_CLAIM,
	M_DUPLICATE,
	M_MD5,
	M_THREE_REMS,
	M_RAW_KEY,
	M_OFF_CURVE,
	M_TEXT_CHALLENGE,
	M_COSE_TAG,
	M_ALG_ES256,
	M_SHORT_SIGNATURE,
	M_COLLECTION_TAG,
	M_NO_REALM_TOKEN,
	M_EXTRA_KEY,
};

static void realm_claims(struct cw *w, enum mutation m, const struct built *b)
{
	uint8_t cose[COSE_KEY_MAX_LEN];
	size_t cose_len = 0, n = 8;
	n += (m == M_UNKNOWN_CLAIM) + (m == M_DUPLICATE) - (m == M_NO_RIM);
	assert_int_equal(attest_pubkey_cose(&b->rak.pub, cose, sizeof(cose), &cose_len), ATTEST_OK);
	if (m == M_OFF_CURVE) {
		cose[cose_len - 1] ^= 0x01;
	}
	cw_map(w, n);
	cw_uint(w, CLAIM_CHALLENGE);
	if (m == M_TEXT_CHALLENGE) {
		cw_text(w, "sixty-four bytes, honestly");
	} else {
		cw_bytes(w, b->realm.challenge, 64);
	}
	if (m == M_DUPLICATE) {
		cw_uint(w, CLAIM_CHALLENGE);
		cw_bytes(w, b->realm.challenge, 64);
	}
	cw_uint(w, CLAIM_PROFILE);
	cw_text(w, ATTEST_REALM_PROFILE);
	if (m == M_UNKNOWN_CLAIM) {
		cw_uint(w, 999);
		cw_uint(w, 0);
	}
	cw_uint(w, REALM_PERSONALIZATION_VALUE);
	cw_bytes(w, b->realm.rpv, 64);
	cw_uint(w, REALM_HASH_ALGO_ID);
	cw_text(w, m == M_MD5 ? "md5" : "sha-256");
	cw_uint(w, REALM_PUBLIC_KEY);
	if (m == M_RAW_KEY) {
		cw_bytes(w, b->rak.pub.point, ATTEST_PUBKEY_SIZE);
	} else {
		cw_bytes(w, cose, cose_len);
	}
	if (m != M_NO_RIM) {
		cw_uint(w, REALM_INITIAL_MEASUREMENT);
		cw_bytes(w, b->realm.rim, m == M_SHORT_RIM ? 31 : m == M_LONG_RIM ? 48 : 32);
	}
	cw_uint(w, REALM_EXTENSIBLE_MEASUREMENT);
	cw_array(w, m == M_THREE_REMS ? 3 : 4);
	for (unsigned k = 0; k < (m == M_THREE_REMS ? 3U : 4U); k++) {
		cw_bytes(w, b->realm.rem[k], 32);
	}
	cw_uint(w, REALM_PUBLIC_KEY_HASH_ALGO);
	cw_text(w, "sha-256");
}

/* A collection holding the fixture's real platform token and a hand-built realm token
 * (its signature 96 zero bytes: the format checks come first). */
static size_t craft(enum mutation m, const struct built *b, uint8_t *out, size_t cap)
{
	static uint8_t claims[2048], rtok[2048], ptok[ATTEST_TOKEN_MAX_SIZE];
	static const uint8_t es256[] = {0xa1, 0x01, 0x26};
	const uint8_t zero_sig[ATTEST_SIGNATURE_SIZE] = {0};
	struct attest_platform_claims pc = b->platform;
	struct cw w;
	size_t plen = 0;
	assert_int_equal(
	    attest_rak_hash(&b->rak.pub, ATTEST_HASH_SHA256, pc.challenge, &pc.challenge_len),
	    ATTEST_OK);
	assert_int_equal(attest_platform_token_sign(&pc, &b->cpak, ptok, sizeof(ptok), &plen),
			 ATTEST_OK);
	cw_init(&w, claims, sizeof(claims));
	realm_claims(&w, m, b);
	assert_false(w.full);
	{
		size_t claims_len = w.len;
		cw_init(&w, rtok, sizeof(rtok));
		cw_tag(&w, m == M_COSE_TAG ? 17 : TAG_COSE_SIGN1);
		cw_array(&w, 4);
		if (m == M_ALG_ES256) {
			cw_bytes(&w, es256, sizeof(es256));
		} else {
			cw_bytes(&w, cose_protected_es384, sizeof(cose_protected_es384));
		}
		cw_map(&w, 0);
		cw_bytes(&w, claims, claims_len);
		cw_bytes(&w, zero_sig, m == M_SHORT_SIGNATURE ? 95 : sizeof(zero_sig));
		assert_false(w.full);
	}
	{
		size_t rlen = w.len;
		cw_init(&w, out, cap);
		cw_tag(&w, m == M_COLLECTION_TAG ? 398 : TAG_CCA_TOKEN);
		cw_map(&w, m == M_NO_REALM_TOKEN ? 1 : m == M_EXTRA_KEY ? 3 : 2);
		cw_uint(&w, CCA_PLATFORM_TOKEN);
		cw_bytes(&w, ptok, plen);
		if (m != M_NO_REALM_TOKEN) {
			cw_uint(&w, CCA_REALM_DELEGATED);
			cw_bytes(&w, rtok, rlen);
		}
		if (m == M_EXTRA_KEY) {
			cw_uint(&w, 1);
			cw_uint(&w, 1);
		}
		assert_false(w.full);
	}
	return w.len;
}

static void claim_format_is_checked(void **state)
{
	static const struct {
		enum mutation m;
		const char *message;
	} cases[] = {
	    {M_NO_RIM, "claim 44238 (initial measurement) is missing"},
	    {M_SHORT_RIM, "initial measurement: 31 bytes, expected 32, 48 or 64"},
	    {M_LONG_RIM, "the initial measurement is 48 bytes, sha-256 is 32"},
	    {M_UNKNOWN_CLAIM, "unknown key 999"},
	    {M_DUPLICATE, "challenge: appears twice"},
	    {M_MD5, "'md5' is not a hash algorithm"},
	    {M_THREE_REMS, "3 measurements, expected 4"},
	    {M_RAW_KEY, "a raw SEC1 point"},
	    {M_OFF_CURVE, "not a point on P-384"},
	    {M_TEXT_CHALLENGE, "challenge: not a byte string"},
	    {M_COSE_TAG, "not a tagged COSE_Sign1"},
	    {M_ALG_ES256, "not -35 (ES384)"},
	    {M_SHORT_SIGNATURE, "signature is not 96 bytes"},
	    {M_COLLECTION_TAG, "tag 398, expected 399"},
	    {M_NO_REALM_TOKEN, "lacks the realm token (key 44241)"},
	    {M_EXTRA_KEY, "unknown key"},
	};
	static struct built b;
	static uint8_t tok[ATTEST_TOKEN_MAX_SIZE];
	struct attest_token t;
	struct attest_verdict v;
	size_t len;
	build(&b);
	/* Unmutated, the hand-built token decodes: only its zero signature fails. */
	len = craft(M_NONE, &b, tok, sizeof(tok));
	assert_int_equal(attest_token_decode(tok, len, &t, &v), ATTEST_OK);
	assert_int_equal(attest_token_verify(tok, len, &b.cpak.pub, &t, &v), ATTEST_ERR_SIGNATURE);
	assert_int_equal(v.realm_signature, ATTEST_ERR_SIGNATURE);
	assert_int_equal(v.platform_signature, ATTEST_OK);
	assert_int_equal(v.binding, ATTEST_OK);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum attest_status st;
		len = craft(cases[i].m, &b, tok, sizeof(tok));
		st = attest_token_decode(tok, len, &t, &v);
		if (st != ATTEST_ERR_FORMAT || strstr(v.message, cases[i].message) == NULL) {
			fail_msg("mutation %d: %s: %s (wanted '%s')", (int)cases[i].m,
				 attest_status_name(st), v.message, cases[i].message);
		}
	}
}

/* The platform claims of b with one field changed by `edit` are refused as input. */
static void platform_refused(const struct built *b, void (*edit)(struct attest_platform_claims *))
{
	static uint8_t out[ATTEST_TOKEN_MAX_SIZE];
	struct attest_platform_claims p = b->platform;
	size_t len = 0;
	edit(&p);
	assert_int_equal(attest_platform_token_sign(&p, &b->cpak, out, sizeof(out), &len),
			 ATTEST_ERR_INPUT);
}

static void lifecycle_out_of_range(struct attest_platform_claims *p)
{
	p->lifecycle = 0x7000;
}

static void no_sw_component(struct attest_platform_claims *p)
{
	p->sw_count = 0;
}

static void challenge_not_a_hash(struct attest_platform_claims *p)
{
	p->challenge_len = 20;
}

static void instance_id_not_rand(struct attest_platform_claims *p)
{
	p->instance_id[0] = 0x02;
}

static void no_hash_algo(struct attest_platform_claims *p)
{
	p->hash_algo[0] = 0;
}

static void inputs_are_validated(void **state)
{
	static struct built b;
	static uint8_t out[ATTEST_TOKEN_MAX_SIZE];
	struct attest_realm_claims r;
	size_t len = 0;
	build(&b);
	r = b.realm;
	r.hash_algo = (enum attest_hash)7;
	assert_int_equal(attest_realm_token_sign(&r, &b.rak, out, sizeof(out), &len),
			 ATTEST_ERR_INPUT);
	platform_refused(&b, lifecycle_out_of_range);
	platform_refused(&b, no_sw_component);
	platform_refused(&b, challenge_not_a_hash);
	platform_refused(&b, instance_id_not_rand);
	platform_refused(&b, no_hash_algo);
	assert_int_equal(
	    attest_token_build(&b.realm, &b.platform, &b.cpak, &b.rak, out, b.len - 1, &len),
	    ATTEST_ERR_SPACE);
}

/* The largest claims the structs can hold still make a token within the advertised bound. */
static void largest_token_fits_the_bound(void **state)
{
	static struct built b;
	static uint8_t out[ATTEST_TOKEN_MAX_SIZE];
	struct attest_token t;
	struct attest_verdict v;
	size_t len = 0;
	build(&b);
	b.realm.hash_algo = ATTEST_HASH_SHA512;
	b.realm.pubkey_hash_algo = ATTEST_HASH_SHA512;
	b.platform.config_len = ATTEST_CONFIG_MAX;
	memset(b.platform.verification_service, 'v', ATTEST_TEXT_MAX - 1);
	memset(b.platform.hash_algo, 'h', ATTEST_TEXT_MAX - 1);
	b.platform.sw_count = ATTEST_SW_MAX;
	for (unsigned i = 0; i < ATTEST_SW_MAX; i++) {
		struct attest_sw_component *sw = &b.platform.sw[i];
		memset(sw->type, 't', ATTEST_TEXT_MAX - 1);
		memset(sw->version, 'v', ATTEST_TEXT_MAX - 1);
		memset(sw->hash_algo, 'h', ATTEST_TEXT_MAX - 1);
		sw->measurement_len = sw->signer_id_len = 64;
	}
	assert_int_equal(
	    attest_token_build(&b.realm, &b.platform, &b.cpak, &b.rak, out, sizeof(out), &len),
	    ATTEST_OK);
	assert_int_equal(attest_token_verify(out, len, &b.cpak.pub, &t, &v), ATTEST_OK);
	assert_int_equal(t.platform.sw_count, ATTEST_SW_MAX);
	assert_int_equal(strlen(t.platform.sw[7].version), ATTEST_TEXT_MAX - 1);
}

static void names(void **state)
{
	enum attest_hash h;
	assert_string_equal(attest_lifecycle_name(0x3000), "secured");
	assert_string_equal(attest_lifecycle_name(0x30ff), "secured");
	assert_null(attest_lifecycle_name(0x3100));
	assert_null(attest_lifecycle_name(0x7000));
	assert_true(attest_hash_parse("sha-384", 7, &h));
	assert_int_equal(h, ATTEST_HASH_SHA384);
	assert_false(attest_hash_parse("sha-38", 6, &h));
	assert_int_equal(attest_hash_size(ATTEST_HASH_SHA512), 64);
	assert_string_equal(attest_status_name(ATTEST_ERR_BINDING), "binding does not hold");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(keys_are_deterministic_and_distinct),
	    cmocka_unit_test(pem_round_trip),
	    cmocka_unit_test(cose_key_encoding),
	    cmocka_unit_test(build_decode_verify),
	    cmocka_unit_test(other_algorithms_round_trip),
	    cmocka_unit_test(same_inputs_same_bytes),
	    cmocka_unit_test(tampered_bytes_fail),
	    cmocka_unit_test(wrong_key_and_wrong_binding_fail),
	    cmocka_unit_test(truncated_never_decodes),
	    cmocka_unit_test(malformed_cbor_is_refused),
	    cmocka_unit_test(claim_format_is_checked),
	    cmocka_unit_test(inputs_are_validated),
	    cmocka_unit_test(largest_token_fits_the_bound),
	    cmocka_unit_test(names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
