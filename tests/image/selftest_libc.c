/* The C runtime as the image really runs it (Hillock's own on x86_64,
 * picolibc on aarch64), plus the glibc-ABI entry points the prebuilt
 * libraries call: formatting, numbers and errno (thread-local), non-local
 * jumps, the malloc family on the kernel heap, sorting. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hillock/selftest.h>

int *__errno_location(void);

TEST(selftest, libc_format)
{
	char buf[64];
	int rc = 0;

	rc |= EXPECT(snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%#lx|%s|%c|%%", -42, 7u, 0xabu,
			      0x1234ul, "ok", 'z') == 28);
	rc |= EXPECT(strcmp(buf, "-42|    7|ab  |0x1234|ok|z|%") == 0);
	/* Truncation still reports the full length and terminates. */
	rc |= EXPECT(snprintf(buf, 4, "%llu", 18446744073709551615ull) == 20);
	rc |= EXPECT(strcmp(buf, "184") == 0);
	return rc;
}

TEST(selftest, libc_strtoul_errno)
{
	char *end;
	int rc = 0;

	errno = 0;
	rc |= EXPECT(strtoul("0x1fz", &end, 0) == 0x1f && *end == 'z');
	rc |= EXPECT(strtol("-2147483649", NULL, 10) == -2147483649l);
	rc |= EXPECT(strtoull("99999999999999999999", NULL, 10) == ULLONG_MAX);
	rc |= EXPECT(errno == ERANGE);
	/* errno is thread-local; the glibc-ABI accessor sees the same int. */
	rc |= EXPECT(__errno_location() == &errno);
	return rc;
}

static jmp_buf selftest_jmp;

static __attribute__((noinline)) void selftest_jump(int v)
{
	longjmp(selftest_jmp, v);
}

TEST(selftest, libc_setjmp)
{
	volatile int round = 0;
	int v = setjmp(selftest_jmp);

	if (v == 0) {
		round = 1;
		selftest_jump(7);
	}
	return EXPECT(round == 1 && v == 7);
}

TEST(selftest, libc_malloc)
{
	int rc = 0;
	unsigned char *p = malloc(100);
	void *a = aligned_alloc(4096, 8192);

	rc |= EXPECT(p != NULL && ((uintptr_t)p & 15) == 0);
	rc |= EXPECT(a != NULL && ((uintptr_t)a & 4095) == 0);
	if (rc) {
		free(p);
		free(a);
		return rc;
	}
	memset(p, 0x5a, 100);
	p = realloc(p, 5000);
	rc |= EXPECT(p != NULL && p[0] == 0x5a && p[99] == 0x5a);
	free(p);
	free(a);
	/* calloc refuses a size that overflows (volatile: hide it from the
	 * compiler's own check). */
	volatile size_t huge = SIZE_MAX / 2;

	rc |= EXPECT(calloc(huge, 4) == NULL);
	return rc;
}

static int selftest_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

TEST(selftest, libc_qsort)
{
	int v[257];
	uint32_t x = 1;
	int rc = 0;

	for (size_t i = 0; i < 257; i++) {
		x = x * 1664525u + 1013904223u;
		v[i] = (int)(x >> 8) - (1 << 23);
	}
	qsort(v, 257, sizeof(v[0]), selftest_cmp_int);
	for (size_t i = 1; i < 257; i++) {
		rc |= EXPECT(v[i - 1] <= v[i]);
	}
	return rc;
}
