/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Checks that need more than one part of the model: a program may be shared by RECs of realms
 * with different REC counts, so its REC indexes are checked for each realm that runs it.
 */
#include "scenario/scenario_private.h"

#include "host/host.h"

#include <stdio.h>

static bool rec_in_range(struct ctx *c, const struct scenario_value *v, const char *key,
			 const struct scenario_op *op, const struct scenario_realm *r,
			 const struct scenario_program *prog)
{
	struct ynode at = {.line = v->pos.line, .col = v->pos.col};

	if (v->num < r->nrecs) {
		return true;
	}
	if (prog->name) {
		return fail(c, &at,
			    "REC index %llu out of range in `%s` of %s (program `%s` runs in realm "
			    "`%s`, which has %zu REC%s)",
			    (unsigned long long)v->num, key, op->name, prog->name, r->name,
			    r->nrecs, r->nrecs == 1 ? "" : "s");
	}
	return fail(c, &at, "REC index %llu out of range in `%s` of %s (realm `%s` has %zu REC%s)",
		    (unsigned long long)v->num, key, op->name, r->name, r->nrecs,
		    r->nrecs == 1 ? "" : "s");
}

static bool check_op(struct ctx *c, const struct scenario_op *op, const struct scenario_realm *r,
		     const struct scenario_program *prog)
{
	if (op->target.kind == SCENARIO_VAL_NUMBER && !op->target_is_mpidr &&
	    !rec_in_range(c, &op->target, "target", op, r, prog)) {
		return false;
	}
	if (op->entry.kind == SCENARIO_VAL_SYMBOL) {
		struct scenario_value idx = op->entry;
		idx.num = op->entry.index;
		return rec_in_range(c, &idx, "entry", op, r, prog);
	}
	return true;
}

/* The first of the positions that is written (line 0: not written). */
static const struct scenario_pos *
written(const struct scenario_pos *a, const struct scenario_pos *b, const struct scenario_pos *c)
{
	return a->line ? a : b->line ? b : c;
}

/* Where a value came from when the scenario does not write it: the preset that set it, or the
 * machine (or the file's start) whose default it is. */
static const struct scenario_pos *set_by(const struct scenario_machine *m,
					 const struct scenario_pos *value,
					 const struct scenario_pos *machine)
{
	return written(value, &m->preset_pos, machine);
}

/* What the machine and the RMM can really do with `machine` and each realm's `ipa_bits`: the
 * same checks host_create makes, so that a machine that would not boot is an input error at
 * the value that breaks it (or the one the default came with). */
static bool check_machine(struct ctx *c)
{
	const struct scenario *s = c->s;
	const struct scenario_machine *m = &s->machine;
	static const struct scenario_pos file_start = {.line = 1, .col = 1};
	const struct scenario_pos *machine = m->pos.line ? &m->pos : &file_start, *at = NULL;
	struct host_config hc = {0};
	char why[300];
	unsigned lo, hi, range = 0;

	scenario_machine_config(m, &hc);
	enum host_config_fault fault = host_config_check(&hc, &range, why, sizeof(why));
	switch (fault) {
	case HOST_CONFIG_OK:
		break;
	case HOST_CONFIG_PA_BITS:
		at = written(&m->pa_bits_pos, &m->ram_pos, set_by(m, &m->pa_bits_pos, machine));
		break;
	case HOST_CONFIG_GPT_PPS:
		at = written(&m->gpt_pps_pos, &m->ram_pos, set_by(m, &m->gpt_pps_pos, machine));
		break;
	case HOST_CONFIG_GPT_L0GPTSZ:
		at = written(&m->gpt_l0gptsz_pos, &m->ram_pos,
			     set_by(m, &m->gpt_l0gptsz_pos, machine));
		break;
	case HOST_CONFIG_GPT_ROOT_SIZE:
		at = written(&m->gpt_root_size_pos, &m->ram_pos,
			     set_by(m, &m->gpt_root_size_pos, machine));
		break;
	case HOST_CONFIG_RAM:
		at = written(&m->ram_pos, &m->pa_bits_pos, set_by(m, &m->ram_pos, machine));
		break;
	case HOST_CONFIG_SECURE:
		at = set_by(m, &m->secure[range < m->nsecure ? range : 0].pos, machine);
		break;
	case HOST_CONFIG_DEVICE:
		at = set_by(m, &m->device[range < m->ndevice ? range : 0].pos, machine);
		break;
	}
	if (at) {
		struct ynode n = {.line = at->line, .col = at->col};
		return fail(c, &n, "this machine cannot be built: %s%s", why,
			    fault == HOST_CONFIG_RAM && !m->ram_pos.line
				? (m->preset ? " (`ram` comes from the preset)"
					     : " (`ram` is 64M by default)")
				: "");
	}
	host_ipa_bits_range(&hc, &lo, &hi);
	for (size_t i = 0; i < s->nrealms; i++) {
		const struct scenario_realm *r = &s->realms[i];
		if (r->ipa_bits >= lo && r->ipa_bits <= hi) {
			continue;
		}
		at = r->ipa_bits_pos.line ? &r->ipa_bits_pos : &r->pos;
		struct ynode n = {.line = at->line, .col = at->col};
		return fail(c, &n,
			    "%s`ipa_bits` %u is not an IPA width the RMM supports on this machine: "
			    "%u to %u (at most the machine's `pa_bits`, %u)",
			    r->ipa_bits_pos.line ? "" : "the default ", r->ipa_bits, lo, hi,
			    m->pa_bits);
	}
	return true;
}

/* A device's address lies in the Unprotected half of every realm's IPA space, and no two
 * devices share a granule. */
static bool check_devices(struct ctx *c)
{
	const struct scenario *s = c->s;
	for (size_t i = 0; i < s->host.ndevices; i++) {
		const struct scenario_device *d = &s->host.devices[i];
		struct ynode at = {.line = d->pos.line, .col = d->pos.col};
		for (size_t j = 0; j < s->nrealms; j++) {
			unsigned bits = s->realms[j].ipa_bits;
			uint64_t lo = 1ULL << (bits - 1), hi = 1ULL << bits;
			uint64_t ipa = d->ipa.kind == SCENARIO_VAL_NUMBER
					   ? d->ipa.num
					   : host_device_default_ipa(d->kind, bits);
			if (ipa < lo || ipa >= hi) {
				return fail(
				    c, &at,
				    "device at IPA 0x%llx is not in the Unprotected half of "
				    "realm `%s` (0x%llx to 0x%llx, ipa_bits %u)",
				    (unsigned long long)ipa, s->realms[j].name,
				    (unsigned long long)lo, (unsigned long long)(hi - 1), bits);
			}
		}
		for (size_t k = 0; k < i; k++) {
			const struct scenario_device *o = &s->host.devices[k];
			bool same = o->ipa.kind == d->ipa.kind &&
				    (d->ipa.kind == SCENARIO_VAL_NUMBER ? o->ipa.num == d->ipa.num
									: o->kind == d->kind);
			if (same) {
				return fail(c, &at,
					    "two devices at the same address (the other at "
					    "line %u)",
					    o->pos.line);
			}
		}
	}
	return true;
}

/* An interrupt to inject names a REC of every realm (host keys apply to all). */
static bool check_injects(struct ctx *c)
{
	const struct scenario *s = c->s;
	for (size_t i = 0; i < s->host.ninjects; i++) {
		const struct scenario_value *v = &s->host.injects[i].rec;
		for (size_t j = 0; j < s->nrealms; j++) {
			if (v->num >= s->realms[j].nrecs) {
				struct ynode at = {.line = v->pos.line, .col = v->pos.col};
				return fail(
				    c, &at,
				    "REC index %llu out of range in `inject` (realm `%s` has "
				    "%zu REC%s)",
				    (unsigned long long)v->num, s->realms[j].name,
				    s->realms[j].nrecs, s->realms[j].nrecs == 1 ? "" : "s");
			}
		}
	}
	return true;
}

bool validate_scenario(struct ctx *c)
{
	const struct scenario *s = c->s;

	if (!check_machine(c) || !check_devices(c) || !check_injects(c)) {
		return false;
	}

	for (size_t i = 0; i < s->nrealms; i++) {
		const struct scenario_realm *r = &s->realms[i];
		for (size_t j = 0; j < r->nrecs; j++) {
			const struct scenario_program *p = r->recs[j].program;
			for (size_t k = 0; k < p->nops; k++) {
				if (!check_op(c, &p->ops[k], r, p)) {
					return false;
				}
			}
		}
	}
	return true;
}
