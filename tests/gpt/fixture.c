/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared set-up of the GPT tests (test_machine.h). */
#include "test_machine.h"

#include "gpt/gpt.h"
#include "trace/trace.h"

#include <stdlib.h>

int gpt_fixture_setup(void **state)
{
	struct gpt_fixture *f = calloc(1, sizeof(*f));

	if (!f) {
		return -1;
	}
	*state = f;
	f->m = test_machine_create(TEST_RAM_BASE, TEST_RAM_SIZE, TEST_PA_BITS);
	f->t = trace_create();
	if (f->m && f->t) {
		trace_keep(f->t, true);
	}
	if (!f->m || !f->t || gpt_create(f->m, NULL, f->t, &f->g) != 0) {
		/* CMocka runs no teardown after a failed setup: free what was built here. */
		gpt_fixture_teardown(state);
		return -1;
	}
	*state = f;
	return 0;
}

int gpt_fixture_teardown(void **state)
{
	struct gpt_fixture *f = *state;

	if (f) {
		gpt_destroy(f->g);
		trace_destroy(f->t);
		test_machine_destroy(f->m);
		free(f);
	}
	*state = NULL;
	return 0;
}

uint64_t test_peek64(struct cpu_machine *m, uint64_t pa)
{
	const uint8_t *b = cpu_phys(m, pa, 8);
	uint64_t v = 0;

	if (!b) {
		abort();
	}
	for (int i = 7; i >= 0; i--) {
		v = (v << 8) | b[i];
	}
	return v;
}

void test_poke64(struct cpu_machine *m, uint64_t pa, uint64_t v)
{
	uint8_t *b = cpu_phys(m, pa, 8);

	if (!b) {
		abort();
	}
	for (int i = 0; i < 8; i++) {
		b[i] = (uint8_t)(v >> (8 * i));
	}
}
