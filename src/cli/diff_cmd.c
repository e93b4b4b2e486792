/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `cca-sim diff FILE [FILE2] [--spec A [--spec B]] [--profile P [--profile Q]]
 *  [--diagram OUT] [--width N] [--no-color]`: runs two scenarios, or one under two revisions
 * or profiles, and shows where their flows part (src/trace/view_diff.c). Exit code 0 when the
 * flows are the same, 1 when they differ, 2 for a bad command line or scenario or an output
 * not written.
 */
#include "cli.h"

#include "rmm/rmm.h"
#include "scenario/scenario.h"
#include "trace/trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DIFF_WIDTH 200 /* columns of the side-by-side narration, both sides */

struct diff_side {
	const char *file;
	int spec, profile; /* -1: the scenario's */
	struct scenario *s;
	struct scenario_result res;
	struct trace_view view;
	char label[512];
	bool ran;
};

struct diff_opts {
	const char *files[2], *diagram;
	int nfiles, specs[2], nspecs, profiles[2], nprofiles;
	unsigned width;
};

/* One option that takes a value (its value is never NULL here). */
static int diff_option(struct diff_opts *o, const char *a, const char *val)
{
	if (strcmp(a, "--spec") == 0) {
		enum rmm_spec s;
		if (o->nspecs == 2 || !rmm_spec_parse(val, &s)) {
			return cli_usage_error(o->nspecs == 2 ? "at most two --spec, not"
							      : "unknown spec revision",
					       val);
		}
		o->specs[o->nspecs++] = (int)s;
	} else if (strcmp(a, "--profile") == 0) {
		enum rmm_profile p;
		if (o->nprofiles == 2 || !rmm_profile_parse(val, &p)) {
			return cli_usage_error(o->nprofiles == 2 ? "at most two --profile, not"
								 : "unknown profile",
					       val);
		}
		o->profiles[o->nprofiles++] = (int)p;
	} else if (strcmp(a, "--diagram") == 0) {
		o->diagram = val;
	} else {
		char *end;
		errno = 0;
		unsigned long w = strtoul(val, &end, 10);
		if (errno || *end || w < 40 || w > 1000) {
			return cli_usage_error("--width is 40 to 1000 columns, not", val);
		}
		o->width = (unsigned)w;
	}
	return 0;
}

static int parse_diff(int argc, char **argv, struct diff_opts *o)
{
	static const char *const with_value[] = {"--spec", "--profile", "--diagram", "--width"};
	memset(o, 0, sizeof(*o));
	o->width = DIFF_WIDTH;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (cli_arg_in(a, with_value, sizeof(with_value) / sizeof(with_value[0]))) {
			if (i + 1 >= argc) {
				return cli_usage_error("needs a value:", a);
			}
			int rc = diff_option(o, a, argv[++i]);
			if (rc != 0) {
				return rc;
			}
		} else if (strcmp(a, "--no-color") == 0) {
			/* the diff is plain text already */
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option for diff:", a);
		} else if (o->nfiles == 2) {
			return cli_usage_error("diff takes one or two scenario files, not also", a);
		} else {
			o->files[o->nfiles++] = a;
		}
	}
	if (o->nfiles == 0) {
		return cli_usage_error("diff needs a scenario file", NULL);
	}
	if (o->nfiles == 1 && o->nspecs < 2 && o->nprofiles < 2) {
		return cli_usage_error("diff of one file needs two --spec or two --profile", NULL);
	}
	return 0;
}

static const char *result_namer(void *ctx, uint64_t pa, char *buf, size_t len)
{
	(void)buf;
	(void)len;
	return scenario_result_name(ctx, pa);
}

/* Side k (0 = A, 1 = B) of the options: a second value applies to B, a single one to both. */
static void side_of(const struct diff_opts *o, int k, struct diff_side *d)
{
	memset(d, 0, sizeof(*d));
	d->file = o->files[o->nfiles == 2 ? k : 0];
	d->spec = o->nspecs == 0 ? -1 : o->specs[o->nspecs == 2 ? k : 0];
	d->profile = o->nprofiles == 0 ? -1 : o->profiles[o->nprofiles == 2 ? k : 0];
}

static int run_side(struct diff_side *d)
{
	struct scenario_error err;
	char msg[1200];
	if (scenario_load(d->file, &d->s, &err) != 0) {
		scenario_format_error(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
		return CCA_EXIT_INPUT;
	}
	struct scenario_run_options ro = {.spec = d->spec, .profile = d->profile};
	scenario_run(d->s, &ro, &d->res);
	d->ran = true;
	if (d->res.exit_code == CCA_EXIT_INPUT) {
		fprintf(stderr, "%s\n", d->res.error);
		return CCA_EXIT_INPUT;
	}
	enum rmm_spec spec = d->spec >= 0 ? (enum rmm_spec)d->spec : d->s->spec;
	enum rmm_profile profile = d->profile >= 0 ? (enum rmm_profile)d->profile : d->s->profile;
	const int code = d->res.exit_code;
	snprintf(d->label, sizeof(d->label), "%s (RMM %s, profile %s): %s", d->file,
		 rmm_spec_name(spec), rmm_profile_name(profile),
		 code == CCA_EXIT_OK       ? "PASS"
		 : code == CCA_EXIT_EXPECT ? "FAIL"
					   : "ERROR (the emulated system failed)");
	d->view = (struct trace_view){.title = d->s->name,
				      .spec = rmm_spec_name(spec),
				      .profile = rmm_profile_name(profile),
				      .namer = result_namer,
				      .namer_ctx = &d->res};
	return CCA_EXIT_OK;
}

static void free_side(struct diff_side *d)
{
	if (d->ran) {
		scenario_result_free(&d->res);
	}
	scenario_free(d->s);
}

static int write_diagram(const char *path, const struct trace_diff_run *a,
			 const struct trace_diff_run *b)
{
	const char *dot = strrchr(path, '.');
	const char *fmt = !dot                        ? NULL
			  : strcmp(dot, ".svg") == 0  ? "svg"
			  : strcmp(dot, ".mmd") == 0  ? "mmd"
			  : strcmp(dot, ".puml") == 0 ? "puml"
						      : NULL;
	if (!fmt) {
		return cli_usage_error("--diagram needs a file ending in .svg, .mmd or .puml, not",
				       path);
	}
	struct cli_out out;
	if (cli_out_open(&out, path) != 0) {
		return CCA_EXIT_INPUT;
	}
	if (trace_write_diff_diagram(a, b, fmt, out.f) != 0 && !ferror(out.f)) {
		fprintf(stderr, "cca-sim: error: cannot write %s: out of memory\n", path);
		cli_out_discard(&out);
		return CCA_EXIT_INPUT;
	}
	return cli_out_close(&out) == 0 ? CCA_EXIT_OK : CCA_EXIT_INPUT;
}

int cli_diff(int argc, char **argv)
{
	struct diff_opts o;
	struct diff_side a, b;
	int rc = parse_diff(argc, argv, &o);
	if (rc != 0) {
		return rc;
	}
	side_of(&o, 0, &a);
	side_of(&o, 1, &b);
	if (strcmp(a.file, b.file) == 0 && a.spec == b.spec && a.profile == b.profile) {
		return cli_usage_error("the two runs would be the same run: give two files, or two "
				       "different --spec or --profile",
				       NULL);
	}
	if ((rc = run_side(&a)) != CCA_EXIT_OK || (rc = run_side(&b)) != CCA_EXIT_OK) {
		free_side(&a);
		free_side(&b);
		return rc;
	}
	struct trace_diff_run ra = {a.res.trace, &a.view, a.label};
	struct trace_diff_run rb = {b.res.trace, &b.view, b.label};
	int places = trace_write_diff(&ra, &rb, o.width, stdout);
	rc = places < 0 ? CCA_EXIT_SYSTEM : places ? CCA_EXIT_EXPECT : CCA_EXIT_OK;
	if (places >= 0 && o.diagram) {
		int d = write_diagram(o.diagram, &ra, &rb);
		rc = d != CCA_EXIT_OK ? d : rc;
	}
	free_side(&a);
	free_side(&b);
	return rc;
}
