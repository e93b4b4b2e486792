/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An image built by binutils (hello_realm.S linked by hello_realm.ld): the loader places its
 * segments and finds its symbols, and the built-in encoder agrees with GNU as word for word.
 * Built without REALM_ASM_ELF when no AArch64 assembler was found: it then reports itself
 * skipped (exit code 77, SKIP_RETURN_CODE in CMake), never passed.
 */
#include "abi/abi.h"
#include "realm/a64.h"
#include "realm/realm.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#ifdef REALM_ASM_ELF

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t word(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void assembled_image(void **state)
{
	const struct realm_rec_src recs[] = {{NULL, 0, REALM_ASM_ELF, "_start"},
					     {NULL, 0, REALM_ASM_ELF, "encoder_check"}};
	struct realm_params p = {.recs = recs, .nrecs = 2};
	struct realm_image img;
	char err[256];
	if (realm_build(&p, &img, err, sizeof(err)) != 0) {
		fail_msg("%s", err);
	}
	assert_int_equal(img.entry[0], 0x80000);
	assert_int_equal(img.entry[1], 0x80014);
	/* The image's labels name its code: the second REC's entry, and an address inside the
	 * first's. */
	uint64_t sym_off = 0;
	assert_string_equal(realm_image_symbol(&img, 0x80014, &sym_off), "encoder_check");
	assert_int_equal(sym_off, 0);
	assert_string_equal(realm_image_symbol(&img, 0x80008, &sym_off), "_start");
	assert_int_equal(sym_off, 8);
	assert_null(realm_image_symbol(&img, 0x1000, &sym_off)); /* below every symbol */
	assert_int_equal(img.nregions, 1); /* .text page and .data/.bss page are adjacent */
	assert_int_equal(img.regions[0].ipa, 0x80000);
	assert_int_equal(img.regions[0].size, 2 * GRANULE_SIZE);
	assert_int_equal(img.nprobes, 0);

	/* _start: PSCI_SYSTEM_OFF as the builder would load it, then SMC #0. */
	uint32_t off[4];
	assert_int_equal(a64_mov_imm64(0, PSCI_SYSTEM_OFF, off), 2);
	const uint8_t *t = realm_image_at(&img, 0x80000, 12);
	assert_non_null(t);
	assert_int_equal(word(t), off[0]);
	assert_int_equal(word(t + 4), off[1]);
	assert_int_equal(word(t + 8), a64_smc(0));

	/* encoder_check: each line of hello_realm.S, encoded here at the same address. */
	const uint64_t ec = 0x80014;
	const uint32_t want[] = {
	    a64_movn(0, 2, 0),
	    a64_add_imm(1, 2, 16, false),
	    a64_sub_imm(A64_SP, A64_SP, 1, true),
	    a64_cmp_imm(0, 3, false),
	    a64_adr(2, -0x10), /* back to encoder_check */
	    a64_adrp(3, 0),    /* encoder_check's page is this page */
	    a64_ldr_imm(0, 16, 0),
	    a64_str_imm(17, 16, 8),
	    a64_ldr_reg(4, 5, 6),
	    a64_stp_pre(29, 30, A64_SP, -16),
	    a64_ldp_post(29, 30, A64_SP, 16),
	    a64_b_cond(A64_NE, -0x2c),
	    a64_cbz(1, -0x30),
	    a64_cbnz(2, -0x34),
	    a64_bl(-0x38),
	    a64_br(16),
	    a64_ret(A64_LR),
	    a64_nop(),
	    a64_hvc(0),
	    a64_svc(1),
	    a64_brk(2),
	    a64_mrs(0, A64_MPIDR_EL1),
	    a64_mrs(1, A64_CURRENTEL),
	    a64_msr(A64_TPIDR_EL1, 5),
	    a64_isb(),
	    a64_dsb(A64_BARRIER_SY),
	};
	const uint8_t *c = realm_image_at(&img, ec, sizeof(want));
	assert_non_null(c);
	for (size_t i = 0; i < N(want); i++) {
		if (word(c + 4 * i) != want[i]) {
			fail_msg("encoder_check + 0x%zx: as gives 0x%08x, encoder 0x%08x", 4 * i,
				 word(c + 4 * i), want[i]);
		}
	}
	/* .data at 0x81000, then .bss zero-filled up to p_memsz. */
	const uint8_t *d = realm_image_at(&img, 0x81000, 8 + 64);
	assert_non_null(d);
	assert_int_equal(word(d), 0x55667788);
	assert_int_equal(word(d + 4), 0x11223344);
	for (size_t i = 8; i < 8 + 64; i++) {
		assert_int_equal(d[i], 0);
	}
	realm_image_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(assembled_image),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

int main(void)
{
	printf("skipped: no aarch64-linux-gnu-as/ld at configure time "
	       "(Debian package binutils-aarch64-linux-gnu)\n");
	return 77;
}

#endif
