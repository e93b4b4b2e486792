/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The top level of a scenario file: name, spec, machine, realms and their RECs, programs. */
#include "scenario/scenario_private.h"

#include <stdio.h>
#include <string.h>

#define MAX_RECS     4096 /* far beyond any flow; bounds what junk can make us allocate */
#define MAX_PROGRAMS 1024
#define MAX_REALMS   64

static bool parse_name_key(struct ctx *c, const struct ynode *n, const char *what, const char **out)
{
	if (!need_kind(c, n, YN_SCALAR, what)) {
		return false;
	}
	if (!is_name_word(n->text)) {
		return fail(c, n, "%s `%s` must match [a-z0-9_-]+", what, n->text);
	}
	return parse_string(c, n, what, out);
}

static bool one_of(unsigned v, const unsigned *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (set[i] == v) {
			return true;
		}
	}
	return false;
}

static bool parse_gpt(struct ctx *c, const struct ynode *n, struct scenario_machine *m)
{
	static const char *const keys[] = {"pps", "l0gptsz", "root_size", NULL};
	static const unsigned pps[] = {32, 36, 40, 42, 44, 48, 52};
	static const unsigned l0[] = {30, 34, 36, 39};
	struct kv kv[3];
	uint64_t v;

	if (!map_fields(c, n, "`machine.gpt`", keys, kv)) {
		return false;
	}
	if (kv[0].val) {
		if (!parse_uint(c, kv[0].val, "`pps`", 32, 52, &v)) {
			return false;
		}
		if (!one_of((unsigned)v, pps, 7)) {
			return fail(c, kv[0].val, "`pps` must be 32, 36, 40, 42, 44, 48 or 52");
		}
		m->gpt_pps_bits = (unsigned)v;
		m->gpt_pps_pos = pos_of(c, kv[0].val);
	}
	if (kv[1].val) {
		if (!parse_uint(c, kv[1].val, "`l0gptsz`", 30, 39, &v)) {
			return false;
		}
		if (!one_of((unsigned)v, l0, 4)) {
			return fail(c, kv[1].val, "`l0gptsz` must be 30, 34, 36 or 39");
		}
		m->gpt_l0gptsz = (unsigned)v;
		m->gpt_l0gptsz_pos = pos_of(c, kv[1].val);
	}
	if (kv[2].val) {
		if (!parse_size(c, kv[2].val, "`root_size`", &m->gpt_root_size)) {
			return false;
		}
		if (!m->gpt_root_size || (m->gpt_root_size & 0xfff)) {
			return fail(c, kv[2].val, "`root_size` must be a non-zero multiple of 4K");
		}
		m->gpt_root_size_pos = pos_of(c, kv[2].val);
	}
	return true;
}

static bool parse_machine(struct ctx *c, const struct ynode *n, struct scenario_machine *m)
{
	static const char *const keys[] = {
	    "ram", "pa_bits", "gpt", "attestation_seed", "attestation", MACHINE_PLATFORM_KEYS,
	    NULL};
	struct kv kv[5 + MACHINE_PLATFORM_NKEYS];
	uint64_t v;
	bool attestation = true;

	/* a preset first (parse_machine.c), so that every other key overrides it */
	if (!map_fields(c, n, "`machine`", keys, kv) || !parse_platform(c, kv + 5, m)) {
		return false;
	}
	if (kv[4].val && !parse_bool(c, kv[4].val, "`attestation`", &attestation)) {
		return false;
	}
	m->no_attestation = !attestation;
	if (kv[3].val) {
		/* The seed of the attestation keys (docs/attestation.md), which EL3 keeps. */
		if (!parse_string(c, kv[3].val, "`attestation_seed`", &m->attestation_seed)) {
			return false;
		}
		size_t len = strlen(m->attestation_seed);
		if (len == 0 || len > SCENARIO_SEED_MAX) {
			return fail(c, kv[3].val,
				    "`attestation_seed` is 1 to %d characters, found %zu",
				    SCENARIO_SEED_MAX, len);
		}
	}
	m->pos = pos_of(c, n);
	if (kv[0].val) {
		if (!parse_size(c, kv[0].val, "`ram`", &m->ram)) {
			return false;
		}
		if (!m->ram || (m->ram & 0xfff)) {
			return fail(c, kv[0].val,
				    "`ram` must be a non-zero multiple of 4K, found `%s`",
				    kv[0].val->text);
		}
		m->ram_pos = pos_of(c, kv[0].val);
	}
	if (kv[1].val) {
		/* What the machine and the RMM can do with it is checked with the rest of the
		 * machine, once the whole file is read (validate.c). */
		if (!parse_uint(c, kv[1].val, "`pa_bits`", 32, 52, &v)) {
			return false;
		}
		m->pa_bits = (unsigned)v;
		m->pa_bits_pos = pos_of(c, kv[1].val);
	}
	/* Where the ranges and the rest may lie is checked with the whole machine (validate.c). */
	return !kv[2].val || parse_gpt(c, kv[2].val, m);
}

static const struct scenario_program *find_program(const struct scenario *s, const char *name)
{
	for (size_t i = 0; i < s->nprograms; i++) {
		if (!strcmp(s->programs[i].name, name)) {
			return &s->programs[i];
		}
	}
	return NULL;
}

static bool parse_programs(struct ctx *c, const struct ynode *n)
{
	struct scenario *s = c->s;

	if (!need_kind(c, n, YN_MAP, "`programs`")) {
		return false;
	}
	if (n->n / 2 > MAX_PROGRAMS) {
		return fail(c, n, "more than %d programs", MAX_PROGRAMS);
	}
	s->programs = arena_array(c->arena, n->n / 2, sizeof(*s->programs));
	if (n->n && !s->programs) {
		return fail_oom(c);
	}
	for (const struct ynode *k = n->kind == YN_MAP ? n->child : NULL; k && k->next;
	     k = k->next->next) {
		struct scenario_program *p = &s->programs[s->nprograms];
		const struct scenario_program *prev;
		if (!parse_name_key(c, k, "a program name", &p->name)) {
			return false;
		}
		prev = find_program(s, p->name);
		if (prev) {
			return fail(c, k,
				    "duplicate key `%s` in `programs` (first at line %u, "
				    "column %u)",
				    k->text, prev->pos.line, prev->pos.col);
		}
		if (!parse_program(c, k->next, p)) {
			return false;
		}
		p->pos = pos_of(c, k);
		s->nprograms++;
	}
	return true;
}

/* `image` is relative to the scenario file's folder, as a path in a Makefile would be. */
static const char *image_path(struct ctx *c, const char *image)
{
	const char *slash = strrchr(c->s->file, '/');
	size_t dir = slash ? (size_t)(slash - c->s->file) + 1 : 0;
	size_t len = strlen(image);
	char *p;

	if (image[0] == '/' || !dir) {
		return image;
	}
	p = arena_alloc(c->arena, dir + len + 1);
	if (p) {
		memcpy(p, c->s->file, dir);
		memcpy(p + dir, image, len + 1);
	}
	return p;
}

/* `checks: [{at: SYMBOL, expect: {x0: ...}}, ...]` */
static bool parse_checks(struct ctx *c, const struct ynode *n, struct scenario_rec *r)
{
	static const char *const keys[] = {"at", "expect", NULL};
	size_t i = 0;

	if (!need_kind(c, n, YN_SEQ, "`checks`")) {
		return false;
	}
	r->nchecks = n->n;
	r->checks = arena_array(c->arena, r->nchecks, sizeof(*r->checks));
	if (r->nchecks && !r->checks) {
		return fail_oom(c);
	}
	for (const struct ynode *e = n->child; e && i < r->nchecks; e = e->next, i++) {
		struct scenario_check_at *ck = &r->checks[i];
		struct kv kv[2];
		ck->pos = pos_of(c, e);
		if (!map_fields(c, e, "a check", keys, kv) ||
		    !need_key(c, e, &kv[0], "at", "a check") ||
		    !need_key(c, e, &kv[1], "expect", "a check") ||
		    !parse_string(c, kv[0].val, "`at`", &ck->at) ||
		    !parse_reg_expect(c, kv[1].val, "the `expect` of a check", &ck->expect)) {
			return false;
		}
	}
	return true;
}

static bool parse_rec(struct ctx *c, const struct ynode *n, size_t index, struct scenario_rec *r)
{
	static const char *const keys[] = {"runnable", "program", "image", "entry", "checks", NULL};
	struct kv kv[5];

	r->pos = pos_of(c, n);
	r->runnable = index == 0;
	r->program = &r->inline_program;
	r->inline_program.pos = r->pos;
	if (!map_fields(c, n, "a REC", keys, kv)) {
		return false;
	}
	if (kv[0].val && !parse_bool(c, kv[0].val, "`runnable`", &r->runnable)) {
		return false;
	}
	if (kv[1].val && kv[2].val) {
		return fail(c, kv[2].key, "a REC has either `program` or `image`, not both");
	}
	if (kv[3].val && !kv[2].val) {
		return fail(c, kv[3].key, "`entry` names a symbol of an `image`, which is missing");
	}
	if (kv[1].val && kv[1].val->kind == YN_SCALAR && !node_is_null(kv[1].val)) {
		r->program = find_program(c->s, kv[1].val->text);
		if (!r->program) {
			return fail(c, kv[1].val, "unknown program `%s` (%s)", kv[1].val->text,
				    c->s->nprograms ? "not a key of `programs`"
						    : "the scenario has no `programs`");
		}
		r->program_ref = r->program->name;
	} else if (kv[1].val && !parse_program(c, kv[1].val, &r->inline_program)) {
		return false;
	}
	if (kv[2].val) {
		if (!parse_string(c, kv[2].val, "`image`", &r->image)) {
			return false;
		}
		r->image_path = image_path(c, r->image);
		if (!r->image_path) {
			return fail_oom(c);
		}
	}
	if (kv[4].val && !parse_checks(c, kv[4].val, r)) {
		return false;
	}
	return !kv[3].val || parse_string(c, kv[3].val, "`entry`", &r->entry);
}

static bool parse_realm(struct ctx *c, const struct ynode *n, bool named, struct scenario_realm *r)
{
	static const char *const keys[] = {"name", "ipa_bits", "recs", NULL};
	const char *what = named ? "a realm of `realms`" : "`realm`";
	struct kv kv[3];
	uint64_t v;
	size_t i = 0;

	memset(kv, 0, sizeof(kv)); /* kv[0] is only filled for a named realm */
	r->pos = pos_of(c, n);
	r->ipa_bits = 33;
	r->name = "realm"; /* the name events carry for a single realm */
	if (!map_fields(c, n, what, named ? keys : keys + 1, named ? kv : kv + 1)) {
		return false;
	}
	if (named && (!need_key(c, n, &kv[0], "name", what) ||
		      !parse_name_key(c, kv[0].val, "the realm's `name`", &r->name))) {
		return false;
	}
	if (kv[1].val) {
		if (!parse_uint(c, kv[1].val, "`ipa_bits`", 24, 52, &v)) {
			return false;
		}
		r->ipa_bits = (unsigned)v;
		r->ipa_bits_pos = pos_of(c, kv[1].val);
	}
	if (!need_key(c, n, &kv[2], "recs", what) || !need_kind(c, kv[2].val, YN_SEQ, "`recs`")) {
		return false;
	}
	if (kv[2].val->kind != YN_SEQ || kv[2].val->n == 0) {
		return fail(c, kv[2].val, "`recs` must list at least one REC");
	}
	if (kv[2].val->n > MAX_RECS) {
		return fail(c, kv[2].val, "`recs` lists %zu RECs, more than %d", kv[2].val->n,
			    MAX_RECS);
	}
	r->nrecs = kv[2].val->n;
	r->recs = arena_array(c->arena, r->nrecs, sizeof(*r->recs));
	if (!r->recs) {
		return fail_oom(c);
	}
	for (const struct ynode *e = kv[2].val->child; e; e = e->next, i++) {
		if (!parse_rec(c, e, i, &r->recs[i])) {
			return false;
		}
	}
	return true;
}

static bool parse_realms(struct ctx *c, const struct ynode *n, bool multi)
{
	struct scenario *s = c->s;
	size_t i = 0;

	s->multi_realm = multi;
	if (!multi) {
		s->nrealms = 1;
		s->realms = arena_alloc(c->arena, sizeof(*s->realms));
		return s->realms ? parse_realm(c, n, false, s->realms) : fail_oom(c);
	}
	if (!need_kind(c, n, YN_SEQ, "`realms`")) {
		return false;
	}
	if (n->kind != YN_SEQ || n->n == 0) {
		return fail(c, n, "`realms` must list at least one realm");
	}
	if (n->n > MAX_REALMS) {
		return fail(c, n, "`realms` lists %zu realms, more than %d", n->n, MAX_REALMS);
	}
	s->realms = arena_array(c->arena, n->n, sizeof(*s->realms));
	if (!s->realms) {
		return fail_oom(c);
	}
	for (const struct ynode *e = n->child; e; e = e->next, i++) {
		if (!parse_realm(c, e, true, &s->realms[i])) {
			return false;
		}
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(s->realms[j].name, s->realms[i].name)) {
				return fail(c, e, "duplicate realm name `%s` (first at line %u)",
					    s->realms[i].name, s->realms[j].pos.line);
			}
		}
		s->nrealms++;
	}
	return true;
}

enum top_key {
	K_NAME,
	K_DESC,
	K_SPEC,
	K_PROFILE,
	K_MACHINE,
	K_REALM,
	K_REALMS,
	K_PROGRAMS,
	K_HOST,
	K_EXPECT,
	K_ABSENT,
	K_COUNT
};

static bool parse_settings(struct ctx *c, const struct kv *kv)
{
	struct scenario *s = c->s;

	if (kv[K_DESC].val && !parse_string(c, kv[K_DESC].val, "`description`", &s->description)) {
		return false;
	}
	if (kv[K_SPEC].val) {
		const struct ynode *v = kv[K_SPEC].val;
		if (!need_kind(c, v, YN_SCALAR, "`spec`")) {
			return false;
		}
		if (!rmm_spec_parse(v->text, &s->spec)) {
			return fail(c, v, "unknown spec `%s` (expected one of: %s)", v->text,
				    rmm_spec_name_list());
		}
	}
	if (kv[K_PROFILE].val) {
		const struct ynode *v = kv[K_PROFILE].val;
		if (!need_kind(c, v, YN_SCALAR, "`profile`")) {
			return false;
		}
		if (!rmm_profile_parse(v->text, &s->profile)) {
			return fail(c, v, "unknown profile `%s` (expected spec or tf-rmm)",
				    v->text);
		}
	}
	return !kv[K_MACHINE].val || parse_machine(c, kv[K_MACHINE].val, &s->machine);
}

bool parse_document(struct ctx *c, const struct ynode *root)
{
	static const char *const keys[] = {"name",    "description", "spec",   "profile",
					   "machine", "realm",       "realms", "programs",
					   "host",    "expect",      "absent", NULL};
	struct scenario *s = c->s;
	struct ynode start = {.line = 1, .col = 1};
	struct kv kv[K_COUNT];

	s->spec = RMM_SPEC_1_0_REL0;
	s->profile = RMM_PROFILE_SPEC;
	s->machine.ram = 64ULL << 20;
	s->machine.pa_bits = 40;
	s->host.plugged_all = true;
	s->host.teardown = true;
	if (!root || node_is_null(root)) {
		return fail(c, &start,
			    "empty scenario (expected a map with at least `name` and `realm`)");
	}
	if (root->kind != YN_MAP) {
		return fail(c, root, "a scenario must be a map at the top level, found %s",
			    node_kind_name(root));
	}
	if (!map_fields(c, root, "the scenario", keys, kv) ||
	    !need_key(c, root, &kv[K_NAME], "name", "the scenario") ||
	    !parse_name_key(c, kv[K_NAME].val, "`name`", &s->name) || !parse_settings(c, kv)) {
		return false;
	}
	s->name_pos = pos_of(c, kv[K_NAME].val);
	if (kv[K_REALM].val && kv[K_REALMS].val) {
		const struct kv *later = kv[K_REALM].key->line > kv[K_REALMS].key->line ||
						 (kv[K_REALM].key->line == kv[K_REALMS].key->line &&
						  kv[K_REALM].key->col > kv[K_REALMS].key->col)
					     ? &kv[K_REALM]
					     : &kv[K_REALMS];
		return fail(c, later->key,
			    "both `realm` and `realms` given (use `realm` for one "
			    "realm, `realms` for several)");
	}
	if (!kv[K_REALM].val && !kv[K_REALMS].val) {
		return fail(c, root, "missing required key `realm` (or `realms`) in the scenario");
	}
	if (kv[K_PROGRAMS].val && !parse_programs(c, kv[K_PROGRAMS].val)) {
		return false;
	}
	if (!parse_realms(c, kv[K_REALM].val ? kv[K_REALM].val : kv[K_REALMS].val,
			  kv[K_REALMS].val != NULL)) {
		return false;
	}
	for (size_t i = 0; i < s->nrealms; i++) {
		c->max_recs = s->realms[i].nrecs > c->max_recs ? s->realms[i].nrecs : c->max_recs;
	}
	if ((kv[K_HOST].val && !parse_host(c, kv[K_HOST].val, &s->host)) ||
	    (kv[K_EXPECT].val &&
	     !parse_patterns(c, kv[K_EXPECT].val, "`expect`", &s->expect, &s->nexpect)) ||
	    (kv[K_ABSENT].val &&
	     !parse_patterns(c, kv[K_ABSENT].val, "`absent`", &s->absent, &s->nabsent))) {
		return false;
	}
	return validate_scenario(c);
}
