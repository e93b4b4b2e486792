/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to src/cli: the subcommands. */
#ifndef CCA_CLI_H
#define CCA_CLI_H

#include "scenario/scenario.h" /* enum cca_exit */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* An output file being written (output.c): see cli_out_open. */
struct cli_out {
	FILE *f;
	const char *path; /* as given; "-" is standard output */
	char *tmp;        /* the temporary file renamed to path on success, or NULL */
	bool std;
};
/* Opens `path` for writing; 0, or -1 after reporting why not. */
int cli_out_open(struct cli_out *o, const char *path);
/* Checks every write, closes and puts the file in place; 0, or -1 after reporting the failure
 * (then no file is left, or the one that was there before). */
int cli_out_close(struct cli_out *o);
/* Gives up an output: nothing is left of it. */
void cli_out_discard(struct cli_out *o);
/* Whether everything a command printed on standard output was written: 0, or -1 after
 * reporting the failure (every command checks it before it exits: exit code 2). */
int cli_stdout_check(void);

/* "cca-sim: error: MSG ARG" and a pointer to --help on standard error; returns exit code 2
 * (inline, so that the analysers see every caller return non-zero). */
static inline int cli_usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "cca-sim: error: %s%s%s\n(see cca-sim --help)\n", msg, arg ? " " : "",
		arg ? arg : "");
	return CCA_EXIT_INPUT;
}
/* args.c: whether `arg` is one of names[0..n). */
bool cli_arg_in(const char *arg, const char *const *names, size_t n);
/* args.c: an instruction count (--max-insns of run and explore): a positive number, decimal or
 * 0x hexadecimal; false for anything else. */
bool cli_insn_count(const char *val, uint64_t *out);

/* Prints the usage text to `out` and returns `code`. */
int cli_usage(FILE *out, int code);
int cli_run(int argc, char **argv);
int cli_list(int argc, char **argv);
/* attest_cmd.c: `keys` and `token`. */
int cli_keys(int argc, char **argv);
int cli_token(int argc, char **argv);
/* conditions_cmd.c: `conditions`. */
int cli_conditions(int argc, char **argv);
/* coverage_cmd.c: `coverage`. */
int cli_coverage(int argc, char **argv);
/* diff_cmd.c: `diff`. */
int cli_diff(int argc, char **argv);
/* explore_cmd.c: `explore`. */
int cli_explore(int argc, char **argv);

#endif
