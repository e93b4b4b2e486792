/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SDK's first example: REC 0 prints over the emulated PL011, starts REC 1 with
 * PSCI_CPU_ON (the host allows it), asks for REC 2 (the host, which has not plugged it,
 * answers PSCI_DENIED: D1.4.1), waits for REC 1 to finish, takes one interrupt of its virtual
 * timer, and ends: through the exit device if the host has one, else with PSCI_SYSTEM_OFF.
 */
#include "cca_realm.h"

static volatile uint64_t rec1_done;
static volatile unsigned ticks;
static const char greeting[] = "hello from a C realm";

void cca_secondary_main(unsigned rec, uint64_t context_id)
{
	cca_printf("REC %u started, context_id 0x%llx\n", rec, (unsigned long long)context_id);
	rec1_done = 1;
}

void cca_irq_handler(void)
{
	uint32_t intid = cca_gic_ack();
	if (intid == CCA_INTID_VTIMER) {
		ticks++;
		cca_vtimer_stop(); /* before the end of the interrupt, or it fires again */
	}
	cca_gic_eoi(intid);
}

int main(void)
{
	uint64_t lower = 0, higher = 0;
	cca_printf("%s on REC %u, IPA width %u\n", greeting, cca_rec_index(), cca_ipa_width());
	cca_rsi_version(0x10000, &lower, &higher);
	cca_printf("RSI interface %llu.%llu\n", (unsigned long long)(lower >> 16),
		   (unsigned long long)(lower & 0xffff));
	int64_t on1 = cca_psci_cpu_on(1, cca_secondary_entry, 0x1234);
	cca_printf("PSCI_CPU_ON(1) = %lld\n", (long long)on1);
	while (!rec1_done) {
		/* REC 1 runs when the host schedules it */
		cca_psci_affinity_info(1);
	}
	int64_t on2 = cca_psci_cpu_on(2, cca_secondary_entry, 0);
	cca_printf("PSCI_CPU_ON(2) = %lld%s\n", (long long)on2, on2 == -3 ? " (DENIED)" : "");
	cca_install_vectors();
	cca_gic_enable();
	cca_vtimer_arm(cca_counter_hz() / 1000); /* 1 ms of virtual time */
	cca_irq_enable();
	while (!ticks) {
		cca_wfi();
	}
	cca_printf("timer interrupt %u taken\n", CCA_INTID_VTIMER);
	return on1 == 0 && on2 == -3 ? 0 : 1;
}
