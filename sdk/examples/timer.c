/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SDK's timer example: the realm arms its EL1 virtual timer, waits for it in WFI and takes
 * its interrupt three times through its own vector table. Each time the timer fires the REC
 * exits to the host (an IRQ exit whose timer state shows the interrupt asserted), the host
 * injects INTID 27 through a List Register, and the realm acknowledges and ends it on its
 * GICv3 CPU interface. Time is virtual, so the counter values printed are the same every run.
 */
#include "cca_realm.h"

static volatile unsigned ticks;

void cca_irq_handler(void)
{
	uint32_t intid = cca_gic_ack();
	if (intid == CCA_INTID_VTIMER) {
		ticks++;
		cca_printf("tick %u: IRQ %u at counter %llu\n", ticks, intid,
			   (unsigned long long)cca_counter());
		if (ticks < 3) {
			cca_vtimer_arm(cca_counter_hz() / 1000); /* again in 1 ms */
		} else {
			cca_vtimer_stop();
		}
	}
	cca_gic_eoi(intid);
}

int main(void)
{
	cca_install_vectors();
	cca_gic_enable();
	cca_printf("counter at %llu Hz, now %llu\n", (unsigned long long)cca_counter_hz(),
		   (unsigned long long)cca_counter());
	cca_vtimer_arm(cca_counter_hz() / 1000);
	cca_irq_enable();
	while (ticks < 3) {
		cca_wfi();
	}
	cca_printf("%u timer interrupts handled\n", ticks);
	return 0;
}
