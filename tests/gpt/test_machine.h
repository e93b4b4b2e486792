/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine the GPT tests run on: the fake of cpu.h (fake_cpu.c) or the real src/cpu
 * (real_machine.c), behind the same two functions, so the same view tests run on both.
 */
#ifndef CCA_TEST_GPT_MACHINE_H
#define CCA_TEST_GPT_MACHINE_H

#include "cpu/cpu.h"

#include <stdint.h>

struct cpu_machine *test_machine_create(uint64_t ram_base, uint64_t ram_size, unsigned pa_bits);
void test_machine_destroy(struct cpu_machine *m);

/* The machine most tests use: 16 MiB of RAM at 2 GiB, 40-bit PAs, a 1 MiB Root carve-out. */
#define TEST_RAM_BASE 0x80000000ULL
#define TEST_RAM_SIZE (16ULL << 20)
#define TEST_PA_BITS  40U

struct gpt;
struct trace;

struct gpt_fixture {
	struct cpu_machine *m;
	struct trace *t;
	struct gpt *g;
};

/* CMocka setup/teardown: *state becomes a struct gpt_fixture with a default GPT and a trace
 * that keeps its events. */
int gpt_fixture_setup(void **state);
int gpt_fixture_teardown(void **state);

/* Raw 64-bit little-endian access to RAM, behind the GPT's back. */
uint64_t test_peek64(struct cpu_machine *m, uint64_t pa);
void test_poke64(struct cpu_machine *m, uint64_t pa, uint64_t v);

#endif
