/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PAS-tagged accessors: how C code running in a world (the monitor in Root, the RMM in Realm
 * or NS) touches physical memory. Like a PE, it is checked before any byte moves, granule by
 * granule, so a denied access has no partial effect.
 *
 * A range that passes the granule protection check but is not (all) RAM - e.g. an NS access
 * above PPS, or a hole covered by a GPI_ANY block - fails as the memory system would fail it:
 * an external abort on the access itself, reported as GPT_FAULT_EABT with level -1 (levels 0
 * and 1 mean an abort on a GPT descriptor fetch, which the tables in RAM never take).
 */
#include "gpt/gpt_private.h"

#include "abi/abi.h"

#include <string.h>

#define ACCESS_LEVEL_NOT_RAM (-1)

static void report(struct gpt_result *fault, struct gpt_result r)
{
	if (fault) {
		*fault = r;
	}
}

/* Whether every granule of [pa, pa + len) passes the check for pas (the result reported). */
static bool range_permitted(struct gpt *g, enum gpt_pas pas, uint64_t pa, size_t len,
			    struct gpt_result *fault)
{
	uint64_t last = pa + len - 1;
	struct gpt_result r = {GPT_OK, 0, GPI_ANY};

	if (last < pa) {
		r.fault = GPT_FAULT_EABT; /* wraps the address space */
		r.level = ACCESS_LEVEL_NOT_RAM;
		report(fault, r);
		return false;
	}
	for (uint64_t a = pa & ~GRANULE_MASK; a <= last; a += GRANULE_SIZE) {
		r = gpt_check(g, a, pas);
		if (r.fault != GPT_OK) {
			report(fault, r);
			return false;
		}
		if (a + GRANULE_SIZE < a) {
			break;
		}
	}
	report(fault, r);
	return true;
}

/* A permitted range that is not (all) RAM: an external abort on the access itself (the GPI
 * reported stays the check's). */
static int not_ram(struct gpt_result *fault)
{
	if (fault) {
		fault->fault = GPT_FAULT_EABT;
		fault->level = ACCESS_LEVEL_NOT_RAM;
	}
	return -1;
}

int gpt_read(struct gpt *g, enum gpt_pas pas, uint64_t pa, void *buf, size_t len,
	     struct gpt_result *fault)
{
	if (len == 0) {
		report(fault, (struct gpt_result){GPT_OK, 0, GPI_ANY});
		return 0;
	}
	if (!range_permitted(g, pas, pa, len, fault)) {
		return -1;
	}
	const uint8_t *p = cpu_phys_read(g->m, pa, len);
	if (!p) {
		return not_ram(fault);
	}
	memcpy(buf, p, len);
	return 0;
}

/* Zeros over memory nothing has written change nothing: the write is left out, so that its
 * pages stay unallocated (a fresh machine's RMM carve-out, the wipe of a granule nothing used).
 * `buf` NULL: zeros. */
static bool zeros_over_zeros(const struct gpt *g, uint64_t pa, const void *buf, size_t len)
{
	if (!cpu_phys_never_written(g->m, pa, len)) {
		return false;
	}
	static const uint8_t zero[GRANULE_SIZE];
	const uint8_t *b = buf;
	for (size_t off = 0; b && off < len; off += sizeof(zero)) {
		size_t n = len - off < sizeof(zero) ? len - off : sizeof(zero);
		if (memcmp(b + off, zero, n) != 0) {
			return false;
		}
	}
	return true;
}

/* A write of `buf` (NULL: zeros) once every granule passed the check. */
static int checked_write(struct gpt *g, enum gpt_pas pas, uint64_t pa, const void *buf, size_t len,
			 struct gpt_result *fault)
{
	if (len == 0) {
		report(fault, (struct gpt_result){GPT_OK, 0, GPI_ANY});
		return 0;
	}
	if (!range_permitted(g, pas, pa, len, fault)) {
		return -1;
	}
	if (zeros_over_zeros(g, pa, buf, len)) {
		return 0;
	}
	uint8_t *p = cpu_phys(g->m, pa, len);
	if (!p) {
		return not_ram(fault);
	}
	if (buf) {
		memcpy(p, buf, len);
	} else {
		memset(p, 0, len);
	}
	return 0;
}

int gpt_write(struct gpt *g, enum gpt_pas pas, uint64_t pa, const void *buf, size_t len,
	      struct gpt_result *fault)
{
	return checked_write(g, pas, pa, buf, len, fault);
}

int gpt_zero(struct gpt *g, enum gpt_pas pas, uint64_t pa, size_t len, struct gpt_result *fault)
{
	return checked_write(g, pas, pa, NULL, len, fault);
}
