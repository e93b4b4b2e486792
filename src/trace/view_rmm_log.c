/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TF-RMM-style log lines, one per RMI call, in the layout TF-RMM's RMI handler prints when it
 * logs a call (runtime/core/handler.c): the command name padded to 21 columns after
 * "SMC_RMI_", each argument as bare lower-case hex, then "> RMI_<STATUS>", and the index for
 * RMI_ERROR_RTT (and RMI_ERROR_REALM from REC_ENTER). People and QEMU's RME test grep for exactly
 * this. Unlike TF-RMM, every call is logged (TF-RMM logs some commands only on error), and a failed
 * call also names the spec's failure condition after the line, as a comment a grep for the status
 * still matches. The output values follow as bare hex, where TF-RMM prints them: after a
 * success, and after RMI_ERROR_RTT (when the command defines some on failure, its `top`).
 */
#include "trace/view_model.h"

#include <string.h>

static void log_line(const struct trace_event *ev, FILE *out)
{
	const char *cmd = trace_field_name(ev, "cmd"), *status = trace_field_name(ev, "status");
	const char *cond = trace_field_name(ev, "condition");
	const struct trace_field *a = trace_field(ev, "args");
	uint64_t index = 0;

	if (cmd && strncmp(cmd, "RMI_", 4) == 0) {
		cmd += 4;
	}
	fprintf(out, "SMC_RMI_%-21s", cmd ? cmd : "UNKNOWN");
	for (unsigned i = 0; a && a->kind == TV_HEXLIST && i < a->len; i++) {
		fprintf(out, " %llx", (unsigned long long)a->list[i]);
	}
	fprintf(out, " > %s", status ? status : "RMI_UNKNOWN");
	bool rtt = status && strcmp(status, "RMI_ERROR_RTT") == 0;
	bool enter_realm = status && strcmp(status, "RMI_ERROR_REALM") == 0 && cmd &&
			   strcmp(cmd, "REC_ENTER") == 0;
	if ((rtt || enter_realm) && trace_field_num(ev, "index", &index)) {
		fprintf(out, " %llx", (unsigned long long)index);
	}
	bool ok = status && strcmp(status, "RMI_SUCCESS") == 0;
	for (unsigned i = 0; (ok || rtt) && i < ev->nfields; i++) {
		const struct trace_field *f = &ev->fields[i];
		if (f->output) {
			fprintf(out, " %llx", (unsigned long long)f->num);
		}
	}
	if (cond) {
		fprintf(out, " /* %s */", cond);
	}
	fputc('\n', out);
}

int trace_write_rmm_log(const struct trace *t, const struct trace_view *v, FILE *out)
{
	(void)v;
	for (size_t i = 0; i < trace_count(t); i++) {
		const struct trace_event *ev = trace_get(t, i);
		if (ev->kind == TE_rmi) {
			log_line(ev, out);
		}
	}
	return ferror(out) ? -1 : 0;
}
