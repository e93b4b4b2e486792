/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * src/host: the host. Two parts, as in a real system:
 *  - the stub: AArch64 code at NS-EL2 (in NS memory) that executes every RMI call as an SMC
 *    and every host memory access as a real load or store, then hands control back with HVC;
 *  - the VMM driver in C, like KVM plus a user-space VMM: it decides what the stub does next.
 *    It builds realms, enters RECs and answers their exits by policy (the automatic VMM), or
 *    performs explicit steps. It reaches the RMM only through the stub's SMCs.
 * host_create also boots the machine: PEs and memory, the GPT, EL3 and the RMM.
 */
#ifndef CCA_HOST_H
#define CCA_HOST_H

#include "monitor/monitor.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOST_MAX_REALMS 8

struct host_config {
	struct cpu_config cpu;
	struct gpt_config gpt;
	struct monitor_config monitor;
	struct rmm_config rmm;
	uint64_t max_insns; /* instruction budget of the whole run (host and realms); 0 = none */
};

struct host_rec_desc {
	bool runnable;
	uint64_t pc; /* entry IPA */
};

struct host_call_action {
	uint16_t imm;
	enum { HOST_PLUG, HOST_UNPLUG } what;
	unsigned rec;
};

#define HOST_ANY_TARGET 0xffffffffU

struct host_answer {
	uint64_t call;   /* PSCI FID */
	unsigned target; /* REC index, or HOST_ANY_TARGET */
	uint64_t status; /* PsciReturnCode to complete with */
	bool used;
};

/*
 * A device the VMM emulates for the realm at an Unprotected IPA (one granule), as a VMM does
 * behind KVM: the realm's accesses there are emulatable data aborts that the RMM reports in a
 * REC exit; the VMM performs the access and re-enters with REC_ENTER_FLAG_EMUL_MMIO (a load's
 * value in enter.gprs[0]). src/host/devices.c has the models.
 */
enum host_device_kind {
	HOST_DEVICE_PL011, /* a PrimeCell UART: what the realm writes to UARTDR is its console */
	HOST_DEVICE_EXIT,  /* a test device: a write ends the realm with that exit status */
};

#define HOST_IRQ_PRIORITY 0xa0ULL /* of the interrupts the VMM injects */
#define HOST_MAX_DEVICES  8
#define HOST_CONSOLE_LINE 256 /* a longer console line is reported in pieces */
/* Where a device is when the scenario does not say: this offset into the realm's
 * Unprotected half (2^(ipa_bits - 1) + offset), the addresses of QEMU's virt machine. */
#define HOST_PL011_OFFSET 0x09000000ULL
#define HOST_EXIT_OFFSET  0x09010000ULL

/*
 * An interrupt the host injects (docs/scenarios.md, `inject`): when the system counter reaches
 * `at`, a device raises it at the host, which puts it, pending and Group 1, in a free List
 * Register of REC `rec` for the REC's next entry.
 */
#define HOST_MAX_INJECTS 64
struct host_inject {
	unsigned rec;
	uint32_t intid;   /* 0..1019 */
	uint8_t priority; /* of the virtual interrupt, 0 highest */
	uint64_t at;      /* counter value; 0: at once */
};

struct host_device {
	enum host_device_kind kind;
	uint64_t ipa; /* 0: the default for the realm's IPA width */
};

/* Where a device of `kind` is by default in a realm of `ipa_bits`. */
static inline uint64_t host_device_default_ipa(enum host_device_kind kind, unsigned ipa_bits)
{
	return (1ULL << (ipa_bits - 1)) +
	       (kind == HOST_DEVICE_PL011 ? HOST_PL011_OFFSET : HOST_EXIT_OFFSET);
}

/* Whole granules of the realm's protected image, loaded with RMI_DATA_CREATE. */
struct host_image_region {
	uint64_t ipa;
	uint64_t size;
	const uint8_t *bytes;
};

struct host_realm_desc {
	const char *name;
	unsigned ipa_bits; /* 0 = 33 */
	unsigned nrecs;
	const struct host_rec_desc *recs;
	const struct host_image_region *regions;
	unsigned nregions;
	/* policy of the automatic VMM */
	const bool *plugged; /* nrecs entries; NULL = every REC plugged */
	const struct host_call_action *on_host_call;
	unsigned n_on_host_call;
	struct host_answer *answers; /* consumed in order before the policy */
	unsigned nanswers;
	const struct host_device *devices; /* emulated in every mode of the host */
	unsigned ndevices;
	bool trap_wfi, trap_wfe;           /* REC entries ask for WFI / WFE to exit */
	const struct host_inject *injects; /* in every mode of the host */
	unsigned ninjects;
	/* A data abort on the Unprotected half outside the devices: map a shared page there
	 * (false), or answer with a Synchronous External Abort (true), as a VMM does where no
	 * memory or device is. */
	bool unprotected_sea;
};

/* What the VMM read from a REC's run page after RMI_REC_ENTER. */
struct host_exit {
	uint64_t status; /* RMI_REC_ENTER's X0 */
	unsigned reason;
	uint64_t esr, far, hpfar;
	uint64_t gprs[31];
	uint64_t ripas_base, ripas_top, ripas_value;
	uint16_t imm;
	uint64_t cntv_ctl, cntp_ctl;   /* the REC's EL1 timers (ENABLE, IMASK, ISTATUS) */
	uint64_t lrs[RMM_MAX_GIC_LRS]; /* its List Registers as it left them (gic_lrs of them) */
	uint64_t cntv_cval, cntp_cval;
	bool emulated; /* the VMM emulated the access (a device), to be completed on entry */
	bool idle;     /* the REC waits in WFI with nothing that could wake it */
};

enum host_result {
	HOST_OK = 0,
	HOST_BUDGET,     /* the instruction budget ran out (a runaway guest) */
	HOST_FAULT_LOOP, /* a REC is stuck taking one exception forever (host_fault_loop) */
	HOST_UNEXPECTED, /* the machine did something the VMM cannot handle */
	HOST_ERROR,      /* emulator or set-up failure */
};

struct host;

/* RAM the host keeps for itself at least, below the firmware carve-outs: its stub, and the
 * granules it hands to the RMM (RDs, RECs, RTTs, run pages, the realm images). */
#define HOST_MIN_RAM (1ULL << 20)

/* The parameter of struct host_config that stops a machine from booting. */
enum host_config_fault {
	HOST_CONFIG_OK = 0,
	HOST_CONFIG_RAM,
	HOST_CONFIG_PA_BITS,
	HOST_CONFIG_GPT_PPS,
	HOST_CONFIG_GPT_L0GPTSZ,
	HOST_CONFIG_GPT_ROOT_SIZE,
	HOST_CONFIG_SECURE, /* a Secure-PAS range (its index in *range) */
	HOST_CONFIG_DEVICE, /* a device range (its index in *range) */
};

/*
 * Whether host_create can boot the machine `cfg` describes, checked layer by layer without
 * building anything: the PE's RAM and PA size (cpu_config_check), the GPT and its Root
 * carve-out at the top of RAM (gpt_config_check), the RMM's carve-out below it with
 * HOST_MIN_RAM left for the host, the PA size the RMM supports, and the platform's memory map
 * (monitor_config_check; the host's stub and HOST_MIN_RAM must not be Secure). Returns the
 * parameter at fault with why (and for a range, its index in *range), or HOST_CONFIG_OK.
 */
enum host_config_fault host_config_check(const struct host_config *cfg, unsigned *range, char *why,
					 size_t len);
/* The IPA widths a realm may have on that machine (what RMI_FEATURES reports). */
void host_ipa_bits_range(const struct host_config *cfg, unsigned *min, unsigned *max);

int host_create(const struct host_config *cfg, struct trace *t, struct host **out);
/* As host_create, on machine m (NULL: a new one) kept from an earlier run by host_release: it
 * is reset first (cpu_machine_reset), or replaced when cfg asks for another shape. m is the
 * host's from then on, whatever the result. */
int host_create_on(const struct host_config *cfg, struct trace *t, struct cpu_machine *m,
		   struct host **out);
void host_destroy(struct host *h);
/* Destroys everything but the machine, which it returns for host_create_on (NULL for NULL). */
struct cpu_machine *host_release(struct host *h);
/* Why the last call returned something other than HOST_OK (static or host-owned text). */
const char *host_error(const struct host *h);

/* Registers a realm; it is built by host_setup. Returns its index or -1. */
int host_add_realm(struct host *h, const struct host_realm_desc *desc);

/* One RMI call executed by the stub: regs[0] = FID, regs[1..] arguments; on return regs[0..7]
 * hold the results (X0..X7). */
enum host_result host_rmi(struct host *h, uint64_t regs[MONITOR_SMC_REGS]);

/* Explicit steps (docs/scenarios.md, "Host"). */
/* Builds the realm up to RMI_REALM_ACTIVATE; with `activate` false the realm stays NEW (the
 * host may still RMI_REC_CREATE, RMI_RTT_INIT_RIPAS, ... and activate it with an RMI call). */
enum host_result host_setup(struct host *h, unsigned realm, bool activate);
/* The next RMI_REC_ENTER of that REC asks for an SEA (REC_ENTER_FLAG_INJECT_SEA): the host's
 * answer to a data abort at an Unprotected IPA. */
void host_rec_inject_sea(struct host *h, unsigned realm, unsigned rec);
enum host_result host_rec_enter(struct host *h, unsigned realm, unsigned rec,
				struct host_exit *exit);
/* RMI_PSCI_COMPLETE(calling, target, status) in the arity of the configured spec (1.0-eac2
 * drops the status, 2.0 the target). Any addresses: a REC of another realm provokes `owner`,
 * a granule that is no REC `calling_state`, and so on. */
enum host_result host_psci_complete(struct host *h, uint64_t calling, uint64_t target,
				    uint64_t status, uint64_t *x0);
enum host_result host_write(struct host *h, uint64_t pa, uint64_t value);
enum host_result host_read(struct host *h, uint64_t pa, uint64_t *value);
void host_plug(struct host *h, unsigned realm, unsigned rec, bool plugged);
/*
 * An adversary (src/explore): where the automatic VMM decides, it may decide instead. Each
 * decision point offers `n` alternatives; the adversary returns one of them, HOST_CHOOSE_POLICY
 * for what the VMM would do itself, or HOST_CHOOSE_STOP to end the run there (no REC is entered
 * again). With an adversary the VMM also carries on where a plain run would fail: a REC exit
 * it cannot handle (after tampering, say) ends that realm (`host: {decision: give_up}`), and
 * teardown goes on past a call the RMM refuses.
 */
enum host_choice_kind {
	/* Which REC to enter next: one of those the VMM believes runnable, in its round-robin
	 * order from the one it would pick (alternative 0). Offered when there are two or more. */
	HOST_CHOICE_SCHEDULE,
	/* How to complete a PSCI_CPU_ON or PSCI_AFFINITY_INFO: host_psci_alternatives(). */
	HOST_CHOICE_PSCI,
	/* After an exit was handled: nothing (0), or one host action from host_tampering(). */
	HOST_CHOICE_TAMPER,
};

#define HOST_CHOICE_MAX 16

struct host_choice {
	enum host_choice_kind kind;
	unsigned realm, rec; /* the REC that exited (PSCI: the caller; SCHEDULE: the VMM's pick) */
	unsigned target;     /* PSCI: the target's REC index */
	uint64_t fid;        /* PSCI: the call */
	unsigned n;          /* alternatives, at least 1 */
	/* SCHEDULE: the REC each alternative enters (at most HOST_CHOICE_MAX are offered) */
	unsigned options[HOST_CHOICE_MAX];
};

#define HOST_CHOOSE_POLICY 0xffffffffU
#define HOST_CHOOSE_STOP   0xfffffffeU

typedef unsigned (*host_chooser_fn)(void *ctx, struct host *h, const struct host_choice *c);
void host_set_chooser(struct host *h, host_chooser_fn fn, void *ctx);
/* What decides the rest of a run at a decision point: the machine's memory and clock changed
 * since boot (cpu_machine_state_hash) and the VMM's own state (its beliefs, plugs, replies,
 * interrupts to come). Equal hashes: the same future, whatever led there. */
uint64_t host_state_hash(const struct host *h);

/* One way to complete a PSCI request: with `status` (ignored by 1.0-eac2's two-argument
 * RMI_PSCI_COMPLETE), naming another REC as the target first, or re-entering the caller first
 * (completing late). The last two then complete as the VMM's policy would. */
struct host_psci_alternative {
	uint64_t status;
	bool wrong_target, late;
	const char *name; /* "PSCI_DENIED", "wrong_target", "late" */
};
/* The alternatives the adversary is offered under `spec`: every PSCI status (only one under
 * 1.0-eac2, which has no status argument), then wrong_target and late. */
const struct host_psci_alternative *host_psci_alternatives(enum rmm_spec spec, unsigned *n);

/* A tampering action between exits, on the realm of the REC that exited: an RMI call on an
 * object in use or too early, or an access to protected memory from NS-EL2. */
enum host_tamper {
	HOST_TAMPER_NONE,
	HOST_TAMPER_UNDELEGATE_RD,   /* RMI_GRANULE_UNDELEGATE of the realm's RD */
	HOST_TAMPER_UNDELEGATE_REC,  /* ... of the REC's granule */
	HOST_TAMPER_UNDELEGATE_DATA, /* ... of its first data granule */
	HOST_TAMPER_DESTROY_REC,     /* RMI_REC_DESTROY of the next REC of the realm */
	HOST_TAMPER_DESTROY_REALM,   /* RMI_REALM_DESTROY while it has RECs */
	HOST_TAMPER_DESTROY_DATA,    /* RMI_DATA_DESTROY of its first data granule */
	HOST_TAMPER_DELEGATE_RUN,    /* RMI_GRANULE_DELEGATE of the REC's run page */
	HOST_TAMPER_WRITE_DATA,      /* a store at NS-EL2 to the first data granule */
	HOST_TAMPER_READ_REC,        /* a load at NS-EL2 from the REC's granule */
	HOST_TAMPERINGS
};
/* What HOST_TAMPER_WRITE_DATA stores. */
#define HOST_TAMPER_VALUE 0x5a5a5a5a5a5a5a5aULL
/* "undelegate_rd", ... (the `host` event's `decision` is "tamper_" and this). */
const char *host_tamper_name(enum host_tamper t);

/* The automatic VMM, until every realm has ended. */
enum host_result host_run(struct host *h);
enum host_result host_teardown(struct host *h);
/* Reports each realm's console line not yet ended by a newline (host_run and host_teardown do
 * it themselves; a run of explicit steps calls it at its end). */
void host_console_flush_all(struct host *h);

/* Addresses of the scenario's symbols (rd, recN, runN, dataN, auxN, rtt, delegated,
 * undelegated, outside, secure, device) for a realm; false if unknown (e.g. before setup, or
 * no such range on the platform). */
bool host_symbol(const struct host *h, unsigned realm, const char *sym, unsigned n, uint64_t *pa);
/* The scenario name of a granule the host manages ("rd", "rec1", "vm2.run0", "rtt",
 * "data3", ...), written into buf; NULL when `pa` has none. */
const char *host_name_of(const struct host *h, uint64_t pa, char *buf, size_t len);
/* Calls fn for every granule host_name_of would name. */
void host_each_name(const struct host *h, void (*fn)(void *ctx, uint64_t pa, const char *name),
		    void *ctx);
/* Instructions executed so far by both PEs. */
uint64_t host_insns(const struct host *h);
/* After HOST_FAULT_LOOP: the loop the RMM saw (its REC, PCs, syndromes) and the index of the
 * REC's realm. False otherwise. */
bool host_fault_loop(const struct host *h, struct rmm_fault_loop *loop, unsigned *realm);
/* The realm index whose RD is `rd` (once the VMM has chosen it, so during RMI_REALM_CREATE
 * too), or -1 (for event naming). */
int host_realm_of_rd(const struct host *h, uint64_t rd);

/* The machine, for the layers above (probes, trace sinks). */
struct cpu_machine *host_machine(struct host *h);

/* What a debugger lists (src/debug): the realms, their names and RECs, each REC's granule
 * once created (0 before), the RMM holding their contexts, and the VMID each realm gets. */
unsigned host_realm_count(const struct host *h);
const char *host_realm_name(const struct host *h, unsigned realm);
unsigned host_realm_recs(const struct host *h, unsigned realm);
uint64_t host_rec_granule(const struct host *h, unsigned realm, unsigned rec);
uint64_t host_realm_vmid(unsigned realm);
/* The realm that has VMID `vmid`, or -1. */
int host_realm_of_vmid(const struct host *h, uint64_t vmid);
struct rmm *host_rmm(struct host *h);
/* The run's event stream (as host_create got it). */
struct trace *host_trace(struct host *h);
/* Ends the run at the next REC entry or host call, as if its instruction budget ran out (a
 * debugger's kill). */
void host_halt(struct host *h);

#endif
