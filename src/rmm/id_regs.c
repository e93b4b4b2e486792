/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The feature ID registers a realm reads [S:A2.1.2.3, A3.1]: a realm runs with HCR_EL2.TID3,
 * so every MRS of the ID register space at R-EL1 traps here; the RMM answers from the Realm
 * PE's own value (the platform's id_reg), with what the realm may not use hidden and what the
 * host chose at RMI_REALM_CREATE shown. As TF-RMM 1.0 does, registers it does not name read 0
 * (the reserved encodings and the AArch32 ID registers). docs/realm-sdk.md, "ID registers",
 * has the table.
 */
#include "profile.h"
#include "rec.h"

/* What a realm never has, whatever the platform offers: AMU [S:A3.1.6]; MTE and SME, which
 * RMM 1.0 does not give realms; SPE [S:A3.1.7] and TRBE [S:A3.1.8] with the other trace and
 * profiling units; and, as TF-RMM, context-aware breakpoints beyond one. */
#define PFR0_HIDDEN ID_PFR0_AMU
#define PFR1_HIDDEN (ID_PFR1_MTE | ID_PFR1_SME)
#define DFR0_HIDDEN                                                                                \
	(ID_DFR0_TRACEVER | ID_DFR0_PMSS | ID_DFR0_SEBEP | ID_DFR0_CTX_CMPS | ID_DFR0_PMSVER |     \
	 ID_DFR0_TRACEFILT | ID_DFR0_TRACEBUFFER | ID_DFR0_BRBE | ID_DFR0_EXTTRCBUFF)
#define DFR1_HIDDEN (ID_DFR1_EBEP | ID_DFR1_ICNTR)

static uint64_t platform_id_reg(const struct rmm *r, unsigned index)
{
	return r->plat.id_reg ? r->plat.id_reg(r->plat.ctx, index) : 0;
}

/* ID_AA64DFR0_EL1: the debug and PMU resources of the realm [S:A3.1.4, A3.1.5]. */
static uint64_t realm_dfr0(const struct rmm *r, const struct rd *rd, uint64_t v)
{
	v &= ~DFR0_HIDDEN;
	if (tr20_id_regs_platform_debug(r)) {
		return v;
	}
	/* BRPs and WRPs count minus one, as RmiRealmParams' num_bps/num_wps do. */
	v = arch_field_set(v, ID_DFR0_BRPS, rd->num_bps);
	v = arch_field_set(v, ID_DFR0_WRPS, rd->num_wps);
	if (!(rd->flags & REALM_FLAG_PMU)) {
		v = arch_field_set(v, ID_DFR0_PMUVER, 0);
	}
	return v;
}

/* The value the realm of `rd` reads from ID register `index`. */
uint64_t realm_id_reg(const struct rmm *r, const struct rd *rd, unsigned index)
{
	bool sve = (rd->flags & REALM_FLAG_SVE) != 0;
	uint64_t v = platform_id_reg(r, index);

	switch (index) {
	case ID_AA64PFR0_EL1:
		/* SVE disabled for the realm reads as not implemented [S:A3.1.3]. */
		v &= ~PFR0_HIDDEN;
		return sve ? v : arch_field_set(v, ID_PFR0_SVE, 0);
	case ID_AA64PFR1_EL1:
		return v & ~PFR1_HIDDEN;
	case ID_AA64ZFR0_EL1:
		return sve ? v : 0;
	case ID_AA64DFR0_EL1:
		return realm_dfr0(r, rd, v);
	case ID_AA64DFR1_EL1:
		return v & ~DFR1_HIDDEN;
	case ID_AA64AFR0_EL1:
	case ID_AA64AFR1_EL1:
	case ID_AA64ISAR0_EL1:
	case ID_AA64ISAR1_EL1:
	case ID_AA64MMFR0_EL1:
	case ID_AA64MMFR1_EL1:
	case ID_AA64MMFR2_EL1:
		return v;
	default:
		return 0; /* ID_AA64SMFR0_EL1 (no SME), the reserved space, AArch32 */
	}
}

bool emulate_id_reg_read(struct rmm *r, struct rec *rec, uint64_t esr)
{
	if (ESR_EC(esr) != ESR_EC_SYSREG || !(esr & ESR_SYSREG_READ) || ESR_SYSREG_OP0(esr) != 3 ||
	    ESR_SYSREG_OP1(esr) != 0 || ESR_SYSREG_CRN(esr) != 0) {
		return false;
	}
	unsigned rt = ESR_SYSREG_RT(esr);
	if (rt != 31) { /* a read into XZR discards the value */
		struct rd rd;
		rd_load(r, rec->owner, &rd);
		rec->ctx.x[rt] =
		    realm_id_reg(r, &rd, ID_REG_INDEX(ESR_SYSREG_CRM(esr), ESR_SYSREG_OP2(esr)));
	}
	return true;
}
