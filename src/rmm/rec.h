/* SPDX-License-Identifier: GPL-2.0-or-later */
/* REC helpers shared by rec.c, rec_enter.c, psci.c, psci_complete.c and rsi.c. */
#ifndef CCA_RMM_REC_H
#define CCA_RMM_REC_H

#include "profile.h"
#include "rmm_private.h"

uint64_t rec_hcr_el2(void);
uint64_t rec_vtcr_el2(const struct rmm *r, const struct rd *rd);
uint64_t rec_vmpidr(uint64_t mpidr);
int64_t rec_index_from_target(uint64_t target_cpu);
/* MpidrIsUsed: target_cpu names a REC of the realm (TR9 in the tf-rmm profile). */
bool mpidr_is_used(const struct rmm *r, const struct rd *rd, uint64_t target_cpu);

/* The REC exit being built by RMI_REC_ENTER (the `exit` half of RmiRecRun). */
struct rec_exit {
	uint64_t reason;
	uint64_t esr, far, hpfar;
	uint64_t gprs[31];
	uint64_t ripas_base, ripas_top, ripas_value;
	uint64_t imm;
	/* The GIC and timer state, on every exit [S:B4.4.18] */
	uint64_t gicv3_hcr, gicv3_lrs[16], gicv3_misr, gicv3_vmcr;
	uint64_t cntp_ctl, cntp_cval, cntv_ctl, cntv_cval;
};

/* The ID register value the realm of `rd` reads (ID_REG_INDEX), and the emulation of a
 * trapped MRS of one: false when `esr` is not such a read (id_regs.c). */
uint64_t realm_id_reg(const struct rmm *r, const struct rd *rd, unsigned index);
bool emulate_id_reg_read(struct rmm *r, struct rec *rec, uint64_t esr);

/* What handling a realm SMC decided. */
enum smc_outcome {
	SMC_RESUME, /* result is in the REC's registers: run it again */
	SMC_EXIT,   /* return to the host with `exit` filled in */
};

enum smc_outcome handle_realm_psci(struct rmm *r, uint64_t rec_pa, struct rec *rec,
				   struct rec_exit *exit);
enum smc_outcome handle_realm_rsi(struct rmm *r, uint64_t rec_pa, struct rec *rec,
				  struct rec_exit *exit);
bool psci_fid_is_psci(uint64_t fid);
/* A call a realm made, for its "psci" or "rsi" event. */
struct realm_call {
	uint64_t fid;
	const uint64_t *args; /* its arguments X1.., as the realm passed them */
	unsigned nargs;
	bool has_result;               /* false: it exits to the host, which answers later */
	uint64_t result;               /* what the realm receives in X0 */
	const char *cond;              /* the failure condition's ID, or NULL */
	const struct rmm_command *cmd; /* RSI: its output values are in the REC's X1.. */
};
/* The "psci" / "rsi" event of a call (rec_enter.c). */
void trace_realm_call(struct rmm *r, const struct rec *rec, enum rmm_interface iface,
		      const struct realm_call *call);
/* The "rsi" event of a completed RSI call: result in X0, outputs in X1.. (rsi.c). */
void trace_rsi_result(struct rmm *r, const struct rec *rec, const struct rmm_command *c,
		      const uint64_t *args, const char *cond);

#endif
