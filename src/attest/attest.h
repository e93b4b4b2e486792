/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/attest: CCA attestation tokens [S:A7.2.3], their keys, and their verification.
 *
 * A CCA attestation token is CBOR tag 399 around a map of two byte strings: the CCA platform
 * token (key 44234) and the Realm token (key 44241), each a tagged COSE_Sign1 (RFC 9052)
 * signed with ES384 (ECDSA P-384, SHA-384). The platform token's challenge is the hash of the
 * Realm public key claim, which binds the two [S:A7.2.3, ICCGQH]. docs/attestation.md lists
 * every claim and where its value comes from.
 *
 * The functions are split by who holds which key in a real system, so that each caller does
 * only its part:
 *   - EL3 (the monitor): holds the CPAK, derived from the machine seed
 *     (attest_cpak_derive), and signs the platform token for the RAK hash the RMM hands it,
 *     as it does for RMM_ATTEST_GET_PLAT_TOKEN (attest_platform_token_sign);
 *   - the RMM: holds a realm's RAK (attest_rak_derive, or attest_key_from_private for a key
 *     handed over as a raw scalar, as RMM_ATTEST_GET_REALM_KEY does), computes the binding
 *     EL3 needs (attest_rak_hash), then signs the Realm token and wraps it with the platform
 *     token EL3 returned (attest_token_assemble, or its two steps attest_realm_token_sign
 *     and attest_collection);
 *   - verifiers (`cca-sim token`): attest_token_verify.
 * attest_token_build does all of it in one call, for tests and tools.
 *
 * CBOR is libcbor's, hashes, HKDF, ECDSA and PEM are mbedtls'. Every signature is RFC 6979
 * deterministic and every map is in deterministic key order (RFC 8949 4.2.1), so the same
 * inputs give byte-identical tokens. No function keeps state; none allocates what it returns.
 */
#ifndef CCA_ATTEST_H
#define CCA_ATTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ATTEST_CHALLENGE_SIZE   64  /* Realm challenge [S:A7.2.3.1.1] */
#define ATTEST_RPV_SIZE         64  /* Realm Personalization Value [S:A7.2.3.1.3] */
#define ATTEST_HASH_MAX         64  /* the longest measurement or hash a claim may hold */
#define ATTEST_REM_COUNT        4   /* REMs in the Realm token [S:A7.2.3.1.5] */
#define ATTEST_PRIVKEY_SIZE     48  /* a P-384 private scalar, big-endian */
#define ATTEST_PUBKEY_SIZE      97  /* a P-384 point, SEC1 uncompressed: 0x04 || X || Y */
#define ATTEST_SIGNATURE_SIZE   96  /* ES384 signature: r || s, 48 bytes each (RFC 9053 2.1) */
#define ATTEST_IMPL_ID_SIZE     32  /* [S:A7.2.3.2.3] */
#define ATTEST_INSTANCE_ID_SIZE 33  /* 0x01 then 32 bytes [S:A7.2.3.2.4] */
#define ATTEST_CONFIG_MAX       64  /* the platform config claim, at most */
#define ATTEST_TEXT_MAX         128 /* a text claim, at most, with its terminating NUL */
#define ATTEST_SW_MAX           8   /* platform software components, at most */
#define ATTEST_PEM_MAX          256 /* a P-384 SubjectPublicKeyInfo in PEM, with its NUL */
/* Every token attest_token_build writes fits: the inputs' sizes are bounded above. */
#define ATTEST_TOKEN_MAX_SIZE 8192

/* The seed the keys are derived from when nothing else is given (docs/attestation.md). */
#define ATTEST_DEFAULT_SEED "cca-sim"

/* The EAT profiles [S:A7.2.3.1.2, A7.2.3.2.1]. */
#define ATTEST_PLATFORM_PROFILE "tag:arm.com,2023:cca_platform#1.0.0"
#define ATTEST_REALM_PROFILE    "tag:arm.com,2023:realm#1.0.0"

/* The platform lifecycle claim's "secured" state, 0x3000..0x30ff [S:A7.2.3.2.6]. */
#define ATTEST_LIFECYCLE_SECURED 0x3000

/* The name of a lifecycle value's range ("secured", ...), or NULL for a value outside them. */
const char *attest_lifecycle_name(uint64_t v);

enum attest_status {
	ATTEST_OK = 0,
	ATTEST_ERR_INPUT,     /* an argument the format does not allow (a size, a NULL) */
	ATTEST_ERR_SPACE,     /* the output buffer is too small */
	ATTEST_ERR_CRYPTO,    /* mbedtls failed: out of memory, a point not on the curve */
	ATTEST_ERR_MALFORMED, /* not well-formed CBOR: truncated, trailing bytes, bad header */
	ATTEST_ERR_FORMAT,    /* CBOR, but not a CCA token: a claim missing, unknown, mistyped */
	ATTEST_ERR_SIGNATURE, /* a COSE_Sign1 signature does not verify with its key */
	ATTEST_ERR_BINDING,   /* the platform challenge is not the hash of the Realm public key */
	ATTEST_UNCHECKED,     /* (in a verdict) the check was not reached */
};

/* "ok", "malformed CBOR", ... */
const char *attest_status_name(enum attest_status s);

/* Hash algorithms the claims may name, by their IANA Named Information names. */
enum attest_hash {
	ATTEST_HASH_SHA256, /* "sha-256" */
	ATTEST_HASH_SHA384, /* "sha-384" */
	ATTEST_HASH_SHA512, /* "sha-512" */
};

size_t attest_hash_size(enum attest_hash h);
const char *attest_hash_name(enum attest_hash h);
/* Parses a name of `len` bytes (not NUL-terminated): true if it is one of the three. */
bool attest_hash_parse(const char *name, size_t len, enum attest_hash *out);
/* out receives attest_hash_size(h) bytes. */
enum attest_status attest_hash_compute(enum attest_hash h, const void *buf, size_t len,
				       uint8_t out[ATTEST_HASH_MAX]);

/* Keys: P-384 only, as ES384 needs. */
struct attest_pubkey {
	uint8_t point[ATTEST_PUBKEY_SIZE];
};

struct attest_key {
	uint8_t d[ATTEST_PRIVKEY_SIZE];
	struct attest_pubkey pub;
};

/*
 * Derives a key pair from `seed`: HKDF-SHA-384 (RFC 5869) with the salt
 * "cca-sim attestation key v1", the seed as input keying material and `label` followed by
 * `context` as info, expanded to 56 bytes c; the private scalar is c mod (n - 1) + 1
 * (FIPS 186-5 A.2.1). Same seed, label and context: same key, on every run and machine.
 */
enum attest_status attest_key_derive(const void *seed, size_t seed_len, const char *label,
				     const void *context, size_t context_len,
				     struct attest_key *out);
/* The CCA platform attestation key: label "CPAK", no context. */
enum attest_status attest_cpak_derive(const void *seed, size_t seed_len, struct attest_key *out);
/* The Realm Attestation Key of the realm with VMID `vmid`: label "RAK", context the VMID as
 * 8 bytes little-endian (docs/spec-decisions.md, "Attestation", says why the VMID). */
enum attest_status attest_rak_derive(const void *seed, size_t seed_len, uint64_t vmid,
				     struct attest_key *out);
/* Completes a key whose private scalar is all one has (a key handed over in a buffer). */
enum attest_status attest_key_from_private(const uint8_t d[ATTEST_PRIVKEY_SIZE],
					   struct attest_key *out);

/* The public key as PEM SubjectPublicKeyInfo (RFC 5480), NUL-terminated, into out[cap]. */
enum attest_status attest_pubkey_pem(const struct attest_pubkey *k, char *out, size_t cap);
/* Reads a P-384 public key from PEM SubjectPublicKeyInfo text of `len` bytes. */
enum attest_status attest_pubkey_from_pem(const char *pem, size_t len, struct attest_pubkey *out);
/* The key as the COSE_Key the Realm public key claim holds [S:A7.2.3.1.7]:
 * {1 (kty): 2 (EC2), -1 (crv): 2 (P-384), -2 (x): bstr 48, -3 (y): bstr 48}. */
enum attest_status attest_pubkey_cose(const struct attest_pubkey *k, uint8_t *out, size_t cap,
				      size_t *len);
/* The binding: hash `h` of that COSE_Key, the platform token's challenge [S:A7.2.3.2.2]. */
enum attest_status attest_rak_hash(const struct attest_pubkey *rak, enum attest_hash h,
				   uint8_t out[ATTEST_HASH_MAX], size_t *len);

/* The Realm token's claims [S:A7.2.3.1]. */
struct attest_realm_claims {
	uint8_t challenge[ATTEST_CHALLENGE_SIZE];
	uint8_t rpv[ATTEST_RPV_SIZE];
	enum attest_hash hash_algo; /* the RHA: RIM and REMs are attest_hash_size() bytes */
	uint8_t rim[ATTEST_HASH_MAX];
	uint8_t rem[ATTEST_REM_COUNT][ATTEST_HASH_MAX];
	enum attest_hash pubkey_hash_algo; /* the algorithm of H(RAK_pub) */
	/* The RAK. Signing takes it from the signing key; decoding fills it in. */
	struct attest_pubkey pubkey;
};

/* One software component of the platform [S:A7.2.3.2.7]; "" is an absent optional text. */
struct attest_sw_component {
	char type[ATTEST_TEXT_MAX];
	uint8_t measurement[ATTEST_HASH_MAX];
	size_t measurement_len; /* 32, 48 or 64 */
	char version[ATTEST_TEXT_MAX];
	uint8_t signer_id[ATTEST_HASH_MAX];
	size_t signer_id_len; /* 32, 48 or 64 */
	char hash_algo[ATTEST_TEXT_MAX];
};

/* The CCA platform token's claims [S:A7.2.3.2]; the profile claim is always
 * ATTEST_PLATFORM_PROFILE. */
struct attest_platform_claims {
	uint8_t challenge[ATTEST_HASH_MAX];
	size_t challenge_len; /* 32, 48 or 64 */
	uint8_t implementation_id[ATTEST_IMPL_ID_SIZE];
	uint8_t instance_id[ATTEST_INSTANCE_ID_SIZE];
	uint8_t config[ATTEST_CONFIG_MAX];
	size_t config_len; /* 1 .. ATTEST_CONFIG_MAX */
	uint16_t lifecycle;
	struct attest_sw_component sw[ATTEST_SW_MAX];
	size_t sw_count;                            /* 1 .. ATTEST_SW_MAX */
	char verification_service[ATTEST_TEXT_MAX]; /* optional: "" is absent */
	char hash_algo[ATTEST_TEXT_MAX];
};

/*
 * The simulated platform's claims, everything but the challenge (docs/attestation.md):
 * implementation ID, instance ID 0x01 || SHA-256(CPAK public point), lifecycle secured, the
 * EL3 monitor and the RMM as software components, verification service and hash algorithm;
 * `config` (1..ATTEST_CONFIG_MAX bytes) is the caller's description of the machine.
 */
enum attest_status attest_platform_sim_claims(const struct attest_pubkey *cpak,
					      const uint8_t *config, size_t config_len,
					      struct attest_platform_claims *out);

/* Each writes a tagged COSE_Sign1 (tag 18) into out[cap] and its size into *len. */
enum attest_status attest_platform_token_sign(const struct attest_platform_claims *c,
					      const struct attest_key *cpak, uint8_t *out,
					      size_t cap, size_t *len);
/* Signs with `rak` and puts rak's public key in the public key claim (c->pubkey unused). */
enum attest_status attest_realm_token_sign(const struct attest_realm_claims *c,
					   const struct attest_key *rak, uint8_t *out, size_t cap,
					   size_t *len);
/* The CCA attestation token: tag 399 {44234: platform token, 44241: realm token}. */
enum attest_status attest_collection(const uint8_t *platform, size_t platform_len,
				     const uint8_t *realm, size_t realm_len, uint8_t *out,
				     size_t cap, size_t *len);

/* The RMM's part once EL3 has returned the platform token: signs the Realm token with `rak`
 * and wraps it with `platform` into the CCA attestation token. */
enum attest_status attest_token_assemble(const uint8_t *platform, size_t platform_len,
					 const struct attest_realm_claims *realm,
					 const struct attest_key *rak, uint8_t *out, size_t cap,
					 size_t *len);

/* All of the above in one call: the platform token's challenge is set to the RAK hash
 * (platform->challenge is ignored), then both tokens are signed and wrapped. */
enum attest_status attest_token_build(const struct attest_realm_claims *realm,
				      const struct attest_platform_claims *platform,
				      const struct attest_key *cpak, const struct attest_key *rak,
				      uint8_t *out, size_t cap, size_t *len);

/* A decoded token. */
struct attest_token {
	struct attest_platform_claims platform;
	struct attest_realm_claims realm;
	bool realm_profile;        /* the optional Realm profile claim is present */
	size_t platform_token_len; /* the sizes of the two COSE_Sign1 */
	size_t realm_token_len;
};

/* What verification found: each check's result, and a sentence about the first failure. */
struct attest_verdict {
	enum attest_status status; /* ATTEST_OK only if the token decoded and all checks held */
	enum attest_status platform_signature; /* with the CPAK */
	enum attest_status binding;            /* platform challenge == H(Realm public key) */
	enum attest_status realm_signature;    /* with the RAK in the Realm token */
	char message[192];
};

/* Decodes and checks the format (every claim's presence, type and size) without checking
 * signatures. Returns verdict->status; the checks are left ATTEST_UNCHECKED. */
enum attest_status attest_token_decode(const uint8_t *buf, size_t len, struct attest_token *out,
				       struct attest_verdict *verdict);
/* Decodes, then checks the platform signature with `cpak`, the binding, and the Realm
 * signature with the Realm public key claim: the chain CPAK -> RAK -> Realm claims. */
enum attest_status attest_token_verify(const uint8_t *buf, size_t len,
				       const struct attest_pubkey *cpak, struct attest_token *out,
				       struct attest_verdict *verdict);

#endif
