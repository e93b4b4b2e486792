/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SDK's interrupt example: the realm opens its GICv3 CPU interface and waits in WFI for
 * the interrupts its scenario's host injects (`host: {inject: [...]}`). Each arrives as a
 * device's interrupt would under KVM: at its time the host's interrupt makes the REC exit, the
 * host puts the virtual interrupt in a List Register, and the realm takes it through its own
 * vector table, acknowledges and ends it. The handler only records the INTIDs; main prints
 * them, in the order the GIC gave them (highest priority first when several are pending).
 */
#include "cca_realm.h"

#define WANTED 3

static volatile uint32_t taken[WANTED];
static volatile uint64_t taken_at[WANTED];
static volatile unsigned ntaken;

void cca_irq_handler(void)
{
	uint32_t intid = cca_gic_ack();
	if (intid != 1023 && ntaken < WANTED) {
		taken_at[ntaken] = cca_counter();
		taken[ntaken++] = intid;
	}
	cca_gic_eoi(intid);
}

int main(void)
{
	cca_install_vectors();
	cca_gic_enable();
	cca_printf("waiting for %u interrupts\n", WANTED);
	cca_irq_enable();
	while (ntaken < WANTED) {
		cca_wfi();
	}
	for (unsigned i = 0; i < WANTED; i++) {
		cca_printf("interrupt %u: INTID %u%s\n", i + 1, taken[i],
			   taken_at[i] >= 1000000 ? " (after 10 ms)" : "");
	}
	return 0;
}
