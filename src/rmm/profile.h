/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where behaviour depends on the spec revision (docs/profiles.md, "Spec revisions") or on the
 * behaviour profile (docs/profiles.md, "Behaviour profiles"). Each TF-RMM divergence is one named
 * predicate, used at the point of divergence, so `grep tr1_` finds everything TR1 changes. TR3
 * (64-bit context_id), TR7 (a running target counts as runnable), TR8 (CPU_ON or AFFINITY_INFO
 * naming the caller is answered at once) and TR12 (a running calling REC fails `pending`) need no
 * predicate: with one Realm PE and the spec's own conditions they are the spec's behaviour.
 */
#ifndef CCA_RMM_PROFILE_H
#define CCA_RMM_PROFILE_H

#include "rmm_private.h"

static inline bool tf_rmm(const struct rmm *r)
{
	return r->cfg.profile == RMM_PROFILE_TF_RMM;
}

/* --- spec revision --- */

/* RMI_VERSION / RSI_VERSION take a requested version (rel0 form) rather than none (eac2). */
static inline bool spec_version_has_input(const struct rmm *r)
{
	return r->cfg.spec != RMM_SPEC_1_0_EAC2;
}

/* RMI_PSCI_COMPLETE carries the host's PSCI status (eac3 and later). */
static inline bool spec_complete_has_status(const struct rmm *r)
{
	return r->cfg.spec != RMM_SPEC_1_0_EAC2;
}

/* RMI_PSCI_COMPLETE names the target REC (1.0); the 2.0 draft resolves it from the MPIDR. */
static inline bool spec_complete_has_target(const struct rmm *r)
{
	return r->cfg.spec != RMM_SPEC_2_0;
}

/* PSCI_AFFINITY_INFO is answered by the RMM without a REC exit (2.0 draft). */
static inline bool spec_affinity_info_in_rmm(const struct rmm *r)
{
	return r->cfg.spec == RMM_SPEC_2_0;
}

/* Implemented RMI/RSI interface version. */
static inline uint64_t spec_interface_version(const struct rmm *r)
{
	return r->cfg.spec == RMM_SPEC_2_0 ? 0x20000ULL : 0x10000ULL;
}

/* --- tf-rmm behaviour profile --- */

/* TR1: CPU_ON completed with DENIED while the target is runnable fails `status` but still
 * completes the call with ALREADY_ON. */
static inline bool tr1_failed_deny_completes(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR2: on_success sets only the target's X0; X1..X30 keep their saved values. */
static inline bool tr2_on_success_keeps_target_gprs(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR4: the SMC32 forms of CPU_SUSPEND, CPU_ON and AFFINITY_INFO are accepted. */
static inline bool tr4_smc32_psci_aliases(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR5: a PSCI exit forwards only the FID (and the MPIDR for CPU_ON/AFFINITY_INFO). */
static inline bool tr5_psci_exit_fid_mpidr_only(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR6: CPU_ON success resets the target's PSTATE and SCTLR_EL1. */
static inline bool tr6_cpu_on_resets_target(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR9: MpidrIsUsed = index below the count of RECs ever created (destroyed ones included). */
static inline bool tr9_mpidr_used_counts_destroyed(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR10: the realm's SMCCC_VERSION is answered (1.2) instead of NOT_SUPPORTED. */
static inline bool tr10_smccc_version_answered(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR11: CPU_OFF sets the caller's X0 = PSCI_SUCCESS before exiting. */
static inline bool tr11_cpu_off_sets_x0(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR14: TF-RMM at the eac2 tag did not pass context_id to the target on CPU_ON success. */
static inline bool tr14_eac2_no_context_id(const struct rmm *r)
{
	return tf_rmm(r) && r->cfg.spec == RMM_SPEC_1_0_EAC2;
}

/* TR16: RMI_REALM_CREATE reads each member of RmiRealmParams at the width of TF-RMM's C
 * struct (hash_algo 8 bits, vmid 16, s2sz and the counts 32, rtt_num_start 32) and ignores
 * every other bit of the structure. */
static inline bool tr16_realm_params_c_widths(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR17: reserved bits of RmiRealmFlags (REALM_CREATE) and RmiRecCreateFlags (REC_CREATE)
 * are ignored. */
static inline bool tr17_reserved_flags_ignored(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR18: RMI_REALM_CREATE does not check rtt_align (rtt_base aligned to the starting RTTs). */
static inline bool tr18_no_rtt_align(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR19: RMI_REC_ENTER validates only the implemented List Registers that are not Invalid,
 * with TF-RMM's own rules for them (Gicv3ConfigIsValid checks every value). */
static inline bool tr19_gic_checks_live_lrs(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR20: ID_AA64DFR0_EL1 shows the platform's breakpoints, watchpoints and PMU version rather
 * than the realm's own num_bps, num_wps and PMU flag. */
static inline bool tr20_id_regs_platform_debug(const struct rmm *r)
{
	return tf_rmm(r);
}

/* TR13: TF-RMM's deterministic check order for RMI_PSCI_COMPLETE and RMI_REC_ENTER. */
static inline bool tr13_tf_rmm_check_order(const struct rmm *r)
{
	return tf_rmm(r);
}

#endif
