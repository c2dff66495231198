/* The C allocation calls, on the kernel heap.  Built for both images: on
 * aarch64 these definitions take the place of picolibc's allocator, so the
 * whole image shares one heap.  Failures set errno, as C and POSIX ask. */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hillock/heap.h>

static void *malloc_result(void *p)
{
	if (p == NULL) {
		errno = ENOMEM;
	}
	return p;
}

static int is_power_of_two(size_t n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

void *malloc(size_t size)
{
	return malloc_result(kmalloc(size));
}

void free(void *p)
{
	kfree(p);
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size != 0 && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(count * size);
	if (p != NULL) {
		memset(p, 0, count * size);
	}
	return p;
}

/* realloc(p, 0) frees p and returns NULL, as glibc does. */
void *realloc(void *p, size_t size)
{
	if (p != NULL && size == 0) {
		kfree(p);
		return NULL;
	}
	return malloc_result(krealloc(p, size));
}

void *reallocarray(void *p, size_t count, size_t size)
{
	if (size != 0 && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, count * size);
}

void *memalign(size_t align, size_t size)
{
	if (!is_power_of_two(align)) {
		errno = EINVAL;
		return NULL;
	}
	return malloc_result(kmalloc_aligned(size, align));
}

void *aligned_alloc(size_t align, size_t size)
{
	return memalign(align, size);
}

/* Reports errors through the result, not errno, as POSIX specifies. */
int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (!is_power_of_two(align) || align % sizeof(void *) != 0) {
		return EINVAL;
	}
	p = kmalloc_aligned(size, align);
	if (p == NULL) {
		return ENOMEM;
	}
	*out = p;
	return 0;
}

size_t malloc_usable_size(void *p)
{
	return p == NULL ? 0 : kmalloc_usable_size(p);
}
