/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Name tables for the ABI numbers in abi.h. */
#include "abi/abi.h"

#include <stddef.h>
#include <string.h>

struct abi_entry {
	uint64_t value;
	const char *name;
};

#define E(x)                                                                                       \
	{                                                                                          \
		x, #x                                                                              \
	}

static const struct abi_entry fids[] = {
    E(RMI_VERSION),
    E(RMI_GRANULE_DELEGATE),
    E(RMI_GRANULE_UNDELEGATE),
    E(RMI_DATA_CREATE),
    E(RMI_DATA_CREATE_UNKNOWN),
    E(RMI_DATA_DESTROY),
    E(RMI_REALM_ACTIVATE),
    E(RMI_REALM_CREATE),
    E(RMI_REALM_DESTROY),
    E(RMI_REC_CREATE),
    E(RMI_REC_DESTROY),
    E(RMI_REC_ENTER),
    E(RMI_RTT_CREATE),
    E(RMI_RTT_DESTROY),
    E(RMI_RTT_MAP_UNPROTECTED),
    E(RMI_RTT_READ_ENTRY),
    E(RMI_RTT_UNMAP_UNPROTECTED),
    E(RMI_PSCI_COMPLETE),
    E(RMI_FEATURES),
    E(RMI_RTT_FOLD),
    E(RMI_REC_AUX_COUNT),
    E(RMI_RTT_INIT_RIPAS),
    E(RMI_RTT_SET_RIPAS),
    E(RSI_VERSION),
    E(RSI_FEATURES),
    E(RSI_MEASUREMENT_READ),
    E(RSI_MEASUREMENT_EXTEND),
    E(RSI_ATTESTATION_TOKEN_INIT),
    E(RSI_ATTESTATION_TOKEN_CONTINUE),
    E(RSI_REALM_CONFIG),
    E(RSI_IPA_STATE_SET),
    E(RSI_IPA_STATE_GET),
    E(RSI_HOST_CALL),
    E(PSCI_VERSION),
    E(PSCI_CPU_SUSPEND),
    E(PSCI_CPU_OFF),
    E(PSCI_CPU_ON),
    E(PSCI_AFFINITY_INFO),
    E(PSCI_SYSTEM_OFF),
    E(PSCI_SYSTEM_RESET),
    E(PSCI_FEATURES),
    E(PSCI_CPU_SUSPEND_SMC32),
    E(PSCI_CPU_ON_SMC32),
    E(PSCI_AFFINITY_INFO_SMC32),
    E(SMCCC_VERSION),
    E(SMCCC_ARCH_FEATURES),
    E(RMM_RMI_REQ_COMPLETE),
    E(RMM_GTSI_DELEGATE),
    E(RMM_GTSI_UNDELEGATE),
    E(RMM_ATTEST_GET_REALM_KEY),
    E(RMM_ATTEST_GET_PLAT_TOKEN),
    E(RMM_BOOT_COMPLETE),
    {0, NULL},
};

static const struct abi_entry rmi_status[] = {
    E(RMI_SUCCESS),   E(RMI_ERROR_INPUT), E(RMI_ERROR_REALM),
    E(RMI_ERROR_REC), E(RMI_ERROR_RTT),   {0, NULL},
};

static const struct abi_entry psci_ret[] = {
    E(PSCI_SUCCESS),     E(PSCI_OFF),        E(PSCI_NOT_SUPPORTED),   E(PSCI_INVALID_PARAMETERS),
    E(PSCI_DENIED),      E(PSCI_ALREADY_ON), E(PSCI_ON_PENDING),      E(PSCI_INTERNAL_FAILURE),
    E(PSCI_NOT_PRESENT), E(PSCI_DISABLED),   E(PSCI_INVALID_ADDRESS), {0, NULL},
};

static const struct abi_entry rsi_ret[] = {
    E(RSI_SUCCESS),    E(RSI_ERROR_INPUT),   E(RSI_ERROR_STATE),
    E(RSI_INCOMPLETE), E(RSI_ERROR_UNKNOWN), {0, NULL},
};

static const struct abi_entry exit_reason[] = {
    {RMI_EXIT_SYNC, "SYNC"},
    {RMI_EXIT_IRQ, "IRQ"},
    {RMI_EXIT_FIQ, "FIQ"},
    {RMI_EXIT_PSCI, "PSCI"},
    {RMI_EXIT_RIPAS_CHANGE, "RIPAS_CHANGE"},
    {RMI_EXIT_HOST_CALL, "HOST_CALL"},
    {RMI_EXIT_SERROR, "SERROR"},
    {0, NULL},
};

static const struct abi_entry ripas[] = {
    {RIPAS_EMPTY, "EMPTY"},
    {RIPAS_RAM, "RAM"},
    {RIPAS_DESTROYED, "DESTROYED"},
    {0, NULL},
};

static const struct abi_entry rtt_state[] = {
    {RTT_STATE_UNASSIGNED, "UNASSIGNED"},
    {RTT_STATE_ASSIGNED, "ASSIGNED"},
    {RTT_STATE_TABLE, "TABLE"},
    {0, NULL},
};

static const struct abi_entry rsi_response[] = {
    {RSI_ACCEPT, "ACCEPT"},
    {RSI_REJECT, "REJECT"},
    {0, NULL},
};

#undef E

/* PSCI_AFFINITY_INFO's results are states, not statuses: 0 is ON, not PSCI_SUCCESS. */
static const struct abi_entry affinity[] = {
    {0, "ON"},
    {1, "OFF"},
    {2, "ON_PENDING"},
    {0, NULL},
};

static const struct abi_entry *table(enum abi_kind kind)
{
	switch (kind) {
	case ABI_FID:
		return fids;
	case ABI_RMI_STATUS:
		return rmi_status;
	case ABI_PSCI_RET:
		return psci_ret;
	case ABI_RSI_RET:
		return rsi_ret;
	case ABI_EXIT_REASON:
		return exit_reason;
	case ABI_RIPAS:
		return ripas;
	case ABI_RTT_STATE:
		return rtt_state;
	case ABI_RSI_RESPONSE:
		return rsi_response;
	case ABI_AFFINITY:
		return affinity;
	}
	return NULL;
}

const char *abi_name(enum abi_kind kind, uint64_t value)
{
	for (const struct abi_entry *e = table(kind); e && e->name; e++) {
		if (e->value == value) {
			return e->name;
		}
	}
	return NULL;
}

bool abi_value(enum abi_kind kind, const char *name, const char *short_prefix, uint64_t *value)
{
	size_t plen = short_prefix ? strlen(short_prefix) : 0;

	for (const struct abi_entry *e = table(kind); e && e->name; e++) {
		bool full = strcmp(e->name, name) == 0;
		bool brief = plen && strncmp(e->name, short_prefix, plen) == 0 &&
			     strcmp(e->name + plen, name) == 0;
		if (full || brief) {
			*value = e->value;
			return true;
		}
	}
	return false;
}
