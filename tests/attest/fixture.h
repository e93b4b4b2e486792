/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fixed inputs of the attestation tests, shared by the CMocka tests and by write_token,
 * whose token the independent Python verifier checks against the same values
 * (tests/attest/CMakeLists.txt passes them to verify_token.py).
 */
#ifndef CCA_TEST_ATTEST_FIXTURE_H
#define CCA_TEST_ATTEST_FIXTURE_H

#include "attest/attest.h"

#define FIXTURE_SEED   "fixture seed"
#define FIXTURE_VMID   1
#define FIXTURE_CONFIG "cca-sim test machine"

/* challenge[i] = i, rpv[i] = 0x40 + i, RIM 32 x 0xa1, REM k 32 x (0xb0 + k), SHA-256 for both
 * the measurements and the RAK hash. */
void fixture_realm(struct attest_realm_claims *c);
/* The CPAK and RAK of FIXTURE_SEED (the RAK of FIXTURE_VMID), and the simulated platform's
 * claims for that CPAK with FIXTURE_CONFIG; any NULL is skipped. Fails the test on error. */
void fixture_keys(struct attest_key *cpak, struct attest_key *rak);
void fixture_platform(const struct attest_key *cpak, struct attest_platform_claims *p);

#endif
