/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The program builder: compiles each REC's ops into A64 code (realm.h describes the layout,
 * the registers and the probe points) in one assembler buffer, so that `entry: recN` may name
 * a later REC: entries and scratch buffers are PC-relative ADR targets resolved by fixups.
 */
#include "abi/abi.h"
#include "realm/a64.h"
#include "realm/realm_private.h"

#include <stdlib.h>
#include <string.h>

#define OP_NAME(name, NAME, fid) [REALM_OP_##NAME] = #name,
static const char *const op_names[REALM_OP_COUNT] = {REALM_OPS(OP_NAME)};

const char *realm_op_name(enum realm_op_kind kind)
{
	return (unsigned)kind < REALM_OP_COUNT ? op_names[kind] : NULL;
}

/* Load/store scratch registers: IP0/IP1 by the procedure call standard, unused by SMC calls. */
#define REG_ADDR  16U
#define REG_VALUE 17U

struct builder {
	const struct realm_params *p;
	const uint64_t *entry; /* ELF RECs' entries */
	struct a64_buf b;
	unsigned *rec_label; /* first instruction of each program REC */
	unsigned config_label;
	bool need_config;
	unsigned token_label;
	bool need_token;
	const struct realm_op **host_calls; /* rsi_host_call ops, in slot order */
	unsigned *host_call_label;
	size_t nhost_calls;
	struct realm_probe *probes;
	size_t nprobes, probe_cap;
	bool oom;
	char *err;
	size_t errlen;
};

static void add_probe(struct builder *g, unsigned rec, unsigned op, enum realm_probe_kind kind)
{
	if (g->nprobes == g->probe_cap) {
		size_t n = g->probe_cap ? 2 * g->probe_cap : 32;
		struct realm_probe *q = realloc(g->probes, n * sizeof(*q));
		if (!q) {
			g->oom = true;
			return;
		}
		g->probes = q;
		g->probe_cap = n;
	}
	g->probes[g->nprobes++] = (struct realm_probe){a64_buf_pc(&g->b), rec, op, kind};
}

static void set_x(struct builder *g, unsigned reg, uint64_t v)
{
	a64_emit_mov_imm64(&g->b, reg, v);
}

static int set_entry(struct builder *g, unsigned reg, const struct realm_entry *e, unsigned rec,
		     unsigned op)
{
	if (!e->is_rec) {
		set_x(g, reg, e->ipa);
		return 0;
	}
	if (e->rec >= g->p->nrecs) {
		return realm_err(g->err, g->errlen, "rec%u op %u (%s): entry rec%u does not exist",
				 rec, op, realm_op_name(g->p->recs[rec].ops[op].kind), e->rec);
	}
	if (g->p->recs[e->rec].elf_path) {
		set_x(g, reg, g->entry[e->rec]); /* fixed by its ELF symbol */
	} else {
		a64_emit_adr(&g->b, reg, g->rec_label[e->rec]);
	}
	return 0;
}

/* The function ID an op passes in X0, or false for the ops that execute no SMC. */
static bool op_fid(const struct realm_op *op, uint64_t *fid)
{
#define OP_FID(name, NAME, fid) [REALM_OP_##NAME] = (fid),
	static const uint64_t fids[REALM_OP_COUNT] = {REALM_OPS(OP_FID)};
	if (op->kind == REALM_OP_SMC) {
		*fid = op->u.smc.x[0];
		return true;
	}
	if ((unsigned)op->kind >= REALM_OP_COUNT || fids[op->kind] == 0) {
		return false; /* no PSCI/RSI FID is 0 */
	}
	*fid = fids[op->kind];
	return true;
}

/* Sets X1... for op `i` of REC `rec` (X0 is already the FID). */
static int set_args(struct builder *g, unsigned rec, unsigned i)
{
	const struct realm_op *op = &g->p->recs[rec].ops[i];
	struct a64_buf *b = &g->b;

	switch (op->kind) {
	case REALM_OP_PSCI_FEATURES:
		set_x(g, 1, op->u.psci_features.fid);
		break;
	case REALM_OP_PSCI_CPU_ON:
		set_x(g, 1, op->u.psci_cpu_on.target);
		if (set_entry(g, 2, &op->u.psci_cpu_on.entry, rec, i) < 0) {
			return -1;
		}
		set_x(g, 3, op->u.psci_cpu_on.context_id);
		break;
	case REALM_OP_PSCI_AFFINITY_INFO:
		set_x(g, 1, op->u.psci_affinity_info.target);
		set_x(g, 2, op->u.psci_affinity_info.level);
		break;
	case REALM_OP_PSCI_CPU_SUSPEND:
		set_x(g, 1, op->u.psci_cpu_suspend.power_state);
		if (set_entry(g, 2, &op->u.psci_cpu_suspend.entry, rec, i) < 0) {
			return -1;
		}
		set_x(g, 3, op->u.psci_cpu_suspend.context_id);
		break;
	case REALM_OP_RSI_VERSION:
		set_x(g, 1, op->u.rsi_version.requested);
		break;
	case REALM_OP_RSI_REALM_CONFIG:
		a64_emit_adr(b, 1, g->config_label);
		break;
	case REALM_OP_RSI_HOST_CALL:
		if (op->u.rsi_host_call.ngprs > REALM_HOST_CALL_GPRS) {
			return realm_err(g->err, g->errlen,
					 "rec%u op %u (rsi_host_call): %u gprs, at most %d", rec, i,
					 op->u.rsi_host_call.ngprs, REALM_HOST_CALL_GPRS);
		}
		g->host_calls[g->nhost_calls] = op;
		a64_emit_adr(b, 1, g->host_call_label[g->nhost_calls++]);
		break;
	case REALM_OP_RSI_IPA_STATE_GET:
		set_x(g, 1, op->u.rsi_ipa_state_get.ipa);
		set_x(g, 2, op->u.rsi_ipa_state_get.ipa + GRANULE_SIZE);
		break;
	case REALM_OP_RSI_IPA_STATE_SET:
		set_x(g, 1, op->u.rsi_ipa_state_set.base);
		set_x(g, 2, op->u.rsi_ipa_state_set.top);
		set_x(g, 3, op->u.rsi_ipa_state_set.ripas);
		set_x(g, 4, op->u.rsi_ipa_state_set.flags);
		break;
	case REALM_OP_RSI_ATTESTATION_TOKEN_INIT:
		for (unsigned r = 1; r <= 8; r++) {
			set_x(g, r, op->u.rsi_attestation_token_init.challenge[r - 1]);
		}
		break;
	case REALM_OP_RSI_ATTESTATION_TOKEN_CONTINUE:
		if (op->u.rsi_attestation_token_continue.has_addr) {
			set_x(g, 1, op->u.rsi_attestation_token_continue.addr);
		} else {
			a64_emit_adr(b, 1, g->token_label);
		}
		set_x(g, 2, op->u.rsi_attestation_token_continue.offset);
		set_x(g, 3, op->u.rsi_attestation_token_continue.size);
		break;
	case REALM_OP_SMC:
		for (unsigned r = 1; r < 7; r++) {
			set_x(g, r, op->u.smc.x[r]);
		}
		break;
	default:
		break; /* no arguments */
	}
	return 0;
}

/* Emits op `i` of REC `rec`: its registers, its effect, and its probe point. */
static int emit_op(struct builder *g, unsigned rec, unsigned i)
{
	const struct realm_op *op = &g->p->recs[rec].ops[i];
	struct a64_buf *b = &g->b;
	uint64_t fid;

	if (op_fid(op, &fid)) {
		set_x(g, 0, fid);
		if (set_args(g, rec, i) < 0) {
			return -1;
		}
		a64_emit(b, a64_smc(0));
		add_probe(g, rec, i, REALM_PROBE_OP);
		return 0;
	}
	switch (op->kind) {
	case REALM_OP_LOAD:
		set_x(g, REG_ADDR, op->u.load.ipa);
		a64_emit(b, a64_ldr_imm(0, REG_ADDR, 0));
		add_probe(g, rec, i, REALM_PROBE_OP);
		return 0;
	case REALM_OP_STORE:
		set_x(g, REG_ADDR, op->u.store.ipa);
		set_x(g, REG_VALUE, op->u.store.value);
		a64_emit(b, a64_str_imm(REG_VALUE, REG_ADDR, 0));
		add_probe(g, rec, i, REALM_PROBE_OP);
		return 0;
	case REALM_OP_CHECK_REGS:
		add_probe(g, rec, i, REALM_PROBE_CHECK);
		a64_emit(b, a64_nop());
		return 0;
	default:
		return realm_err(g->err, g->errlen, "rec%u op %u: unknown op kind %d", rec, i,
				 (int)op->kind);
	}
}

/* A REC that runs out of ops powers itself off; CPU_OFF must not return, but if the RMM lets
 * it, the REC waits forever rather than run into the next REC's code. */
static void emit_end(struct builder *g, unsigned rec)
{
	set_x(g, 0, PSCI_CPU_OFF);
	a64_emit(&g->b, a64_smc(0));
	add_probe(g, rec, (unsigned)g->p->recs[rec].nops, REALM_PROBE_END);
	unsigned loop = a64_label_new(&g->b);
	a64_label_bind(&g->b, loop);
	a64_emit(&g->b, a64_wfi());
	a64_emit_b(&g->b, loop);
}

static uint64_t round_up(uint64_t v)
{
	return (v + GRANULE_MASK) & ~GRANULE_MASK;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (unsigned i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/* Places the scratch buffers after the code and writes the image. */
static int finish(struct builder *g, uint64_t base, struct realm_code *out)
{
	uint64_t scratch = round_up(a64_buf_pc(&g->b));
	uint64_t slots = scratch;
	if (g->need_config) {
		a64_label_bind_at(&g->b, g->config_label, scratch);
		slots += GRANULE_SIZE;
	}
	if (g->need_token) {
		a64_label_bind_at(&g->b, g->token_label, slots);
		slots += GRANULE_SIZE;
	}
	for (size_t i = 0; i < g->nhost_calls; i++) {
		a64_label_bind_at(&g->b, g->host_call_label[i], slots + i * HOST_CALL_SIZE);
	}
	uint64_t end = round_up(slots + g->nhost_calls * HOST_CALL_SIZE);
	if (a64_buf_finish(&g->b) < 0) {
		return realm_err(g->err, g->errlen, "realm program: %s", g->b.error);
	}
	out->size = end - base;
	out->bytes = calloc(1, out->size);
	if (!out->bytes) {
		return realm_err(g->err, g->errlen, "realm program: out of memory");
	}
	for (size_t i = 0; i < g->b.len; i++) {
		uint32_t w = g->b.insn[i];
		for (unsigned k = 0; k < 4; k++) {
			out->bytes[4 * i + k] = (uint8_t)(w >> (8 * k));
		}
	}
	/* RsiHostCall: imm (16 bits) at 0x00, gprs[0..30] from 0x08 (abi.h). */
	for (size_t i = 0; i < g->nhost_calls; i++) {
		uint8_t *s = out->bytes + (slots - base) + i * HOST_CALL_SIZE;
		const struct realm_op *op = g->host_calls[i];
		put64(s + HOST_CALL_IMM, op->u.rsi_host_call.imm);
		for (unsigned r = 0; r < op->u.rsi_host_call.ngprs; r++) {
			put64(s + HOST_CALL_GPRS + (size_t)8 * r, op->u.rsi_host_call.gprs[r]);
		}
	}
	return 0;
}

/* Counts what the layout reserves before any code is emitted. */
static int prepare(struct builder *g)
{
	size_t nhc = 0;
	g->rec_label = calloc(g->p->nrecs ? g->p->nrecs : 1, sizeof(*g->rec_label));
	for (size_t r = 0; r < g->p->nrecs; r++) {
		const struct realm_rec_src *src = &g->p->recs[r];
		if (src->elf_path) {
			continue;
		}
		g->rec_label[r] = a64_label_new(&g->b);
		for (size_t i = 0; i < src->nops; i++) {
			nhc += src->ops[i].kind == REALM_OP_RSI_HOST_CALL;
			g->need_config |= src->ops[i].kind == REALM_OP_RSI_REALM_CONFIG;
			g->need_token |=
			    src->ops[i].kind == REALM_OP_RSI_ATTESTATION_TOKEN_CONTINUE &&
			    !src->ops[i].u.rsi_attestation_token_continue.has_addr;
		}
	}
	g->config_label = a64_label_new(&g->b);
	g->token_label = a64_label_new(&g->b);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): host_calls is an array of pointers */
	g->host_calls = calloc(nhc ? nhc : 1, sizeof(*g->host_calls));
	g->host_call_label = calloc(nhc ? nhc : 1, sizeof(*g->host_call_label));
	if (!g->rec_label || !g->host_calls || !g->host_call_label) {
		return realm_err(g->err, g->errlen, "realm program: out of memory");
	}
	for (size_t i = 0; i < nhc; i++) {
		g->host_call_label[i] = a64_label_new(&g->b);
	}
	return 0;
}

static int build(struct builder *g, uint64_t base, uint64_t *entry, struct realm_code *out)
{
	if (prepare(g) < 0) {
		return -1;
	}
	for (size_t r = 0; r < g->p->nrecs; r++) {
		const struct realm_rec_src *src = &g->p->recs[r];
		if (src->elf_path) {
			continue;
		}
		entry[r] = a64_buf_pc(&g->b);
		a64_label_bind(&g->b, g->rec_label[r]);
		for (size_t i = 0; i < src->nops; i++) {
			if (emit_op(g, (unsigned)r, (unsigned)i) < 0) {
				return -1;
			}
		}
		emit_end(g, (unsigned)r);
	}
	if (g->oom || g->b.failed) {
		return realm_err(g->err, g->errlen, "realm program: %s",
				 g->b.failed ? g->b.error : "out of memory");
	}
	return finish(g, base, out);
}

int realm_code_build(const struct realm_params *p, uint64_t base, uint64_t *entry,
		     struct realm_code *out, char *err, size_t errlen)
{
	struct builder g = {.p = p, .entry = entry, .err = err, .errlen = errlen};
	memset(out, 0, sizeof(*out));
	a64_buf_init(&g.b, base);
	int rc = build(&g, base, entry, out);
	if (rc == 0) {
		out->probes = g.probes;
		out->nprobes = g.nprobes;
	} else {
		free(g.probes);
		free(out->bytes);
		memset(out, 0, sizeof(*out));
	}
	a64_buf_free(&g.b);
	free(g.rec_label);
	free(g.host_calls);
	free(g.host_call_label);
	return rc;
}

void realm_code_free(struct realm_code *c)
{
	free(c->bytes);
	free(c->probes);
	memset(c, 0, sizeof(*c));
}
