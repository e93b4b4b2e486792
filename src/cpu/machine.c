/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The machine: physical RAM shared by the PEs, the per-world access views, probes, the
 * instruction hook and the disassembler.
 */
#include "cpu/cpu_private.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define DEFAULT_RAM_SIZE (64ULL << 20)
#define DEFAULT_PA_BITS  40
#define DEFAULT_CNT_HZ   100000000ULL  /* 100 MHz, the FVP's counter */
#define DEFAULT_INSN_HZ  1000000000ULL /* one instruction a nanosecond */

void cpu_config_resolve(struct cpu_config *cfg)
{
	cfg->ram_base = cfg->ram_base ? cfg->ram_base : CPU_DEFAULT_RAM_BASE;
	cfg->ram_size = cfg->ram_size ? cfg->ram_size : DEFAULT_RAM_SIZE;
	cfg->pa_bits = cfg->pa_bits ? cfg->pa_bits : DEFAULT_PA_BITS;
	cfg->cnt_hz = cfg->cnt_hz ? cfg->cnt_hz : DEFAULT_CNT_HZ;
	cfg->insn_hz = cfg->insn_hz ? cfg->insn_hz : DEFAULT_INSN_HZ;
}

const char *cpu_config_check(const struct cpu_config *cfg, char *why, size_t len)
{
	struct cpu_config c = *cfg;
	cpu_config_resolve(&c);
	uint64_t base = c.ram_base, size = c.ram_size;
	unsigned pa_bits = c.pa_bits;

	if (pa_bits < 32 || pa_bits > 48) {
		snprintf(why, len, "physical addresses of %u bits: the PE has 32 to 48", pa_bits);
	} else if ((base | size) & (GRANULE_SIZE - 1)) {
		snprintf(why, len, "RAM at 0x%llx of 0x%llx bytes is not granule-aligned",
			 (unsigned long long)base, (unsigned long long)size);
	} else if (size > CPU_RAM_MAX) {
		snprintf(why, len, "RAM of %llu GiB is more than the %llu GiB modelled",
			 (unsigned long long)(size >> 30), (unsigned long long)(CPU_RAM_MAX >> 30));
	} else if (base > (1ULL << pa_bits) - GRANULE_SIZE ||
		   size > (1ULL << pa_bits) - GRANULE_SIZE - base) {
		snprintf(
		    why, len,
		    "RAM at 0x%llx of 0x%llx bytes does not fit below 2^%u less a granule (the "
		    "EL3 trampoline's)",
		    (unsigned long long)base, (unsigned long long)size, pa_bits);
	} else {
		return NULL;
	}
	return why;
}

int cpu_machine_create(const struct cpu_config *cfg, struct cpu_machine **out)
{
	struct cpu_config def = {0};
	struct cpu_machine *m;
	uint64_t granules;
	char why[160];

	if (cfg) {
		def = *cfg;
	}
	cpu_config_resolve(&def);
	if (cpu_config_check(&def, why, sizeof(why))) {
		fprintf(stderr, "cpu: %s\n", why);
		return -1;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		fprintf(stderr, "cpu: out of memory\n");
		return -1;
	}
	m->ram_base = def.ram_base;
	m->ram_size = def.ram_size;
	m->pa_bits = def.pa_bits;
	m->insn_hook = def.insn_hook;
	m->cnt_hz = def.cnt_hz;
	m->host_irq_at = UINT64_MAX;
	m->insn_hz = def.insn_hz;
	/* Anonymous mapping: pages stay unallocated until touched, so RAM is sparse. */
	m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->ram == MAP_FAILED) {
		fprintf(stderr, "cpu: cannot reserve %llu bytes of RAM\n",
			(unsigned long long)m->ram_size);
		free(m);
		return -1;
	}
	granules = m->ram_size >> GRANULE_SHIFT;
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		/* Until src/gpt says otherwise every PE may use all of RAM. */
		m->view[w] = malloc(granules);
		if (m->view[w]) {
			memset(m->view[w], CPU_ACCESS_ALL, granules);
		}
		m->code[w] = calloc(granules, 1);
	}
	m->dirty = calloc(granules, 1);
	m->written = calloc(granules, 1);
	m->s2_table = calloc(granules, 1);
	/* The EL3 trampoline sits in the last granule of the PA space, outside RAM and views. */
	m->tramp = aligned_alloc(GRANULE_SIZE, GRANULE_SIZE);
	m->tramp_pa = (1ULL << m->pa_bits) - GRANULE_SIZE;
	if (!m->view[0] || !m->view[1] || !m->code[0] || !m->code[1] || !m->dirty || !m->written ||
	    !m->s2_table || !m->tramp) {
		fprintf(stderr, "cpu: out of memory\n");
		cpu_machine_destroy(m);
		return -1;
	}
	memset(m->tramp, 0, GRANULE_SIZE);
	/* mrs xzr, tpidr_el0 (a hook point, skipped: see el.c pe_eret_to); eret. A read, because
	 * an MSR would end the translation block and the ERET would be fetched anew. */
	((uint32_t *)m->tramp)[0] = 0xd53bd05f;
	((uint32_t *)m->tramp)[1] = 0xd69f03e0;
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		if (pe_open(m, &m->pe[w], (enum cpu_world)w)) {
			cpu_machine_destroy(m);
			return -1;
		}
		m->pe[w].fire_at = UINT64_MAX; /* no timer until a context arms one */
	}
	*out = m;
	return 0;
}

void cpu_machine_destroy(struct cpu_machine *m)
{
	if (!m) {
		return;
	}
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		pe_close(&m->pe[w]);
	}
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		free(m->view[w]);
		free(m->code[w]);
	}
	free(m->dirty);
	free(m->written);
	free(m->s2_table);
	free(m->tramp);
	free(m->stopped);
	if (m->ram && m->ram != MAP_FAILED) {
		munmap(m->ram, m->ram_size);
	}
	free(m);
}

static void mark_stale(struct cpu_pe *pe, uint64_t granule_pa);

/* Zeroes granule g of RAM and forgets that it was written; code translated from it is
 * dropped before its PE runs again, since what the next run puts there may differ. */
static void reset_granule(struct cpu_machine *m, uint64_t g)
{
	uint64_t pa = m->ram_base + (g << GRANULE_SHIFT);
	memset(m->ram + (g << GRANULE_SHIFT), 0, GRANULE_SIZE);
	m->dirty[g] = 0;
	if (m->s2_table[g]) {
		m->s2_gen++;
	}
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		if (m->code[w][g]) {
			mark_stale(&m->pe[w], pa);
		}
	}
}

int cpu_machine_reset(struct cpu_machine *m, const struct cpu_config *cfg)
{
	struct cpu_config c = {0};
	if (cfg) {
		c = *cfg;
	}
	cpu_config_resolve(&c);
	if (c.ram_base != m->ram_base || c.ram_size != m->ram_size || c.pa_bits != m->pa_bits ||
	    c.insn_hook != m->insn_hook) {
		return -1;
	}
	uint64_t granules = m->ram_size >> GRANULE_SHIFT;
	if (m->ndirty <= DIRTY_LIST_MAX) {
		for (size_t i = 0; i < m->ndirty; i++) {
			reset_granule(m, m->dirty_list[i]);
		}
	} else {
		for (uint64_t g = 0; g < granules; g++) {
			if (m->dirty[g]) {
				reset_granule(m, g);
			}
		}
	}
	m->ndirty = 0;
	cpu_machine_mark(m);
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		memset(m->view[w], CPU_ACCESS_ALL, granules);
	}
	m->s2_gen++;
	m->cnt_hz = c.cnt_hz;
	m->insn_hz = c.insn_hz;
	m->clock_insns = 0;
	memset(&m->step, 0, sizeof(m->step));
	m->nwatch = 0;
	m->watch_fn = NULL;
	m->watch_ctx = NULL;
	m->host_irq_at = UINT64_MAX;
	m->insn_fn = NULL;
	m->insn_ctx = NULL;
	m->nstopped = 0;
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		pe_reset(&m->pe[w]);
	}
	return 0;
}

void cpu_machine_mark(struct cpu_machine *m)
{
	if (m->nwritten <= DIRTY_LIST_MAX) {
		for (size_t i = 0; i < m->nwritten; i++) {
			m->written[m->written_list[i]] = 0;
		}
	} else {
		memset(m->written, 0, m->ram_size >> GRANULE_SHIFT);
	}
	m->nwritten = 0;
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		m->pe[w].xlat_gen++; /* the memory hook's cached "marked written" */
	}
}

/* A 64-bit mix of one granule's address and contents. */
static uint64_t granule_hash(const struct cpu_machine *m, uint64_t g)
{
	const uint8_t *p = m->ram + (g << GRANULE_SHIFT);
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ g;
	for (size_t i = 0; i < GRANULE_SIZE; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	return h;
}

uint64_t cpu_machine_state_hash(const struct cpu_machine *m)
{
	/* A sum, so that the order the granules were first written in does not matter. */
	uint64_t sum = m->clock_insns * 0xc4ceb9fe1a85ec53ULL;
	if (m->nwritten <= DIRTY_LIST_MAX) {
		for (size_t i = 0; i < m->nwritten; i++) {
			sum += granule_hash(m, m->written_list[i]);
		}
	} else {
		for (uint64_t g = 0; g < m->ram_size >> GRANULE_SHIFT; g++) {
			sum += m->written[g] ? granule_hash(m, g) : 0;
		}
	}
	return sum;
}

uint64_t cpu_ram_base(const struct cpu_machine *m)
{
	return m->ram_base;
}

uint64_t cpu_ram_size(const struct cpu_machine *m)
{
	return m->ram_size;
}

unsigned cpu_pa_bits(const struct cpu_machine *m)
{
	return m->pa_bits;
}

void *ram_at(struct cpu_machine *m, uint64_t pa, size_t len)
{
	if (pa < m->ram_base || len > m->ram_size || pa - m->ram_base > m->ram_size - len) {
		return NULL;
	}
	return m->ram + (pa - m->ram_base);
}

static void mark_stale(struct cpu_pe *pe, uint64_t granule_pa)
{
	if (pe->stale_all || (pe->nstale && pe->stale[pe->nstale - 1] == granule_pa)) {
		return;
	}
	if (pe->nstale == STALE_MAX) {
		pe->stale_all = true;
	} else {
		pe->stale[pe->nstale++] = granule_pa;
	}
}

/*
 * Unicorn notices stores by guest code into pages it translated code from, but not writes
 * through this host pointer. Every C access comes here first (the PAS-tagged accessors), so
 * a range touching a granule some PE has executed from marks it stale for that PE: its
 * translated blocks are dropped before the PE's next run (a realm image loaded into a granule
 * that held another realm's code, a host stub rewritten after it ran).
 */
void *cpu_phys(struct cpu_machine *m, uint64_t pa, size_t len)
{
	void *p = ram_at(m, pa, len);
	uint64_t g, last;

	if (!p) {
		return NULL;
	}
	/* It may be a translation table the PEs' TLBs hold entries from. */
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		m->pe[w].tlb_clean = false;
	}
	g = (pa - m->ram_base) >> GRANULE_SHIFT;
	last = (pa - m->ram_base + (len ? len - 1 : 0)) >> GRANULE_SHIFT;
	for (; g <= last; g++) {
		ram_touch(m, m->ram_base + (g << GRANULE_SHIFT));
		if (m->s2_table[g]) {
			m->s2_gen++; /* a stage-2 table may have changed: prove the tree again */
		}
		for (int w = 0; w < CPU_NUM_WORLDS; w++) {
			if (m->code[w][g]) {
				mark_stale(&m->pe[w], m->ram_base + (g << GRANULE_SHIFT));
			}
		}
	}
	return p;
}

const void *cpu_phys_read(struct cpu_machine *m, uint64_t pa, size_t len)
{
	return ram_at(m, pa, len);
}

bool cpu_phys_never_written(const struct cpu_machine *m, uint64_t pa, size_t len)
{
	if (len == 0 || pa < m->ram_base || len > m->ram_size ||
	    pa - m->ram_base > m->ram_size - len) {
		return false;
	}
	uint64_t g = (pa - m->ram_base) >> GRANULE_SHIFT,
		 last = (pa - m->ram_base + len - 1) >> GRANULE_SHIFT;
	for (; g <= last; g++) {
		if (m->dirty[g]) {
			return false;
		}
	}
	return true;
}

void code_seen(struct cpu_pe *pe, uint64_t pa)
{
	struct cpu_machine *m = pe->m;

	if (pa < m->ram_base || pa - m->ram_base >= m->ram_size) {
		return;
	}
	m->code[pe->world][(pa - m->ram_base) >> GRANULE_SHIFT] = 1;
	/* Translated while the memory hook was out: its loads and stores skip the hook. */
	pa &= ~(GRANULE_SIZE - 1);
	if (!pe->mem_hooked && !pe->unhooked_all &&
	    (!pe->nunhooked || pe->unhooked[pe->nunhooked - 1] != pa)) {
		if (pe->nunhooked == STALE_MAX) {
			pe->unhooked_all = true;
		} else {
			pe->unhooked[pe->nunhooked++] = pa;
		}
	}
}

void pe_unhooked_code_stale(struct cpu_pe *pe)
{
	if (pe->unhooked_all) {
		pe->stale_all = true;
	} else {
		for (unsigned i = 0; i < pe->nunhooked; i++) {
			mark_stale(pe, pe->unhooked[i]);
		}
	}
	pe->nunhooked = 0;
	pe->unhooked_all = false;
}

/*
 * UC_CTL_TB_FLUSH would be simpler, but in Unicorn 2.0.1 it costs seconds (it resets, and so
 * touches, the whole translation buffer). UC_CTL_TB_REMOVE_CACHE drops the blocks of one range
 * only, but takes a *virtual* address that it translates with the PE's current regime: hence
 * the identity regime the caller sets up.
 */
static void drop_granule(struct cpu_pe *pe, uint64_t pa)
{
	uc_ctl_remove_cache(pe->uc, pa, pa + GRANULE_SIZE);
	pe->m->code[pe->world][(pa - pe->m->ram_base) >> GRANULE_SHIFT] = 0;
}

void pe_drop_stale_code(struct cpu_pe *pe)
{
	struct cpu_machine *m = pe->m;

	if (pe->stale_all) {
		for (uint64_t g = 0; g < m->ram_size >> GRANULE_SHIFT; g++) {
			if (m->code[pe->world][g]) {
				drop_granule(pe, m->ram_base + (g << GRANULE_SHIFT));
			}
		}
	} else {
		for (unsigned i = 0; i < pe->nstale; i++) {
			drop_granule(pe, pe->stale[i]);
		}
	}
	pe->nstale = 0;
	pe->stale_all = false;
}

unsigned view_of(const struct cpu_machine *m, enum cpu_world w, uint64_t pa)
{
	/* Outside RAM there is nothing a PE may touch: such an access is stopped like a denied
	 * one and reported as an external abort (trap.c), since the GPT does not deny it. */
	if (pa < m->ram_base || pa - m->ram_base >= m->ram_size) {
		return 0;
	}
	return m->view[w][(pa - m->ram_base) >> GRANULE_SHIFT];
}

void cpu_view_set(struct cpu_machine *m, enum cpu_world w, uint64_t pa, uint64_t size,
		  unsigned access)
{
	uint64_t end = pa + size;

	if ((unsigned)w >= CPU_NUM_WORLDS || size == 0) {
		return;
	}
	if (pa < m->ram_base) {
		pa = m->ram_base;
	}
	if (end > m->ram_base + m->ram_size || end < pa) {
		end = m->ram_base + m->ram_size;
	}
	if (pa >= end) {
		return;
	}
	/*
	 * Views are checked by the PE's memory hooks on every access against this byte map, so a
	 * change costs only these stores: nothing in Unicorn caches a view decision. (A Realm PE
	 * that runs without the hook relies on a proof made against the views: s2_gen.)
	 */
	memset(m->view[w] + ((pa - m->ram_base) >> GRANULE_SHIFT), (int)(access & CPU_ACCESS_ALL),
	       (end - pa + GRANULE_SIZE - 1) >> GRANULE_SHIFT);
	m->s2_gen++; /* what a stage 2 may map changed: no proof of mem_checks.c holds */
	/* The fetch check caches the last PC page's decision within a run; the memory hook the
	 * last data page's, for either PE (a realm reaches NS memory too). */
	m->pe[w].fetch_valid = false;
	for (int k = 0; k < CPU_NUM_WORLDS; k++) {
		m->pe[k].xlat_gen++;
	}
}

unsigned cpu_view_get(const struct cpu_machine *m, enum cpu_world w, uint64_t pa)
{
	if ((unsigned)w >= CPU_NUM_WORLDS) {
		return 0;
	}
	return view_of(m, w, pa);
}

/* Something to watch was added or removed: the PEs leave the code hook's fast path until their
 * next run recomputes it (pe_refresh_fast). */
static void slow_down(struct cpu_machine *m)
{
	for (int w = 0; w < CPU_NUM_WORLDS; w++) {
		m->pe[w].fast = false;
		m->pe[w].dcache_gen = 0; /* a watchpoint or an observer sees every access */
	}
}

void cpu_machine_set_insn_hook(struct cpu_machine *m, cpu_insn_fn fn, void *ctx)
{
	slow_down(m);
	m->insn_fn = fn;
	m->insn_ctx = ctx;
}

static bool probe_insert(struct probe_table *t, uint64_t va, cpu_probe_fn fn, void *ctx)
{
	size_t i = probe_hash(va, t->cap);

	for (; t->slot[i].fn; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].va == va && t->slot[i].fn == fn && t->slot[i].ctx == ctx) {
			return false; /* already there */
		}
	}
	t->slot[i] = (struct probe){va, fn, ctx};
	t->n++;
	return true;
}

/* Keeps the table at most half full, so that a lookup ends at an empty slot soon. */
static int probe_reserve(struct probe_table *t)
{
	struct probe_table bigger;

	if (2 * (t->n + 1) <= t->cap) {
		return 0;
	}
	bigger.cap = t->cap ? 2 * t->cap : 64;
	bigger.n = 0;
	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot) {
		return -1;
	}
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slot[i].fn) {
			probe_insert(&bigger, t->slot[i].va, t->slot[i].fn, t->slot[i].ctx);
		}
	}
	free(t->slot);
	*t = bigger;
	return 0;
}

int cpu_machine_add_probe(struct cpu_machine *m, enum cpu_world w, uint64_t va, cpu_probe_fn fn,
			  void *ctx)
{
	if ((unsigned)w >= CPU_NUM_WORLDS || !fn || probe_reserve(&m->pe[w].probes) != 0) {
		return -1;
	}
	probe_insert(&m->pe[w].probes, va, fn, ctx);
	slow_down(m);
	return 0;
}

void cpu_machine_remove_probe(struct cpu_machine *m, enum cpu_world w, uint64_t va, cpu_probe_fn fn,
			      void *ctx)
{
	if ((unsigned)w >= CPU_NUM_WORLDS || !m->pe[w].probes.cap) {
		return;
	}
	/* Rare (a debugger's breakpoint): rebuild the table without it, keeping linear probing
	 * free of tombstones. */
	struct probe_table *t = &m->pe[w].probes, fresh = {0};
	fresh.cap = t->cap;
	fresh.slot = calloc(fresh.cap, sizeof(*fresh.slot));
	if (!fresh.slot) {
		return;
	}
	for (size_t i = 0; i < t->cap; i++) {
		const struct probe *p = &t->slot[i];
		if (p->fn && !(p->va == va && p->fn == fn && p->ctx == ctx)) {
			probe_insert(&fresh, p->va, p->fn, p->ctx);
		}
	}
	free(t->slot);
	*t = fresh;
	slow_down(m);
}

/* A probe may add or remove probes (a debugger stopped in one does): the ones due are taken
 * from the table before any is called. */
#define PROBES_AT_ONCE 8
void probes_fire(struct cpu_pe *pe, uint64_t va)
{
	const struct probe_table *t = &pe->probes;
	struct probe due[PROBES_AT_ONCE];
	size_t n = 0;

	for (size_t i = probe_hash(va, t->cap); t->slot[i].fn; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].va == va && n < PROBES_AT_ONCE) {
			due[n++] = t->slot[i];
		}
	}
	for (size_t i = 0; i < n; i++) {
		due[i].fn(due[i].ctx, pe, va);
	}
}

uint64_t cpu_thread_tag(uint64_t vttbr_el2, uint64_t vmpidr_el2)
{
	return ((vttbr_el2 >> 48) << 40) | (vmpidr_el2 & 0xffffffffffULL & ~(1ULL << 31));
}

uint64_t cpu_thread_vmid(uint64_t tag)
{
	return tag >> 40;
}

uint64_t cpu_thread_mpidr(uint64_t tag)
{
	/* VMPIDR_EL2 keeps Aff3 in [39:32]; MPIDR's Aff3 is [31:24]. */
	return (tag & 0xffffffULL) | (((tag >> 32) & 0xffULL) << 24);
}

uint64_t cpu_pe_thread_tag(const struct cpu_pe *pe)
{
	return pe->thread_tag;
}

void cpu_machine_step(struct cpu_machine *m, enum cpu_world w, uint64_t tag, bool current,
		      cpu_probe_fn fn, void *ctx)
{
	slow_down(m);
	m->step.active = true;
	m->step.armed = current;
	m->step.world = w;
	m->step.tag = tag;
	m->step.fn = fn;
	m->step.ctx = ctx;
}

void cpu_machine_set_watch_fn(struct cpu_machine *m, cpu_watch_fn fn, void *ctx)
{
	m->watch_fn = fn;
	m->watch_ctx = ctx;
}

int cpu_machine_add_watch(struct cpu_machine *m, uint64_t va, uint64_t len, unsigned access)
{
	if (m->nwatch == CPU_MAX_WATCHES || !len) {
		return -1;
	}
	slow_down(m);
	m->watch[m->nwatch].va = va;
	m->watch[m->nwatch].len = len;
	m->watch[m->nwatch++].access = access;
	return 0;
}

void cpu_machine_remove_watch(struct cpu_machine *m, uint64_t va, uint64_t len, unsigned access)
{
	for (unsigned i = 0; i < m->nwatch; i++) {
		if (m->watch[i].va == va && m->watch[i].len == len &&
		    m->watch[i].access == access) {
			m->watch[i] = m->watch[--m->nwatch];
			slow_down(m);
			return;
		}
	}
}

void cpu_pe_end_run(struct cpu_pe *pe)
{
	pe->budget = pe->count ? pe->count : 1;
}

void cpu_machine_step_cancel(struct cpu_machine *m)
{
	slow_down(m);
	m->step.active = false;
}

void step_fire(struct cpu_pe *pe, uint64_t va)
{
	struct cpu_machine *m = pe->m;
	if (pe->world != m->step.world || pe->thread_tag != m->step.tag) {
		return;
	}
	if (!m->step.armed) {
		m->step.armed = true;
		return;
	}
	m->step.active = false;
	m->step.fn(m->step.ctx, pe, va);
}

void probes_free(struct cpu_pe *pe)
{
	free(pe->probes.slot);
	memset(&pe->probes, 0, sizeof(pe->probes));
}

const char *cpu_disasm(uint32_t opcode, uint64_t pc, char *buf, size_t len)
{
	csh cs;
	cs_insn *insn;
	uint8_t bytes[4] = {(uint8_t)opcode, (uint8_t)(opcode >> 8), (uint8_t)(opcode >> 16),
			    (uint8_t)(opcode >> 24)};

	if (!buf || len == 0) {
		return buf;
	}
	if (cs_open(CS_ARCH_ARM64, CS_MODE_LITTLE_ENDIAN, &cs) != CS_ERR_OK) {
		snprintf(buf, len, ".inst 0x%08x", opcode);
		return buf;
	}
	if (cs_disasm(cs, bytes, sizeof(bytes), pc, 1, &insn) == 1) {
		if (insn->op_str[0]) {
			snprintf(buf, len, "%s %s", insn->mnemonic, insn->op_str);
		} else {
			snprintf(buf, len, "%s", insn->mnemonic);
		}
		cs_free(insn, 1);
	} else {
		snprintf(buf, len, ".inst 0x%08x", opcode);
	}
	cs_close(&cs);
	return buf;
}
