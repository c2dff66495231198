/* x86_64 architectural constants: control registers, MSRs, page-table
 * bits, the boot GDT's selectors.  Usable from C and assembly. */
#ifndef ARCH_X86_H
#define ARCH_X86_H

#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_NE		(1 << 5)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)

#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)
#define CR4_OSXMMEXCPT	(1 << 10)
#define CR4_UMIP	(1 << 11)
#define CR4_FSGSBASE	(1 << 16)
#define CR4_OSXSAVE	(1 << 18)
#define CR4_SMEP	(1 << 20)
#define CR4_SMAP	(1 << 21)
#define CR4_PKE		(1 << 22)

/* CPUID leaf 7, subleaf 0. */
#define CPUID7_EBX_SMEP	(1 << 7)
#define CPUID7_EBX_SMAP	(1 << 20)
#define CPUID7_ECX_UMIP	(1 << 2)

#define MSR_EFER	0xc0000080
#define EFER_SCE	(1 << 0)
#define EFER_LME	(1 << 8)
#define EFER_LMA	(1 << 10)
#define EFER_NXE	(1 << 11)
#define EFER_FFXSR	(1 << 14)
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101

/* Page-table entry bits (all levels). */
#define PTE_P		(1 << 0)
#define PTE_RW		(1 << 1)
#define PTE_PWT		(1 << 3)
#define PTE_PCD		(1 << 4)
#define PTE_PS		(1 << 7)

/* Page-fault error code (SDM Vol. 3 §4.7). */
#define PF_ERR_PRESENT	(1 << 0)	/* a protection violation, not a missing page */
#define PF_ERR_WRITE	(1 << 1)
#define PF_ERR_USER	(1 << 2)
#define PF_ERR_FETCH	(1 << 4)	/* an instruction fetch */

#define GDT_KERNEL_CS	0x08
#define GDT_KERNEL_DS	0x10

/* The user gate's GDT (arch/x86_64/user.c): Hillock's code and data at the
 * selectors above, then user data and user code (DPL 3, used with RPL 3)
 * and the gate's TSS. */
#define GATE_GDT_USER_DS	0x18
#define GATE_GDT_USER_CS	0x20
#define GATE_GDT_TSS		0x28
#define GATE_GDT_SLOTS		7	/* the TSS descriptor takes two */

#ifndef __ASSEMBLY__
#include <stdint.h>

/* TLB shootdown (arch/x86_64/mmu.c starts one, arch/x86_64/cpu.c answers):
 * after changing the page tables a CPU bumps x86_tlb_generation and
 * interrupts the other online CPUs; each answers by flushing its TLB and
 * raising its x86_tlb_flushed[] entry to the generation it saw. */
extern uint64_t x86_tlb_generation;
extern uint64_t x86_tlb_flushed[];
/* Flush this CPU's TLB if a shootdown it has not answered is pending. */
void x86_tlb_answer(void);
#endif

#endif
