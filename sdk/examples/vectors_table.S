/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The vector table of examples/vectors.c: synchronous exceptions from the current EL with
 * SP_ELx go to sync_handler (ESR, FAR, ELR), which returns where to resume; every other entry
 * ends the realm with exit status 3. */
	.macro	entry, label
	.balign	0x80
	b	\label
	.endm

	.text
	.balign	0x800
	.global	vectors
vectors:
	entry	unexpected	/* current EL, SP_EL0 */
	entry	unexpected
	entry	unexpected
	entry	unexpected
	entry	sync_spx	/* current EL, SP_ELx: synchronous */
	entry	unexpected
	entry	unexpected
	entry	unexpected
	.rept	8
	entry	unexpected	/* lower ELs */
	.endr

sync_spx:
	sub	sp, sp, #256
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
	mrs	x0, esr_el1
	mrs	x1, far_el1
	mrs	x2, elr_el1
	bl	sync_handler
	msr	elr_el1, x0
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
	add	sp, sp, #256
	eret

unexpected:
	mov	x0, #3
	bl	cca_exit
