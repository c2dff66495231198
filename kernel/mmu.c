/* The kernel's address space (hillock/mmu.h): mmu_map() and friends over
 * the architecture's tables, stacks with guard pages, and the INIT_MEMORY
 * step that brings up the page allocator, builds the tables, switches to
 * them and moves the heap onto allocated pages.
 *
 * The map built at boot (identity: virtual address = physical address):
 *
 *   [__image_start, __rodata_start)   text            R+X
 *   [__rodata_start, __rodata_end)    rodata          R
 *   [__data_start, __image_end)       data, bss, the parameter areas,
 *                                     the boot stack  R+W
 *   boot_stack - 1 page               unmapped: the boot stack's guard
 *   the rest of VTL2 RAM              R+W (the direct map)
 *   /devices "reg" ranges             R+W device (uncached)
 *   the architecture's console        R+W device (arch_mmu_init)
 *
 * Nothing is ever mapped both writable and executable. */
#include <errno.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/heap.h>
#include <hillock/image.h>
#include <hillock/init.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/spinlock.h>

/* The heap's first region: enough for boot and the per-CPU setup of every
 * CPU; the heap grows by regions of its own and puts large blocks on
 * pages of their own (kernel/heap.c). */
#define HEAP_INITIAL_PAGES 512

extern char __rodata_start[], __data_start[];
extern char boot_stack[];

static bool mmu_range_ok(uint64_t base, uint64_t size)
{
	return size != 0 && ((base | size) & (PAGE_SIZE - 1)) == 0 && base + size > base;
}

/* Serializes every walk of the tables after boot (the INIT_MEMORY step
 * below runs alone, before any other CPU).  Tables are allocated under it,
 * so it ranks below the page allocator's lock.  The shootdown comes after
 * the lock is released: it waits for the other CPUs, and one of them may
 * be spinning for this lock. */
static struct spinlock mmu_lock = SPINLOCK_INIT("mmu", LOCK_RANK_MMU);

int mmu_map(uint64_t pa, uint64_t size, unsigned int flags)
{
	unsigned long irq_flags;
	int rc;

	if (!mmu_range_ok(pa, size) || (flags & MMU_READ) == 0 ||
	    (flags & (MMU_WRITE | MMU_EXEC)) == (MMU_WRITE | MMU_EXEC)) {
		return -EINVAL;
	}
	irq_flags = spin_lock(&mmu_lock);
	rc = arch_mmu_map(pa, pa, size, flags);
	spin_unlock(&mmu_lock, irq_flags);
	/* The range may have been mapped before, with other permissions. */
	arch_tlb_shootdown();
	return rc;
}

int mmu_unmap(uint64_t va, uint64_t size)
{
	unsigned long irq_flags;
	int rc;

	if (!mmu_range_ok(va, size)) {
		return -EINVAL;
	}
	irq_flags = spin_lock(&mmu_lock);
	rc = arch_mmu_unmap(va, size);
	spin_unlock(&mmu_lock, irq_flags);
	arch_tlb_shootdown();
	return rc;
}

int mmu_query(uint64_t va)
{
	unsigned long irq_flags = spin_lock(&mmu_lock);
	int flags = arch_mmu_query(va & ~(uint64_t)(PAGE_SIZE - 1));

	spin_unlock(&mmu_lock, irq_flags);
	return flags;
}

uint64_t stack_alloc(size_t size)
{
	size_t count = size / PAGE_SIZE;
	uint64_t base;

	if (size == 0 || size % PAGE_SIZE != 0) {
		return 0;
	}
	/* The guard page is the run's first page: allocated, so nothing else
	 * lives there, and unmapped, so running off the stack faults. */
	base = page_alloc(count + 1, 1, PAGE_USE_STACK);
	if (base == 0) {
		return 0;
	}
	if (mmu_unmap(base, PAGE_SIZE) != 0) {
		page_free(base, count + 1, PAGE_USE_STACK);
		return 0;
	}
	return base + (count + 1) * (uint64_t)PAGE_SIZE;
}

static int mmu_map_rw(uint64_t lo, uint64_t hi)
{
	return hi > lo ? arch_mmu_map(lo, lo, hi - lo, MMU_READ | MMU_WRITE) : 0;
}

static int mmu_map_image(void)
{
	uint64_t text = (uint64_t)(uintptr_t)__image_start;
	uint64_t rodata = (uint64_t)(uintptr_t)__rodata_start;
	uint64_t data = (uint64_t)(uintptr_t)__data_start;
	uint64_t guard = (uint64_t)(uintptr_t)boot_stack - PAGE_SIZE;
	uint64_t data_end = (uint64_t)(uintptr_t)__image_end;
	int rc;

	/* The linker script puts the guard page inside .bss.boot. */
	rc = arch_mmu_map(text, text, rodata - text, MMU_READ | MMU_EXEC);
	rc = rc ? rc : arch_mmu_map(rodata, rodata, data - rodata, MMU_READ);
	rc = rc ? rc : mmu_map_rw(data, guard);
	rc = rc ? rc : mmu_map_rw(guard + PAGE_SIZE, data_end);
	return rc;
}

/* VTL2 RAM outside the image, R+W. */
static int mmu_map_ram(const struct boot_info *bi)
{
	uint64_t img_lo = (uint64_t)(uintptr_t)__image_start;
	uint64_t img_hi = (uint64_t)(uintptr_t)__image_end;

	for (unsigned int i = 0; i < bi->ram_count; i++) {
		uint64_t lo = (bi->ram[i].base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t hi = (bi->ram[i].base + bi->ram[i].size) & ~(uint64_t)(PAGE_SIZE - 1);
		/* Below and above the image; either may be empty. */
		int rc = mmu_map_rw(lo, hi < img_lo ? hi : img_lo);

		rc = rc ? rc : mmu_map_rw(lo > img_hi ? lo : img_hi, hi);
		if (rc != 0) {
			return rc;
		}
	}
	return 0;
}

static bool mmu_overlaps_ram(const struct boot_info *bi, uint64_t lo, uint64_t hi)
{
	for (unsigned int i = 0; i < bi->ram_count; i++) {
		if (lo < bi->ram[i].base + bi->ram[i].size && hi > bi->ram[i].base) {
			return true;
		}
	}
	return false;
}

/* Every "reg" range of every node under /devices, as uncached device
 * memory.  The shim copies these nodes from the host's tree with the
 * properties as they were, under a root of 2 address and 2 size cells
 * (boot/params.c).  The host is not trusted with VTL2's own memory: a
 * range that is malformed, beyond the CPU's addresses or over VTL2 RAM is
 * left unmapped, with a message. */
static int mmu_map_devices(const struct boot_info *bi)
{
	int devices = bi->fdt ? fdt_path_offset(bi->fdt, "/devices") : -1;
	int node;

	if (devices < 0) {
		return 0;
	}
	fdt_for_each_subnode(node, bi->fdt, devices) {
		const char *name = fdt_get_name(bi->fdt, node, NULL);
		int len;
		const fdt64_t *reg = fdt_getprop(bi->fdt, node, "reg", &len);

		if (!reg) {
			continue;
		}
		if (len % 16 != 0) {
			printf("mmu: /devices/%s: \"reg\" is not 2+2-cell (address, size) pairs; "
			       "not mapped\n",
			       name);
			continue;
		}
		for (int off = 0; off < len / 8; off += 2) {
			uint64_t base, size, lo, hi;

			memcpy(&base, &reg[off], sizeof(base));
			memcpy(&size, &reg[off + 1], sizeof(size));
			base = fdt64_to_cpu(base);
			size = fdt64_to_cpu(size);
			lo = base & ~(uint64_t)(PAGE_SIZE - 1);
			hi = (base + size + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
			if (size == 0 || base + size < base || hi < lo || hi > arch_phys_limit() ||
			    mmu_overlaps_ram(bi, lo, hi)) {
				printf("mmu: /devices/%s: reg %#llx+%#llx is not a device range; "
				       "not mapped\n",
				       name, (unsigned long long)base, (unsigned long long)size);
				continue;
			}
			int rc = arch_mmu_map(lo, lo, hi - lo, MMU_READ | MMU_WRITE | MMU_DEVICE);

			if (rc != 0) {
				printf("mmu: /devices/%s: mapping %#llx-%#llx failed (%d)\n", name,
				       (unsigned long long)lo, (unsigned long long)hi, rc);
				return rc;
			}
		}
	}
	return 0;
}

/* The heap's first region, on pages of its own. */
static int mmu_heap_init(void)
{
	uint64_t pa = page_alloc(HEAP_INITIAL_PAGES, 1, PAGE_USE_HEAP);

	if (pa == 0) {
		printf("mmu: no RAM for the heap\n");
		return -ENOMEM;
	}
	heap_init((void *)(uintptr_t)pa, HEAP_INITIAL_PAGES * PAGE_SIZE);
	printf("heap: %u KiB at %#llx, growing from the page allocator\n",
	       HEAP_INITIAL_PAGES * (PAGE_SIZE / 1024), (unsigned long long)pa);
	return 0;
}

static int mmu_init_memory(const struct boot_info *bi)
{
	int rc = page_alloc_init(bi);

	rc = rc ? rc : arch_mmu_init();
	rc = rc ? rc : mmu_map_image();
	rc = rc ? rc : mmu_map_ram(bi);
	rc = rc ? rc : mmu_map_devices(bi);
	if (rc != 0) {
		printf("mmu: building the kernel's page tables failed (%d)\n", rc);
		return rc;
	}
	arch_mmu_activate();
	return mmu_heap_init();
}
INIT_CALL(INIT_MEMORY, mmu_init_memory);
