/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to src/gpt (and its unit tests): the architectural encodings of GPCCR_EL3, GPTBR_EL3
 * and the GPT descriptors [ARM:D9.6, D24.2.56, D24.2.57], the table walk
 * on an abstract Root-PAS memory, and the full definition of struct gpt.
 */
#ifndef CCA_GPT_PRIVATE_H
#define CCA_GPT_PRIVATE_H

#include "gpt/gpt.h"

#include <stdbool.h>
#include <stdint.h>

/* GPCCR_EL3 fields */
#define GPCCR_PPS_SHIFT     0
#define GPCCR_PPS_MASK      0x7ULL
#define GPCCR_IRGN_SHIFT    8
#define GPCCR_ORGN_SHIFT    10
#define GPCCR_IRGN_MASK     0x3ULL
#define GPCCR_ORGN_MASK     0x3ULL
#define GPCCR_RGN_NC        0x0ULL
#define GPCCR_RGN_WBRAWA    0x1ULL
#define GPCCR_SH_SHIFT      12
#define GPCCR_SH_MASK       0x3ULL
#define GPCCR_SH_NON        0x0ULL
#define GPCCR_SH_RESERVED   0x1ULL
#define GPCCR_SH_OUTER      0x2ULL
#define GPCCR_SH_INNER      0x3ULL
#define GPCCR_PGS_SHIFT     14
#define GPCCR_PGS_MASK      0x3ULL
#define GPCCR_PGS_4K        0x0ULL
#define GPCCR_PGS_64K       0x1ULL
#define GPCCR_PGS_16K       0x2ULL
#define GPCCR_PGS_RESERVED  0x3ULL
#define GPCCR_GPC           (1ULL << 16)
#define GPCCR_L0GPTSZ_SHIFT 20
#define GPCCR_L0GPTSZ_MASK  0xfULL

#define GPCCR_FIELD(v, f) (((v) >> GPCCR_##f##_SHIFT) & GPCCR_##f##_MASK)

/* GPTBR_EL3.BADDR [39:0] holds PA[51:12] of the level-0 table. */
#define GPTBR_BADDR_MASK  ((1ULL << 40) - 1)
#define GPTBR_BADDR_SHIFT 12

/* Descriptors (8 bytes, little-endian) */
#define GPT_DESC_TYPE_MASK      0xfULL
#define GPT_L0_TYPE_BLOCK       0x1ULL
#define GPT_L0_TYPE_TABLE       0x3ULL
#define GPT_L0_BLOCK_GPI_SHIFT  4
#define GPT_L0_BLOCK_RES0       (~0xffULL) /* [63:8] */
#define GPT_L0_TABLE_RES0       ((0xffULL << 4) | (0xfffULL << 52))
#define GPT_L0_TABLE_ADDR_MASK  (((1ULL << 52) - 1) & ~0xfffULL) /* [51:12] */
#define GPT_L1_TYPE_CONTIG      0x1ULL /* low nibble 0b0001 is never a GPI */
#define GPT_L1_CONTIG_GPI_SHIFT 4
#define GPT_L1_CONTIG_SHIFT     8
#define GPT_L1_CONTIG_MASK      0x3ULL
#define GPT_L1_CONTIG_RES0      (~0x3ffULL) /* [63:10] */
#define GPT_GPIS_PER_L1_DESC    16

#define GPT_GPI_MASK 0xfU

/* Reads one 64-bit descriptor from the Root PAS; false = external abort on the fetch. */
typedef bool (*gpt_fetch_fn)(void *ctx, uint64_t pa, uint64_t *desc);

/* What the granule protection check reads: the two registers and the memory the GPT is in. */
struct gpt_regs {
	uint64_t gpccr;
	uint64_t gptbr;
	unsigned pa_bits; /* implemented PA size, bounds GPCCR.PPS */
	gpt_fetch_fn fetch;
	void *ctx;
};

/* A walk's outcome plus where the deciding descriptor is, for the transitions. */
struct gpt_walk {
	struct gpt_result res;
	bool l1;          /* reached a level-1 descriptor (even if it then faulted) */
	bool contiguous;  /* that descriptor is a Contiguous descriptor */
	uint64_t desc_pa; /* its PA (level 1) */
	uint64_t desc;    /* its value */
	unsigned shift;   /* bit position of the granule's GPI nibble in a Granules descriptor */
	bool decided;     /* a valid GPI was read and judged: any PAS's answer follows from it */
	unsigned p;       /* granule size, log2 (from GPCCR.PGS) */
	unsigned s;       /* L0GPTSZ in bits */
	unsigned t;       /* PPS in bits */
};

/* format.c: encodings */
unsigned gpt_pps_bits(unsigned pps);                  /* 0 for a reserved encoding */
int gpt_pps_encode(unsigned bits);                    /* -1 if no encoding */
unsigned gpt_l0gptsz_bits(unsigned enc);              /* 0 for a reserved encoding */
int gpt_l0gptsz_encode(unsigned bits);                /* -1 if no encoding */
unsigned gpt_pgs_bits(unsigned pgs);                  /* 0 for the reserved encoding */
bool gpt_gpi_valid(unsigned gpi);                     /* with no GPC2/GDI feature enabled */
bool gpt_gpi_permits(unsigned gpi, enum gpt_pas pas); /* gpi must be valid */
uint64_t gpt_l0_block_desc(unsigned gpi);
uint64_t gpt_l0_table_desc(uint64_t l1_pa);
uint64_t gpt_l1_granules_desc(unsigned gpi); /* all 16 granules with one GPI */
uint64_t gpt_l1_contig_desc(unsigned gpi, unsigned contig);
uint64_t gpt_l1_contig_bytes(unsigned contig); /* 0 for the reserved 0b00 */
uint64_t gpt_gpccr_value(unsigned pps_enc, unsigned l0gptsz_enc);

/* check.c: the granule protection check of D9.4 on any memory */
void gpt_walk(const struct gpt_regs *r, uint64_t pa, enum gpt_pas pas, struct gpt_walk *w);

struct gpt {
	struct cpu_machine *m;
	struct trace *t;
	struct gpt_regs regs; /* tests may alter gpccr/gptbr, then gpt_invalidate_all() */
	uint64_t ram_base, ram_size;
	uint64_t root_base, root_size;
	unsigned pps_bits, l0gptsz;
};

/* gpt.c: descriptor access in Root-PAS memory, views */
bool gpt_mem_read64(struct cpu_machine *m, uint64_t pa, uint64_t *v);
bool gpt_mem_write64(struct cpu_machine *m, uint64_t pa, uint64_t v);
/* Re-derives both worlds' views of the RAM granules in [pa, pa + size). */
void gpt_update_views(struct gpt *g, uint64_t pa, uint64_t size);

#endif
