/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Private to src/host: the VMM's view of the machine and of the realms it manages. */
#ifndef CCA_HOST_PRIVATE_H
#define CCA_HOST_PRIVATE_H

#include "host/host.h"

#define HOST_MAX_RECS    1024
#define HOST_MAX_DATA    1024
#define HOST_MAX_RTTS    64
#define HOST_MAX_NS_MAPS 16

/* The stub's entry points, offsets in the stub granule. */
#define STUB_SMC   0x00 /* smc #0; hvc #0 */
#define STUB_STORE 0x08 /* str x1, [x0]; hvc #0 */
#define STUB_LOAD  0x10 /* ldr x1, [x0]; hvc #0 */

struct host_rtt {
	uint64_t pa, ipa;
	int level;
};

struct host_rec {
	uint64_t rec, run;
	uint64_t aux[16];
	unsigned naux;
	bool believed_runnable; /* created runnable or started by an allowed CPU_ON */
	bool host_call_reply;   /* next entry copies the host call's gprs back */
	uint64_t reply_gprs[31];
	bool mmio_reply; /* next entry completes an emulated access (REC_ENTER_FLAG_EMUL_MMIO) */
	bool inject_sea; /* next entry injects an SEA (REC_ENTER_FLAG_INJECT_SEA) */
	uint64_t mmio_value;           /* ... with this value for a load */
	uint64_t lrs[RMM_MAX_GIC_LRS]; /* next entry's List Registers: what the REC left, and the
					* interrupts injected since */
	bool idle;     /* it waited in WFI for nothing: not scheduled until an interrupt comes */
	char *console; /* the console line this REC is writing (HOST_CONSOLE_LINE bytes) */
	unsigned console_len;
};

/* A device's state in one realm. */
struct host_device_state {
	uint64_t ipa;      /* resolved */
	uint32_t regs[16]; /* PL011: the control registers the realm wrote, by offset / 4 */
};

struct host_realm {
	struct host_realm_desc desc;
	bool *plugged;
	bool built, ended, destroyed;
	unsigned ipa_bits;
	uint64_t rd, rtt_root, spare_delegated, never_delegated;
	uint64_t realm_params, rec_params, data_src; /* NS pages the VMM passes to the RMM */
	struct host_rtt rtts[HOST_MAX_RTTS];
	unsigned nrtts;
	uint64_t data[HOST_MAX_DATA], data_ipa[HOST_MAX_DATA];
	unsigned ndata;
	uint64_t ns_map_ipa[HOST_MAX_NS_MAPS], ns_map_pa[HOST_MAX_NS_MAPS];
	unsigned nns_maps;
	struct host_rec *recs;
	unsigned last; /* REC whose exit was handled last */
	bool started;
	struct host_device_state dev[HOST_MAX_DEVICES];
	bool exited; /* the realm wrote the exit device */
	uint64_t exit_status;
	bool injected[HOST_MAX_INJECTS]; /* desc.injects[i] is in (or went through) an LR */
};

struct host {
	struct host_config cfg;
	struct trace *t;
	struct cpu_machine *m;
	struct gpt *g;
	struct monitor *mon;
	struct cpu_pe *ns;
	uint64_t stub;             /* PA of the stub granule */
	uint64_t next_free, limit; /* NS granule allocator */
	struct host_realm realms[HOST_MAX_REALMS];
	unsigned nrealms;
	unsigned gic_lrs; /* List Registers a REC entry carries (the platform's gic_lrs) */
	const char *error;
	char errbuf[512];
	host_chooser_fn chooser; /* an adversary, or NULL (host_set_chooser) */
	void *chooser_ctx;
	bool stopped; /* the adversary ended the run */
};

/* What the adversary picks at a decision point of `n` alternatives (HOST_CHOOSE_POLICY when
 * there is none, or one alternative only for SCHEDULE and TAMPER). */
unsigned host_choose(struct host *h, struct host_choice c);

enum host_result host_fail(struct host *h, enum host_result r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint64_t host_alloc_ns(struct host *h);
enum host_result host_alloc_delegated(struct host *h, uint64_t *pa);
enum host_result host_call(struct host *h, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
			   uint64_t a4, uint64_t a5, uint64_t *x0);
int host_ns_write(struct host *h, uint64_t pa, const void *buf, size_t len);
int host_ns_read(struct host *h, uint64_t pa, void *buf, size_t len);
enum host_result host_ensure_rtts(struct host *h, struct host_realm *r, uint64_t ipa);
void host_event(struct host *h, const char *decision, unsigned realm, int rec, int target);
/* Whether `rec` holds an interrupt in a List Register; the injections due by now put into
 * List Registers, and the host's interrupt raised for the next (vmm.c). */
bool host_rec_has_irq(const struct host *h, const struct host_rec *rec);
void host_deliver_injections(struct host *h);
/* A `host` event about an interrupt the host puts in a List Register of REC `rec`. */
void host_event_irq(struct host *h, const char *decision, unsigned realm, unsigned rec,
		    uint32_t intid);
/* devices.c: the emulated devices. host_device_access handles a REC exit that is an
 * emulatable data abort inside one of the realm's devices (true), and arranges the next
 * entry's EMUL_MMIO; host_console_flush reports a console line not ended by a newline. */
void host_devices_init(struct host_realm *r);
bool host_device_access(struct host *h, unsigned realm, unsigned idx, const struct host_exit *e);
void host_console_flush(struct host *h, unsigned realm);

#endif
