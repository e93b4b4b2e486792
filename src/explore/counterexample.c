/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A violation as a scenario anyone can run (explore.h, docs/explore.md, "Reading a
 * counterexample"): the run that broke the guarantee is replayed, and every host action it
 * made between the set-up and the teardown (RMI calls, the host's loads and stores) becomes an
 * explicit step, with the scenario's symbols for the granules (rec0, run1, data0, ...). The
 * steps are then shortened: each one is dropped in turn, last first, and stays dropped if the
 * shorter scenario still breaks the same guarantee under `cca-sim run --check-invariants`.
 * The realms, the machine and the host's devices are the scenario's own, copied from its file.
 */
#include "explore/explore.h"

#include "abi/abi.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_STEPS 512
#define STEP_LEN  160

struct steps {
	char (*line)[STEP_LEN];
	unsigned n;
	bool teardown;
};

/* A granule by its scenario name, or as a number. */
static const char *pa_text(const struct scenario_result *res, uint64_t pa, char *buf, size_t len)
{
	const char *n = scenario_result_name(res, pa);
	if (n) {
		return n;
	}
	snprintf(buf, len, "0x%llx", (unsigned long long)pa);
	return buf;
}

static void add(struct steps *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct steps *st, const char *fmt, ...)
{
	if (st->n == MAX_STEPS) {
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->line[st->n++], STEP_LEN, fmt, ap);
	va_end(ap);
}

/* One host RMI call as a step. */
static void rmi_step(struct steps *st, const struct scenario_result *res,
		     const struct trace_event *ev, int spec)
{
	const char *cmd = trace_field_name(ev, "cmd");
	const struct trace_field *a = trace_field(ev, "args");
	unsigned n = a && a->kind == TV_HEXLIST ? a->len : 0;
	char b0[32], b1[32], b2[32];
	if (!cmd) {
		return;
	}
	if (strcmp(cmd, "RMI_REC_ENTER") == 0 && n >= 1 && scenario_result_name(res, a->list[0])) {
		add(st, "rec_enter: %s", scenario_result_name(res, a->list[0]));
	} else if (strcmp(cmd, "RMI_PSCI_COMPLETE") == 0 && n >= 2) {
		const char *calling = pa_text(res, a->list[0], b0, sizeof(b0));
		if (spec == RMM_SPEC_2_0) {
			const char *status = abi_name(ABI_PSCI_RET, a->list[1]);
			add(st, "psci_complete: {calling: %s, status: %s}", calling,
			    status ? status : "0");
		} else if (spec == RMM_SPEC_1_0_EAC2 || n < 3) {
			add(st, "psci_complete: {calling: %s, target: %s}", calling,
			    pa_text(res, a->list[1], b1, sizeof(b1)));
		} else {
			const char *status = abi_name(ABI_PSCI_RET, a->list[2]);
			snprintf(b2, sizeof(b2), "0x%llx", (unsigned long long)a->list[2]);
			add(st, "psci_complete: {calling: %s, target: %s, status: %s}", calling,
			    pa_text(res, a->list[1], b1, sizeof(b1)), status ? status : b2);
		}
	} else if (strcmp(cmd, "RMI_GRANULE_DELEGATE") == 0 && n >= 1) {
		add(st, "delegate: %s", pa_text(res, a->list[0], b0, sizeof(b0)));
	} else if (strcmp(cmd, "RMI_GRANULE_UNDELEGATE") == 0 && n >= 1) {
		add(st, "undelegate: %s", pa_text(res, a->list[0], b0, sizeof(b0)));
	} else {
		char args[STEP_LEN - 40];
		size_t used = 0;
		args[0] = '\0';
		for (unsigned i = 0; i < n && used < sizeof(args); i++) {
			used += (size_t)snprintf(args + used, sizeof(args) - used, "%s%s",
						 i ? ", " : "",
						 pa_text(res, a->list[i], b0, sizeof(b0)));
		}
		add(st, "rmi: {cmd: %s, args: [%s]}", cmd, args);
	}
}

/* The host actions of a run, after the set-up and before the teardown. */
static void read_steps(const struct scenario_result *res, int spec, struct steps *st)
{
	const struct trace *t = res->trace;
	size_t first = 0, count = trace_count(t);
	char b0[32];
	/* the set-up ends with the last RMI_REALM_ACTIVATE before a REC is entered */
	for (size_t i = 0; i < count; i++) {
		const struct trace_event *ev = trace_get(t, i);
		const char *cmd = ev->kind == TE_rmi ? trace_field_name(ev, "cmd") : NULL;
		if (cmd && strcmp(cmd, "RMI_REC_ENTER") == 0) {
			break;
		}
		if (cmd && strcmp(cmd, "RMI_REALM_ACTIVATE") == 0) {
			first = i + 1;
		}
	}
	add(st, "setup");
	for (size_t i = first; i < count; i++) {
		const struct trace_event *ev = trace_get(t, i);
		const struct trace_field *pa = trace_field(ev, "pa");
		const char *world = trace_field_name(ev, "world");
		if (res->teardown_from && ev->seq >= res->teardown_from) {
			st->teardown = true;
			break;
		}
		if (ev->kind == TE_rmi) {
			rmi_step(st, res, ev, spec);
		} else if ((ev->kind == TE_access || ev->kind == TE_gpf) && pa && world &&
			   strcmp(world, "NS") == 0) {
			const char *access = trace_field_name(ev, "access");
			const char *where = pa_text(res, pa->num & ~0xfffULL, b0, sizeof(b0));
			if (access && strcmp(access, "write") == 0) {
				add(st, "write: {pa: %s, value: 0x%llx}", where,
				    (unsigned long long)HOST_TAMPER_VALUE);
			} else {
				add(st, "read: {pa: %s}", where);
			}
		}
	}
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;
	if (!f) {
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static bool starts(const char *p, size_t n, const char *key)
{
	size_t k = strlen(key);
	return n >= k && strncmp(p, key, k) == 0;
}

/* Top-level keys whose blocks the counterexample writes itself. */
static bool replaced_key(const char *p, size_t n)
{
	static const char *const keys[] = {
	    "name:", "description:", "spec:", "profile:", "host:", "expect:", "absent:"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (starts(p, n, keys[i])) {
			return true;
		}
	}
	return false;
}

/* The automatic VMM's policy keys of `host:`, which steps replace; the rest (devices,
 * interrupts, traps) apply to steps as well and are kept. */
static bool policy_key(const char *p, size_t n)
{
	static const char *const keys[] = {
	    "  plugged:", "  answers:", "  on_host_call:", "  teardown:", "  steps:"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (starts(p, n, keys[i])) {
			return true;
		}
	}
	return false;
}

/*
 * Copies lines of the original: with `host` false, its top-level blocks but those replaced;
 * with `host` true, the lines of its `host:` block but the header and the policy's keys. A
 * top-level key starts in column 0; a key of `host:` in column 2.
 */
static size_t indent_of(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && p[i] == ' ') {
		i++;
	}
	return i;
}

/* An op's `expect:` (its own line, or a map below it): the counterexample's host behaves
 * otherwise than the scenario's, so the realm's expectations of it are left out. */
static bool op_expect(const char *p, size_t n, size_t *skip_deeper)
{
	size_t in = indent_of(p, n);
	if (in == 0 || !starts(p + in, n - in, "expect:")) {
		return false;
	}
	*skip_deeper = in;
	return true;
}

static void copy_blocks(FILE *f, const char *original, bool host)
{
	bool copy = false, in_host = false;
	size_t skip = 0; /* > 0: the lines indented deeper belong to an op's expect */
	for (const char *p = original; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool top = n && p[0] != ' ' && p[0] != '#' && p[0] != '-';
		if (skip && n && indent_of(p, n) > skip) {
			p = e ? e + 1 : p + n;
			continue;
		}
		skip = 0;
		if (!host && copy && op_expect(p, n, &skip)) {
			p = e ? e + 1 : p + n;
			continue;
		}
		bool spdx = strstr(p, "SPDX-License-Identifier") &&
			    (size_t)(strstr(p, "SPDX-License-Identifier") - p) < n;
		if (top) {
			in_host = starts(p, n, "host:");
			copy = host ? false : !replaced_key(p, n);
		} else if (host && in_host && n > 2 && p[0] == ' ' && p[1] == ' ' && p[2] != ' ' &&
			   p[2] != '-' && p[2] != '#') {
			copy = !policy_key(p, n);
		}
		if (copy && !spdx && (!host || !top)) {
			fprintf(f, "%.*s\n", (int)n, p);
		}
		p = e ? e + 1 : p + n;
	}
}

/* The scenario text: the original's realms and machine, and the steps not in `drop`. */
static char *scenario_text(const char *original, const struct scenario *s,
			   const struct explore_violation *v, int spec, int profile,
			   const struct steps *st, const bool *drop, bool teardown, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	if (!f) {
		return NULL;
	}
	fprintf(f, "name: %s_%s\n", s->name, explore_invariant_name(v->invariant));
	fprintf(f,
		"description: >\n  A counterexample cca-sim explore found in %s: these host steps "
		"break the guarantee %s (in the run explored: %s). Replay it with cca-sim run "
		"--check-invariants.\n",
		s->name, explore_invariant_name(v->invariant), v->what);
	fprintf(f, "spec: %s\nprofile: %s\n", rmm_spec_name((enum rmm_spec)spec),
		rmm_profile_name((enum rmm_profile)profile));
	copy_blocks(f, original, false);
	fputs("host:\n", f);
	copy_blocks(f, original, true);
	fputs("  steps:\n", f);
	for (unsigned i = 0; i < st->n; i++) {
		if (!drop[i]) {
			fprintf(f, "    - %s\n", st->line[i]);
		}
	}
	if (teardown) {
		fputs("    - teardown\n", f);
	}
	fputs("# SPDX-License-Identifier: GPL-2.0-or-later\n", f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Whether the scenario `text` breaks invariant `inv` when run. */
static bool breaks(const char *path, const char *text, size_t len, enum explore_invariant inv,
		   struct cpu_machine **keep)
{
	struct scenario *c = NULL;
	struct scenario_error err;
	struct scenario_result res;
	struct explore_violation found[EXPLORE_INVARIANTS];
	bool yes = false;
	if (scenario_load_string(path, text, len, &c, &err) != 0) {
		return false;
	}
	struct scenario_run_options ro = {.spec = -1, .profile = -1, .keep = keep};
	scenario_run(c, &ro, &res);
	if (res.trace && (res.exit_code == CCA_EXIT_OK || res.exit_code == CCA_EXIT_EXPECT)) {
		unsigned n = explore_check(res.trace, found, EXPLORE_INVARIANTS);
		for (unsigned i = 0; i < n; i++) {
			yes |= found[i].invariant == inv;
		}
	}
	scenario_result_free(&res);
	scenario_free(c);
	return yes;
}

int explore_write_counterexample(struct scenario *s, const struct explore_options *o,
				 struct explore_violation *v, char *why, size_t len)
{
	int spec = o->spec >= 0 ? o->spec : (int)s->spec;
	int profile = o->profile >= 0 ? o->profile : (int)s->profile;
	struct scenario_result res;
	struct steps st = {.line = calloc(MAX_STEPS, STEP_LEN)};
	bool *drop = calloc(MAX_STEPS, sizeof(bool));
	size_t olen = 0, tlen = 0;
	char *original = read_file(s->file, &olen);
	char path[600];
	int rc = -1;

	if (!st.line || !drop || !original) {
		snprintf(why, len, "%s", original ? "out of memory" : "cannot read the scenario");
		goto out;
	}
	if (mkdir(o->out_dir, 0777) != 0 && errno != EEXIST) {
		snprintf(why, len, "cannot create %s: %s", o->out_dir, strerror(errno));
		goto out;
	}
	snprintf(path, sizeof(path), "%s/%s_%s.yaml", o->out_dir, s->name,
		 explore_invariant_name(v->invariant));
	explore_replay(s, o, v->path, v->npath, &res);
	read_steps(&res, spec, &st);
	scenario_result_free(&res);

	bool teardown = st.teardown;
	char *text = scenario_text(original, s, v, spec, profile, &st, drop, teardown, &tlen);
	if (!text || !breaks(path, text, tlen, v->invariant, o->keep)) {
		snprintf(why, len, "the run does not replay as host steps");
		free(text);
		goto out;
	}
	/* shorten: each step but the set-up dropped in turn, last first */
	for (unsigned i = st.n + 1; i-- > 1;) {
		bool *which = i == st.n ? &teardown : &drop[i];
		if (i == st.n && !teardown) {
			continue;
		}
		*which = i == st.n ? false : true;
		char *shorter =
		    scenario_text(original, s, v, spec, profile, &st, drop, teardown, &tlen);
		if (shorter && breaks(path, shorter, tlen, v->invariant, o->keep)) {
			free(text);
			text = shorter;
		} else {
			free(shorter);
			*which = i == st.n ? true : false;
		}
	}
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		snprintf(why, len, "cannot write %s", path);
		free(text);
		goto out;
	}
	v->steps = 0;
	for (unsigned i = 0; i < st.n; i++) {
		v->steps += !drop[i];
	}
	v->steps += teardown;
	snprintf(v->file, sizeof(v->file), "%s", path);
	free(text);
	rc = 0;
out:
	free(original);
	free(drop);
	free(st.line);
	return rc;
}
