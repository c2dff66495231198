/* The mm suite: the kernel's page tables enforce what hillock/mmu.h
 * promises (each checked by making the access and catching the fault),
 * the page allocator never hands out a page twice and accounts for every
 * page, the heap works on its pages, and both hold up with every CPU
 * allocating at once. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/event.h>
#include <hillock/fault.h>
#include <hillock/heap.h>
#include <hillock/image.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/selftest.h>
#include <hillock/spinlock.h>

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

/* On the calling CPU: read addr; 0 if that worked, 1 on a read fault at
 * addr, -1 on anything else. */
static int mm_read_on_cpu(void *arg)
{
	uintptr_t addr = (uintptr_t)arg;
	struct fault_info fi = mm_fault_of(mm_read, addr);

	if (fi.kind == 0) {
		return 0;
	}
	return fi.kind == FAULT_READ && fi.addr == addr ? 1 : -1;
}

/* Every CPU caches the translation, then one unmaps it: no CPU may still
 * read through it (x86_64 needs the shootdown IPI for that). */
TEST(mm, unmap_reaches_every_cpu)
{
	uint64_t page = arch_mmu_test_register.pa & ~(uint64_t)(PAGE_SIZE - 1);
	void *arg = (void *)(uintptr_t)arch_mmu_test_register.pa;
	int rc = 0;

	rc |= EXPECT(mmu_map(page, PAGE_SIZE, MMU_READ | MMU_WRITE | MMU_DEVICE) == 0);
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		if (cpus[cpu].online) {
			rc |= EXPECT(smp_call(cpu, mm_read_on_cpu, arg, 1000000000ull) == 0);
		}
	}
	rc |= EXPECT(mmu_unmap(page, PAGE_SIZE) == 0);
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		if (cpus[cpu].online) {
			rc |= EXPECT(smp_call(cpu, mm_read_on_cpu, arg, 1000000000ull) == 1);
		}
	}
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
	struct page_stats before, during, st;
	struct heap_stats hs;
	size_t big = 1u << 20;
	uint8_t *p;
	int rc = 0;

	page_stats_get(&before);
	p = malloc(big);
	rc |= EXPECT(p != NULL);
	if (p) {
		/* A large block: a run of pages of its own, the 32-byte record
		 * before the payload included. */
		page_stats_get(&during);
		rc |= EXPECT(during.pages[PAGE_USE_HEAP] ==
			     before.pages[PAGE_USE_HEAP] + (big + 32 + PAGE_SIZE - 1) / PAGE_SIZE);
		memset(p, 0xa5, big);
		rc |= EXPECT(p[0] == 0xa5 && p[big - 1] == 0xa5);
		rc |= EXPECT(mmu_query((uintptr_t)p) == (MMU_READ | MMU_WRITE));
		rc |= EXPECT(mmu_query((uintptr_t)p + big - 1) == (MMU_READ | MMU_WRITE));
		free(p);
	}
	page_stats_get(&st);
	heap_stats(&hs);
	rc |= EXPECT(st.pages[PAGE_USE_HEAP] == before.pages[PAGE_USE_HEAP]);
	/* The heap is exactly its pages, less a sentinel per region. */
	rc |= EXPECT(hs.total <= st.pages[PAGE_USE_HEAP] * PAGE_SIZE &&
		     hs.total + PAGE_SIZE > st.pages[PAGE_USE_HEAP] * PAGE_SIZE);
	return rc;
}

/* --- Every CPU at once ------------------------------------------------------- */

/* Each CPU runs SMP_STRESS_ROUNDS operations, or as many as fit in
 * SMP_STRESS_BUDGET_NS and at least SMP_STRESS_MIN_ROUNDS.  The budget is
 * for TCG on a small host: with more vCPUs than host cores, handing a
 * ticket lock to a vCPU the host is not running costs milliseconds
 * (measured: 2-core host, aarch64 at 8 vCPUs, 300 rounds in 27 s; x86_64
 * does 3000 in 6 s). */
#define SMP_STRESS_ROUNDS 3000
#define SMP_STRESS_MIN_ROUNDS 30
#define SMP_STRESS_BUDGET_NS (3ull * 1000 * 1000 * 1000)
#define SMP_STRESS_BLOCKS 32
#define SMP_STRESS_RUNS 8
#define SMP_STRESS_TIMEOUT_NS (120ull * 1000 * 1000 * 1000)

struct mm_block {
	uint8_t *p;
	size_t size;
	uint8_t fill;
};

/* What each CPU did; static, so a CPU that finishes late writes nowhere harmful. */
struct mm_cpu_result {
	unsigned int rounds;
	unsigned int heap_ops;
	unsigned int page_ops;
	unsigned int failures; /* allocations refused */
	unsigned int corrupt;  /* contents or tags not as written */
};

static struct mm_cpu_result stress_results[CPU_MAX];
static struct work stress_work[CPU_MAX];
static volatile unsigned int stress_arrived, stress_done;

/* Mostly small, some up to the large-block limit, one in 16 large
 * (page-backed, 64-256 KiB). */
static size_t mm_stress_size(uint64_t x)
{
	switch (x % 16) {
	case 0:
		return (64u << 10) + (x >> 8) % (192u << 10);
	case 1:
	case 2:
		return (x >> 8) % (64u << 10);
	default:
		return (x >> 8) % 2048;
	}
}

/* Blocks are filled whole, but only the first, middle and last bytes are
 * checked: enough to see another CPU's block overlapping this one without
 * reading megabytes under TCG. */
static bool mm_block_intact(const struct mm_block *b)
{
	size_t probes[] = {0, b->size / 2, b->size - 1};

	for (unsigned int i = 0; i < 3 && b->size > 0; i++) {
		if (b->p[probes[i]] != b->fill) {
			return false;
		}
	}
	return true;
}

static void mm_block_fill(struct mm_block *b, uint64_t x)
{
	b->fill = (uint8_t)(x >> 40);
	memset(b->p, b->fill, b->size);
}

static void mm_stress_heap(struct mm_block *b, uint64_t x, struct mm_cpu_result *res)
{
	if (b->p && !mm_block_intact(b)) {
		res->corrupt++;
	}
	if (b->p && x % 4 == 0) {
		/* realloc(p, 0) frees p: ask for at least a byte. */
		size_t size = mm_stress_size(x >> 4) + 1;
		uint8_t *p = realloc(b->p, size);

		if (!p) {
			res->failures++;
			return;
		}
		/* What survives a resize: the old contents up to the smaller size. */
		b->size = size < b->size ? size : b->size;
		b->p = p;
		if (!mm_block_intact(b)) {
			res->corrupt++;
		}
		b->size = size;
	} else if (b->p) {
		free(b->p);
		b->p = NULL;
		return;
	} else {
		size_t align = x % 8 == 1 ? (size_t)32 << (x >> 60) % 8 : 16;

		b->size = mm_stress_size(x >> 4);
		b->p = align > 16 ? aligned_alloc(align, b->size) : malloc(b->size);
		if (!b->p) {
			res->failures++;
			return;
		}
		if ((uintptr_t)b->p % align != 0) {
			res->corrupt++;
		}
	}
	if (kmalloc_usable_size(b->p) < b->size) {
		res->corrupt++;
	}
	mm_block_fill(b, x);
}

static void mm_stress_pages(struct mm_run *r, uint64_t x, struct mm_cpu_result *res)
{
	if (r->pa) {
		const uint64_t *first = (const uint64_t *)(uintptr_t)r->pa;
		const uint64_t *last = (const uint64_t *)(uintptr_t)(r->pa + r->count * PAGE_SIZE - 8);

		if (*first != (r->pa ^ cpu_self()) || *last != r->pa) {
			res->corrupt++;
		}
		page_free(r->pa, r->count, r->use);
		r->pa = 0;
		return;
	}
	r->count = 1 + (x >> 8) % 16;
	r->use = PAGE_USE_DMA;
	r->pa = page_alloc(r->count, 1, r->use);
	if (!r->pa) {
		res->failures++;
		return;
	}
	*(uint64_t *)(uintptr_t)r->pa = r->pa ^ cpu_self();
	*(uint64_t *)(uintptr_t)(r->pa + r->count * PAGE_SIZE - 8) = r->pa;
}

/* One CPU's share: waits (bounded) until every CPU is in, so that they
 * really contend, then random operations on its own blocks and runs, then
 * gives everything back. */
static void mm_stress_cpu(struct work *w, void *arg)
{
	unsigned int cpus_in = (unsigned int)(uintptr_t)arg;
	struct mm_cpu_result *res = &stress_results[cpu_self()];
	struct mm_block blocks[SMP_STRESS_BLOCKS];
	struct mm_run runs[SMP_STRESS_RUNS];
	uint64_t seed = 0x9e3779b97f4a7c15ull * (cpu_self() + 1);
	uint64_t deadline = arch_time_ns() + SMP_STRESS_TIMEOUT_NS;

	(void)w;
	memset(blocks, 0, sizeof(blocks));
	memset(runs, 0, sizeof(runs));
	__atomic_fetch_add(&stress_arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&stress_arrived, __ATOMIC_ACQUIRE) < cpus_in &&
	       arch_time_ns() < deadline) {
		arch_cpu_relax();
	}
	deadline = arch_time_ns() + SMP_STRESS_BUDGET_NS;
	for (unsigned int round = 0; round < SMP_STRESS_ROUNDS; round++) {
		uint64_t x = mm_random(&seed);

		if (round >= SMP_STRESS_MIN_ROUNDS && arch_time_ns() > deadline) {
			break;
		}
		res->rounds++;
		if (x % 4 == 0) {
			mm_stress_pages(&runs[(x >> 2) % SMP_STRESS_RUNS], x >> 8, res);
			res->page_ops++;
		} else {
			mm_stress_heap(&blocks[(x >> 2) % SMP_STRESS_BLOCKS], x >> 7, res);
			res->heap_ops++;
		}
	}
	for (unsigned int i = 0; i < SMP_STRESS_BLOCKS; i++) {
		if (blocks[i].p && !mm_block_intact(&blocks[i])) {
			res->corrupt++;
		}
		free(blocks[i].p);
	}
	for (unsigned int i = 0; i < SMP_STRESS_RUNS; i++) {
		if (runs[i].pa) {
			mm_stress_pages(&runs[i], 0, res);
		}
	}
	__atomic_fetch_add(&stress_done, 1, __ATOMIC_ACQ_REL);
}

TEST(mm, smp_heap_and_pages_stress)
{
	struct page_stats pages_before, pages_after;
	struct heap_stats heap_before, heap_after;
	struct mm_cpu_result sum = {0};
	unsigned int online = 0, fewest = SMP_STRESS_ROUNDS;
	uint64_t t0 = arch_time_ns();
	int rc = 0;

	memset(stress_results, 0, sizeof(stress_results));
	stress_arrived = stress_done = 0;
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		online += cpus[cpu].online;
	}
	page_stats_get(&pages_before);
	heap_stats(&heap_before);
	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		if (cpus[cpu].online) {
			work_queue(cpu, &stress_work[cpu], mm_stress_cpu, (void *)(uintptr_t)online);
		}
	}
	mm_stress_cpu(&stress_work[0], (void *)(uintptr_t)online);
	while (__atomic_load_n(&stress_done, __ATOMIC_ACQUIRE) < online &&
	       arch_time_ns() - t0 < SMP_STRESS_TIMEOUT_NS) {
		arch_cpu_relax();
	}
	rc |= EXPECT(stress_done == online);
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		sum.heap_ops += stress_results[cpu].heap_ops;
		sum.page_ops += stress_results[cpu].page_ops;
		sum.failures += stress_results[cpu].failures;
		sum.corrupt += stress_results[cpu].corrupt;
		if (cpus[cpu].online && stress_results[cpu].rounds < fewest) {
			fewest = stress_results[cpu].rounds;
		}
	}
	page_stats_get(&pages_after);
	heap_stats(&heap_after);
	rc |= EXPECT(sum.corrupt == 0 && sum.failures == 0);
	rc |= EXPECT(fewest >= SMP_STRESS_MIN_ROUNDS);
	/* Everything given back: grown regions and large blocks' runs too. */
	rc |= EXPECT(memcmp(&pages_before, &pages_after, sizeof(pages_before)) == 0);
	rc |= EXPECT(heap_after.used == heap_before.used &&
		     heap_after.allocations == heap_before.allocations &&
		     heap_after.total == heap_before.total);
	printf("  %u CPUs: %u heap and %u page operations (at least %u per CPU) in %llu ms, "
	       "heap peak %zu KiB; %u refused, %u corrupt\n",
	       online, sum.heap_ops, sum.page_ops, fewest,
	       (unsigned long long)((arch_time_ns() - t0) / 1000000), heap_after.peak / 1024,
	       sum.failures, sum.corrupt);
	return rc;
}
