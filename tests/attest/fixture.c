/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The attestation tests' fixed inputs (fixture.h). */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(enum attest_status st, const char *what)
{
	if (st != ATTEST_OK) {
		fprintf(stderr, "fixture: %s: %s\n", what, attest_status_name(st));
		exit(1);
	}
}

void fixture_realm(struct attest_realm_claims *c)
{
	memset(c, 0, sizeof(*c));
	for (unsigned i = 0; i < ATTEST_CHALLENGE_SIZE; i++) {
		c->challenge[i] = (uint8_t)i;
		c->rpv[i] = (uint8_t)(0x40 + i);
	}
	c->hash_algo = ATTEST_HASH_SHA256;
	memset(c->rim, 0xa1, 32);
	for (unsigned k = 0; k < ATTEST_REM_COUNT; k++) {
		memset(c->rem[k], (int)(0xb0 + k), 32);
	}
	c->pubkey_hash_algo = ATTEST_HASH_SHA256;
}

void fixture_keys(struct attest_key *cpak, struct attest_key *rak)
{
	if (cpak != NULL) {
		check(attest_cpak_derive(FIXTURE_SEED, strlen(FIXTURE_SEED), cpak), "CPAK");
	}
	if (rak != NULL) {
		check(attest_rak_derive(FIXTURE_SEED, strlen(FIXTURE_SEED), FIXTURE_VMID, rak),
		      "RAK");
	}
}

void fixture_platform(const struct attest_key *cpak, struct attest_platform_claims *p)
{
	check(attest_platform_sim_claims(&cpak->pub, (const uint8_t *)FIXTURE_CONFIG,
					 strlen(FIXTURE_CONFIG), p),
	      "platform claims");
}
