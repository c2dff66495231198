/* The kernel heap: small blocks carved from regions of pages (the first
 * handed over at boot, more taken from the page allocator as needed), and
 * large blocks (64 KiB and up) on page runs of their own.  malloc() and
 * friends (kernel/libc/malloc.c) are built on it on both architectures.
 * Safe on every CPU: one lock, of rank LOCK_RANK_HEAP.
 *
 * Misuse is Hillock's own bug, so it panics: freeing a pointer twice or one
 * the heap never returned, and a block header or guard found overwritten. */
#ifndef HILLOCK_HEAP_H
#define HILLOCK_HEAP_H

#include <stddef.h>

struct heap_stats {
	size_t total;       /* bytes in the heap's regions and large blocks' runs */
	size_t used;        /* bytes in allocated blocks, headers (and whole runs) included */
	size_t peak;        /* highest value of used since heap_init() */
	size_t allocations; /* blocks currently allocated */
};

/* Makes [base, base + size) the heap's first region, forgetting any
 * earlier heap (what it took from the page allocator stays taken: only
 * tests start over).  Panics if the region cannot hold a single block. */
void heap_init(void *base, size_t size);

/* At least size bytes, 16-byte aligned, or NULL when neither the heap nor
 * the page allocator has room.  kmalloc(0) returns a distinct minimal block. */
void *kmalloc(size_t size);

/* As kmalloc(), aligned to align (a power of two; panics otherwise). */
void *kmalloc_aligned(size_t size, size_t align);

/* Returns a block to the heap; NULL is ignored. */
void kfree(void *p);

/* Resizes p's block, in place when it can, keeping the first
 * min(old, new) bytes.  NULL p acts as kmalloc().  On failure returns NULL
 * and p is unchanged.  A moved block is only 16-byte aligned. */
void *krealloc(void *p, size_t size);

/* Bytes usable at p: at least what was asked for. */
size_t kmalloc_usable_size(const void *p);

void heap_stats(struct heap_stats *out);

#endif
