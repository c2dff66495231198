/* The kernel's address space: an identity map (virtual address = physical
 * address) of what the kernel may touch, with per-range permissions.
 *
 *   the image        text R+X, rodata R, data/bss R+W (never W+X)
 *   VTL2 RAM         R+W, no execute (the "direct map")
 *   guard pages      unmapped: one under every stack
 *   VTL0 and MMIO    mapped on demand with mmu_map()
 * Everything else is unmapped.  x86_64 turns on NX, WP, SMEP and SMAP;
 * aarch64 (stage 1 of non-VHE EL2) XN on everything but text and
 * SCTLR_EL2.WXN; PXN and PAN do not exist in that regime (arch/aarch64/mmu.c). */
#ifndef HILLOCK_MMU_H
#define HILLOCK_MMU_H

#include <stddef.h>
#include <stdint.h>

#include <hillock/boot.h>

#define MMU_READ 0x1u
#define MMU_WRITE 0x2u
#define MMU_EXEC 0x4u
#define MMU_DEVICE 0x8u /* uncached device memory */
#define MMU_USER 0x10u	/* reachable at user privilege (compartments) */

/* Map [pa, pa + size) at the same virtual address with flags; page-aligned.
 * Returns 0 or a negative errno.  Replaces any existing mapping.  Like
 * mmu_unmap(), safe on every CPU, but not with a spinlock held: it returns
 * only once no CPU can use the old translations, which may mean waiting
 * for the others. */
int mmu_map(uint64_t pa, uint64_t size, unsigned int flags);

/* Unmap [va, va + size); page-aligned. */
int mmu_unmap(uint64_t va, uint64_t size);

/* The flags va is mapped with, or -1 if unmapped (for tests and reports). */
int mmu_query(uint64_t va);

/* --- What the architecture provides (arch/<arch>/mmu.c) ------------------ */

/* Build the kernel tables (tables come from page_alloc(PAGE_USE_PAGE_TABLES)),
 * empty but for the devices the architecture's own code touches before any
 * device tree is read (aarch64: the PL011 console). */
int arch_mmu_init(void);
int arch_mmu_map(uint64_t va, uint64_t pa, uint64_t size, unsigned int flags);
int arch_mmu_unmap(uint64_t va, uint64_t size);
int arch_mmu_query(uint64_t va);
/* Switch this CPU to the kernel tables and turn on the protections. */
void arch_mmu_activate(void);
/* After arch_mmu_map()/arch_mmu_unmap() changed live tables, with no lock
 * held: return once no other online CPU can use a translation it cached
 * before the change (x86_64: an IPI to each; aarch64: nothing to do, the
 * TLBI ...IS of the change itself reached every CPU). */
void arch_tlb_shootdown(void);

/* For the mm tests: a device register of the machine Hillock runs on under
 * QEMU that no driver maps, and the value (under mask) it reads. */
struct mmu_test_register {
	uint64_t pa;
	uint32_t mask;
	uint32_t value;
};
extern const struct mmu_test_register arch_mmu_test_register;

/* --- Stacks ------------------------------------------------------------------ */

/* A stack of size bytes (a page multiple) with an unmapped guard page below
 * it; returns its top (the initial stack pointer), or 0. */
uint64_t stack_alloc(size_t size);

#endif
