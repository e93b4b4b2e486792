/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cca-sim's realm SDK (docs/realm-sdk.md): what a freestanding C program needs to run as a
 * realm in cca-sim, built with Debian's aarch64-linux-gnu-gcc. The image is linked at IPA 0
 * (sdk/lib/realm.ld); sdk/lib/crt0.S gives every REC its own stack, clears .bss and calls
 * main() on REC 0 and cca_secondary_main() on a REC started by PSCI_CPU_ON. The numbers (FIDs,
 * structure layouts) are the project's own, from src/abi/abi.h.
 */
#ifndef CCA_REALM_SDK_H
#define CCA_REALM_SDK_H

#include "abi/abi.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* What an SMC returns: X0..X7. */
struct cca_smc_ret {
	uint64_t x[8];
};

/* SMC #0 with X0 = fid and X1..X6 = a[0..5]. */
struct cca_smc_ret cca_smc(uint64_t fid, const uint64_t a[6]);

/* SMC #0 with X0 = fid and X1..X10 = a[0..9], for the RSI calls with wide inputs. */
struct cca_smc_ret cca_smc_wide(uint64_t fid, const uint64_t a[10]);

/* The REC this code runs on (from MPIDR_EL1, as the RMM numbers RECs). */
unsigned cca_rec_index(void);

/* PSCI [S:B6.3]. entry is an IPA (a function of this image: VA = IPA, the MMU off). */
int64_t cca_psci_cpu_on(unsigned rec, void (*entry)(void), uint64_t context_id);
int64_t cca_psci_affinity_info(unsigned rec);
_Noreturn void cca_psci_cpu_off(void);
_Noreturn void cca_psci_system_off(void);

/* RSI [S:B5.3]: the realm's configuration, read once by crt0 (cca_ipa_width). */
uint64_t cca_rsi_version(uint64_t requested, uint64_t *lower, uint64_t *higher);
uint64_t cca_rsi_realm_config(void *granule);
unsigned cca_ipa_width(void);
/* The first Unprotected IPA: 2^(ipa_width - 1). Devices live above it. */
uint64_t cca_unprotected_base(void);

/*
 * Measurement and attestation [S:B5.3.7, B5.3.2, B5.3.1; A7]. REMs are indexes 1..4; a value
 * is at most 64 bytes. TOKEN_INIT takes the 64-byte challenge and gives the token's upper
 * bound; each TOKEN_CONTINUE copies the next part, at most `size` bytes, to granule + offset
 * (granule 4 KB aligned, offset + size within it), sets *len to the bytes written and returns
 * RSI_INCOMPLETE until the last part (then RSI_SUCCESS). sdk/examples/attest.c uses them.
 */
uint64_t cca_rsi_measurement_extend(unsigned index, const void *value, size_t size);
uint64_t cca_rsi_attestation_token_init(const uint8_t challenge[64], uint64_t *max_size);
uint64_t cca_rsi_attestation_token_continue(void *granule, uint64_t offset, uint64_t size,
					    uint64_t *len);

/* RSI_HOST_CALL with `imm` and gprs[0..30] in and out (the structure is the SDK's own). */
uint64_t cca_rsi_host_call(uint16_t imm, uint64_t gprs[31]);

/* The devices cca-sim's VMM emulates (`host: {devices: [pl011, exit]}`), at their default
 * addresses: a PL011 UART and the exit device. */
#define CCA_PL011_OFFSET 0x09000000ULL
#define CCA_EXIT_OFFSET  0x09010000ULL
void cca_putc(char c);
void cca_puts(const char *s);
/* %s %c %d %i %u %x %p, with l/ll/z sizes and a width with 0 or - flags. */
int cca_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cca_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* Writes `status` to the exit device: the VMM ends the realm (`guest_exit` event). */
_Noreturn void cca_exit(uint64_t status);

/*
 * Interrupts and time. cca_install_vectors sets VBAR_EL1 to the SDK's table, whose IRQ entry
 * calls cca_irq_handler (weak: acknowledges and ends every interrupt); the GIC calls use the
 * GICv3 CPU interface's system registers (Group 1). The counter runs in virtual time: it
 * follows executed instructions, so every run reads the same values.
 */
void cca_install_vectors(void);
void cca_irq_handler(void);
void cca_gic_enable(void);  /* priority mask open, Group 1 interrupts on */
uint32_t cca_gic_ack(void); /* ICC_IAR1_EL1: the INTID, 1023 if none */
void cca_gic_eoi(uint32_t intid);
void cca_irq_enable(void); /* PSTATE.I = 0 */
void cca_wfi(void);
uint64_t cca_counter(void);          /* CNTVCT_EL0 */
uint64_t cca_counter_hz(void);       /* CNTFRQ_EL0 */
void cca_vtimer_arm(uint64_t ticks); /* fire in `ticks` counter ticks (CNTV_TVAL, ENABLE) */
void cca_vtimer_stop(void);
#define CCA_INTID_VTIMER 27U
_Noreturn void cca_unexpected_exception(uint64_t esr, uint64_t elr, uint64_t offset);

/* Entry points the program provides: main() on REC 0; cca_secondary_main on a REC that
 * PSCI_CPU_ON started at cca_secondary_entry, with its context_id (weak: PSCI_CPU_OFF). When
 * main returns, its value goes to the exit device if there is one, then PSCI_SYSTEM_OFF. */
int main(void);
void cca_secondary_main(unsigned rec, uint64_t context_id);
void cca_secondary_entry(void);

#endif
