/* The kernel heap and the malloc layer on it: random workloads checked
 * against a shadow record of every live block, full coalescing, growth
 * by regions of pages and page-backed large blocks (from the page
 * allocator over HARNESS_RAM_SIZE of host memory), and a panic for each
 * kind of misuse. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libc_test.h"

#define HEAP_SIZE (1 << 20)
/* What kernel/heap.c makes a large block. */
#define LARGE_MIN (64 << 10)
#define SLOTS 256
#define OPERATIONS 40000

static _Alignas(64) unsigned char heap_area[HEAP_SIZE];

struct slot {
	unsigned char *p;
	size_t size;
	unsigned char fill;
};

static void heap_fresh(void)
{
	harness_pages_reset();
	hl_heap_init(heap_area, sizeof(heap_area));
}

static int in_heap_area(const void *p)
{
	return (const unsigned char *)p >= heap_area && (const unsigned char *)p < heap_area + HEAP_SIZE;
}

static void check_fill(const struct slot *s)
{
	for (size_t i = 0; i < s->size; i++) {
		if (s->p[i] != s->fill) {
			fail_msg("block %p (%zu bytes) changed at byte %zu", (void *)s->p, s->size, i);
		}
	}
}

static size_t random_size(void)
{
	switch (harness_below(4)) {
	case 0:
		return harness_below(32);
	case 1:
		return harness_below(512);
	case 2:
		return harness_below(4096);
	default:
		return harness_below(40000);
	}
}

static void heap_random_workload_keeps_blocks_intact(void **state)
{
	static struct slot slots[SLOTS];
	struct hl_heap_stats stats;
	size_t live = 0;

	(void)state;
	heap_fresh();
	memset(slots, 0, sizeof(slots));
	harness_seed(0x5eed0301);
	for (int op = 0; op < OPERATIONS; op++) {
		struct slot *s = &slots[harness_below(SLOTS)];
		size_t size = random_size();

		if (s->p != NULL) {
			check_fill(s);
		}
		if (s->p != NULL && harness_below(3) == 0) {
			/* Resize: the old contents must survive up to the smaller size. */
			unsigned char *p = hl_krealloc(s->p, size);

			if (p == NULL) {
				continue;
			}
			s->p = p;
			s->size = size < s->size ? size : s->size;
			check_fill(s);
			s->size = size;
		} else if (s->p != NULL) {
			hl_kfree(s->p);
			s->p = NULL;
			live--;
			continue;
		} else {
			/* One in four asks for 32..2048-byte alignment. */
			size_t align = harness_below(4) == 0 ? (size_t)32 << harness_below(7) : 16;

			s->p = align > 16 ? hl_kmalloc_aligned(size, align) : hl_kmalloc(size);
			if (s->p == NULL) {
				continue;
			}
			live++;
			assert_int_equal((uintptr_t)s->p % align, 0);
			s->size = size;
		}
		assert_true(hl_kmalloc_usable_size(s->p) >= s->size);
		s->fill = (unsigned char)harness_random();
		memset(s->p, s->fill, s->size);
		hl_heap_stats(&stats);
		assert_int_equal(stats.allocations, live);
		assert_true(stats.used <= stats.peak && stats.peak <= stats.total);
	}
	for (size_t i = 0; i < SLOTS; i++) {
		if (slots[i].p != NULL) {
			check_fill(&slots[i]);
			hl_kfree(slots[i].p);
		}
	}
	hl_heap_stats(&stats);
	assert_int_equal(stats.allocations, 0);
	assert_int_equal(stats.used, 0);
	assert_int_equal(stats.total, HEAP_SIZE - 16);
	/* Everything merged back: the region holds as many of the largest
	 * small blocks as fit end to end, without growing. */
	for (size_t i = 0; i < stats.total / (LARGE_MIN - 16); i++) {
		assert_true(in_heap_area(hl_kmalloc(LARGE_MIN - 32)));
	}
}

static void heap_aligned_allocations_are_aligned(void **state)
{
	(void)state;
	heap_fresh();
	for (size_t align = 16; align <= 65536; align *= 2) {
		for (size_t size = 0; size < 300; size += 37) {
			void *p = hl_kmalloc_aligned(size, align);

			assert_non_null(p);
			assert_int_equal((uintptr_t)p % align, 0);
			memset(p, 0xee, size);
			hl_kfree(p);
		}
	}
	EXPECT_PANIC(hl_kmalloc_aligned(8, 48));
}

static void heap_exhaustion_returns_null_and_recovers(void **state)
{
	static void *blocks[(HEAP_SIZE + HARNESS_RAM_SIZE) / 1024];
	size_t count = 0;
	struct hl_heap_stats stats;

	(void)state;
	heap_fresh();
	assert_null(hl_kmalloc(HARNESS_RAM_SIZE));
	assert_null(hl_kmalloc(SIZE_MAX));
	assert_null(hl_kmalloc_aligned(SIZE_MAX - 100, 4096));
	/* The first region, then regions grown from the pages, until those
	 * run out. */
	while ((blocks[count] = hl_kmalloc(1000)) != NULL) {
		count++;
	}
	assert_true(count > (HEAP_SIZE + HARNESS_RAM_SIZE / 2) / 1100);
	hl_heap_stats(&stats);
	assert_int_equal(stats.allocations, count);
	assert_true(stats.total > HEAP_SIZE + HARNESS_RAM_SIZE / 2);
	/* A failed krealloc leaves the block as it was. */
	memset(blocks[0], 0x42, 1000);
	assert_null(hl_krealloc(blocks[0], HARNESS_RAM_SIZE));
	assert_int_equal(((unsigned char *)blocks[0])[999], 0x42);
	while (count > 0) {
		hl_kfree(blocks[--count]);
	}
	/* Grown regions went back: the pages are whole again. */
	hl_heap_stats(&stats);
	assert_int_equal(stats.used, 0);
	assert_int_equal(stats.total, HEAP_SIZE - 16);
	assert_true(stats.peak > HEAP_SIZE + HARNESS_RAM_SIZE / 2);
	hl_kfree(hl_kmalloc(HARNESS_RAM_SIZE - 2 * 4096));
}

static void heap_large_blocks_live_on_pages(void **state)
{
	struct hl_heap_stats stats;
	unsigned char *p;
	unsigned char *q;

	(void)state;
	heap_fresh();
	p = hl_kmalloc(100000);
	assert_non_null(p);
	assert_false(in_heap_area(p));
	assert_int_equal((uintptr_t)p % 16, 0);
	/* The run's pages, less the record below the payload. */
	assert_int_equal(hl_kmalloc_usable_size(p), 25 * 4096 - 32);
	hl_heap_stats(&stats);
	assert_int_equal(stats.allocations, 1);
	assert_int_equal(stats.used, 25 * 4096);
	assert_int_equal(stats.total, HEAP_SIZE - 16 + 25 * 4096);
	memset(p, 0x5a, 100000);

	/* Grows by moving, shrinks in place while large, moves back when small. */
	q = hl_krealloc(p, 300000);
	assert_non_null(q);
	assert_int_equal(q[99999], 0x5a);
	p = hl_krealloc(q, LARGE_MIN);
	assert_ptr_equal(p, q);
	q = hl_krealloc(p, 100);
	assert_true(in_heap_area(q));
	assert_int_equal(q[99], 0x5a);
	hl_kfree(q);

	/* Alignment beyond a page, and alignment alone making a block large. */
	p = hl_kmalloc_aligned(LARGE_MIN + 1, 32768);
	assert_int_equal((uintptr_t)p % 32768, 0);
	q = hl_kmalloc_aligned(10, 1 << 20);
	assert_int_equal((uintptr_t)q % (1 << 20), 0);
	assert_false(in_heap_area(q));
	memset(q, 1, 10);
	hl_kfree(p);
	hl_kfree(q);
	hl_heap_stats(&stats);
	assert_int_equal(stats.allocations, 0);
	assert_int_equal(stats.used, 0);
	assert_int_equal(stats.total, HEAP_SIZE - 16);
	/* Every page came back. */
	hl_kfree(hl_kmalloc(HARNESS_RAM_SIZE - 2 * 4096));
}

static void heap_grows_and_shrinks_by_regions(void **state)
{
	static void *blocks[3 * HEAP_SIZE / 48000];
	struct hl_heap_stats stats;
	size_t count = 0;

	(void)state;
	heap_fresh();
	/* 3 MiB of small blocks: twice the first region. */
	while (count < 3 * HEAP_SIZE / 48000) {
		blocks[count] = hl_kmalloc(48000);
		assert_non_null(blocks[count]);
		memset(blocks[count], (int)count, 48000);
		count++;
	}
	hl_heap_stats(&stats);
	assert_true(stats.total > 3 * HEAP_SIZE);
	assert_int_equal(stats.allocations, count);
	while (count > 0) {
		count--;
		assert_int_equal(((unsigned char *)blocks[count])[47999], (unsigned char)count);
		hl_kfree(blocks[count]);
	}
	hl_heap_stats(&stats);
	assert_int_equal(stats.total, HEAP_SIZE - 16);
	assert_int_equal(stats.used, 0);
}

static void heap_krealloc_grows_in_place_into_free_space(void **state)
{
	unsigned char *p;
	unsigned char *q;

	(void)state;
	heap_fresh();
	p = hl_kmalloc(100);
	memset(p, 7, 100);
	q = hl_krealloc(p, 5000);
	assert_ptr_equal(p, q);
	assert_int_equal(q[99], 7);
	q = hl_krealloc(q, 10);
	assert_ptr_equal(p, q);
	assert_int_equal(q[9], 7);
	assert_non_null(hl_krealloc(NULL, 10));
}

static void heap_misuse_panics(void **state)
{
	int on_stack;
	unsigned char *p;
	unsigned char *q;

	(void)state;
	heap_fresh();
	p = hl_kmalloc(64);
	q = hl_kmalloc(64);

	hl_kfree(p);
	EXPECT_PANIC(hl_kfree(p));
	assert_non_null(strstr(harness_panic_message, "double free"));

	EXPECT_PANIC(hl_kfree(&on_stack));
	assert_non_null(strstr(harness_panic_message, "not a heap pointer"));

	EXPECT_PANIC(hl_kfree(q + 16));
	assert_non_null(strstr(harness_panic_message, "not an allocated block"));

	/* Overflow past the end of p clobbers q's header. */
	heap_fresh();
	p = hl_kmalloc(64);
	q = hl_kmalloc(64);
	memset(p, 0, hl_kmalloc_usable_size(p) + 12);
	EXPECT_PANIC(hl_kfree(p));
	assert_non_null(strstr(harness_panic_message, "corrupted"));

	/* A header overwritten in place. */
	heap_fresh();
	p = hl_kmalloc(64);
	p[-1] ^= 0x40;
	EXPECT_PANIC(hl_kfree(p));
	assert_non_null(strstr(harness_panic_message, "corrupted"));

	/* A double free after the block merged into its free neighbour. */
	heap_fresh();
	p = hl_kmalloc(64);
	q = hl_kmalloc(64);
	hl_kfree(p);
	hl_kfree(q);
	EXPECT_PANIC(hl_kfree(q));
	assert_non_null(strstr(harness_panic_message, "double free"));

	/* The same for large blocks. */
	heap_fresh();
	p = hl_kmalloc(LARGE_MIN);
	hl_kfree(p);
	EXPECT_PANIC(hl_kfree(p));
	assert_non_null(strstr(harness_panic_message, "double free"));

	p = hl_kmalloc(LARGE_MIN);
	EXPECT_PANIC(hl_kfree(p + 4096));
	assert_non_null(strstr(harness_panic_message, "not an allocated block"));
	p[-1] ^= 0x40;
	EXPECT_PANIC(hl_kfree(p));
	assert_non_null(strstr(harness_panic_message, "corrupted"));

	EXPECT_PANIC(hl_heap_init(heap_area, 40));
}

static void malloc_layer_follows_c_and_posix(void **state)
{
	unsigned char *p;
	void *out = NULL;

	(void)state;
	heap_fresh();
	p = hl_calloc(100, 3);
	for (int i = 0; i < 300; i++) {
		assert_int_equal(p[i], 0);
	}
	assert_true(hl_malloc_usable_size(p) >= 300);
	assert_int_equal(hl_malloc_usable_size(NULL), 0);
	hl_free(p);
	hl_free(NULL);

	hl_errno = 0;
	assert_null(hl_calloc(SIZE_MAX / 2, 3));
	assert_int_equal(hl_errno, ENOMEM);
	hl_errno = 0;
	assert_null(hl_malloc(HARNESS_RAM_SIZE * 2));
	assert_int_equal(hl_errno, ENOMEM);

	p = hl_malloc(10);
	memcpy(p, "0123456789", 10);
	p = hl_reallocarray(p, 50, 2);
	assert_memory_equal(p, "0123456789", 10);
	hl_errno = 0;
	assert_null(hl_reallocarray(p, SIZE_MAX / 2, 4));
	assert_int_equal(hl_errno, ENOMEM);
	assert_null(hl_realloc(p, 0));
	p = hl_realloc(NULL, 5);
	assert_non_null(p);
	hl_free(p);

	p = hl_aligned_alloc(256, 10);
	assert_int_equal((uintptr_t)p % 256, 0);
	hl_free(p);
	p = hl_memalign(4096, 1);
	assert_int_equal((uintptr_t)p % 4096, 0);
	hl_free(p);
	hl_errno = 0;
	assert_null(hl_memalign(48, 1));
	assert_int_equal(hl_errno, EINVAL);
	assert_int_equal(hl_posix_memalign(&out, 3, 8), EINVAL);
	assert_int_equal(hl_posix_memalign(&out, 4, 8), EINVAL);
	assert_int_equal(hl_posix_memalign(&out, 64, HARNESS_RAM_SIZE * 2), ENOMEM);
	assert_int_equal(hl_posix_memalign(&out, 64, 8), 0);
	assert_int_equal((uintptr_t)out % 64, 0);
	hl_free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(heap_random_workload_keeps_blocks_intact),
		cmocka_unit_test(heap_aligned_allocations_are_aligned),
		cmocka_unit_test(heap_exhaustion_returns_null_and_recovers),
		cmocka_unit_test(heap_krealloc_grows_in_place_into_free_space),
		cmocka_unit_test(heap_large_blocks_live_on_pages),
		cmocka_unit_test(heap_grows_and_shrinks_by_regions),
		cmocka_unit_test(heap_misuse_panics),
		cmocka_unit_test(malloc_layer_follows_c_and_posix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
