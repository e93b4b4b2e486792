/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line helpers the subcommands share (cli.h). */
#include "cli.h"

#include <string.h>

bool cli_arg_in(const char *arg, const char *const *names, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (strcmp(arg, names[k]) == 0) {
			return true;
		}
	}
	return false;
}
