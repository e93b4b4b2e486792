/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The realm's first instructions. A REC starts at R-EL1 with the MMU and caches off, DAIF
 * masked, SP 0 (docs/realm-sdk.md): _start is REC 0's entry (the scenario's `entry:`),
 * cca_secondary_entry the one a CPU_ON names. Each REC takes the stack of its index: the
 * stacks are in .bss, so they are Protected RAM of the image.
 */
	.equ	STACK_SIZE, 4096
	.equ	MAX_RECS, 8

	.section .text.boot, "ax"
	.global	_start
_start:
	bl	rec_stack
	ldr	x0, =__bss_start
	ldr	x1, =__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	bl	cca_start_main		/* does not return */

	.global	cca_secondary_entry
cca_secondary_entry:
	mov	x19, x0			/* context_id */
	bl	rec_stack
	mov	x1, x19
	bl	cca_start_secondary	/* does not return */

/* SP = the top of this REC's stack (x0 = its index); clobbers x0-x2. */
rec_stack:
	mrs	x0, mpidr_el1
	and	x1, x0, #0xf		/* Aff0[3:0] */
	ubfx	x2, x0, #8, #8		/* Aff1: 16 RECs per cluster */
	add	x0, x1, x2, lsl #4
	cmp	x0, #MAX_RECS
	b.hs	3f
	ldr	x1, =__stacks_end
	mov	x2, #STACK_SIZE
	msub	x1, x0, x2, x1
	mov	sp, x1
	ret
3:	b	3b			/* more RECs than stacks: stop here */

	.section .bss.stacks, "aw", %nobits
	.balign	16
	.global	__stacks
__stacks:
	.space	STACK_SIZE * MAX_RECS
	.global	__stacks_end
__stacks_end:
