/* aarch64 kernel page tables (hillock/mmu.h): stage 1 of the EL2
 * translation regime (non-VHE, HCR_EL2.E2H = 0), 4 KiB granule, identity
 * mapped.  TCR_EL2 stays as entry.S set it (T0SZ = 25: 39-bit addresses,
 * walks start at level 1; 40-bit physical addresses), and so does MAIR_EL2
 * (attribute 0 Device-nGnRnE, 1 Normal write-back).
 *
 * Every level is a 4 KiB table of 512 8-byte descriptors (Arm ARM D8.3):
 *
 *   level 1  va[38:30]   level 2  va[29:21]   level 3  va[20:12]
 *
 *   bits 1:0   0b11 table (levels 1-2) or page (level 3); 0b00 invalid
 *   bits 4:2   AttrIndx, the MAIR_EL2 attribute
 *   bits 7:6   AP: bit 7 read-only; bit 6 is RES1 in a regime with one
 *              exception level (there is no EL0 here)
 *   bits 9:8   SH, inner shareable for Normal memory
 *   bit 10     AF, preset so the CPU never faults to set it
 *   bits 47:12 output address
 *   bit 54     XN; PXN (bit 53) is RES0 in this regime
 *
 * Only 4 KiB pages, no blocks.  Changing a block's size while it is live
 * needs break-before-make: an invalid window during which nothing in the
 * block may be touched, which the page tables inside the direct map and
 * other CPUs' data cannot promise.  4 KiB pages cost one table per 2 MiB
 * (0.2% of what is mapped) and never need splitting.  A live page that
 * changes is broken first (invalid, TLBI, then the new descriptor).
 *
 * PAN does not exist in this regime (it guards EL1/EL2&0 against EL0
 * pages; non-VHE EL2 has no EL0 mappings), and neither does MMU_USER:
 * user code runs in the EL1&0 regime, with tables of its own (user.c).  SCTLR_EL2.WXN makes every
 * writable page execute-never in hardware, on top of mmu_map()'s own
 * refusal of W+X.
 *
 * The walker below (arch/page_table.h) also builds the EL1&0 tables of
 * user address spaces (user.c), which have the same format. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <arch/page_table.h>
#include <arch/sysreg.h>
#include <hillock/mmu.h>
#include <hillock/page.h>

#define DESC_AP_RES1 DESC_AP_EL0 /* RES1 at EL2 */

#define LEVELS 3
#define ENTRIES 512
#define VA_LIMIT (1ull << 39)
#define SCTLR_WXN (1ull << 19)

/* The console arch_start() sets up (QEMU virt's PL011). */
#define CONSOLE_UART_BASE 0x09000000

/* A memory-mapped register QEMU's virt machine has and no driver uses:
 * the PL031 real-time clock's PeriphID0, 0x31. */
const struct mmu_test_register arch_mmu_test_register = {0x09010fe0, 0xff, 0x31};

static uint64_t *l1_table;

static unsigned int level_shift(int level)
{
	return PAGE_SHIFT + 9 * (unsigned int)(LEVELS - level);
}

uint64_t *stage1_table_alloc(void)
{
	uint64_t pa = page_alloc(1, 1, PAGE_USE_PAGE_TABLES);

	if (pa != 0) {
		memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
	}
	return (uint64_t *)(uintptr_t)pa;
}

/* Invalidate va's translation in regime on every CPU of the
 * inner-shareable domain (EL1&0: for every ASID). */
static void tlb_flush_page(enum stage1_regime regime, uint64_t va)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	if (regime == STAGE1_EL2) {
		__asm__ volatile("tlbi vae2is, %0" : : "r"(va >> PAGE_SHIFT) : "memory");
	} else {
		__asm__ volatile("tlbi vaae1is, %0" : : "r"(va >> PAGE_SHIFT) : "memory");
	}
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

static uint64_t page_bits(unsigned int flags)
{
	uint64_t bits = DESC_TABLE | PTE_AF | DESC_AP_RES1;

	bits |= flags & MMU_WRITE ? 0 : DESC_AP_RO;
	if (flags & MMU_DEVICE) {
		/* Never execute from a device. */
		bits |= PTE_ATTR(MAIR_DEVICE_IDX) | DESC_XN;
	} else {
		bits |= PTE_ATTR(MAIR_NORMAL_IDX) | PTE_SH_INNER;
	}
	bits |= flags & MMU_EXEC ? 0 : DESC_XN;
	return bits;
}

/* The level-3 descriptor for va; with create, tables are made on the way.
 * NULL when a table is missing (or out of memory). */
static uint64_t *entry_get(uint64_t *root, uint64_t va, bool create)
{
	uint64_t *table = root;

	for (int l = 1; l < LEVELS; l++) {
		uint64_t *e = &table[(va >> level_shift(l)) & (ENTRIES - 1)];

		if ((*e & DESC_TABLE) != DESC_TABLE) {
			uint64_t *next = create ? stage1_table_alloc() : NULL;

			if (!next) {
				return NULL;
			}
			*e = (uint64_t)(uintptr_t)next | DESC_TABLE;
		}
		table = (uint64_t *)(uintptr_t)(*e & DESC_ADDR);
	}
	return &table[(va >> level_shift(LEVELS)) & (ENTRIES - 1)];
}

static int range_check(uint64_t va, uint64_t size)
{
	if (!l1_table) {
		return -EINVAL;
	}
	return va < VA_LIMIT && size <= VA_LIMIT - va ? 0 : -ERANGE;
}

int stage1_map(uint64_t *root, enum stage1_regime regime, uint64_t va, uint64_t pa, uint64_t size,
	       uint64_t desc)
{
	for (; size > 0; va += PAGE_SIZE, pa += PAGE_SIZE, size -= PAGE_SIZE) {
		uint64_t *e = entry_get(root, va, true);

		if (!e) {
			return -ENOMEM;
		}
		if (*e & DESC_VALID) {
			/* Break before make. */
			*e = 0;
			tlb_flush_page(regime, va);
		}
		*e = (pa & DESC_ADDR) | desc;
	}
	/* New descriptors visible to the table walker before any use. */
	__asm__ volatile("dsb ishst\n\tisb" ::: "memory");
	return 0;
}

/* Levels 1 and 2 hold tables only (no blocks), level 3 pages. */
static void table_free(uint64_t *table, int level)
{
	if (level < LEVELS) {
		for (int i = 0; i < ENTRIES; i++) {
			if ((table[i] & DESC_TABLE) == DESC_TABLE) {
				table_free((uint64_t *)(uintptr_t)(table[i] & DESC_ADDR), level + 1);
			}
		}
	}
	page_free((uint64_t)(uintptr_t)table, 1, PAGE_USE_PAGE_TABLES);
}

void stage1_free(uint64_t *root)
{
	table_free(root, 1);
}

int arch_mmu_init(void)
{
	l1_table = stage1_table_alloc();
	if (!l1_table) {
		return -ENOMEM;
	}
	return arch_mmu_map(CONSOLE_UART_BASE, CONSOLE_UART_BASE, PAGE_SIZE,
			    MMU_READ | MMU_WRITE | MMU_DEVICE);
}

int arch_mmu_map(uint64_t va, uint64_t pa, uint64_t size, unsigned int flags)
{
	uint64_t bits = page_bits(flags);
	int rc = range_check(va, size);

	if (rc != 0) {
		return rc;
	}
	if (flags & MMU_USER) {
		return -EOPNOTSUPP;
	}
	return stage1_map(l1_table, STAGE1_EL2, va, pa, size, bits);
}

int arch_mmu_unmap(uint64_t va, uint64_t size)
{
	int rc = range_check(va, size);

	if (rc != 0) {
		return rc;
	}
	for (; size > 0; va += PAGE_SIZE, size -= PAGE_SIZE) {
		uint64_t *e = entry_get(l1_table, va, false);

		if (e && (*e & DESC_VALID)) {
			*e = 0;
			tlb_flush_page(STAGE1_EL2, va);
		}
	}
	return 0;
}

void arch_tlb_shootdown(void)
{
}

int arch_mmu_query(uint64_t va)
{
	uint64_t *e;

	if (range_check(va, PAGE_SIZE) != 0) {
		return -1;
	}
	e = entry_get(l1_table, va, false);
	if (!e || !(*e & DESC_VALID)) {
		return -1;
	}
	return (int)(MMU_READ | (*e & DESC_AP_RO ? 0 : MMU_WRITE) | (*e & DESC_XN ? 0 : MMU_EXEC) |
		     ((*e & DESC_ATTR_MASK) == PTE_ATTR(MAIR_DEVICE_IDX) ? MMU_DEVICE : 0));
}

/* Both the boot map and these tables map the running code at the same
 * addresses, so TTBR0_EL2 can change with the MMU on. */
void arch_mmu_activate(void)
{
	uint64_t sctlr;

	__asm__ volatile("dsb ishst\n\t"
			 "msr ttbr0_el2, %0\n\t"
			 "isb\n\t"
			 "tlbi alle2\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 : "r"((uint64_t)(uintptr_t)l1_table)
			 : "memory");
	__asm__ volatile("mrs %0, sctlr_el2" : "=r"(sctlr));
	/* WXN may be cached in TLB entries: invalidate after setting it. */
	__asm__ volatile("msr sctlr_el2, %0\n\t"
			 "isb\n\t"
			 "tlbi alle2\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 : "r"(sctlr | SCTLR_WXN)
			 : "memory");
}
