/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SDK's attestation example (docs/attestation.md): REC 0 records what it is about to run
 * in REM0, asks for its CCA attestation token with the relying party's challenge, fetches the
 * token in chunks of CHUNK bytes into a buffer, and hands it to the host over the console: a
 * line with its size, then its bytes in hex, 32 to a line. The host (or a test reading
 * `--console`) then holds exactly the bytes the realm holds, for a verifier.
 */
#include "cca_realm.h"

#define CHUNK      256U
#define GRANULE    4096U
#define TOKEN_MAX  (2U * GRANULE)
#define LINE_BYTES 32U

/* Granule-aligned: each CONTINUE names one granule of it, and an offset within. */
static uint8_t token[TOKEN_MAX] __attribute__((aligned(GRANULE)));

/* What REM0 records: the name and version of the workload this realm is about to run. */
static const char workload[] = "cca-sim attest example v1";

/* Fetches the token that TOKEN_INIT started, CHUNK bytes at a time; returns its size, or 0. */
static uint64_t fetch_token(unsigned *chunks)
{
	uint64_t total = 0, len = 0, ret;
	*chunks = 0;
	do {
		uint64_t offset = total % GRANULE, size = GRANULE - offset;
		if (size > CHUNK) {
			size = CHUNK;
		}
		ret = cca_rsi_attestation_token_continue(token + (total - offset), offset, size,
							 &len);
		if (ret != RSI_SUCCESS && ret != RSI_INCOMPLETE) {
			cca_printf("RSI_ATTESTATION_TOKEN_CONTINUE failed: %llu\n",
				   (unsigned long long)ret);
			return 0;
		}
		total += len;
		(*chunks)++;
	} while (ret == RSI_INCOMPLETE && total + CHUNK <= TOKEN_MAX);
	return ret == RSI_SUCCESS ? total : 0;
}

static void hand_to_host(uint64_t size)
{
	static const char digits[] = "0123456789abcdef";
	char line[2 * LINE_BYTES + 1];
	for (uint64_t at = 0; at < size; at += LINE_BYTES) {
		unsigned n = 0;
		for (uint64_t i = at; i < size && i < at + LINE_BYTES; i++) {
			line[n++] = digits[token[i] >> 4];
			line[n++] = digits[token[i] & 0xf];
		}
		line[n] = '\0';
		cca_printf("token %04llx: %s\n", (unsigned long long)at, line);
	}
}

int main(void)
{
	uint8_t challenge[64];
	uint64_t max_size = 0;
	unsigned chunks;

	/* A relying party's nonce would come over the network; a fixed one keeps runs equal. */
	for (unsigned i = 0; i < sizeof(challenge); i++) {
		challenge[i] = (uint8_t)(0xa0 + i);
	}
	if (cca_rsi_measurement_extend(1, workload, sizeof(workload) - 1) != RSI_SUCCESS) {
		cca_printf("RSI_MEASUREMENT_EXTEND failed\n");
		return 1;
	}
	if (cca_rsi_attestation_token_init(challenge, &max_size) != RSI_SUCCESS) {
		cca_printf("RSI_ATTESTATION_TOKEN_INIT failed\n");
		return 1;
	}
	uint64_t size = fetch_token(&chunks);
	if (!size) {
		return 1;
	}
	cca_printf("token: %llu bytes in %u chunks (at most %llu)\n", (unsigned long long)size,
		   chunks, (unsigned long long)max_size);
	hand_to_host(size);
	return 0;
}
