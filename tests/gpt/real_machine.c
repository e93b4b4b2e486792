/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The real src/cpu behind test_machine.h. */
#include "test_machine.h"

#include <stddef.h>

struct cpu_machine *test_machine_create(uint64_t ram_base, uint64_t ram_size, unsigned pa_bits)
{
	struct cpu_config cfg = {
	    .ram_base = ram_base,
	    .ram_size = ram_size,
	    .pa_bits = pa_bits,
	};
	struct cpu_machine *m = NULL;

	if (cpu_machine_create(&cfg, &m) != 0) {
		return NULL;
	}
	return m;
}

void test_machine_destroy(struct cpu_machine *m)
{
	cpu_machine_destroy(m);
}
