/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Generated programs executed for real: Unicorn runs them at EL1 with the MMU off (as a REC
 * runs, VA = IPA), a fake RMM answers each SMC, and code hooks at the probe points check that
 * the registers there hold what the probe-point contract says (realm.h). Test-only use of
 * Unicorn: src/realm itself never executes anything.
 */
#include "abi/abi.h"
#include "realm/realm.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define DATA_IPA    0x200000ULL
#define UNTIL_NEVER (~0ULL) /* uc_emu_start stops at `until`: an address never reached */
#define UC_EXCP_SMC 13      /* docs/unicorn.md: SMC from EL1 without HCR_EL2.TSC, PC after it */

struct call {
	uint64_t x[4];
	uint64_t pc; /* the address after the SMC */
};

struct run {
	uc_engine *uc;
	const struct realm_image *img;
	/* the fake RMM: answers to give, in order, and what it saw */
	const uint64_t *answers;
	size_t nanswers;
	struct call calls[16];
	size_t ncalls;
	bool cpu_off_returns; /* let CPU_OFF return, to reach the END probe */
	/* probes hit, with X0..X3 there */
	struct {
		const struct realm_probe *probe;
		uint64_t x[4];
	} hits[16];
	size_t nhits;
};

static const int xregs[4] = {UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2, UC_ARM64_REG_X3};

static void read_x(uc_engine *uc, uint64_t x[4])
{
	for (unsigned i = 0; i < 4; i++) {
		uc_reg_read(uc, xregs[i], &x[i]);
	}
}

static void on_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct run *r = user;
	if (intno != UC_EXCP_SMC || r->ncalls == N(r->calls)) {
		uc_emu_stop(uc);
		return;
	}
	struct call *c = &r->calls[r->ncalls++];
	read_x(uc, c->x);
	uc_reg_read(uc, UC_ARM64_REG_PC, &c->pc);
	bool off = c->x[0] == PSCI_CPU_OFF || c->x[0] == PSCI_SYSTEM_OFF;
	if (off && !r->cpu_off_returns) {
		uc_emu_stop(uc);
		return;
	}
	uint64_t answer = r->ncalls <= r->nanswers ? r->answers[r->ncalls - 1] : PSCI_SUCCESS;
	uc_reg_write(uc, UC_ARM64_REG_X0, &answer);
}

static void on_probe(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct run *r = user;
	for (size_t i = 0; i < r->img->nprobes && r->nhits < N(r->hits); i++) {
		if (r->img->probes[i].ipa == addr) {
			r->hits[r->nhits].probe = &r->img->probes[i];
			read_x(uc, r->hits[r->nhits].x);
			r->nhits++;
		}
	}
}

static void run_setup(struct run *r, const struct realm_image *img)
{
	memset(r, 0, sizeof(*r));
	r->img = img;
	assert_int_equal(uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &r->uc), UC_ERR_OK);
	for (size_t i = 0; i < img->nregions; i++) {
		const struct realm_region *g = &img->regions[i];
		assert_int_equal(uc_mem_map(r->uc, g->ipa, g->size, UC_PROT_ALL), UC_ERR_OK);
		assert_int_equal(uc_mem_write(r->uc, g->ipa, g->bytes, g->size), UC_ERR_OK);
	}
	uint64_t magic = 0x0123456789ABCDEFULL;
	assert_int_equal(uc_mem_map(r->uc, DATA_IPA, GRANULE_SIZE, UC_PROT_ALL), UC_ERR_OK);
	assert_int_equal(uc_mem_write(r->uc, DATA_IPA, &magic, 8), UC_ERR_OK);
	uc_hook h;
	assert_int_equal(uc_hook_add(r->uc, &h, UC_HOOK_INTR, (void *)on_intr, r, 1, 0), UC_ERR_OK);
	/* One hook per probe address, added before anything is translated (docs/unicorn.md). */
	for (size_t i = 0; i < img->nprobes; i++) {
		uint64_t a = img->probes[i].ipa;
		bool dup = false;
		for (size_t k = 0; k < i; k++) {
			dup |= img->probes[k].ipa == a;
		}
		if (!dup) {
			assert_int_equal(
			    uc_hook_add(r->uc, &h, UC_HOOK_CODE, (void *)on_probe, r, a, a),
			    UC_ERR_OK);
		}
	}
}

static void run_rec(struct run *r, uint64_t pc, uint64_t x0)
{
	uc_reg_write(r->uc, UC_ARM64_REG_X0, &x0);
	assert_int_equal(uc_emu_start(r->uc, pc, UNTIL_NEVER, 0, 1000), UC_ERR_OK);
}

static void hotplug_program_runs(void **state)
{
	const struct realm_op rec0[] = {
	    {.kind = REALM_OP_PSCI_CPU_ON,
	     .u.psci_cpu_on = {1, {.is_rec = true, .rec = 1}, 0x1234}},
	    {.kind = REALM_OP_PSCI_AFFINITY_INFO, .u.psci_affinity_info = {1, 0}},
	    {.kind = REALM_OP_RSI_HOST_CALL, .u.rsi_host_call = {.imm = 7}},
	    {.kind = REALM_OP_LOAD, .u.load = {DATA_IPA}},
	    {.kind = REALM_OP_CHECK_REGS},
	    {.kind = REALM_OP_STORE, .u.store = {DATA_IPA + 8, 0xFEEDFACE}},
	    {.kind = REALM_OP_PSCI_SYSTEM_OFF},
	};
	const struct realm_op rec1[] = {{.kind = REALM_OP_CHECK_REGS},
					{.kind = REALM_OP_PSCI_CPU_OFF}};
	const struct realm_rec_src recs[] = {{rec0, N(rec0), NULL, NULL},
					     {rec1, N(rec1), NULL, NULL}};
	struct realm_params p = {.base_ipa = 0x80000, .recs = recs, .nrecs = 2};
	struct realm_image img;
	char err[256];
	assert_int_equal(realm_build(&p, &img, err, sizeof(err)), 0);

	struct run r;
	const uint64_t answers[] = {PSCI_DENIED, PSCI_OFF, RSI_SUCCESS};
	run_setup(&r, &img);
	r.answers = answers;
	r.nanswers = N(answers);
	run_rec(&r, img.entry[0], 0);

	/* What the fake RMM saw: CPU_ON with X2 = REC 1's entry, then AFFINITY_INFO, ... */
	assert_int_equal(r.ncalls, 4);
	assert_int_equal(r.calls[0].x[0], PSCI_CPU_ON);
	assert_int_equal(r.calls[0].x[1], 1);
	assert_int_equal(r.calls[0].x[2], img.entry[1]);
	assert_int_equal(r.calls[0].x[3], 0x1234);
	assert_int_equal(r.calls[1].x[0], PSCI_AFFINITY_INFO);
	assert_int_equal(r.calls[2].x[0], RSI_HOST_CALL);
	uint8_t hc[8];
	assert_int_equal(uc_mem_read(r.uc, r.calls[2].x[1], hc, 8), UC_ERR_OK);
	assert_int_equal(hc[0], 7);
	assert_int_equal(r.calls[3].x[0], PSCI_SYSTEM_OFF);

	/* Probes, in execution order, each seeing its op's result in X0. */
	const struct {
		unsigned op;
		enum realm_probe_kind kind;
		uint64_t x0;
	} want[] = {
	    {0, REALM_PROBE_OP, PSCI_DENIED},
	    {1, REALM_PROBE_OP, PSCI_OFF},
	    {2, REALM_PROBE_OP, RSI_SUCCESS},
	    {3, REALM_PROBE_OP, 0x0123456789ABCDEFULL}, /* load */
	    {4, REALM_PROBE_CHECK, 0x0123456789ABCDEFULL},
	    {5, REALM_PROBE_OP, 0x0123456789ABCDEFULL}, /* store leaves X0 */
	};
	/* The load's probe and check_regs' are the same NOP: both fire there, in table order. */
	assert_int_equal(r.nhits, N(want));
	assert_int_equal(r.hits[3].probe->ipa, r.hits[4].probe->ipa);
	for (size_t i = 0; i < N(want); i++) {
		const struct realm_probe *pr = r.hits[i].probe;
		assert_int_equal(pr->rec, 0);
		assert_int_equal(pr->op, want[i].op);
		assert_int_equal(pr->kind, want[i].kind);
		assert_int_equal(r.hits[i].x[0], want[i].x0);
	}
	uint64_t stored = 0;
	assert_int_equal(uc_mem_read(r.uc, DATA_IPA + 8, &stored, 8), UC_ERR_OK);
	assert_int_equal(stored, 0xFEEDFACE);

	/* REC 1, started as a successful CPU_ON would: at X2 with X0 = context_id. */
	r.nhits = 0;
	run_rec(&r, r.calls[0].x[2], r.calls[0].x[3]);
	assert_true(r.nhits >= 1);
	assert_int_equal(r.hits[0].probe->rec, 1);
	assert_int_equal(r.hits[0].probe->kind, REALM_PROBE_CHECK);
	assert_int_equal(r.hits[0].x[0], 0x1234);
	assert_int_equal(r.calls[r.ncalls - 1].x[0], PSCI_CPU_OFF);
	uc_close(r.uc);
	realm_image_free(&img);
}

/* If CPU_OFF returned, the REC would reach the END probe and then stay in its WFI loop. */
static void cpu_off_returning_stays_put(void **state)
{
	const struct realm_rec_src recs[] = {{NULL, 0, NULL, NULL}, {NULL, 0, NULL, NULL}};
	struct realm_params p = {.recs = recs, .nrecs = 2};
	struct realm_image img;
	char err[256];
	assert_int_equal(realm_build(&p, &img, err, sizeof(err)), 0);
	struct run r;
	run_setup(&r, &img);
	r.cpu_off_returns = true;
	uint64_t x0 = 0;
	uc_reg_write(r.uc, UC_ARM64_REG_X0, &x0);
	/* Unicorn 2.0.1 ends a run at WFI; resume a few times: the REC must stay in its loop. */
	uint64_t pc = img.entry[0];
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(uc_emu_start(r.uc, pc, UNTIL_NEVER, 0, 200), UC_ERR_OK);
		uc_reg_read(r.uc, UC_ARM64_REG_PC, &pc);
		assert_true(pc > img.probes[0].ipa && pc < img.entry[1]);
	}
	assert_int_equal(r.ncalls, 1);
	assert_int_equal(r.calls[0].x[0], PSCI_CPU_OFF);
	/* The END probe is the WFI itself: it fires on every pass around the loop. */
	assert_int_equal(r.nhits, 3);
	for (size_t i = 0; i < r.nhits; i++) {
		assert_int_equal(r.hits[i].probe->kind, REALM_PROBE_END);
		assert_int_equal(r.hits[i].probe->rec, 0);
	}
	uc_close(r.uc);
	realm_image_free(&img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hotplug_program_runs),
	    cmocka_unit_test(cpu_off_returning_stays_put),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
