/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SDK's second example: a realm that sets up its own stage-1 translation (an identity
 * map: its image as Normal memory, the Unprotected device page as Device memory) and its own
 * vector table, turns the MMU on, then takes and handles exceptions of its own: an SVC, and a
 * data abort at an address it left unmapped, from which the handler skips the load.
 */
#include "cca_realm.h"

/* 4K granule, 39-bit VA (T0SZ 25): level 1 covers 1G per entry, level 2 2M, level 3 4K. */
#define PAGE        4096ULL
#define DESC_TABLE  3ULL
#define DESC_PAGE   3ULL
#define DESC_BLOCK  1ULL
#define DESC_AF     (1ULL << 10)
#define DESC_ISH    (3ULL << 8)
#define ATTR_NORMAL (0ULL << 2) /* MAIR index 0: Normal write-back */
#define ATTR_DEVICE (1ULL << 2) /* MAIR index 1: Device-nGnRE */
#define UNMAPPED_VA 0x40000000ULL /* level 1 entry 1: invalid */

static uint64_t l1[512] __attribute__((aligned(PAGE)));
static uint64_t l2_low[512] __attribute__((aligned(PAGE)));
static uint64_t l2_dev[512] __attribute__((aligned(PAGE)));

static volatile unsigned svcs, aborts;
static volatile uint64_t abort_far, abort_esr;

extern char vectors[];

/* Called from the vector table with the exception's syndrome; returns where to go on. */
uint64_t sync_handler(uint64_t esr, uint64_t far, uint64_t elr);
uint64_t sync_handler(uint64_t esr, uint64_t far, uint64_t elr)
{
	unsigned ec = (unsigned)(esr >> 26);
	if (ec == 0x15) { /* SVC from AArch64: ELR is already past it */
		svcs++;
		return elr;
	}
	if (ec == 0x25) { /* data abort at the current EL: skip the load */
		aborts++;
		abort_far = far;
		abort_esr = esr;
		return elr + 4;
	}
	cca_printf("unexpected exception, ESR 0x%llx at 0x%llx\n", (unsigned long long)esr,
		   (unsigned long long)elr);
	cca_exit(2);
}

static void mmu_on(void)
{
	uint64_t dev = cca_unprotected_base() + CCA_PL011_OFFSET;
	/* The image's first 2M as Normal memory, and the device's 2M block as Device. */
	l2_low[0] = 0 | DESC_BLOCK | DESC_AF | DESC_ISH | ATTR_NORMAL;
	l2_dev[(dev >> 21) & 511] = (dev & ~((2ULL << 20) - 1)) | DESC_BLOCK | DESC_AF | ATTR_DEVICE;
	l1[0] = (uint64_t)(uintptr_t)l2_low | DESC_TABLE;
	l1[(dev >> 30) & 511] = (uint64_t)(uintptr_t)l2_dev | DESC_TABLE;

	uint64_t mair = 0xffULL | (0x04ULL << 8);          /* Normal WB, Device-nGnRE */
	uint64_t tcr = 25ULL | (1ULL << 8) | (1ULL << 10) /* IRGN0/ORGN0 WB */
		       | (3ULL << 12) | (1ULL << 23)      /* SH0 inner, EPD1: no TTBR1 walks */
		       | (2ULL << 32);                    /* IPS: 40 bits */
	__asm__ volatile("msr mair_el1, %0\n"
			 "msr tcr_el1, %1\n"
			 "msr ttbr0_el1, %2\n"
			 "msr vbar_el1, %3\n"
			 "isb\n"
			 "mrs x0, sctlr_el1\n"
			 "orr x0, x0, #1\n"         /* M */
			 "orr x0, x0, #(1 << 2)\n"  /* C */
			 "orr x0, x0, #(1 << 12)\n" /* I */
			 "msr sctlr_el1, x0\n"
			 "isb\n"
			 :
			 : "r"(mair), "r"(tcr), "r"((uint64_t)(uintptr_t)l1),
			   "r"((uint64_t)(uintptr_t)vectors)
			 : "x0", "memory");
}

int main(void)
{
	mmu_on();
	uint64_t sctlr;
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	cca_printf("MMU on: SCTLR_EL1.M = %u\n", (unsigned)(sctlr & 1));
	__asm__ volatile("svc #0x42" ::: "memory");
	__asm__ volatile("svc #0x43" ::: "memory");
	cca_printf("SVCs handled: %u\n", svcs);
	uint64_t v = 0x1111;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(UNMAPPED_VA) : "memory");
	cca_printf("aborts handled: %u, FAR 0x%llx, DFSC 0x%llx\n", aborts,
		   (unsigned long long)abort_far, (unsigned long long)(abort_esr & 0x3f));
	return svcs == 2 && aborts == 1 && abort_far == UNMAPPED_VA && v == 0x1111 ? 0 : 1;
}
