/* The glibc ABI layer: fortify checks pass in bounds and panic past them,
 * the ctype tables equal the host glibc's, the mutex has glibc's size and
 * locks, and setjmp/longjmp (arch/x86_64/setjmp.S) round-trip. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libc_test.h"

void hl___stack_chk_fail(void);
void *hl___memcpy_chk(void *dst, const void *src, size_t len, size_t dst_len);
void *hl___memmove_chk(void *dst, const void *src, size_t len, size_t dst_len);
void *hl___memset_chk(void *dst, int c, size_t len, size_t dst_len);
char *hl___strcpy_chk(char *dst, const char *src, size_t dst_len);
char *hl___strncpy_chk(char *dst, const char *src, size_t len, size_t dst_len);
char *hl___strcat_chk(char *dst, const char *src, size_t dst_len);
int hl___snprintf_chk(char *s, size_t max_len, int flag, size_t s_len, const char *fmt, ...);
int hl___vsnprintf_chk(char *s, size_t max_len, int flag, size_t s_len, const char *fmt,
		       va_list ap);
int hl___sprintf_chk(char *s, int flag, size_t s_len, const char *fmt, ...);
int hl___printf_chk(int flag, const char *fmt, ...);
int hl___fprintf_chk(void *f, int flag, const char *fmt, ...);
int hl___vfprintf_chk(void *f, int flag, const char *fmt, va_list ap);
int hl___dprintf_chk(int fd, int flag, const char *fmt, ...);
int hl___vdprintf_chk(int fd, int flag, const char *fmt, va_list ap);
int hl___asprintf_chk(char **out, int flag, const char *fmt, ...);
int hl___vasprintf_chk(char **out, int flag, const char *fmt, va_list ap);
int *hl___errno_location(void);
void hl___assert_fail(const char *expr, const char *file, unsigned int line, const char *function);
const unsigned short **hl___ctype_b_loc(void);
const int32_t **hl___ctype_tolower_loc(void);
const int32_t **hl___ctype_toupper_loc(void);

/* The image's mutex is opaque here: a buffer of glibc's size. */
typedef union {
	char bytes[sizeof(pthread_mutex_t)];
	long align;
} image_mutex;
int hl_pthread_mutex_init(image_mutex *m, const void *attr);
int hl_pthread_mutex_destroy(image_mutex *m);
int hl_pthread_mutex_lock(image_mutex *m);
int hl_pthread_mutex_unlock(image_mutex *m);

/* The image's jmp_buf, at glibc's size (checked below). */
typedef unsigned long image_jmp_buf[25];
__attribute__((returns_twice)) int hl_setjmp(image_jmp_buf env);
__attribute__((returns_twice)) int hl__setjmp(image_jmp_buf env);
__attribute__((noreturn)) void hl_longjmp(image_jmp_buf env, int val);
__attribute__((noreturn)) void hl___longjmp_chk(image_jmp_buf env, int val);

static void fortify_memory_checks(void **state)
{
	char buf[16];
	char src[32] = "0123456789abcdefghijklmnopqrstu";

	(void)state;
	assert_ptr_equal(hl___memcpy_chk(buf, src, 16, sizeof(buf)), buf);
	assert_memory_equal(buf, src, 16);
	assert_ptr_equal(hl___memmove_chk(buf + 1, buf, 15, sizeof(buf) - 1), buf + 1);
	assert_memory_equal(buf + 1, src, 15);
	assert_ptr_equal(hl___memset_chk(buf, 'z', 16, sizeof(buf)), buf);
	assert_int_equal(buf[15], 'z');

	EXPECT_PANIC(hl___memcpy_chk(buf, src, 17, sizeof(buf)));
	assert_non_null(strstr(harness_panic_message, "buffer overflow detected: memcpy"));
	EXPECT_PANIC(hl___memmove_chk(buf, src, 17, sizeof(buf)));
	EXPECT_PANIC(hl___memset_chk(buf, 0, 17, sizeof(buf)));
	/* The check fires before a single byte is written. */
	assert_int_equal(buf[0], 'z');
}

static void fortify_string_checks(void **state)
{
	char buf[8];

	(void)state;
	assert_ptr_equal(hl___strcpy_chk(buf, "1234567", sizeof(buf)), buf);
	assert_string_equal(buf, "1234567");
	EXPECT_PANIC(hl___strcpy_chk(buf, "12345678", sizeof(buf)));
	assert_ptr_equal(hl___strncpy_chk(buf, "ab", 8, sizeof(buf)), buf);
	assert_memory_equal(buf, "ab\0\0\0\0\0\0", 8);
	EXPECT_PANIC(hl___strncpy_chk(buf, "ab", 9, sizeof(buf)));
	assert_ptr_equal(hl___strcat_chk(buf, "cdefg", sizeof(buf)), buf);
	assert_string_equal(buf, "abcdefg");
	EXPECT_PANIC(hl___strcat_chk(buf, "h", sizeof(buf)));
	/* No terminator inside the object at all. */
	memset(buf, 'x', sizeof(buf));
	EXPECT_PANIC(hl___strcat_chk(buf, "", sizeof(buf)));
}

static int call_vsnprintf_chk(char *s, size_t max_len, size_t s_len, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = hl___vsnprintf_chk(s, max_len, 1, s_len, fmt, ap);
	va_end(ap);
	return len;
}

static void fortify_printf_checks(void **state)
{
	char buf[8];
	char *out = NULL;

	(void)state;
	assert_int_equal(hl___snprintf_chk(buf, sizeof(buf), 1, sizeof(buf), "%d", 123456789), 9);
	assert_string_equal(buf, "1234567");
	EXPECT_PANIC(hl___snprintf_chk(buf, 9, 1, sizeof(buf), "x"));
	assert_int_equal(call_vsnprintf_chk(buf, 4, sizeof(buf), "%s", "abcdef"), 6);
	assert_string_equal(buf, "abc");
	EXPECT_PANIC(call_vsnprintf_chk(buf, 100, sizeof(buf), "x"));

	assert_int_equal(hl___sprintf_chk(buf, 1, sizeof(buf), "%s", "1234567"), 7);
	assert_string_equal(buf, "1234567");
	EXPECT_PANIC(hl___sprintf_chk(buf, 1, sizeof(buf), "%s", "12345678"));
	EXPECT_PANIC(hl___sprintf_chk(buf, 1, 0, "x"));
	/* An unknown object size ((size_t)-1) is not checked. */
	assert_int_equal(hl___sprintf_chk(buf, 1, (size_t)-1, "%d", 42), 2);

	harness_console_reset();
	assert_int_equal(hl___printf_chk(1, "a%d", 1), 2);
	assert_int_equal(hl___fprintf_chk(hl_stderr, 1, "b%d", 2), 2);
	assert_int_equal(hl___dprintf_chk(1, 1, "c%d", 3), 2);
	assert_int_equal(hl___dprintf_chk(2, 1, "d%d", 4), 2);
	assert_string_equal(harness_console, "a1b2c3d4");
	hl_errno = 0;
	assert_int_equal(hl___dprintf_chk(5, 1, "x"), -1);
	assert_int_equal(hl_errno, EBADF);

	harness_heap_reset();
	assert_int_equal(hl___asprintf_chk(&out, 1, "%s%d", "n", 5), 2);
	assert_string_equal(out, "n5");
	hl_free(out);
}

static void stack_and_assert_failures_panic(void **state)
{
	(void)state;
	EXPECT_PANIC(hl___stack_chk_fail());
	assert_string_equal(harness_panic_message, "stack smashing detected");
	EXPECT_PANIC(hl___assert_fail("x == 1", "a.c", 12, "f"));
	assert_string_equal(harness_panic_message, "a.c:12: f: Assertion `x == 1' failed.");
}

static void errno_location_is_errno(void **state)
{
	(void)state;
	assert_ptr_equal(hl___errno_location(), &hl_errno);
}

static void ctype_tables_equal_glibc(void **state)
{
	const unsigned short *classes = *hl___ctype_b_loc();
	const int32_t *lower = *hl___ctype_tolower_loc();
	const int32_t *upper = *hl___ctype_toupper_loc();

	(void)state;
	for (int c = -128; c <= 255; c++) {
		if (classes[c] != (*__ctype_b_loc())[c]) {
			fail_msg("__ctype_b[%d]: Hillock %#x, glibc %#x", c, classes[c],
				 (*__ctype_b_loc())[c]);
		}
		assert_int_equal(lower[c], (*__ctype_tolower_loc())[c]);
		assert_int_equal(upper[c], (*__ctype_toupper_loc())[c]);
	}
	/* The class bits named in the brief, as glibc defines them. */
	assert_int_equal(_ISupper, 0x100);
	assert_int_equal(_ISalnum, 0x8);
}

static void mutex_has_glibc_size_and_locks(void **state)
{
	image_mutex m;
	image_mutex zeroed = { { 0 } };

	(void)state;
	assert_int_equal(image_constant("sizeof(pthread_mutex_t)"), sizeof(pthread_mutex_t));
	assert_int_equal(image_constant("_Alignof(pthread_mutex_t)"), _Alignof(pthread_mutex_t));
	assert_int_equal(image_constant("sizeof(pthread_mutexattr_t)"),
			 sizeof(pthread_mutexattr_t));
	memset(&m, 0xff, sizeof(m));
	assert_int_equal(hl_pthread_mutex_init(&m, NULL), 0);
	assert_int_equal(hl_pthread_mutex_lock(&m), 0);
	assert_int_equal(hl_pthread_mutex_destroy(&m), EBUSY);
	assert_int_equal(hl_pthread_mutex_unlock(&m), 0);
	assert_int_equal(hl_pthread_mutex_unlock(&m), EPERM);
	assert_int_equal(hl_pthread_mutex_destroy(&m), 0);
	/* glibc's PTHREAD_MUTEX_INITIALIZER is all zeros. */
	assert_int_equal(hl_pthread_mutex_lock(&zeroed), 0);
	assert_int_equal(hl_pthread_mutex_unlock(&zeroed), 0);
}

static void jump_back(image_jmp_buf env, int val, int checked)
{
	if (checked) {
		hl___longjmp_chk(env, val);
	}
	hl_longjmp(env, val);
}

static void setjmp_longjmp_round_trip(void **state)
{
	image_jmp_buf env;
	volatile int passes = 0;
	volatile long kept = 0x1234;
	int r;

	(void)state;
	assert_int_equal(image_constant("sizeof(jmp_buf)"), sizeof(jmp_buf));
	assert_int_equal(sizeof(image_jmp_buf), sizeof(jmp_buf));

	r = hl_setjmp(env);
	passes++;
	if (passes == 1) {
		assert_int_equal(r, 0);
		jump_back(env, 42, 0);
	}
	if (passes == 2) {
		assert_int_equal(r, 42);
		jump_back(env, 0, 0);
	}
	if (passes == 3) {
		/* longjmp(env, 0) makes setjmp return 1. */
		assert_int_equal(r, 1);
		jump_back(env, 7, 1);
	}
	assert_int_equal(passes, 4);
	assert_int_equal(r, 7);
	assert_int_equal(kept, 0x1234);

	passes = 0;
	r = hl__setjmp(env);
	if (passes++ == 0) {
		jump_back(env, 9, 0);
	}
	assert_int_equal(r, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fortify_memory_checks),
		cmocka_unit_test(fortify_string_checks),
		cmocka_unit_test(fortify_printf_checks),
		cmocka_unit_test(stack_and_assert_failures_panic),
		cmocka_unit_test(errno_location_is_errno),
		cmocka_unit_test(ctype_tables_equal_glibc),
		cmocka_unit_test(mutex_has_glibc_size_and_locks),
		cmocka_unit_test(setjmp_longjmp_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
