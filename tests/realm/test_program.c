/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The program builder: the hotplug_deny program against its expected disassembly, every op by
 * interpreting the generated code up to each effect (SMC, LDR, STR), the layout (entries,
 * probe points, scratch buffers, granule-sized image) and the errors.
 */
#include "abi/abi.h"
#include "realm/realm.h"

#include <capstone/capstone.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint32_t insn_at(const struct realm_image *img, uint64_t ipa)
{
	const uint8_t *p = realm_image_at(img, ipa, 4);
	assert_non_null(p);
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++) {
		v |= (uint64_t)p[i] << (8 * i);
	}
	return v;
}

/* Capstone's text for the instruction at `ipa` ("mnemonic op_str"). */
static const char *dis_at(const struct realm_image *img, uint64_t ipa, char *buf, size_t len)
{
	csh h;
	cs_insn *ci;
	uint32_t w = insn_at(img, ipa);
	uint8_t b[4] = {(uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24)};
	buf[0] = '\0';
	assert_int_equal(cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h), CS_ERR_OK);
	if (cs_disasm(h, b, 4, ipa, 1, &ci) == 1) {
		snprintf(buf, len, ci->op_str[0] ? "%s %s" : "%s", ci->mnemonic, ci->op_str);
		cs_free(ci, 1);
	}
	cs_close(&h);
	return buf;
}

/* One effect met by the interpreter, with the registers as they were when it executed. */
struct effect {
	enum { FX_SMC, FX_LDR, FX_STR, FX_NOP } kind;
	uint64_t pc;
	uint64_t x[32];
};

/*
 * Runs REC code from `pc` over the instructions the builder emits (move wide, ADR, SMC, LDR,
 * STR, NOP), treating SMC/LDR/STR as no-ops that are recorded, until the closing WFI loop.
 * Fails on any other instruction, so new code shapes are noticed.
 */
static size_t interpret(const struct realm_image *img, uint64_t pc, struct effect *fx, size_t max)
{
	uint64_t x[32] = {0};
	size_t n = 0;
	for (unsigned steps = 0; steps < 10000; steps++, pc += 4) {
		uint32_t w = insn_at(img, pc);
		unsigned rd = w & 31;
		if ((w & 0x9F800000U) == 0x92800000U) { /* MOVN/MOVZ/MOVK, 64-bit */
			unsigned opc = (w >> 29) & 3, sh = 16 * ((w >> 21) & 3);
			uint64_t imm = (uint64_t)((w >> 5) & 0xffff) << sh;
			x[rd] = opc == 0   ? ~imm
				: opc == 2 ? imm
					   : (x[rd] & ~(0xffffULL << sh)) | imm;
		} else if ((w & 0x9F000000U) == 0x10000000U) { /* ADR */
			int64_t imm = (int64_t)((((w >> 5) & 0x7ffff) << 2) | ((w >> 29) & 3));
			imm = (imm ^ (1 << 20)) - (1 << 20); /* sign-extend 21 bits */
			x[rd] = pc + (uint64_t)imm;
		} else if (w == 0xD4000003U || (w & 0xFFC00000U) == 0xF9400000U ||
			   (w & 0xFFC00000U) == 0xF9000000U || w == 0xD503201FU) {
			assert_true(n < max);
			fx[n].kind = w == 0xD4000003U                   ? FX_SMC
				     : w == 0xD503201FU                 ? FX_NOP
				     : (w & 0xFFC00000U) == 0xF9400000U ? FX_LDR
									: FX_STR;
			fx[n].pc = pc;
			memcpy(fx[n].x, x, sizeof(x));
			n++;
		} else if (w == 0xD503207FU) { /* WFI: the end loop */
			return n;
		} else {
			fail_msg("unexpected instruction 0x%08x at 0x%llx", w,
				 (unsigned long long)pc);
		}
	}
	fail_msg("no WFI loop reached");
	return n;
}

static const struct realm_probe *probe_of(const struct realm_image *img, unsigned rec, unsigned op,
					  enum realm_probe_kind kind)
{
	for (size_t i = 0; i < img->nprobes; i++) {
		const struct realm_probe *p = &img->probes[i];
		if (p->rec == rec && p->op == op && p->kind == kind) {
			return p;
		}
	}
	return NULL;
}

static int build(const struct realm_rec_src *recs, size_t nrecs, uint64_t base,
		 struct realm_image *img, char *err)
{
	struct realm_params p = {.base_ipa = base, .recs = recs, .nrecs = nrecs};
	return realm_build(&p, img, err, 256);
}

static const struct realm_op hotplug_rec0[] = {
    {.kind = REALM_OP_PSCI_CPU_ON,
     .u.psci_cpu_on = {.target = 1, .entry = {.is_rec = true, .rec = 1}, .context_id = 0x1234}},
    {.kind = REALM_OP_PSCI_AFFINITY_INFO, .u.psci_affinity_info = {.target = 1}},
    {.kind = REALM_OP_PSCI_SYSTEM_OFF},
};
static const struct realm_op hotplug_rec1[] = {{.kind = REALM_OP_PSCI_CPU_OFF}};

static void hotplug_deny_disassembly(void **state)
{
	const struct realm_rec_src recs[] = {{hotplug_rec0, N(hotplug_rec0), NULL, NULL},
					     {hotplug_rec1, N(hotplug_rec1), NULL, NULL}};
	struct realm_image img;
	char err[256], buf[96];
	assert_int_equal(build(recs, 2, 0, &img, err), 0);

	/* Capstone 4 prints MOVZ as movz; "mov" where capstone 5 uses the alias is accepted. */
	const char *expect[] = {
	    /* REC 0: PSCI_CPU_ON(target 1, entry rec1, context 0x1234) */
	    "movz x0, #0x3", "movk x0, #0xc400, lsl #16", "movz x1, #0x1", "adr x2, #0x4c",
	    "movz x3, #0x1234", "smc #0",
	    /* PSCI_AFFINITY_INFO(target 1, level 0) */
	    "movz x0, #0x4", "movk x0, #0xc400, lsl #16", "movz x1, #0x1", "movz x2, #0", "smc #0",
	    /* PSCI_SYSTEM_OFF */
	    "movz x0, #0x8", "movk x0, #0x8400, lsl #16", "smc #0",
	    /* end of program: PSCI_CPU_OFF, then WFI forever */
	    "movz x0, #0x2", "movk x0, #0x8400, lsl #16", "smc #0", "wfi", "b #0x44",
	    /* REC 1 (0x4c): PSCI_CPU_OFF, then the end of program */
	    "movz x0, #0x2", "movk x0, #0x8400, lsl #16", "smc #0", "movz x0, #0x2",
	    "movk x0, #0x8400, lsl #16", "smc #0", "wfi", "b #0x64"};
	for (size_t i = 0; i < N(expect); i++) {
		dis_at(&img, 4 * i, buf, sizeof(buf));
		if (strcmp(buf, expect[i]) != 0) {
			char alias[96];
			/* capstone 5: "mov x0, #3" for "movz x0, #0x3" */
			unsigned reg;
			unsigned long long v;
			if (sscanf(expect[i], "movz x%u, #%llx", &reg, &v) == 2) {
				snprintf(alias, sizeof(alias), "mov x%u, #%s%llx", reg,
					 v > 9 ? "0x" : "", v);
				if (strcmp(buf, alias) == 0) {
					continue;
				}
			}
			fail_msg("insn %zu at 0x%zx: '%s', expected '%s'", i, 4 * i, buf,
				 expect[i]);
		}
	}
	assert_int_equal(img.nrecs, 2);
	assert_int_equal(img.entry[0], 0);
	assert_int_equal(img.entry[1], 0x4c);
	assert_int_equal(img.code_ipa, 0);
	assert_int_equal(img.code_size, GRANULE_SIZE);
	assert_int_equal(img.nregions, 1);
	assert_int_equal(img.regions[0].size % GRANULE_SIZE, 0);
	assert_int_equal(realm_image_granules(&img), 1);
	/* Probe points: right after each SMC; the END probes after the closing CPU_OFF. */
	const struct {
		unsigned rec, op;
		enum realm_probe_kind kind;
		uint64_t ipa;
	} probes[] = {{0, 0, REALM_PROBE_OP, 0x18}, {0, 1, REALM_PROBE_OP, 0x2c},
		      {0, 2, REALM_PROBE_OP, 0x38}, {0, 3, REALM_PROBE_END, 0x44},
		      {1, 0, REALM_PROBE_OP, 0x58}, {1, 1, REALM_PROBE_END, 0x64}};
	assert_int_equal(img.nprobes, N(probes));
	for (size_t i = 0; i < N(probes); i++) {
		assert_int_equal(img.probes[i].rec, probes[i].rec);
		assert_int_equal(img.probes[i].op, probes[i].op);
		assert_int_equal(img.probes[i].kind, probes[i].kind);
		assert_int_equal(img.probes[i].ipa, probes[i].ipa);
		assert_int_equal(insn_at(&img, probes[i].ipa - 4), 0xD4000003); /* smc #0 */
	}
	/* Each op is a symbol, from the end of the one before to its probe point (ops from 1). */
	const struct {
		uint64_t ipa;
		const char *name;
		uint64_t off;
	} syms[] = {{0x0, "rec0.op1", 0},   {0x14, "rec0.op1", 0x14}, {0x18, "rec0.op2", 0},
		    {0x38, "rec0.end", 0},  {0x4b, "rec0.end", 0x13}, {0x4c, "rec1.op1", 0},
		    {0x60, "rec1.end", 0x8}};
	for (size_t i = 0; i < N(syms); i++) {
		uint64_t off = 99;
		const char *name = realm_image_symbol(&img, syms[i].ipa, &off);
		assert_non_null(name);
		assert_string_equal(name, syms[i].name);
		assert_int_equal(off, syms[i].off);
	}
	uint64_t off;
	assert_null(realm_image_symbol(&img, 0x64 + 8, &off)); /* past rec1's end */
	realm_image_free(&img);
}

/* The registers each op passes, found by interpreting the code. */
static void every_op_registers(void **state)
{
	const struct realm_op ops[] = {
	    {.kind = REALM_OP_PSCI_VERSION},
	    {.kind = REALM_OP_PSCI_FEATURES, .u.psci_features = {PSCI_CPU_ON}},
	    {.kind = REALM_OP_PSCI_CPU_ON, .u.psci_cpu_on = {0x100, {.ipa = 0x4000}, PSCI_DENIED}},
	    {.kind = REALM_OP_PSCI_AFFINITY_INFO, .u.psci_affinity_info = {0x10203, 1}},
	    {.kind = REALM_OP_PSCI_CPU_SUSPEND,
	     .u.psci_cpu_suspend = {0x10000, {.is_rec = true, .rec = 0}, 7}},
	    {.kind = REALM_OP_PSCI_SYSTEM_RESET},
	    {.kind = REALM_OP_RSI_VERSION, .u.rsi_version = {0x10000}},
	    {.kind = REALM_OP_RSI_IPA_STATE_GET, .u.rsi_ipa_state_get = {0x3000}},
	    {.kind = REALM_OP_RSI_IPA_STATE_SET,
	     .u.rsi_ipa_state_set = {0x2000, 0x6000, RIPAS_RAM, 1}},
	    {.kind = REALM_OP_SMC, .u.smc = {{RMI_VERSION, 1, 2, 3, 4, 5, 0x123456789ABCDEF0}}},
	    {.kind = REALM_OP_CHECK_REGS},
	    {.kind = REALM_OP_LOAD, .u.load = {1ULL << 32}},
	    {.kind = REALM_OP_STORE, .u.store = {(1ULL << 32) + 8, 0xFFFFFFFFFFFFFFFEULL}},
	    {.kind = REALM_OP_PSCI_CPU_OFF},
	    {.kind = REALM_OP_PSCI_SYSTEM_OFF},
	};
	const uint64_t base = 0x80000; /* not 0, so absolute addresses are checked */
	/* Expected X0..X6 (SMC) or X16/X17 (LDR/STR); ~0 = don't care. */
	const uint64_t D = ~0ULL;
	const uint64_t want[][7] = {
	    {PSCI_VERSION, D, D, D, D, D, D},
	    {PSCI_FEATURES, PSCI_CPU_ON, D, D, D, D, D},
	    {PSCI_CPU_ON, 0x100, 0x4000, PSCI_DENIED, D, D, D},
	    {PSCI_AFFINITY_INFO, 0x10203, 1, D, D, D, D},
	    {PSCI_CPU_SUSPEND, 0x10000, base, 7, D, D, D},
	    {PSCI_SYSTEM_RESET, D, D, D, D, D, D},
	    {RSI_VERSION, 0x10000, D, D, D, D, D},
	    {RSI_IPA_STATE_GET, 0x3000, 0x4000, D, D, D, D},
	    {RSI_IPA_STATE_SET, 0x2000, 0x6000, RIPAS_RAM, 1, D, D},
	    {RMI_VERSION, 1, 2, 3, 4, 5, 0x123456789ABCDEF0},
	    {D, D, D, D, D, D, D},
	    {1ULL << 32, D, D, D, D, D, D},
	    {(1ULL << 32) + 8, 0xFFFFFFFFFFFFFFFEULL, D, D, D, D, D},
	    {PSCI_CPU_OFF, D, D, D, D, D, D},
	    {PSCI_SYSTEM_OFF, D, D, D, D, D, D},
	};
	const struct realm_rec_src rec = {ops, N(ops), NULL, NULL};
	struct realm_image img;
	char err[256];
	assert_int_equal(build(&rec, 1, base, &img, err), 0);
	assert_int_equal(img.entry[0], base);
	struct effect fx[32];
	size_t n = interpret(&img, img.entry[0], fx, N(fx));
	assert_int_equal(n, N(ops) + 1); /* + the closing CPU_OFF */
	for (size_t i = 0; i < N(ops); i++) {
		const struct effect *e = &fx[i];
		bool mem = ops[i].kind == REALM_OP_LOAD || ops[i].kind == REALM_OP_STORE;
		for (unsigned r = 0; r < 7; r++) {
			uint64_t got = mem ? e->x[16 + r % 2] : e->x[r];
			if (want[i][r] != D && got != want[i][r]) {
				fail_msg("op %zu (%s): reg %u = 0x%llx, expected 0x%llx", i,
					 realm_op_name(ops[i].kind), mem ? 16 + r : r,
					 (unsigned long long)got, (unsigned long long)want[i][r]);
			}
		}
		const struct realm_probe *p = probe_of(
		    &img, 0, (unsigned)i,
		    ops[i].kind == REALM_OP_CHECK_REGS ? REALM_PROBE_CHECK : REALM_PROBE_OP);
		assert_non_null(p);
		/* check_regs probes its NOP; every other op the instruction after its effect. */
		assert_int_equal(p->ipa, ops[i].kind == REALM_OP_CHECK_REGS ? e->pc : e->pc + 4);
	}
	assert_int_equal(fx[N(ops) - 5].kind, FX_NOP);
	assert_int_equal(fx[N(ops) - 4].kind, FX_LDR);
	assert_int_equal(insn_at(&img, fx[N(ops) - 4].pc), 0xF9400200); /* ldr x0, [x16] */
	assert_int_equal(fx[N(ops) - 3].kind, FX_STR);
	assert_int_equal(insn_at(&img, fx[N(ops) - 3].pc), 0xF9000211); /* str x17, [x16] */
	assert_int_equal(fx[N(ops)].kind, FX_SMC);
	assert_int_equal(fx[N(ops)].x[0], PSCI_CPU_OFF);
	const struct realm_probe *end = probe_of(&img, 0, N(ops), REALM_PROBE_END);
	assert_non_null(end);
	assert_int_equal(end->ipa, fx[N(ops)].pc + 4);
	realm_image_free(&img);
}

/* RsiHostCall structures and the RsiRealmConfig granule: placement, alignment, content. */
static void scratch_buffers(void **state)
{
	const struct realm_op ops0[] = {
	    {.kind = REALM_OP_RSI_HOST_CALL, .u.rsi_host_call = {.imm = 0x55, .ngprs = 0}},
	    {.kind = REALM_OP_RSI_REALM_CONFIG},
	};
	struct realm_op ops1[2] = {
	    {.kind = REALM_OP_RSI_HOST_CALL,
	     .u.rsi_host_call = {.imm = 0xBEEF, .ngprs = 3, .gprs = {1, 2, 0x1234}}},
	    {.kind = REALM_OP_RSI_HOST_CALL, .u.rsi_host_call = {.imm = 3, .ngprs = 31}},
	};
	for (unsigned r = 0; r < 31; r++) {
		ops1[1].u.rsi_host_call.gprs[r] = 0x1000 + r;
	}
	const struct realm_rec_src recs[] = {{ops0, N(ops0), NULL, NULL},
					     {ops1, N(ops1), NULL, NULL}};
	struct realm_image img;
	char err[256];
	assert_int_equal(build(recs, 2, 0x10000, &img, err), 0);
	struct effect fx[8];
	uint64_t x1[4];
	assert_int_equal(interpret(&img, img.entry[0], fx, N(fx)), 3);
	assert_int_equal(fx[0].x[0], RSI_HOST_CALL);
	assert_int_equal(fx[1].x[0], RSI_REALM_CONFIG);
	x1[0] = fx[0].x[1];
	uint64_t config = fx[1].x[1];
	assert_int_equal(interpret(&img, img.entry[1], fx, N(fx)), 3);
	assert_int_equal(fx[0].x[0], RSI_HOST_CALL);
	assert_int_equal(fx[1].x[0], RSI_HOST_CALL);
	x1[1] = fx[0].x[1];
	x1[2] = fx[1].x[1];

	/* The config granule is 4 KB aligned, after the code, inside the image, zeroed. */
	assert_int_equal(config % GRANULE_SIZE, 0);
	assert_true(config >= img.entry[1] + 4 * 8);
	const uint8_t *cfg = realm_image_at(&img, config, GRANULE_SIZE);
	assert_non_null(cfg);
	for (size_t i = 0; i < GRANULE_SIZE; i++) {
		assert_int_equal(cfg[i], 0);
	}
	/* Host-call structures: distinct, 256-byte aligned, after the config granule. */
	assert_int_equal(x1[0], config + GRANULE_SIZE);
	assert_int_equal(x1[1], x1[0] + HOST_CALL_SIZE);
	assert_int_equal(x1[2], x1[1] + HOST_CALL_SIZE);
	const uint8_t *s0 = realm_image_at(&img, x1[0], HOST_CALL_SIZE);
	const uint8_t *s1 = realm_image_at(&img, x1[1], HOST_CALL_SIZE);
	const uint8_t *s2 = realm_image_at(&img, x1[2], HOST_CALL_SIZE);
	assert_non_null(s0);
	assert_non_null(s1);
	assert_non_null(s2);
	assert_int_equal(get64(s0 + HOST_CALL_IMM), 0x55);
	for (unsigned r = 0; r < 31; r++) {
		assert_int_equal(get64(s0 + HOST_CALL_GPRS + 8 * r), 0);
		assert_int_equal(get64(s1 + HOST_CALL_GPRS + 8 * r),
				 r < 3 ? ops1[0].u.rsi_host_call.gprs[r] : 0);
		assert_int_equal(get64(s2 + HOST_CALL_GPRS + 8 * r), 0x1000 + r);
	}
	assert_int_equal(get64(s1 + HOST_CALL_IMM), 0xBEEF);
	assert_int_equal(get64(s2 + HOST_CALL_IMM), 3);
	/* The image is whole granules and ends with the last structure's granule. */
	assert_int_equal(img.code_ipa, 0x10000);
	assert_int_equal(img.code_size % GRANULE_SIZE, 0);
	assert_int_equal(img.code_ipa + img.code_size, x1[0] + GRANULE_SIZE);
	assert_int_equal(realm_image_granules(&img), img.code_size / GRANULE_SIZE);
	realm_image_free(&img);
}

/* check_regs as a REC's first op probes the REC's entry (where CPU_ON's context_id lands). */
static void check_regs_at_entry(void **state)
{
	const struct realm_op rec1[] = {{.kind = REALM_OP_CHECK_REGS},
					{.kind = REALM_OP_CHECK_REGS}};
	const struct realm_rec_src recs[] = {{hotplug_rec0, N(hotplug_rec0), NULL, NULL},
					     {rec1, N(rec1), NULL, NULL}};
	struct realm_image img;
	char err[256];
	assert_int_equal(build(recs, 2, 0, &img, err), 0);
	const struct realm_probe *p0 = probe_of(&img, 1, 0, REALM_PROBE_CHECK);
	const struct realm_probe *p1 = probe_of(&img, 1, 1, REALM_PROBE_CHECK);
	assert_non_null(p0);
	assert_non_null(p1);
	assert_int_equal(p0->ipa, img.entry[1]);
	assert_int_equal(p1->ipa, img.entry[1] + 4);
	assert_int_equal(insn_at(&img, p0->ipa), 0xD503201F);
	assert_int_equal(insn_at(&img, p1->ipa), 0xD503201F);
	realm_image_free(&img);
}

static void empty_program_powers_off(void **state)
{
	const struct realm_rec_src recs[] = {{NULL, 0, NULL, NULL}};
	struct realm_image img;
	char err[256];
	assert_int_equal(build(recs, 1, 0, &img, err), 0);
	struct effect fx[4] = {0};
	assert_int_equal(interpret(&img, 0, fx, N(fx)), 1);
	assert_int_equal(fx[0].x[0], PSCI_CPU_OFF);
	assert_int_equal(img.nprobes, 1);
	assert_int_equal(img.probes[0].kind, REALM_PROBE_END);
	/* After the WFI, a branch back to it. */
	assert_int_equal(insn_at(&img, 0xc), 0xD503207F);
	assert_int_equal(insn_at(&img, 0x10), 0x17FFFFFF);
	realm_image_free(&img);
}

static void errors(void **state)
{
	struct realm_image img;
	char err[256];
	const struct realm_op bad_entry[] = {
	    {.kind = REALM_OP_PSCI_CPU_ON, .u.psci_cpu_on = {1, {.is_rec = true, .rec = 2}, 0}}};
	const struct realm_rec_src r1[] = {{bad_entry, 1, NULL, NULL}, {NULL, 0, NULL, NULL}};
	assert_int_equal(build(r1, 2, 0, &img, err), -1);
	assert_string_equal(err, "rec0 op 0 (psci_cpu_on): entry rec2 does not exist");
	assert_null(img.regions);
	assert_null(img.entry);

	struct realm_op many = {.kind = REALM_OP_RSI_HOST_CALL, .u.rsi_host_call = {.ngprs = 32}};
	const struct realm_rec_src r2[] = {{&many, 1, NULL, NULL}};
	assert_int_equal(build(r2, 1, 0, &img, err), -1);
	assert_string_equal(err, "rec0 op 0 (rsi_host_call): 32 gprs, at most 31");

	struct realm_op unknown = {.kind = REALM_OP_COUNT};
	const struct realm_rec_src r3[] = {{&unknown, 1, NULL, NULL}};
	assert_int_equal(build(r3, 1, 0, &img, err), -1);
	assert_non_null(strstr(err, "unknown op kind"));

	assert_int_equal(build(r3, 0, 0, &img, err), -1);
	assert_string_equal(err, "realm: no RECs");
	const struct realm_rec_src ok[] = {{NULL, 0, NULL, NULL}};
	assert_int_equal(build(ok, 1, 0x800, &img, err), -1);
	assert_string_equal(err, "realm: base IPA 0x800 is not 4 KB aligned");

	/* ipa_bits 20: Protected IPAs end at 0x80000. */
	struct realm_params p = {.base_ipa = 0x7f000, .ipa_bits = 20, .recs = ok, .nrecs = 1};
	assert_int_equal(realm_build(&p, &img, err, sizeof(err)), 0);
	realm_image_free(&img);
	p.base_ipa = 0x80000;
	assert_int_equal(realm_build(&p, &img, err, sizeof(err)), -1);
	assert_string_equal(err, "realm programs [0x80000, 0x81000) do not fit in the Protected "
				 "IPA range [0, 0x80000)");
	p.ipa_bits = 8;
	assert_int_equal(realm_build(&p, &img, err, sizeof(err)), -1);
	assert_string_equal(err, "realm: ipa_bits 8 outside [13, 52]");
}

static void op_names(void **state)
{
	assert_string_equal(realm_op_name(REALM_OP_PSCI_CPU_ON), "psci_cpu_on");
	assert_string_equal(realm_op_name(REALM_OP_CHECK_REGS), "check_regs");
	assert_string_equal(realm_op_name(REALM_OP_RSI_IPA_STATE_SET), "rsi_ipa_state_set");
	assert_null(realm_op_name(REALM_OP_COUNT));
	for (int k = 0; k < REALM_OP_COUNT; k++) {
		assert_non_null(realm_op_name((enum realm_op_kind)k));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hotplug_deny_disassembly),
	    cmocka_unit_test(every_op_registers),
	    cmocka_unit_test(scratch_buffers),
	    cmocka_unit_test(check_regs_at_entry),
	    cmocka_unit_test(empty_program_powers_off),
	    cmocka_unit_test(errors),
	    cmocka_unit_test(op_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
