/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SDK's vector table (cca_install_vectors): an IRQ taken at EL1 with SP_EL1 calls
 * cca_irq_handler() with the caller-saved registers kept, and returns; every other
 * exception ends the realm through cca_unexpected_exception(ESR, ELR, offset).
 */
	.macro	vec, label
	.balign	0x80
	b	\label
	.endm

	.macro	other, off
	.balign	0x80
	mov	x2, #\off
	b	unexpected
	.endm

	.text
	.balign	0x800
	.global	cca_vectors
cca_vectors:
	other	0x000
	other	0x080
	other	0x100
	other	0x180
	other	0x200		/* synchronous, current EL with SP_ELx */
	vec	irq_spx		/* IRQ, current EL with SP_ELx */
	other	0x300
	other	0x380
	.irp	off, 0x400, 0x480, 0x500, 0x580, 0x600, 0x680, 0x700, 0x780
	other	\off
	.endr

irq_spx:
	sub	sp, sp, #192
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x30, [sp, #144]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x0, x1, [sp, #160]
	bl	cca_irq_handler
	ldp	x0, x1, [sp, #160]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x30, [sp, #144]
	add	sp, sp, #192
	eret

unexpected:
	mrs	x0, esr_el1
	mrs	x1, elr_el1
	bl	cca_unexpected_exception
