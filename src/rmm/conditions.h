/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The failure conditions of every RMI, RSI and PSCI command the RMM implements: one table per
 * command, in the order of the spec's "Failure conditions" section (1.0-rel0 numbering; a
 * reading sits where the handler checks it), each
 * row the condition's ID, the result it gives, the index (RMI), the revisions that have it,
 * whether the spec lists it or it is cca-sim's reading (docs/spec-decisions.md), and what it
 * means. Handlers name a condition by its enum (COND_<id>); the dispatchers take its result
 * from here, and refuse (as an RMM bug) a condition its command does not list. `cca-sim
 * conditions` prints these tables; the RMM tests check that their intent tables provoke
 * every row. To add a condition: a row here (and the ID in RMM_CONDITION_IDS if it is new),
 * then the rung in the handler.
 */
#ifndef CCA_RMM_CONDITIONS_H
#define CCA_RMM_CONDITIONS_H

#include "abi/abi.h"
#include "rmm/rmm.h"

/* Every ID the tables use, once; COND_<id> names it in the handlers. */
#define RMM_CONDITION_IDS(X)                                                                       \
	X(addr_align)                                                                              \
	X(addr_bound)                                                                              \
	X(alias)                                                                                   \
	X(attr_valid)                                                                              \
	X(aux_alias)                                                                               \
	X(aux_align)                                                                               \
	X(aux_state)                                                                               \
	X(base_align)                                                                              \
	X(base_bound)                                                                              \
	X(calling_align)                                                                           \
	X(calling_bound)                                                                           \
	X(calling_state)                                                                           \
	X(data_align)                                                                              \
	X(data_bound)                                                                              \
	X(data_bound2)                                                                             \
	X(data_state)                                                                              \
	X(end_align)                                                                               \
	X(entry)                                                                                   \
	X(flags_valid)                                                                             \
	X(gran_align)                                                                              \
	X(gran_bound)                                                                              \
	X(gran_gpt)                                                                                \
	X(gran_state)                                                                              \
	X(index_bound)                                                                             \
	X(ipa_align)                                                                               \
	X(ipa_bound)                                                                               \
	X(level_bound)                                                                             \
	X(mpidr)                                                                                   \
	X(mpidr_index)                                                                             \
	X(no_progress)                                                                             \
	X(num_aux)                                                                                 \
	X(num_recs)                                                                                \
	X(offset_bound)                                                                            \
	X(owner)                                                                                   \
	X(params_align)                                                                            \
	X(params_bound)                                                                            \
	X(params_pas)                                                                              \
	X(params_supp)                                                                             \
	X(params_valid)                                                                            \
	X(pending)                                                                                 \
	X(rd_align)                                                                                \
	X(rd_bound)                                                                                \
	X(rd_state)                                                                                \
	X(realm_live)                                                                              \
	X(realm_new)                                                                               \
	X(realm_state)                                                                             \
	X(rec_align)                                                                               \
	X(rec_bound)                                                                               \
	X(rec_gicv3)                                                                               \
	X(rec_gran_state)                                                                          \
	X(rec_mmio)                                                                                \
	X(rec_owner)                                                                               \
	X(rec_psci)                                                                                \
	X(rec_runnable)                                                                            \
	X(rec_state)                                                                               \
	X(rgn_bound)                                                                               \
	X(ripas_valid)                                                                             \
	X(rtt_align)                                                                               \
	X(rtt_bound)                                                                               \
	X(rtt_bound2)                                                                              \
	X(rtt_homo)                                                                                \
	X(rtt_live)                                                                                \
	X(rtt_num_level)                                                                           \
	X(rtt_state)                                                                               \
	X(rtt_walk)                                                                                \
	X(rtte_state)                                                                              \
	X(run_align)                                                                               \
	X(run_bound)                                                                               \
	X(run_pas)                                                                                 \
	X(runnable)                                                                                \
	X(size_bound)                                                                              \
	X(size_overflow)                                                                           \
	X(size_valid)                                                                              \
	X(src_align)                                                                               \
	X(src_bound)                                                                               \
	X(src_pas)                                                                                 \
	X(state)                                                                                   \
	X(status)                                                                                  \
	X(system_off)                                                                              \
	X(target)                                                                                  \
	X(target_align)                                                                            \
	X(target_bound)                                                                            \
	X(target_match)                                                                            \
	X(target_state)                                                                            \
	X(top_align)                                                                               \
	X(top_bound)                                                                               \
	X(top_gran_align)                                                                          \
	X(unknown)                                                                                 \
	X(version)                                                                                 \
	X(vmid_valid)

/* clang-format off */
#define COND_ENUM_ENTRY(id) COND_##id,
enum cond_id {
	COND_NONE, /* no failure: the command succeeds */
	RMM_CONDITION_IDS(COND_ENUM_ENTRY)
	COND_COUNT
};
#undef COND_ENUM_ENTRY

/*
 * A row: X(id, result, index, revisions, origin, meaning).
 *   index: I0 / I1, a fixed RMI index; IW, the level at which the RTT walk stopped; IL, the
 *          level the host named (both supplied by the handler); IN for RSI and PSCI.
 *   revisions: ALL, EAC3_ON (1.0-eac3 and later), V1_0 (the 1.0 revisions, not the 2.0
 *          draft).
 *   origin: SPEC, a condition the spec lists; READING, one cca-sim adds where the spec's
 *          general rules (B4.2's invalid encodings, B2's outcomes) make the call fail;
 *          UNREACHABLE, one the spec lists that cannot hold here: a `bound2` address at or
 *          above 2^48 is never delegable (RMM_MAX_PA_BITS), so `bound` fails first, and
 *          desc's bits above 47 are not host-controlled, so attr_valid does. The rung stays
 *          where it can be written, for a platform with wider PAs.
 */
#define RDS(X) \
	X(rd_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "rd is not aligned to a granule.") \
	X(rd_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "rd is not a PA the RMM can delegate.") \
	X(rd_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at rd is not an RD.")

#define CONDS_RMI_VERSION(X) \
	X(version, RMI_ERROR_INPUT, I0, EAC3_ON, READING, \
	  "No implemented revision is compatible with the one requested (outcome b or c).")

#define CONDS_RMI_FEATURES(X)

#define CONDS_RMI_GRANULE_DELEGATE(X) \
	X(gran_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "addr is not aligned to a granule.") \
	X(gran_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "addr is not a PA the RMM can delegate (outside memory, or no room to track it).") \
	X(gran_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule is not UNDELEGATED.") \
	X(gran_gpt, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "The GPT does not show the granule in the Non-secure PAS (EL3 refused the change).")

#define CONDS_RMI_GRANULE_UNDELEGATE(X) \
	X(gran_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "addr is not aligned to a granule.") \
	X(gran_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "addr is not a PA the RMM can delegate.") \
	X(gran_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule is not DELEGATED.")

#define CONDS_RMI_DATA_CREATE(X) \
	X(src_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "src is not aligned to a granule.") \
	X(src_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "src is not a PA of memory.") \
	X(src_pas, RMI_ERROR_INPUT, I0, ALL, SPEC, "src is not in the Non-secure PAS.") \
	X(flags_valid, RMI_ERROR_INPUT, I0, ALL, READING, \
	  "flags sets a reserved bit (bits 63:1), an invalid encoding (B4.2).") \
	X(data_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "data is not aligned to a granule.") \
	X(data_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "data is not a PA the RMM can delegate.") \
	X(data_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at data is not DELEGATED.") \
	X(data_bound2, RMI_ERROR_INPUT, I0, ALL, UNREACHABLE, \
	  "The realm does not use LPA2 and data lies at or above 2^48.") \
	RDS(X) \
	X(ipa_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not aligned to a granule.") \
	X(ipa_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not a Protected IPA of the realm.") \
	X(realm_state, RMI_ERROR_REALM, I0, ALL, SPEC, "The realm is not NEW.") \
	X(rtt_walk, RMI_ERROR_RTT, IW, ALL, SPEC, "No level-3 RTT covers ipa.") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, "The RTT entry at ipa is not UNASSIGNED.")

#define CONDS_RMI_DATA_CREATE_UNKNOWN(X) \
	X(data_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "data is not aligned to a granule.") \
	X(data_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "data is not a PA the RMM can delegate.") \
	X(data_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at data is not DELEGATED.") \
	X(data_bound2, RMI_ERROR_INPUT, I0, ALL, UNREACHABLE, \
	  "The realm does not use LPA2 and data lies at or above 2^48.") \
	RDS(X) \
	X(ipa_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not aligned to a granule.") \
	X(ipa_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not a Protected IPA of the realm.") \
	X(rtt_walk, RMI_ERROR_RTT, IW, ALL, SPEC, "No level-3 RTT covers ipa.") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, "The RTT entry at ipa is not UNASSIGNED.")

#define CONDS_RMI_DATA_DESTROY(X) \
	RDS(X) \
	X(ipa_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not aligned to a granule.") \
	X(ipa_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not a Protected IPA of the realm.") \
	X(rtt_walk, RMI_ERROR_RTT, IW, ALL, SPEC, \
	  "No level-3 RTT covers ipa (it is unmapped or mapped by a block).") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, "The RTT entry at ipa is not ASSIGNED.")

#define CONDS_RMI_PSCI_COMPLETE(X) \
	X(alias, RMI_ERROR_INPUT, I0, V1_0, SPEC, "calling_rec and target_rec are the same REC.") \
	X(calling_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "calling_rec is not aligned to a granule.") \
	X(calling_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "calling_rec is not a PA the RMM can delegate.") \
	X(calling_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at calling_rec is not a REC.") \
	X(target_align, RMI_ERROR_INPUT, I0, V1_0, SPEC, "target_rec is not aligned to a granule.") \
	X(target_bound, RMI_ERROR_INPUT, I0, V1_0, SPEC, \
	  "target_rec is not a PA the RMM can delegate.") \
	X(target_state, RMI_ERROR_INPUT, I0, V1_0, SPEC, "The granule at target_rec is not a REC.") \
	X(pending, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "The calling REC has no PSCI request waiting for the host.") \
	X(owner, RMI_ERROR_INPUT, I0, V1_0, SPEC, \
	  "The target REC belongs to another realm than the calling REC.") \
	X(target, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "The target REC is not the one whose MPIDR the realm passed in its request.") \
	X(status, RMI_ERROR_INPUT, I0, EAC3_ON, SPEC, \
	  "The spec does not permit that PSCI status for this request and the target's state " \
	  "(PsciReturnCodePermitted: DENIED only for a CPU_ON whose target is not runnable).")

#define CONDS_RMI_REALM_ACTIVATE(X) \
	RDS(X) \
	X(realm_state, RMI_ERROR_REALM, I0, ALL, SPEC, "The realm is not NEW.")

#define CONDS_RMI_REALM_CREATE(X) \
	X(params_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "params_ptr is not aligned to a granule.") \
	X(params_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "params_ptr is not a PA of memory.") \
	X(params_pas, RMI_ERROR_INPUT, I0, ALL, SPEC, "params_ptr is not in the Non-secure PAS.") \
	X(params_valid, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "RmiRealmParams holds an invalid encoding (a reserved value, or a bit that should be " \
	  "zero set).") \
	X(params_supp, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "RmiRealmParams asks for more than RMI_FEATURES reports (IPA width, LPA2, SVE, " \
	  "breakpoints, watchpoints, PMU, hash algorithm).") \
	X(alias, RMI_ERROR_INPUT, I0, ALL, SPEC, "rd is one of the starting RTT granules.") \
	X(rd_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "rd is not aligned to a granule.") \
	X(rd_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "rd is not a PA the RMM can delegate.") \
	X(rd_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at rd is not DELEGATED.") \
	X(rtt_align, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "rtt_base is not aligned to the size of the starting RTTs together.") \
	X(rtt_num_level, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "The IPA width, starting level and number of starting RTTs do not fit together.") \
	X(rtt_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "A starting RTT granule is not DELEGATED.") \
	X(vmid_valid, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "The VMID is wider than the platform's or another realm uses it.")

#define CONDS_RMI_REALM_DESTROY(X) \
	RDS(X) \
	X(realm_live, RMI_ERROR_REALM, I0, ALL, SPEC, \
	  "The realm still has RECs, or a starting RTT still maps something.")

#define CONDS_RMI_REC_AUX_COUNT(X) RDS(X)

#define CONDS_RMI_REC_CREATE(X) \
	X(params_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "params_ptr is not aligned to a granule.") \
	X(params_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "params_ptr is not a PA of memory.") \
	X(params_pas, RMI_ERROR_INPUT, I0, ALL, SPEC, "params_ptr is not in the Non-secure PAS.") \
	X(params_valid, RMI_ERROR_INPUT, I0, ALL, READING, \
	  "RmiRecParams sets a reserved bit of flags or of the MPIDR, an invalid encoding (B4.2).") \
	X(rec_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "rec is not aligned to a granule.") \
	X(rec_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "rec is not a PA the RMM can delegate.") \
	X(rec_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at rec is not DELEGATED.") \
	RDS(X) \
	X(realm_state, RMI_ERROR_REALM, I0, ALL, SPEC, "The realm is not NEW.") \
	X(num_recs, RMI_ERROR_REALM, I0, ALL, SPEC, "The realm has as many RECs as it can hold.") \
	X(mpidr_index, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "The MPIDR's index is not the next one: RECs are created in MPIDR order.") \
	X(num_aux, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "num_aux is not what RMI_REC_AUX_COUNT gives for the realm.") \
	X(aux_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "An auxiliary granule is not aligned.") \
	X(aux_alias, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "Two auxiliary granules are the same, or one is the REC itself.") \
	X(aux_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "An auxiliary granule is not DELEGATED.")

#define CONDS_RMI_REC_DESTROY(X) \
	X(rec_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "rec_ptr is not aligned to a granule.") \
	X(rec_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "rec_ptr is not a PA the RMM can delegate.") \
	X(rec_gran_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at rec_ptr is not a REC.") \
	X(rec_state, RMI_ERROR_REC, I0, ALL, CONCURRENT, "The REC is running on a PE.")

#define CONDS_RMI_REC_ENTER(X) \
	X(run_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "run_ptr is not aligned to a granule.") \
	X(run_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "run_ptr is not a PA of memory.") \
	X(run_pas, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "run_ptr is not in the Non-secure PAS (reading enter or writing exit faulted).") \
	X(rec_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "rec is not aligned to a granule.") \
	X(rec_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "rec is not a PA the RMM can delegate.") \
	X(rec_gran_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at rec is not a REC.") \
	X(realm_new, RMI_ERROR_REALM, I0, ALL, SPEC, "The realm is NEW: not activated yet.") \
	X(system_off, RMI_ERROR_REALM, I1, ALL, SPEC, \
	  "The realm is SYSTEM_OFF: one of its RECs called PSCI_SYSTEM_OFF or _RESET.") \
	X(rec_state, RMI_ERROR_REC, I0, ALL, CONCURRENT, "The REC is already running on a PE.") \
	X(rec_runnable, RMI_ERROR_REC, I0, ALL, SPEC, "The REC is NOT_RUNNABLE.") \
	X(rec_mmio, RMI_ERROR_REC, I0, ALL, SPEC, \
	  "The host asks to emulate an MMIO access but the last exit was no emulatable abort.") \
	X(rec_gicv3, RMI_ERROR_REC, I0, ALL, SPEC, \
	  "The GICv3 state in enter is not valid (Gicv3ConfigIsValid).") \
	X(rec_psci, RMI_ERROR_REC, I0, ALL, SPEC, \
	  "The REC waits for the host's RMI_PSCI_COMPLETE of its PSCI request.")

#define RTT_LEVEL_ROWS(X, align_text) \
	X(level_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "level is not a valid RTT level, or it is the realm's starting level.") \
	X(ipa_align, RMI_ERROR_INPUT, I0, ALL, SPEC, align_text) \
	X(ipa_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is beyond the realm's IPA space.")

#define CONDS_RMI_RTT_CREATE(X) \
	RDS(X) \
	RTT_LEVEL_ROWS(X, "ipa is not aligned to the range the new RTT would describe.") \
	X(rtt_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "rtt is not aligned to a granule.") \
	X(rtt_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "rtt is not a PA the RMM can delegate.") \
	X(rtt_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at rtt is not DELEGATED.") \
	X(rtt_bound2, RMI_ERROR_INPUT, I0, ALL, UNREACHABLE, \
	  "The realm does not use LPA2 and rtt lies at or above 2^48.") \
	X(rtt_walk, RMI_ERROR_RTT, IW, ALL, SPEC, "An RTT above the new one is missing.") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, "An RTT already describes that range.")

#define CONDS_RMI_RTT_DESTROY(X) \
	RDS(X) \
	RTT_LEVEL_ROWS(X, "ipa is not aligned to the range the RTT describes.") \
	X(rtt_walk, RMI_ERROR_RTT, IW, ALL, SPEC, "An RTT above the one to destroy is missing.") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, \
	  "The parent's entry is not a table entry: there is no RTT to destroy.") \
	X(rtt_live, RMI_ERROR_RTT, IL, ALL, SPEC, \
	  "The RTT still maps something (an entry is ASSIGNED or a table).")

#define CONDS_RMI_RTT_FOLD(X) \
	RDS(X) \
	RTT_LEVEL_ROWS(X, "ipa is not aligned to the range the RTT describes.") \
	X(rtt_walk, RMI_ERROR_RTT, IW, ALL, SPEC, "An RTT above the one to fold is missing.") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, \
	  "The parent's entry is not a table entry: there is no RTT to fold.") \
	X(rtt_homo, RMI_ERROR_RTT, IL, ALL, SPEC, \
	  "The RTT's entries differ, so one entry of the parent cannot stand for them.")

#define CONDS_RMI_RTT_INIT_RIPAS(X) \
	RDS(X) \
	X(size_valid, RMI_ERROR_INPUT, I0, ALL, SPEC, "top is not above base.") \
	X(top_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "The range ends beyond the Protected IPAs.") \
	X(realm_state, RMI_ERROR_REALM, I0, ALL, SPEC, "The realm is not NEW.") \
	X(base_align, RMI_ERROR_RTT, IW, ALL, SPEC, \
	  "base is not aligned to the level of the RTT entry that covers it.") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, "The RTT entry at base is not UNASSIGNED.") \
	X(top_gran_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "top is not aligned to a granule.") \
	X(no_progress, RMI_ERROR_RTT, IW, ALL, SPEC, \
	  "Not a single entry from base could be changed (the walk stops at base).")

#define CONDS_RMI_RTT_MAP_UNPROTECTED(X) \
	X(attr_valid, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "desc sets an invalid memory attribute or access permission, or a bit the host does " \
	  "not control.") \
	RDS(X) \
	X(level_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "level is not a block or page level.") \
	X(addr_align, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "The address in desc is not aligned to the level's size.") \
	X(addr_bound, RMI_ERROR_INPUT, I0, ALL, UNREACHABLE, \
	  "The realm does not use LPA2 and the address in desc lies at or above 2^48.") \
	X(ipa_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not aligned to the level's size.") \
	X(ipa_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "ipa is not an Unprotected IPA of the realm.") \
	X(rtt_walk, RMI_ERROR_RTT, IW, ALL, SPEC, "No RTT of that level covers ipa.") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, "The RTT entry at ipa is not UNASSIGNED_NS.")

#define CONDS_RMI_RTT_READ_ENTRY(X) \
	RDS(X) \
	X(level_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "level is not a valid RTT level.") \
	X(ipa_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not aligned to the level's size.") \
	X(ipa_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is beyond the realm's IPA space.")

#define CONDS_RMI_RTT_SET_RIPAS(X) \
	RDS(X) \
	X(rec_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "rec_ptr is not aligned to a granule.") \
	X(rec_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "rec_ptr is not a PA the RMM can delegate.") \
	X(rec_gran_state, RMI_ERROR_INPUT, I0, ALL, SPEC, "The granule at rec_ptr is not a REC.") \
	X(rec_state, RMI_ERROR_REC, I0, ALL, CONCURRENT, "The REC is running on a PE.") \
	X(rec_owner, RMI_ERROR_REC, I0, ALL, SPEC, "The REC belongs to another realm.") \
	X(size_valid, RMI_ERROR_INPUT, I0, ALL, SPEC, "top is not above base.") \
	X(base_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "base is not where the REC's pending RIPAS change has got to.") \
	X(top_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "top is beyond the end of the REC's pending RIPAS change.") \
	X(base_align, RMI_ERROR_RTT, IW, ALL, SPEC, \
	  "base is not aligned to the level of the RTT entry that covers it, and that entry " \
	  "does not already have the RIPAS asked for.") \
	X(top_gran_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "top is not aligned to a granule.") \
	X(no_progress, RMI_ERROR_RTT, IW, ALL, SPEC, \
	  "Not a single entry from base could be changed.")

#define CONDS_RMI_RTT_UNMAP_UNPROTECTED(X) \
	RDS(X) \
	X(level_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, "level is not a block or page level.") \
	X(ipa_align, RMI_ERROR_INPUT, I0, ALL, SPEC, "ipa is not aligned to the level's size.") \
	X(ipa_bound, RMI_ERROR_INPUT, I0, ALL, SPEC, \
	  "ipa is not an Unprotected IPA of the realm.") \
	X(rtt_walk, RMI_ERROR_RTT, IW, ALL, SPEC, "No RTT of that level covers ipa.") \
	X(rtte_state, RMI_ERROR_RTT, IW, ALL, SPEC, "The RTT entry at ipa is not ASSIGNED_NS.")

#define RSI_PROTECTED_BUFFER(X, align_text) \
	X(addr_align, RSI_ERROR_INPUT, IN, ALL, SPEC, align_text) \
	X(addr_bound, RSI_ERROR_INPUT, IN, ALL, SPEC, "addr is not a Protected IPA.")

/* Attestation [S:B5.3.1, B5.3.2]: INIT has no failure conditions. */
#define CONDS_RSI_ATTESTATION_TOKEN_INIT(X)

#define CONDS_RSI_ATTESTATION_TOKEN_CONTINUE(X) \
	RSI_PROTECTED_BUFFER(X, "addr is not aligned to a granule.") \
	X(offset_bound, RSI_ERROR_INPUT, IN, ALL, SPEC, "offset is not within a granule.") \
	X(size_overflow, RSI_ERROR_INPUT, IN, ALL, SPEC, "offset + size overflows.") \
	X(size_bound, RSI_ERROR_INPUT, IN, ALL, SPEC, "offset + size is beyond the granule.") \
	X(state, RSI_ERROR_STATE, IN, ALL, SPEC, \
	  "No token is being fetched: RSI_ATTESTATION_TOKEN_INIT has not started one.") \
	X(unknown, RSI_ERROR_UNKNOWN, IN, ALL, SPEC, \
	  "The token could not be made: the platform has no attestation service, or it failed.")

#define CONDS_RSI_VERSION(X) \
	X(version, RSI_ERROR_INPUT, IN, EAC3_ON, READING, \
	  "No implemented revision is compatible with the one requested (outcome b or c).")

#define CONDS_RSI_FEATURES(X)

#define CONDS_RSI_HOST_CALL(X) RSI_PROTECTED_BUFFER(X, "addr is not aligned to 256 bytes.")

#define CONDS_RSI_IPA_STATE_GET(X) \
	X(base_align, RSI_ERROR_INPUT, IN, ALL, SPEC, "base is not aligned to a granule.") \
	X(end_align, RSI_ERROR_INPUT, IN, ALL, SPEC, "top is not aligned to a granule.") \
	X(size_valid, RSI_ERROR_INPUT, IN, ALL, SPEC, "top is not above base.") \
	X(rgn_bound, RSI_ERROR_INPUT, IN, ALL, SPEC, "The range is not all Protected IPAs.")

#define CONDS_RSI_IPA_STATE_SET(X) \
	X(base_align, RSI_ERROR_INPUT, IN, ALL, SPEC, "base is not aligned to a granule.") \
	X(top_align, RSI_ERROR_INPUT, IN, ALL, SPEC, "top is not aligned to a granule.") \
	X(size_valid, RSI_ERROR_INPUT, IN, ALL, SPEC, "top is not above base.") \
	X(rgn_bound, RSI_ERROR_INPUT, IN, ALL, SPEC, "The range is not all Protected IPAs.") \
	X(ripas_valid, RSI_ERROR_INPUT, IN, ALL, SPEC, "ripas is neither EMPTY nor RAM.")

#define CONDS_RSI_MEASUREMENT_EXTEND(X) \
	X(index_bound, RSI_ERROR_INPUT, IN, ALL, SPEC, \
	  "index does not name an extensible measurement (1 to 4).") \
	X(size_bound, RSI_ERROR_INPUT, IN, ALL, SPEC, "size is more than 64 bytes.")

#define CONDS_RSI_MEASUREMENT_READ(X) \
	X(index_bound, RSI_ERROR_INPUT, IN, ALL, SPEC, \
	  "index does not name a measurement (0, the RIM, to 4).")

#define CONDS_RSI_REALM_CONFIG(X) \
	RSI_PROTECTED_BUFFER(X, "addr is not aligned to a granule.")

#define CONDS_PSCI_AFFINITY_INFO(X) \
	X(target_bound, PSCI_INVALID_PARAMETERS, IN, ALL, SPEC, \
	  "lowest_affinity_level is not 0: the realm's vCPUs have one level.") \
	X(target_match, PSCI_INVALID_PARAMETERS, IN, ALL, SPEC, \
	  "target_affinity names no REC of the realm.")

#define CONDS_PSCI_CPU_ON(X) \
	X(entry, PSCI_INVALID_ADDRESS, IN, ALL, SPEC, \
	  "entry_point_address is not a Protected IPA.") \
	X(mpidr, PSCI_INVALID_PARAMETERS, IN, ALL, SPEC, \
	  "target_cpu names no REC of the realm.") \
	X(runnable, PSCI_ALREADY_ON, IN, ALL, SPEC, \
	  "The target is already running: here, the caller naming itself.")

/*
 * Every command with its section and the spec's ordering of its conditions (empty: the spec
 * orders none). T(command, interface, section, ordering).
 */
#define RMM_CONDITION_TABLES(T) \
	T(RMI_VERSION, RMI, "B4.3.23", "") \
	T(RMI_FEATURES, RMI, "B4.3.4", "") \
	T(RMI_GRANULE_DELEGATE, RMI, "B4.3.5", "") \
	T(RMI_GRANULE_UNDELEGATE, RMI, "B4.3.6", "") \
	T(RMI_DATA_CREATE, RMI, "B4.3.1", \
	  "[rd_bound, rd_state] < [realm_state]; [rd_bound, rd_state] < [rtt_walk, rtte_state]; " \
	  "[ipa_bound] < [rtt_walk, rtte_state]") \
	T(RMI_DATA_CREATE_UNKNOWN, RMI, "B4.3.2", \
	  "[rd_bound, rd_state] < [rtt_walk, rtte_state]; [ipa_bound] < [rtt_walk, rtte_state]") \
	T(RMI_DATA_DESTROY, RMI, "B4.3.3", \
	  "[rd_bound, rd_state] < [rtt_walk, rtte_state]; [ipa_bound] < [rtt_walk, rtte_state]") \
	T(RMI_PSCI_COMPLETE, RMI, "B4.3.7", "") \
	T(RMI_REALM_ACTIVATE, RMI, "B4.3.8", "[rd_bound, rd_state] < [realm_state]") \
	T(RMI_REALM_CREATE, RMI, "B4.3.9", "") \
	T(RMI_REALM_DESTROY, RMI, "B4.3.10", "[rd_bound, rd_state] < [realm_live]") \
	T(RMI_REC_AUX_COUNT, RMI, "B4.3.11", "") \
	T(RMI_REC_CREATE, RMI, "B4.3.12", "[rd_bound, rd_state] < [realm_state, num_recs]") \
	T(RMI_REC_DESTROY, RMI, "B4.3.13", "[rec_bound, rec_gran_state] < [rec_state]") \
	T(RMI_REC_ENTER, RMI, "B4.3.14", \
	  "[rec_align, rec_bound, rec_gran_state, run_pas, run_bound, run_align] < [rec_state, " \
	  "rec_runnable, rec_mmio, realm_new, system_off, rec_gicv3, rec_psci]") \
	T(RMI_RTT_CREATE, RMI, "B4.3.15", \
	  "[rd_bound, rd_state] < [rtt_walk, rtte_state]; [level_bound, ipa_bound] < [rtt_walk, " \
	  "rtte_state]") \
	T(RMI_RTT_DESTROY, RMI, "B4.3.16", \
	  "[rd_bound, rd_state] < [rtt_walk, rtte_state, rtt_live]; [level_bound, ipa_bound] < " \
	  "[rtt_walk, rtte_state]") \
	T(RMI_RTT_FOLD, RMI, "B4.3.17", \
	  "[rd_bound, rd_state] < [rtt_walk, rtte_state, rtt_homo]; [level_bound, ipa_bound] < " \
	  "[rtt_walk, rtte_state]") \
	T(RMI_RTT_INIT_RIPAS, RMI, "B4.3.18", \
	  "[rd_bound, rd_state] < [realm_state]; [rd_bound, rd_state] < [base_align, rtte_state]; " \
	  "[rd_bound, rd_state] < [no_progress]; [top_gran_align] < [no_progress]") \
	T(RMI_RTT_MAP_UNPROTECTED, RMI, "B4.3.19", \
	  "[rd_bound, rd_state] < [rtt_walk, rtte_state]; [level_bound, ipa_bound] < [rtt_walk, " \
	  "rtte_state]") \
	T(RMI_RTT_READ_ENTRY, RMI, "B4.3.20", "") \
	T(RMI_RTT_SET_RIPAS, RMI, "B4.3.21", \
	  "[rd_bound, rd_state] < [base_align]; [rd_bound, rd_state] < [no_progress]; [rec_bound, " \
	  "rec_gran_state] < [rec_state, rec_owner]; [base_bound] < [base_align]; " \
	  "[top_gran_align] < [no_progress]") \
	T(RMI_RTT_UNMAP_UNPROTECTED, RMI, "B4.3.22", \
	  "[rd_bound, rd_state] < [rtt_walk, rtte_state]; [level_bound, ipa_bound] < [rtt_walk, " \
	  "rtte_state]") \
	T(RSI_ATTESTATION_TOKEN_CONTINUE, RSI, "B5.3.1", "") \
	T(RSI_ATTESTATION_TOKEN_INIT, RSI, "B5.3.2", "") \
	T(RSI_VERSION, RSI, "B5.3.10", "") \
	T(RSI_FEATURES, RSI, "B5.3.3", "") \
	T(RSI_HOST_CALL, RSI, "B5.3.4", "") \
	T(RSI_IPA_STATE_GET, RSI, "B5.3.5", "") \
	T(RSI_IPA_STATE_SET, RSI, "B5.3.6", "") \
	T(RSI_MEASUREMENT_EXTEND, RSI, "B5.3.7", "") \
	T(RSI_MEASUREMENT_READ, RSI, "B5.3.8", "") \
	T(RSI_REALM_CONFIG, RSI, "B5.3.9", "") \
	T(PSCI_AFFINITY_INFO, PSCI, "B6.3.1", "") \
	T(PSCI_CPU_ON, PSCI, "B6.3.3", "")
/* clang-format on */

/*
 * What the RMM decides when RMI_PSCI_COMPLETE succeeds [S:B4.3.7.3, B3.27]: the PSCI result the
 * realm receives follows from the request, the host's status and the target's state. A
 * successful completion names its decision (the `decision` of its rmi event), so that the
 * views can say why the realm got what it got. X(id, meaning).
 */
/* clang-format off */
#define RMM_PSCI_DECISIONS(X) \
	X(on_success, "The target REC was NOT_RUNNABLE and the host answered PSCI_SUCCESS: the " \
	  "target becomes RUNNABLE, to start at the entry point with the context ID in X0, and " \
	  "the realm receives PSCI_SUCCESS.") \
	X(on_denied, "PSCI_DENIED is permitted because the target REC is NOT_RUNNABLE " \
	  "(PsciReturnCodePermitted): the target stays off and the realm receives PSCI_DENIED.") \
	X(on_already, "The target REC is already RUNNABLE: whatever the host answered, the realm " \
	  "receives PSCI_ALREADY_ON.") \
	X(affinity_on, "The target REC is RUNNABLE: the realm's PSCI_AFFINITY_INFO receives ON " \
	  "(0).") \
	X(affinity_off, "The target REC is NOT_RUNNABLE: the realm's PSCI_AFFINITY_INFO receives " \
	  "OFF (1).")
/* clang-format on */
#define RMM_PSCI_DECISIONS_SECTION "B4.3.7.3"

#define DECISION_ENTRY(id, meaning) DECISION_##id,
enum psci_decision { DECISION_NONE, RMM_PSCI_DECISIONS(DECISION_ENTRY) DECISION_COUNT };
#undef DECISION_ENTRY

/* The ID of a decision ("on_denied"), NULL for DECISION_NONE. */
const char *decision_name(enum psci_decision d);

/* One enumerator per table, CT_<command>, in RMM_CONDITION_TABLES order. */
#define COND_TABLE_ENTRY(cmd, iface, section, order) CT_##cmd,
enum cond_table { RMM_CONDITION_TABLES(COND_TABLE_ENTRY) CT_COUNT };
#undef COND_TABLE_ENTRY

/* The name of a condition ID ("rd_state"), NULL for COND_NONE. */
const char *cond_name(enum cond_id id);

/* The row of `id` in table `t`, or NULL when the command does not list it. */
const struct rmm_condition *cond_row(enum cond_table t, enum cond_id id);

/* The result `id` gives in `t` (RMI_SUCCESS, 0, for COND_NONE and for a condition it does not
 * list). */
uint64_t cond_status(enum cond_table t, enum cond_id id);

/* The row of `id` in `t`, which must exist and apply to revision `spec`: a handler naming a
 * condition its command does not list (in that revision) is an RMM bug, reported by
 * rmm_internal_error. */
const struct rmm_condition *cond_require(enum cond_table t, enum cond_id id, unsigned spec);

#endif
