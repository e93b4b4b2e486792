/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `cca-sim run FILE...`: each scenario is loaded (a bad file is reported as FILE:LINE:COL and
 * the exit code is 2), run, and judged; the exit code is the most serious outcome over all
 * files: 2 (invalid) before 3 (the system failed) before 1 (an expectation failed). An output
 * that cannot be written completely is an error too (exit code 2, output.c).
 */
#include "cli.h"

#include "cpu/cpu.h"
#include "debug/debug.h"
#include "explore/explore.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct run_opts {
	const char *json, *junit;
	const char *diagram, *perfetto, *report, *rmm_log, *console; /* views written after a run */
	const char *gdb;       /* --gdb [HOST:]PORT: serve gdb */
	const char *token_out; /* --token-out FILE: each attestation token's raw CBOR */
	bool quiet, verbose, color, trace_insn;
	bool explain;          /* --explain: the reason of every condition and decision */
	bool no_fold;          /* --no-fold: every line of set-up and teardown in the narration */
	bool compact;          /* --diagram-style compact */
	bool check_invariants; /* --check-invariants: the explorer's guarantees on the run too */
	int spec, profile;
	uint64_t max_insns;
	const char **files;
	int nfiles;
};

static void on_debug_machine(void *ctx, struct host *h)
{
	debug_session_attach(ctx, h);
}

static void on_debug_end(void *ctx, int exit_code)
{
	debug_session_finish(ctx, exit_code);
}

struct verdict {
	const char *file;
	const char *name;
	int exit_code;
	char *text;                 /* failures or error, newline separated */
	const char *spec, *profile; /* what the run followed (static names), once loaded */
};

__attribute__((format(printf, 1, 2))) static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("cca-sim: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see cca-sim --help)\n", stderr);
	return CCA_EXIT_INPUT;
}

typedef int (*view_writer_fn)(const struct trace *t, const struct trace_view *v, FILE *out);

/* The diagram format is chosen by the file's extension. */
static view_writer_fn diagram_writer(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/')) {
		return NULL;
	}
	return strcmp(dot, ".svg") == 0    ? trace_write_svg
	       : strcmp(dot, ".mmd") == 0  ? trace_write_mermaid
	       : strcmp(dot, ".puml") == 0 ? trace_write_plantuml
					   : NULL;
}

/*
 * The options of `run`, one row each: its name, whether it takes a value, and what it does
 * with it. parse() reads only this table, so an option is added in one place (and described
 * in main.c's usage text).
 */
typedef int (*run_option_fn)(struct run_opts *o, const char *val);

static int opt_json(struct run_opts *o, const char *val)
{
	o->json = val;
	return 0;
}

static int opt_junit(struct run_opts *o, const char *val)
{
	o->junit = val;
	return 0;
}

static int opt_quiet(struct run_opts *o, const char *val)
{
	(void)val;
	o->quiet = true;
	return 0;
}

static int opt_verbose(struct run_opts *o, const char *val)
{
	(void)val;
	o->verbose = true;
	return 0;
}

static int opt_no_color(struct run_opts *o, const char *val)
{
	(void)val;
	o->color = false;
	return 0;
}

static int opt_spec(struct run_opts *o, const char *val)
{
	enum rmm_spec s;
	if (!rmm_spec_parse(val, &s)) {
		return usage_error("unknown spec revision '%s' (%s)", val, rmm_spec_name_list());
	}
	o->spec = (int)s;
	return 0;
}

static int opt_profile(struct run_opts *o, const char *val)
{
	enum rmm_profile p;
	if (!rmm_profile_parse(val, &p)) {
		return usage_error("unknown profile '%s' (spec, tf-rmm)", val);
	}
	o->profile = (int)p;
	return 0;
}

static int opt_max_insns(struct run_opts *o, const char *val)
{
	if (!cli_insn_count(val, &o->max_insns)) {
		return usage_error("--max-insns needs a positive number, not '%s'", val);
	}
	return 0;
}

static int opt_trace(struct run_opts *o, const char *val)
{
	if (strcmp(val, "insn") != 0) {
		return usage_error("--trace takes `insn`, not '%s'", val);
	}
	o->trace_insn = true;
	return 0;
}

static int opt_diagram(struct run_opts *o, const char *val)
{
	if (!diagram_writer(val)) {
		return usage_error("--diagram needs a file ending in .svg, .mmd or .puml, not '%s'",
				   val);
	}
	o->diagram = val;
	return 0;
}

static int opt_perfetto(struct run_opts *o, const char *val)
{
	o->perfetto = val;
	return 0;
}

static int opt_report(struct run_opts *o, const char *val)
{
	o->report = val;
	return 0;
}

static int opt_rmm_log(struct run_opts *o, const char *val)
{
	o->rmm_log = val;
	return 0;
}

static int opt_token_out(struct run_opts *o, const char *val)
{
	o->token_out = val;
	return 0;
}

static int opt_console(struct run_opts *o, const char *val)
{
	o->console = val;
	return 0;
}

static int opt_diagram_style(struct run_opts *o, const char *val)
{
	if (strcmp(val, "compact") != 0 && strcmp(val, "full") != 0) {
		return usage_error("unknown diagram style '%s' (full, compact)", val);
	}
	o->compact = strcmp(val, "compact") == 0;
	return 0;
}

static int opt_check_invariants(struct run_opts *o, const char *val)
{
	(void)val;
	o->check_invariants = true;
	return 0;
}

static int opt_no_fold(struct run_opts *o, const char *val)
{
	(void)val;
	o->no_fold = true;
	return 0;
}

static int opt_explain(struct run_opts *o, const char *val)
{
	(void)val;
	o->explain = true;
	return 0;
}

static int opt_gdb(struct run_opts *o, const char *val)
{
	o->gdb = val;
	return 0;
}

static const struct run_option {
	const char *name;
	bool takes_value;
	run_option_fn apply;
} run_options[] = {
    {"--json", true, opt_json},
    {"--junit", true, opt_junit},
    {"--quiet", false, opt_quiet},
    {"--verbose", false, opt_verbose},
    {"--explain", false, opt_explain},
    {"--no-fold", false, opt_no_fold},
    {"--check-invariants", false, opt_check_invariants},
    {"--diagram-style", true, opt_diagram_style},
    {"--no-color", false, opt_no_color},
    {"--spec", true, opt_spec},
    {"--profile", true, opt_profile},
    {"--max-insns", true, opt_max_insns},
    {"--trace", true, opt_trace},
    {"--diagram", true, opt_diagram},
    {"--perfetto", true, opt_perfetto},
    {"--report", true, opt_report},
    {"--rmm-log", true, opt_rmm_log},
    {"--console", true, opt_console},
    {"--gdb", true, opt_gdb},
    {"--token-out", true, opt_token_out},
};

static const struct run_option *run_option_find(const char *name)
{
	for (size_t k = 0; k < sizeof(run_options) / sizeof(run_options[0]); k++) {
		if (strcmp(run_options[k].name, name) == 0) {
			return &run_options[k];
		}
	}
	return NULL;
}

static int parse(int argc, char **argv, struct run_opts *o)
{
	const char *no_color = getenv("NO_COLOR");
	memset(o, 0, sizeof(*o));
	o->spec = o->profile = -1;
	o->color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
	o->files = calloc((size_t)argc + 1, sizeof(char *));
	if (!o->files) {
		fputs("cca-sim: error: out of memory\n", stderr);
		return CCA_EXIT_SYSTEM;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct run_option *opt = run_option_find(a);
		if (opt) {
			const char *val = NULL;
			if (opt->takes_value) {
				if (i + 1 >= argc) {
					return usage_error("%s needs a value", a);
				}
				val = argv[++i];
			}
			int rc = opt->apply(o, val);
			if (rc != 0) {
				return rc;
			}
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			return -1; /* the caller prints the usage */
		} else if (a[0] == '-' && a[1]) {
			return usage_error("unknown option '%s'", a);
		} else {
			o->files[o->nfiles++] = a;
		}
	}
	if (o->nfiles == 0) {
		usage_error("%s", "run needs at least one scenario file");
		return CCA_EXIT_INPUT;
	}
	/* Machine-readable output on standard output must not be mixed with another stream. */
	const char *std_outputs[] = {o->json,   o->junit,   o->diagram, o->perfetto,
				     o->report, o->rmm_log, o->console};
	unsigned on_stdout = o->trace_insn ? 1 : 0;
	for (size_t k = 0; k < sizeof(std_outputs) / sizeof(std_outputs[0]); k++) {
		on_stdout += std_outputs[k] && strcmp(std_outputs[k], "-") == 0;
	}
	if (on_stdout > 1) {
		return usage_error("%s", "only one of --json -, --trace insn and the other views "
					 "may write to standard output");
	}
	return 0;
}

static char *join(char **lines, size_t n, const char *single)
{
	size_t len = single ? strlen(single) + 1 : 1;
	for (size_t i = 0; i < n; i++) {
		len += strlen(lines[i]) + 1;
	}
	char *s = calloc(len, 1);
	if (!s) {
		return NULL;
	}
	size_t pos = 0;
	if (single) {
		size_t l = strlen(single);
		memcpy(s + pos, single, l);
		pos += l;
	}
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(lines[i]);
		memcpy(s + pos, lines[i], l);
		pos += l;
		if (i + 1 < n) {
			s[pos++] = '\n';
		}
	}
	s[pos] = '\0';
	return s;
}

/* JUnit XML without time stamps or durations, so that reruns are byte-identical. */
static int write_junit(const char *path, const struct verdict *v, int n)
{
	struct cli_out out;
	int failures = 0, errors = 0;
	if (cli_out_open(&out, path) != 0) {
		return -1;
	}
	FILE *f = out.f;
	for (int i = 0; i < n; i++) {
		failures += v[i].exit_code == CCA_EXIT_EXPECT;
		errors += v[i].exit_code > CCA_EXIT_EXPECT;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites name=\"cca-sim\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", n,
		failures, errors);
	fprintf(f, "  <testsuite name=\"cca-sim\" tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", n,
		failures, errors);
	for (int i = 0; i < n; i++) {
		fputs("    <testcase classname=\"cca-sim\" name=\"", f);
		trace_xml_text(f, v[i].name ? v[i].name : v[i].file);
		fputs("\" file=\"", f);
		trace_xml_text(f, v[i].file);
		fputs("\">\n", f);
		if (v[i].spec && v[i].profile) {
			/* which revision and profile the verdict is for */
			fprintf(f,
				"      <properties>\n"
				"        <property name=\"spec\" value=\"%s\"/>\n"
				"        <property name=\"profile\" value=\"%s\"/>\n"
				"      </properties>\n",
				v[i].spec, v[i].profile);
		}
		if (v[i].exit_code == CCA_EXIT_OK) {
			fputs("    </testcase>\n", f);
			continue;
		}
		const char *tag = v[i].exit_code == CCA_EXIT_EXPECT ? "failure" : "error";
		fprintf(f, "      <%s message=\"", tag);
		trace_xml_text(f, v[i].exit_code == CCA_EXIT_EXPECT  ? "expectation failed"
				  : v[i].exit_code == CCA_EXIT_INPUT ? "invalid scenario"
								     : "emulated system failed");
		fputs("\">", f);
		trace_xml_text(f, v[i].text);
		fprintf(f, "</%s>\n    </testcase>\n", tag);
	}
	fprintf(f, "  </testsuite>\n</testsuites>\n");
	return cli_out_close(&out);
}

static const char *result_namer(void *ctx, uint64_t pa, char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return scenario_result_name(ctx, pa);
}

/* With several scenario files, OUT.ext becomes OUT-<scenario name>.ext, one file each. */
static void output_path(const char *path, const char *name, bool several, char *buf, size_t len)
{
	const char *dot = strrchr(path, '.');
	if (!several || strcmp(path, "-") == 0) {
		snprintf(buf, len, "%s", path);
	} else if (!dot || strchr(dot, '/')) {
		snprintf(buf, len, "%s-%s", path, name);
	} else {
		snprintf(buf, len, "%.*s-%s%s", (int)(dot - path), path, name, dot);
	}
}

/* Whether standard output carries the JSON stream or the JUnit report: then it has nothing
 * else (no narration; the verdict lines go to standard error). */
static bool machine_stdout(const struct run_opts *o)
{
	return (o->json && strcmp(o->json, "-") == 0) || (o->junit && strcmp(o->junit, "-") == 0);
}

/* The revision and profile a run follows: the command line's, else the scenario's. */
static enum rmm_spec effective_spec(const struct run_opts *o, const struct scenario *s)
{
	return o->spec >= 0 ? (enum rmm_spec)o->spec : s->spec;
}

static enum rmm_profile effective_profile(const struct run_opts *o, const struct scenario *s)
{
	return o->profile >= 0 ? (enum rmm_profile)o->profile : s->profile;
}

struct view_job {
	const char *path;
	view_writer_fn write;
};

/* Writes every requested view of a finished run; returns 0 or -1 (reported on stderr). */
static int write_views(const struct run_opts *o, const struct scenario *s,
		       const struct scenario_result *res)
{
	struct trace_view view = {.title = s->name,
				  .spec = rmm_spec_name(effective_spec(o, s)),
				  .profile = rmm_profile_name(effective_profile(o, s)),
				  .compact = o->compact,
				  .explain = o->explain ? rmm_explain_event : NULL,
				  .namer = result_namer,
				  .namer_ctx = (void *)res};
	/* The report always gives the reasons: it is where a reader goes to understand a run. */
	struct trace_view report_view = view;
	report_view.explain = rmm_explain_event;
	const char *error = res->error;
	bool failed_run = res->exit_code == CCA_EXIT_SYSTEM || res->exit_code == CCA_EXIT_INPUT;
	const struct trace_report report = {
	    .description = s->description,
	    .verdict = res->exit_code == CCA_EXIT_OK       ? "PASS"
		       : res->exit_code == CCA_EXIT_EXPECT ? "FAIL"
							   : "ERROR",
	    .nchecks = res->nchecks,
	    .failures = failed_run ? &error : (const char *const *)res->failures,
	    .nfailures = failed_run ? 1 : res->nfailures};
	const struct view_job jobs[] = {
	    {o->diagram, o->diagram ? diagram_writer(o->diagram) : NULL},
	    {o->perfetto, trace_write_perfetto},
	    {o->report, NULL}, /* takes the description too: below */
	    {o->rmm_log, trace_write_rmm_log},
	    {o->console, trace_write_console},
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		char path[4096];
		if (!jobs[i].path) {
			continue;
		}
		output_path(jobs[i].path, s->name, o->nfiles > 1, path, sizeof(path));
		struct cli_out out;
		if (cli_out_open(&out, path) != 0) {
			rc = -1;
			continue;
		}
		if ((jobs[i].write
			 ? jobs[i].write(res->trace, &view, out.f)
			 : trace_write_report(res->trace, &report_view, &report, out.f)) != 0 &&
		    !ferror(out.f)) {
			/* Not a write that failed (cli_out_close reports those): out of memory. */
			fprintf(stderr, "cca-sim: error: cannot write %s: out of memory\n", path);
			cli_out_discard(&out);
			rc = -1;
			continue;
		}
		if (cli_out_close(&out) != 0) {
			rc = -1;
		}
	}
	return rc;
}

/* --check-invariants: each guarantee the run broke is a failure (exit code 1), named. */
static void check_invariants(const struct scenario *s, struct scenario_result *res)
{
	struct explore_violation v[EXPLORE_INVARIANTS];
	unsigned n = explore_check(res->trace, v, EXPLORE_INVARIANTS);
	for (unsigned i = 0; i < n; i++) {
		char *line = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&line, &len);
		if (!f) {
			continue;
		}
		fprintf(f, "%s: invariant %s broken at event %llu: %s", s->file,
			explore_invariant_name(v[i].invariant), (unsigned long long)v[i].seq,
			v[i].what);
		char **grown = fclose(f) == 0 && line
				   ? realloc(res->failures, (res->nfailures + 1) * sizeof(char *))
				   : NULL;
		if (!grown) {
			free(line);
			continue;
		}
		res->failures = grown;
		res->failures[res->nfailures++] = line;
		res->exit_code = CCA_EXIT_EXPECT;
	}
}

static int severity(int code)
{
	return code == CCA_EXIT_INPUT ? 3 : code == CCA_EXIT_SYSTEM ? 2 : code;
}

/* A file of this run that has the same scenario name (its outputs would have the same names). */
static const struct verdict *same_name(const struct verdict *done, int n, const char *name)
{
	for (int i = 0; i < n; i++) {
		if (done[i].name && strcmp(done[i].name, name) == 0) {
			return &done[i];
		}
	}
	return NULL;
}

/*
 * Runs file `done[n]` (after done[0..n-1]). `json` is the shared stream on standard output,
 * or NULL: then --json OUT is this run's own file (OUT-<name>.ext with several files).
 */
static void run_one(const struct run_opts *o, struct verdict *done, int n, FILE *json,
		    struct cpu_machine **keep)
{
	struct verdict *v = &done[n];
	const char *file = v->file;
	struct scenario *s = NULL;
	struct scenario_error err;
	struct scenario_result res;
	struct trace_narrator narrator = {.out = stdout,
					  .color = o->color,
					  .verbose = o->verbose,
					  .explain = o->explain ? rmm_explain_event : NULL,
					  .fold = !o->no_fold && !o->verbose};
	struct cli_out json_out = {0};
	char msg[1200], json_path[4096];

	if (scenario_load(file, &s, &err) != 0) {
		scenario_format_error(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		v->exit_code = CCA_EXIT_INPUT;
		v->text = strdup(msg);
		return;
	}
	const struct verdict *twin = same_name(done, n, s->name);
	if (twin) {
		snprintf(msg, sizeof(msg),
			 "%s:%u:%u: error: scenario name `%s` is also the name of %s in this run; "
			 "each scenario's outputs and JUnit test case are named after it",
			 file, s->name_pos.line, s->name_pos.col, s->name, twin->file);
		fprintf(stderr, "%s\n", msg);
		v->exit_code = CCA_EXIT_INPUT;
		v->text = strdup(msg);
		scenario_free(s);
		return;
	}
	v->name = strdup(s->name);
	v->spec = rmm_spec_name(effective_spec(o, s));
	v->profile = rmm_profile_name(effective_profile(o, s));
	if (o->json && !json) {
		output_path(o->json, s->name, o->nfiles > 1, json_path, sizeof(json_path));
		if (cli_out_open(&json_out, json_path) != 0) {
			v->exit_code = CCA_EXIT_INPUT;
			v->text = strdup("cannot write the --json stream");
			scenario_free(s);
			return;
		}
		json = json_out.f;
	}
	bool narrate = !o->quiet && !machine_stdout(o);
	if (narrate) {
		printf("%s%s%s (RMM %s, profile %s)\n", o->color ? "\033[1m" : "", s->name,
		       o->color ? "\033[0m" : "", rmm_spec_name(effective_spec(o, s)),
		       rmm_profile_name(effective_profile(o, s)));
		if (s->description) {
			printf("%s\n", s->description);
		}
	}
	struct scenario_run_options ro = {
	    .spec = o->spec,
	    .profile = o->profile,
	    .max_insns = o->max_insns,
	    .json = json,
	    .narrator = narrate ? &narrator : NULL,
	    .insn_trace = o->trace_insn ? stdout : NULL,
	    /* the files of one command run on one machine, reset in between */
	    .keep = o->gdb ? NULL : keep,
	};
	char token_path[4096];
	if (o->token_out) {
		output_path(o->token_out, s->name, o->nfiles > 1, token_path, sizeof(token_path));
		ro.token_out = token_path;
	}
	struct debug_session *dbg = NULL;
	if (o->gdb) {
		char why[256];
		if (debug_session_create(o->gdb, -1, NULL, &dbg, why, sizeof(why)) != 0) {
			fprintf(stderr, "cca-sim: error: --gdb %s: %s\n", o->gdb, why);
			v->exit_code = CCA_EXIT_INPUT;
			v->text = strdup(why);
			if (json_out.f) {
				cli_out_close(&json_out);
			}
			scenario_free(s);
			return;
		}
		ro.on_machine = on_debug_machine;
		ro.on_end = on_debug_end;
		ro.debug_ctx = dbg;
	}
	scenario_run(s, &ro, &res);
	if (dbg && debug_session_killed(dbg) && res.exit_code == CCA_EXIT_SYSTEM) {
		snprintf(res.error, sizeof(res.error), "%s: the run was ended by gdb (kill)",
			 s->file);
	}
	debug_session_destroy(dbg);
	if (o->check_invariants && res.trace &&
	    (res.exit_code == CCA_EXIT_OK || res.exit_code == CCA_EXIT_EXPECT)) {
		check_invariants(s, &res);
	}
	v->exit_code = res.exit_code;
	if (res.exit_code == CCA_EXIT_INPUT || res.exit_code == CCA_EXIT_SYSTEM) {
		fprintf(stderr, "%s\n", res.error);
		v->text = strdup(res.error);
	} else {
		v->text = join(res.failures, res.nfailures, NULL);
		for (size_t i = 0; i < res.nfailures; i++) {
			fprintf(stderr, "%s\n", res.failures[i]);
		}
	}
	bool write_failed = json_out.f && cli_out_close(&json_out) != 0;
	write_failed |= res.trace && write_views(o, s, &res) != 0;
	if (write_failed && severity(CCA_EXIT_INPUT) > severity(v->exit_code)) {
		v->exit_code = CCA_EXIT_INPUT;
	}
	/* the verdict line goes where it does not mix with a machine-read stream */
	FILE *out = machine_stdout(o) ? stderr : stdout;
	bool pass = res.exit_code == CCA_EXIT_OK;
	/* coloured like the narration when that goes to a terminal (not when redirected) */
	bool color = o->color && out == stdout;
	fprintf(out, "%s: %s%s%s (%zu expectation%s checked, %llu instructions)\n", s->name,
		color ? (pass ? "\033[1;32m" : "\033[1;31m") : "",
		pass                               ? "PASS"
		: res.exit_code == CCA_EXIT_EXPECT ? "FAIL"
						   : "ERROR",
		color ? "\033[0m" : "", res.nchecks, res.nchecks == 1 ? "" : "s",
		(unsigned long long)res.insns);
	scenario_result_free(&res);
	scenario_free(s);
}

int cli_run(int argc, char **argv)
{
	struct run_opts o;
	int rc = parse(argc, argv, &o);
	if (rc != 0) {
		free(o.files);
		return rc < 0 ? cli_usage(stdout, CCA_EXIT_OK) : rc;
	}
	/* `--json -` is one stream for every file, in file order, each starting at seq 1. */
	FILE *json = o.json && strcmp(o.json, "-") == 0 ? stdout : NULL;
	/* parse() returns 0 only with a file; +1 keeps the analysers from a 0-byte calloc. */
	struct verdict *v = calloc((size_t)o.nfiles + 1, sizeof(*v));
	int worst = v ? CCA_EXIT_OK : CCA_EXIT_SYSTEM;
	struct cpu_machine *machine = NULL;
	for (int i = 0; v && i < o.nfiles; i++) {
		v[i].file = o.files[i];
		run_one(&o, v, i, json, &machine);
		if (severity(v[i].exit_code) > severity(worst)) {
			worst = v[i].exit_code;
		}
	}
	cpu_machine_destroy(machine);
	if (o.junit && v && write_junit(o.junit, v, o.nfiles) != 0) {
		worst = CCA_EXIT_INPUT;
	}
	/* Narration, verdicts and any stream on standard output must have been written too. */
	if (cli_stdout_check() != 0) {
		worst = CCA_EXIT_INPUT;
	}
	for (int i = 0; v && i < o.nfiles; i++) {
		free((char *)v[i].name);
		free(v[i].text);
	}
	free(v);
	free(o.files);
	return worst;
}

int cli_list(int argc, char **argv)
{
	const char *dir = argc > 0 ? argv[0] : "scenarios";
	if (argc > 1) {
		return usage_error("list takes at most one folder, not '%s'", argv[1]);
	}
	/* at a terminal, descriptions wrap under their column instead of into the names */
	struct winsize ws;
	unsigned width =
	    isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
	if (scenario_list(dir, stdout, width) != 0) {
		fprintf(stderr, "cca-sim: error: cannot read folder %s\n", dir);
		return CCA_EXIT_INPUT;
	}
	return CCA_EXIT_OK;
}
