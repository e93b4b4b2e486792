/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake of the cpu.h functions src/gpt calls: RAM in a host buffer and one access byte per
 * 4 KB granule per world. Enough to test the GPT without Unicorn.
 */
#include "test_machine.h"

#include <stdlib.h>

#define FAKE_GRANULE 4096ULL

struct cpu_machine {
	uint64_t base, size;
	unsigned pa_bits;
	uint8_t *ram;
	uint8_t *view[CPU_NUM_WORLDS];
};

struct cpu_machine *test_machine_create(uint64_t ram_base, uint64_t ram_size, unsigned pa_bits)
{
	struct cpu_machine *m = calloc(1, sizeof(*m));

	if (!m) {
		return NULL;
	}
	m->base = ram_base;
	m->size = ram_size;
	m->pa_bits = pa_bits;
	m->ram = calloc(1, ram_size);
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		m->view[w] = calloc(1, ram_size / FAKE_GRANULE);
	}
	return m;
}

void test_machine_destroy(struct cpu_machine *m)
{
	if (!m) {
		return;
	}
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		free(m->view[w]);
	}
	free(m->ram);
	free(m);
}

uint64_t cpu_ram_base(const struct cpu_machine *m)
{
	return m->base;
}

uint64_t cpu_ram_size(const struct cpu_machine *m)
{
	return m->size;
}

unsigned cpu_pa_bits(const struct cpu_machine *m)
{
	return m->pa_bits;
}

void *cpu_phys(struct cpu_machine *m, uint64_t pa, size_t len)
{
	if (pa < m->base || len > m->size || pa - m->base > m->size - len) {
		return NULL;
	}
	return m->ram + (pa - m->base);
}

const void *cpu_phys_read(struct cpu_machine *m, uint64_t pa, size_t len)
{
	return cpu_phys(m, pa, len);
}

/* This fake keeps no record of writes: no range is known zero, so every write is made. */
bool cpu_phys_never_written(const struct cpu_machine *m, uint64_t pa, size_t len)
{
	(void)m;
	(void)pa;
	(void)len;
	return false;
}

void cpu_view_set(struct cpu_machine *m, enum cpu_world w, uint64_t pa, uint64_t size,
		  unsigned access)
{
	for (uint64_t a = pa & ~(FAKE_GRANULE - 1); a < pa + size; a += FAKE_GRANULE) {
		if (a >= m->base && a - m->base < m->size) {
			m->view[w][(a - m->base) / FAKE_GRANULE] = (uint8_t)access;
		}
	}
}

unsigned cpu_view_get(const struct cpu_machine *m, enum cpu_world w, uint64_t pa)
{
	if (pa < m->base || pa - m->base >= m->size) {
		return 0;
	}
	return m->view[w][(pa - m->base) / FAKE_GRANULE];
}
