/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Encodings of GPCCR_EL3 fields, GPIs and GPT descriptors [ARM:D9.6, D24.2.56;
 * 8.1-8.3]. Pure functions: no memory, no state.
 */
#include "gpt/gpt_private.h"

static const unsigned pps_bits_by_enc[8] = {32, 36, 40, 42, 44, 48, 52, 0};

unsigned gpt_pps_bits(unsigned pps)
{
	return pps < 8 ? pps_bits_by_enc[pps] : 0;
}

int gpt_pps_encode(unsigned bits)
{
	for (unsigned e = 0; e < 7; e++) {
		if (pps_bits_by_enc[e] == bits) {
			return (int)e;
		}
	}
	return -1;
}

unsigned gpt_l0gptsz_bits(unsigned enc)
{
	switch (enc) {
	case 0x0:
		return 30;
	case 0x4:
		return 34;
	case 0x6:
		return 36;
	case 0x9:
		return 39;
	default:
		return 0;
	}
}

int gpt_l0gptsz_encode(unsigned bits)
{
	for (unsigned e = 0; e < 16; e++) {
		if (gpt_l0gptsz_bits(e) == bits) {
			return (int)e;
		}
	}
	return -1;
}

unsigned gpt_pgs_bits(unsigned pgs)
{
	switch (pgs) {
	case GPCCR_PGS_4K:
		return 12;
	case GPCCR_PGS_64K:
		return 16;
	case GPCCR_PGS_16K:
		return 14;
	default:
		return 0;
	}
}

/*
 * GPCCR_EL3 has NSO, SA, NSP, NA6 and NA7 clear (this PE implements none of GPC2/GDI), so
 * 0b1101, 0b0100-0b0111 are reserved like every other unlisted value. 0b1000 stays valid: the
 * model has a Secure PAS even though no Secure world runs.
 */
bool gpt_gpi_valid(unsigned gpi)
{
	switch (gpi) {
	case GPI_NO_ACCESS:
	case GPI_SECURE:
	case GPI_NS:
	case GPI_ROOT:
	case GPI_REALM:
	case GPI_ANY:
		return true;
	default:
		return false;
	}
}

/* enum gpt_pas is numbered {NSE, NS}, so GPI 0b10xx grants exactly PAS xx. */
bool gpt_gpi_permits(unsigned gpi, enum gpt_pas pas)
{
	if (gpi == GPI_ANY) {
		return true;
	}
	if ((gpi & 0xcU) == 0x8U) {
		return (gpi & 3U) == (unsigned)pas;
	}
	return false;
}

uint64_t gpt_l0_block_desc(unsigned gpi)
{
	return ((uint64_t)(gpi & GPT_GPI_MASK) << GPT_L0_BLOCK_GPI_SHIFT) | GPT_L0_TYPE_BLOCK;
}

uint64_t gpt_l0_table_desc(uint64_t l1_pa)
{
	return (l1_pa & GPT_L0_TABLE_ADDR_MASK) | GPT_L0_TYPE_TABLE;
}

uint64_t gpt_l1_granules_desc(unsigned gpi)
{
	return 0x1111111111111111ULL * (gpi & GPT_GPI_MASK);
}

uint64_t gpt_l1_contig_desc(unsigned gpi, unsigned contig)
{
	return ((uint64_t)(contig & GPT_L1_CONTIG_MASK) << GPT_L1_CONTIG_SHIFT) |
	       ((uint64_t)(gpi & GPT_GPI_MASK) << GPT_L1_CONTIG_GPI_SHIFT) | GPT_L1_TYPE_CONTIG;
}

uint64_t gpt_l1_contig_bytes(unsigned contig)
{
	switch (contig) {
	case 1:
		return 2ULL << 20;
	case 2:
		return 32ULL << 20;
	case 3:
		return 512ULL << 20;
	default:
		return 0;
	}
}

/* The configuration TF-A programs: tables in write-back cacheable, inner-shareable memory. */
uint64_t gpt_gpccr_value(unsigned pps_enc, unsigned l0gptsz_enc)
{
	return ((uint64_t)pps_enc << GPCCR_PPS_SHIFT) | (GPCCR_RGN_WBRAWA << GPCCR_IRGN_SHIFT) |
	       (GPCCR_RGN_WBRAWA << GPCCR_ORGN_SHIFT) | (GPCCR_SH_INNER << GPCCR_SH_SHIFT) |
	       (GPCCR_PGS_4K << GPCCR_PGS_SHIFT) | GPCCR_GPC |
	       ((uint64_t)l0gptsz_enc << GPCCR_L0GPTSZ_SHIFT);
}
