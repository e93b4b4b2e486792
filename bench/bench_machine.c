/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine's two costs that matter most (issue "The machine"):
 *  1. instructions per second of realm code at R-EL1 with stage 2 on and GPT views enforced,
 *     against the same loop on a bare Unicorn engine (EL1, MMU off, no hooks), and on that
 *     engine with a code hook and a memory hook that only count: the floor of checking every
 *     instruction and access through Unicorn 2.0.1's hooks;
 *  2. world-switch round trips per second: host SMC at NS-EL2 -> EL3 -> Realm world -> REC runs
 *     until its trapped SMC -> back to the host, against the naive design of one engine
 *     swapping two contexts with uc_context_save/restore (docs/unicorn.md).
 * Every figure is printed with its baseline from the same process, as a ratio.
 */
#include "abi/abi.h"
#include "monitor/monitor.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicorn/unicorn.h>

#define RAM_BASE 0x80000000ULL

/* ldr x2,[x1]; add x2,x2,#1; str x2,[x1]; subs x0,x0,#1; b.ne loop; smc #0 */
static const uint32_t loop_code[] = {0xF9400022, 0x91000442, 0xF9000022,
				     0xF1000400, 0x54FFFF81, 0xD4000003};
#define LOOP_INSNS 5

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "bench_machine: %s failed\n", what);
	exit(1);
}

/* ---- bare Unicorn baseline ---------------------------------------------------------- */

static void stop_on_intr(uc_engine *uc, uint32_t intno, void *user)
{
	uc_emu_stop(uc);
}

/* The floor of any design that checks every instruction and every access through Unicorn's
 * hooks: the bare engine with a code hook and a memory hook that only count. */
static uint64_t floor_count;

static void count_insn(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	floor_count++;
}

static void count_access(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
			 void *user)
{
	floor_count++;
}

static double engine_ips(uint64_t iters, bool empty_hooks)
{
	uc_engine *uc;
	uc_hook h;
	uint64_t x0 = iters, x1 = RAM_BASE + 0x1000;

	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) {
		die("uc_open");
	}
	uc_mem_map(uc, RAM_BASE, 0x10000, UC_PROT_ALL);
	uc_mem_write(uc, RAM_BASE, loop_code, sizeof(loop_code));
	uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)stop_on_intr, NULL, 1, 0);
	if (empty_hooks) {
		uc_hook_add(uc, &h, UC_HOOK_CODE, (void *)count_insn, NULL, 1, 0);
		uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)count_access,
			    NULL, 1, 0);
	}
	uc_reg_write(uc, UC_ARM64_REG_X0, &x0);
	uc_reg_write(uc, UC_ARM64_REG_X1, &x1);
	double t = now();
	uc_emu_start(uc, RAM_BASE, 0, 0, 0);
	t = now() - t;
	uc_close(uc);
	return (double)(iters * LOOP_INSNS) / t;
}

/* ---- the machine: a REC-like context with stage 2 and GPT views ----------------------- */

struct machine {
	struct cpu_machine *m;
	struct gpt *g;
	struct trace *t;
	struct monitor *mon;
	struct cpu_context rec;
	uint64_t rounds;
};

#define S2_TABLE 0x3ULL
/* Page: valid, Normal WB (MemAttr 0b1111), S2AP RW, inner shareable, AF */
#define S2_PAGE (0x3ULL | (0xFULL << 2) | (3ULL << 6) | (3ULL << 8) | (1ULL << 10))

static void put64(struct machine *b, uint64_t pa, uint64_t v)
{
	memcpy(cpu_phys(b->m, pa, 8), &v, 8);
}

static void delegate(struct machine *b, uint64_t pa)
{
	if (gpt_delegate(b->g, pa) != E_RMM_OK) {
		die("gpt_delegate");
	}
}

/* Realm granules: L1/L2/L3 tables, code, data; the REC runs at IPA 0 (code), 0x1000 (data). */
static void machine_boot(struct machine *b, const uint32_t *code, size_t code_len)
{
	struct cpu_config cc = {0};
	struct gpt_config gc = {0};
	struct monitor_config mc = {0};
	uint64_t l1 = RAM_BASE + 0x100000, l2 = l1 + 0x1000, l3 = l1 + 0x2000;
	uint64_t code_pa = l1 + 0x3000, data_pa = l1 + 0x4000;

	memset(b, 0, sizeof(*b));
	if (cpu_machine_create(&cc, &b->m) || gpt_create(b->m, &gc, NULL, &b->g) ||
	    monitor_create(b->m, b->g, NULL, &mc, &b->mon)) {
		die("machine boot");
	}
	for (uint64_t pa = l1; pa <= data_pa; pa += GRANULE_SIZE) {
		delegate(b, pa);
	}
	put64(b, l1, l2 | S2_TABLE);
	put64(b, l2, l3 | S2_TABLE);
	put64(b, l3, code_pa | S2_PAGE);
	put64(b, l3 + 8, data_pa | S2_PAGE);
	memcpy(cpu_phys(b->m, code_pa, code_len), code, code_len);

	b->rec.pstate = PSTATE_EL1H;
	b->rec.hcr_el2 = (1ULL << 31) | (1ULL << 19) | 1; /* RW, TSC, VM */
	/* T0SZ 31 (33-bit IPA), SL0 1 (start at level 1), WB WA inner/outer, inner shareable,
	 * 4 KB granule, PS 40 bits, RES1 bit 31 */
	b->rec.vtcr_el2 = 31 | (1ULL << 6) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) |
			  (2ULL << 16) | (1ULL << 31);
	b->rec.vttbr_el2 = l1 | (1ULL << 48);
}

static double machine_ips(uint64_t iters)
{
	struct machine b;
	struct cpu_trap trap;

	machine_boot(&b, loop_code, sizeof(loop_code));
	const struct rmm_platform *p = monitor_rmm_platform(b.mon);
	b.rec.x[0] = iters;
	b.rec.x[1] = 0x1000;
	double t = now();
	if (p->run_rec(p->ctx, &b.rec, 0, &trap) != 0 || trap.kind != CPU_TRAP_SMC_TRAPPED) {
		die("realm loop");
	}
	t = now() - t;
	uint64_t count = 0;
	memcpy(&count, cpu_phys(b.m, RAM_BASE + 0x104000, 8), 8);
	if (count != iters) {
		die("realm loop result");
	}
	monitor_destroy(b.mon);
	gpt_destroy(b.g);
	cpu_machine_destroy(b.m);
	return (double)(iters * LOOP_INSNS) / t;
}

/* The "RMM" of the round-trip benchmark: every RMI call enters the REC once. */
static void enter_rec_once(void *ctx, uint64_t regs[MONITOR_SMC_REGS])
{
	struct machine *b = ctx;
	const struct rmm_platform *p = monitor_rmm_platform(b->mon);
	struct cpu_trap trap;

	if (p->run_rec(p->ctx, &b->rec, 1000, &trap) != 0 || trap.kind != CPU_TRAP_SMC_TRAPPED) {
		die("REC run");
	}
	b->rec.pc = trap.pc + 4; /* the RMM skips the trapped SMC */
	b->rounds++;
	regs[0] = RMI_SUCCESS;
}

static double machine_round_trips(uint64_t n)
{
	static const uint32_t realm[] = {0xD4000003, 0x17FFFFFF}; /* smc #0; b -4 */
	/* loop: movz x0,#0x15c; movk x0,#0xc400,lsl 16; smc #0; b loop (RMI_REC_ENTER forever;
	 * X0 is reloaded because the call returns its status there) */
	static const uint32_t host[] = {0xD2802B80, 0xF2B88000, 0xD4000003, 0x17FFFFFD};
	struct machine b;
	struct cpu_trap trap;

	machine_boot(&b, realm, sizeof(realm));
	monitor_set_rmm(b.mon, enter_rec_once, &b);
	struct cpu_pe *ns = cpu_pe(b.m, CPU_WORLD_NS);
	uint64_t host_pc = RAM_BASE;
	memcpy(cpu_phys(b.m, host_pc, sizeof(host)), host, sizeof(host));
	if (cpu_pe_enter_el(ns, 2, host_pc) != 0) {
		die("enter NS-EL2");
	}
	double t = now();
	/* 4 instructions per round trip */
	if (monitor_run_ns(b.mon, host_pc, 4 * n, &trap) != 0 || trap.kind != CPU_TRAP_BUDGET) {
		die("host loop");
	}
	t = now() - t;
	if (b.rounds != n) {
		die("round-trip count");
	}
	monitor_destroy(b.mon);
	gpt_destroy(b.g);
	cpu_machine_destroy(b.m);
	return (double)n / t;
}

/* ---- naive baseline: one engine, two contexts swapped with uc_context_save/restore ----
 * The design docs/unicorn.md describes: the host context at EL2 and the REC context at EL1
 * with stage 2 on, both on one engine, swapped at every world switch. */

static void reg(uc_engine *uc, int r, uint64_t v)
{
	uc_reg_write(uc, r, &v);
}

static void sysreg(uc_engine *uc, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
		   uint64_t v)
{
	uc_arm64_cp_reg cp = {.op0 = 3, .op1 = op1, .crn = crn, .crm = crm, .op2 = op2, .val = v};
	uc_reg_write(uc, UC_ARM64_REG_CP_REG, &cp);
}

/* Enter `spsr`'s EL at `pc` by an ERET from EL3 placed at `tramp` (docs/unicorn.md). */
static void eret_to(uc_engine *uc, uint64_t tramp, uint64_t spsr, uint64_t pc)
{
	reg(uc, UC_ARM64_REG_PSTATE, PSTATE_EL3H);
	sysreg(uc, 6, 4, 0, 0, spsr); /* SPSR_EL3 */
	sysreg(uc, 6, 4, 0, 1, pc);   /* ELR_EL3 */
	reg(uc, UC_ARM64_REG_ELR_EL1, pc);
	reg(uc, UC_ARM64_REG_ELR_EL2, pc);
	uc_emu_start(uc, tramp, 0, 0, 1);
}

static double naive_round_trips(uint64_t n)
{
	static const uint32_t loop[] = {0xD4000003, 0x17FFFFFF}; /* smc #0; b -4 */
	const uint64_t host = RAM_BASE, realm = RAM_BASE + 0x1000, tramp = RAM_BASE + 0x2000;
	const uint64_t l1 = RAM_BASE + 0x10000, l2 = l1 + 0x1000, l3 = l1 + 0x2000;
	const uint32_t eret = 0xD69F03E0;
	uint8_t *ram = calloc(1, 0x20000);
	uc_engine *uc;
	uc_hook h;
	uc_context *hc, *rc;

	if (!ram || uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) {
		die("uc_open");
	}
	memcpy(ram, loop, sizeof(loop));
	memcpy(ram + 0x1000, loop, sizeof(loop));
	memcpy(ram + 0x2000, &eret, 4);
	uint64_t desc[] = {l2 | S2_TABLE, l3 | S2_TABLE, realm | S2_PAGE};
	memcpy(ram + 0x10000, &desc[0], 8);
	memcpy(ram + 0x11000, &desc[1], 8);
	memcpy(ram + 0x12000, &desc[2], 8);
	uc_mem_map_ptr(uc, RAM_BASE, 0x20000, UC_PROT_ALL, ram);
	uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)stop_on_intr, NULL, 1, 0);
	uc_context_alloc(uc, &hc);
	uc_context_alloc(uc, &rc);
	sysreg(uc, 6, 1, 1, 0, SCR_RES1 | SCR_NS | SCR_HCE | SCR_RW); /* SCR_EL3 */
	eret_to(uc, tramp, PSTATE_EL2H, host);
	uc_context_save(uc, hc); /* the host at NS-EL2 */
	/* The REC at EL1 with stage 2 (IPA 0 -> the realm page), its SMCs trapped to EL2. */
	sysreg(uc, 4, 1, 1, 0, (1ULL << 31) | (1ULL << 19) | 1); /* HCR_EL2: RW, TSC, VM */
	sysreg(uc, 4, 2, 1, 2,
	       31 | (1ULL << 6) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 16) |
		   (1ULL << 31));   /* VTCR_EL2 */
	sysreg(uc, 4, 2, 1, 0, l1); /* VTTBR_EL2 */
	eret_to(uc, tramp, PSTATE_EL1H, 0);
	uc_context_save(uc, rc);

	double t = now();
	uint64_t host_pc = host, rec_pc = 0;
	for (uint64_t i = 0; i < n; i++) {
		uc_context_restore(uc, hc);
		uc_emu_start(uc, host_pc, 0, 0, 0);
		uc_reg_read(uc, UC_ARM64_REG_PC, &host_pc); /* after the SMC */
		uc_context_save(uc, hc);
		uc_context_restore(uc, rc);
		uc_emu_start(uc, rec_pc, 0, 0, 0);
		uc_reg_read(uc, UC_ARM64_REG_PC, &rec_pc); /* at the trapped SMC */
		rec_pc += 4;
		uc_context_save(uc, rc);
	}
	t = now() - t;
	uc_context_free(hc);
	uc_context_free(rc);
	uc_close(uc);
	free(ram);
	return (double)n / t;
}

static int by_value(const void *x, const void *y)
{
	double d = *(const double *)x - *(const double *)y;
	return (d > 0) - (d < 0);
}

static double median3(double (*fn)(uint64_t), uint64_t n)
{
	double a = fn(n), b = fn(n), c = fn(n);
	if (a > b) {
		double x = a;
		a = b;
		b = x;
	}
	return c < a ? a : (c > b ? b : c);
}

int main(int argc, char **argv)
{
	bool quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
	uint64_t iters = quick ? 1000 : 20000000, trips = quick ? 100 : 200000;

	/* Five rounds of bare engine, hooked engine and machine, back to back: a shared
	 * machine's busy moments fall on all sides of a round; each ratio printed is the median
	 * round's. */
	double bare_r[5], floor_r[5], realm_r[5], ratio[5], floor_ratio[5], of_floor[5];
	for (int i = 0; i < 5; i++) {
		bare_r[i] = engine_ips(iters, false);
		floor_r[i] = engine_ips(iters, true);
		realm_r[i] = machine_ips(iters);
		ratio[i] = realm_r[i] / bare_r[i];
		floor_ratio[i] = floor_r[i] / bare_r[i];
		of_floor[i] = realm_r[i] / floor_r[i];
	}
	if (floor_count != 5 * (iters * (LOOP_INSNS + 2) + 1)) {
		die("hooked engine count");
	}
	qsort(bare_r, 5, sizeof(double), by_value);
	qsort(floor_r, 5, sizeof(double), by_value);
	qsort(realm_r, 5, sizeof(double), by_value);
	qsort(ratio, 5, sizeof(double), by_value);
	qsort(floor_ratio, 5, sizeof(double), by_value);
	qsort(of_floor, 5, sizeof(double), by_value);
	printf("realm code, stage 2 + GPT views:  %8.1f M insn/s\n", realm_r[2] / 1e6);
	printf("same loop, bare Unicorn engine:    %8.1f M insn/s\n", bare_r[2] / 1e6);
	printf("  ratio machine/bare:              %8.2f (rounds %.2f to %.2f)\n", ratio[2],
	       ratio[0], ratio[4]);
	printf("same loop, empty code + mem hooks: %8.1f M insn/s\n", floor_r[2] / 1e6);
	printf("  ratio hooked/bare:               %8.2f (rounds %.2f to %.2f)\n", floor_ratio[2],
	       floor_ratio[0], floor_ratio[4]);
	printf("  ratio machine/hooked:            %8.2f (rounds %.2f to %.2f)\n", of_floor[2],
	       of_floor[0], of_floor[4]);
	double rt = median3(machine_round_trips, trips);
	double naive = median3(naive_round_trips, trips);
	printf("world-switch round trips:          %8.1f k/s\n", rt / 1e3);
	printf("naive one-engine context swap:     %8.1f k/s\n", naive / 1e3);
	printf("  ratio machine/naive:             %8.2f\n", rt / naive);
	return 0;
}
