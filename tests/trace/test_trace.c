/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The event stream: numbering, keeping, JSON Lines output, the narration of output values. */
#include "trace/trace.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *namer(void *ctx, uint64_t rd)
{
	return rd == 0x1000 ? "vm" : NULL;
}

static void json_lines(void **state)
{
	struct trace *t = trace_create();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	uint64_t args[3] = {0x80001000, 0x80002000, 0xfffffffffffffffdULL};

	trace_add_sink(t, trace_json_sink, f);
	trace_keep(t, true);
	trace_set_realm_namer(t, namer, NULL);
	struct trace_event *ev = trace_begin(t, TE_rmi);
	trace_name(ev, "cmd", "RMI_PSCI_COMPLETE");
	trace_hexlist(ev, "args", args, 3);
	trace_int(ev, "index", 0);
	trace_realm(t, ev, 0x1000);
	trace_end(t, ev);
	ev = trace_begin(t, TE_rec_state);
	trace_bool(ev, "runnable", false);
	trace_str(ev, "note", "a \"quoted\" word");
	trace_realm(t, ev, 0x2000);
	trace_end(t, ev);
	fclose(f);

	assert_string_equal(buf,
			    "{\"seq\":1,\"type\":\"rmi\",\"cmd\":\"RMI_PSCI_COMPLETE\",\"args\":["
			    "\"0x80001000\",\"0x80002000\",\"0xfffffffffffffffd\"],\"index\":0,"
			    "\"realm\":\"vm\"}\n"
			    "{\"seq\":2,\"type\":\"rec_state\",\"runnable\":false,\"note\":\"a "
			    "\\\"quoted\\\" word\",\"realm\":\"0x2000\"}\n");
	assert_int_equal(trace_count(t), 2);
	assert_int_equal(trace_get(t, 1)->seq, 2);
	assert_int_equal(trace_field(trace_get(t, 0), "index")->num, 0);
	assert_null(trace_field(trace_get(t, 0), "nothing"));
	free(buf);
	trace_destroy(t);
}

static void null_trace_records_nothing(void **state)
{
	struct trace_event *ev = trace_begin(NULL, TE_rmi);
	assert_null(ev);
	trace_hex(ev, "fid", 1); /* all builders accept NULL */
	trace_end(NULL, ev);
	struct trace *t = trace_create(); /* no sink, not keeping: nothing is built */
	assert_null(trace_begin(t, TE_rmi));
	trace_destroy(t);
}

static const char *addr_namer(void *ctx, uint64_t pa, char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return pa == 0x80007000 ? "data0" : NULL;
}

/* An RMI_RTT_READ_ENTRY result as the RMM reports it, with its outputs marked. */
static void read_entry(struct trace *t, const char *status, bool outputs)
{
	uint64_t args[3] = {0x80002000, 0, 3};
	struct trace_event *ev = trace_begin(t, TE_rmi);
	trace_name(ev, "cmd", "RMI_RTT_READ_ENTRY");
	trace_hexlist(ev, "args", args, 3);
	trace_name(ev, "status", status);
	trace_int(ev, "index", 0);
	if (outputs) {
		trace_int(ev, "walk_level", 3);
		trace_mark_output(ev);
		trace_enum(ev, "state", "ASSIGNED", 1);
		trace_mark_output(ev);
		trace_hex(ev, "desc", 0x80007000);
		trace_mark_output(ev);
	}
	trace_end(t, ev);
}

static void narration_and_log_show_outputs(void **state)
{
	struct trace *t = trace_create();
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct trace_narrator n = {.out = f, .namer = addr_namer};

	trace_keep(t, true);
	trace_add_sink(t, trace_narrate_sink, &n);
	read_entry(t, "RMI_SUCCESS", true);
	read_entry(t, "RMI_ERROR_INPUT", false);
	fclose(f);
	assert_non_null(strstr(buf, "RMI_RTT_READ_ENTRY(0x80002000, 0x0, 0x3) -> RMI_SUCCESS; "
				    "walk_level = 3, state = ASSIGNED, desc = data0\n"));
	assert_non_null(strstr(buf, "-> RMI_ERROR_INPUT\n"));
	/* JSON keeps them flat; the enumeration's name stands for its value */
	const struct trace_field *st = trace_field(trace_get(t, 0), "state");
	assert_true(st->output && st->has_num);
	assert_int_equal(st->num, 1);
	assert_false(trace_field(trace_get(t, 0), "status")->output);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(trace_write_rmm_log(t, NULL, f), 0);
	fclose(f);
	assert_string_equal(
	    buf, "SMC_RMI_RTT_READ_ENTRY        80002000 0 3 > RMI_SUCCESS 3 1 80007000\n"
		 "SMC_RMI_RTT_READ_ENTRY        80002000 0 3 > RMI_ERROR_INPUT\n");
	free(buf);
	trace_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(json_lines),
	    cmocka_unit_test(null_trace_records_nothing),
	    cmocka_unit_test(narration_and_log_show_outputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
