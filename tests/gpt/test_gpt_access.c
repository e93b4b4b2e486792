/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PAS-tagged accessors: a denied access touches nothing (compared byte for byte) and says
 * why; a range is checked granule by granule before the first byte moves.
 */
#include "abi/abi.h"
#include "gpt/gpt.h"
#include "test_machine.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define PA_A (TEST_RAM_BASE + 0x200000) /* stays NS */
#define PA_B (PA_A + 0x1000)            /* delegated by the tests */

static uint8_t *ram(struct gpt_fixture *f, uint64_t pa, size_t len)
{
	uint8_t *p = cpu_phys(f->m, pa, len);

	assert_non_null(p);
	return p;
}

static void ns_write_to_realm_granule_fails_untouched(void **state)
{
	struct gpt_fixture *f = *state;
	uint8_t before[64], buf[64];
	struct gpt_result r;

	memset(ram(f, PA_B, 64), 0x5a, 64);
	memcpy(before, ram(f, PA_B, 64), 64);
	assert_int_equal(gpt_delegate(f->g, PA_B), E_RMM_OK);

	memset(buf, 0xc3, sizeof(buf));
	memset(&r, 0, sizeof(r));
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_B + 0x10, buf, sizeof(buf), &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(r.level, 1);
	assert_int_equal(r.gpi, GPI_REALM);
	assert_memory_equal(ram(f, PA_B, 64), before, 64);

	/* Reads and zeroing are refused the same way, and leave buf and memory alone. */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(gpt_read(f->g, GPT_PAS_NS, PA_B, buf, 16, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	for (int i = 0; i < 16; i++) {
		assert_int_equal(buf[i], 0xee);
	}
	assert_int_equal(gpt_zero(f->g, GPT_PAS_NS, PA_B, 0x1000, &r), -1);
	assert_memory_equal(ram(f, PA_B, 64), before, 64);
	/* A NULL fault pointer is allowed. */
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_B, buf, 8, NULL), -1);
	assert_memory_equal(ram(f, PA_B, 64), before, 64);
}

static void straddling_range_touches_nothing(void **state)
{
	struct gpt_fixture *f = *state;
	uint8_t before[0x200], buf[0x200];
	struct gpt_result r;

	assert_int_equal(gpt_delegate(f->g, PA_B), E_RMM_OK);
	memcpy(before, ram(f, PA_B - 0x100, sizeof(before)), sizeof(before));
	memset(buf, 0x77, sizeof(buf));

	/* NS: the first half (PA_A) is allowed, the second (PA_B) is not. */
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_B - 0x100, buf, sizeof(buf), &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(r.gpi, GPI_REALM);
	assert_memory_equal(ram(f, PA_B - 0x100, sizeof(before)), before, sizeof(before));
	/* Realm: the other way round. */
	assert_int_equal(gpt_write(f->g, GPT_PAS_REALM, PA_B - 0x100, buf, sizeof(buf), &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(r.gpi, GPI_NS);
	assert_memory_equal(ram(f, PA_B - 0x100, sizeof(before)), before, sizeof(before));
	assert_int_equal(gpt_zero(f->g, GPT_PAS_REALM, PA_A, 0x2000, &r), -1);
	assert_memory_equal(ram(f, PA_B - 0x100, sizeof(before)), before, sizeof(before));
	/* A granule-sized range that ends exactly where PA_B starts is fine. */
	assert_int_equal(gpt_zero(f->g, GPT_PAS_NS, PA_A, 0x1000, &r), 0);
	assert_int_equal(r.fault, GPT_OK);
}

static void realm_reads_delegated_granule(void **state)
{
	struct gpt_fixture *f = *state;
	uint8_t buf[32];
	const uint8_t secret[32] = "realm data in a delegated gran.";
	struct gpt_result r;

	assert_int_equal(gpt_delegate(f->g, PA_B), E_RMM_OK);
	assert_int_equal(gpt_write(f->g, GPT_PAS_REALM, PA_B + 0xfe0, secret, 32, &r), 0);
	assert_memory_equal(ram(f, PA_B + 0xfe0, 32), secret, 32);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(gpt_read(f->g, GPT_PAS_REALM, PA_B + 0xfe0, buf, 32, &r), 0);
	assert_memory_equal(buf, secret, 32);
	/* Scrub, undelegate: now NS reads zeroes. */
	assert_int_equal(gpt_zero(f->g, GPT_PAS_REALM, PA_B, 0x1000, &r), 0);
	assert_int_equal(gpt_undelegate(f->g, PA_B), E_RMM_OK);
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(gpt_read(f->g, GPT_PAS_NS, PA_B + 0xfe0, buf, 32, &r), 0);
	for (int i = 0; i < 32; i++) {
		assert_int_equal(buf[i], 0);
	}
	/* Realm cannot read it any more. */
	assert_int_equal(gpt_read(f->g, GPT_PAS_REALM, PA_B, buf, 8, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(r.gpi, GPI_NS);
}

static void root_pas_is_checked_too(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t v = 0x1122334455667788ULL, out = 0;
	struct gpt_result r;

	/* Root may use the carve-out, but not NS or Realm memory through the Root PAS. */
	assert_int_equal(gpt_write(f->g, GPT_PAS_ROOT, gpt_root_base(f->g) - 8, &v, 8, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(r.gpi, GPI_NS);
	assert_int_equal(gpt_read(f->g, GPT_PAS_ROOT, gpt_root_base(f->g), &out, 8, &r), 0);
	/* Through the NS PAS the monitor reaches NS memory. */
	assert_int_equal(gpt_write(f->g, GPT_PAS_NS, PA_A, &v, 8, &r), 0);
	assert_int_equal(gpt_read(f->g, GPT_PAS_NS, PA_A, &out, 8, &r), 0);
	assert_int_equal(out, v);
	/* NS cannot touch the GPT itself. */
	assert_int_equal(gpt_zero(f->g, GPT_PAS_NS, gpt_gptbr_el3(f->g) << 12, 8, &r), -1);
	assert_int_equal(r.gpi, GPI_ROOT);
}

static void outside_ram(void **state)
{
	struct gpt_fixture *f = *state;
	uint64_t v = 0;
	struct gpt_result r;

	/* NS above PPS passes the GPC but is no RAM: an external abort on the access. */
	assert_int_equal(gpt_read(f->g, GPT_PAS_NS, 1ULL << 41, &v, 8, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_EABT);
	assert_int_equal(r.level, -1);
	/* Realm above PPS is a GPF at level 0, reported before anything else. */
	assert_int_equal(gpt_read(f->g, GPT_PAS_REALM, 1ULL << 41, &v, 8, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF);
	assert_int_equal(r.level, 0);
	/* A hole below PPS (ANY block) and the end of RAM. */
	assert_int_equal(gpt_write(f->g, GPT_PAS_REALM, 0x40000000ULL, &v, 8, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_EABT);
	assert_int_equal(gpt_read(f->g, GPT_PAS_NS, gpt_root_base(f->g) - 4, &v, 8, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_GPF); /* the second granule is ROOT */
	/* Wrapping around the address space. */
	assert_int_equal(gpt_read(f->g, GPT_PAS_NS, UINT64_MAX - 3, &v, 8, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_EABT);
	/* The last bytes of the address space, NS above PPS: no endless loop, no RAM. */
	assert_int_equal(gpt_read(f->g, GPT_PAS_NS, UINT64_MAX - 7, &v, 8, &r), -1);
	assert_int_equal(r.fault, GPT_FAULT_EABT);
	/* Empty ranges succeed anywhere. */
	assert_int_equal(gpt_read(f->g, GPT_PAS_REALM, 1ULL << 41, &v, 0, &r), 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, gpt_fixture_setup, gpt_fixture_teardown)
	const struct CMUnitTest tests[] = {
	    T(ns_write_to_realm_granule_fails_untouched),
	    T(straddling_range_touches_nothing),
	    T(realm_reads_delegated_granule),
	    T(root_pas_is_checked_too),
	    T(outside_ram),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
