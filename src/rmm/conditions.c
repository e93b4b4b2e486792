/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The condition tables of conditions.h as data: one array of rows per command, the table of
 * tables, and the lookups the dispatchers and `cca-sim conditions` use.
 */
#include "rmm_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a row's index comes from: (kind, fixed value). */
#define COND_IDX_I0 RMM_INDEX_FIXED, 0
#define COND_IDX_I1 RMM_INDEX_FIXED, 1
#define COND_IDX_IW RMM_INDEX_WALK, 0
#define COND_IDX_IL RMM_INDEX_LEVEL, 0
#define COND_IDX_IN RMM_INDEX_FIXED, 0

#define COND_REV_ALL                                                                               \
	(RMM_SPEC_BIT(RMM_SPEC_1_0_EAC2) | RMM_SPEC_BIT(RMM_SPEC_1_0_EAC3) |                       \
	 RMM_SPEC_BIT(RMM_SPEC_1_0_REL0) | RMM_SPEC_BIT(RMM_SPEC_2_0))
#define COND_REV_EAC3_ON (COND_REV_ALL & ~RMM_SPEC_BIT(RMM_SPEC_1_0_EAC2))
#define COND_REV_V1_0    (COND_REV_ALL & ~RMM_SPEC_BIT(RMM_SPEC_2_0))

#define COND_ORIGIN_SPEC        RMM_COND_SPEC
#define COND_ORIGIN_READING     RMM_COND_READING
#define COND_ORIGIN_UNREACHABLE RMM_COND_UNREACHABLE
#define COND_ORIGIN_CONCURRENT  RMM_COND_CONCURRENT

#define COND_ROW(id, status, index, revisions, origin, meaning)                                    \
	{#id,    status, #status, COND_IDX_##index, COND_REV_##revisions, COND_ORIGIN_##origin,    \
	 meaning},
#define COND_ROW_ID(id, status, index, revisions, origin, meaning) COND_##id,

/* Per command: its rows and, in the same order, their IDs (each list ends in a terminator,
 * so that a command without conditions still has an array). */
#define COND_ARRAYS(cmd, iface, section, order)                                                    \
	static const struct rmm_condition rows_##cmd[] = {CONDS_##cmd(COND_ROW){0}};               \
	static const enum cond_id ids_##cmd[] = {CONDS_##cmd(COND_ROW_ID) COND_NONE};
RMM_CONDITION_TABLES(COND_ARRAYS)

/* (The command names are macros, FIDs: only # and ## may see them.) */
#define COND_TABLE(cmd, iface, section, order)                                                     \
	{#cmd,                                                                                     \
	 RMM_IFACE_##iface,                                                                        \
	 section,                                                                                  \
	 order,                                                                                    \
	 sizeof(rows_##cmd) / sizeof(rows_##cmd[0]) - 1,                                           \
	 rows_##cmd},
static const struct rmm_condition_table tables[CT_COUNT] = {RMM_CONDITION_TABLES(COND_TABLE)};

#define COND_IDS_OF(cmd, iface, section, order) ids_##cmd,
static const enum cond_id *const table_ids[CT_COUNT] = {RMM_CONDITION_TABLES(COND_IDS_OF)};

#define COND_NAME(id) #id,
static const char *const names[COND_COUNT] = {NULL, RMM_CONDITION_IDS(COND_NAME)};

const char *cond_name(enum cond_id id)
{
	return (unsigned)id < COND_COUNT ? names[id] : NULL;
}

const struct rmm_condition *cond_row(enum cond_table t, enum cond_id id)
{
	if ((unsigned)t >= CT_COUNT || id == COND_NONE) {
		return NULL;
	}
	for (size_t i = 0; i < tables[t].count; i++) {
		if (table_ids[t][i] == id) {
			return &tables[t].conds[i];
		}
	}
	return NULL;
}

uint64_t cond_status(enum cond_table t, enum cond_id id)
{
	const struct rmm_condition *c = cond_row(t, id);
	return c ? c->status : 0;
}

const struct rmm_condition *cond_require(enum cond_table t, enum cond_id id, unsigned spec)
{
	const struct rmm_condition *c = cond_row(t, id);
	if (!c || !(c->revisions & RMM_SPEC_BIT(spec))) {
		fprintf(stderr,
			"cca-sim: internal error: %s names condition '%s', which it does not list "
			"in this revision\n",
			tables[t].command, cond_name(id) ? cond_name(id) : "?");
		abort();
	}
	return c;
}

#define DECISION_ROW(id, meaning) {#id, "RMI_PSCI_COMPLETE", RMM_PSCI_DECISIONS_SECTION, meaning},
static const struct rmm_decision decisions[DECISION_COUNT - 1] = {RMM_PSCI_DECISIONS(DECISION_ROW)};
#undef DECISION_ROW

const char *decision_name(enum psci_decision d)
{
	return d > DECISION_NONE && d < DECISION_COUNT ? decisions[d - 1].id : NULL;
}

const struct rmm_decision *rmm_decision_at(size_t i)
{
	return i + 1 < DECISION_COUNT ? &decisions[i] : NULL;
}

const struct rmm_decision *rmm_decision_find(const char *id)
{
	for (size_t i = 0; id && i + 1 < DECISION_COUNT; i++) {
		if (strcmp(decisions[i].id, id) == 0) {
			return &decisions[i];
		}
	}
	return NULL;
}

const char *rmm_explain_event(void *ctx, const struct trace_event *ev, char *buf, size_t len)
{
	(void)ctx;
	const struct trace_field *cmd = trace_field(ev, ev->kind == TE_rmi ? "cmd" : "call");
	const struct trace_field *cond = trace_field(ev, "condition");
	const struct trace_field *dec = trace_field(ev, "decision");
	if (!cmd || cmd->kind != TV_NAME) {
		return NULL;
	}
	if (cond && cond->kind == TV_NAME) {
		const struct rmm_condition_table *t = rmm_condition_table_find(cmd->str);
		const struct rmm_condition *c = t ? rmm_condition_find(t, cond->str) : NULL;
		if (!c) {
			return NULL;
		}
		snprintf(buf, len, "%s (%s, failure condition %s)", c->meaning, t->section, c->id);
		return buf;
	}
	const struct rmm_decision *d =
	    dec && dec->kind == TV_NAME ? rmm_decision_find(dec->str) : NULL;
	if (!d) {
		return NULL;
	}
	snprintf(buf, len, "%s (%s, decision %s)", d->meaning, d->section, d->id);
	return buf;
}

const struct rmm_condition_table *rmm_condition_table_at(size_t i)
{
	return i < CT_COUNT ? &tables[i] : NULL;
}

const struct rmm_condition_table *rmm_condition_table_find(const char *command)
{
	for (size_t i = 0; command && i < CT_COUNT; i++) {
		if (strcmp(tables[i].command, command) == 0) {
			return &tables[i];
		}
	}
	return NULL;
}

const struct rmm_condition *rmm_condition_find(const struct rmm_condition_table *t, const char *id)
{
	for (size_t i = 0; t && id && i < t->count; i++) {
		if (strcmp(t->conds[i].id, id) == 0) {
			return &t->conds[i];
		}
	}
	return NULL;
}
