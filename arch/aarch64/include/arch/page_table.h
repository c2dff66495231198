/* aarch64 stage-1 translation tables: 4 KiB granule, 39-bit addresses,
 * three levels (T0SZ = 25).  One walker (mmu.c) serves two regimes:
 * Hillock's own EL2 tables (mmu.c) and the EL1&0 tables of user address
 * spaces (user.c).  The descriptor format is spelled out in mmu.c; the
 * regimes differ in the access bits:
 *
 *   bit 6    AP[1]: EL2, RES1; EL1&0, EL0 may access
 *   bit 7    AP[2]: read-only, in both
 *   bit 53   EL2, RES0; EL1&0, PXN (EL1 may not execute)
 *   bit 54   EL2, XN; EL1&0, UXN (EL0 may not execute) */
#ifndef ARCH_PAGE_TABLE_H
#define ARCH_PAGE_TABLE_H

#include <stdint.h>

#define DESC_VALID 0x1ull
#define DESC_TABLE 0x3ull /* also "page" at level 3 */
#define DESC_AP_EL0 (1ull << 6)
#define DESC_AP_RO (1ull << 7)
#define DESC_ATTR_MASK (7ull << 2)
#define DESC_ADDR 0x0000fffffffff000ull
#define DESC_PXN (1ull << 53)
#define DESC_XN (1ull << 54)
#define DESC_UXN DESC_XN

/* The regime a table serves: which TLB entries a changed descriptor
 * invalidates. */
enum stage1_regime {
	STAGE1_EL2,
	STAGE1_EL10,
};

/* A zeroed table page from page_alloc(PAGE_USE_PAGE_TABLES), or NULL. */
uint64_t *stage1_table_alloc(void);

/* Map [va, va + size) to [pa, pa + size) in the tables under root with the
 * level-3 descriptor bits desc (all but the output address), creating
 * tables on the way; page-aligned, range already checked.  A valid
 * descriptor is replaced break-before-make.  0 or -ENOMEM. */
int stage1_map(uint64_t *root, enum stage1_regime regime, uint64_t va, uint64_t pa, uint64_t size,
	       uint64_t desc);

/* Free root and every table under it (not the pages they map).  No CPU
 * may walk them any more: the caller has invalidated the TLBs. */
void stage1_free(uint64_t *root);

#endif
