/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the views: field access, address naming, XML and JSON escaping. */
#include "trace/view_model.h"

#include "abi/abi.h"

#include <stdlib.h>
#include <string.h>

void view_addr(const struct trace_view *v, uint64_t pa, char *buf, size_t len)
{
	const char *name = v && v->namer ? v->namer(v->namer_ctx, pa, buf, len) : NULL;
	if (!name) {
		snprintf(buf, len, "0x%llx", (unsigned long long)pa);
	} else if (name != buf) {
		snprintf(buf, len, "%s", name);
	}
}

void trace_xml_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			/* Control characters other than tab and newline are not allowed in XML 1.0.
			 */
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t') {
				fputc(*s, f);
			}
		}
	}
}

void view_host_detail(const struct trace_event *ev, bool diagram, char *buf, size_t len)
{
	uint64_t rec, target, intid;
	char part[64];
	buf[0] = '\0';
	if (trace_field_num(ev, "intid", &intid)) {
		snprintf(part, sizeof(part), " INTID %llu", (unsigned long long)intid);
		view_append(buf, len, part);
	}
	if (trace_field_num(ev, "target", &target)) {
		snprintf(part, sizeof(part), " vCPU %llu", (unsigned long long)target);
		view_append(buf, len, part);
	}
	if (trace_field_num(ev, "rec", &rec)) {
		bool irq = trace_field_num(ev, "intid", &intid);
		snprintf(part, sizeof(part), "%s%s%llu%s", irq ? " for " : " (asked by ",
			 diagram ? "rec" : "REC ", (unsigned long long)rec, irq ? "" : ")");
		view_append(buf, len, part);
	}
}

void view_realm_note(const struct trace_event *ev, char *buf, size_t len)
{
	uint64_t v = 0;
	if (ev->kind == TE_interrupt) {
		trace_field_num(ev, "intid", &v);
		snprintf(buf, len, "takes virtual IRQ %llu", (unsigned long long)v);
	} else if (ev->kind == TE_console) {
		snprintf(buf, len, "UART: %s", trace_field_text(ev, "text", ""));
	} else if (ev->kind == TE_token) {
		trace_field_num(ev, "size", &v);
		snprintf(buf, len, "holds its attestation token (%llu bytes, RIM %.16s...)",
			 (unsigned long long)v, trace_field_text(ev, "rim", "?"));
	} else {
		trace_field_num(ev, "status", &v);
		snprintf(buf, len, "writes %llu to the exit device", (unsigned long long)v);
	}
}

void view_title(const struct trace_view *v, char *buf, size_t len)
{
	const char *title = v && v->title ? v->title : "cca-sim run";
	if (v && v->spec && v->profile) {
		snprintf(buf, len, "%s (RMM %s, profile %s)", title, v->spec, v->profile);
	} else {
		snprintf(buf, len, "%s", title);
	}
}

const char *view_decision(const char *word)
{
	static const struct {
		const char *word, *prose;
	} prose[] = {
	    {"cannot_deny", "cannot deny (this revision's RMI_PSCI_COMPLETE has no status), allow"},
	    {"answer", "answer as the scenario says"},
	    {"map_shared", "map a shared page"},
	    {"realm_idle", "stop: no REC of the realm can run"},
	    {"rec_idle", "leave the REC waiting in WFI for nothing"},
	    {"inject", "inject an interrupt"},
	    {"inject_timer", "inject the timer's interrupt"},
	    {"inject_sea", "inject a synchronous external abort"},
	    {"wait_timer", "let virtual time pass to the REC's timer"},
	    {"wait_irq", "let virtual time pass to the next interrupt"},
	};
	for (size_t i = 0; word && i < sizeof(prose) / sizeof(prose[0]); i++) {
		if (strcmp(prose[i].word, word) == 0) {
			return prose[i].prose;
		}
	}
	return word ? word : "?";
}

const char *view_result(const struct trace_event *ev)
{
	const char *call = trace_field_name(ev, "call");
	const struct trace_field *f = trace_field(ev, "result");
	if (!f) {
		return NULL;
	}
	if (call && strcmp(call, "PSCI_AFFINITY_INFO") == 0) {
		uint64_t v = f->num;
		bool named = f->kind == TV_NAME &&
			     (!strcmp(f->str, "PSCI_SUCCESS") || !strcmp(f->str, "PSCI_OFF"));
		if (named) {
			v = strcmp(f->str, "PSCI_OFF") == 0;
		}
		if ((named || f->kind == TV_HEX) && abi_name(ABI_AFFINITY, v)) {
			return abi_name(ABI_AFFINITY, v);
		}
	}
	return f->kind == TV_NAME ? f->str : NULL;
}

char *view_event_text(const struct trace_event *ev, const struct trace_view *v, bool *oom)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f) {
		*oom = true;
		return NULL;
	}
	struct trace_narrator n = {
	    .out = f, .namer = v ? v->namer : NULL, .namer_ctx = v ? v->namer_ctx : NULL};
	trace_narrate_sink(&n, ev);
	trace_narrate_finish(&n);
	if (fclose(f) != 0 || !buf) {
		free(buf);
		*oom = true;
		return NULL;
	}
	while (len && buf[len - 1] == '\n') {
		buf[--len] = '\0';
	}
	for (char *c = buf; *c; c++) {
		if (*c == '\n') {
			*c = '/';
		}
	}
	if (!len) {
		free(buf);
		return NULL;
	}
	return buf;
}

void view_append(char *dst, size_t len, const char *s)
{
	size_t used = strlen(dst);
	if (used + 1 < len) {
		snprintf(dst + used, len - used, "%s", s);
	}
}
