/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Driving the stub: the VMM loads the PE's registers, runs the NS-EL2 stub until its HVC hands
 * control back, and reads the results. Every RMI call is an SMC that this code executes, and
 * every `write`/`read` step a real store or load, so EL3, the world switch and the GPT are on
 * the path of each of them.
 */
#include "host_private.h"

#include "abi/abi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum host_result run_stub(struct host *h, uint64_t entry, struct cpu_trap *trap)
{
	if (monitor_run_ns(h->mon, h->stub + entry, 0, trap) != 0) {
		return host_fail(h, HOST_ERROR, "the emulator failed running the host stub");
	}
	if (trap->kind == CPU_TRAP_BUDGET) {
		return host_fail(h, HOST_BUDGET, "instruction budget of %llu exhausted",
				 (unsigned long long)h->cfg.max_insns);
	}
	return HOST_OK;
}

/* A REC_ENTER that the RMM ended because the REC is stuck in a fault loop: an IRQ exit to the
 * host, which would enter the REC again forever; the run stops here instead. */
static enum host_result check_fault_loop(struct host *h)
{
	struct rmm_fault_loop fl;
	unsigned realm;
	char first[200] = "";

	if (!host_fault_loop(h, &fl, &realm)) {
		return HOST_OK;
	}
	/* With no instruction retired, the looping exception is taken at the vector itself. */
	if (fl.first_pc != fl.pc || fl.first_esr != fl.esr) {
		snprintf(first, sizeof(first),
			 "%s at PC 0x%llx (ESR 0x%llx, FAR 0x%llx) went to its vector table; ",
			 cpu_esr_class_name(fl.first_esr), (unsigned long long)fl.first_pc,
			 (unsigned long long)fl.first_esr, (unsigned long long)fl.first_far);
	}
	return host_fail(h, HOST_FAULT_LOOP,
			 "REC %llu of realm %s is stuck in a fault loop: %sat the vector 0x%llx "
			 "(VBAR_EL1 0x%llx + 0x%llx), %s (ESR 0x%llx, FAR 0x%llx) is taken again "
			 "and again with no instruction retired",
			 (unsigned long long)fl.rec, h->realms[realm].desc.name, first,
			 (unsigned long long)fl.pc, (unsigned long long)fl.vbar,
			 (unsigned long long)(fl.vector - fl.vbar), cpu_esr_class_name(fl.esr),
			 (unsigned long long)fl.esr, (unsigned long long)fl.far);
}

enum host_result host_rmi(struct host *h, uint64_t regs[MONITOR_SMC_REGS])
{
	struct cpu_trap trap;
	bool rec_enter = regs[0] == RMI_REC_ENTER;
	cpu_pe_set_xs(h->ns, regs, 8);
	enum host_result r = run_stub(h, STUB_SMC, &trap);
	if (r != HOST_OK) {
		return r;
	}
	if (trap.kind == CPU_TRAP_GPF) {
		/* e.g. a step delegated the stub's own granule */
		return host_fail(h, HOST_UNEXPECTED,
				 "the host stub took a granule protection fault at 0x%llx: that "
				 "granule is no longer the host's",
				 (unsigned long long)trap.pa);
	}
	if (trap.kind != CPU_TRAP_HVC) {
		return host_fail(h, HOST_UNEXPECTED, "host stub trapped unexpectedly (kind %d)",
				 trap.kind);
	}
	memset(regs, 0, MONITOR_SMC_REGS * sizeof(uint64_t));
	cpu_pe_get_xs(h->ns, regs, 8);
	return rec_enter && regs[0] == RMI_SUCCESS ? check_fault_loop(h) : HOST_OK;
}

enum host_result host_call(struct host *h, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			   uint64_t a4, uint64_t a5, uint64_t *x0)
{
	uint64_t regs[MONITOR_SMC_REGS] = {fid, a1, a2, a3, a4, a5};
	enum host_result r = host_rmi(h, regs);
	if (x0) {
		*x0 = regs[0];
	}
	return r;
}

#ifdef CCA_CHECK_INVARIANTS
/*
 * Debug builds: the host's 8-byte access at `pa` completed only if the GPT lets the NS PAS
 * have every byte of it, and a GPF was only for a byte the GPT denies: the PE's view
 * enforcement agrees with the table (docs/architecture.md).
 */
static void check_access(struct host *h, uint64_t pa, const struct cpu_trap *trap)
{
	bool allowed = gpt_check(h->g, pa, GPT_PAS_NS).fault == GPT_OK &&
		       gpt_check(h->g, pa + 7, GPT_PAS_NS).fault == GPT_OK;
	if (trap->kind == CPU_TRAP_HVC && !allowed) {
		fprintf(stderr,
			"cca-sim: invariant broken: the host's access to 0x%llx completed, but the "
			"GPT denies the NS PAS some of it\n",
			(unsigned long long)pa);
		abort();
	}
	if (trap->kind == CPU_TRAP_GPF && gpt_check(h->g, trap->pa, GPT_PAS_NS).fault == GPT_OK) {
		fprintf(
		    stderr,
		    "cca-sim: invariant broken: the host's access to 0x%llx took a GPF at 0x%llx, "
		    "which the GPT gives the NS PAS\n",
		    (unsigned long long)pa, (unsigned long long)trap->pa);
		abort();
	}
}
#else
static void check_access(struct host *h, uint64_t pa, const struct cpu_trap *trap)
{
	(void)h;
	(void)pa;
	(void)trap;
}
#endif

/* A host access that the GPT denies ends the stub with a GPF (and a "gpf" event); the step
 * reports it as HOST_OK with nothing written, since the scenario may expect exactly that. */
static enum host_result access(struct host *h, uint64_t entry, uint64_t pa, uint64_t *value)
{
	struct cpu_trap trap;
	cpu_pe_set_x(h->ns, 0, pa);
	cpu_pe_set_x(h->ns, 1, *value);
	enum host_result r = run_stub(h, entry, &trap);
	if (r != HOST_OK) {
		return r;
	}
	check_access(h, pa, &trap);
	if (trap.kind == CPU_TRAP_GPF) {
		/* The abort ends the access; the VMM carries on, as a host kernel would after
		 * reporting the fault. */
		return HOST_OK;
	}
	if (trap.kind == CPU_TRAP_DABT && (trap.esr & 0x3f) == 0x10) {
		return host_fail(h, HOST_UNEXPECTED,
				 "the host's access to 0x%llx took an external abort: there is no "
				 "memory at 0x%llx",
				 (unsigned long long)pa, (unsigned long long)trap.pa);
	}
	if (trap.kind != CPU_TRAP_HVC) {
		return host_fail(h, HOST_UNEXPECTED, "host access to 0x%llx trapped (kind %d)",
				 (unsigned long long)pa, trap.kind);
	}
	*value = cpu_pe_get_x(h->ns, 1);
	struct trace_event *ev = trace_begin(h->t, TE_access);
	if (ev) {
		trace_name(ev, "world", "NS");
		trace_hex(ev, "pa", pa);
		trace_name(ev, "access", entry == STUB_STORE ? "write" : "read");
		trace_end(h->t, ev);
	}
	return HOST_OK;
}

enum host_result host_write(struct host *h, uint64_t pa, uint64_t value)
{
	return access(h, STUB_STORE, pa, &value);
}

enum host_result host_read(struct host *h, uint64_t pa, uint64_t *value)
{
	*value = 0;
	return access(h, STUB_LOAD, pa, value);
}
