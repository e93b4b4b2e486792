/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SMCCC, RMI, RSI, PSCI and RMM-EL3 ABI: function IDs, return codes, structure offsets and
 * their spec names (Arm DEN0137 1.0-rel0, B4.3, B4.4, B5.3). Every layer may
 * include this header: it holds numbers and names only, no behaviour.
 */
#ifndef CCA_ABI_H
#define CCA_ABI_H

#include "arch/arch.h"

#include <stdbool.h>
#include <stdint.h>

#define GRANULE_MASK (GRANULE_SIZE - 1)

/* SMCCC (section 2.1) */
#define SMCCC_VERSION           0x80000000ULL
#define SMCCC_ARCH_FEATURES     0x80000001ULL
#define SMCCC_SUCCESS           0ULL
#define SMCCC_NOT_SUPPORTED     ((uint64_t)-1)
#define SMCCC_NOT_REQUIRED      ((uint64_t)-2)
#define SMCCC_INVALID_PARAMETER ((uint64_t)-3)
#define SMCCC_SVE_HINT          (1ULL << 16)

/* RMI function IDs [S:B4.3] */
#define RMI_VERSION               0xC4000150ULL
#define RMI_GRANULE_DELEGATE      0xC4000151ULL
#define RMI_GRANULE_UNDELEGATE    0xC4000152ULL
#define RMI_DATA_CREATE           0xC4000153ULL
#define RMI_DATA_CREATE_UNKNOWN   0xC4000154ULL
#define RMI_DATA_DESTROY          0xC4000155ULL
#define RMI_REALM_ACTIVATE        0xC4000157ULL
#define RMI_REALM_CREATE          0xC4000158ULL
#define RMI_REALM_DESTROY         0xC4000159ULL
#define RMI_REC_CREATE            0xC400015AULL
#define RMI_REC_DESTROY           0xC400015BULL
#define RMI_REC_ENTER             0xC400015CULL
#define RMI_RTT_CREATE            0xC400015DULL
#define RMI_RTT_DESTROY           0xC400015EULL
#define RMI_RTT_MAP_UNPROTECTED   0xC400015FULL
#define RMI_RTT_READ_ENTRY        0xC4000161ULL
#define RMI_RTT_UNMAP_UNPROTECTED 0xC4000162ULL
#define RMI_PSCI_COMPLETE         0xC4000164ULL
#define RMI_FEATURES              0xC4000165ULL
#define RMI_RTT_FOLD              0xC4000166ULL
#define RMI_REC_AUX_COUNT         0xC4000167ULL
#define RMI_RTT_INIT_RIPAS        0xC4000168ULL
#define RMI_RTT_SET_RIPAS         0xC4000169ULL
#define RMI_FID_FIRST             0xC4000150ULL
#define RMI_FID_LAST              0xC400018FULL /* EL3 forwards the whole window */

/* RMI return codes [S:B4.4.1]: X0 = index << 8 | status */
#define RMI_SUCCESS          0U
#define RMI_ERROR_INPUT      1U
#define RMI_ERROR_REALM      2U
#define RMI_ERROR_REC        3U
#define RMI_ERROR_RTT        4U
#define RMI_RET(status, idx) ((uint64_t)(status) | ((uint64_t)(idx) << 8))
#define RMI_RET_STATUS(x0)   ((unsigned)((x0)&0xff))
#define RMI_RET_INDEX(x0)    ((unsigned)(((x0) >> 8) & 0xff))

/* RSI function IDs [S:B5.3] */
#define RSI_VERSION                    0xC4000190ULL
#define RSI_FEATURES                   0xC4000191ULL
#define RSI_MEASUREMENT_READ           0xC4000192ULL
#define RSI_MEASUREMENT_EXTEND         0xC4000193ULL
#define RSI_ATTESTATION_TOKEN_INIT     0xC4000194ULL
#define RSI_ATTESTATION_TOKEN_CONTINUE 0xC4000195ULL
#define RSI_REALM_CONFIG               0xC4000196ULL
#define RSI_IPA_STATE_SET              0xC4000197ULL
#define RSI_IPA_STATE_GET              0xC4000198ULL
#define RSI_HOST_CALL                  0xC4000199ULL
#define RSI_FID_FIRST                  0xC4000190ULL
#define RSI_FID_LAST                   0xC40001AFULL

/* RSI return codes [S:B5.4.1] */
#define RSI_SUCCESS       0ULL
#define RSI_ERROR_INPUT   1ULL
#define RSI_ERROR_STATE   2ULL
#define RSI_INCOMPLETE    3ULL
#define RSI_ERROR_UNKNOWN 4ULL
#define RSI_ACCEPT        0ULL
#define RSI_REJECT        1ULL

/* PSCI function IDs [S:B6.3]; SMC32 aliases accepted by the tf-rmm profile (TR4) */
#define PSCI_VERSION             0x84000000ULL
#define PSCI_CPU_SUSPEND         0xC4000001ULL
#define PSCI_CPU_OFF             0x84000002ULL
#define PSCI_CPU_ON              0xC4000003ULL
#define PSCI_AFFINITY_INFO       0xC4000004ULL
#define PSCI_SYSTEM_OFF          0x84000008ULL
#define PSCI_SYSTEM_RESET        0x84000009ULL
#define PSCI_FEATURES            0x8400000AULL
#define PSCI_CPU_SUSPEND_SMC32   0x84000001ULL
#define PSCI_CPU_ON_SMC32        0x84000003ULL
#define PSCI_AFFINITY_INFO_SMC32 0x84000004ULL
#define PSCI_FN_MASK             0x1FULL /* PSCI owns function numbers 0x00-0x1F */

/* PSCI return codes [S:B6.4.2], 64-bit sign-extended */
#define PSCI_SUCCESS            0ULL
#define PSCI_OFF                1ULL /* AFFINITY_INFO: OFF; ON is 0 */
#define PSCI_NOT_SUPPORTED      ((uint64_t)-1)
#define PSCI_INVALID_PARAMETERS ((uint64_t)-2)
#define PSCI_DENIED             ((uint64_t)-3)
#define PSCI_ALREADY_ON         ((uint64_t)-4)
#define PSCI_ON_PENDING         ((uint64_t)-5)
#define PSCI_INTERNAL_FAILURE   ((uint64_t)-6)
#define PSCI_NOT_PRESENT        ((uint64_t)-7)
#define PSCI_DISABLED           ((uint64_t)-8)
#define PSCI_INVALID_ADDRESS    ((uint64_t)-9)

/* EL3 <-> RMM interface (section 2.5) */
#define RMM_RMI_REQ_COMPLETE      0xC400018FULL
#define RMM_GTSI_DELEGATE         0xC40001B0ULL
#define RMM_GTSI_UNDELEGATE       0xC40001B1ULL
#define RMM_ATTEST_GET_REALM_KEY  0xC40001B2ULL
#define RMM_ATTEST_GET_PLAT_TOKEN 0xC40001B3ULL
#define RMM_BOOT_COMPLETE         0xC40001CFULL
#define E_RMM_OK                  0ULL
#define E_RMM_UNK                 ((uint64_t)-1)
#define E_RMM_BAD_ADDR            ((uint64_t)-2)
#define E_RMM_BAD_PAS             ((uint64_t)-3)
#define E_RMM_NOMEM               ((uint64_t)-4)
#define E_RMM_INVAL               ((uint64_t)-5)
#define E_RMM_AGAIN               ((uint64_t)-6)

/* RmiRecRun (4 KB NS granule) [S:B4.4.20]: enter at 0x000, exit at 0x800 */
#define RUN_ENTER_FLAGS         0x000
#define RUN_ENTER_GPRS          0x200
#define RUN_ENTER_GICV3_HCR     0x300
#define RUN_ENTER_GICV3_LRS     0x308
#define RUN_EXIT_BASE           0x800
#define RUN_EXIT_REASON         0x800
#define RUN_EXIT_ESR            0x900
#define RUN_EXIT_FAR            0x908
#define RUN_EXIT_HPFAR          0x910
#define RUN_EXIT_GPRS           0xA00
#define RUN_EXIT_GICV3_HCR      0xB00
#define RUN_EXIT_GICV3_LRS      0xB08
#define RUN_EXIT_GICV3_MISR     0xB88
#define RUN_EXIT_GICV3_VMCR     0xB90
#define RUN_EXIT_CNTP_CTL       0xC00
#define RUN_EXIT_CNTP_CVAL      0xC08
#define RUN_EXIT_CNTV_CTL       0xC10
#define RUN_EXIT_CNTV_CVAL      0xC18
#define RUN_EXIT_RIPAS_BASE     0xD00
#define RUN_EXIT_RIPAS_TOP      0xD08
#define RUN_EXIT_RIPAS_VALUE    0xD10
#define RUN_EXIT_IMM            0xE00
#define RUN_EXIT_PMU_OVF_STATUS 0xF00

/* RmiRecEnterFlags [S:B4.4.15] */
#define REC_ENTER_FLAG_EMUL_MMIO      (1ULL << 0)
#define REC_ENTER_FLAG_INJECT_SEA     (1ULL << 1)
#define REC_ENTER_FLAG_TRAP_WFI       (1ULL << 2)
#define REC_ENTER_FLAG_TRAP_WFE       (1ULL << 3)
#define REC_ENTER_FLAG_RIPAS_RESPONSE (1ULL << 4)

/* RmiRecExitReason [S:B4.4.17] */
#define RMI_EXIT_SYNC         0U
#define RMI_EXIT_IRQ          1U
#define RMI_EXIT_FIQ          2U
#define RMI_EXIT_PSCI         3U
#define RMI_EXIT_RIPAS_CHANGE 4U
#define RMI_EXIT_HOST_CALL    5U
#define RMI_EXIT_SERROR       6U

/* RmiRecParams (4 KB NS granule) [S:B4.4.19] */
#define REC_PARAMS_FLAGS         0x000
#define REC_PARAMS_MPIDR         0x100
#define REC_PARAMS_PC            0x200
#define REC_PARAMS_GPRS          0x300
#define REC_PARAMS_NUM_AUX       0x800
#define REC_PARAMS_AUX           0x808
#define REC_PARAMS_FLAG_RUNNABLE 1ULL

/* RmiRealmParams (4 KB NS granule) [S:B4.4.12] */
/* RmiRealmFlags [S:B4.4.11]: [63:3] SBZ. */
#define REALM_FLAG_LPA2  (1ULL << 0)
#define REALM_FLAG_SVE   (1ULL << 1)
#define REALM_FLAG_PMU   (1ULL << 2)
#define REALM_FLAGS_MASK 0x7ULL

#define REALM_PARAMS_FLAGS           0x000
#define REALM_PARAMS_S2SZ            0x008
#define REALM_PARAMS_SVE_VL          0x010
#define REALM_PARAMS_NUM_BPS         0x018
#define REALM_PARAMS_NUM_WPS         0x020
#define REALM_PARAMS_PMU_NUM_CTRS    0x028
#define REALM_PARAMS_HASH_ALGO       0x030
#define REALM_PARAMS_RPV             0x400
#define REALM_PARAMS_VMID            0x800
#define REALM_PARAMS_RTT_BASE        0x808
#define REALM_PARAMS_RTT_LEVEL_START 0x810
#define REALM_PARAMS_RTT_NUM_START   0x818
#define RMI_HASH_SHA_256             0U
#define RMI_HASH_SHA_512             1U

/* RsiHostCall [S:B5.4.3] and RsiRealmConfig [S:B5.4.5] */
#define HOST_CALL_IMM          0x00
#define HOST_CALL_GPRS         0x08
#define HOST_CALL_SIZE         0x100
#define REALM_CONFIG_IPA_WIDTH 0x000
#define REALM_CONFIG_HASH_ALGO 0x008
#define REALM_CONFIG_RPV       0x200

/* RmiRipas [S:B4.4.23], RmiRttEntryState [S:B3.61], RmiDataFlags */
#define RIPAS_EMPTY          0U
#define RIPAS_RAM            1U
#define RIPAS_DESTROYED      2U
#define RTT_STATE_UNASSIGNED 0U
#define RTT_STATE_ASSIGNED   1U
#define RTT_STATE_TABLE      2U
#define RMI_MEASURE_CONTENT  1ULL

/* RmiRecMpidr [S:B4.4.18] <-> REC index (section 3.4) */
static inline uint64_t rec_index_to_mpidr(uint64_t idx)
{
	return (idx & 0xfULL) | (((idx >> 4) & 0xffULL) << 8) | (((idx >> 12) & 0xffULL) << 16) |
	       (((idx >> 20) & 0xffULL) << 24);
}

static inline uint64_t mpidr_to_rec_index(uint64_t mpidr)
{
	return (mpidr & 0xfULL) | (((mpidr >> 8) & 0xffULL) << 4) |
	       (((mpidr >> 16) & 0xffULL) << 12) | (((mpidr >> 24) & 0xffULL) << 20);
}

/*
 * Names. Each lookup returns the spec's full name, or NULL when the value has none.
 * abi_name_to_value accepts full names and, where `prefix` is given (e.g. "PSCI_"), the short
 * form without it; it returns false for an unknown name.
 */
enum abi_kind {
	ABI_FID,          /* any function ID: RMI, RSI, PSCI, SMCCC, RMM-EL3 */
	ABI_RMI_STATUS,   /* RMI_SUCCESS ... RMI_ERROR_RTT */
	ABI_PSCI_RET,     /* PSCI_SUCCESS ... PSCI_INVALID_ADDRESS, PSCI_OFF */
	ABI_RSI_RET,      /* RSI_SUCCESS ... */
	ABI_EXIT_REASON,  /* SYNC ... SERROR (short names, as in the event stream) */
	ABI_RIPAS,        /* EMPTY, RAM, DESTROYED (RmiRipas, RsiRipas) */
	ABI_RTT_STATE,    /* UNASSIGNED, ASSIGNED, TABLE (RmiRttEntryState) */
	ABI_RSI_RESPONSE, /* ACCEPT, REJECT (RsiResponse) */
	ABI_AFFINITY,     /* ON, OFF, ON_PENDING: what PSCI_AFFINITY_INFO returns [S:B6.3.1] */
};

const char *abi_name(enum abi_kind kind, uint64_t value);
bool abi_value(enum abi_kind kind, const char *name, const char *short_prefix, uint64_t *value);

#endif
