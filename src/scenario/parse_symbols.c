/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Symbols: `[REALM.]BASE[ + N]`, where BASE is rd, recN, runN, dataN, auxN, rtt, delegated,
 * undelegated, outside, secure or device. They name host addresses that exist only once the host
 * has built the realms, so they are checked here (realm, REC index) and resolved by the host layer.
 */
#include "scenario/scenario_private.h"

#include <ctype.h>
#include <string.h>

struct sym_text {
	char qual[128], base[128];
	bool has_qual;
	int64_t offset;
};

static bool base_symbol(const char *b, enum scenario_symbol *sym, unsigned *index)
{
	static const struct {
		const char *name;
		enum scenario_symbol sym;
		bool indexed;
	} bases[] = {
	    {"rd", SCENARIO_SYM_RD, false},
	    {"rtt", SCENARIO_SYM_RTT, false},
	    {"delegated", SCENARIO_SYM_DELEGATED, false},
	    {"undelegated", SCENARIO_SYM_UNDELEGATED, false},
	    {"outside", SCENARIO_SYM_OUTSIDE, false},
	    {"secure", SCENARIO_SYM_SECURE, false},
	    {"device", SCENARIO_SYM_DEVICE, false},
	    {"rec", SCENARIO_SYM_REC, true},
	    {"run", SCENARIO_SYM_RUN, true},
	    {"data", SCENARIO_SYM_DATA, true},
	    {"aux", SCENARIO_SYM_AUX, true},
	};
	for (size_t i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		size_t len = strlen(bases[i].name);
		uint64_t idx = 0;
		if (strncmp(b, bases[i].name, len) != 0) {
			continue;
		}
		if (!bases[i].indexed ? b[len] != '\0'
				      : (b[len] == '+' || b[len] == '-' ||
					 !parse_digits(b + len, 10, &idx) || idx > 0xffffff)) {
			continue;
		}
		*sym = bases[i].sym;
		*index = (unsigned)idx;
		return true;
	}
	return false;
}

void trim_copy(char *dst, size_t cap, const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1])) {
		len--;
	}
	if (len >= cap) {
		len = cap - 1;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

/* Splits "vm2.rec1 + 8"; false (with a message) when the offset is not a number. */
static bool split_symbol(struct ctx *c, const struct ynode *n, struct sym_text *st)
{
	const char *t = n->text;
	const char *plus = strchr(t, '+');
	const char *minus = strstr(t, " -");
	const char *op = plus ? plus : minus ? minus + 1 : NULL;
	size_t head = op ? (size_t)(op - t) : strlen(t);
	char head_text[256] = {0};

	st->offset = 0;
	if (op) {
		char num[64];
		uint64_t v;
		trim_copy(num, sizeof(num), op + 1, strlen(op + 1));
		if (!parse_number_text(num, &v) || num[0] == '-' || num[0] == '+' ||
		    v > (uint64_t)INT64_MAX) {
			return fail(c, n, "bad offset `%s` in `%s` (expected SYMBOL + NUMBER)", num,
				    t);
		}
		st->offset = *op == '-' ? -(int64_t)v : (int64_t)v;
	}
	trim_copy(head_text, sizeof(head_text), t, head);
	const char *dot = strrchr(head_text, '.');
	st->has_qual = dot != NULL;
	trim_copy(st->qual, sizeof(st->qual), head_text, dot ? (size_t)(dot - head_text) : 0);
	trim_copy(st->base, sizeof(st->base), dot ? dot + 1 : head_text,
		  strlen(dot ? dot + 1 : head_text));
	return true;
}

int find_realm(const struct ctx *c, const char *name)
{
	for (size_t i = 0; c->s && i < c->s->nrealms; i++) {
		if (!strcmp(c->s->realms[i].name, name)) {
			return (int)i;
		}
	}
	return -1;
}

static bool realm_specific(enum scenario_symbol sym)
{
	return sym != SCENARIO_SYM_DELEGATED && sym != SCENARIO_SYM_UNDELEGATED &&
	       sym != SCENARIO_SYM_OUTSIDE && sym != SCENARIO_SYM_SECURE &&
	       sym != SCENARIO_SYM_DEVICE;
}

/* The platform symbols exist only on a platform that has what they name. */
static bool platform_has(struct ctx *c, const struct ynode *n, const struct scenario_value *v)
{
	const struct scenario_machine *m = &c->s->machine;
	if (v->sym == SCENARIO_SYM_SECURE && !m->nsecure) {
		return fail(c, n, "symbol `secure` needs a Secure-PAS range (`machine.secure`)");
	}
	if (v->sym == SCENARIO_SYM_DEVICE && !m->ndevice) {
		return fail(c, n, "symbol `device` needs a device range (`machine.device`)");
	}
	return true;
}

/* Which realm a host symbol is about, with the checks the contract implies. */
static bool resolve_realm(struct ctx *c, const struct ynode *n, const struct sym_text *st,
			  struct scenario_value *out)
{
	out->realm_index = -1;
	if (st->has_qual) {
		/* also accepted (and kept) on realm-less symbols such as vm1.delegated */
		out->realm_index = find_realm(c, st->qual);
		if (out->realm_index < 0) {
			return fail(c, n, "unknown realm `%s` in symbol `%s`", st->qual, n->text);
		}
		out->realm = c->s->realms[out->realm_index].name;
	} else if (!realm_specific(out->sym)) {
		return true;
	} else if (c->s->multi_realm) { /* host values are parsed after the realms */
		return fail(c, n,
			    "symbol `%s` needs a realm qualifier in a scenario with `realms` (e.g. "
			    "%s.%s)",
			    n->text, c->s->realms[0].name, st->base);
	} else {
		out->realm_index = 0;
	}
	const struct scenario_realm *r = &c->s->realms[out->realm_index];
	if ((out->sym == SCENARIO_SYM_REC || out->sym == SCENARIO_SYM_RUN) &&
	    out->index >= r->nrecs) {
		return fail(c, n, "REC index %u out of range in `%s` (realm `%s` has %zu REC%s)",
			    out->index, n->text, r->name, r->nrecs, r->nrecs == 1 ? "" : "s");
	}
	size_t naux = r->nrecs * c->s->machine.rec_aux_count;
	if (out->sym == SCENARIO_SYM_AUX && out->index >= naux) {
		return fail(c, n,
			    "aux index %u out of range in `%s` (realm `%s` has %zu auxiliary "
			    "granules: `machine.rec_aux_count` per REC)",
			    out->index, n->text, r->name, naux);
	}
	if (out->sym == SCENARIO_SYM_DATA) {
		struct scenario_data_ref *ref = arena_alloc(c->arena, sizeof(*ref));
		if (!ref) {
			return fail_oom(c);
		}
		*ref = (struct scenario_data_ref){c->s->data_refs, (unsigned)out->realm_index,
						  out->index, pos_of(c, n)};
		c->s->data_refs = ref;
	}
	return true;
}

int parse_symbol(struct ctx *c, const struct ynode *n, const char *key, const struct vspec *spec,
		 struct scenario_value *out)
{
	struct sym_text st = {0};
	bool symbolic = strchr(n->text, '.') || strchr(n->text, '+');

	if (!split_symbol(c, n, &st)) {
		return -1;
	}
	if (!base_symbol(st.base, &out->sym, &out->index)) {
		if (!symbolic) {
			return 0;
		}
		fail(c, n, "unknown symbol `%s` in `%s` (expected %s)", st.base, key, spec->what);
		return -1;
	}
	out->kind = SCENARIO_VAL_SYMBOL;
	out->offset = st.offset;
	out->realm_index = -1;
	if (!(spec->flags & VF_SYM) && out->sym != SCENARIO_SYM_REC) {
		fail(c, n, "`%s` expects %s, found symbol `%s`", key, spec->what, n->text);
		return -1;
	}
	if (spec->flags & VF_ENTRY) {
		/* a realm program only knows its own realm; the index is checked per realm */
		if (st.has_qual) {
			fail(c, n, "`%s` in a realm program takes no realm qualifier", n->text);
			return -1;
		}
		return 1;
	}
	if (!(spec->flags & VF_SYM) && st.offset) {
		fail(c, n, "`%s` expects %s, found `%s`", key, spec->what, n->text);
		return -1;
	}
	return platform_has(c, n, out) && resolve_realm(c, n, &st, out) ? 1 : -1;
}
