/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/gpt: the Granule Protection Table (Arm ARM D9), kept in Root-PAS
 * memory in the architectural format: GPCCR_EL3/GPTBR_EL3 values, level-0 block and table
 * descriptors, level-1 GPI descriptors of 16 granules each. It answers the granule protection
 * check for any (PA, PAS), performs the NS <-> Realm transitions the way TF-A's gpt_rme library
 * does, derives from the table the per-world access views that src/cpu enforces, and provides
 * the PAS-tagged accessors through which C code in a world (monitor: Root; RMM: Realm and NS)
 * touches physical memory.
 */
#ifndef CCA_GPT_H
#define CCA_GPT_H

#include "cpu/cpu.h"
#include "trace/trace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Physical address spaces, numbered as {NSE, NS} so that GPI 0b10xx permits PAS xx. */
enum gpt_pas {
	GPT_PAS_SECURE = 0,
	GPT_PAS_NS = 1,
	GPT_PAS_ROOT = 2,
	GPT_PAS_REALM = 3,
};

/* GPI encodings [ARM:D9.6.5] */
#define GPI_NO_ACCESS 0x0U
#define GPI_SECURE    0x8U
#define GPI_NS        0x9U
#define GPI_ROOT      0xAU
#define GPI_REALM     0xBU
#define GPI_ANY       0xFU

#define GPT_DEFAULT_ROOT_SIZE (1ULL << 20)

struct gpt_config {
	unsigned pps_bits;    /* protected physical space, 32..52 (0 = the machine's pa_bits) */
	unsigned l0gptsz;     /* bits covered by a level-0 entry: 30, 34, 36 or 39 (0 = 30) */
	uint64_t root_size;   /* Root carve-out at the top of RAM holding the tables (0 = 1 MiB) */
	unsigned default_gpi; /* GPI of RAM outside the carve-out at start (0 = GPI_NS) */
};

struct gpt;

/* What stops a GPT from being built over some RAM (gpt_config_check). */
enum gpt_config_fault {
	GPT_CONFIG_OK = 0,
	GPT_CONFIG_RAM,       /* RAM too small or too large for the (default) carve-out, or PPS */
	GPT_CONFIG_PPS,       /* pps_bits invalid, above pa_bits, or below the end of RAM */
	GPT_CONFIG_L0GPTSZ,   /* l0gptsz invalid */
	GPT_CONFIG_ROOT_SIZE, /* root_size not whole granules, beyond RAM, or too small */
};

/*
 * Whether gpt_create can build `cfg`'s tables on RAM [ram_base, ram_base + ram_size) with
 * `pa_bits`-bit PAs: GPT_CONFIG_OK, or the parameter at fault with why (the message gpt_create
 * would print). *root_base is where the Root carve-out starts. Nothing is allocated.
 */
enum gpt_config_fault gpt_config_check(uint64_t ram_base, uint64_t ram_size, unsigned pa_bits,
				       const struct gpt_config *cfg, uint64_t *root_base, char *why,
				       size_t len);

/* Builds the tables in the Root carve-out and the views. Returns 0, or -1 with a message. */
int gpt_create(struct cpu_machine *m, const struct gpt_config *cfg, struct trace *t,
	       struct gpt **out);
void gpt_destroy(struct gpt *g);

uint64_t gpt_gpccr_el3(const struct gpt *g);
uint64_t gpt_gptbr_el3(const struct gpt *g);
uint64_t gpt_root_base(const struct gpt *g); /* Root carve-out [base, base + size) */
uint64_t gpt_root_size(const struct gpt *g);

enum gpt_fault {
	GPT_OK = 0,
	GPT_FAULT_GPF,       /* granule protection fault */
	GPT_FAULT_WALK,      /* GPT walk fault (invalid descriptor or configuration) */
	GPT_FAULT_ADDR_SIZE, /* GPT address size fault */
	GPT_FAULT_EABT,      /* external abort on a GPT fetch */
};

struct gpt_result {
	enum gpt_fault fault;
	int level; /* 0 or 1: where the walk stopped */
	unsigned gpi;
};

/* The granule protection check of D9.4 (table D9-2), in its priority order. */
struct gpt_result gpt_check(const struct gpt *g, uint64_t pa, enum gpt_pas pas);

/* Name of a GPI ("NS", "REALM", "ROOT", "SECURE", "NO_ACCESS", "ANY") and of a PAS. */
const char *gpt_gpi_name(unsigned gpi);
const char *gpt_pas_name(enum gpt_pas pas);

/*
 * NS -> Realm and Realm -> NS for one granule, as EL3 performs RMM_GTSI_(UN)DELEGATE:
 * E_RMM_OK, E_RMM_BAD_ADDR (unaligned, beyond PPS, in a block-mapped region) or E_RMM_BAD_PAS
 * (the granule is not in the source PAS). Emits a "gpt" event and updates the views.
 */
uint64_t gpt_delegate(struct gpt *g, uint64_t pa);
uint64_t gpt_undelegate(struct gpt *g, uint64_t pa);

/* Set-up and tests: writes one granule's GPI directly (L1 nibble). Returns 0 or -1. */
int gpt_set_gpi(struct gpt *g, uint64_t pa, unsigned gpi);
/* gpt_set_gpi for each granule of [pa, pa + size), the views derived once at the end. */
int gpt_set_gpi_range(struct gpt *g, uint64_t pa, uint64_t size, unsigned gpi);
/* After descriptors were written behind the library's back (tests): TLBI PAALL, i.e.
 * re-derive every view from the table in memory. */
void gpt_invalidate_all(struct gpt *g);

/*
 * PAS-tagged accessors for C code running in a world. Every granule touched is checked for
 * `pas`; on a fault nothing is read or written, -1 is returned and *fault (if not NULL) says
 * why and where. Returns 0 on success.
 */
int gpt_read(struct gpt *g, enum gpt_pas pas, uint64_t pa, void *buf, size_t len,
	     struct gpt_result *fault);
int gpt_write(struct gpt *g, enum gpt_pas pas, uint64_t pa, const void *buf, size_t len,
	      struct gpt_result *fault);
/* Zeroes [pa, pa + len) through `pas` (granule scrubbing). */
int gpt_zero(struct gpt *g, enum gpt_pas pas, uint64_t pa, size_t len, struct gpt_result *fault);

#endif
