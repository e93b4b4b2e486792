/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RMI calls per second (issue "The RMM"): the same calls, RMI_GRANULE_DELEGATE then
 * RMI_GRANULE_UNDELEGATE of one granule (the granule state table, a GTSI call to EL3 and a GPT
 * transition each), made
 *  1. the real way: executed as SMCs by host code at NS-EL2, through EL3 and the world
 *     switch to the RMM and back;
 *  2. by calling the RMM's entry point directly from C, the baseline: an RMM on the same
 *     machine's memory and GPT, whose GTSI calls go straight to the GPT instead of through
 *     EL3. The difference is the cost of the PE, the SMC, EL3 and the world switch.
 */
#include "abi/abi.h"
#include "monitor/monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct machine {
	struct cpu_machine *m;
	struct gpt *g;
	struct monitor *mon;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "bench_rmi: %s failed\n", what);
	exit(1);
}

static void boot(struct machine *b)
{
	struct cpu_config cc = {0};
	struct gpt_config gc = {0};
	struct monitor_config mc = {0};
	struct rmm_config rc = {.spec = RMM_SPEC_1_0_REL0, .profile = RMM_PROFILE_SPEC};

	if (cpu_machine_create(&cc, &b->m) || gpt_create(b->m, &gc, NULL, &b->g) ||
	    monitor_create(b->m, b->g, NULL, &mc, &b->mon) || monitor_boot_rmm(b->mon, &rc)) {
		die("machine boot");
	}
}

static void shutdown(struct machine *b)
{
	monitor_destroy(b->mon);
	gpt_destroy(b->g);
	cpu_machine_destroy(b->m);
}

/* Encodes MOVZ/MOVK of a 32-bit value into Xd. */
static void mov32(uint32_t *code, unsigned rd, uint32_t v)
{
	code[0] = 0xD2800000U | ((v & 0xffff) << 5) | rd;
	code[1] = 0xF2A00000U | ((v >> 16) << 5) | rd;
}

static double through_smc(uint64_t pairs)
{
	struct machine b;
	struct cpu_trap trap;
	uint32_t code[11];

	boot(&b);
	uint64_t host = cpu_ram_base(b.m), granule = host + 0x10000;
	/* loop: x0 = DELEGATE, x1 = granule; smc; x0 = UNDELEGATE, x1 = granule; smc; b loop */
	mov32(code, 0, (uint32_t)RMI_GRANULE_DELEGATE);
	mov32(code + 2, 1, (uint32_t)granule);
	code[4] = 0xD4000003;
	mov32(code + 5, 0, (uint32_t)RMI_GRANULE_UNDELEGATE);
	mov32(code + 7, 1, (uint32_t)granule);
	code[9] = 0xD4000003;
	code[10] = 0x17FFFFF6; /* b -40 */
	memcpy(cpu_phys(b.m, host, sizeof(code)), code, sizeof(code));
	if (cpu_pe_enter_el(cpu_pe(b.m, CPU_WORLD_NS), 2, host) != 0) {
		die("enter NS-EL2");
	}
	double t = now();
	if (monitor_run_ns(b.mon, host, 11 * pairs, &trap) != 0 || trap.kind != CPU_TRAP_BUDGET ||
	    cpu_pe_get_x(cpu_pe(b.m, CPU_WORLD_NS), 0) != RMI_SUCCESS) {
		die("host loop");
	}
	t = now() - t;
	shutdown(&b);
	return (double)(2 * pairs) / t;
}

static struct gpt *direct_gpt;

static uint64_t direct_delegate(void *ctx, uint64_t pa)
{
	return gpt_delegate(direct_gpt, pa);
}

static uint64_t direct_undelegate(void *ctx, uint64_t pa)
{
	return gpt_undelegate(direct_gpt, pa);
}

static double direct(uint64_t pairs)
{
	struct machine b;
	struct rmm *rmm;
	struct rmm_config rc = {.spec = RMM_SPEC_1_0_REL0, .profile = RMM_PROFILE_SPEC};

	boot(&b);
	struct rmm_platform p = *monitor_rmm_platform(b.mon);
	direct_gpt = b.g;
	p.gtsi_delegate = direct_delegate;
	p.gtsi_undelegate = direct_undelegate;
	if (rmm_create(&p, &rc, NULL, &rmm) != 0) {
		die("rmm_create");
	}
	uint64_t granule = cpu_ram_base(b.m) + 0x10000;
	double t = now();
	for (uint64_t i = 0; i < pairs; i++) {
		uint64_t d[18] = {RMI_GRANULE_DELEGATE, granule};
		uint64_t u[18] = {RMI_GRANULE_UNDELEGATE, granule};
		rmm_handle_rmi(rmm, d);
		rmm_handle_rmi(rmm, u);
		if (d[0] != RMI_SUCCESS || u[0] != RMI_SUCCESS) {
			die("direct call");
		}
	}
	t = now() - t;
	rmm_destroy(rmm);
	shutdown(&b);
	return (double)(2 * pairs) / t;
}

int main(int argc, char **argv)
{
	uint64_t pairs = argc > 1 && strcmp(argv[1], "--quick") == 0 ? 100 : 100000;
	double smc = through_smc(pairs), api = direct(pairs);
	printf("RMI calls through SMC, EL3, RMM:   %8.1f k/s\n", smc / 1e3);
	printf("the same calls to the RMM API:     %8.1f k/s\n", api / 1e3);
	printf("  ratio path/API:                  %8.2f\n", smc / api);
	return 0;
}
