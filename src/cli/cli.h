/* Private to src/cli: the subcommands. */
#ifndef CCA_CLI_H
#define CCA_CLI_H

#include <stdio.h>

#define CLI_EXIT_OK      0
#define CLI_EXIT_EXPECT  1
#define CLI_EXIT_USAGE   2
#define CLI_EXIT_MACHINE 3

/* Prints the usage text to `out` and returns `code`. */
int cli_usage(FILE *out, int code);
int cli_run(int argc, char **argv);
int cli_list(int argc, char **argv);
/* attest_cmd.c: `keys` and `token`. */
int cli_keys(int argc, char **argv);
int cli_token(int argc, char **argv);

#endif
