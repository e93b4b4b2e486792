/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Token decoding and verification: CBOR through libcbor, each claim checked for presence,
 * type and size against [S:A7.2.3], then the chain CPAK -> platform token -> binding -> RAK ->
 * Realm token. Input is untrusted: before libcbor builds a tree, a streaming pass bounds every
 * declared length by the bytes that remain, so a few bytes cannot ask for gigabytes.
 */
#include "attest_private.h"

#include <cbor.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * libcbor 0.8 (Debian 12) refuses tags 6 to 20 in their one-byte head, 0xc6 to 0xd4, as
 * "unassigned" (github.com/PJK/libcbor/issues/307, fixed in later releases), and COSE_Sign1's
 * tag 18 (0xd2) is among them. read_sign1 takes that one head off itself; anywhere else such a
 * head is reported rather than misread.
 */
#define LIBCBOR_BAD_TAG_FIRST 0xc6
#define LIBCBOR_BAD_TAG_LAST  0xd4
#define COSE_SIGN1_HEAD       0xd2 /* major type 6 (tag), value 18 in the head */

#define MAX_DEPTH 16 /* the deepest token nests 4 (collection > sw components > component) */
#define MAX_ITEMS 8  /* trees a decode loads: collection, 2 x (COSE_Sign1, header, claims), key */

struct sign1 {
	const uint8_t *protected_hdr, *payload, *signature;
	size_t protected_len, payload_len;
};

struct decoder {
	struct attest_verdict *v;
	struct attest_token *tok;
	const char *where; /* "platform token", ... for messages */
	const char *claim; /* the claim being read, for messages */
	cbor_item_t *items[MAX_ITEMS];
	unsigned nitems;
	struct sign1 platform, realm;
	const uint8_t *cose_key; /* the Realm public key claim's bytes, which the binding hashes */
	size_t cose_key_len, rim_len, rem_len[ATTEST_REM_COUNT];
};

static enum attest_status fail(struct decoder *d, enum attest_status st, const char *fmt, ...)
{
	char *msg = d->v->message;
	size_t cap = sizeof(d->v->message);
	int n;
	va_list ap;
	if (d->v->status != ATTEST_OK) {
		return st; /* the first failure is the one reported */
	}
	d->v->status = st;
	n = d->claim != NULL ? snprintf(msg, cap, "%s: %s: ", d->where, d->claim)
			     : snprintf(msg, cap, "%s: ", d->where);
	if (n < 0 || (size_t)n >= cap) {
		return st;
	}
	va_start(ap, fmt);
	(void)vsnprintf(msg + n, cap - (size_t)n, fmt, ap);
	va_end(ap);
	return st;
}

/* --- the bounding pass ------------------------------------------------------------------ */

struct scan {
	size_t left;               /* bytes from the current head to the end of the input */
	size_t pending[MAX_DEPTH]; /* items still to come in each open container */
	unsigned depth;
	size_t opened; /* items the head just read opens (an array or map) */
	const char *error;
};

static void scan_array(void *ctx, size_t n)
{
	struct scan *s = ctx;
	s->opened = n;
	if (n > s->left) {
		s->error = "an array declares more items than there are bytes left";
	}
}

static void scan_map(void *ctx, size_t n)
{
	struct scan *s = ctx;
	s->opened = 2 * n;
	if (n > s->left / 2) {
		s->error = "a map declares more pairs than there are bytes left";
	}
}

static void scan_indefinite(void *ctx)
{
	((struct scan *)ctx)->error = "an indefinite-length item (a token uses definite lengths)";
}

static enum attest_status scan_input(struct decoder *d, const uint8_t *buf, size_t len)
{
	struct cbor_callbacks cb = cbor_empty_callbacks;
	struct scan s = {0};
	size_t off = 0;
	cb.array_start = scan_array;
	cb.map_start = scan_map;
	cb.indef_array_start = scan_indefinite;
	cb.indef_map_start = scan_indefinite;
	cb.byte_string_start = scan_indefinite;
	cb.string_start = scan_indefinite;
	cb.indef_break = scan_indefinite;
	for (;;) {
		struct cbor_decoder_result r;
		unsigned major;
		if (off == len) {
			return fail(d, ATTEST_ERR_MALFORMED,
				    "truncated: the data ends after %zu bytes, inside an item",
				    len);
		}
		if (buf[off] >= LIBCBOR_BAD_TAG_FIRST && buf[off] <= LIBCBOR_BAD_TAG_LAST) {
			return fail(d, ATTEST_ERR_MALFORMED,
				    "byte %zu: tag %u in its one-byte form, which libcbor 0.8 "
				    "cannot read (libcbor issue 307)",
				    off, buf[off] - 0xc0U);
		}
		major = buf[off] >> 5;
		s.left = len - off;
		s.opened = 0;
		r = cbor_stream_decode(buf + off, len - off, &cb, &s);
		if (r.status == CBOR_DECODER_NEDATA) {
			return fail(d, ATTEST_ERR_MALFORMED,
				    "truncated: the item at byte %zu needs %zu bytes, %zu are left",
				    off, r.required, len - off);
		}
		if (r.status != CBOR_DECODER_FINISHED) {
			return fail(d, ATTEST_ERR_MALFORMED, "not CBOR at byte %zu (0x%02x)", off,
				    buf[off]);
		}
		if (s.error != NULL) {
			return fail(d, ATTEST_ERR_MALFORMED, "byte %zu: %s", off, s.error);
		}
		off += r.read;
		if (major == CBOR_TYPE_TAG) {
			continue; /* the tagged item follows */
		}
		if ((major == CBOR_TYPE_ARRAY || major == CBOR_TYPE_MAP) && s.opened > 0) {
			if (s.depth == MAX_DEPTH) {
				return fail(d, ATTEST_ERR_MALFORMED,
					    "byte %zu: nested deeper than %d", off, MAX_DEPTH);
			}
			s.pending[s.depth++] = s.opened;
			continue;
		}
		/* One item complete, and with it every container it completes. */
		while (s.depth > 0 && --s.pending[s.depth - 1] == 0) {
			s.depth--;
		}
		if (s.depth == 0) {
			break;
		}
	}
	if (off != len) {
		return fail(d, ATTEST_ERR_MALFORMED,
			    "%zu bytes after the end of the item at byte 0", len - off);
	}
	return ATTEST_OK;
}

/* Loads buf[len] as exactly one CBOR item, owned by the decoder. */
static enum attest_status load(struct decoder *d, const uint8_t *buf, size_t len, cbor_item_t **out)
{
	struct cbor_load_result r;
	enum attest_status st;
	*out = NULL;
	st = scan_input(d, buf, len);
	if (st != ATTEST_OK) {
		return st;
	}
	if (d->nitems == MAX_ITEMS) {
		return fail(d, ATTEST_ERR_INPUT, "too many nested items");
	}
	*out = cbor_load(buf, len, &r);
	if (*out == NULL) {
		return fail(
		    d, r.error.code == CBOR_ERR_MEMERROR ? ATTEST_ERR_CRYPTO : ATTEST_ERR_MALFORMED,
		    "libcbor cannot load it (error %d at byte %zu)", (int)r.error.code,
		    r.error.position);
	}
	d->items[d->nitems++] = *out;
	return ATTEST_OK;
}

/* --- typed reads -------------------------------------------------------------------------- */

/* The item a tag wraps, borrowed: it lives as long as the tag. */
static cbor_item_t *tagged_item(const cbor_item_t *tag)
{
	cbor_item_t *item = cbor_tag_item(tag), *ref = item;
	cbor_decref(&ref); /* cbor_tag_item took a reference for us; the tag keeps its own */
	return item;
}

static bool get_int(const cbor_item_t *it, int64_t *out)
{
	uint64_t v;
	if (!cbor_is_int(it)) {
		return false;
	}
	v = cbor_get_int(it);
	if (v > INT64_MAX) {
		return false;
	}
	*out = cbor_isa_uint(it) ? (int64_t)v : -1 - (int64_t)v;
	return true;
}

static bool get_bytes(const cbor_item_t *it, const uint8_t **p, size_t *n)
{
	if (!cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it)) {
		return false;
	}
	*p = cbor_bytestring_handle(it);
	*n = cbor_bytestring_length(it);
	return true;
}

static enum attest_status read_bytes(struct decoder *d, const cbor_item_t *it, uint8_t *dst,
				     size_t size)
{
	const uint8_t *p;
	size_t n;
	if (!get_bytes(it, &p, &n)) {
		return fail(d, ATTEST_ERR_FORMAT, "not a byte string");
	}
	if (n != size) {
		return fail(d, ATTEST_ERR_FORMAT, "%zu bytes, expected %zu", n, size);
	}
	memcpy(dst, p, n);
	return ATTEST_OK;
}

/* A hash-valued claim: 32, 48 or 64 bytes. */
static enum attest_status read_hash(struct decoder *d, const cbor_item_t *it, uint8_t *dst,
				    size_t *len)
{
	const uint8_t *p;
	size_t n;
	if (!get_bytes(it, &p, &n)) {
		return fail(d, ATTEST_ERR_FORMAT, "not a byte string");
	}
	if (!attest_hash_len_ok(n)) {
		return fail(d, ATTEST_ERR_FORMAT, "%zu bytes, expected 32, 48 or 64", n);
	}
	memcpy(dst, p, n);
	*len = n;
	return ATTEST_OK;
}

static enum attest_status read_text(struct decoder *d, const cbor_item_t *it,
				    char dst[ATTEST_TEXT_MAX])
{
	const unsigned char *p;
	size_t n;
	if (!cbor_isa_string(it) || !cbor_string_is_definite(it)) {
		return fail(d, ATTEST_ERR_FORMAT, "not a text string");
	}
	p = cbor_string_handle(it);
	n = cbor_string_length(it);
	if (n >= ATTEST_TEXT_MAX) {
		return fail(d, ATTEST_ERR_FORMAT, "%zu bytes of text, more than cca-sim reads (%d)",
			    n, ATTEST_TEXT_MAX - 1);
	}
	if (n > 0 && memchr(p, 0, n) != NULL) {
		return fail(d, ATTEST_ERR_FORMAT, "text holds a NUL character");
	}
	if (n > 0) {
		memcpy(dst, p, n);
	}
	dst[n] = 0;
	return ATTEST_OK;
}

static enum attest_status read_hash_algo(struct decoder *d, const cbor_item_t *it,
					 enum attest_hash *out)
{
	char name[ATTEST_TEXT_MAX];
	enum attest_status st = read_text(d, it, name);
	if (st == ATTEST_OK && !attest_hash_parse(name, strlen(name), out)) {
		return fail(
		    d, ATTEST_ERR_FORMAT,
		    "'%s' is not a hash algorithm cca-sim knows (sha-256, sha-384, sha-512)", name);
	}
	return st;
}

static enum attest_status read_profile(struct decoder *d, const cbor_item_t *it,
				       const char *expected)
{
	char text[ATTEST_TEXT_MAX];
	enum attest_status st = read_text(d, it, text);
	if (st == ATTEST_OK && strcmp(text, expected) != 0) {
		return fail(d, ATTEST_ERR_FORMAT, "'%s', expected '%s'", text, expected);
	}
	return st;
}

/* --- claim maps ----------------------------------------------------------------------------- */

typedef enum attest_status (*claim_reader)(struct decoder *d, const cbor_item_t *v, void *out);

struct claim_rule {
	int64_t label;
	const char *name;
	bool required;
	claim_reader read;
};

/*
 * Reads a claim map: every key a known label, none twice, every required one present; each
 * value goes to its rule's reader with `out`.
 */
static enum attest_status read_claims(struct decoder *d, const cbor_item_t *map,
				      const struct claim_rule *rules, size_t nrules, void *out)
{
	bool seen[16] = {false};
	struct cbor_pair *pairs;
	d->claim = NULL;
	if (nrules > sizeof(seen) / sizeof(seen[0])) {
		return fail(d, ATTEST_ERR_INPUT, "too many claim rules");
	}
	if (!cbor_isa_map(map) || !cbor_map_is_definite(map)) {
		return fail(d, ATTEST_ERR_FORMAT, "not a map");
	}
	pairs = cbor_map_handle(map);
	for (size_t i = 0; i < cbor_map_size(map); i++) {
		int64_t label;
		size_t r = 0;
		enum attest_status st;
		if (!get_int(pairs[i].key, &label)) {
			return fail(d, ATTEST_ERR_FORMAT, "a key that is not an integer label");
		}
		while (r < nrules && rules[r].label != label) {
			r++;
		}
		if (r == nrules) {
			return fail(d, ATTEST_ERR_FORMAT, "unknown key %lld", (long long)label);
		}
		d->claim = rules[r].name;
		if (seen[r]) {
			return fail(d, ATTEST_ERR_FORMAT, "appears twice");
		}
		seen[r] = true;
		st = rules[r].read(d, pairs[i].value, out);
		if (st != ATTEST_OK) {
			return st;
		}
		d->claim = NULL;
	}
	for (size_t r = 0; r < nrules; r++) {
		if (rules[r].required && !seen[r]) {
			return fail(d, ATTEST_ERR_FORMAT, "claim %lld (%s) is missing",
				    (long long)rules[r].label, rules[r].name);
		}
	}
	return ATTEST_OK;
}

/* Software components [S:A7.2.3.2.7]. */

static enum attest_status sw_type(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_text(d, v, ((struct attest_sw_component *)out)->type);
}

static enum attest_status sw_measurement(struct decoder *d, const cbor_item_t *v, void *out)
{
	struct attest_sw_component *sw = out;
	return read_hash(d, v, sw->measurement, &sw->measurement_len);
}

static enum attest_status sw_version(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_text(d, v, ((struct attest_sw_component *)out)->version);
}

static enum attest_status sw_signer(struct decoder *d, const cbor_item_t *v, void *out)
{
	struct attest_sw_component *sw = out;
	return read_hash(d, v, sw->signer_id, &sw->signer_id_len);
}

static enum attest_status sw_hash_algo(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_text(d, v, ((struct attest_sw_component *)out)->hash_algo);
}

static const struct claim_rule sw_rules[] = {
    {SW_TYPE, "component type", false, sw_type},
    {SW_MEASUREMENT, "measurement value", true, sw_measurement},
    {SW_VERSION, "version", false, sw_version},
    {SW_SIGNER_ID, "signer ID", true, sw_signer},
    {SW_HASH_ALGO, "hash algorithm", false, sw_hash_algo},
};

/* Platform claims [S:A7.2.3.2]. */

static enum attest_status p_profile(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_profile(d, v, ATTEST_PLATFORM_PROFILE);
}

static enum attest_status p_challenge(struct decoder *d, const cbor_item_t *v, void *out)
{
	struct attest_platform_claims *c = out;
	return read_hash(d, v, c->challenge, &c->challenge_len);
}

static enum attest_status p_impl(struct decoder *d, const cbor_item_t *v, void *out)
{
	struct attest_platform_claims *c = out;
	return read_bytes(d, v, c->implementation_id, sizeof(c->implementation_id));
}

static enum attest_status p_instance(struct decoder *d, const cbor_item_t *v, void *out)
{
	struct attest_platform_claims *c = out;
	enum attest_status st = read_bytes(d, v, c->instance_id, sizeof(c->instance_id));
	if (st == ATTEST_OK && c->instance_id[0] != 0x01) {
		return fail(d, ATTEST_ERR_FORMAT, "first byte 0x%02x, must be 0x01",
			    c->instance_id[0]);
	}
	return st;
}

static enum attest_status p_config(struct decoder *d, const cbor_item_t *v, void *out)
{
	struct attest_platform_claims *c = out;
	const uint8_t *p;
	size_t n;
	if (!get_bytes(v, &p, &n)) {
		return fail(d, ATTEST_ERR_FORMAT, "not a byte string");
	}
	if (n == 0 || n > sizeof(c->config)) {
		return fail(d, ATTEST_ERR_FORMAT, "%zu bytes, cca-sim reads 1 to %zu", n,
			    sizeof(c->config));
	}
	memcpy(c->config, p, n);
	c->config_len = n;
	return ATTEST_OK;
}

static enum attest_status p_lifecycle(struct decoder *d, const cbor_item_t *v, void *out)
{
	int64_t lc;
	if (!get_int(v, &lc) || lc < 0) {
		return fail(d, ATTEST_ERR_FORMAT, "not an unsigned integer");
	}
	if (attest_lifecycle_name((uint64_t)lc) == NULL) {
		return fail(d, ATTEST_ERR_FORMAT, "0x%llx is in no lifecycle state's range",
			    (unsigned long long)lc);
	}
	((struct attest_platform_claims *)out)->lifecycle = (uint16_t)lc;
	return ATTEST_OK;
}

static enum attest_status p_sw(struct decoder *d, const cbor_item_t *v, void *out)
{
	struct attest_platform_claims *c = out;
	const char *where = d->where;
	char at[48];
	size_t n;
	if (!cbor_isa_array(v) || !cbor_array_is_definite(v)) {
		return fail(d, ATTEST_ERR_FORMAT, "not an array");
	}
	n = cbor_array_size(v);
	if (n == 0 || n > ATTEST_SW_MAX) {
		return fail(d, ATTEST_ERR_FORMAT, "%zu components, cca-sim reads 1 to %d", n,
			    ATTEST_SW_MAX);
	}
	for (size_t i = 0; i < n; i++) {
		enum attest_status st;
		(void)snprintf(at, sizeof(at), "%s: software component %zu", where, i);
		d->where = at;
		st = read_claims(d, cbor_array_handle(v)[i], sw_rules,
				 sizeof(sw_rules) / sizeof(sw_rules[0]), &c->sw[i]);
		d->where = where;
		if (st != ATTEST_OK) {
			return st;
		}
	}
	c->sw_count = n;
	return ATTEST_OK;
}

static enum attest_status p_verifier(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_text(d, v, ((struct attest_platform_claims *)out)->verification_service);
}

static enum attest_status p_hash_algo(struct decoder *d, const cbor_item_t *v, void *out)
{
	struct attest_platform_claims *c = out;
	enum attest_status st = read_text(d, v, c->hash_algo);
	if (st == ATTEST_OK && c->hash_algo[0] == 0) {
		return fail(d, ATTEST_ERR_FORMAT, "empty");
	}
	return st;
}

static const struct claim_rule platform_rules[] = {
    {CLAIM_PROFILE, "profile", true, p_profile},
    {CLAIM_CHALLENGE, "challenge", true, p_challenge},
    {PLATFORM_IMPLEMENTATION_ID, "implementation ID", true, p_impl},
    {PLATFORM_INSTANCE_ID, "instance ID", true, p_instance},
    {PLATFORM_CONFIG, "config", true, p_config},
    {PLATFORM_LIFECYCLE, "lifecycle", true, p_lifecycle},
    {PLATFORM_SW_COMPONENTS, "software components", true, p_sw},
    {PLATFORM_VERIFICATION_SERVICE, "verification service", false, p_verifier},
    {PLATFORM_HASH_ALGO_ID, "hash algorithm ID", true, p_hash_algo},
};

/* Realm claims [S:A7.2.3.1]; `out` is the decoder, which knows where the token goes. */

static enum attest_status r_challenge(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_bytes(d, v, d->tok->realm.challenge, ATTEST_CHALLENGE_SIZE);
}

static enum attest_status r_profile(struct decoder *d, const cbor_item_t *v, void *out)
{
	d->tok->realm_profile = true;
	return read_profile(d, v, ATTEST_REALM_PROFILE);
}

static enum attest_status r_rpv(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_bytes(d, v, d->tok->realm.rpv, ATTEST_RPV_SIZE);
}

static enum attest_status r_rim(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_hash(d, v, d->tok->realm.rim, &d->rim_len);
}

static enum attest_status r_rems(struct decoder *d, const cbor_item_t *v, void *out)
{
	if (!cbor_isa_array(v) || !cbor_array_is_definite(v)) {
		return fail(d, ATTEST_ERR_FORMAT, "not an array");
	}
	if (cbor_array_size(v) != ATTEST_REM_COUNT) {
		return fail(d, ATTEST_ERR_FORMAT, "%zu measurements, expected %d",
			    cbor_array_size(v), ATTEST_REM_COUNT);
	}
	for (unsigned i = 0; i < ATTEST_REM_COUNT; i++) {
		enum attest_status st =
		    read_hash(d, cbor_array_handle(v)[i], d->tok->realm.rem[i], &d->rem_len[i]);
		if (st != ATTEST_OK) {
			return st;
		}
	}
	return ATTEST_OK;
}

static enum attest_status r_hash_algo(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_hash_algo(d, v, &d->tok->realm.hash_algo);
}

static enum attest_status r_pubkey_hash_algo(struct decoder *d, const cbor_item_t *v, void *out)
{
	return read_hash_algo(d, v, &d->tok->realm.pubkey_hash_algo);
}

/* COSE_Key labels and what cca-sim needs them to hold. */
static enum attest_status cose_key_coord(struct decoder *d, const cbor_item_t *v, uint8_t *dst)
{
	return read_bytes(d, v, dst, EC_COORD_SIZE);
}

static enum attest_status r_pubkey(struct decoder *d, const cbor_item_t *v, void *out)
{
	uint8_t x[EC_COORD_SIZE], y[EC_COORD_SIZE];
	bool have_x = false, have_y = false, have_kty = false, have_crv = false;
	cbor_item_t *key = NULL;
	struct cbor_pair *pairs;
	enum attest_status st;
	if (!get_bytes(v, &d->cose_key, &d->cose_key_len)) {
		return fail(d, ATTEST_ERR_FORMAT, "not a byte string");
	}
	if (d->cose_key_len == 0) {
		return fail(d, ATTEST_ERR_FORMAT, "empty, expected a COSE_Key");
	}
	if (d->cose_key_len == ATTEST_PUBKEY_SIZE && d->cose_key[0] == 0x04) {
		return fail(d, ATTEST_ERR_FORMAT, "a raw SEC1 point, expected a COSE_Key");
	}
	st = load(d, d->cose_key, d->cose_key_len, &key);
	if (st != ATTEST_OK) {
		return st;
	}
	if (!cbor_isa_map(key)) {
		return fail(d, ATTEST_ERR_FORMAT, "not a COSE_Key map");
	}
	pairs = cbor_map_handle(key);
	for (size_t i = 0; i < cbor_map_size(key); i++) {
		int64_t label, val;
		if (!get_int(pairs[i].key, &label)) {
			continue; /* text labels: none that cca-sim needs */
		}
		if (label == COSE_KEY_KTY) {
			if (!get_int(pairs[i].value, &val) || val != COSE_KTY_EC2) {
				return fail(d, ATTEST_ERR_FORMAT, "COSE_Key kty is not 2 (EC2)");
			}
			have_kty = true;
		} else if (label == COSE_KEY_CRV) {
			if (!get_int(pairs[i].value, &val) || val != COSE_CRV_P384) {
				return fail(d, ATTEST_ERR_FORMAT, "COSE_Key crv is not 2 (P-384)");
			}
			have_crv = true;
		} else if (label == COSE_KEY_X) {
			st = cose_key_coord(d, pairs[i].value, x);
			have_x = true;
		} else if (label == COSE_KEY_Y) {
			st = cose_key_coord(d, pairs[i].value, y);
			have_y = true;
		}
		if (st != ATTEST_OK) {
			return st;
		}
	}
	if (!have_kty || !have_crv || !have_x || !have_y) {
		return fail(d, ATTEST_ERR_FORMAT, "a COSE_Key without kty, crv, x and y");
	}
	if (pubkey_from_xy(x, y, &d->tok->realm.pubkey) != ATTEST_OK) {
		return fail(d, ATTEST_ERR_FORMAT, "not a point on P-384");
	}
	return ATTEST_OK;
}

static const struct claim_rule realm_rules[] = {
    {CLAIM_CHALLENGE, "challenge", true, r_challenge},
    {CLAIM_PROFILE, "profile", false, r_profile},
    {REALM_PERSONALIZATION_VALUE, "personalization value", true, r_rpv},
    {REALM_INITIAL_MEASUREMENT, "initial measurement", true, r_rim},
    {REALM_EXTENSIBLE_MEASUREMENT, "extensible measurements", true, r_rems},
    {REALM_HASH_ALGO_ID, "hash algorithm ID", true, r_hash_algo},
    {REALM_PUBLIC_KEY, "public key", true, r_pubkey},
    {REALM_PUBLIC_KEY_HASH_ALGO, "public key hash algorithm ID", true, r_pubkey_hash_algo},
};

/* Every measurement is as long as the algorithm the hash algorithm ID claim names. */
static enum attest_status check_measurement_sizes(struct decoder *d)
{
	enum attest_hash h = d->tok->realm.hash_algo;
	size_t want = attest_hash_size(h);
	d->claim = NULL;
	if (d->rim_len != want) {
		return fail(d, ATTEST_ERR_FORMAT, "the initial measurement is %zu bytes, %s is %zu",
			    d->rim_len, attest_hash_name(h), want);
	}
	for (unsigned i = 0; i < ATTEST_REM_COUNT; i++) {
		if (d->rem_len[i] != want) {
			return fail(d, ATTEST_ERR_FORMAT,
				    "extensible measurement %u is %zu bytes, %s is %zu", i,
				    d->rem_len[i], attest_hash_name(h), want);
		}
	}
	return ATTEST_OK;
}

/* --- COSE_Sign1 and the collection ------------------------------------------------------ */

static enum attest_status read_protected_header(struct decoder *d, const uint8_t *p, size_t n)
{
	cbor_item_t *hdr = NULL;
	struct cbor_pair *pairs;
	enum attest_status st = load(d, p, n, &hdr);
	if (st != ATTEST_OK) {
		return st;
	}
	if (!cbor_isa_map(hdr)) {
		return fail(d, ATTEST_ERR_FORMAT, "the protected header is not a map");
	}
	pairs = cbor_map_handle(hdr);
	for (size_t i = 0; i < cbor_map_size(hdr); i++) {
		int64_t label, alg;
		if (get_int(pairs[i].key, &label) && label == COSE_HEADER_ALG) {
			if (!get_int(pairs[i].value, &alg) || alg != COSE_ALG_ES384) {
				return fail(d, ATTEST_ERR_FORMAT,
					    "the algorithm is not -35 (ES384)");
			}
			return ATTEST_OK;
		}
	}
	return fail(d, ATTEST_ERR_FORMAT, "the protected header names no algorithm");
}

static enum attest_status read_sign1(struct decoder *d, const uint8_t *buf, size_t len,
				     struct sign1 *s)
{
	cbor_item_t *top = NULL, *arr = NULL;
	cbor_item_t **el;
	size_t n;
	enum attest_status st;
	if (len > 0 && buf[0] >= 0xc0 && buf[0] <= 0xd7 && buf[0] != COSE_SIGN1_HEAD) {
		return fail(d, ATTEST_ERR_FORMAT, "not a tagged COSE_Sign1 (tag 18) but tag %u",
			    buf[0] - 0xc0U);
	}
	if (len > 1 && buf[0] == COSE_SIGN1_HEAD) {
		st = load(d, buf + 1, len - 1, &arr);
		if (st != ATTEST_OK) {
			return st;
		}
	} else {
		st = load(d, buf, len, &top);
		if (st != ATTEST_OK) {
			return st;
		}
		if (!cbor_isa_tag(top) || cbor_tag_value(top) != TAG_COSE_SIGN1) {
			return fail(d, ATTEST_ERR_FORMAT, "not a tagged COSE_Sign1 (tag 18)");
		}
		arr = tagged_item(top);
	}
	if (!cbor_isa_array(arr) || cbor_array_size(arr) != 4) {
		return fail(d, ATTEST_ERR_FORMAT, "COSE_Sign1 is not an array of 4");
	}
	el = cbor_array_handle(arr);
	if (!get_bytes(el[0], &s->protected_hdr, &s->protected_len)) {
		return fail(d, ATTEST_ERR_FORMAT, "the protected header is not a byte string");
	}
	if (!cbor_isa_map(el[1])) {
		return fail(d, ATTEST_ERR_FORMAT, "the unprotected header is not a map");
	}
	if (!get_bytes(el[2], &s->payload, &s->payload_len) || s->payload_len == 0) {
		return fail(d, ATTEST_ERR_FORMAT, "no payload (a detached payload is not a token)");
	}
	if (!get_bytes(el[3], &s->signature, &n) || n != ATTEST_SIGNATURE_SIZE) {
		return fail(d, ATTEST_ERR_FORMAT, "the signature is not %d bytes (r || s)",
			    ATTEST_SIGNATURE_SIZE);
	}
	return read_protected_header(d, s->protected_hdr, s->protected_len);
}

/* One of the two tokens: its COSE_Sign1, then its claims. */
static enum attest_status read_token(struct decoder *d, const cbor_item_t *bstr, const char *name,
				     struct sign1 *s, const struct claim_rule *rules, size_t nrules,
				     void *out, size_t *token_len)
{
	const uint8_t *p;
	cbor_item_t *claims = NULL;
	enum attest_status st;
	d->where = name;
	d->claim = NULL;
	if (!get_bytes(bstr, &p, token_len)) {
		return fail(d, ATTEST_ERR_FORMAT, "not a byte string");
	}
	st = read_sign1(d, p, *token_len, s);
	if (st == ATTEST_OK) {
		st = load(d, s->payload, s->payload_len, &claims);
	}
	if (st == ATTEST_OK) {
		st = read_claims(d, claims, rules, nrules, out);
	}
	return st;
}

static enum attest_status read_collection(struct decoder *d, const uint8_t *buf, size_t len)
{
	const cbor_item_t *ptok = NULL, *rtok = NULL;
	cbor_item_t *top = NULL, *map;
	struct cbor_pair *pairs;
	enum attest_status st;
	d->where = "token";
	if (buf[0] >> 5 != CBOR_TYPE_TAG) {
		return fail(d, ATTEST_ERR_FORMAT,
			    "does not begin with a CBOR tag, as a CCA token (tag %d) does",
			    TAG_CCA_TOKEN);
	}
	st = load(d, buf, len, &top);
	if (st != ATTEST_OK) {
		return st;
	}
	if (!cbor_isa_tag(top)) {
		return fail(d, ATTEST_ERR_FORMAT, "not tagged: expected tag %d (CCA token)",
			    TAG_CCA_TOKEN);
	}
	if (cbor_tag_value(top) != TAG_CCA_TOKEN) {
		return fail(d, ATTEST_ERR_FORMAT, "tag %llu, expected %d (CCA token)",
			    (unsigned long long)cbor_tag_value(top), TAG_CCA_TOKEN);
	}
	map = tagged_item(top);
	if (!cbor_isa_map(map)) {
		return fail(d, ATTEST_ERR_FORMAT, "the collection is not a map");
	}
	pairs = cbor_map_handle(map);
	for (size_t i = 0; i < cbor_map_size(map); i++) {
		int64_t label = 0;
		const cbor_item_t **slot = NULL;
		if (get_int(pairs[i].key, &label) && label == CCA_PLATFORM_TOKEN) {
			slot = &ptok;
		} else if (get_int(pairs[i].key, &label) && label == CCA_REALM_DELEGATED) {
			slot = &rtok;
		}
		if (slot == NULL) {
			return fail(d, ATTEST_ERR_FORMAT, "the collection holds an unknown key");
		}
		if (*slot != NULL) {
			return fail(d, ATTEST_ERR_FORMAT, "key %lld appears twice",
				    (long long)label);
		}
		*slot = pairs[i].value;
	}
	if (ptok == NULL || rtok == NULL) {
		return fail(d, ATTEST_ERR_FORMAT, "the collection lacks the %s token (key %d)",
			    ptok == NULL ? "platform" : "realm",
			    ptok == NULL ? CCA_PLATFORM_TOKEN : CCA_REALM_DELEGATED);
	}
	st = read_token(d, ptok, "platform token", &d->platform, platform_rules,
			sizeof(platform_rules) / sizeof(platform_rules[0]), &d->tok->platform,
			&d->tok->platform_token_len);
	if (st == ATTEST_OK) {
		st = read_token(d, rtok, "realm token", &d->realm, realm_rules,
				sizeof(realm_rules) / sizeof(realm_rules[0]), NULL,
				&d->tok->realm_token_len);
	}
	if (st == ATTEST_OK) {
		st = check_measurement_sizes(d);
	}
	return st;
}

static void verdict_init(struct attest_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->status = ATTEST_OK;
	v->platform_signature = ATTEST_UNCHECKED;
	v->binding = ATTEST_UNCHECKED;
	v->realm_signature = ATTEST_UNCHECKED;
}

static void decoder_free(struct decoder *d)
{
	for (unsigned i = 0; i < d->nitems; i++) {
		cbor_decref(&d->items[i]);
	}
	d->nitems = 0;
}

static enum attest_status decode(struct decoder *d, const uint8_t *buf, size_t len,
				 struct attest_token *out, struct attest_verdict *v)
{
	memset(d, 0, sizeof(*d));
	memset(out, 0, sizeof(*out));
	verdict_init(v);
	d->v = v;
	d->tok = out;
	d->where = "token";
	if (buf == NULL || len == 0) {
		return fail(d, ATTEST_ERR_MALFORMED, "empty");
	}
	return read_collection(d, buf, len);
}

enum attest_status attest_token_decode(const uint8_t *buf, size_t len, struct attest_token *out,
				       struct attest_verdict *verdict)
{
	struct decoder d;
	enum attest_status st = decode(&d, buf, len, out, verdict);
	decoder_free(&d);
	return st;
}

/* The signature of one token, over its Sig_structure. */
static enum attest_status check_signature(const struct sign1 *s, const struct attest_pubkey *k)
{
	size_t cap = s->protected_len + s->payload_len + 32;
	uint8_t *tbs = malloc(cap);
	struct cw w;
	enum attest_status st;
	if (tbs == NULL) {
		return ATTEST_ERR_CRYPTO;
	}
	cw_init(&w, tbs, cap);
	cose_sig_structure(&w, s->protected_hdr, s->protected_len, s->payload, s->payload_len);
	st = w.full ? ATTEST_ERR_SPACE : es384_verify(k, tbs, w.len, s->signature);
	free(tbs);
	return st;
}

static enum attest_status check_binding(const struct decoder *d)
{
	const struct attest_token *t = d->tok;
	uint8_t h[ATTEST_HASH_MAX];
	enum attest_status st =
	    attest_hash_compute(t->realm.pubkey_hash_algo, d->cose_key, d->cose_key_len, h);
	if (st != ATTEST_OK) {
		return st;
	}
	return t->platform.challenge_len == attest_hash_size(t->realm.pubkey_hash_algo) &&
		       memcmp(h, t->platform.challenge, t->platform.challenge_len) == 0
		   ? ATTEST_OK
		   : ATTEST_ERR_BINDING;
}

enum attest_status attest_token_verify(const uint8_t *buf, size_t len,
				       const struct attest_pubkey *cpak, struct attest_token *out,
				       struct attest_verdict *v)
{
	struct decoder d;
	enum attest_status st = decode(&d, buf, len, out, v);
	d.where = "token";
	if (st == ATTEST_OK && cpak == NULL) {
		st = fail(&d, ATTEST_ERR_INPUT, "no platform key to verify with");
	}
	if (st == ATTEST_OK) {
		/* All three checks run, so that one report shows every broken link. */
		v->platform_signature = check_signature(&d.platform, cpak);
		v->binding = check_binding(&d);
		v->realm_signature = check_signature(&d.realm, &out->realm.pubkey);
		d.claim = NULL;
		if (v->platform_signature != ATTEST_OK) {
			d.where = "platform token";
			st = fail(&d, v->platform_signature,
				  "the signature does not verify with the platform key (CPAK)");
		} else if (v->binding != ATTEST_OK) {
			d.where = "binding";
			st = fail(&d, v->binding,
				  "the platform challenge is not the %s of the realm public key",
				  attest_hash_name(out->realm.pubkey_hash_algo));
		} else if (v->realm_signature != ATTEST_OK) {
			d.where = "realm token";
			st = fail(&d, v->realm_signature,
				  "the signature does not verify with the realm public key (RAK)");
		}
	}
	decoder_free(&d);
	return st;
}
