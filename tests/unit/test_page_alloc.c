/* Host tests of the page allocator (kernel/page_alloc.c).  "RAM" is an
 * aligned host buffer: the allocator keeps its map inside the RAM it
 * manages and reaches it at the page's address, as the image's identity
 * map lets it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hillock/arch.h>
#include <hillock/irq.h>
#include <hillock/page.h>
#include <hillock/panic.h>
#include <hillock/spinlock.h>

#define RAM_SIZE (4u << 20)
#define RAM_PAGES (RAM_SIZE / PAGE_SIZE)

static uint8_t *ram;
static struct boot_info bi;

/* panic() jumps back to the test that expected it. */
static jmp_buf panic_env;
static int panic_expected;
static char panic_msg[256];

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (!panic_expected) {
		fail_msg("unexpected panic: %s", panic_msg);
	}
	panic_expected = 0;
	longjmp(panic_env, 1);
}

/* The architecture under the allocator's lock: one thread, one CPU. */
unsigned long arch_irq_save(void)
{
	return 0;
}

void arch_irq_restore(unsigned long flags)
{
	(void)flags;
}

void arch_cpu_relax(void)
{
}

uint64_t arch_time_ns(void)
{
	return 0;
}

#define EXPECT_PANIC(call, text)                                          \
	do {                                                              \
		panic_expected = 1;                                       \
		if (setjmp(panic_env) == 0) {                             \
			call;                                             \
			fail_msg("no panic from %s", #call);              \
		}                                                         \
		assert_non_null(strstr(panic_msg, text));                 \
	} while (0)

static uint64_t ram_at(size_t page)
{
	return (uint64_t)(uintptr_t)ram + (uint64_t)page * PAGE_SIZE;
}

/* One range of RAM_SIZE with the image at pages [img_first, img_first + img_pages). */
static void setup_one_range(size_t img_first, size_t img_pages)
{
	memset(&bi, 0, sizeof(bi));
	bi.ram[0] = (struct boot_range){ram_at(0), RAM_SIZE};
	bi.ram_count = 1;
	bi.ram_bytes = RAM_SIZE;
	bi.map_limit = UINT64_MAX;
	bi.image_base = ram_at(img_first);
	bi.image_end = ram_at(img_first + img_pages);
	assert_int_equal(page_alloc_init(&bi), 0);
}

static uint64_t stats_sum(const struct page_stats *st)
{
	uint64_t sum = 0;

	for (int use = 0; use < PAGE_USE_COUNT; use++) {
		sum += st->pages[use];
	}
	return sum;
}

static void test_page_alloc_accounts_every_page(void **state)
{
	struct page_stats st;

	(void)state;
	setup_one_range(256, 100);
	page_stats_get(&st);
	assert_int_equal(st.total, RAM_PAGES);
	assert_int_equal(st.pages[PAGE_USE_IMAGE], 100);
	/* One byte per page: 1024 pages need one page of map. */
	assert_int_equal(st.pages[PAGE_USE_PAGE_MAP], 1);
	assert_int_equal(st.pages[PAGE_USE_FREE], RAM_PAGES - 101);
	assert_int_equal(stats_sum(&st), st.total);
	assert_string_equal(page_use_name(PAGE_USE_PAGE_TABLES), "page-tables");
	assert_string_equal(page_use_name(PAGE_USE_COUNT), "invalid");
}

static void test_page_alloc_never_hands_out_image_or_map(void **state)
{
	static uint64_t got[RAM_PAGES];
	struct page_stats before, after;
	size_t n = 0;
	uint64_t pa;

	(void)state;
	/* The image at the start: the map must go after it. */
	setup_one_range(0, 64);
	page_stats_get(&before);
	while ((pa = page_alloc(1, 1, PAGE_USE_HEAP)) != 0) {
		assert_true(pa >= ram_at(65) && pa < ram_at(RAM_PAGES));
		got[n++] = pa;
	}
	assert_int_equal(n, before.pages[PAGE_USE_FREE]);
	page_stats_get(&after);
	assert_int_equal(after.pages[PAGE_USE_FREE], 0);
	assert_int_equal(after.pages[PAGE_USE_HEAP], n);
	while (n > 0) {
		page_free(got[--n], 1, PAGE_USE_HEAP);
	}
	page_stats_get(&after);
	assert_memory_equal(&before, &after, sizeof(before));
}

static void test_page_alloc_contiguous_aligned(void **state)
{
	uint64_t a, b, c;

	(void)state;
	setup_one_range(512, 8);
	a = page_alloc(3, 16, PAGE_USE_DMA);
	b = page_alloc(1, 1, PAGE_USE_STACK);
	c = page_alloc(300, 128, PAGE_USE_HEAP);
	assert_true(a != 0 && b != 0 && c != 0);
	assert_int_equal(a % (16 * PAGE_SIZE), 0);
	assert_int_equal(c % (128 * PAGE_SIZE), 0);
	/* Disjoint from each other and from the image at page 512. */
	assert_true(a + 3 * PAGE_SIZE <= b || b + PAGE_SIZE <= a);
	assert_true(c + 300 * PAGE_SIZE <= ram_at(512) || c >= ram_at(520));
	assert_true(a + 3 * PAGE_SIZE <= c || c + 300 * PAGE_SIZE <= a);
	/* More than is free, and an alignment no page has. */
	assert_int_equal(page_alloc(RAM_PAGES, 1, PAGE_USE_HEAP), 0);
	assert_int_equal(page_alloc(1, (size_t)1 << 41, PAGE_USE_HEAP), 0);
	page_free(a, 3, PAGE_USE_DMA);
	page_free(b, 1, PAGE_USE_STACK);
	page_free(c, 300, PAGE_USE_HEAP);
}

static void test_page_free_checks_the_run(void **state)
{
	uint64_t a, b;

	(void)state;
	setup_one_range(0, 16);
	a = page_alloc(4, 1, PAGE_USE_DMA);
	b = page_alloc(2, 1, PAGE_USE_DMA);
	assert_true(a != 0 && b == a + 4 * PAGE_SIZE);

	EXPECT_PANIC(page_free(a, 4, PAGE_USE_HEAP), "not the start of a heap allocation");
	EXPECT_PANIC(page_free(a + PAGE_SIZE, 3, PAGE_USE_DMA), "inside a run");
	EXPECT_PANIC(page_free(a, 3, PAGE_USE_DMA), "longer than 3 pages");
	EXPECT_PANIC(page_free(a, 5, PAGE_USE_DMA), "shorter than 5 pages");
	EXPECT_PANIC(page_free(a + 1, 4, PAGE_USE_DMA), "bad request");
	EXPECT_PANIC(page_free(ram_at(0), 16, PAGE_USE_IMAGE), "bad request");
	EXPECT_PANIC(page_free(ram_at(RAM_PAGES), 1, PAGE_USE_DMA), "not VTL2 RAM");
	EXPECT_PANIC(page_alloc(1, 3, PAGE_USE_DMA), "bad request");
	EXPECT_PANIC(page_alloc(1, 1, PAGE_USE_FREE), "bad request");

	page_free(a, 4, PAGE_USE_DMA);
	EXPECT_PANIC(page_free(a, 4, PAGE_USE_DMA), "double free");
	page_free(b, 2, PAGE_USE_DMA);
	EXPECT_PANIC(page_free(b, 2, PAGE_USE_DMA), "double free");
}

static void test_page_alloc_ranges_and_map_limit(void **state)
{
	struct page_stats st;
	uint64_t pa;

	(void)state;
	memset(&bi, 0, sizeof(bi));
	/* Three ranges: a one-page range (no room for its map beside it),
	 * one holding the image, one cut by the boot map's limit. */
	bi.ram[0] = (struct boot_range){ram_at(0), PAGE_SIZE};
	bi.ram[1] = (struct boot_range){ram_at(16), 64 * PAGE_SIZE};
	bi.ram[2] = (struct boot_range){ram_at(128), 256 * PAGE_SIZE};
	bi.ram_count = 3;
	bi.map_limit = ram_at(192);
	bi.image_base = ram_at(16);
	bi.image_end = ram_at(24) - 100; /* rounded up to the page */
	assert_int_equal(page_alloc_init(&bi), 0);
	page_stats_get(&st);
	assert_int_equal(st.total, 64 + 64);
	assert_int_equal(st.pages[PAGE_USE_IMAGE], 8);
	assert_int_equal(st.pages[PAGE_USE_PAGE_MAP], 2);
	assert_int_equal(st.pages[PAGE_USE_FREE], 128 - 10);
	/* 60 free pages do not fit in the first range (55 free), so the
	 * second gives them; nothing comes from beyond the limit. */
	pa = page_alloc(60, 1, PAGE_USE_HEAP);
	assert_true(pa >= ram_at(129) && pa + 60 * PAGE_SIZE <= ram_at(192));
	while ((pa = page_alloc(1, 1, PAGE_USE_DMA)) != 0) {
		assert_true((pa >= ram_at(25) && pa < ram_at(80)) ||
			    (pa >= ram_at(129) && pa < ram_at(192)));
	}
}

/* Random runs against a shadow of which run owns each page. */
static void test_page_alloc_stress_shadow(void **state)
{
	enum { SLOTS = 48, ROUNDS = 20000 };
	static int16_t owner[RAM_PAGES];
	struct {
		uint64_t pa;
		size_t count;
		enum page_use use;
	} runs[SLOTS] = {{0}};
	struct page_stats before, after;
	uint64_t seed = 12345;

	(void)state;
	setup_one_range(100, 30);
	page_stats_get(&before);
	memset(owner, 0xff, sizeof(owner));
	for (int round = 0; round < ROUNDS; round++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		int slot = (int)((seed >> 33) % SLOTS);
		uint64_t x = seed >> 13;

		if (runs[slot].pa) {
			size_t first = (runs[slot].pa - ram_at(0)) / PAGE_SIZE;

			for (size_t i = 0; i < runs[slot].count; i++) {
				assert_int_equal(owner[first + i], slot);
				owner[first + i] = -1;
			}
			page_free(runs[slot].pa, runs[slot].count, runs[slot].use);
			runs[slot].pa = 0;
			continue;
		}
		size_t count = 1 + x % (x % 4 == 0 ? 200 : 6);
		size_t align = (size_t)1 << ((x >> 10) % 7);
		enum page_use use = (x >> 20) % 2 ? PAGE_USE_DMA : PAGE_USE_STACK;
		uint64_t pa = page_alloc(count, align, use);

		if (!pa) {
			continue;
		}
		assert_int_equal(pa % (align * PAGE_SIZE), 0);
		size_t first = (pa - ram_at(0)) / PAGE_SIZE;

		assert_true(first + count <= RAM_PAGES);
		for (size_t i = 0; i < count; i++) {
			assert_int_equal(owner[first + i], -1);
			assert_false(first + i >= 100 && first + i < 130);
			owner[first + i] = (int16_t)slot;
		}
		runs[slot].pa = pa;
		runs[slot].count = count;
		runs[slot].use = use;
	}
	for (int slot = 0; slot < SLOTS; slot++) {
		if (runs[slot].pa) {
			page_free(runs[slot].pa, runs[slot].count, runs[slot].use);
		}
	}
	page_stats_get(&after);
	assert_memory_equal(&before, &after, sizeof(before));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_alloc_accounts_every_page),
		cmocka_unit_test(test_page_alloc_never_hands_out_image_or_map),
		cmocka_unit_test(test_page_alloc_contiguous_aligned),
		cmocka_unit_test(test_page_free_checks_the_run),
		cmocka_unit_test(test_page_alloc_ranges_and_map_limit),
		cmocka_unit_test(test_page_alloc_stress_shadow),
	};

	ram = aligned_alloc(1u << 21, RAM_SIZE);
	if (!ram) {
		return 1;
	}
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	free(ram);
	return failed;
}
