/* The kernel heap: small blocks in regions of pages, large blocks on page
 * runs of their own.  One lock (LOCK_RANK_HEAP) covers it all; it ranks
 * below the page allocator's, which the heap calls while holding it.
 *
 * Small blocks (under HEAP_LARGE_MIN bytes): boundary-tagged blocks with
 * segregated free lists.  Every block starts with a 16-byte header and is
 * a multiple of 16 bytes, so payloads stay 16-byte aligned:
 *
 *   used block:  | size|flags | tag | payload ............................ |
 *   free block:  | size|flags | tag | next | prev | ........... | size     |
 *
 * size covers the whole block.  Bit 0 of the size word (PREV_FREE) says the
 * block before is free; only then is that block's last word, its footer,
 * meaningful, and it lets free() find and merge the previous block.  Free
 * blocks never touch (they are merged), and each sits on the list of its
 * power-of-two size class.
 *
 * tag is a guard: a state constant XORed with the block's address.  A wrong
 * tag means a bad pointer, a double free or an overwritten header.  A
 * zero-size used block (the sentinel) ends each region, so every block has
 * a next block whose tag can be checked.
 *
 * Regions: heap_init() gives the first.  When no free block fits, the heap
 * grows by a region of at least HEAP_GROW_PAGES pages (PAGE_USE_HEAP), and
 * a grown region that is entirely free again goes back to the page
 * allocator, so the heap holds about what is in use.
 *
 * Large blocks (HEAP_LARGE_MIN bytes and up, or as strongly aligned) each
 * get a run of pages (PAGE_USE_HEAP): freeing one gives the pages back
 * whole, and large blocks never fragment the regions.  A large_record
 * sits just below the payload, its last 16 bytes shaped like a small
 * block's header, tagged TAG_LARGE:
 *
 *   | ... | base | pages | size|flags | tag | payload ............. |
 *   ^ base                                  ^ base + max(32, alignment)
 *
 * size then runs from that header to the end of the run.  A pointer that is
 * in no region is only read as a large block after the page allocator says
 * its record lies in heap pages; pages that are free mean a double free. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/heap.h>
#include <hillock/page.h>
#include <hillock/panic.h>
#include <hillock/spinlock.h>

#define HEAP_ALIGN 16
#define PREV_FREE ((size_t)1)
#define SIZE_MASK (~(size_t)(HEAP_ALIGN - 1))

#define TAG_USED ((uintptr_t)0x5553454448454150ULL)   /* "PAEHDESU" */
#define TAG_FREE ((uintptr_t)0x4545524648454150ULL)   /* "PAEHFREE" */
#define TAG_MERGED ((uintptr_t)0x4547524d48454150ULL) /* "PAEHMRGE" */
#define TAG_LARGE ((uintptr_t)0x4752414c48454150ULL)  /* "PAEHLARG" */

/* Requests of this size or alignment and up are large blocks. */
#define HEAP_LARGE_MIN ((size_t)64 << 10)
/* A grown region: far more than any small request needs. */
#define HEAP_GROW_PAGES 512
/* With HEAP_GROW_PAGES, up to 128 MiB of small blocks. */
#define HEAP_REGION_MAX 64

struct block {
	size_t size_flags;
	uintptr_t tag;
};

/* Where a free block keeps its list links: right after its header. */
struct free_links {
	struct block *next;
	struct block *prev;
};

/* Just below a large block's payload. */
struct large_record {
	uintptr_t base; /* the run's first byte */
	size_t pages;
	struct block block;
};

struct heap_region {
	uintptr_t start; /* first block */
	uintptr_t end;	 /* the sentinel */
	size_t pages;	 /* pages the heap took for it; 0 for heap_init()'s */
};

#define HEADER_SIZE sizeof(struct block)
#define FOOTER_SIZE sizeof(size_t)
/* Header, links and footer, rounded up to the alignment. */
#define MIN_BLOCK 48

/* Size class k holds free blocks of size [2^(k+5), 2^(k+6)); 48 is in 0. */
#define CLASS_SHIFT 5
#define CLASS_COUNT (sizeof(size_t) * 8 - CLASS_SHIFT)

_Static_assert(HEADER_SIZE == HEAP_ALIGN, "payloads must stay aligned");
_Static_assert(MIN_BLOCK >= HEADER_SIZE + sizeof(struct free_links) + FOOTER_SIZE,
	       "a free block must hold its links and footer");
_Static_assert(sizeof(struct large_record) == 2 * HEAP_ALIGN, "large payloads must stay aligned");

static struct {
	struct spinlock lock;
	unsigned long lock_irq_flags; /* what spin_lock() returned to the holder */
	struct heap_region regions[HEAP_REGION_MAX];
	unsigned int region_count;
	struct block *free_lists[CLASS_COUNT];
	struct heap_stats stats;
} heap = {.lock = SPINLOCK_INIT("heap", LOCK_RANK_HEAP)};

static void heap_lock(void)
{
	unsigned long flags = spin_lock(&heap.lock);

	heap.lock_irq_flags = flags;
}

static void heap_unlock(void)
{
	spin_unlock(&heap.lock, heap.lock_irq_flags);
}

/* Misuse found with the lock held: let go of it before panicking, so that
 * nothing the report does can stall on it (and a host test that expects
 * the panic can go on using the heap). */
static _Noreturn __attribute__((format(printf, 1, 2))) void heap_panic(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (spin_lock_held(&heap.lock)) {
		heap_unlock();
	}
	panic("%s", msg);
}

static size_t block_size(const struct block *b)
{
	return b->size_flags & SIZE_MASK;
}

static bool block_has_tag(const struct block *b, uintptr_t state)
{
	return b->tag == (state ^ (uintptr_t)b);
}

static void block_set_tag(struct block *b, uintptr_t state)
{
	b->tag = state ^ (uintptr_t)b;
}

static struct block *block_next(const struct block *b)
{
	return (struct block *)((uintptr_t)b + block_size(b));
}

static struct free_links *block_links(struct block *b)
{
	return (struct free_links *)(b + 1);
}

static size_t *block_footer(struct block *b)
{
	return (size_t *)((uintptr_t)block_next(b) - FOOTER_SIZE);
}

/* The region holding address a, or NULL. */
static struct heap_region *region_of(uintptr_t a)
{
	for (unsigned int i = 0; i < heap.region_count; i++) {
		if (a >= heap.regions[i].start && a < heap.regions[i].end) {
			return &heap.regions[i];
		}
	}
	return NULL;
}

/* Checks the block after b (in r) before trusting it: an allocation that
 * ran past its end has overwritten that header. */
static struct block *block_checked_next(const struct heap_region *r, const struct block *b)
{
	struct block *next = block_next(b);

	if ((uintptr_t)next > r->end ||
	    !(block_has_tag(next, TAG_USED) || block_has_tag(next, TAG_FREE))) {
		heap_panic("heap: header after block %p (size %zu) is corrupted; overflow past its end?",
			   (void *)(b + 1), block_size(b));
	}
	return next;
}

static unsigned int size_class(size_t size)
{
	unsigned int log2 = (unsigned int)(sizeof(size_t) * 8 - 1) - (unsigned int)__builtin_clzl(size);

	return log2 - CLASS_SHIFT;
}

static void free_list_insert(struct block *b)
{
	struct block **head = &heap.free_lists[size_class(block_size(b))];

	block_links(b)->prev = NULL;
	block_links(b)->next = *head;
	if (*head != NULL) {
		block_links(*head)->prev = b;
	}
	*head = b;
}

static void free_list_remove(struct block *b)
{
	struct free_links *links = block_links(b);

	if (links->prev != NULL) {
		block_links(links->prev)->next = links->next;
	} else {
		heap.free_lists[size_class(block_size(b))] = links->next;
	}
	if (links->next != NULL) {
		block_links(links->next)->prev = links->prev;
	}
}

/* Makes b (in r, not on any list, size set) free: merges it with free
 * neighbours and files the result, which it returns. */
static struct block *block_release(const struct heap_region *r, struct block *b)
{
	struct block *next = block_checked_next(r, b);

	if (block_has_tag(next, TAG_FREE)) {
		free_list_remove(next);
		b->size_flags += block_size(next);
		block_set_tag(next, TAG_MERGED);
	}
	if (b->size_flags & PREV_FREE) {
		size_t prev_size = *(size_t *)((uintptr_t)b - FOOTER_SIZE);
		struct block *prev = (struct block *)((uintptr_t)b - prev_size);

		if (prev_size < MIN_BLOCK || (uintptr_t)prev < r->start ||
		    !block_has_tag(prev, TAG_FREE) || block_size(prev) != prev_size) {
			heap_panic("heap: free block before %p is corrupted", (void *)(b + 1));
		}
		free_list_remove(prev);
		prev->size_flags += block_size(b);
		block_set_tag(b, TAG_MERGED);
		b = prev;
	}
	block_set_tag(b, TAG_FREE);
	*block_footer(b) = block_size(b);
	block_next(b)->size_flags |= PREV_FREE;
	free_list_insert(b);
	return b;
}

/* Turns b (in r, not on any list) into a used block of exactly size bytes
 * when the rest can stand alone as a free block, else of its whole size. */
static void block_place(const struct heap_region *r, struct block *b, size_t size)
{
	size_t rest = block_size(b) - size;

	if (rest >= MIN_BLOCK) {
		struct block *tail = (struct block *)((uintptr_t)b + size);

		b->size_flags -= rest;
		tail->size_flags = rest;
		block_release(r, tail);
	}
	block_set_tag(b, TAG_USED);
	block_next(b)->size_flags &= ~PREV_FREE;
}

/* A free block of at least size bytes, taken off its list; NULL if none. */
static struct block *free_list_take(size_t size)
{
	unsigned int k = size_class(size);

	/* The request's own class may hold smaller blocks: search it first. */
	for (struct block *b = heap.free_lists[k]; b != NULL; b = block_links(b)->next) {
		if (block_size(b) >= size) {
			free_list_remove(b);
			return b;
		}
	}
	/* Any block in a higher class is large enough. */
	for (k++; k < CLASS_COUNT; k++) {
		struct block *b = heap.free_lists[k];

		if (b != NULL) {
			free_list_remove(b);
			return b;
		}
	}
	return NULL;
}

/* The block size that serves a request of size bytes, or 0 if too big. */
static size_t block_size_for(size_t size)
{
	if (size > SIZE_MAX / 2) {
		return 0;
	}
	size = (size + HEADER_SIZE + HEAP_ALIGN - 1) & SIZE_MASK;
	return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* Accounts for an allocated block changing from old_size to new_size
 * bytes (0 when it does not exist). */
static void stats_update(size_t old_size, size_t new_size)
{
	heap.stats.used = heap.stats.used - old_size + new_size;
	if (heap.stats.used > heap.stats.peak) {
		heap.stats.peak = heap.stats.used;
	}
	heap.stats.allocations += (new_size != 0) - (old_size != 0);
}

/* [base, base + size) becomes a region of one free block and a sentinel;
 * false if there is no room for another region or the block. */
static bool region_add(uintptr_t base, size_t size, size_t pages)
{
	uintptr_t start = (base + HEAP_ALIGN - 1) & SIZE_MASK;
	uintptr_t limit = base + size;
	struct heap_region *r = &heap.regions[heap.region_count];
	struct block *first = (struct block *)start;
	struct block *sentinel;

	if (heap.region_count == HEAP_REGION_MAX || limit < base ||
	    limit < start + MIN_BLOCK + HEADER_SIZE) {
		return false;
	}
	heap.region_count++;
	r->start = start;
	r->end = (limit - HEADER_SIZE) & SIZE_MASK;
	r->pages = pages;
	heap.stats.total += r->end - r->start;

	sentinel = (struct block *)r->end;
	sentinel->size_flags = 0;
	block_set_tag(sentinel, TAG_USED);
	first->size_flags = r->end - r->start;
	block_release(r, first);
	return true;
}

/* A region of at least size bytes of free block from the page allocator. */
static bool region_grow(size_t size)
{
	size_t pages = (size + MIN_BLOCK + 2 * HEADER_SIZE + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t pa;

	pages = pages < HEAP_GROW_PAGES ? HEAP_GROW_PAGES : pages;
	if (heap.region_count == HEAP_REGION_MAX) {
		return false;
	}
	pa = page_alloc(pages, 1, PAGE_USE_HEAP);
	if (pa == 0) {
		return false;
	}
	return region_add((uintptr_t)pa, pages * PAGE_SIZE, pages);
}

/* Gives r back to the page allocator if it is a grown region and b, the
 * free block just filed, now spans all of it. */
static void region_shrink(struct heap_region *r, struct block *b)
{
	if (r->pages == 0 || (uintptr_t)b != r->start || (uintptr_t)block_next(b) != r->end) {
		return;
	}
	free_list_remove(b);
	block_set_tag(b, TAG_MERGED);
	heap.stats.total -= r->end - r->start;
	page_free(r->start, r->pages, PAGE_USE_HEAP);
	*r = heap.regions[--heap.region_count];
}

/* A free block of at least size bytes, growing the heap if none is. */
static struct block *small_take(size_t size, struct heap_region **region)
{
	struct block *b = free_list_take(size);

	if (b == NULL && region_grow(size)) {
		b = free_list_take(size);
	}
	if (b != NULL) {
		*region = region_of((uintptr_t)b);
	}
	return b;
}

static void *small_alloc(size_t size, size_t align)
{
	size_t needed = block_size_for(size);
	struct heap_region *r;
	struct block *b;
	uintptr_t payload;

	if (needed == 0) {
		return NULL;
	}
	if (align <= HEAP_ALIGN) {
		b = small_take(needed, &r);
		if (b == NULL) {
			return NULL;
		}
		block_place(r, b, needed);
		stats_update(0, block_size(b));
		return b + 1;
	}
	/* Room to move the payload up to the alignment, leaving a gap before
	 * it that is large enough to be a free block of its own. */
	b = small_take(needed + align + MIN_BLOCK, &r);
	if (b == NULL) {
		return NULL;
	}
	payload = ((uintptr_t)(b + 1) + align - 1) & ~(align - 1);
	if (payload != (uintptr_t)(b + 1)) {
		struct block *lead = b;
		size_t lead_size;

		if (payload - (uintptr_t)(b + 1) < MIN_BLOCK) {
			payload = ((uintptr_t)(b + 1) + MIN_BLOCK + align - 1) & ~(align - 1);
		}
		lead_size = payload - HEADER_SIZE - (uintptr_t)lead;
		b = (struct block *)(payload - HEADER_SIZE);
		b->size_flags = block_size(lead) - lead_size;
		block_set_tag(b, TAG_USED);
		lead->size_flags = lead_size | (lead->size_flags & PREV_FREE);
		block_release(r, lead);
	}
	block_place(r, b, needed);
	stats_update(0, block_size(b));
	return b + 1;
}

static void *large_alloc(size_t size, size_t align)
{
	size_t offset = align > sizeof(struct large_record) ? align : sizeof(struct large_record);
	size_t align_pages = align > PAGE_SIZE ? align / PAGE_SIZE : 1;
	size_t pages;
	struct large_record *rec;
	uint64_t pa;

	if (size > SIZE_MAX / 2 || offset > SIZE_MAX / 2 - size) {
		return NULL;
	}
	/* At least one byte, so that the payload is inside the run. */
	pages = (offset + (size ? size : 1) + PAGE_SIZE - 1) / PAGE_SIZE;
	pa = page_alloc(pages, align_pages, PAGE_USE_HEAP);
	if (pa == 0) {
		return NULL;
	}
	rec = (struct large_record *)(uintptr_t)(pa + offset - sizeof(*rec));
	rec->base = (uintptr_t)pa;
	rec->pages = pages;
	rec->block.size_flags = (uintptr_t)pa + pages * PAGE_SIZE - (uintptr_t)&rec->block;
	block_set_tag(&rec->block, TAG_LARGE);
	heap.stats.total += pages * PAGE_SIZE;
	stats_update(0, pages * PAGE_SIZE);
	return rec + 1;
}

static struct large_record *large_record_of(struct block *b)
{
	return (struct large_record *)((uintptr_t)b - offsetof(struct large_record, block));
}

/* Size and alignment (a power of two) in, a block out, or NULL. */
static void *heap_alloc(size_t size, size_t align)
{
	if (heap.region_count == 0) {
		heap_panic("kmalloc before heap_init");
	}
	if (size >= HEAP_LARGE_MIN || align >= HEAP_LARGE_MIN) {
		return large_alloc(size, align);
	}
	return small_alloc(size, align);
}

/* The header of p's large block, which p, in no region, must be. */
static struct block *large_block_of(const void *p, const char *caller)
{
	uintptr_t rec_at = (uintptr_t)p - sizeof(struct large_record);
	enum page_use first = page_use_at(rec_at);
	enum page_use last = page_use_at((uintptr_t)p - 1);
	struct large_record *rec = (struct large_record *)rec_at;

	if (first == PAGE_USE_FREE || last == PAGE_USE_FREE) {
		heap_panic("%s(%p): double free or use after free (its pages are free)", caller, p);
	}
	if (first != PAGE_USE_HEAP || last != PAGE_USE_HEAP) {
		heap_panic("%s(%p): not a heap pointer", caller, p);
	}
	if (block_has_tag(&rec->block, TAG_FREE)) {
		heap_panic("%s(%p): double free or use after free", caller, p);
	}
	if (!block_has_tag(&rec->block, TAG_LARGE) || rec->base % PAGE_SIZE != 0 ||
	    rec->base > rec_at || rec->pages == 0 ||
	    rec->pages > (SIZE_MAX - rec->base) / PAGE_SIZE ||
	    rec->base + rec->pages * PAGE_SIZE <= (uintptr_t)p ||
	    rec->block.size_flags != rec->base + rec->pages * PAGE_SIZE - (uintptr_t)&rec->block) {
		heap_panic("%s(%p): not an allocated block, or its header is corrupted", caller, p);
	}
	return &rec->block;
}

/* The block behind p, which must be a live allocation (small or large). */
static struct block *block_of(const void *p, const char *caller)
{
	struct block *b = (struct block *)((uintptr_t)p - HEADER_SIZE);
	const struct heap_region *r = region_of((uintptr_t)b);

	if (((uintptr_t)p & (HEAP_ALIGN - 1)) != 0 || (uintptr_t)p < sizeof(struct large_record)) {
		heap_panic("%s(%p): not a heap pointer", caller, p);
	}
	if (r == NULL) {
		return large_block_of(p, caller);
	}
	if (block_has_tag(b, TAG_FREE) || block_has_tag(b, TAG_MERGED)) {
		heap_panic("%s(%p): double free or use after free", caller, p);
	}
	if (!block_has_tag(b, TAG_USED) || block_size(b) < MIN_BLOCK ||
	    block_size(b) > r->end - (uintptr_t)b) {
		heap_panic("%s(%p): not an allocated block, or its header is corrupted", caller, p);
	}
	block_checked_next(r, b);
	return b;
}

static void heap_free(struct block *b)
{
	struct heap_region *r;

	if (block_has_tag(b, TAG_LARGE)) {
		struct large_record *rec = large_record_of(b);

		heap.stats.total -= rec->pages * PAGE_SIZE;
		stats_update(rec->pages * PAGE_SIZE, 0);
		/* Should the pages come back to the heap untouched, a second
		 * free still finds a freed block. */
		block_set_tag(b, TAG_FREE);
		page_free(rec->base, rec->pages, PAGE_USE_HEAP);
		return;
	}
	r = region_of((uintptr_t)b);
	stats_update(block_size(b), 0);
	region_shrink(r, block_release(r, b));
}

void heap_init(void *base, size_t size)
{
	heap_lock();
	memset(heap.regions, 0, sizeof(heap.regions));
	memset(heap.free_lists, 0, sizeof(heap.free_lists));
	memset(&heap.stats, 0, sizeof(heap.stats));
	heap.region_count = 0;
	if (!region_add((uintptr_t)base, size, 0)) {
		heap_panic("heap_init: region %p+%zu cannot hold a block", base, size);
	}
	heap_unlock();
}

void *kmalloc(size_t size)
{
	void *p;

	heap_lock();
	p = heap_alloc(size, HEAP_ALIGN);
	heap_unlock();
	return p;
}

void *kmalloc_aligned(size_t size, size_t align)
{
	void *p;

	if (align == 0 || (align & (align - 1)) != 0) {
		panic("kmalloc_aligned: alignment %zu is not a power of two", align);
	}
	if (align > SIZE_MAX / 4) {
		return NULL;
	}
	heap_lock();
	p = heap_alloc(size, align);
	heap_unlock();
	return p;
}

void kfree(void *p)
{
	if (p == NULL) {
		return;
	}
	heap_lock();
	heap_free(block_of(p, "kfree"));
	heap_unlock();
}

/* Resizes b's small block in place if it can; false otherwise. */
static bool small_resize(struct block *b, size_t size)
{
	size_t needed = block_size_for(size);
	size_t old_size = block_size(b);
	struct heap_region *r = region_of((uintptr_t)b);
	struct block *next = block_next(b);

	if (needed > old_size && block_has_tag(next, TAG_FREE) &&
	    old_size + block_size(next) >= needed) {
		/* Grow into the free block that follows. */
		free_list_remove(next);
		b->size_flags += block_size(next);
		block_set_tag(next, TAG_MERGED);
	}
	if (needed > block_size(b)) {
		return false;
	}
	block_place(r, b, needed);
	stats_update(old_size, block_size(b));
	return true;
}

/* Resizes p's block in place when it can: returns p, or NULL with
 * *usable set to the bytes p holds. */
static void *heap_resize(void *p, size_t size, size_t *usable)
{
	struct block *b = block_of(p, "krealloc");
	bool large = block_has_tag(b, TAG_LARGE);

	*usable = block_size(b) - HEADER_SIZE;
	/* A large block keeps its run while the request stays large and fits;
	 * a small one stays put while the request stays small. */
	if (large && size >= HEAP_LARGE_MIN && size <= *usable) {
		return p;
	}
	if (!large && size < HEAP_LARGE_MIN && small_resize(b, size)) {
		return p;
	}
	return NULL;
}

void *krealloc(void *p, size_t size)
{
	size_t usable;
	void *q;

	if (p == NULL) {
		return kmalloc(size);
	}
	heap_lock();
	q = heap_resize(p, size, &usable);
	heap_unlock();
	if (q != NULL) {
		return q;
	}
	/* Moving: the copy runs without the lock (p is the caller's until it
	 * is freed), so that other CPUs do not wait on a memcpy. */
	q = kmalloc(size);
	if (q == NULL) {
		return size <= usable ? p : NULL;
	}
	memcpy(q, p, size < usable ? size : usable);
	kfree(p);
	return q;
}

size_t kmalloc_usable_size(const void *p)
{
	size_t size;

	heap_lock();
	size = block_size(block_of(p, "kmalloc_usable_size")) - HEADER_SIZE;
	heap_unlock();
	return size;
}

void heap_stats(struct heap_stats *out)
{
	heap_lock();
	*out = heap.stats;
	heap_unlock();
}
