/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fake machine of the gdb tests (fake_target.h). */
#include "fake_target.h"

#include <stdio.h>
#include <string.h>

static struct fake_thread *thread_of(struct fake_target *f, int id)
{
	return id == FAKE_HOST ? &f->th[0] : id == FAKE_REC ? &f->th[1] : NULL;
}

static void put_insn(struct fake_target *f, uint64_t off, uint32_t insn)
{
	for (unsigned i = 0; i < 4; i++) {
		f->ram[off + i] = (uint8_t)(insn >> (8 * i));
	}
}

uint32_t fake_insn_at(const struct fake_target *f, uint64_t off)
{
	uint32_t w = 0;

	for (unsigned i = 0; i < 4; i++) {
		w |= (uint32_t)f->ram[off + i] << (8 * i);
	}
	return w;
}

static void have(struct fake_thread *t, unsigned reg, uint64_t v)
{
	t->regs.value[reg] = v;
	t->regs.valid[reg] = true;
}

void fake_init(struct fake_target *f, bool spin)
{
	static const unsigned el1_regs[] = {
	    GDB_REG_SP_EL0,    GDB_REG_SP_EL1,    GDB_REG_ELR_EL1,   GDB_REG_SPSR_EL1,
	    GDB_REG_ESR_EL1,   GDB_REG_FAR_EL1,   GDB_REG_SCTLR_EL1, GDB_REG_TCR_EL1,
	    GDB_REG_TTBR0_EL1, GDB_REG_TTBR1_EL1, GDB_REG_MAIR_EL1,  GDB_REG_VBAR_EL1,
	    GDB_REG_HCR_EL2,   GDB_REG_VTTBR_EL2, GDB_REG_VTCR_EL2,
	};
	static const uint32_t host[] = {
	    FAKE_INSN(FAKE_NOP, 0),
	    FAKE_INSN(FAKE_NOP, 0),
	    FAKE_INSN(FAKE_STORE, FAKE_DATA),
	    FAKE_INSN(FAKE_ENTER, 0),
	    FAKE_INSN(FAKE_STORE, FAKE_DATA),
	    FAKE_INSN(FAKE_LOAD, FAKE_DATA2),
	    FAKE_INSN(FAKE_EXIT, FAKE_EXIT_CODE),
	};
	static const uint32_t rec[] = {
	    FAKE_INSN(FAKE_NOP, 0),
	    FAKE_INSN(FAKE_STORE, FAKE_DATA2),
	    FAKE_INSN(FAKE_LEAVE, 0),
	};
	struct fake_thread *h = &f->th[0], *r = &f->th[1];

	memset(f, 0, sizeof(*f));
	f->budget = 100000000;
	snprintf(f->rec_state, sizeof(f->rec_state), "runnable");
	for (unsigned i = 0; i < sizeof(host) / sizeof(host[0]); i++) {
		put_insn(f, FAKE_HOST_CODE + 4 * i, host[i]);
	}
	for (unsigned i = 0; i < sizeof(rec) / sizeof(rec[0]); i++) {
		put_insn(f, FAKE_REC_CODE + 4 * i, rec[i]);
	}
	if (spin) {
		put_insn(f, FAKE_HOST_CODE, FAKE_INSN(FAKE_SPIN, 0xffff));
	}
	h->va_base = FAKE_HOST_VA;
	r->va_base = FAKE_REC_VA;
	for (unsigned n = 0; n <= 30; n++) {
		have(h, GDB_REG_X0 + n, 0x1000 + n);
		have(r, GDB_REG_X0 + n, 0x2000 + n);
	}
	have(h, GDB_REG_X0, 0);
	have(r, GDB_REG_X0, 0);
	have(h, GDB_REG_SP, FAKE_HOST_VA + 0xff0);
	have(h, GDB_REG_PC, FAKE_HOST_VA + FAKE_HOST_CODE);
	have(h, GDB_REG_CPSR, 0x3c9); /* EL2h, DAIF masked */
	have(h, GDB_REG_CURRENTEL, 2 << 2);
	have(h, GDB_REG_SP_EL2, FAKE_HOST_VA + 0xff0);
	have(h, GDB_REG_SCTLR_EL2, 0x30c50830);
	have(h, GDB_REG_VBAR_EL2, FAKE_HOST_VA + 0x800);
	have(r, GDB_REG_SP, FAKE_REC_VA + 0x7f0);
	have(r, GDB_REG_PC, FAKE_REC_VA + FAKE_REC_CODE);
	have(r, GDB_REG_CPSR, 0x3c5); /* EL1h */
	have(r, GDB_REG_CURRENTEL, 1 << 2);
	for (unsigned i = 0; i < sizeof(el1_regs) / sizeof(el1_regs[0]); i++) {
		have(r, el1_regs[i], 0);
	}
	have(r, GDB_REG_SCTLR_EL1, 0x30d00800);
	have(r, GDB_REG_VBAR_EL1, FAKE_REC_VA + 0x400);
	have(r, GDB_REG_HCR_EL2, 0x80080000ULL | (1ULL << 19));
}

static size_t fake_threads(void *ctx, struct gdb_thread *out, size_t max)
{
	const struct fake_target *f = ctx;
	struct gdb_thread list[2] = {
	    {FAKE_HOST, "host NS-EL2", GDB_WORLD_NS, 2, -1, ""},
	    {FAKE_REC, "REC 0 R-EL1 (realm)", GDB_WORLD_REALM, 1, 0, ""},
	};

	snprintf(list[1].state, sizeof(list[1].state), "%s", f->rec_state);
	for (size_t i = 0; i < 2 && i < max; i++) {
		out[i] = list[i];
	}
	return 2;
}

static int fake_get_regs(void *ctx, int thread, struct gdb_regs *regs)
{
	const struct fake_thread *t = thread_of(ctx, thread);

	if (!t) {
		return -1;
	}
	*regs = t->regs;
	return 0;
}

static int fake_set_regs(void *ctx, int thread, const struct gdb_regs *regs)
{
	struct fake_thread *t = thread_of(ctx, thread);

	if (!t) {
		return -1;
	}
	/* CurrentEL is read-only: G sends it back unchanged, which is no write */
	for (unsigned r = 0; r < GDB_NUM_REGS; r++) {
		if (regs->valid[r] && (!t->regs.valid[r] || (r == GDB_REG_CURRENTEL &&
							     regs->value[r] != t->regs.value[r]))) {
			return -1;
		}
	}
	for (unsigned r = 0; r < GDB_NUM_REGS; r++) {
		if (regs->valid[r]) {
			t->regs.value[r] = regs->value[r];
		}
	}
	return 0;
}

/* RAM offset of [va, va + len) in the thread's view; how much of it is mapped. */
static size_t mapped(const struct fake_thread *t, uint64_t va, size_t len, uint64_t *off)
{
	if (va < t->va_base || va - t->va_base >= FAKE_RAM_SIZE) {
		return 0;
	}
	*off = va - t->va_base;
	return len < FAKE_RAM_SIZE - *off ? len : (size_t)(FAKE_RAM_SIZE - *off);
}

static size_t fake_read_mem(void *ctx, int thread, uint64_t va, void *buf, size_t len)
{
	struct fake_target *f = ctx;
	const struct fake_thread *t = thread_of(f, thread);
	uint64_t off = 0;
	size_t n;

	if (!t) {
		return 0;
	}
	n = mapped(t, va, len, &off);
	memcpy(buf, f->ram + off, n);
	return n;
}

static int fake_write_mem(void *ctx, int thread, uint64_t va, const void *buf, size_t len)
{
	struct fake_target *f = ctx;
	const struct fake_thread *t = thread_of(f, thread);
	uint64_t off = 0;

	if (!t || mapped(t, va, len, &off) != len) {
		return -1;
	}
	memcpy(f->ram + off, buf, len);
	return 0;
}

static int fake_insert_point(void *ctx, enum gdb_point type, uint64_t addr, uint64_t len)
{
	struct fake_target *f = ctx;

	if (f->npoints == FAKE_MAX_POINTS) {
		return -1;
	}
	f->points[f->npoints].type = type;
	f->points[f->npoints].addr = addr;
	f->points[f->npoints].len = len;
	f->npoints++;
	f->inserts++;
	return 0;
}

static int fake_remove_point(void *ctx, enum gdb_point type, uint64_t addr, uint64_t len)
{
	struct fake_target *f = ctx;

	for (unsigned i = 0; i < f->npoints; i++) {
		if (f->points[i].type == type && f->points[i].addr == addr &&
		    f->points[i].len == len) {
			f->points[i] = f->points[--f->npoints];
			return 0;
		}
	}
	return -1;
}

static void event(struct fake_target *f, const char *text)
{
	if (f->nevents < FAKE_MAX_EVENTS) {
		snprintf(f->events[f->nevents++], sizeof(f->events[0]), "%s", text);
	}
}

static int fake_monitor(void *ctx, const char *cmd, FILE *out)
{
	const struct fake_target *f = ctx;

	if (strcmp(cmd, "events") == 0) {
		for (unsigned i = 0; i < f->nevents; i++) {
			fprintf(out, "%3u  %s\n", i + 1, f->events[i]);
		}
		return 0;
	}
	if (strcmp(cmd, "narrate") == 0) {
		fprintf(out, "%u instructions, %u events\n", (unsigned)f->insns, f->nevents);
		return 0;
	}
	return -1;
}

struct gdb_target fake_gdb_target(struct fake_target *f)
{
	return (struct gdb_target){
	    .ctx = f,
	    .threads = fake_threads,
	    .get_regs = fake_get_regs,
	    .set_regs = fake_set_regs,
	    .read_mem = fake_read_mem,
	    .write_mem = fake_write_mem,
	    .insert_point = fake_insert_point,
	    .remove_point = fake_remove_point,
	    .monitor = fake_monitor,
	};
}

uint64_t fake_pc(const struct fake_target *f, int thread)
{
	return f->th[thread == FAKE_REC].regs.value[GDB_REG_PC];
}

static int point_at(const struct fake_target *f, uint64_t va, uint64_t len, bool code, bool write)
{
	for (unsigned i = 0; i < f->npoints; i++) {
		enum gdb_point type = f->points[i].type;
		uint64_t a = f->points[i].addr, n = code ? 1 : f->points[i].len;
		bool kind_matches;

		if (code) {
			kind_matches = type == GDB_POINT_SW_BREAK || type == GDB_POINT_HW_BREAK;
		} else {
			kind_matches =
			    type == GDB_POINT_WATCH_ACCESS ||
			    type == (write ? GDB_POINT_WATCH_WRITE : GDB_POINT_WATCH_READ);
		}
		if (kind_matches && va < a + n && a < va + len) {
			return (int)i;
		}
	}
	return -1;
}

static struct gdb_stop stop_at(enum gdb_stop_kind kind, int thread, uint64_t addr)
{
	return (struct gdb_stop){.kind = kind, .thread = thread, .addr = addr};
}

/* Executes one instruction of the running thread, or returns a stop that comes first. */
static bool execute(struct fake_target *f, bool debug, struct gdb_stop *stop)
{
	int id = f->running == 0 ? FAKE_HOST : FAKE_REC;
	struct fake_thread *t = &f->th[f->running];
	uint64_t pc = t->regs.value[GDB_REG_PC], off = 0, va;
	uint32_t insn;
	unsigned op;
	int p;

	if (debug && (p = point_at(f, pc, 4, true, false)) >= 0) {
		*stop = stop_at(f->points[p].type == GDB_POINT_SW_BREAK ? GDB_STOP_BREAK_SW
									: GDB_STOP_BREAK_HW,
				id, 0);
		return false;
	}
	if (mapped(t, pc, 4, &off) != 4) {
		*stop = stop_at(GDB_STOP_FAULT, id, 0);
		return false;
	}
	insn = fake_insn_at(f, off);
	op = insn >> 24;
	va = t->va_base + (insn & 0xffffU);
	if (debug && (op == FAKE_STORE || op == FAKE_LOAD) &&
	    (p = point_at(f, va, 8, false, op == FAKE_STORE)) >= 0) {
		static const enum gdb_stop_kind kinds[] = {
		    [GDB_POINT_WATCH_WRITE] = GDB_STOP_WATCH_WRITE,
		    [GDB_POINT_WATCH_READ] = GDB_STOP_WATCH_READ,
		    [GDB_POINT_WATCH_ACCESS] = GDB_STOP_WATCH_ACCESS,
		};
		*stop = stop_at(kinds[f->points[p].type], id, va);
		return false; /* before the access, as Arm's watchpoints */
	}
	f->insns++;
	t->regs.value[GDB_REG_PC] = pc + 4;
	switch (op) {
	case FAKE_STORE:
		t->regs.value[GDB_REG_X0]++;
		if (mapped(t, va, 8, &off) == 8) {
			for (unsigned i = 0; i < 8; i++) {
				f->ram[off + i] = (uint8_t)(t->regs.value[GDB_REG_X0] >> (8 * i));
			}
		}
		break;
	case FAKE_LOAD:
		t->regs.value[GDB_REG_X0 + 1] = 0;
		if (mapped(t, va, 8, &off) == 8) {
			for (unsigned i = 0; i < 8; i++) {
				t->regs.value[GDB_REG_X0 + 1] |= (uint64_t)f->ram[off + i]
								 << (8 * i);
			}
		}
		break;
	case FAKE_ENTER:
		event(f, "host enters REC 0");
		f->running = 1;
		break;
	case FAKE_LEAVE:
		event(f, "REC 0 exits to the host");
		f->running = 0;
		break;
	case FAKE_EXIT:
		event(f, "the run ends");
		f->exited = true;
		f->status = (int)(insn & 0xffU);
		break;
	case FAKE_FAULT:
		event(f, "REC 0 faults");
		f->running = 0;
		*stop = stop_at(GDB_STOP_FAULT, id, 0);
		return false;
	case FAKE_SPIN:
		if (!f->woken && ++t->spin < (uint64_t)(insn & 0xffffU) * 1024) {
			t->regs.value[GDB_REG_PC] = pc;
		} else {
			t->spin = 0;
		}
		break;
	default:
		break;
	}
	return true;
}

struct gdb_stop fake_run(struct fake_target *f, const struct gdb_resume *r, struct gdb_server *srv)
{
	bool debug = r->action == GDB_CONTINUE || r->action == GDB_STEP;
	int step = r->action == GDB_STEP ? r->thread : 0;
	bool stepped = false;
	struct gdb_stop stop;

	for (;;) {
		int id = f->running == 0 ? FAKE_HOST : FAKE_REC;

		if (f->exited) {
			return (struct gdb_stop){.kind = GDB_STOP_EXITED, .status = f->status};
		}
		if (f->insns >= f->budget) {
			return (struct gdb_stop){.kind = GDB_STOP_EXITED, .status = 99};
		}
		if (!execute(f, debug, &stop)) {
			return stop;
		}
		stepped |= id == step;
		/* a step ends when the stepped thread has run and is running again: stepping the
		 * host over ENTER runs the REC until it leaves */
		if (stepped && f->running == (step == FAKE_REC) && !f->exited) {
			return stop_at(GDB_STOP_STEP, step, 0);
		}
		if (debug && srv && f->insns % 1024 == 0 && gdb_server_interrupt_pending(srv)) {
			f->woken = true;
			return stop_at(GDB_STOP_INTERRUPT, f->running == 0 ? FAKE_HOST : FAKE_REC,
				       0);
		}
	}
}
