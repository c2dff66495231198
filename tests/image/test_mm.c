/* The mm suite: the kernel's page tables enforce what hillock/mmu.h
 * promises (each checked by making the access and catching the fault),
 * the page allocator never hands out a page twice and accounts for every
 * page, and the heap works on the pages it was moved to. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/fault.h>
#include <hillock/heap.h>
#include <hillock/image.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/selftest.h>

extern char __rodata_start[], __data_start[];
extern char boot_stack[];

/* Unmapped on both architectures: outside VTL2 RAM, the image and every
 * device, and inside the 39-bit addresses aarch64 translates. */
#define MM_UNMAPPED 0x000000dead000000ull

/* Bytes that are an undefined instruction on both architectures: x86 UD2
 * (0f 0b), and, read as a little-endian word, arm64 UDF #0xb0f.  Should a
 * page that must not be executable run them, the test still gets control
 * back, as FAULT_UNDEFINED. */
#define MM_UNDEFINED_INSN {0x0f, 0x0b, 0x00, 0x00}

static uint8_t mm_data_insn[16] __attribute__((aligned(16))) = MM_UNDEFINED_INSN;
static const uint8_t mm_rodata_insn[16] __attribute__((aligned(16))) = MM_UNDEFINED_INSN;

static __attribute__((noinline)) void mm_read(uintptr_t addr)
{
	(void)*(volatile uint8_t *)addr;
}

/* Writes back the byte that is there, so a write that goes through
 * changes nothing. */
static __attribute__((noinline)) void mm_write(uintptr_t addr)
{
	volatile uint8_t *p = (volatile uint8_t *)addr;

	*p = *p;
}

static __attribute__((noinline)) void mm_exec(uintptr_t addr)
{
	((void (*)(void))addr)();
}

/* The fault access(addr) takes; kind 0 when it takes none. */
static struct fault_info mm_fault_of(void (*access)(uintptr_t), uintptr_t addr)
{
	struct fault_info fi;

	memset(&fi, 0, sizeof(fi));
	if (fault_catch(&fi) == 0) {
		access(addr);
		fault_catch_end();
	}
	return fi;
}

#define mm_expect_fault(access, addr, kind) mm_expect_fault_at(__LINE__, access, addr, kind)

static int mm_expect_fault_at(int line, void (*access)(uintptr_t), uintptr_t addr,
			      enum fault_kind kind)
{
	struct fault_info fi = mm_fault_of(access, addr);
	char what[112];

	if (fi.kind == kind && fi.addr == addr) {
		return 0;
	}
	snprintf(what, sizeof(what), "%s fault at %#llx, got %s at %#llx", fault_kind_name(kind),
		 (unsigned long long)addr, fi.kind ? fault_kind_name(fi.kind) : "none",
		 (unsigned long long)fi.addr);
	return selftest_fail(__FILE__, line, what);
}

TEST(mm, image_permissions)
{
	int rc = 0;

	rc |= EXPECT(mmu_query((uintptr_t)mm_read) == (MMU_READ | MMU_EXEC));
	rc |= EXPECT(mmu_query((uintptr_t)mm_rodata_insn) == MMU_READ);
	rc |= EXPECT(mmu_query((uintptr_t)__rodata_start) == MMU_READ);
	rc |= EXPECT(mmu_query((uintptr_t)mm_data_insn) == (MMU_READ | MMU_WRITE));
	rc |= EXPECT(mmu_query((uintptr_t)__data_start) == (MMU_READ | MMU_WRITE));
	rc |= EXPECT(mmu_query((uintptr_t)__image_end - 1) == (MMU_READ | MMU_WRITE));
	return rc;
}

TEST(mm, text_is_read_only)
{
	/* A function of this file: its first byte is text. */
	return mm_expect_fault(mm_write, (uintptr_t)mm_exec, FAULT_WRITE);
}

TEST(mm, rodata_is_read_only)
{
	return mm_expect_fault(mm_write, (uintptr_t)mm_rodata_insn, FAULT_WRITE);
}

TEST(mm, data_heap_rodata_not_executable)
{
	uint8_t *heap = kmalloc(16);
	int rc = 0;

	rc |= EXPECT(heap != NULL);
	if (heap) {
		memcpy(heap, mm_data_insn, sizeof(mm_data_insn));
		rc |= mm_expect_fault(mm_exec, (uintptr_t)heap, FAULT_EXEC);
		kfree(heap);
	}
	rc |= mm_expect_fault(mm_exec, (uintptr_t)mm_data_insn, FAULT_EXEC);
	rc |= mm_expect_fault(mm_exec, (uintptr_t)mm_rodata_insn, FAULT_EXEC);
	return rc;
}

TEST(mm, unmapped_read_faults)
{
	int rc = 0;

	rc |= mm_expect_fault(mm_read, MM_UNMAPPED, FAULT_READ);
	/* Address 0 is VTL0 RAM or nothing: never in the kernel's map. */
	rc |= mm_expect_fault(mm_read, 0, FAULT_READ);
	rc |= EXPECT(mmu_query(MM_UNMAPPED) == -1);
	return rc;
}

TEST(mm, stack_guard_faults)
{
	uint64_t top = stack_alloc(4 * PAGE_SIZE);
	uint64_t guard = top - 5 * PAGE_SIZE;
	int rc = 0;

	rc |= EXPECT(top != 0 && top % PAGE_SIZE == 0);
	if (top == 0) {
		return rc;
	}
	rc |= EXPECT(mmu_query(top - 8) == (MMU_READ | MMU_WRITE));
	rc |= EXPECT(mmu_query(guard + PAGE_SIZE) == (MMU_READ | MMU_WRITE));
	rc |= EXPECT(mmu_query(guard) == -1);
	rc |= EXPECT(mm_fault_of(mm_write, top - 8).kind == 0);
	rc |= EXPECT(mm_fault_of(mm_write, guard + PAGE_SIZE).kind == 0);
	rc |= mm_expect_fault(mm_read, guard + PAGE_SIZE - 8, FAULT_READ);
	/* The boot stack, which this test runs on, has one too. */
	rc |= mm_expect_fault(mm_read, (uintptr_t)boot_stack - 1, FAULT_READ);
	rc |= EXPECT(stack_alloc(100) == 0);
	return rc;
}

TEST(mm, device_map_read_query)
{
	const struct mmu_test_register *reg = &arch_mmu_test_register;
	uint64_t page = reg->pa & ~(uint64_t)(PAGE_SIZE - 1);
	unsigned int flags = MMU_READ | MMU_WRITE | MMU_DEVICE;
	int rc = 0;

	rc |= EXPECT(mmu_query(page) == -1);
	rc |= EXPECT(mmu_map(page, PAGE_SIZE, flags) == 0);
	rc |= EXPECT(mmu_query(page) == (int)flags);
	rc |= EXPECT(mmu_query(reg->pa) == (int)flags);
	if (mmu_query(reg->pa) == (int)flags) {
		uint32_t v = *(volatile uint32_t *)(uintptr_t)reg->pa;

		rc |= EXPECT((v & reg->mask) == reg->value);
	}
	rc |= EXPECT(mmu_unmap(page, PAGE_SIZE) == 0);
	rc |= EXPECT(mmu_query(page) == -1);
	return rc;
}

TEST(mm, map_refuses_bad_requests)
{
	uint64_t page = arch_mmu_test_register.pa & ~(uint64_t)(PAGE_SIZE - 1);
	int rc = 0;

	rc |= EXPECT(mmu_map(page, PAGE_SIZE, MMU_READ | MMU_WRITE | MMU_EXEC) == -EINVAL);
	rc |= EXPECT(mmu_map(page + 1, PAGE_SIZE, MMU_READ) == -EINVAL);
	rc |= EXPECT(mmu_map(page, 100, MMU_READ) == -EINVAL);
	rc |= EXPECT(mmu_map(page, 0, MMU_READ) == -EINVAL);
	rc |= EXPECT(mmu_map(page, PAGE_SIZE, MMU_WRITE) == -EINVAL);
	rc |= EXPECT(mmu_map(0xfffffffffffff000ull, PAGE_SIZE, MMU_READ) != 0);
	rc |= EXPECT(mmu_query(page) == -1);
	return rc;
}

static uint64_t mm_random(uint64_t *state)
{
	/* xorshift64: reproducible runs from a fixed seed. */
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#define STRESS_SLOTS 64
#define STRESS_ROUNDS 4000

struct mm_run {
	uint64_t pa;
	size_t count;
	enum page_use use;
};

/* Whether run overlaps any other live run. */
static int mm_run_overlaps(const struct mm_run *runs, unsigned int self)
{
	uint64_t lo = runs[self].pa, hi = lo + runs[self].count * PAGE_SIZE;

	for (unsigned int i = 0; i < STRESS_SLOTS; i++) {
		uint64_t olo = runs[i].pa, ohi = olo + runs[i].count * PAGE_SIZE;

		if (i != self && runs[i].pa && lo < ohi && olo < hi) {
			return 1;
		}
	}
	return 0;
}

TEST(mm, page_alloc_stress)
{
	static struct mm_run runs[STRESS_SLOTS];
	struct page_stats before, during, after;
	uint64_t seed = 0x9e3779b97f4a7c15ull, live[PAGE_USE_COUNT] = {0};
	unsigned int allocs = 0, failures = 0;
	int rc = 0;

	memset(runs, 0, sizeof(runs));
	page_stats_get(&before);
	for (unsigned int round = 0; round < STRESS_ROUNDS && rc == 0; round++) {
		unsigned int slot = (unsigned int)(mm_random(&seed) % STRESS_SLOTS);
		struct mm_run *r = &runs[slot];

		if (r->pa) {
			uint64_t *first = (uint64_t *)(uintptr_t)r->pa;
			uint64_t *last = (uint64_t *)(uintptr_t)(r->pa + r->count * PAGE_SIZE - 8);

			/* The tags written at allocation are still there. */
			rc |= EXPECT(*first == (r->pa ^ slot) && *last == r->pa);
			page_free(r->pa, r->count, r->use);
			live[r->use] -= r->count;
			r->pa = 0;
			continue;
		}
		uint64_t x = mm_random(&seed);
		/* Mostly small runs, some of up to 256 pages; alignments 1-32. */
		size_t count = x % 8 == 0 ? 1 + (x >> 8) % 256 : 1 + (x >> 8) % 8;
		size_t align = (size_t)1 << ((x >> 20) % 6);

		r->use = x & (1u << 30) ? PAGE_USE_DMA : PAGE_USE_COMPARTMENT;
		r->count = count;
		r->pa = page_alloc(count, align, r->use);
		if (!r->pa) {
			failures++;
			continue;
		}
		allocs++;
		live[r->use] += count;
		rc |= EXPECT(r->pa % (align * PAGE_SIZE) == 0);
		rc |= EXPECT(!mm_run_overlaps(runs, slot));
		/* Direct-mapped VTL2 RAM, not the image or anything else. */
		rc |= EXPECT(mmu_query(r->pa) == (MMU_READ | MMU_WRITE));
		*(uint64_t *)(uintptr_t)r->pa = r->pa ^ slot;
		*(uint64_t *)(uintptr_t)(r->pa + count * PAGE_SIZE - 8) = r->pa;
		if (round % 256 == 0) {
			page_stats_get(&during);
			rc |= EXPECT(during.pages[PAGE_USE_DMA] ==
				     before.pages[PAGE_USE_DMA] + live[PAGE_USE_DMA]);
			rc |= EXPECT(during.pages[PAGE_USE_COMPARTMENT] ==
				     before.pages[PAGE_USE_COMPARTMENT] + live[PAGE_USE_COMPARTMENT]);
		}
	}
	for (unsigned int i = 0; i < STRESS_SLOTS; i++) {
		if (runs[i].pa) {
			page_free(runs[i].pa, runs[i].count, runs[i].use);
		}
	}
	page_stats_get(&after);
	rc |= EXPECT(allocs > STRESS_ROUNDS / 4 && failures == 0);
	rc |= EXPECT(memcmp(&before, &after, sizeof(before)) == 0);
	/* What cannot be had is refused, not half-given. */
	rc |= EXPECT(page_alloc(after.pages[PAGE_USE_FREE] + 1, 1, PAGE_USE_DMA) == 0);
	rc |= EXPECT(page_alloc(1, (size_t)1 << 50, PAGE_USE_DMA) == 0);
	page_stats_get(&during);
	rc |= EXPECT(memcmp(&after, &during, sizeof(after)) == 0);
	return rc;
}

TEST(mm, page_accounting)
{
	struct page_stats st, grown;
	uint64_t sum = 0, image_pages = ((uintptr_t)__image_end - (uintptr_t)__image_start) / PAGE_SIZE;
	/* Far from anything mapped: needs tables of its own. */
	uint64_t far = 0x4000000000ull;
	int rc = 0;

	page_stats_get(&st);
	for (unsigned int use = 0; use < PAGE_USE_COUNT; use++) {
		sum += st.pages[use];
	}
	rc |= EXPECT(sum == st.total);
	rc |= EXPECT(st.pages[PAGE_USE_IMAGE] == image_pages);
	rc |= EXPECT(st.pages[PAGE_USE_PAGE_TABLES] > 0);
	rc |= EXPECT(st.pages[PAGE_USE_HEAP] > 0);
	rc |= EXPECT(st.pages[PAGE_USE_PAGE_MAP] > 0);
	rc |= EXPECT(st.pages[PAGE_USE_FREE] > 0);

	/* New tables and a stack land in their own columns. */
	rc |= EXPECT(mmu_map(far, PAGE_SIZE, MMU_READ | MMU_DEVICE) == 0);
	rc |= EXPECT(stack_alloc(2 * PAGE_SIZE) != 0);
	page_stats_get(&grown);
	rc |= EXPECT(grown.pages[PAGE_USE_PAGE_TABLES] > st.pages[PAGE_USE_PAGE_TABLES]);
	rc |= EXPECT(grown.pages[PAGE_USE_STACK] == st.pages[PAGE_USE_STACK] + 3);
	rc |= EXPECT(grown.pages[PAGE_USE_FREE] + (grown.pages[PAGE_USE_PAGE_TABLES] -
						  st.pages[PAGE_USE_PAGE_TABLES]) + 3 ==
		     st.pages[PAGE_USE_FREE]);
	rc |= EXPECT(mmu_unmap(far, PAGE_SIZE) == 0);
	return rc;
}

TEST(mm, heap_on_pages)
{
	struct page_stats st;
	struct heap_stats hs;
	size_t big = 1u << 20;
	uint8_t *p = malloc(big);
	int rc = 0;

	rc |= EXPECT(p != NULL);
	if (p) {
		memset(p, 0xa5, big);
		rc |= EXPECT(p[0] == 0xa5 && p[big - 1] == 0xa5);
		rc |= EXPECT(mmu_query((uintptr_t)p) == (MMU_READ | MMU_WRITE));
		rc |= EXPECT(mmu_query((uintptr_t)p + big - 1) == (MMU_READ | MMU_WRITE));
		free(p);
	}
	page_stats_get(&st);
	heap_stats(&hs);
	/* The heap is exactly its pages, less the end sentinel. */
	rc |= EXPECT(hs.total <= st.pages[PAGE_USE_HEAP] * PAGE_SIZE &&
		     hs.total + PAGE_SIZE > st.pages[PAGE_USE_HEAP] * PAGE_SIZE);
	return rc;
}
