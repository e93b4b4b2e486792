/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The realms' console: the text each wrote to an emulated UART, one line per `console` event.
 * With several realms, each line starts with the realm's name, so that the text of one can be
 * told from another's.
 */
#include "trace/view_model.h"

#include <string.h>

int trace_write_console(const struct trace *t, const struct trace_view *v, FILE *out)
{
	(void)v;
	const char *first = NULL;
	bool several = false;
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		const char *realm = trace_field_name(ev, "realm");
		if (ev->kind == TE_console && realm) {
			several |= first && strcmp(first, realm) != 0;
			first = first ? first : realm;
		}
	}
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		const char *text = trace_field_name(ev, "text"),
			   *realm = trace_field_name(ev, "realm");
		if (ev->kind != TE_console) {
			continue;
		}
		if (several) {
			fprintf(out, "%s: ", realm ? realm : "?");
		}
		fprintf(out, "%s\n", text ? text : "");
	}
	return ferror(out) ? -1 : 0;
}
