/* SPDX-License-Identifier: GPL-2.0-or-later */
// A small realm image for test_realm_elf_asm, assembled and linked by binutils at build time.
// The test compares these words with what the built-in encoder produces for the same
// instructions, and checks that the loader places .text, .data and .bss where the linker
// script (hello_realm.ld) says.

	.text
	.globl	_start
_start:
	// PSCI_SYSTEM_OFF
	movz	x0, #0x8
	movk	x0, #0x8400, lsl #16
	smc	#0
1:	wfi
	b	1b

	.globl	encoder_check
	.balign	4
encoder_check:
	movn	x0, #2
	add	x1, x2, #16
	sub	sp, sp, #1, lsl #12
	cmp	x0, #3
	adr	x2, encoder_check
	adrp	x3, encoder_check
	ldr	x0, [x16]
	str	x17, [x16, #8]
	ldr	x4, [x5, x6]
	stp	x29, x30, [sp, #-16]!
	ldp	x29, x30, [sp], #16
	b.ne	encoder_check
	cbz	x1, encoder_check
	cbnz	x2, encoder_check
	bl	encoder_check
	br	x16
	ret
	nop
	hvc	#0
	svc	#1
	brk	#2
	mrs	x0, mpidr_el1
	mrs	x1, currentel
	msr	tpidr_el1, x5
	isb
	dsb	sy

	.data
	.globl	magic
magic:
	.quad	0x1122334455667788

	.bss
	.globl	zeros
zeros:
	.space	64
