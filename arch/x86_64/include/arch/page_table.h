/* x86_64 4-level page tables other than Hillock's own: one walker
 * (arch/x86_64/mmu.c, where the entry format is spelled out) builds both
 * Hillock's tables and those of the user address spaces
 * (arch/x86_64/user.c). */
#ifndef ARCH_PAGE_TABLE_H
#define ARCH_PAGE_TABLE_H

#include <stdint.h>

/* A zeroed PML4 from page_alloc(PAGE_USE_PAGE_TABLES), or NULL. */
uint64_t *x86_tables_alloc(void);

/* Map [va, va + size) to [pa, pa + size) in the tables under root, like
 * arch_mmu_map() (flags of hillock/mmu.h; MMU_USER makes the leaves
 * user-accessible), creating tables on the way; page-aligned.  0, -ERANGE
 * or -ENOMEM.  Nothing is flushed for root: it must not be live on any
 * CPU, or be reloaded into CR3 before it is used again. */
int x86_tables_map(uint64_t *root, uint64_t va, uint64_t pa, uint64_t size, unsigned int flags);

/* Free root and every table under it (not the pages they map). */
void x86_tables_free(uint64_t *root);

#endif
