/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Claims to CBOR: the Realm token [S:A7.2.3.1], the CCA platform token [S:A7.2.3.2], the
 * collection around them [S:A7.2.3], and the simulated platform's claim values. Every map is
 * written in deterministic key order (RFC 8949 4.2.1: by the bytes of the encoded key, which
 * for the unsigned labels used here is numeric order).
 */
#include "attest_private.h"

#include <stdio.h>
#include <string.h>

#ifndef CCA_SIM_VERSION
#define CCA_SIM_VERSION "0"
#endif

/* What the simulated platform puts in its claims (docs/attestation.md). */
#define SIM_IMPLEMENTATION "cca-sim platform"
#define SIM_SIGNER         "cca-sim signer"
#define SIM_VERIFIER       "cca-sim token"

static const struct {
	uint16_t first, last;
	const char *name;
} lifecycles[] = {
    {0x0000, 0x00ff, "unknown"},
    {0x1000, 0x10ff, "assembly-and-test"},
    {0x2000, 0x20ff, "cca-platform-rot-provisioning"},
    {0x3000, 0x30ff, "secured"},
    {0x4000, 0x40ff, "non-cca-platform-rot-debug"},
    {0x5000, 0x50ff, "recoverable-cca-platform-rot-debug"},
    {0x6000, 0x60ff, "decommissioned"},
};

const char *attest_lifecycle_name(uint64_t v)
{
	for (size_t i = 0; i < sizeof(lifecycles) / sizeof(lifecycles[0]); i++) {
		if (v >= lifecycles[i].first && v <= lifecycles[i].last) {
			return lifecycles[i].name;
		}
	}
	return NULL;
}

bool attest_hash_len_ok(size_t len)
{
	return len == 32 || len == 48 || len == 64;
}

/* A text field: NUL-terminated inside its array, and non-empty if `required`. */
static bool text_ok(const char *s, bool required)
{
	size_t n = strnlen(s, ATTEST_TEXT_MAX);
	return n < ATTEST_TEXT_MAX && (n > 0 || !required);
}

static bool realm_claims_ok(const struct attest_realm_claims *c)
{
	return attest_hash_size(c->hash_algo) != 0 && attest_hash_size(c->pubkey_hash_algo) != 0;
}

static bool sw_component_ok(const struct attest_sw_component *sw)
{
	return text_ok(sw->type, false) && attest_hash_len_ok(sw->measurement_len) &&
	       text_ok(sw->version, false) && attest_hash_len_ok(sw->signer_id_len) &&
	       text_ok(sw->hash_algo, false);
}

static bool platform_claims_ok(const struct attest_platform_claims *c)
{
	if (!attest_hash_len_ok(c->challenge_len) || c->instance_id[0] != 0x01 ||
	    c->config_len == 0 || c->config_len > ATTEST_CONFIG_MAX ||
	    attest_lifecycle_name(c->lifecycle) == NULL || c->sw_count == 0 ||
	    c->sw_count > ATTEST_SW_MAX || !text_ok(c->verification_service, false) ||
	    !text_ok(c->hash_algo, true)) {
		return false;
	}
	for (size_t i = 0; i < c->sw_count; i++) {
		if (!sw_component_ok(&c->sw[i])) {
			return false;
		}
	}
	return true;
}

static void write_sw_component(struct cw *w, const struct attest_sw_component *sw)
{
	size_t n = 2 + (sw->type[0] != 0) + (sw->version[0] != 0) + (sw->hash_algo[0] != 0);
	cw_map(w, n);
	if (sw->type[0] != 0) {
		cw_uint(w, SW_TYPE);
		cw_text(w, sw->type);
	}
	cw_uint(w, SW_MEASUREMENT);
	cw_bytes(w, sw->measurement, sw->measurement_len);
	if (sw->version[0] != 0) {
		cw_uint(w, SW_VERSION);
		cw_text(w, sw->version);
	}
	cw_uint(w, SW_SIGNER_ID);
	cw_bytes(w, sw->signer_id, sw->signer_id_len);
	if (sw->hash_algo[0] != 0) {
		cw_uint(w, SW_HASH_ALGO);
		cw_text(w, sw->hash_algo);
	}
}

static void write_platform_claims(struct cw *w, const struct attest_platform_claims *c)
{
	bool vs = c->verification_service[0] != 0;
	cw_map(w, vs ? 9 : 8);
	cw_uint(w, CLAIM_CHALLENGE);
	cw_bytes(w, c->challenge, c->challenge_len);
	cw_uint(w, PLATFORM_INSTANCE_ID);
	cw_bytes(w, c->instance_id, sizeof(c->instance_id));
	cw_uint(w, CLAIM_PROFILE);
	cw_text(w, ATTEST_PLATFORM_PROFILE);
	cw_uint(w, PLATFORM_LIFECYCLE);
	cw_uint(w, c->lifecycle);
	cw_uint(w, PLATFORM_IMPLEMENTATION_ID);
	cw_bytes(w, c->implementation_id, sizeof(c->implementation_id));
	cw_uint(w, PLATFORM_SW_COMPONENTS);
	cw_array(w, c->sw_count);
	for (size_t i = 0; i < c->sw_count; i++) {
		write_sw_component(w, &c->sw[i]);
	}
	if (vs) {
		cw_uint(w, PLATFORM_VERIFICATION_SERVICE);
		cw_text(w, c->verification_service);
	}
	cw_uint(w, PLATFORM_CONFIG);
	cw_bytes(w, c->config, c->config_len);
	cw_uint(w, PLATFORM_HASH_ALGO_ID);
	cw_text(w, c->hash_algo);
}

static void write_realm_claims(struct cw *w, const struct attest_realm_claims *c,
			       const uint8_t *cose_key, size_t cose_key_len)
{
	size_t m = attest_hash_size(c->hash_algo);
	cw_map(w, 8);
	cw_uint(w, CLAIM_CHALLENGE);
	cw_bytes(w, c->challenge, sizeof(c->challenge));
	cw_uint(w, CLAIM_PROFILE);
	cw_text(w, ATTEST_REALM_PROFILE);
	cw_uint(w, REALM_PERSONALIZATION_VALUE);
	cw_bytes(w, c->rpv, sizeof(c->rpv));
	cw_uint(w, REALM_HASH_ALGO_ID);
	cw_text(w, attest_hash_name(c->hash_algo));
	cw_uint(w, REALM_PUBLIC_KEY);
	cw_bytes(w, cose_key, cose_key_len);
	cw_uint(w, REALM_INITIAL_MEASUREMENT);
	cw_bytes(w, c->rim, m);
	cw_uint(w, REALM_EXTENSIBLE_MEASUREMENT);
	cw_array(w, ATTEST_REM_COUNT);
	for (unsigned i = 0; i < ATTEST_REM_COUNT; i++) {
		cw_bytes(w, c->rem[i], m);
	}
	cw_uint(w, REALM_PUBLIC_KEY_HASH_ALGO);
	cw_text(w, attest_hash_name(c->pubkey_hash_algo));
}

enum attest_status attest_platform_token_sign(const struct attest_platform_claims *c,
					      const struct attest_key *cpak, uint8_t *out,
					      size_t cap, size_t *len)
{
	uint8_t payload[ATTEST_TOKEN_MAX_SIZE];
	struct cw w;
	if (c == NULL || cpak == NULL || out == NULL || len == NULL || !platform_claims_ok(c)) {
		return ATTEST_ERR_INPUT;
	}
	cw_init(&w, payload, sizeof(payload));
	write_platform_claims(&w, c);
	if (w.full) {
		return ATTEST_ERR_SPACE;
	}
	return cose_sign1(payload, w.len, cpak, out, cap, len);
}

enum attest_status attest_realm_token_sign(const struct attest_realm_claims *c,
					   const struct attest_key *rak, uint8_t *out, size_t cap,
					   size_t *len)
{
	uint8_t payload[ATTEST_TOKEN_MAX_SIZE], cose_key[COSE_KEY_MAX_LEN];
	size_t cose_key_len = 0;
	struct cw w;
	enum attest_status st;
	if (c == NULL || rak == NULL || out == NULL || len == NULL || !realm_claims_ok(c)) {
		return ATTEST_ERR_INPUT;
	}
	st = attest_pubkey_cose(&rak->pub, cose_key, sizeof(cose_key), &cose_key_len);
	if (st != ATTEST_OK) {
		return st;
	}
	cw_init(&w, payload, sizeof(payload));
	write_realm_claims(&w, c, cose_key, cose_key_len);
	if (w.full) {
		return ATTEST_ERR_SPACE;
	}
	return cose_sign1(payload, w.len, rak, out, cap, len);
}

enum attest_status attest_collection(const uint8_t *platform, size_t platform_len,
				     const uint8_t *realm, size_t realm_len, uint8_t *out,
				     size_t cap, size_t *len)
{
	struct cw w;
	if (platform == NULL || realm == NULL || out == NULL || len == NULL) {
		return ATTEST_ERR_INPUT;
	}
	cw_init(&w, out, cap);
	cw_tag(&w, TAG_CCA_TOKEN);
	cw_map(&w, 2);
	cw_uint(&w, CCA_PLATFORM_TOKEN);
	cw_bytes(&w, platform, platform_len);
	cw_uint(&w, CCA_REALM_DELEGATED);
	cw_bytes(&w, realm, realm_len);
	if (w.full) {
		return ATTEST_ERR_SPACE;
	}
	*len = w.len;
	return ATTEST_OK;
}

enum attest_status attest_token_assemble(const uint8_t *platform, size_t platform_len,
					 const struct attest_realm_claims *realm,
					 const struct attest_key *rak, uint8_t *out, size_t cap,
					 size_t *len)
{
	uint8_t rtok[ATTEST_TOKEN_MAX_SIZE];
	size_t rlen = 0;
	enum attest_status st = attest_realm_token_sign(realm, rak, rtok, sizeof(rtok), &rlen);
	if (st == ATTEST_OK) {
		st = attest_collection(platform, platform_len, rtok, rlen, out, cap, len);
	}
	return st;
}

enum attest_status attest_token_build(const struct attest_realm_claims *realm,
				      const struct attest_platform_claims *platform,
				      const struct attest_key *cpak, const struct attest_key *rak,
				      uint8_t *out, size_t cap, size_t *len)
{
	struct attest_platform_claims bound;
	uint8_t ptok[ATTEST_TOKEN_MAX_SIZE];
	size_t plen = 0;
	enum attest_status st;
	if (realm == NULL || platform == NULL || cpak == NULL || rak == NULL ||
	    !realm_claims_ok(realm)) {
		return ATTEST_ERR_INPUT;
	}
	bound = *platform;
	st = attest_rak_hash(&rak->pub, realm->pubkey_hash_algo, bound.challenge,
			     &bound.challenge_len);
	if (st == ATTEST_OK) {
		st = attest_platform_token_sign(&bound, cpak, ptok, sizeof(ptok), &plen);
	}
	if (st == ATTEST_OK) {
		st = attest_token_assemble(ptok, plen, realm, rak, out, cap, len);
	}
	return st;
}

/* SHA-256 of a text, for the simulated platform's identities and measurements. */
static enum attest_status sha256_text(const char *s, uint8_t out[ATTEST_HASH_MAX])
{
	return attest_hash_compute(ATTEST_HASH_SHA256, s, strlen(s), out);
}

static enum attest_status sim_component(const char *type, struct attest_sw_component *sw)
{
	char what[ATTEST_TEXT_MAX];
	enum attest_status st;
	memset(sw, 0, sizeof(*sw));
	(void)snprintf(sw->type, sizeof(sw->type), "%s", type);
	(void)snprintf(sw->version, sizeof(sw->version), "%s", CCA_SIM_VERSION);
	(void)snprintf(sw->hash_algo, sizeof(sw->hash_algo), "sha-256");
	/* cca-sim has no firmware image to measure: the measurement stands for one, and changes
	 * with the component and its version, as an image's hash would. */
	(void)snprintf(what, sizeof(what), "cca-sim %s %s", type, CCA_SIM_VERSION);
	st = sha256_text(what, sw->measurement);
	sw->measurement_len = 32;
	if (st == ATTEST_OK) {
		st = sha256_text(SIM_SIGNER, sw->signer_id);
	}
	sw->signer_id_len = 32;
	return st;
}

enum attest_status attest_platform_sim_claims(const struct attest_pubkey *cpak,
					      const uint8_t *config, size_t config_len,
					      struct attest_platform_claims *out)
{
	uint8_t digest[ATTEST_HASH_MAX];
	enum attest_status st;
	if (cpak == NULL || out == NULL || config == NULL || config_len == 0 ||
	    config_len > ATTEST_CONFIG_MAX) {
		return ATTEST_ERR_INPUT;
	}
	memset(out, 0, sizeof(*out));
	st = sha256_text(SIM_IMPLEMENTATION, digest);
	memcpy(out->implementation_id, digest, sizeof(out->implementation_id));
	/* The instance ID identifies the CPAK [S:A7.2.3.2.4]: UEID type RAND (0x01), then the
	 * SHA-256 of its public point. */
	if (st == ATTEST_OK) {
		st = attest_hash_compute(ATTEST_HASH_SHA256, cpak->point, sizeof(cpak->point),
					 digest);
	}
	out->instance_id[0] = 0x01;
	memcpy(out->instance_id + 1, digest, ATTEST_INSTANCE_ID_SIZE - 1);
	memcpy(out->config, config, config_len);
	out->config_len = config_len;
	out->lifecycle = ATTEST_LIFECYCLE_SECURED;
	if (st == ATTEST_OK) {
		st = sim_component("BL31", &out->sw[0]); /* the EL3 monitor */
	}
	if (st == ATTEST_OK) {
		st = sim_component("RMM", &out->sw[1]);
	}
	out->sw_count = 2;
	(void)snprintf(out->verification_service, sizeof(out->verification_service), "%s",
		       SIM_VERIFIER);
	(void)snprintf(out->hash_algo, sizeof(out->hash_algo), "sha-256");
	out->challenge_len = 32; /* set by the signer to the RAK hash */
	return st;
}
