/* The physical page allocator: VTL2 RAM only, in 4 KiB pages, with every
 * page accounted to the purpose it serves.  VTL0 memory is never handed
 * out: it is not in the allocator at all.  Safe on every CPU: one lock,
 * of rank LOCK_RANK_PAGE. */
#ifndef HILLOCK_PAGE_H
#define HILLOCK_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include <hillock/boot.h>

#define PAGE_SIZE 4096u
#define PAGE_SHIFT 12

enum page_use {
	PAGE_USE_FREE = 0,
	PAGE_USE_IMAGE,	       /* the image, its parameter areas and boot tables */
	PAGE_USE_PAGE_TABLES,  /* the kernel's page tables */
	PAGE_USE_HEAP,	       /* backing kmalloc */
	PAGE_USE_STACK,	       /* CPU stacks, each with its (unmapped) guard page */
	PAGE_USE_PERCPU,       /* per-CPU blocks (TLS) */
	PAGE_USE_SIDECAR,      /* sidecar CPUs: command page, TLS, tables, stacks in one */
	PAGE_USE_DMA,	       /* device-visible buffers */
	PAGE_USE_COMPARTMENT,  /* isolated compartments (vTPM) */
	PAGE_USE_PAGE_MAP,     /* the allocator's own map: one byte per page */
	PAGE_USE_COUNT
};

struct page_stats {
	uint64_t pages[PAGE_USE_COUNT];
	uint64_t total;
};

/* Take VTL2 RAM from bi (minus the image) under management.  Boot CPU,
 * once, before anything allocates. */
int page_alloc_init(const struct boot_info *bi);

/* count contiguous pages, aligned to align_pages (a power of two), for use;
 * returns the physical address, or 0 when no run is free. */
uint64_t page_alloc(size_t count, size_t align_pages, enum page_use use);

/* Give back pages page_alloc() returned; count and use must match. */
void page_free(uint64_t pa, size_t count, enum page_use use);

/* The use of the page holding pa (PAGE_USE_FREE when free), or
 * PAGE_USE_COUNT when the allocator does not manage it.  The heap checks
 * pointers to its large blocks with it before reading their headers. */
enum page_use page_use_at(uint64_t pa);

void page_stats_get(struct page_stats *out);

/* Print the accounting, one line per use, in KiB. */
void page_stats_print(void);

const char *page_use_name(enum page_use use);

#endif
