/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The SDK's calls (cca_realm.h): SMCs for PSCI and RSI, and the emulated devices. */
#include "cca_realm.h"

static unsigned ipa_width;
/* RsiRealmConfig: one granule, 4K-aligned, in the image's Protected RAM. */
static uint8_t realm_config[4096] __attribute__((aligned(4096)));
/* RsiHostCall: imm at 0, gprs from 8, 256-byte aligned. */
static uint64_t host_call[32] __attribute__((aligned(256)));

struct cca_smc_ret cca_smc_wide(uint64_t fid, const uint64_t a[10])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a[0];
	register uint64_t x2 __asm__("x2") = a[1];
	register uint64_t x3 __asm__("x3") = a[2];
	register uint64_t x4 __asm__("x4") = a[3];
	register uint64_t x5 __asm__("x5") = a[4];
	register uint64_t x6 __asm__("x6") = a[5];
	register uint64_t x7 __asm__("x7") = a[6];
	register uint64_t x8 __asm__("x8") = a[7];
	register uint64_t x9 __asm__("x9") = a[8];
	register uint64_t x10 __asm__("x10") = a[9];
	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
			   "+r"(x7), "+r"(x8), "+r"(x9), "+r"(x10)
			 :
			 : "memory", "x11", "x12", "x13", "x14", "x15", "x16", "x17");
	return (struct cca_smc_ret){{x0, x1, x2, x3, x4, x5, x6, x7}};
}

/* X7..X10 are zero: SMCCC asks unused argument registers to be. */
struct cca_smc_ret cca_smc(uint64_t fid, const uint64_t a[6])
{
	const uint64_t wide[10] = {a[0], a[1], a[2], a[3], a[4], a[5]};
	return cca_smc_wide(fid, wide);
}

static uint64_t smc1(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	const uint64_t a[6] = {a1, a2, a3, 0, 0, 0};
	return cca_smc(fid, a).x[0];
}

unsigned cca_rec_index(void)
{
	uint64_t mpidr;
	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	/* Aff2..Aff0: bit 31 is RES1 and Aff3 is 0 for every REC */
	return (unsigned)mpidr_to_rec_index(mpidr & 0xffffffULL);
}

int64_t cca_psci_cpu_on(unsigned rec, void (*entry)(void), uint64_t context_id)
{
	return (int64_t)smc1(PSCI_CPU_ON, rec_index_to_mpidr(rec), (uint64_t)(uintptr_t)entry,
			     context_id);
}

int64_t cca_psci_affinity_info(unsigned rec)
{
	return (int64_t)smc1(PSCI_AFFINITY_INFO, rec_index_to_mpidr(rec), 0, 0);
}

_Noreturn void cca_psci_cpu_off(void)
{
	for (;;) {
		smc1(PSCI_CPU_OFF, 0, 0, 0);
	}
}

_Noreturn void cca_psci_system_off(void)
{
	for (;;) {
		smc1(PSCI_SYSTEM_OFF, 0, 0, 0);
	}
}

uint64_t cca_rsi_version(uint64_t requested, uint64_t *lower, uint64_t *higher)
{
	const uint64_t a[6] = {requested, 0, 0, 0, 0, 0};
	struct cca_smc_ret r = cca_smc(RSI_VERSION, a);
	*lower = r.x[1];
	*higher = r.x[2];
	return r.x[0];
}

uint64_t cca_rsi_realm_config(void *granule)
{
	return smc1(RSI_REALM_CONFIG, (uint64_t)(uintptr_t)granule, 0, 0);
}

/* bytes[0..n) into doublewords, little-endian as the RMM reads registers [S:B5.3.7]. */
static void pack(uint64_t *words, unsigned nwords, const uint8_t *bytes, size_t n)
{
	for (unsigned w = 0; w < nwords; w++) {
		words[w] = 0;
	}
	for (size_t i = 0; i < n && i < 8U * nwords; i++) {
		words[i / 8] |= (uint64_t)bytes[i] << (8 * (i % 8));
	}
}

uint64_t cca_rsi_measurement_extend(unsigned index, const void *value, size_t size)
{
	uint64_t a[10] = {index, size};
	pack(&a[2], 8, value, size);
	return cca_smc_wide(RSI_MEASUREMENT_EXTEND, a).x[0];
}

uint64_t cca_rsi_attestation_token_init(const uint8_t challenge[64], uint64_t *max_size)
{
	uint64_t a[10] = {0};
	pack(a, 8, challenge, 64);
	struct cca_smc_ret r = cca_smc_wide(RSI_ATTESTATION_TOKEN_INIT, a);
	*max_size = r.x[1];
	return r.x[0];
}

uint64_t cca_rsi_attestation_token_continue(void *granule, uint64_t offset, uint64_t size,
					    uint64_t *len)
{
	const uint64_t a[6] = {(uint64_t)(uintptr_t)granule, offset, size, 0, 0, 0};
	struct cca_smc_ret r = cca_smc(RSI_ATTESTATION_TOKEN_CONTINUE, a);
	*len = r.x[1];
	return r.x[0];
}

unsigned cca_ipa_width(void)
{
	return ipa_width;
}

uint64_t cca_unprotected_base(void)
{
	return 1ULL << (ipa_width - 1);
}

uint64_t cca_rsi_host_call(uint16_t imm, uint64_t gprs[31])
{
	host_call[0] = imm;
	for (unsigned i = 0; i < 31; i++) {
		host_call[1 + i] = gprs[i];
	}
	uint64_t r = smc1(RSI_HOST_CALL, (uint64_t)(uintptr_t)host_call, 0, 0);
	for (unsigned i = 0; i < 31; i++) {
		gprs[i] = host_call[1 + i];
	}
	return r;
}

/* The PL011's data and flag registers, and the flag that says the transmit FIFO is full. */
#define UARTDR      0x000U
#define UARTFR      0x018U
#define UARTFR_TXFF (1U << 5)

static volatile uint32_t *uart_reg(unsigned off)
{
	return (volatile uint32_t *)(uintptr_t)(cca_unprotected_base() + CCA_PL011_OFFSET + off);
}

void cca_putc(char c)
{
	while (*uart_reg(UARTFR) & UARTFR_TXFF) {
	}
	*uart_reg(UARTDR) = (uint32_t)(unsigned char)c;
}

void cca_puts(const char *s)
{
	while (*s) {
		cca_putc(*s++);
	}
}

_Noreturn void cca_exit(uint64_t status)
{
	*(volatile uint64_t *)(uintptr_t)(cca_unprotected_base() + CCA_EXIT_OFFSET) = status;
	cca_psci_system_off(); /* no exit device: power off */
}

extern char cca_vectors[];

void cca_install_vectors(void)
{
	__asm__ volatile("msr vbar_el1, %0\n\tisb" ::"r"((uint64_t)(uintptr_t)cca_vectors));
}

__attribute__((weak)) void cca_irq_handler(void)
{
	cca_gic_eoi(cca_gic_ack());
}

void cca_gic_enable(void)
{
	__asm__ volatile("msr s3_0_c4_c6_0, %0\n\t"   /* ICC_PMR_EL1 */
			 "msr s3_0_c12_c12_7, %1\n\t" /* ICC_IGRPEN1_EL1 */
			 "isb" ::"r"(0xffULL),
			 "r"(1ULL));
}

uint32_t cca_gic_ack(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, s3_0_c12_c12_0" : "=r"(v)); /* ICC_IAR1_EL1 */
	return (uint32_t)v;
}

void cca_gic_eoi(uint32_t intid)
{
	if (intid != 1023) {
		__asm__ volatile("msr s3_0_c12_c12_1, %0" ::"r"((uint64_t)intid)); /* EOIR1 */
	}
}

void cca_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void cca_wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

uint64_t cca_counter(void)
{
	uint64_t v;
	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

uint64_t cca_counter_hz(void)
{
	uint64_t v;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

void cca_vtimer_arm(uint64_t ticks)
{
	__asm__ volatile("msr cntv_tval_el0, %0\n\t"
			 "msr cntv_ctl_el0, %1\n\t"
			 "isb" ::"r"(ticks),
			 "r"(1ULL));
}

void cca_vtimer_stop(void)
{
	__asm__ volatile("msr cntv_ctl_el0, xzr\n\tisb");
}

_Noreturn void cca_unexpected_exception(uint64_t esr, uint64_t elr, uint64_t offset)
{
	cca_printf("unexpected exception: vector +0x%llx, ESR 0x%llx, ELR 0x%llx\n",
		   (unsigned long long)offset, (unsigned long long)esr, (unsigned long long)elr);
	cca_exit(0xdead);
}

__attribute__((weak)) void cca_secondary_main(unsigned rec, uint64_t context_id)
{
	(void)rec;
	(void)context_id;
}

/* From crt0.S, on REC 0's stack with .bss cleared. */
_Noreturn void cca_start_main(void);
_Noreturn void cca_start_main(void)
{
	ipa_width = 33; /* until RSI_REALM_CONFIG says */
	if (cca_rsi_realm_config(realm_config) == RSI_SUCCESS) {
		ipa_width = (unsigned)*(volatile uint64_t *)(realm_config + REALM_CONFIG_IPA_WIDTH);
	}
	cca_exit((uint64_t)main());
}

/* From crt0.S, on a secondary REC's stack. */
_Noreturn void cca_start_secondary(unsigned rec, uint64_t context_id);
_Noreturn void cca_start_secondary(unsigned rec, uint64_t context_id)
{
	cca_secondary_main(rec, context_id);
	cca_psci_cpu_off();
}
