#ifndef _STDLIB_H
#define _STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
/* glibc's value: prebuilt libraries scale rand() by it. */
#define RAND_MAX 2147483647

/* Allocation, on the kernel heap (hillock/heap.h).  Failures return NULL
 * with errno ENOMEM (EINVAL for a bad alignment).  realloc(p, 0) frees p
 * and returns NULL, as glibc does. */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void *reallocarray(void *p, size_t count, size_t size);
void *aligned_alloc(size_t align, size_t size);
int posix_memalign(void **out, size_t align, size_t size);

/* There is no process to leave: both panic. */
_Noreturn void abort(void);
_Noreturn void exit(int status);

/* Always NULL: Hillock has no environment. */
char *getenv(const char *name);

long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
int atoi(const char *s);
long atol(const char *s);

void qsort(void *base, size_t count, size_t size, int (*compare)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t count, size_t size,
	      int (*compare)(const void *, const void *));

/* A pseudo-random sequence, not for anything secret. */
int rand(void);
void srand(unsigned int seed);
int rand_r(unsigned int *state);

#endif
