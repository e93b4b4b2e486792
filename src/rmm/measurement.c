/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RIM and REM computation with mbedtls (SHA-256 / SHA-512). Each RIM extension hashes a
 * 256-byte measurement descriptor holding the current RIM [S:A7.1, B4.3.1.4].
 */
#include "measurement.h"

#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <string.h>

#define DESC_SIZE     0x100
#define DESC_TYPE_OFF 0x00
#define DESC_LEN_OFF  0x08
#define DESC_RIM_OFF  0x10

size_t measurement_size(uint64_t hash_algo)
{
	return hash_algo == RMI_HASH_SHA_512 ? 64 : 32;
}

void measurement_hash(uint64_t hash_algo, const void *buf, size_t len,
		      uint8_t out[MEASUREMENT_MAX_SIZE])
{
	memset(out, 0, MEASUREMENT_MAX_SIZE);
	if (hash_algo == RMI_HASH_SHA_512) {
		mbedtls_sha512_ret(buf, len, out, 0);
	} else {
		mbedtls_sha256_ret(buf, len, out, 0);
	}
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v)); /* the RMM's data is little-endian, as is the host */
}

static void rim_extend_desc(struct rd *rd, uint8_t *desc, uint64_t type)
{
	put64(desc + DESC_TYPE_OFF, type);
	put64(desc + DESC_LEN_OFF, DESC_SIZE);
	memcpy(desc + DESC_RIM_OFF, rd->measurements[0], MEASUREMENT_MAX_SIZE);
	measurement_hash(rd->hash_algo, desc, DESC_SIZE, rd->measurements[0]);
}

void rim_init(struct rd *rd, const uint8_t *params)
{
	static const size_t fields[] = {REALM_PARAMS_FLAGS,    REALM_PARAMS_S2SZ,
					REALM_PARAMS_SVE_VL,   REALM_PARAMS_NUM_BPS,
					REALM_PARAMS_NUM_WPS,  REALM_PARAMS_PMU_NUM_CTRS,
					REALM_PARAMS_HASH_ALGO};
	uint8_t img[GRANULE_SIZE] = {0};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		memcpy(img + fields[i], params + fields[i], 8);
	}
	measurement_hash(rd->hash_algo, img, sizeof(img), rd->measurements[0]);
}

void rim_extend_data(struct rd *rd, uint64_t ipa, uint64_t flags, const uint8_t *data)
{
	uint8_t desc[DESC_SIZE] = {0};
	put64(desc + 0x50, ipa);
	put64(desc + 0x58, flags);
	if (flags & RMI_MEASURE_CONTENT) {
		measurement_hash(rd->hash_algo, data, GRANULE_SIZE, desc + 0x60);
	}
	rim_extend_desc(rd, desc, 0);
}

void rim_extend_rec(struct rd *rd, const uint8_t *rec_params)
{
	uint8_t img[GRANULE_SIZE] = {0};
	uint8_t desc[DESC_SIZE] = {0};
	memcpy(img + REC_PARAMS_FLAGS, rec_params + REC_PARAMS_FLAGS, 8);
	memcpy(img + REC_PARAMS_PC, rec_params + REC_PARAMS_PC, 8);
	memcpy(img + REC_PARAMS_GPRS, rec_params + REC_PARAMS_GPRS, 8 * sizeof(uint64_t));
	measurement_hash(rd->hash_algo, img, sizeof(img), desc + 0x50);
	rim_extend_desc(rd, desc, 1);
}

void rim_extend_ripas(struct rd *rd, uint64_t base, uint64_t top)
{
	uint8_t desc[DESC_SIZE] = {0};
	put64(desc + 0x50, base);
	put64(desc + 0x58, top);
	rim_extend_desc(rd, desc, 2);
}

void rem_extend(struct rd *rd, unsigned index, const uint8_t *value, size_t size)
{
	uint8_t buf[2 * MEASUREMENT_MAX_SIZE];
	size_t n = measurement_size(rd->hash_algo);
	memcpy(buf, rd->measurements[index], n);
	memcpy(buf + n, value, size);
	measurement_hash(rd->hash_algo, buf, n + size, rd->measurements[index]);
}
