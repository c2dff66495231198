/* The kernel heap: boundary-tagged blocks with segregated free lists.
 *
 * Every block starts with a 16-byte header and is a multiple of 16 bytes,
 * so payloads stay 16-byte aligned:
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
 * zero-size used block (the sentinel) ends the heap, so every block has a
 * next block whose tag can be checked. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <hillock/heap.h>
#include <hillock/panic.h>

#define HEAP_ALIGN 16
#define PREV_FREE ((size_t)1)
#define SIZE_MASK (~(size_t)(HEAP_ALIGN - 1))

#define TAG_USED ((uintptr_t)0x5553454448454150ULL)   /* "PAEHDESU" */
#define TAG_FREE ((uintptr_t)0x4545524648454150ULL)   /* "PAEHFREE" */
#define TAG_MERGED ((uintptr_t)0x4547524d48454150ULL) /* "PAEHMRGE" */

struct block {
	size_t size_flags;
	uintptr_t tag;
};

/* Where a free block keeps its list links: right after its header. */
struct free_links {
	struct block *next;
	struct block *prev;
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

/* The heap.  Single CPU for now and the heap is never used from interrupt
 * context; when SMP arrives, a heap lock taken by every public function
 * below goes here. */
static struct {
	uintptr_t start; /* first block */
	uintptr_t end;   /* the sentinel */
	struct block *free_lists[CLASS_COUNT];
	struct heap_stats stats;
} heap;

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

/* Checks the block after b before trusting it: an allocation that ran
 * past its end has overwritten that header. */
static struct block *block_checked_next(const struct block *b)
{
	struct block *next = block_next(b);

	if ((uintptr_t)next > heap.end ||
	    !(block_has_tag(next, TAG_USED) || block_has_tag(next, TAG_FREE))) {
		panic("heap: header after block %p (size %zu) is corrupted; overflow past its end?",
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

/* Makes b (not on any list, size set) free: merges it with free
 * neighbours and files the result. */
static void block_release(struct block *b)
{
	struct block *next = block_checked_next(b);

	if (block_has_tag(next, TAG_FREE)) {
		free_list_remove(next);
		b->size_flags += block_size(next);
		block_set_tag(next, TAG_MERGED);
	}
	if (b->size_flags & PREV_FREE) {
		size_t prev_size = *(size_t *)((uintptr_t)b - FOOTER_SIZE);
		struct block *prev = (struct block *)((uintptr_t)b - prev_size);

		if (prev_size < MIN_BLOCK || (uintptr_t)prev < heap.start ||
		    !block_has_tag(prev, TAG_FREE) || block_size(prev) != prev_size) {
			panic("heap: free block before %p is corrupted", (void *)(b + 1));
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
}

/* Turns b (not on any list) into a used block of exactly size bytes when
 * the rest can stand alone as a free block, else of its whole size. */
static void block_place(struct block *b, size_t size)
{
	size_t rest = block_size(b) - size;

	if (rest >= MIN_BLOCK) {
		struct block *tail = (struct block *)((uintptr_t)b + size);

		b->size_flags -= rest;
		tail->size_flags = rest;
		block_release(tail);
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

/* The block behind p, which must be a live allocation. */
static struct block *block_of(const void *p, const char *caller)
{
	struct block *b = (struct block *)((uintptr_t)p - HEADER_SIZE);

	if (((uintptr_t)p & (HEAP_ALIGN - 1)) != 0 || (uintptr_t)p < heap.start + HEADER_SIZE ||
	    (uintptr_t)p >= heap.end) {
		panic("%s(%p): not a heap pointer", caller, p);
	}
	if (block_has_tag(b, TAG_FREE) || block_has_tag(b, TAG_MERGED)) {
		panic("%s(%p): double free or use after free", caller, p);
	}
	if (!block_has_tag(b, TAG_USED) || block_size(b) < MIN_BLOCK ||
	    block_size(b) > heap.end - (uintptr_t)b) {
		panic("%s(%p): not an allocated block, or its header is corrupted", caller, p);
	}
	block_checked_next(b);
	return b;
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

void heap_init(void *base, size_t size)
{
	uintptr_t start = ((uintptr_t)base + HEAP_ALIGN - 1) & SIZE_MASK;
	uintptr_t limit = (uintptr_t)base + size;
	struct block *first = (struct block *)start;
	struct block *sentinel;

	if (limit < (uintptr_t)base || limit < start + MIN_BLOCK + HEADER_SIZE) {
		panic("heap_init: region %p+%zu cannot hold a block", base, size);
	}
	memset(&heap, 0, sizeof(heap));
	heap.start = start;
	heap.end = (limit - HEADER_SIZE) & SIZE_MASK;
	heap.stats.total = heap.end - heap.start;

	sentinel = (struct block *)heap.end;
	sentinel->size_flags = 0;
	block_set_tag(sentinel, TAG_USED);
	first->size_flags = heap.end - heap.start;
	block_release(first);
}

void *kmalloc(size_t size)
{
	size_t needed = block_size_for(size);
	struct block *b;

	if (heap.end == 0) {
		panic("kmalloc before heap_init");
	}
	b = needed != 0 ? free_list_take(needed) : NULL;
	if (b == NULL) {
		return NULL;
	}
	block_place(b, needed);
	stats_update(0, block_size(b));
	return b + 1;
}

void *kmalloc_aligned(size_t size, size_t align)
{
	size_t needed = block_size_for(size);
	struct block *b;
	uintptr_t payload;

	if (align == 0 || (align & (align - 1)) != 0) {
		panic("kmalloc_aligned: alignment %zu is not a power of two", align);
	}
	if (align <= HEAP_ALIGN) {
		return kmalloc(size);
	}
	if (heap.end == 0) {
		panic("kmalloc_aligned before heap_init");
	}
	/* Room to move the payload up to the alignment, leaving a gap before
	 * it that is large enough to be a free block of its own. */
	if (needed == 0 || align > SIZE_MAX / 4 - needed) {
		return NULL;
	}
	b = free_list_take(needed + align + MIN_BLOCK);
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
		block_release(lead);
	}
	block_place(b, needed);
	stats_update(0, block_size(b));
	return b + 1;
}

void kfree(void *p)
{
	struct block *b;

	if (p == NULL) {
		return;
	}
	b = block_of(p, "kfree");
	stats_update(block_size(b), 0);
	block_release(b);
}

void *krealloc(void *p, size_t size)
{
	size_t needed = block_size_for(size);
	struct block *b;
	struct block *next;
	size_t old_size;
	void *moved;

	if (p == NULL) {
		return kmalloc(size);
	}
	b = block_of(p, "krealloc");
	if (needed == 0) {
		return NULL;
	}
	old_size = block_size(b);
	next = block_next(b);
	if (needed > old_size && block_has_tag(next, TAG_FREE) &&
	    old_size + block_size(next) >= needed) {
		/* Grow into the free block that follows. */
		free_list_remove(next);
		b->size_flags += block_size(next);
		block_set_tag(next, TAG_MERGED);
	}
	if (needed <= block_size(b)) {
		block_place(b, needed);
		stats_update(old_size, block_size(b));
		return p;
	}

	moved = kmalloc(size);
	if (moved != NULL) {
		memcpy(moved, p, old_size - HEADER_SIZE);
		kfree(p);
	}
	return moved;
}

size_t kmalloc_usable_size(const void *p)
{
	return block_size(block_of(p, "kmalloc_usable_size")) - HEADER_SIZE;
}

void heap_stats(struct heap_stats *out)
{
	*out = heap.stats;
}
