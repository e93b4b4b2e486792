/*
 * Checks that need more than one part of the model: a program may be shared by RECs of realms
 * with different REC counts, so its REC indexes are checked for each realm that runs it.
 */
#include "scenario/internal.h"

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

bool validate_scenario(struct ctx *c)
{
	const struct scenario *s = c->s;

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
