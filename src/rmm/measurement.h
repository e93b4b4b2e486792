/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Realm Initial and Extensible Measurements [S:A7.1]. */
#ifndef CCA_RMM_MEASUREMENT_H
#define CCA_RMM_MEASUREMENT_H

#include "rmm_private.h"

/* Digest size of the realm's hash algorithm in bytes (32 or 64). */
size_t measurement_size(uint64_t hash_algo);
void measurement_hash(uint64_t hash_algo, const void *buf, size_t len,
		      uint8_t out[MEASUREMENT_MAX_SIZE]);
/* RimInit from the realm parameters (a 4 KB RmiRealmParams image of the measured
 * attributes). */
void rim_init(struct rd *rd, const uint8_t *params);
void rim_extend_data(struct rd *rd, uint64_t ipa, uint64_t flags, const uint8_t *data);
void rim_extend_rec(struct rd *rd, const uint8_t *rec_params);
void rim_extend_ripas(struct rd *rd, uint64_t base, uint64_t top);
/* RemExtend: new = H(old digest || value[0..size)). */
void rem_extend(struct rd *rd, unsigned index, const uint8_t *value, size_t size);

#endif
