/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `cca-sim keys`: the simulated platform's attestation public keys as PEM;
 * `cca-sim token FILE`: decodes a CCA attestation token, prints its claims and checks the
 * chain CPAK -> platform token -> binding -> RAK -> Realm token (docs/attestation.md).
 */
#include "attest/attest.h"
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_FILE_MAX ((size_t)1 << 20) /* far above any token; bounds what is read */
#define PEM_FILE_MAX   ((size_t)1 << 16)
#define HEX_PER_LINE   32 /* bytes of a hex value per output line */
#define LABEL_WIDTH    26

/* Where the platform key comes from: a seed (the default one unless given) or a PEM file. */
struct key_source {
	const char *seed;
	const char *pem_file;
};

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "cca-sim %s: error: ", cmd);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return CCA_EXIT_INPUT;
}

/* Reads a whole file of at most `max` bytes; NULL with a message on stderr otherwise. */
static uint8_t *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;
	if (f == NULL) {
		fprintf(stderr, "%s: error: cannot open: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(max + 1);
	if (buf == NULL) {
		fclose(f);
		fprintf(stderr, "%s: error: out of memory\n", path);
		return NULL;
	}
	n = fread(buf, 1, max + 1, f);
	if (ferror(f) || n > max) {
		fprintf(stderr, "%s: error: %s\n", path,
			ferror(f) ? "cannot read" : "larger than any attestation token");
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* The CPAK's public key, from the source; 0, or CCA_EXIT_INPUT with a message. */
static int platform_key(const struct key_source *src, struct attest_pubkey *out)
{
	struct attest_key k;
	if (src->pem_file != NULL) {
		size_t len = 0;
		uint8_t *pem = read_file(src->pem_file, PEM_FILE_MAX, &len);
		enum attest_status st;
		if (pem == NULL) {
			return CCA_EXIT_INPUT;
		}
		st = attest_pubkey_from_pem((const char *)pem, len, out);
		free(pem);
		if (st != ATTEST_OK) {
			fprintf(stderr, "%s: error: not a P-384 public key in PEM\n",
				src->pem_file);
			return CCA_EXIT_INPUT;
		}
		return 0;
	}
	if (attest_cpak_derive(src->seed, strlen(src->seed), &k) != ATTEST_OK) {
		fprintf(stderr, "cca-sim: error: cannot derive the platform key\n");
		return CCA_EXIT_SYSTEM;
	}
	*out = k.pub;
	return 0;
}

static int print_pem(const struct attest_pubkey *k)
{
	char pem[ATTEST_PEM_MAX];
	if (attest_pubkey_pem(k, pem, sizeof(pem)) != ATTEST_OK) {
		fprintf(stderr, "cca-sim keys: error: cannot write the key as PEM\n");
		return CCA_EXIT_SYSTEM;
	}
	fputs(pem, stdout);
	return CCA_EXIT_OK;
}

static bool parse_vmid(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (s[0] == '\0' || s[0] == '-') {
		return false;
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > 0xffff) { /* a VMID is 16 bits [S:A2.1.3] */
		return false;
	}
	*out = v;
	return true;
}

int cli_keys(int argc, char **argv)
{
	const char *seed = ATTEST_DEFAULT_SEED, *realm = NULL;
	struct attest_key k;
	uint64_t vmid = 0;
	enum attest_status st;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			return cli_usage(stdout, CCA_EXIT_OK);
		}
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			seed = argv[++i];
		} else if (strcmp(argv[i], "--realm") == 0 && i + 1 < argc) {
			realm = argv[++i];
		} else {
			return usage_error("keys", "unexpected argument '%s'", argv[i]);
		}
	}
	if (realm != NULL && !parse_vmid(realm, &vmid)) {
		return usage_error("keys", "--realm wants a VMID, 0 to 65535, not '%s'", realm);
	}
	st = realm != NULL ? attest_rak_derive(seed, strlen(seed), vmid, &k)
			   : attest_cpak_derive(seed, strlen(seed), &k);
	if (st != ATTEST_OK) {
		fprintf(stderr, "cca-sim keys: error: %s\n", attest_status_name(st));
		return CCA_EXIT_SYSTEM;
	}
	return print_pem(&k.pub);
}

static void label(const char *name)
{
	printf("  %-*s", LABEL_WIDTH, name);
}

/* Hex, HEX_PER_LINE bytes a line, continuation lines under the first. */
static void hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && i % HEX_PER_LINE == 0) {
			printf("\n  %-*s", LABEL_WIDTH, "");
		}
		printf("%02x", p[i]);
	}
	putchar('\n');
}

static void hex_claim(const char *name, const uint8_t *p, size_t n)
{
	label(name);
	hex(p, n);
}

static void text_claim(const char *name, const char *text)
{
	label(name);
	printf("%s\n", text[0] != 0 ? text : "(absent)");
}

static bool printable(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isprint(p[i])) {
			return false;
		}
	}
	return n > 0;
}

static void print_platform(const struct attest_token *t)
{
	const struct attest_platform_claims *c = &t->platform;
	printf("platform token (COSE_Sign1, ES384, %zu bytes)\n", t->platform_token_len);
	text_claim("profile", ATTEST_PLATFORM_PROFILE);
	hex_claim("challenge", c->challenge, c->challenge_len);
	hex_claim("implementation ID", c->implementation_id, sizeof(c->implementation_id));
	hex_claim("instance ID", c->instance_id, sizeof(c->instance_id));
	label("config");
	if (printable(c->config, c->config_len)) {
		printf("\"%.*s\"\n", (int)c->config_len, (const char *)c->config);
	} else {
		hex(c->config, c->config_len);
	}
	label("lifecycle");
	printf("0x%04x (%s)\n", c->lifecycle, attest_lifecycle_name(c->lifecycle));
	for (size_t i = 0; i < c->sw_count; i++) {
		const struct attest_sw_component *sw = &c->sw[i];
		char name[48];
		(void)snprintf(name, sizeof(name), "software component %zu", i);
		label(name);
		printf("%s, version %s, %s\n", sw->type[0] ? sw->type : "(no type)",
		       sw->version[0] ? sw->version : "(none)",
		       sw->hash_algo[0] ? sw->hash_algo : "(default hash)");
		hex_claim("  measurement", sw->measurement, sw->measurement_len);
		hex_claim("  signer ID", sw->signer_id, sw->signer_id_len);
	}
	text_claim("verification service", c->verification_service);
	text_claim("hash algorithm ID", c->hash_algo);
}

static void print_realm(const struct attest_token *t)
{
	const struct attest_realm_claims *c = &t->realm;
	size_t m = attest_hash_size(c->hash_algo);
	printf("realm token (COSE_Sign1, ES384, %zu bytes)\n", t->realm_token_len);
	text_claim("profile", t->realm_profile ? ATTEST_REALM_PROFILE : "");
	hex_claim("challenge", c->challenge, sizeof(c->challenge));
	hex_claim("personalization value", c->rpv, sizeof(c->rpv));
	hex_claim("initial measurement", c->rim, m);
	for (unsigned i = 0; i < ATTEST_REM_COUNT; i++) {
		char name[48];
		(void)snprintf(name, sizeof(name), "extensible measurement %u", i);
		hex_claim(name, c->rem[i], m);
	}
	text_claim("hash algorithm ID", attest_hash_name(c->hash_algo));
	text_claim("public key (RAK)", "COSE_Key, EC2, P-384");
	hex_claim("  x", c->pubkey.point + 1, 48);
	hex_claim("  y", c->pubkey.point + 49, 48);
	text_claim("public key hash algorithm", attest_hash_name(c->pubkey_hash_algo));
}

static void check_line(const char *name, enum attest_status st, const char *what)
{
	label(name);
	if (st == ATTEST_OK) {
		printf("ok: %s\n", what);
	} else {
		printf("FAILED: %s\n", attest_status_name(st));
	}
}

static void print_chain(const struct attest_token *t, const struct attest_verdict *v,
			const struct key_source *src)
{
	char what[160];
	printf("chain\n");
	if (src->pem_file != NULL) {
		(void)snprintf(what, sizeof(what), "verifies with the CPAK in %s", src->pem_file);
	} else {
		(void)snprintf(what, sizeof(what), "verifies with the CPAK of seed \"%s\"",
			       src->seed);
	}
	check_line("platform signature", v->platform_signature, what);
	(void)snprintf(what, sizeof(what), "platform challenge = %s(realm public key)",
		       attest_hash_name(t->realm.pubkey_hash_algo));
	check_line("binding", v->binding, what);
	check_line("realm signature", v->realm_signature,
		   "verifies with the realm public key (RAK)");
}

int cli_token(int argc, char **argv)
{
	struct key_source src = {ATTEST_DEFAULT_SEED, NULL};
	const char *file = NULL;
	bool seed_given = false;
	struct attest_pubkey cpak;
	static struct attest_token t;
	struct attest_verdict v;
	uint8_t *buf;
	size_t len = 0;
	enum attest_status st;
	int rc;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			return cli_usage(stdout, CCA_EXIT_OK);
		}
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
			src.seed = argv[++i];
			seed_given = true;
		} else if (strcmp(argv[i], "--cpak") == 0 && i + 1 < argc) {
			src.pem_file = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return usage_error("token", "unexpected argument '%s'", argv[i]);
		} else if (file == NULL) {
			file = argv[i];
		} else {
			return usage_error("token", "one token FILE at a time, not also '%s'",
					   argv[i]);
		}
	}
	if (file == NULL) {
		return usage_error("token", "%s", "which token FILE?");
	}
	if (seed_given && src.pem_file != NULL) {
		return usage_error("token", "%s", "--seed and --cpak both name the platform key");
	}
	rc = platform_key(&src, &cpak);
	if (rc != 0) {
		return rc;
	}
	buf = read_file(file, TOKEN_FILE_MAX, &len);
	if (buf == NULL) {
		return CCA_EXIT_INPUT;
	}
	st = attest_token_verify(buf, len, &cpak, &t, &v);
	free(buf);
	if (st != ATTEST_OK && st != ATTEST_ERR_SIGNATURE && st != ATTEST_ERR_BINDING) {
		fprintf(stderr, "%s: error: %s\n", file, v.message);
		return CCA_EXIT_INPUT;
	}
	printf("%s: CCA attestation token, %zu bytes\n", file, len);
	print_platform(&t);
	print_realm(&t);
	print_chain(&t, &v, &src);
	if (st != ATTEST_OK) {
		fprintf(stderr, "%s: error: not verified: %s\n", file, v.message);
		return CCA_EXIT_EXPECT;
	}
	printf("%s: verified\n", file);
	return CCA_EXIT_OK;
}
