/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The devices the VMM emulates for a realm (docs/scenarios.md, "Devices"): a PrimeCell PL011
 * UART, enough for a polling driver and for a driver that probes the PrimeCell ID registers,
 * and a test device whose write ends the realm. Each sits in one granule of the Unprotected
 * IPA space, which the VMM never maps: every access is an emulatable data abort the RMM
 * reports in a REC exit (ISV = 1: the access size and register in the ESR, a store's value in
 * exit.gprs[0]); the VMM performs it here and completes it on the next REC entry with
 * REC_ENTER_FLAG_EMUL_MMIO, a load's value in enter.gprs[0], so the RMM writes the register
 * and steps the realm past the instruction [S:A4.4].
 */
#include "host_private.h"

#include "abi/abi.h"
#include "arch/arch.h"

#include <stdlib.h>
#include <string.h>

/* PL011 registers (offsets in the device's granule) and the flag register's bits. */
#define PL011_DR      0x000U
#define PL011_RSR     0x004U
#define PL011_FR      0x018U
#define PL011_FR_RXFE ARCH_BIT(4) /* receive FIFO empty: nothing to read, ever */
#define PL011_FR_TXFE ARCH_BIT(7) /* transmit FIFO empty: every byte is sent at once */
#define PL011_CTRL_LO 0x020U      /* ILPR ... DMACR: read back what was written */
#define PL011_CTRL_HI 0x048U
#define PL011_ID      0xFE0U /* UARTPeriphID0-3, UARTPCellID0-3: one byte per word */

/* UARTPeriphID0..3 (part 0x011, designer 0x41 Arm, revision r1p5) and the PrimeCell IDs. */
static const uint8_t pl011_id[8] = {0x11, 0x10, 0x34, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

void host_devices_init(struct host_realm *r)
{
	for (unsigned i = 0; i < r->desc.ndevices && i < HOST_MAX_DEVICES; i++) {
		const struct host_device *d = &r->desc.devices[i];
		memset(&r->dev[i], 0, sizeof(r->dev[i]));
		r->dev[i].ipa = d->ipa ? d->ipa : host_device_default_ipa(d->kind, r->ipa_bits);
	}
}

/* A `console` event: a line one REC wrote. */
static void console_line(struct host *h, unsigned realm, unsigned idx)
{
	struct host_realm *r = &h->realms[realm];
	struct host_rec *rec = &r->recs[idx];
	rec->console[rec->console_len] = '\0';
	struct trace_event *ev = trace_begin(h->t, TE_console);
	trace_int(ev, "rec", (int64_t)idx);
	trace_str(ev, "text", rec->console);
	trace_realm(h->t, ev, r->rd);
	trace_end(h->t, ev);
	rec->console_len = 0;
}

void host_console_flush(struct host *h, unsigned realm)
{
	struct host_realm *r = &h->realms[realm];
	for (unsigned i = 0; r->recs && i < r->desc.nrecs; i++) {
		if (r->recs[i].console_len) {
			console_line(h, realm, i);
		}
	}
}

void host_console_flush_all(struct host *h)
{
	for (unsigned i = 0; i < h->nrealms; i++) {
		host_console_flush(h, i);
	}
}

/* A byte written to UARTDR: each REC's text is assembled into lines of its own, as a VMM
 * prefixes a vCPU's output, so that RECs printing at once do not shred each other's lines
 * (a carriage return is dropped). */
static void console_put(struct host *h, unsigned realm, unsigned idx, uint8_t c)
{
	struct host_rec *rec = &h->realms[realm].recs[idx];
	if (!rec->console && !(rec->console = calloc(1, HOST_CONSOLE_LINE))) {
		return; /* out of memory: the text is lost, the realm runs on */
	}
	if (c == '\n') {
		console_line(h, realm, idx);
	} else if (c != '\r') {
		rec->console[rec->console_len++] = (char)c;
		if (rec->console_len == HOST_CONSOLE_LINE - 1) {
			console_line(h, realm, idx);
		}
	}
}

static uint64_t pl011_read(const struct host_device_state *d, uint64_t off)
{
	if (off == PL011_FR) {
		return PL011_FR_TXFE | PL011_FR_RXFE;
	}
	if (off >= PL011_CTRL_LO && off <= PL011_CTRL_HI) {
		return d->regs[(off - PL011_CTRL_LO) / 4];
	}
	if (off >= PL011_ID && off < PL011_ID + 4 * sizeof(pl011_id)) {
		return pl011_id[(off - PL011_ID) / 4];
	}
	return 0; /* UARTDR with nothing received, UARTRSR without errors, reserved */
}

static void pl011_write(struct host *h, unsigned realm, unsigned idx, struct host_device_state *d,
			uint64_t off, uint64_t v)
{
	if (off == PL011_DR) {
		console_put(h, realm, idx, (uint8_t)v);
	} else if (off >= PL011_CTRL_LO && off <= PL011_CTRL_HI) {
		d->regs[(off - PL011_CTRL_LO) / 4] = (uint32_t)v;
	}
	/* UARTRSR/ECR (a write clears errors there are none of) and reserved: ignored */
}

static void exit_write(struct host *h, unsigned realm, unsigned idx, uint64_t v)
{
	struct host_realm *r = &h->realms[realm];
	host_console_flush(h, realm);
	r->exited = true;
	r->exit_status = v;
	r->ended = true;
	struct trace_event *ev = trace_begin(h->t, TE_guest_exit);
	trace_int(ev, "rec", (int64_t)idx);
	trace_int(ev, "status", (int64_t)v);
	trace_realm(h->t, ev, r->rd);
	trace_end(h->t, ev);
}

bool host_device_access(struct host *h, unsigned realm, unsigned idx, const struct host_exit *e)
{
	struct host_realm *r = &h->realms[realm];
	if (e->reason != RMI_EXIT_SYNC || !(e->esr & ESR_DABT_ISV) ||
	    ESR_EC(e->esr) != ESR_EC_DABT_LOW) {
		return false;
	}
	uint64_t ipa = ((e->hpfar >> 4) << GRANULE_SHIFT) | (e->far & GRANULE_MASK);
	for (unsigned i = 0; i < r->desc.ndevices && i < HOST_MAX_DEVICES; i++) {
		struct host_device_state *d = &r->dev[i];
		if (ipa < d->ipa || ipa - d->ipa >= GRANULE_SIZE) {
			continue;
		}
		uint64_t off = ipa - d->ipa, value = 0;
		bool write = (e->esr & ESR_DABT_WNR) != 0;
		if (r->desc.devices[i].kind == HOST_DEVICE_PL011) {
			if (write) {
				pl011_write(h, realm, idx, d, off, e->gprs[0]);
			} else {
				value = pl011_read(d, off);
			}
		} else if (write && off == 0) {
			exit_write(h, realm, idx, e->gprs[0]);
		}
		r->recs[idx].mmio_reply = true;
		r->recs[idx].mmio_value = value;
		return true;
	}
	return false;
}
