/* The physical page allocator; see hillock/page.h.
 *
 * Every range of VTL2 RAM carries a map with one byte per page, kept in
 * the range's own first free pages:
 *
 *   bits 0-3  the page's use (enum page_use; PAGE_USE_FREE is 0)
 *   bit 7     MAP_HEAD: the first page of an allocation
 *
 * An allocation of count pages is one HEAD page followed by count - 1
 * pages of the same use without HEAD.  That is all page_free() needs to
 * check a release: the first page must be a HEAD of the use given, the
 * others must carry that use without HEAD, and the page after the run must
 * not continue it.  The image and the map itself are entered as runs of
 * their own (IMAGE, PAGE_MAP), so every page of a range is accounted, and
 * page_free() refuses those uses.
 *
 * Allocation is first fit, range by range, from a hint below which no page
 * is free.  One lock covers the map, the hints and the counts; it ranks
 * above the heap's and the page tables' (hillock/spinlock.h), which both
 * take pages while holding theirs.  The map is written through the identity map: before the
 * kernel's tables are up only the boot map covers RAM, so ranges are cut
 * at bi->map_limit. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/page.h>
#include <hillock/panic.h>
#include <hillock/spinlock.h>

#define MAP_USE_MASK 0x0fu
#define MAP_HEAD 0x80u
#define RANGE_MAX (BOOT_RAM_RANGES_MAX)
/* Alignments beyond this are never satisfiable and would overflow. */
#define ALIGN_PAGES_MAX (1ull << 40)

_Static_assert(PAGE_USE_COUNT <= MAP_USE_MASK + 1, "a use must fit in the map byte");

struct page_range {
	uint64_t base;	/* address of the first page */
	uint64_t count; /* pages */
	uint8_t *map;	/* one byte per page */
	uint64_t hint;	/* every page below this index is in use */
};

static struct {
	struct spinlock lock;
	unsigned long lock_irq_flags; /* what spin_lock() returned to the holder */
	struct page_range ranges[RANGE_MAX];
	unsigned int range_count;
	struct page_stats stats;
} pages = {.lock = SPINLOCK_INIT("page", LOCK_RANK_PAGE)};

static void page_lock(void)
{
	unsigned long flags = spin_lock(&pages.lock);

	pages.lock_irq_flags = flags;
}

static void page_unlock(void)
{
	spin_unlock(&pages.lock, pages.lock_irq_flags);
}

/* Misuse found with the lock held: let go of it before panicking, so that
 * nothing the report does can stall on it (and a host test that expects
 * the panic can go on using the allocator). */
static _Noreturn __attribute__((format(printf, 1, 2))) void page_panic(const char *fmt, ...)
{
	char msg[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (spin_lock_held(&pages.lock)) {
		page_unlock();
	}
	panic("%s", msg);
}

static const char *const page_use_names[PAGE_USE_COUNT] = {
	[PAGE_USE_FREE] = "free",
	[PAGE_USE_IMAGE] = "image",
	[PAGE_USE_PAGE_TABLES] = "page-tables",
	[PAGE_USE_HEAP] = "heap",
	[PAGE_USE_STACK] = "stack",
	[PAGE_USE_PERCPU] = "percpu",
	[PAGE_USE_SIDECAR] = "sidecar",
	[PAGE_USE_DMA] = "dma",
	[PAGE_USE_COMPARTMENT] = "compartment",
	[PAGE_USE_PAGE_MAP] = "page-map",
};

const char *page_use_name(enum page_use use)
{
	return (unsigned int)use < PAGE_USE_COUNT ? page_use_names[use] : "invalid";
}

/* What page_alloc() may hand out and page_free() take back. */
static bool page_use_allocatable(enum page_use use)
{
	return (unsigned int)use < PAGE_USE_COUNT && use != PAGE_USE_FREE && use != PAGE_USE_IMAGE &&
	       use != PAGE_USE_PAGE_MAP;
}

static void range_mark(struct page_range *r, uint64_t first, uint64_t count, enum page_use use)
{
	memset(r->map + first, (int)use, count);
	r->map[first] |= MAP_HEAD;
	pages.stats.pages[PAGE_USE_FREE] -= count;
	pages.stats.pages[use] += count;
}

/* Manage [lo, hi) (page-aligned) minus the image [img_lo, img_hi). */
static void range_add(uint64_t lo, uint64_t hi, uint64_t img_lo, uint64_t img_hi)
{
	uint64_t count = (hi - lo) >> PAGE_SHIFT;
	uint64_t map_pages = (count + PAGE_SIZE - 1) >> PAGE_SHIFT;
	uint64_t map_at = lo;
	bool has_image = img_lo < hi && img_hi > lo;

	if (has_image) {
		img_lo = img_lo < lo ? lo : img_lo;
		img_hi = img_hi > hi ? hi : img_hi;
		if (map_at + (map_pages << PAGE_SHIFT) > img_lo) {
			map_at = img_hi;
		}
	}
	if (pages.range_count == RANGE_MAX || map_at + (map_pages << PAGE_SHIFT) >= hi) {
		printf("page: RAM %#llx-%#llx left out (no room for its map or too many ranges)\n",
		       (unsigned long long)lo, (unsigned long long)hi);
		return;
	}

	struct page_range *r = &pages.ranges[pages.range_count++];

	r->base = lo;
	r->count = count;
	r->map = (uint8_t *)(uintptr_t)map_at;
	r->hint = 0;
	memset(r->map, PAGE_USE_FREE, count);
	pages.stats.total += count;
	pages.stats.pages[PAGE_USE_FREE] += count;
	if (has_image) {
		range_mark(r, (img_lo - lo) >> PAGE_SHIFT, (img_hi - img_lo) >> PAGE_SHIFT,
			   PAGE_USE_IMAGE);
	}
	range_mark(r, (map_at - lo) >> PAGE_SHIFT, map_pages, PAGE_USE_PAGE_MAP);
	if (r->map == (uint8_t *)(uintptr_t)lo) {
		r->hint = map_pages;
	}
}

int page_alloc_init(const struct boot_info *bi)
{
	uint64_t img_lo = bi->image_base & ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t img_hi = (bi->image_end + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);

	memset(pages.ranges, 0, sizeof(pages.ranges));
	memset(&pages.stats, 0, sizeof(pages.stats));
	pages.range_count = 0;
	for (unsigned int i = 0; i < bi->ram_count; i++) {
		uint64_t lo = (bi->ram[i].base + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		uint64_t hi = (bi->ram[i].base + bi->ram[i].size) & ~(uint64_t)(PAGE_SIZE - 1);

		if (hi > bi->map_limit) {
			printf("page: RAM %#llx-%#llx beyond the boot map left out\n",
			       (unsigned long long)bi->map_limit, (unsigned long long)hi);
			hi = bi->map_limit & ~(uint64_t)(PAGE_SIZE - 1);
		}
		if (hi > lo) {
			range_add(lo, hi, img_lo, img_hi);
		}
	}
	if (pages.stats.pages[PAGE_USE_FREE] == 0) {
		printf("page: no free VTL2 RAM\n");
		return -1;
	}
	return 0;
}

/* First fit in r, or UINT64_MAX. */
static uint64_t range_find(const struct page_range *r, uint64_t count, uint64_t align_bytes)
{
	uint64_t i = r->hint;

	while (i < r->count && count <= r->count - i) {
		uint64_t pa = r->base + (i << PAGE_SHIFT);
		uint64_t aligned = (pa + align_bytes - 1) & ~(align_bytes - 1);
		uint64_t j = 0;

		i = (aligned - r->base) >> PAGE_SHIFT;
		if (i >= r->count || count > r->count - i) {
			break;
		}
		while (j < count && r->map[i + j] == PAGE_USE_FREE) {
			j++;
		}
		if (j == count) {
			return i;
		}
		i += j + 1;
	}
	return UINT64_MAX;
}

uint64_t page_alloc(size_t count, size_t align_pages, enum page_use use)
{
	if (count == 0 || align_pages == 0 || (align_pages & (align_pages - 1)) != 0 ||
	    !page_use_allocatable(use)) {
		panic("page_alloc(%zu, %zu, %s): bad request", count, align_pages, page_use_name(use));
	}
	if (align_pages > ALIGN_PAGES_MAX) {
		return 0;
	}
	page_lock();
	for (unsigned int n = 0; n < pages.range_count; n++) {
		struct page_range *r = &pages.ranges[n];
		uint64_t i = range_find(r, count, (uint64_t)align_pages << PAGE_SHIFT);

		if (i == UINT64_MAX) {
			continue;
		}
		range_mark(r, i, count, use);
		if (i == r->hint) {
			r->hint = i + count;
		}
		page_unlock();
		return r->base + (i << PAGE_SHIFT);
	}
	page_unlock();
	return 0;
}

/* The range holding pa, or NULL. */
static struct page_range *range_of(uint64_t pa)
{
	for (unsigned int n = 0; n < pages.range_count; n++) {
		if (pa >= pages.ranges[n].base &&
		    ((pa - pages.ranges[n].base) >> PAGE_SHIFT) < pages.ranges[n].count) {
			return &pages.ranges[n];
		}
	}
	return NULL;
}

void page_free(uint64_t pa, size_t count, enum page_use use)
{
	struct page_range *r;
	uint64_t i;

	if (count == 0 || !page_use_allocatable(use) || (pa & (PAGE_SIZE - 1)) != 0) {
		panic("page_free(%#llx, %zu, %s): bad request", (unsigned long long)pa, count,
		      page_use_name(use));
	}
	page_lock();
	r = range_of(pa);
	if (!r) {
		page_panic("page_free(%#llx, %zu, %s): not VTL2 RAM the allocator manages",
		      (unsigned long long)pa, count, page_use_name(use));
	}
	i = (pa - r->base) >> PAGE_SHIFT;
	if (r->map[i] == PAGE_USE_FREE) {
		page_panic("page_free(%#llx, %zu, %s): double free (the page is free)",
		      (unsigned long long)pa, count, page_use_name(use));
	}
	if (r->map[i] != (MAP_HEAD | use)) {
		page_panic("page_free(%#llx, %zu, %s): not the start of a %s allocation (page is %s%s)",
		      (unsigned long long)pa, count, page_use_name(use), page_use_name(use),
		      page_use_name((enum page_use)(r->map[i] & MAP_USE_MASK)),
		      r->map[i] & MAP_HEAD ? ", first of a run" : ", inside a run");
	}
	if (count > r->count - i) {
		page_panic("page_free(%#llx, %zu, %s): runs past the end of its RAM range",
		      (unsigned long long)pa, count, page_use_name(use));
	}
	for (uint64_t j = 1; j < count; j++) {
		if (r->map[i + j] != use) {
			page_panic("page_free(%#llx, %zu, %s): the allocation is shorter than %zu pages",
			      (unsigned long long)pa, count, page_use_name(use), count);
		}
	}
	if (i + count < r->count && r->map[i + count] == use) {
		page_panic("page_free(%#llx, %zu, %s): the allocation is longer than %zu pages",
		      (unsigned long long)pa, count, page_use_name(use), count);
	}
	memset(r->map + i, PAGE_USE_FREE, count);
	pages.stats.pages[use] -= count;
	pages.stats.pages[PAGE_USE_FREE] += count;
	if (i < r->hint) {
		r->hint = i;
	}
	page_unlock();
}

enum page_use page_use_at(uint64_t pa)
{
	enum page_use use = PAGE_USE_COUNT;
	struct page_range *r;

	page_lock();
	r = range_of(pa);
	if (r) {
		use = (enum page_use)(r->map[(pa - r->base) >> PAGE_SHIFT] & MAP_USE_MASK);
	}
	page_unlock();
	return use;
}

void page_stats_get(struct page_stats *out)
{
	page_lock();
	*out = pages.stats;
	page_unlock();
}

void page_stats_print(void)
{
	struct page_stats st;

	page_stats_get(&st);
	printf("mem: %-12s %8llu KiB\n", "total", (unsigned long long)(st.total * (PAGE_SIZE / 1024)));
	for (unsigned int use = 0; use < PAGE_USE_COUNT; use++) {
		printf("mem: %-12s %8llu KiB\n", page_use_names[use],
		       (unsigned long long)(st.pages[use] * (PAGE_SIZE / 1024)));
	}
}
