/* strto* family: result, errno and *end against the host glibc, over edge
 * strings and random ones built from white space, signs, prefixes, digits
 * of every base and junk. */
#include <errno.h>
#include <inttypes.h>
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

#define RANDOM_STRINGS 30000

static const char *const edge_strings[] = {
	"", " ", "+", "-", "0", "-0", "+0", "00", "0x", "0X", "0x ", "0xg", "-0x", "0x10", "0X1f",
	"-0x10", "010", "09", "08", "0b101", "  \t\n\v\f\r42", "42abc", "  -", " +-1", "--1", "1e5",
	"zz", "ZZ", "z", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "-18446744073709551616", "99999999999999999999999999999",
	"-99999999999999999999999999999", "0x7fffffffffffffff", "0x8000000000000000",
	"0xffffffffffffffff", "0x10000000000000000", "-0x8000000000000000",
	"-0x8000000000000001", "0777777777777777777777", "01777777777777777777777",
	"02000000000000000000000", "2147483647", "2147483648", "-2147483649", "4294967296",
	"1y2p0ij32e8e7", "1y2p0ij32e8e8", "3w5e11264sgsf", "3w5e11264sgsg",
	"\xff" "1", "1\xff",
};

static const int bases[] = { 0, 2, 3, 7, 8, 10, 16, 35, 36 };

/* [space][sign][prefix][digits][junk], mostly well-formed. */
static void random_number_string(char *s, size_t size)
{
	static const char spaces[] = " \t\n\v\f\r";
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFXYZ";
	static const char junk[] = " -+xX.\xff/:@[`{";
	size_t len = 0;

	while (harness_below(4) == 0 && len < size / 4) {
		s[len++] = spaces[harness_below(sizeof(spaces) - 1)];
	}
	if (harness_below(2)) {
		s[len++] = "+-"[harness_below(2)];
	}
	switch (harness_below(6)) {
	case 0:
		s[len++] = '0';
		break;
	case 1:
		s[len++] = '0';
		s[len++] = "xX"[harness_below(2)];
		break;
	default:
		break;
	}
	for (size_t n = harness_below(harness_below(4) == 0 ? 40 : 20); n > 0 && len < size - 3;
	     n--) {
		s[len++] = digits[harness_below(harness_below(2) ? 10 : sizeof(digits) - 1)];
	}
	if (harness_below(3) == 0) {
		s[len++] = junk[harness_below(sizeof(junk) - 1)];
	}
	s[len] = '\0';
}

/* One function pair over one string and base: equal value, errno, end. */
#define CHECK_PAIR(host_fn, hl_fn, fmt, s, base)                                           \
	do {                                                                               \
		char *host_end = NULL;                                                     \
		char *hl_end = NULL;                                                       \
		errno = 0;                                                                 \
		hl_errno = 0;                                                              \
		__typeof__(host_fn(s, NULL, 0)) expected = host_fn(s, &host_end, base);    \
		int expected_errno = errno;                                                \
		__typeof__(host_fn(s, NULL, 0)) actual = hl_fn(s, &hl_end, base);          \
		if (expected != actual || expected_errno != hl_errno || host_end != hl_end) { \
			fail_msg("%s(\"%s\", %d): glibc " fmt " errno %d end +%td, Hillock " fmt \
				 " errno %d end +%td",                                     \
				 #hl_fn, s, base, expected, expected_errno, host_end - (s),  \
				 actual, hl_errno, hl_end - (s));                            \
		}                                                                          \
	} while (0)

static void check_all(const char *s, int base)
{
	CHECK_PAIR(strtol, hl_strtol, "%ld", s, base);
	CHECK_PAIR(strtoul, hl_strtoul, "%lu", s, base);
	CHECK_PAIR(strtoll, hl_strtoll, "%lld", s, base);
	CHECK_PAIR(strtoull, hl_strtoull, "%llu", s, base);
	CHECK_PAIR(strtoimax, hl_strtoimax, "%jd", s, base);
	CHECK_PAIR(strtoumax, hl_strtoumax, "%ju", s, base);
}

static void strtol_edge_strings_match_glibc(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(edge_strings) / sizeof(edge_strings[0]); i++) {
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
			check_all(edge_strings[i], bases[b]);
		}
		for (int base = 2; base <= 36; base++) {
			check_all(edge_strings[i], base);
		}
	}
}

static void strtol_random_strings_match_glibc(void **state)
{
	char s[64];

	(void)state;
	harness_seed(0x5eed0002);
	for (int i = 0; i < RANDOM_STRINGS; i++) {
		int base = harness_below(2) ? bases[harness_below(sizeof(bases) / sizeof(bases[0]))]
					    : (int)harness_below(35) + 2;

		random_number_string(s, sizeof(s));
		check_all(s, base);
	}
}

static void strtol_null_end_is_allowed(void **state)
{
	(void)state;
	assert_int_equal(hl_strtol("123", NULL, 10), 123);
	assert_int_equal(hl_strtoull("-1", NULL, 0), ULLONG_MAX);
}

/* glibc leaves *end alone for a bad base; Hillock sets it to s. */
static void strtol_bad_base_is_einval(void **state)
{
	static const int bad[] = { -1, 1, 37, 100, INT_MIN };
	const char *s = "123";

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *end = NULL;

		hl_errno = 0;
		assert_int_equal(hl_strtol(s, &end, bad[i]), 0);
		assert_int_equal(hl_errno, EINVAL);
		assert_ptr_equal(end, s);
		hl_errno = 0;
		assert_int_equal(hl_strtoumax(s, &end, bad[i]), 0);
		assert_int_equal(hl_errno, EINVAL);
	}
}

static void strtol_atoi_atol_match_glibc(void **state)
{
	char s[64];

	(void)state;
	harness_seed(0x5eed0003);
	for (int i = 0; i < 5000; i++) {
		random_number_string(s, sizeof(s));
		assert_int_equal(hl_atoi(s), atoi(s));
		assert_int_equal(hl_atol(s), atol(s));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strtol_edge_strings_match_glibc),
		cmocka_unit_test(strtol_random_strings_match_glibc),
		cmocka_unit_test(strtol_null_end_is_allowed),
		cmocka_unit_test(strtol_bad_base_is_einval),
		cmocka_unit_test(strtol_atoi_atol_match_glibc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
