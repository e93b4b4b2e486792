/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fake machine (fake_platform.h). */
#include "fake_platform.h"

#include "abi/abi.h"
#include "attest/attest.h"

#include <stdlib.h>
#include <string.h>

static bool in_ram(uint64_t pa, size_t len)
{
	return pa >= FAKE_RAM_BASE && len <= FAKE_RAM_SIZE &&
	       pa - FAKE_RAM_BASE <= FAKE_RAM_SIZE - len;
}

/* Every granule of [pa, pa + len) in RAM and of PAS `pas`. */
static bool access_ok(const struct fake *f, uint64_t pa, size_t len, enum fake_pas pas)
{
	if (len == 0 || !in_ram(pa, len)) {
		return false;
	}
	for (uint64_t g = pa & ~GRANULE_MASK; g < pa + len; g += GRANULE_SIZE) {
		if (f->pas[(g - FAKE_RAM_BASE) >> GRANULE_SHIFT] != pas) {
			return false;
		}
	}
	return true;
}

static int fake_read(struct fake *f, uint64_t pa, void *buf, size_t len, enum fake_pas pas)
{
	if (!access_ok(f, pa, len, pas)) {
		return -1;
	}
	memcpy(buf, f->ram + (pa - FAKE_RAM_BASE), len);
	return 0;
}

/* Granules of [pa, pa + len) that fake_reset must clear. */
static void mark_dirty(struct fake *f, uint64_t pa, size_t len)
{
	for (uint64_t g = (pa - FAKE_RAM_BASE) >> GRANULE_SHIFT;
	     len && g <= (pa - FAKE_RAM_BASE + len - 1) >> GRANULE_SHIFT && g < FAKE_GRANULES;
	     g++) {
		f->dirty[g] = 1;
	}
}

static int fake_write(struct fake *f, uint64_t pa, const void *buf, size_t len, enum fake_pas pas)
{
	if (!access_ok(f, pa, len, pas)) {
		return -1;
	}
	mark_dirty(f, pa, len);
	memcpy(f->ram + (pa - FAKE_RAM_BASE), buf, len);
	return 0;
}

static int realm_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	return fake_read(ctx, pa, buf, len, FAKE_PAS_REALM);
}

static int realm_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
	return fake_write(ctx, pa, buf, len, FAKE_PAS_REALM);
}

static int ns_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
	return fake_read(ctx, pa, buf, len, FAKE_PAS_NS);
}

static int ns_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
	struct fake *f = ctx;
	if (f->fail_ns_write) {
		return -1;
	}
	return fake_write(ctx, pa, buf, len, FAKE_PAS_NS);
}

static bool pa_delegable(void *ctx, uint64_t pa)
{
	return in_ram(pa, 1) && !(pa >= FAKE_PRIV_BASE && pa < FAKE_PRIV_BASE + FAKE_PRIV_SIZE);
}

static uint64_t gtsi(struct fake *f, uint64_t pa, enum fake_pas from, enum fake_pas to)
{
	if (f->gtsi_force) {
		return f->gtsi_ret;
	}
	if ((pa & GRANULE_MASK) || !in_ram(pa, GRANULE_SIZE)) {
		return E_RMM_BAD_ADDR;
	}
	uint8_t *p = &f->pas[(pa - FAKE_RAM_BASE) >> GRANULE_SHIFT];
	if (*p != from) {
		return E_RMM_BAD_PAS;
	}
	*p = (uint8_t)to;
	return E_RMM_OK;
}

static int pas_of(void *ctx, uint64_t pa)
{
	struct fake *f = ctx;
	return in_ram(pa, GRANULE_SIZE) ? (int)fake_get_pas(f, pa) : -1;
}

static uint64_t gtsi_delegate(void *ctx, uint64_t pa)
{
	return gtsi(ctx, pa, FAKE_PAS_NS, FAKE_PAS_REALM);
}

static uint64_t gtsi_undelegate(void *ctx, uint64_t pa)
{
	return gtsi(ctx, pa, FAKE_PAS_REALM, FAKE_PAS_NS);
}

static int run_rec(void *ctx, struct cpu_context *rec, uint64_t budget, struct cpu_trap *trap)
{
	struct fake *f = ctx;

	if (f->runs < FAKE_MAX_ENTRIES) {
		f->entered[f->runs] = *rec;
		f->budgets[f->runs] = budget;
	}
	f->runs++;
	if (f->run_error) {
		return -1;
	}
	memset(trap, 0, sizeof(*trap));
	while (f->qhead != f->qtail) {
		struct fake_action *a = &f->q[f->qhead++ % FAKE_MAX_ACTIONS];
		switch (a->kind) {
		case FAKE_CALL:
			a->fn(a->arg);
			continue;
		case FAKE_SYSREGS:
			rec->pstate = a->pstate;
			rec->sctlr_el1 = a->sctlr_el1;
			continue;
		case FAKE_SMC:
			for (unsigned i = 0; i < a->nx; i++) {
				rec->x[i] = a->x[i];
			}
			trap->kind = CPU_TRAP_SMC_TRAPPED;
			trap->from_el = 1;
			trap->to_el = 2;
			trap->esr = ((uint64_t)ESR_EC_SMC64 << ESR_EC_SHIFT) | ESR_IL;
			trap->pc = rec->pc;
			trap->return_pc = rec->pc + 4;
			trap->insns = 1;
			return 0;
		case FAKE_TRAP:
			*trap = a->trap;
			trap->pc = rec->pc;
			if (trap->kind == CPU_TRAP_HVC || trap->kind == CPU_TRAP_SVC) {
				trap->return_pc = rec->pc + 4;
			}
			if (trap->insns == 0 && !a->in_place) {
				trap->insns = 1;
			}
			return 0;
		}
	}
	f->unscripted_runs++;
	trap->kind = CPU_TRAP_BUDGET;
	trap->insns = budget;
	return 0;
}

static uint64_t id_reg(void *ctx, unsigned index)
{
	const struct fake *f = ctx;
	return index < ID_REG_COUNT ? f->id_regs[index] : 0;
}

/* EL3's attestation services, from the seed FAKE_ATTEST_SEED, as the monitor's. */
static int attest_realm_key(void *ctx, uint64_t vmid, uint8_t d[ATTEST_PRIVKEY_SIZE])
{
	const struct fake *f = ctx;
	struct attest_key k;

	if (f->attest_fails ||
	    attest_rak_derive(FAKE_ATTEST_SEED, strlen(FAKE_ATTEST_SEED), vmid, &k) != ATTEST_OK) {
		return -1;
	}
	memcpy(d, k.d, ATTEST_PRIVKEY_SIZE);
	return 0;
}

static int attest_platform_token(void *ctx, const uint8_t *hash, size_t hash_len, uint8_t *out,
				 size_t cap, size_t *len)
{
	struct fake *f = ctx;
	struct attest_platform_claims c;
	struct attest_key cpak;

	if (f->attest_fails ||
	    attest_cpak_derive(FAKE_ATTEST_SEED, strlen(FAKE_ATTEST_SEED), &cpak) != ATTEST_OK ||
	    attest_platform_sim_claims(&cpak.pub, (const uint8_t *)"fake", 4, &c) != ATTEST_OK ||
	    hash_len > sizeof(c.challenge)) {
		return -1;
	}
	memcpy(c.challenge, hash, hash_len);
	c.challenge_len = hash_len;
	f->plat_tokens++;
	return attest_platform_token_sign(&c, &cpak, out, cap, len) == ATTEST_OK ? 0 : -1;
}

struct fake *fake_create(void)
{
	struct fake *f = calloc(1, sizeof(*f));
	f->ram = calloc(1, FAKE_RAM_SIZE);
	for (uint64_t g = 0; g < FAKE_PRIV_SIZE / GRANULE_SIZE; g++) {
		f->pas[g] = FAKE_PAS_REALM;
	}
	f->plat = (struct rmm_platform){
	    .ctx = f,
	    .private_base = FAKE_PRIV_BASE,
	    .private_size = FAKE_PRIV_SIZE,
	    .realm_read = realm_read,
	    .realm_write = realm_write,
	    .ns_read = ns_read,
	    .ns_write = ns_write,
	    .pa_delegable = pa_delegable,
	    .gtsi_delegate = gtsi_delegate,
	    .gtsi_undelegate = gtsi_undelegate,
	    .run_rec = run_rec,
	    .id_reg = id_reg,
	    .attest_realm_key = attest_realm_key,
	    .attest_platform_token = attest_platform_token,
	    .pas_of = pas_of,
	};
	return f;
}

void fake_destroy(struct fake *f)
{
	free(f->ram);
	free(f);
}

void fake_set_pas(struct fake *f, uint64_t pa, enum fake_pas pas)
{
	f->pas[(pa - FAKE_RAM_BASE) >> GRANULE_SHIFT] = (uint8_t)pas;
}

enum fake_pas fake_get_pas(const struct fake *f, uint64_t pa)
{
	return (enum fake_pas)f->pas[(pa - FAKE_RAM_BASE) >> GRANULE_SHIFT];
}

void *fake_ptr(struct fake *f, uint64_t pa)
{
	mark_dirty(f, pa, 1); /* the caller may write through it */
	return f->ram + (pa - FAKE_RAM_BASE);
}

void fake_reset(struct fake *f)
{
	uint8_t *ram = f->ram;
	for (uint64_t g = 0; g < FAKE_GRANULES; g++) {
		if (f->dirty[g]) {
			memset(ram + (g << GRANULE_SHIFT), 0, GRANULE_SIZE);
		}
	}
	struct rmm_platform plat = f->plat;
	memset(f, 0, sizeof(*f));
	f->ram = ram;
	f->plat = plat;
	for (uint64_t g = 0; g < FAKE_PRIV_SIZE / GRANULE_SIZE; g++) {
		f->pas[g] = FAKE_PAS_REALM;
	}
}

static struct fake_action *push(struct fake *f)
{
	struct fake_action *a = &f->q[f->qtail++ % FAKE_MAX_ACTIONS];
	memset(a, 0, sizeof(*a));
	return a;
}

void fake_rec_will_smc(struct fake *f, const uint64_t *x, unsigned n)
{
	struct fake_action *a = push(f);
	a->kind = FAKE_SMC;
	a->nx = n;
	memcpy(a->x, x, sizeof(uint64_t) * n);
}

void fake_rec_will_abort(struct fake *f, enum cpu_trap_kind kind, uint64_t ipa, uint64_t esr)
{
	struct fake_action *a = push(f);
	a->kind = FAKE_TRAP;
	a->trap.kind = kind;
	a->trap.from_el = 1;
	a->trap.to_el = 2;
	a->trap.esr = esr;
	a->trap.far = ipa; /* stage 1 off: VA = IPA */
	a->trap.hpfar = (ipa >> GRANULE_SHIFT) << 4;
	a->trap.s2 = true;
}

void fake_rec_will_trap(struct fake *f, const struct cpu_trap *t)
{
	struct fake_action *a = push(f);
	a->kind = FAKE_TRAP;
	a->trap = *t;
}

void fake_rec_will_fault(struct fake *f, enum cpu_trap_kind kind, uint64_t esr)
{
	struct fake_action *a = push(f);
	a->kind = FAKE_TRAP;
	a->trap.kind = kind;
	a->trap.from_el = 1;
	a->trap.to_el = 1;
	a->trap.esr = esr;
	a->in_place = true;
}

void fake_rec_will_call(struct fake *f, void (*fn)(void *arg), void *arg)
{
	struct fake_action *a = push(f);
	a->kind = FAKE_CALL;
	a->fn = fn;
	a->arg = arg;
}

void fake_rec_will_set_sysregs(struct fake *f, uint64_t pstate, uint64_t sctlr_el1)
{
	struct fake_action *a = push(f);
	a->kind = FAKE_SYSREGS;
	a->pstate = pstate;
	a->sctlr_el1 = sctlr_el1;
}

unsigned fake_pending_actions(const struct fake *f)
{
	return f->qtail - f->qhead;
}

const struct cpu_context *fake_last_entry(const struct fake *f)
{
	return &f->entered[(f->runs - 1) % FAKE_MAX_ENTRIES];
}

void *fake_snapshot(const struct fake *f)
{
	uint8_t *s = malloc(FAKE_RAM_SIZE + FAKE_GRANULES);
	memcpy(s, f->ram, FAKE_RAM_SIZE);
	memcpy(s + FAKE_RAM_SIZE, f->pas, FAKE_GRANULES);
	return s;
}

bool fake_same(const struct fake *f, const void *snap)
{
	const uint8_t *s = snap;
	return memcmp(s, f->ram, FAKE_RAM_SIZE) == 0 &&
	       memcmp(s + FAKE_RAM_SIZE, f->pas, FAKE_GRANULES) == 0;
}
