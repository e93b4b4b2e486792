/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A gdb session over the machine (debug.h): the gdb_target the server asks, and the stops the
 * machine reports from its probes and steps.
 */
#include "debug/debug.h"

#include "abi/abi.h"
#include "gdb/gdb.h"

#include <stdlib.h>
#include <string.h>

#define HOST_THREAD    1
#define RECS_PER_REALM 64 /* thread ids: 2 + realm * RECS_PER_REALM + REC index */
#define FIRST_REC_ID   2

struct debug_session {
	struct gdb_server *srv;
	struct host *h;
	struct cpu_machine *m;
	struct rmm *rmm;
	struct cpu_pe *live; /* the PE whose probe or step reported the stop, NULL: none */
	bool killed, gone;   /* gdb killed the run; gdb detached or went away */
	struct {
		uint64_t addr, len;
		enum gdb_point type;
	} watches[CPU_MAX_WATCHES]; /* what gdb inserted, to name the kind of a hit */
	unsigned nwatches;
};

/* A thread as the machine knows it. */
struct who {
	enum cpu_world world;
	uint64_t rec_pa; /* 0: the host */
	uint64_t tag;    /* cpu_thread_tag */
	bool live;       /* running on `live`: its registers are the PE's */
	struct cpu_context ctx;
};

static bool rec_of_thread(const struct debug_session *s, int id, unsigned *realm, unsigned *rec)
{
	if (id < FIRST_REC_ID) {
		return false;
	}
	*realm = (unsigned)(id - FIRST_REC_ID) / RECS_PER_REALM;
	*rec = (unsigned)(id - FIRST_REC_ID) % RECS_PER_REALM;
	return *realm < host_realm_count(s->h) && *rec < host_realm_recs(s->h, *realm) &&
	       host_rec_granule(s->h, *realm, *rec) != 0;
}

/* Where thread `id` is, with its registers; false when there is no such thread. */
static bool find(struct debug_session *s, int id, struct who *w)
{
	unsigned realm, rec;
	memset(w, 0, sizeof(*w));
	if (id == HOST_THREAD) {
		struct cpu_pe *pe = cpu_pe(s->m, CPU_WORLD_NS);
		w->world = CPU_WORLD_NS;
		w->live = s->live == pe;
		cpu_pe_save(pe, &w->ctx);
		return true;
	}
	if (!rec_of_thread(s, id, &realm, &rec)) {
		return false;
	}
	w->world = CPU_WORLD_REALM;
	w->rec_pa = host_rec_granule(s->h, realm, rec);
	if (rmm_debug_rec_context(s->rmm, w->rec_pa, &w->ctx) != 0) {
		return false;
	}
	w->tag = cpu_thread_tag(w->ctx.vttbr_el2, w->ctx.vmpidr_el2);
	struct cpu_pe *pe = cpu_pe(s->m, CPU_WORLD_REALM);
	if (s->live == pe && cpu_pe_thread_tag(pe) == w->tag) {
		w->live = true;
		cpu_pe_save(pe, &w->ctx);
	}
	return true;
}

/* The thread running on `pe` now: the host, or the REC its thread tag names. */
static int thread_on(struct debug_session *s, struct cpu_pe *pe)
{
	uint64_t tag = cpu_pe_thread_tag(pe);
	int realm = cpu_pe_world(pe) == CPU_WORLD_REALM
			? host_realm_of_vmid(s->h, cpu_thread_vmid(tag))
			: -1;
	uint64_t rec = mpidr_to_rec_index(cpu_thread_mpidr(tag));
	if (realm < 0 || rec >= RECS_PER_REALM) {
		return HOST_THREAD;
	}
	return FIRST_REC_ID + realm * RECS_PER_REALM + (int)rec;
}

/* ---- the target -------------------------------------------------------------------------- */

static size_t threads(void *ctx, struct gdb_thread *out, size_t max)
{
	struct debug_session *s = ctx;
	size_t n = 0;
	if (n < max) {
		out[n] = (struct gdb_thread){
		    .id = HOST_THREAD, .world = GDB_WORLD_NS, .el = 2, .rec = -1};
		snprintf(out[n].name, sizeof(out[n].name), "host NS-EL2");
	}
	n++;
	bool several = host_realm_count(s->h) > 1;
	for (unsigned i = 0; i < host_realm_count(s->h); i++) {
		for (unsigned j = 0; j < host_realm_recs(s->h, i) && j < RECS_PER_REALM; j++) {
			if (!host_rec_granule(s->h, i, j)) {
				continue;
			}
			if (n < max) {
				struct gdb_thread *t = &out[n];
				*t = (struct gdb_thread){.id = FIRST_REC_ID +
							       (int)(i * RECS_PER_REALM + j),
							 .world = GDB_WORLD_REALM,
							 .el = 1,
							 .rec = (int)j};
				snprintf(t->name, sizeof(t->name),
					 several ? "REC %u R-EL1 (%s)" : "REC %u R-EL1 (realm)", j,
					 host_realm_name(s->h, i));
			}
			n++;
		}
	}
	return n;
}

static int get_regs(void *ctx, int thread, struct gdb_regs *r)
{
	struct debug_session *s = ctx;
	struct who w;
	if (!find(s, thread, &w)) {
		return -1;
	}
	const struct cpu_context *c = &w.ctx;
	memset(r, 0, sizeof(*r));
	for (unsigned i = 0; i < 31; i++) {
		r->value[GDB_REG_X0 + i] = c->x[i];
		r->valid[GDB_REG_X0 + i] = true;
	}
	bool spx = c->pstate & 1;
	unsigned el = (unsigned)((c->pstate >> 2) & 3);
	const struct {
		enum gdb_reg reg;
		uint64_t value;
		bool has;
	} rows[] = {
	    {GDB_REG_SP, spx ? c->sp_elx : c->sp_el0, true},
	    {GDB_REG_PC, c->pc, true},
	    {GDB_REG_CPSR, c->pstate & 0xffffffffULL, true},
	    {GDB_REG_CURRENTEL, (uint64_t)el << 2, true},
	    {GDB_REG_SP_EL0, c->sp_el0, true},
	    {GDB_REG_SP_EL1, c->sp_elx, el == 1},
	    {GDB_REG_SP_EL2, c->sp_elx, el == 2},
	    {GDB_REG_ELR_EL1, c->elr_el1, el < 2},
	    {GDB_REG_SPSR_EL1, c->spsr_el1, el < 2},
	    {GDB_REG_ESR_EL1, c->esr_el1, el < 2},
	    {GDB_REG_FAR_EL1, c->far_el1, el < 2},
	    {GDB_REG_SCTLR_EL1, c->sctlr_el1, el < 2},
	    {GDB_REG_TCR_EL1, c->tcr_el1, el < 2},
	    {GDB_REG_TTBR0_EL1, c->ttbr0_el1, el < 2},
	    {GDB_REG_TTBR1_EL1, c->ttbr1_el1, el < 2},
	    {GDB_REG_MAIR_EL1, c->mair_el1, el < 2},
	    {GDB_REG_AMAIR_EL1, c->amair_el1, el < 2},
	    {GDB_REG_VBAR_EL1, c->vbar_el1, el < 2},
	    {GDB_REG_PAR_EL1, c->par_el1, el < 2},
	    {GDB_REG_CONTEXTIDR_EL1, c->contextidr_el1, el < 2},
	    {GDB_REG_CPACR_EL1, c->cpacr_el1, el < 2},
	    {GDB_REG_TPIDR_EL0, c->tpidr_el0, el < 2},
	    {GDB_REG_TPIDRRO_EL0, c->tpidrro_el0, el < 2},
	    {GDB_REG_TPIDR_EL1, c->tpidr_el1, el < 2},
	    {GDB_REG_CNTKCTL_EL1, c->cntkctl_el1, el < 2},
	    {GDB_REG_AFSR0_EL1, c->afsr0_el1, el < 2},
	    {GDB_REG_AFSR1_EL1, c->afsr1_el1, el < 2},
	    {GDB_REG_HCR_EL2, c->hcr_el2, el < 2},
	    {GDB_REG_VTCR_EL2, c->vtcr_el2, el < 2},
	    {GDB_REG_VTTBR_EL2, c->vttbr_el2, el < 2},
	    {GDB_REG_VMPIDR_EL2, c->vmpidr_el2, el < 2},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r->value[rows[i].reg] = rows[i].value;
		r->valid[rows[i].reg] = rows[i].has;
	}
	return 0;
}

/*
 * A running thread's general-purpose registers are written on its PE; a REC that is not
 * running gets its saved context changed (x0-x30, SP, PC, CPSR). Anything else, and a PC
 * change of a running thread, is refused: nothing is written then.
 */
static int set_regs(void *ctx, int thread, const struct gdb_regs *r)
{
	struct debug_session *s = ctx;
	struct gdb_regs now;
	struct who w;
	if (!find(s, thread, &w) || get_regs(ctx, thread, &now) != 0) {
		return -1;
	}
	for (unsigned i = GDB_REG_SP; i < GDB_NUM_REGS; i++) {
		bool changes = r->valid[i] && (!now.valid[i] || r->value[i] != now.value[i]);
		bool saved_core = !w.live && w.rec_pa && i <= GDB_REG_CPSR;
		if (changes && !saved_core) {
			return -1;
		}
	}
	if (w.live || !w.rec_pa) {
		struct cpu_pe *pe = cpu_pe(s->m, w.world);
		for (unsigned i = 0; i < 31; i++) {
			if (r->valid[GDB_REG_X0 + i]) {
				cpu_pe_set_x(pe, i, r->value[GDB_REG_X0 + i]);
			}
		}
		return 0;
	}
	for (unsigned i = 0; i < 31; i++) {
		w.ctx.x[i] = r->valid[GDB_REG_X0 + i] ? r->value[GDB_REG_X0 + i] : w.ctx.x[i];
	}
	if (r->valid[GDB_REG_SP]) {
		*(w.ctx.pstate & 1 ? &w.ctx.sp_elx : &w.ctx.sp_el0) = r->value[GDB_REG_SP];
	}
	w.ctx.pc = r->valid[GDB_REG_PC] ? r->value[GDB_REG_PC] : w.ctx.pc;
	if (r->valid[GDB_REG_CPSR]) {
		w.ctx.pstate =
		    (w.ctx.pstate & ~0xffffffffULL) | (r->value[GDB_REG_CPSR] & 0xffffffffULL);
	}
	return rmm_debug_set_rec_context(s->rmm, w.rec_pa, &w.ctx);
}

static size_t read_mem(void *ctx, int thread, uint64_t va, void *buf, size_t len)
{
	struct debug_session *s = ctx;
	struct who w;
	if (!find(s, thread, &w)) {
		return 0;
	}
	bool own = w.live || !w.rec_pa; /* the host's regime, or the REC on the PE now */
	return cpu_debug_read(s->m, w.world, own ? NULL : &w.ctx, va, buf, len);
}

static int write_mem(void *ctx, int thread, uint64_t va, const void *buf, size_t len)
{
	struct debug_session *s = ctx;
	struct who w;
	uint8_t probe;
	if (!find(s, thread, &w)) {
		return -1;
	}
	const struct cpu_context *c = w.live || !w.rec_pa ? NULL : &w.ctx;
	/* All or nothing: every byte must be writable before one is written. */
	for (size_t i = 0; i < len; i += GRANULE_SIZE - ((va + i) & (GRANULE_SIZE - 1))) {
		if (cpu_debug_read(s->m, w.world, c, va + i, &probe, 1) != 1) {
			return -1;
		}
	}
	return cpu_debug_write(s->m, w.world, c, va, buf, len) == len ? 0 : -1;
}

/* before_insn: the stop is in the code hook of the instruction at the PC (a breakpoint or a
 * step), which executes when gdb resumes; false: that instruction's hook is still to come (a
 * watchpoint undid it to run it again, or the first stop). */
static void serve(struct debug_session *s, struct cpu_pe *pe, const struct gdb_stop *stop,
		  bool in_hook);

#define MONITOR_EVENTS 10 /* `monitor events` without a count */

/*
 * `monitor events [N]`: the last N events of the run as JSON lines (as --json writes them);
 * `monitor narrate [N]`: the same events narrated, as cca-sim prints them.
 */
static int monitor(void *ctx, const char *cmd, FILE *out)
{
	struct debug_session *s = ctx;
	struct trace *t = host_trace(s->h);
	char word[16] = "";
	unsigned long n = MONITOR_EVENTS;
	if (!t || sscanf(cmd, "%15s %lu", word, &n) < 1) {
		return -1;
	}
	bool narrate = strcmp(word, "narrate") == 0;
	if (!narrate && strcmp(word, "events") != 0) {
		return -1;
	}
	size_t count = trace_count(t), from = count > n ? count - n : 0;
	struct trace_narrator nr = {.out = out};
	for (size_t i = from; i < count; i++) {
		if (narrate) {
			trace_narrate_sink(&nr, trace_get(t, i));
		} else {
			trace_json_sink(out, trace_get(t, i));
		}
	}
	return 0;
}

static void on_break(void *ctx, struct cpu_pe *pe, uint64_t va)
{
	struct debug_session *s = ctx;
	(void)va;
	serve(s, pe, &(struct gdb_stop){.kind = GDB_STOP_BREAK_SW, .thread = thread_on(s, pe)},
	      true);
}

static void on_step(void *ctx, struct cpu_pe *pe, uint64_t va)
{
	struct debug_session *s = ctx;
	(void)va;
	serve(s, pe, &(struct gdb_stop){.kind = GDB_STOP_STEP, .thread = thread_on(s, pe)}, true);
}

static unsigned watch_access(enum gdb_point type);

static void on_watch(void *ctx, struct cpu_pe *pe, uint64_t data_va, unsigned access)
{
	struct debug_session *s = ctx;
	enum gdb_stop_kind kind = GDB_STOP_WATCH_ACCESS;
	for (unsigned i = 0; i < s->nwatches; i++) {
		if (data_va >= s->watches[i].addr &&
		    data_va - s->watches[i].addr < s->watches[i].len &&
		    (watch_access(s->watches[i].type) & access)) {
			kind = s->watches[i].type == GDB_POINT_WATCH_WRITE  ? GDB_STOP_WATCH_WRITE
			       : s->watches[i].type == GDB_POINT_WATCH_READ ? GDB_STOP_WATCH_READ
									    : GDB_STOP_WATCH_ACCESS;
			break;
		}
	}
	serve(s, pe, &(struct gdb_stop){.kind = kind, .thread = thread_on(s, pe), .addr = data_va},
	      false);
}

static unsigned watch_access(enum gdb_point type)
{
	return type == GDB_POINT_WATCH_WRITE  ? CPU_ACCESS_WRITE
	       : type == GDB_POINT_WATCH_READ ? CPU_ACCESS_READ
					      : CPU_ACCESS_READ | CPU_ACCESS_WRITE;
}

/* A breakpoint stops whichever thread reaches its address, in either world; a watchpoint
 * whichever accesses the bytes. */
static int insert_point(void *ctx, enum gdb_point type, uint64_t addr, uint64_t len)
{
	struct debug_session *s = ctx;
	if (type != GDB_POINT_SW_BREAK && type != GDB_POINT_HW_BREAK) {
		if (s->nwatches == CPU_MAX_WATCHES ||
		    cpu_machine_add_watch(s->m, addr, len, watch_access(type)) != 0) {
			return -1;
		}
		s->watches[s->nwatches].addr = addr;
		s->watches[s->nwatches].len = len;
		s->watches[s->nwatches++].type = type;
		return 0;
	}
	if (cpu_machine_add_probe(s->m, CPU_WORLD_NS, addr, on_break, s) != 0 ||
	    cpu_machine_add_probe(s->m, CPU_WORLD_REALM, addr, on_break, s) != 0) {
		return -1;
	}
	return 0;
}

static int remove_point(void *ctx, enum gdb_point type, uint64_t addr, uint64_t len)
{
	struct debug_session *s = ctx;
	if (type != GDB_POINT_SW_BREAK && type != GDB_POINT_HW_BREAK) {
		cpu_machine_remove_watch(s->m, addr, len, watch_access(type));
		for (unsigned i = 0; i < s->nwatches; i++) {
			if (s->watches[i].addr == addr && s->watches[i].len == len &&
			    s->watches[i].type == type) {
				s->watches[i] = s->watches[--s->nwatches];
				break;
			}
		}
		return 0;
	}
	cpu_machine_remove_probe(s->m, CPU_WORLD_NS, addr, on_break, s);
	cpu_machine_remove_probe(s->m, CPU_WORLD_REALM, addr, on_break, s);
	return 0;
}

/* ---- stops -------------------------------------------------------------------------------- */

/* Reports a stop to gdb and does what it asks next. */
static void serve(struct debug_session *s, struct cpu_pe *pe, const struct gdb_stop *stop,
		  bool in_hook)
{
	if (s->gone) {
		return;
	}
	s->live = pe;
	struct gdb_resume r = gdb_server_wait(s->srv, stop);
	s->live = NULL;
	struct who w;
	switch (r.action) {
	case GDB_STEP:
		if (find(s, r.thread, &w)) {
			bool current = in_hook && pe && r.thread == thread_on(s, pe);
			cpu_machine_step(s->m, w.world, w.tag, current, on_step, s);
		}
		break;
	case GDB_CONTINUE:
		break;
	case GDB_KILL:
		s->killed = true;
		host_halt(s->h);
		if (pe) {
			cpu_pe_end_run(pe);
		}
		s->gone = true;
		break;
	case GDB_DETACH:
		s->gone = true;
		break;
	}
}

int debug_session_create(const char *listen, int wait_ms, FILE *log, struct debug_session **out,
			 char *err, size_t errlen)
{
	struct debug_session *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	static const struct gdb_target target_ops = {
	    .threads = threads,
	    .get_regs = get_regs,
	    .set_regs = set_regs,
	    .read_mem = read_mem,
	    .write_mem = write_mem,
	    .insert_point = insert_point,
	    .remove_point = remove_point,
	    .monitor = monitor,
	};
	struct gdb_target t = target_ops;
	t.ctx = s;
	struct gdb_config cfg = {.listen = listen, .log = log};
	if (gdb_server_create(&cfg, &t, &s->srv, err, errlen) != 0) {
		free(s);
		return -1;
	}
	fprintf(stderr, "cca-sim: waiting for gdb on port %u (target remote :%u)\n",
		gdb_server_port(s->srv), gdb_server_port(s->srv));
	if (gdb_server_accept(s->srv, wait_ms, err, errlen) != 0) {
		gdb_server_destroy(s->srv);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void debug_session_attach(struct debug_session *s, struct host *h)
{
	s->h = h;
	s->m = host_machine(h);
	s->rmm = host_rmm(h);
	cpu_machine_set_watch_fn(s->m, on_watch, s);
	/* The first stop: the host, before its first instruction. */
	const struct gdb_stop first = {
	    .kind = GDB_STOP_SIGNAL, .signal = GDB_SIGTRAP, .thread = HOST_THREAD};
	serve(s, NULL, &first, false);
}

void debug_session_finish(struct debug_session *s, int exit_code)
{
	cpu_machine_step_cancel(s->m);
	if (!s->gone) {
		gdb_server_wait(s->srv,
				&(struct gdb_stop){.kind = GDB_STOP_EXITED, .status = exit_code});
		s->gone = true;
	}
}

bool debug_session_killed(const struct debug_session *s)
{
	return s->killed;
}

void debug_session_destroy(struct debug_session *s)
{
	if (s) {
		gdb_server_destroy(s->srv);
		free(s);
	}
}
