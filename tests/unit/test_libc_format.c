/* printf family: Hillock's output against the host glibc's, byte for byte,
 * over thousands of random directives (flags, width, precision, length,
 * value, buffer size), then the stdio streams. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libc_test.h"

#define RANDOM_DIRECTIVES 40000
#define BUFFER_SIZE 1024

enum arg_kind { ARG_INT, ARG_LONG, ARG_LLONG, ARG_SIZE, ARG_INTMAX, ARG_PTRDIFF, ARG_CHAR,
		ARG_STRING, ARG_POINTER };

struct directive {
	char fmt[64];
	enum arg_kind kind;
	int star_width; /* '*' used: width comes from an argument */
	int star_precision;
	int width;
	int precision;
	unsigned long long value;
	const char *string;
};

static const char *const sample_strings[] = { "", "a", "hello", "Hillock paravisor",
					      "with\ttab", "0123456789abcdef0123456789", NULL };

/* Values that reach the edges of every integer type, or random bits. */
static unsigned long long random_value(void)
{
	static const unsigned long long edges[] = {
		0, 1, 2, 7, 8, 9, 10, 15, 16, 127, 128, 255, 256, 32767, 32768, 65535, 65536,
		0x7fffffffULL, 0x80000000ULL, 0xffffffffULL, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
		(unsigned long long)-1 - 1, (unsigned long long)-100,
	};

	switch (harness_below(3)) {
	case 0:
		return edges[harness_below(sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return harness_random() >> harness_below(64);
	default:
		return harness_random();
	}
}

static void random_directive(struct directive *d)
{
	static const char *const int_lengths[] = { "", "hh", "h", "l", "ll", "z", "j", "t" };
	static const enum arg_kind int_kinds[] = { ARG_INT,   ARG_INT,    ARG_INT,    ARG_LONG,
						   ARG_LLONG, ARG_SIZE,   ARG_INTMAX, ARG_PTRDIFF };
	static const char conversions[] = "diuxXocsp%";
	char *p = d->fmt;
	char conv = conversions[harness_below(sizeof(conversions) - 1)];

	*d = (struct directive){ .width = -1, .precision = -1 };
	p = d->fmt;
	if (harness_below(2)) {
		p += sprintf(p, "<");
	}
	if (conv == '%') {
		/* Flags, width and length on %% are undefined: test it bare. */
		sprintf(p, "%%%%|");
		d->kind = ARG_INT;
		return;
	}
	*p++ = '%';
	for (int i = 0; i < 5; i++) {
		if (harness_below(4) == 0) {
			*p++ = "-+ 0#"[i];
		}
	}
	switch (harness_below(4)) {
	case 0:
		d->star_width = 1;
		d->width = (int)harness_below(50) - 25;
		*p++ = '*';
		break;
	case 1:
		p += sprintf(p, "%d", (int)harness_below(harness_below(8) == 0 ? 400 : 30));
		break;
	default:
		break;
	}
	switch (harness_below(5)) {
	case 0:
		d->star_precision = 1;
		d->precision = (int)harness_below(50) - 20;
		p += sprintf(p, ".*");
		break;
	case 1:
		p += sprintf(p, ".");
		break;
	case 2:
		p += sprintf(p, ".%d", (int)harness_below(harness_below(8) == 0 ? 300 : 25));
		break;
	default:
		break;
	}
	if (conv == 'c') {
		d->kind = ARG_CHAR;
		d->value = harness_below(256);
	} else if (conv == 's') {
		d->kind = ARG_STRING;
		d->string = sample_strings[harness_below(sizeof(sample_strings) /
							 sizeof(sample_strings[0]))];
	} else if (conv == 'p') {
		d->kind = ARG_POINTER;
		d->value = harness_below(4) == 0 ? 0 : random_value();
	} else {
		size_t length = harness_below(sizeof(int_lengths) / sizeof(int_lengths[0]));

		p += sprintf(p, "%s", int_lengths[length]);
		d->kind = int_kinds[length];
		d->value = random_value();
	}
	*p++ = conv;
	if (harness_below(2)) {
		p += sprintf(p, ">|");
	}
	*p = '\0';
}

/* Calls fn(buf, n, fmt, [width], [precision], value) with value in the
 * type the directive expects; conv '%' takes no value and ignores it. */
#define CALL_WITH(fn, buf, n, d, v)                                                  \
	((d)->star_width && (d)->star_precision                                      \
		 ? fn(buf, n, (d)->fmt, (d)->width, (d)->precision, v)               \
		 : (d)->star_width ? fn(buf, n, (d)->fmt, (d)->width, v)             \
				   : (d)->star_precision ? fn(buf, n, (d)->fmt, (d)->precision, v) \
							 : fn(buf, n, (d)->fmt, v))

#define FORMAT_DIRECTIVE(fn, buf, n, d)                                               \
	((d)->kind == ARG_INT	   ? CALL_WITH(fn, buf, n, d, (int)(d)->value)         \
	 : (d)->kind == ARG_LONG   ? CALL_WITH(fn, buf, n, d, (long)(d)->value)        \
	 : (d)->kind == ARG_LLONG  ? CALL_WITH(fn, buf, n, d, (long long)(d)->value)   \
	 : (d)->kind == ARG_SIZE   ? CALL_WITH(fn, buf, n, d, (size_t)(d)->value)      \
	 : (d)->kind == ARG_INTMAX ? CALL_WITH(fn, buf, n, d, (intmax_t)(d)->value)    \
	 : (d)->kind == ARG_PTRDIFF ? CALL_WITH(fn, buf, n, d, (ptrdiff_t)(d)->value)  \
	 : (d)->kind == ARG_CHAR   ? CALL_WITH(fn, buf, n, d, (int)(d)->value)         \
	 : (d)->kind == ARG_STRING ? CALL_WITH(fn, buf, n, d, (d)->string)             \
				   : CALL_WITH(fn, buf, n, d, (void *)(uintptr_t)(d)->value))

/* The host's snprintf, with the format-checking warnings that a runtime
 * format would trigger silenced at this one call site. */
static int host_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	len = vsnprintf(buf, n, fmt, ap);
#pragma GCC diagnostic pop
	va_end(ap);
	return len;
}

static void format_random_matches_glibc(void **state)
{
	(void)state;
	harness_seed(0x5eed0001);
	for (int i = 0; i < RANDOM_DIRECTIVES; i++) {
		struct directive d;
		char expected[BUFFER_SIZE];
		char actual[BUFFER_SIZE];
		size_t n;
		int expected_len;
		int actual_len;

		random_directive(&d);
		/* Sometimes generous, sometimes truncating, sometimes 0. */
		n = harness_below(3) == 0 ? harness_below(12) : sizeof(actual);
		memset(expected, 0xa5, sizeof(expected));
		memset(actual, 0xa5, sizeof(actual));
		expected_len = FORMAT_DIRECTIVE(host_snprintf, expected, n, &d);
		actual_len = FORMAT_DIRECTIVE(hl_snprintf, actual, n, &d);
		if (expected_len != actual_len || memcmp(expected, actual, sizeof(actual)) != 0) {
			fail_msg("case %d: format \"%s\" value %#llx w %d p %d n %zu: "
				 "glibc %d \"%.*s\", Hillock %d \"%.*s\"",
				 i, d.fmt, d.value, d.width, d.precision, n, expected_len,
				 (int)strnlen(expected, n), expected, actual_len,
				 (int)strnlen(actual, n), actual);
		}
	}
}

static void format_many_arguments(void **state)
{
	char buf[256];
	int len;

	(void)state;
	len = hl_snprintf(buf, sizeof(buf), "%s=%d, %5.2x|%-6c|%lld %zu %p %%", "key", -42, 0xabu,
			  'z', -9000000000LL, (size_t)77, (void *)0x1000);
	assert_string_equal(buf, "key=-42,    ab|z     |-9000000000 77 0x1000 %");
	assert_int_equal(len, strlen(buf));
}

static int call_vsnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = hl_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len;
}

static void format_v_forms_and_sprintf(void **state)
{
	char buf[64];
	char *out = NULL;

	(void)state;
	assert_int_equal(call_vsnprintf(buf, 4, "%d-%s", 12345, "x"), 7);
	assert_string_equal(buf, "123");
	assert_int_equal(hl_sprintf(buf, "[%08.3d]", -7), 10);
	assert_string_equal(buf, "[    -007]");
	/* n == 0: nothing is written, not even the NUL. */
	buf[0] = 'q';
	assert_int_equal(hl_snprintf(buf, 0, "abc"), 3);
	assert_int_equal(buf[0], 'q');
	assert_int_equal(hl_snprintf(NULL, 0, "%d", 1000), 4);

	harness_heap_reset();
	assert_int_equal(hl_asprintf(&out, "%s-%04x", "id", 0x2a), 7);
	assert_string_equal(out, "id-002a");
	hl_free(out);
}

static void format_unsupported_conversions_are_marked(void **state)
{
	char buf[128];
	int stored = 99;

	(void)state;
	/* The double is consumed, so %d still reads 7. */
	hl_snprintf(buf, sizeof(buf), "%f|%d|%8.3e|%Lg|%d", 1.5, 7, 2.0, (long double)3, 8);
	assert_string_equal(buf, "<%f?>|7|<%8.3e?>|<%Lg?>|8");
	hl_snprintf(buf, sizeof(buf), "a%nb|%d", &stored, 5);
	assert_string_equal(buf, "a<%n?>b|5");
	assert_int_equal(stored, 99);
	hl_snprintf(buf, sizeof(buf), "%ls|%lc|%d", (const wchar_t *)L"w", (unsigned int)'w', 3);
	assert_string_equal(buf, "<%ls?>|<%lc?>|3");
	hl_snprintf(buf, sizeof(buf), "%y%d", 4);
	assert_string_equal(buf, "<%y?>4");
	hl_snprintf(buf, sizeof(buf), "end%");
	assert_string_equal(buf, "end<%?>");
}

static void format_overflow_is_eoverflow(void **state)
{
	(void)state;
	hl_errno = 0;
	assert_int_equal(hl_snprintf(NULL, 0, "%2147483648d", 1), -1);
	assert_int_equal(hl_errno, EOVERFLOW);
	hl_errno = 0;
	assert_int_equal(hl_snprintf(NULL, 0, "%*d%d", INT_MAX, 1, 2), -1);
	assert_int_equal(hl_errno, EOVERFLOW);
	assert_int_equal(hl_snprintf(NULL, 0, "%*d", INT_MAX, 1), INT_MAX);
}

static void stdio_console_streams(void **state)
{
	(void)state;
	harness_console_reset();
	assert_int_equal(hl_printf("a%d", 1), 2);
	assert_int_equal(hl_fprintf(hl_stderr, "-%s", "err"), 4);
	assert_int_equal(hl_dprintf(1, "|%x", 255), 3);
	assert_int_equal(hl_dprintf(2, "|%c", 'q'), 2);
	assert_int_equal(hl_putchar('!'), '!');
	assert_int_equal(hl_fputc(0x1ff, hl_stdout), 0xff);
	assert_true(hl_fputs("fs", hl_stdout) >= 0);
	assert_int_equal(hl_putc('.', hl_stderr), '.');
	assert_true(hl_puts("line") >= 0);
	assert_int_equal(hl_fwrite("abcdef", 2, 3, hl_stdout), 3);
	assert_int_equal(hl_fwrite("abcdef", 0, 3, hl_stdout), 0);
	assert_int_equal(hl_fflush(hl_stdout), 0);
	assert_int_equal(hl_fflush(NULL), 0);
	assert_int_equal(hl_ferror(hl_stdout), 0);
	assert_memory_equal(harness_console, "a1-err|ff|q!\xff" "fs.line\nabcdef",
			    harness_console_len);
	assert_int_equal(harness_console_len, strlen("a1-err|ff|q!\xff" "fs.line\nabcdef"));
}

static void stdio_bad_streams_fail_cleanly(void **state)
{
	int not_a_file;
	char buf[8];

	(void)state;
	harness_console_reset();
	hl_errno = 0;
	assert_int_equal(hl_dprintf(3, "x"), -1);
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_int_equal(hl_fprintf(&not_a_file, "x"), -1);
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_int_equal(hl_fputc('x', &not_a_file), EOF);
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_int_equal(hl_fwrite("x", 1, 1, &not_a_file), 0);
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_int_equal(hl_fflush(&not_a_file), EOF);
	assert_int_equal(hl_errno, EBADF);
	assert_int_equal(harness_console_len, 0);

	hl_errno = 0;
	assert_null(hl_fopen("/etc/passwd", "r"));
	assert_int_equal(hl_errno, ENOENT);
	hl_errno = 0;
	assert_int_equal(hl_remove("/x"), -1);
	assert_int_equal(hl_errno, ENOENT);
	hl_errno = 0;
	assert_int_equal(hl_rename("/x", "/y"), -1);
	assert_int_equal(hl_errno, ENOENT);
	hl_errno = 0;
	assert_int_equal(hl_fread(buf, 1, 1, hl_stdout), 0);
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_null(hl_fgets(buf, sizeof(buf), &not_a_file));
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_int_equal(hl_fseek(&not_a_file, 0, SEEK_SET), -1);
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_int_equal(hl_fseek(hl_stdout, 0, SEEK_SET), -1);
	assert_int_equal(hl_errno, ESPIPE);
	hl_errno = 0;
	assert_int_equal(hl_ftell(&not_a_file), -1);
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_int_equal(hl_fclose(&not_a_file), EOF);
	assert_int_equal(hl_errno, EBADF);
	hl_errno = 0;
	assert_int_equal(hl_fclose(hl_stdout), EOF);
	assert_int_equal(hl_errno, EPERM);
	assert_int_not_equal(hl_ferror(&not_a_file), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_random_matches_glibc),
		cmocka_unit_test(format_many_arguments),
		cmocka_unit_test(format_v_forms_and_sprintf),
		cmocka_unit_test(format_unsupported_conversions_are_marked),
		cmocka_unit_test(format_overflow_is_eoverflow),
		cmocka_unit_test(stdio_console_streams),
		cmocka_unit_test(stdio_bad_streams_fail_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
