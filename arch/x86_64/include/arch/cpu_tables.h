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

struct x86_cpu_tables {
	/* null, 0x08 kernel code, 0x10 data, 0x18 the TSS (two slots) */
	uint64_t gdt[5];
	struct x86_tss tss;
};

/* Load t's GDT and TSS (filled in here, with ist_top as the #DF and NMI
 * stack) and the shared IDT on this CPU.  The boot CPU's
 * x86_exceptions_init() calls it with static tables; an AP calls it with
 * its own, once its TLS is active. */
void x86_exceptions_init_cpu(struct x86_cpu_tables *t, uint64_t ist_top);

#endif
