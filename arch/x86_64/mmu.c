/* x86_64 kernel page tables (hillock/mmu.h): 4-level paging, 48-bit
 * virtual addresses (Hillock uses the lower half), identity mapped.
 *
 * Every level is a 4 KiB table of 512 8-byte entries (SDM Vol. 3 §4.5):
 *
 *   level 4 PML4  va[47:39]     level 2 PD  va[29:21]  (PS: a 2 MiB page)
 *   level 3 PDPT  va[38:30]     level 1 PT  va[20:12]  (a 4 KiB page)
 *
 *   bit  0 P present        bit 5 A accessed       bits 12-51 address
 *   bit  1 RW writable      bit 6 D dirty          bit 63 NX no execute
 *   bit  2 US user          bit 7 PS large page (PD)
 *   bit  3 PWT, bit 4 PCD   with the power-on PAT: both set = uncached
 *
 * Access is the intersection over the levels, so tables are entered as
 * P|RW|US and the leaf alone decides.  Ranges aligned to 2 MiB get 2 MiB
 * pages; a 2 MiB page is split into a table of 4 KiB pages with the same
 * attributes when part of it changes (the split installs identical
 * translations, so it needs no break: an INVLPG afterwards is enough).
 * A and D are preset so the CPU never writes them back.
 *
 * The same walker builds the tables of user address spaces
 * (arch/page_table.h, arch/x86_64/user.c), whose leaves have US set. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arch/io.h>
#include <arch/page_table.h>
#include <arch/x86.h>
#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/init.h>
#include <hillock/irq.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/panic.h>
#include <hillock/spinlock.h>

#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_NX (1ull << 63)
#define PTE_ADDR_4K 0x000ffffffffff000ull
#define PTE_ADDR_2M 0x000fffffffe00000ull
#define PTE_TABLE (PTE_P | PTE_RW | PTE_US)

#define LEVELS 4
#define ENTRIES 512
#define LARGE_SIZE (1ull << 21)
#define VA_LIMIT (1ull << 47)
/* Beyond this many pages changed in one call, reload CR3 instead of INVLPG. */
#define INVLPG_MAX 64

/* Far longer than any CPU keeps interrupts off without spinning (spin
 * loops answer shootdowns in arch_cpu_relax()). */
#define SHOOTDOWN_TIMEOUT_NS (10ull * 1000 * 1000 * 1000)


/* A memory-mapped register QEMU's q35 has and no driver uses: the HPET's
 * capabilities, vendor 0x8086 in bits 31-16. */
const struct mmu_test_register arch_mmu_test_register = {0xfed00000, 0xffff0000, 0x80860000};

static uint64_t *pml4;
static int shootdown_irq = -1;

static unsigned int level_shift(int level)
{
	return PAGE_SHIFT + 9 * (unsigned int)(level - 1);
}

static uint64_t *table_at(uint64_t entry)
{
	return (uint64_t *)(uintptr_t)(entry & PTE_ADDR_4K);
}

static uint64_t *table_alloc(void)
{
	uint64_t pa = page_alloc(1, 1, PAGE_USE_PAGE_TABLES);

	if (pa != 0) {
		memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
	}
	return (uint64_t *)(uintptr_t)pa;
}

static void tlb_flush_page(uint64_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static void tlb_flush_all(void)
{
	uint64_t cr3;

	__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
}

static uint64_t leaf_bits(unsigned int flags)
{
	uint64_t bits = PTE_P | PTE_A | PTE_D;

	bits |= flags & MMU_WRITE ? PTE_RW : 0;
	bits |= flags & MMU_USER ? PTE_US : 0;
	bits |= flags & MMU_DEVICE ? PTE_PCD | PTE_PWT : 0;
	bits |= flags & MMU_EXEC ? 0 : PTE_NX;
	return bits;
}

/* Replace the 2 MiB page *pde with a table of 4 KiB pages mapping the
 * same addresses with the same attributes. */
static int large_split(uint64_t *pde, uint64_t va)
{
	uint64_t *pt = table_alloc();
	uint64_t attrs = *pde & ~(PTE_ADDR_2M | PTE_PS);
	uint64_t pa = *pde & PTE_ADDR_2M;

	if (!pt) {
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < ENTRIES; i++) {
		pt[i] = (pa + ((uint64_t)i << PAGE_SHIFT)) | attrs;
	}
	*pde = (uint64_t)(uintptr_t)pt | PTE_TABLE;
	tlb_flush_page(va & ~(LARGE_SIZE - 1));
	return 0;
}

/* The entry for va at level (1 or 2) in the tables under root, creating
 * tables on the way and splitting a 2 MiB page above level 1; NULL when
 * out of memory. */
static uint64_t *entry_get(uint64_t *root, uint64_t va, int level)
{
	uint64_t *table = root;

	for (int l = LEVELS; l > level; l--) {
		uint64_t *e = &table[(va >> level_shift(l)) & (ENTRIES - 1)];

		if (!(*e & PTE_P)) {
			uint64_t *next = table_alloc();

			if (!next) {
				return NULL;
			}
			*e = (uint64_t)(uintptr_t)next | PTE_TABLE;
		} else if (*e & PTE_PS) {
			if (large_split(e, va) != 0) {
				return NULL;
			}
		}
		table = table_at(*e);
	}
	return &table[(va >> level_shift(level)) & (ENTRIES - 1)];
}

/* The leaf mapping va under root (with its level), or the missing entry's
 * level and NULL. */
static uint64_t *entry_find(uint64_t *root, uint64_t va, int *level)
{
	uint64_t *table = root;

	for (int l = LEVELS;; l--) {
		uint64_t *e = &table[(va >> level_shift(l)) & (ENTRIES - 1)];

		*level = l;
		if (!(*e & PTE_P)) {
			return NULL;
		}
		if (l == 1 || (*e & PTE_PS)) {
			return e;
		}
		table = table_at(*e);
	}
}

static int range_check(uint64_t va, uint64_t size)
{
	if (!pml4) {
		return -EINVAL;
	}
	return va < VA_LIMIT && size <= VA_LIMIT - va ? 0 : -ERANGE;
}

int arch_mmu_init(void)
{
	pml4 = table_alloc();
	return pml4 ? 0 : -ENOMEM;
}

/* Map into the tables under root.  The INVLPGs act on this CPU's live
 * tables, the kernel's: for other roots they are harmless, and not needed
 * (arch/x86_64/user.c reloads CR3 on every switch to them). */
static int tables_map(uint64_t *root, uint64_t va, uint64_t pa, uint64_t size, unsigned int flags)
{
	uint64_t bits = leaf_bits(flags);
	uint64_t changed = 0;

	while (size > 0) {
		uint64_t step = PAGE_SIZE;
		uint64_t *e = NULL;

		if (((va | pa) & (LARGE_SIZE - 1)) == 0 && size >= LARGE_SIZE) {
			e = entry_get(root, va, 2);
			if (e && (*e & (PTE_P | PTE_PS)) == PTE_P) {
				e = NULL; /* a table already: keep it, map 4 KiB pages */
			} else if (e) {
				step = LARGE_SIZE;
				bits |= PTE_PS;
			}
		}
		if (step == PAGE_SIZE) {
			bits &= ~PTE_PS;
			e = entry_get(root, va, 1);
		}
		if (!e) {
			return -ENOMEM;
		}
		if (*e & PTE_P) {
			changed++;
			if (changed <= INVLPG_MAX) {
				tlb_flush_page(va);
			}
		}
		*e = pa | bits;
		va += step;
		pa += step;
		size -= step;
	}
	if (changed > INVLPG_MAX) {
		tlb_flush_all();
	}
	return 0;
}

int arch_mmu_map(uint64_t va, uint64_t pa, uint64_t size, unsigned int flags)
{
	int rc = range_check(va, size);

	return rc != 0 ? rc : tables_map(pml4, va, pa, size, flags);
}

int arch_mmu_unmap(uint64_t va, uint64_t size)
{
	uint64_t changed = 0;
	int rc = range_check(va, size);

	if (rc != 0) {
		return rc;
	}
	while (size > 0) {
		int level;
		uint64_t *e = entry_find(pml4, va, &level);
		uint64_t span = 1ull << level_shift(level);
		uint64_t step = span - (va & (span - 1));

		if (e && level == 2 && (va & (span - 1)) == 0 && size >= span) {
			*e = 0;
		} else if (e && level == 2) {
			/* Part of a 2 MiB page: split it, then unmap 4 KiB. */
			e = entry_get(pml4, va, 1);
			if (!e) {
				return -ENOMEM;
			}
			*e = 0;
			step = PAGE_SIZE;
		} else if (e) {
			*e = 0;
		}
		/* When nothing was mapped, step skips the missing table's span. */
		if (e && ++changed <= INVLPG_MAX) {
			tlb_flush_page(va);
		}
		if (step >= size) {
			break;
		}
		va += step;
		size -= step;
	}
	if (changed > INVLPG_MAX) {
		tlb_flush_all();
	}
	return 0;
}

int arch_mmu_query(uint64_t va)
{
	int level;
	uint64_t *e;

	if (range_check(va, PAGE_SIZE) != 0) {
		return -1;
	}
	e = entry_find(pml4, va, &level);
	if (!e) {
		return -1;
	}
	return (int)(MMU_READ | (*e & PTE_RW ? MMU_WRITE : 0) | (*e & PTE_NX ? 0 : MMU_EXEC) |
		     (*e & PTE_PCD ? MMU_DEVICE : 0) | (*e & PTE_US ? MMU_USER : 0));
}

/* Tables other than the kernel's: the user address spaces of
 * arch/x86_64/user.c, built by the same code. */
uint64_t *x86_tables_alloc(void)
{
	return table_alloc();
}

int x86_tables_map(uint64_t *root, uint64_t va, uint64_t pa, uint64_t size, unsigned int flags)
{
	if (va >= VA_LIMIT || size > VA_LIMIT - va) {
		return -ERANGE;
	}
	return tables_map(root, va, pa, size, flags);
}

/* table is at level; entries with PS set are 2 MiB pages, not tables. */
static void tables_free(uint64_t *table, int level)
{
	for (unsigned int i = 0; level > 1 && i < ENTRIES; i++) {
		if ((table[i] & (PTE_P | PTE_PS)) == PTE_P) {
			tables_free(table_at(table[i]), level - 1);
		}
	}
	page_free((uint64_t)(uintptr_t)table, 1, PAGE_USE_PAGE_TABLES);
}

void x86_tables_free(uint64_t *root)
{
	tables_free(root, LEVELS);
}

static void shootdown_handle(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
	x86_tlb_answer();
}

static int shootdown_init(const struct boot_info *bi)
{
	int irq = irq_alloc();

	(void)bi;
	if (irq < 0 || irq_register((unsigned int)irq, shootdown_handle, NULL) != 0) {
		printf("mmu: no interrupt for TLB shootdowns\n");
		return irq < 0 ? irq : -EBUSY;
	}
	shootdown_irq = irq;
	return 0;
}
INIT_CALL(INIT_CPU, shootdown_init);

/* The CPU that changed the tables already invalidated what it changed.
 * CPUs in the sidecar are asked like online ones (their run-function
 * commands may touch any mapping; they take interrupts while they wait
 * and while they run a command).  CPUs still starting are not asked: they are not online, run only their
 * own setup, and the only change made while they start is the guard page
 * of a new stack, which no CPU touched since it was allocated. */
void arch_tlb_shootdown(void)
{
	uint64_t generation = __atomic_add_fetch(&x86_tlb_generation, 1, __ATOMIC_ACQ_REL);
	uint64_t start = arch_time_ns();

	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		if (cpu != cpu_self() && cpu_is_up(cpu)) {
			irq_send_ipi(cpu, (unsigned int)shootdown_irq);
		}
	}
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		if (cpu == cpu_self() || !cpu_is_up(cpu)) {
			continue;
		}
		while (__atomic_load_n(&x86_tlb_flushed[cpu], __ATOMIC_ACQUIRE) < generation) {
			if (arch_time_ns() - start > SHOOTDOWN_TIMEOUT_NS) {
				panic("mmu: cpu %u did not answer a TLB shootdown within %llu s", cpu,
				      SHOOTDOWN_TIMEOUT_NS / 1000000000ull);
			}
			arch_cpu_relax();
		}
	}
}

/* NX must be on before a table with NX bits is live (the bit is reserved
 * otherwise); WP makes read-only pages read-only for the kernel too;
 * SMEP and SMAP stop the kernel from running or touching user pages by
 * accident.  All from the moment CR3 points at the new tables. */
void arch_mmu_activate(void)
{
	uint32_t r[4];
	uint64_t cr0, cr4;

	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	__asm__ volatile("mov %0, %%cr3" : : "r"((uint64_t)(uintptr_t)pml4) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_WP) : "memory");
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
	} else {
		r[1] = 0;
	}
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= r[1] & CPUID7_EBX_SMEP ? CR4_SMEP : 0;
	cr4 |= r[1] & CPUID7_EBX_SMAP ? CR4_SMAP : 0;
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
}
