/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A realm's mistake: a store to an Unprotected IPA where the host has neither memory nor a
 * device. With `on_unprotected: inject_sea` the host answers the REC exit with an SEA, which
 * the realm takes through its own vector table; the SDK's handler prints the syndrome.
 */
#include "cca_realm.h"

int main(void)
{
	cca_install_vectors();
	volatile uint64_t *nowhere = (volatile uint64_t *)(cca_unprotected_base() + 0x40000000ULL);
	cca_printf("storing to 0x%llx\n", (unsigned long long)(uintptr_t)nowhere);
	*nowhere = 1;
	cca_printf("not reached\n");
	return 1;
}
