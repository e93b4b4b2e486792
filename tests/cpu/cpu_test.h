/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Shared helpers of the src/cpu tests. */
#ifndef CCA_TESTS_CPU_TEST_H
#define CCA_TESTS_CPU_TEST_H

#include "cpu/cpu.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#define RAM_BASE 0x80000000ULL

#define CPU_SCTLR_EL1 CPU_SYSREG(3, 0, 1, 0, 0)

/* Physical layout of the memory tests. */
#define TABLES_A (RAM_BASE + 0x100000)
#define TABLES_B (RAM_BASE + 0x110000)
#define CODE_PA  (RAM_BASE + 0x200000)
#define DATA_A   (RAM_BASE + 0x201000)
#define DATA_B   (RAM_BASE + 0x202000)
#define DATA_C   (RAM_BASE + 0x203000)
#define GRAN     (RAM_BASE + 0x300000)

#define ISS_SAS(x) ((uint64_t)(x) << 22)
#define ISS_SRT(x) ((uint64_t)(x) << 16)

static inline void put_code(struct cpu_machine *m, uint64_t pa, const uint32_t *code, size_t n)
{
	void *p = cpu_phys(m, pa, n * 4);

	assert_non_null(p);
	memcpy(p, code, n * 4);
}

static inline void put64(struct cpu_machine *m, uint64_t pa, uint64_t v)
{
	void *p = cpu_phys(m, pa, 8);

	assert_non_null(p);
	memcpy(p, &v, 8);
}

static inline uint64_t get64(struct cpu_machine *m, uint64_t pa)
{
	uint64_t v;

	memcpy(&v, cpu_phys(m, pa, 8), 8);
	return v;
}

/* Stage-2 tables (4 KB granule, 32-bit IPA, start level 1) built in RAM at `tables`: three
 * consecutive granules L1, L2, L3 covering IPA [0, 2 MB). */
#define S2_VTCR (32ULL | (1ULL << 6) | (2ULL << 16) | (1ULL << 31))
#define S2_PAGE 0x7ffULL /* page, MemAttr Normal WB, S2AP RW, SH inner, AF */
void s2_init(struct cpu_machine *m, uint64_t tables);
void s2_map(struct cpu_machine *m, uint64_t tables, uint64_t ipa, uint64_t pa);

/* A machine with a realm PE at EL1, stage 2 on through `tables`, and `hcr_extra` bits. */
void realm_enter(struct cpu_machine *m, uint64_t tables, uint64_t hcr_extra, uint64_t pc);

/* Realm PE at EL1 (HCR VM, TSC) running `code` at IPA 0 = CODE_PA, IPA 0x1000 = DATA_A. */
void realm_setup(struct cpu_machine *m, const uint32_t *code, size_t n);

/* tests/cpu/test_cpu_unhooked.c */
void test_unhooked_abort(void **state);
void test_unhooked_then_checked(void **state);
void test_unhooked_not_own_table(void **state);
void test_unhooked_not_ns_writable_table(void **state);
void test_unhooked_store_is_reset(void **state);
void test_unhooked_watch_set_mid_run(void **state);

/* tests/cpu/test_cpu_mem.c and test_cpu_ctx.c */
void test_stage2_translation(void **state);
void test_stage2_abort(void **state);
void test_view_ns(void **state);
void test_view_realm(void **state);
void test_view_dc_zva(void **state);
void test_context_switch(void **state);
void test_unprotected_ipa(void **state);
void test_stage1_abort(void **state);
void test_tid3_trap(void **state);
void test_realm_code_rewrite(void **state);
void test_nested_translation(void **state);
void test_el0_context(void **state);
void test_load_save_roundtrip(void **state);

#endif
