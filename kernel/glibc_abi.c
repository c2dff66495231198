/* The glibc ABI that Debian's prebuilt glibc-built static libraries
 * (libfdt, libmbedcrypto, zlib, libtpms) call, for both images.  Their
 * headers turned inline checks, ctype macros and errno into calls to these
 * glibc-internal entry points.  On aarch64 this file sits beside picolibc,
 * so everything here is written against plain C and POSIX calls that both
 * C libraries provide.
 *
 * The _FORTIFY_SOURCE entry points really check: an overflow is a broken
 * invariant in the caller, so it panics like glibc's __chk_fail(). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/abi.h>
#include <hillock/panic.h>

_Static_assert(sizeof(pthread_mutex_t) == ABI_GLIBC_PTHREAD_MUTEX_SIZE,
	       "mbedtls contexts embed glibc's pthread_mutex_t");
_Static_assert(_Alignof(pthread_mutex_t) == 8, "glibc's pthread_mutex_t is 8-byte aligned");

/* Stack protector: the canary in the frame changed before return. */
_Noreturn void __stack_chk_fail(void)
{
	panic("stack smashing detected");
}

static _Noreturn void fortify_fail(const char *function, size_t need, size_t have)
{
	panic("buffer overflow detected: %s needs %zu bytes, object has %zu", function, need,
	      have);
}

void *__memcpy_chk(void *dst, const void *src, size_t len, size_t dst_len)
{
	if (len > dst_len) {
		fortify_fail("memcpy", len, dst_len);
	}
	return memcpy(dst, src, len);
}

void *__memmove_chk(void *dst, const void *src, size_t len, size_t dst_len)
{
	if (len > dst_len) {
		fortify_fail("memmove", len, dst_len);
	}
	return memmove(dst, src, len);
}

void *__memset_chk(void *dst, int c, size_t len, size_t dst_len)
{
	if (len > dst_len) {
		fortify_fail("memset", len, dst_len);
	}
	return memset(dst, c, len);
}

char *__strcpy_chk(char *dst, const char *src, size_t dst_len)
{
	size_t len = strlen(src) + 1;

	if (len > dst_len) {
		fortify_fail("strcpy", len, dst_len);
	}
	return memcpy(dst, src, len);
}

char *__strncpy_chk(char *dst, const char *src, size_t len, size_t dst_len)
{
	if (len > dst_len) {
		fortify_fail("strncpy", len, dst_len);
	}
	return strncpy(dst, src, len);
}

char *__strcat_chk(char *dst, const char *src, size_t dst_len)
{
	size_t used = strnlen(dst, dst_len);
	size_t len = strlen(src) + 1;

	if (used == dst_len || len > dst_len - used) {
		fortify_fail("strcat", used + len, dst_len);
	}
	memcpy(dst + used, src, len);
	return dst;
}

/* flag (the fortify level) would restrict %n to read-only formats; no
 * printf here stores through %n, so there is nothing to restrict. */
int __vsnprintf_chk(char *s, size_t max_len, int flag, size_t s_len, const char *fmt, va_list ap)
{
	(void)flag;
	if (s_len < max_len) {
		fortify_fail("vsnprintf", max_len, s_len);
	}
	return vsnprintf(s, max_len, fmt, ap);
}

int __snprintf_chk(char *s, size_t max_len, int flag, size_t s_len, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = __vsnprintf_chk(s, max_len, flag, s_len, fmt, ap);
	va_end(ap);
	return len;
}

/* sprintf into an object of s_len bytes: format with that bound, and
 * fail if the output (with its NUL) did not fit. */
int __sprintf_chk(char *s, int flag, size_t s_len, const char *fmt, ...)
{
	va_list ap;
	int len;

	(void)flag;
	if (s_len == 0) {
		fortify_fail("sprintf", 1, 0);
	}
	va_start(ap, fmt);
	len = vsnprintf(s, s_len, fmt, ap);
	va_end(ap);
	if (len >= 0 && (size_t)len >= s_len) {
		fortify_fail("sprintf", (size_t)len + 1, s_len);
	}
	return len;
}

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vfprintf(f, fmt, ap);
}

int __fprintf_chk(FILE *f, int flag, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = __vfprintf_chk(f, flag, fmt, ap);
	va_end(ap);
	return len;
}

int __printf_chk(int flag, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = __vfprintf_chk(stdout, flag, fmt, ap);
	va_end(ap);
	return len;
}

/* File descriptors 1 and 2 are the console streams; there are no others.
 * (picolibc has no vdprintf, so this maps them itself.) */
int __vdprintf_chk(int fd, int flag, const char *fmt, va_list ap)
{
	if (fd == 1) {
		return __vfprintf_chk(stdout, flag, fmt, ap);
	}
	if (fd == 2) {
		return __vfprintf_chk(stderr, flag, fmt, ap);
	}
	errno = EBADF;
	return -1;
}

int __dprintf_chk(int fd, int flag, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = __vdprintf_chk(fd, flag, fmt, ap);
	va_end(ap);
	return len;
}

int __vasprintf_chk(char **out, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	return vasprintf(out, fmt, ap);
}

int __asprintf_chk(char **out, int flag, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = __vasprintf_chk(out, flag, fmt, ap);
	va_end(ap);
	return len;
}

int *__errno_location(void)
{
	return &errno;
}

_Noreturn void __assert_fail(const char *expr, const char *file, unsigned int line,
			     const char *function)
{
	panic("%s:%u: %s: Assertion `%s' failed.", file, line, function, expr);
}

/* glibc's checking longjmp verifies it does not jump to a deeper frame;
 * Hillock's stacks are its own, so it is a plain longjmp. */
_Noreturn void __longjmp_chk(jmp_buf env, int val)
{
	longjmp(env, val);
}

/* glibc's C-locale ctype tables, which its <ctype.h> macros index
 * directly: entries for -128..255 (EOF is -1; signed chars alias their
 * byte values).  Class bits as glibc defines them on little-endian. */
#define CT_UPPER 0x100
#define CT_LOWER 0x200
#define CT_ALPHA 0x400
#define CT_DIGIT 0x800
#define CT_XDIGIT 0x1000
#define CT_SPACE 0x2000
#define CT_PRINT 0x4000
#define CT_GRAPH 0x8000
#define CT_BLANK 0x1
#define CT_CNTRL 0x2
#define CT_PUNCT 0x4
#define CT_ALNUM 0x8

#define CT_INDEX(c) ((c) + 128)
#define CT_VISIBLE (CT_PRINT | CT_GRAPH)

static const unsigned short ctype_classes[384] = {
	[CT_INDEX(0x00)... CT_INDEX(0x08)] = CT_CNTRL,
	[CT_INDEX('\t')] = CT_CNTRL | CT_SPACE | CT_BLANK,
	[CT_INDEX('\n')... CT_INDEX('\r')] = CT_CNTRL | CT_SPACE,
	[CT_INDEX(0x0e)... CT_INDEX(0x1f)] = CT_CNTRL,
	[CT_INDEX(' ')] = CT_PRINT | CT_SPACE | CT_BLANK,
	[CT_INDEX('!')... CT_INDEX('/')] = CT_VISIBLE | CT_PUNCT,
	[CT_INDEX('0')... CT_INDEX('9')] = CT_VISIBLE | CT_DIGIT | CT_XDIGIT | CT_ALNUM,
	[CT_INDEX(':')... CT_INDEX('@')] = CT_VISIBLE | CT_PUNCT,
	[CT_INDEX('A')... CT_INDEX('F')] = CT_VISIBLE | CT_UPPER | CT_ALPHA | CT_XDIGIT | CT_ALNUM,
	[CT_INDEX('G')... CT_INDEX('Z')] = CT_VISIBLE | CT_UPPER | CT_ALPHA | CT_ALNUM,
	[CT_INDEX('[')... CT_INDEX('`')] = CT_VISIBLE | CT_PUNCT,
	[CT_INDEX('a')... CT_INDEX('f')] = CT_VISIBLE | CT_LOWER | CT_ALPHA | CT_XDIGIT | CT_ALNUM,
	[CT_INDEX('g')... CT_INDEX('z')] = CT_VISIBLE | CT_LOWER | CT_ALPHA | CT_ALNUM,
	[CT_INDEX('{')... CT_INDEX('~')] = CT_VISIBLE | CT_PUNCT,
	[CT_INDEX(0x7f)] = CT_CNTRL,
};

/* Case tables hold int32_t values: c's byte value mapped, EOF kept. */
#define CT_BYTE(c) ((c) < -1 ? (c) + 256 : (c))
#define CT_TOLOWER(c) (CT_BYTE(c) >= 'A' && CT_BYTE(c) <= 'Z' ? CT_BYTE(c) + 32 : CT_BYTE(c))
#define CT_TOUPPER(c) (CT_BYTE(c) >= 'a' && CT_BYTE(c) <= 'z' ? CT_BYTE(c) - 32 : CT_BYTE(c))
#define CT_ROW(F, c)                                                                            \
	F(c), F(c + 1), F(c + 2), F(c + 3), F(c + 4), F(c + 5), F(c + 6), F(c + 7), F(c + 8), \
		F(c + 9), F(c + 10), F(c + 11), F(c + 12), F(c + 13), F(c + 14), F(c + 15)
#define CT_TABLE(F)                                                                             \
	CT_ROW(F, -128), CT_ROW(F, -112), CT_ROW(F, -96), CT_ROW(F, -80), CT_ROW(F, -64),      \
		CT_ROW(F, -48), CT_ROW(F, -32), CT_ROW(F, -16), CT_ROW(F, 0), CT_ROW(F, 16),   \
		CT_ROW(F, 32), CT_ROW(F, 48), CT_ROW(F, 64), CT_ROW(F, 80), CT_ROW(F, 96),     \
		CT_ROW(F, 112), CT_ROW(F, 128), CT_ROW(F, 144), CT_ROW(F, 160), CT_ROW(F, 176), \
		CT_ROW(F, 192), CT_ROW(F, 208), CT_ROW(F, 224), CT_ROW(F, 240)

static const int32_t ctype_lower[384] = { CT_TABLE(CT_TOLOWER) };
static const int32_t ctype_upper[384] = { CT_TABLE(CT_TOUPPER) };

/* glibc hands out per-thread pointers to the tables; there is one locale,
 * so one pointer each serves every thread. */
static const unsigned short *ctype_classes_origin = &ctype_classes[CT_INDEX(0)];
static const int32_t *ctype_lower_origin = &ctype_lower[CT_INDEX(0)];
static const int32_t *ctype_upper_origin = &ctype_upper[CT_INDEX(0)];

const unsigned short **__ctype_b_loc(void)
{
	return &ctype_classes_origin;
}

const int32_t **__ctype_tolower_loc(void)
{
	return &ctype_lower_origin;
}

const int32_t **__ctype_toupper_loc(void)
{
	return &ctype_upper_origin;
}

/* pthread mutexes for mbedtls: a spinlock in the union's word.  One CPU
 * today, but the atomics keep it correct when more arrive.  0 is unlocked,
 * which is also what glibc's PTHREAD_MUTEX_INITIALIZER (all zeros) gives. */
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	(void)attr;
	memset(m, 0, sizeof(*m));
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return __atomic_load_n(&m->word, __ATOMIC_RELAXED) != 0 ? EBUSY : 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	while (__atomic_exchange_n(&m->word, 1, __ATOMIC_ACQUIRE) != 0) {
		while (__atomic_load_n(&m->word, __ATOMIC_RELAXED) != 0) {
			/* Wait with plain loads: no cache-line ping-pong. */
		}
	}
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (__atomic_load_n(&m->word, __ATOMIC_RELAXED) == 0) {
		return EPERM;
	}
	__atomic_store_n(&m->word, 0, __ATOMIC_RELEASE);
	return 0;
}
