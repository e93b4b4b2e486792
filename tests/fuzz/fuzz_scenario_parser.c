/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer harness: the scenario parser (YAML through libyaml, then every check of the
 * format). Any input must give a model or an error with a position inside the text and a
 * message, never a crash, a leak, a sanitizer report or a hang. Seeds: the shipped
 * scenarios; dictionary: scenario.dict (keys, ops, steps, names, symbols, YAML syntax).
 */
#include "scenario/scenario.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario *s = NULL;
	struct scenario_error err;
	char msg[1200];
	size_t lines = 1;

	/* YAML breaks lines at LF, CR and CRLF, and at NEL, LS and PS (UTF-8 C2 85, E2 80 A8/A9):
	 * counting each of those bytes once is an upper bound. */
	for (size_t i = 0; i < size; i++) {
		lines += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 || data[i] == 0xA8 ||
			 data[i] == 0xA9;
	}
	if (scenario_load_string("fuzz.yaml", (const char *)data, size, &s, &err) == 0) {
		if (!s || !s->name || !s->nrealms) {
			abort(); /* a model always has a name and a realm */
		}
		scenario_free(s);
		return 0;
	}
	if (s || !err.message[0] || err.line > lines + 1) {
		abort(); /* an error says what and where, within the text */
	}
	if (scenario_format_error(&err, msg, sizeof(msg)) <= 0 || !strstr(msg, "error: ")) {
		abort();
	}
	return 0;
}
