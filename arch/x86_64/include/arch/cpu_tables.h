/* One x86_64 CPU's descriptor tables (arch/x86_64/exceptions.c): its GDT
 * and its TSS.  Every CPU needs a TSS of its own: LTR marks the TSS it
 * loads busy, and the TSS holds that CPU's interrupt stacks (the stack
 * #DF and NMI switch to comes with the tables).  The IDT is one table that
 * all CPUs load. */
#ifndef ARCH_CPU_TABLES_H
#define ARCH_CPU_TABLES_H

#include <stdint.h>

/* 64-bit TSS (SDM Vol. 3 §8.7). */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_tss) == 104, "64-bit TSS is 104 bytes");

#define X86_IST_STACK_SIZE 8192

/* Flat segment descriptors (SDM Vol. 3 §3.4.5): 64-bit code (L) and data,
 * base 0, limit 4 GiB, DPL 0.  The same with DPL 3 for user code. */
#define X86_DESC_KERNEL_CODE 0x00af9a000000ffffull
#define X86_DESC_KERNEL_DATA 0x00cf92000000ffffull
#define X86_DESC_USER_CODE 0x00affa000000ffffull
#define X86_DESC_USER_DATA 0x00cff2000000ffffull
/* Type bit 1 of a TSS descriptor: busy (0xb) rather than available (0x9).
 * LTR sets it, and faults on a descriptor that has it. */
#define X86_DESC_TSS_BUSY (1ull << 41)

struct x86_cpu_tables {
	/* null, 0x08 kernel code, 0x10 data, 0x18 the TSS (two slots) */
	uint64_t gdt[5];
	struct x86_tss tss;
};

/* Fill two GDT slots with a descriptor of tss, available. */
void x86_gdt_set_tss(uint64_t slot[2], const struct x86_tss *tss);

/* Load t's GDT and TSS (filled in here, with ist_top as the #DF and NMI
 * stack) and the shared IDT on this CPU.  The boot CPU's
 * x86_exceptions_init() calls it with static tables; an AP calls it with
 * its own, once its TLS is active. */
void x86_exceptions_init_cpu(struct x86_cpu_tables *t, uint64_t ist_top);

#endif
