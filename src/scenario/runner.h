/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to src/scenario: the state of one scenario run (compile, execute, check). */
#ifndef CCA_SCENARIO_RUNNER_H
#define CCA_SCENARIO_RUNNER_H

#include "host/host.h"
#include "realm/realm.h"
#include "scenario/scenario.h"

struct runner_probe {
	uint64_t ipa;
	unsigned realm;
	unsigned rec; /* whose program the op belongs to */
	unsigned op;
	enum realm_probe_kind kind;
	bool at_symbol; /* a `checks` entry: op is its index among the REC's checks */
	unsigned hits;
	size_t order; /* position in the realm images' probe lists (ties in the sort) */
};

struct runner {
	const struct scenario *s;
	const struct scenario_run_options *opt;
	struct scenario_result *res;
	struct trace *t;
	struct host *h;
	struct realm_image img[HOST_MAX_REALMS];
	struct realm_op *ops[HOST_MAX_REALMS]; /* all ops of a realm, REC by REC */
	struct host_rec_desc *recs[HOST_MAX_REALMS];
	struct host_image_region *regions[HOST_MAX_REALMS];
	bool *plugged[HOST_MAX_REALMS];
	struct host_call_action *calls[HOST_MAX_REALMS];
	struct host_answer *answers[HOST_MAX_REALMS];
	struct host_device *devices[HOST_MAX_REALMS];
	struct host_inject *injects[HOST_MAX_REALMS];
	struct runner_probe *probes; /* sorted by realm, then IPA, then order */
	size_t nprobes;
	size_t realm_probes[HOST_MAX_REALMS + 1]; /* realm i's are [realm_probes[i], [i + 1]) */
	const struct scenario_pos *step;          /* the explicit step being run, for failures */
	unsigned ntokens;        /* attestation tokens written to opt->token_out so far */
	bool token_write_failed; /* one could not be written: the run ends as a system error */
};

/* compile.c */
int runner_compile(struct runner *r);
void runner_free(struct runner *r);
/* match.c */
bool runner_value_num(const struct runner *r, const struct scenario_value *v, uint64_t *out);
void runner_check_events(struct runner *r);
void runner_format_value(const struct scenario_value *v, char *buf, size_t len);
void runner_fail(struct runner *r, const struct scenario_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* run_steps.c */
enum host_result runner_steps(struct runner *r);

#endif
