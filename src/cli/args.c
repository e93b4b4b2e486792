/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Command-line helpers the subcommands share (cli.h). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
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

bool cli_insn_count(const char *val, uint64_t *out)
{
	char *end;

	errno = 0;
	unsigned long long n = strtoull(val, &end, 0);
	if (errno || end == val || *end || n == 0 || val[0] == '-') {
		return false;
	}
	*out = n;
	return true;
}
