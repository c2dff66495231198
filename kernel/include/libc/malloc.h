/* The non-standard allocation calls glibc declares here. */
#ifndef _MALLOC_H
#define _MALLOC_H

#include <stddef.h>

/* align must be a power of two; otherwise NULL with errno EINVAL. */
void *memalign(size_t align, size_t size);
size_t malloc_usable_size(void *p);

#endif
