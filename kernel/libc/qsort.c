/* Sorting and binary search.  qsort is a heapsort: O(n log n) comparisons
 * in the worst case, no recursion and no extra memory, which matters more
 * in a kernel than quicksort's better average. */
#include <stddef.h>
#include <stdlib.h>

typedef int qsort_compare_fn(const void *, const void *);

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		unsigned char t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

/* Moves element root down until the max-heap of the first count elements
 * holds again below it. */
static void sift_down(unsigned char *base, size_t root, size_t count, size_t size,
		      qsort_compare_fn *compare)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= count) {
			return;
		}
		if (child + 1 < count && compare(base + child * size, base + (child + 1) * size) < 0) {
			child++;
		}
		if (compare(base + root * size, base + child * size) >= 0) {
			return;
		}
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void qsort(void *base, size_t count, size_t size, qsort_compare_fn *compare)
{
	unsigned char *b = base;

	if (count < 2 || size == 0) {
		return;
	}
	for (size_t i = count / 2; i-- > 0;) {
		sift_down(b, i, count, size, compare);
	}
	for (size_t end = count - 1; end > 0; end--) {
		swap_bytes(b, b + end * size, size);
		sift_down(b, 0, end, size, compare);
	}
}

void *bsearch(const void *key, const void *base, size_t count, size_t size,
	      qsort_compare_fn *compare)
{
	const unsigned char *b = base;
	size_t lo = 0;
	size_t hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int order = compare(key, b + mid * size);

		if (order == 0) {
			return (void *)(b + mid * size);
		}
		if (order < 0) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}
	return NULL;
}
