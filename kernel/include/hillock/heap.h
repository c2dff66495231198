/* The kernel heap: one region, handed over at boot, carved into
 * boundary-tagged blocks.  malloc() and friends (kernel/libc/malloc.c) are
 * built on it on both architectures.
 *
 * Misuse is Hillock's own bug, so it panics: freeing a pointer twice or one
 * the heap never returned, and a block header or guard found overwritten. */
#ifndef HILLOCK_HEAP_H
#define HILLOCK_HEAP_H

#include <stddef.h>

struct heap_stats {
	size_t total;       /* bytes in the heap, block headers included */
	size_t used;        /* bytes in allocated blocks, headers included */
	size_t peak;        /* highest value of used since heap_init() */
	size_t allocations; /* blocks currently allocated */
};

/* Makes [base, base + size) the heap, forgetting any earlier one.  Panics
 * if the region cannot hold a single block. */
void heap_init(void *base, size_t size);

/* At least size bytes, 16-byte aligned, or NULL when no free block is large
 * enough.  kmalloc(0) returns a distinct minimal block. */
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
