/* <string.h>: Hillock against the host glibc over random buffers, lengths
 * and alignments, and random strings over a small alphabet (so searches
 * hit), including bytes above 127. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "libc_test.h"

#define ROUNDS 20000
#define AREA 512

static int sign_of(int v)
{
	return (v > 0) - (v < 0);
}

static void fill_random(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		p[i] = (unsigned char)harness_random();
	}
}

/* A NUL-terminated string of up to max - 1 bytes from a small alphabet. */
static void random_string(char *s, size_t max)
{
	static const char alphabet[] = "abcAB, \xe9\xff";
	size_t len = harness_below(max);

	for (size_t i = 0; i < len; i++) {
		s[i] = alphabet[harness_below(sizeof(alphabet) - 1)];
	}
	s[len] = '\0';
}

static void string_mem_copies_match_glibc(void **state)
{
	unsigned char source[AREA];
	unsigned char expected[AREA];
	unsigned char actual[AREA];

	(void)state;
	harness_seed(0x5eed0101);
	for (int i = 0; i < ROUNDS; i++) {
		size_t src_off = harness_below(16);
		size_t dst_off = harness_below(16);
		size_t len = harness_below(harness_below(4) == 0 ? AREA - 32 : 40);
		int c = (int)harness_random();

		fill_random(source, sizeof(source));
		fill_random(expected, sizeof(expected));
		memcpy(actual, expected, sizeof(actual));

		memcpy(expected + dst_off, source + src_off, len);
		assert_ptr_equal(hl_memcpy(actual + dst_off, source + src_off, len), actual + dst_off);
		assert_memory_equal(expected, actual, sizeof(actual));

		memset(expected + dst_off, c, len);
		assert_ptr_equal(hl_memset(actual + dst_off, c, len), actual + dst_off);
		assert_memory_equal(expected, actual, sizeof(actual));

		/* memmove within one buffer, overlapping either way. */
		memmove(expected + dst_off, expected + src_off, len);
		assert_ptr_equal(hl_memmove(actual + dst_off, actual + src_off, len), actual + dst_off);
		assert_memory_equal(expected, actual, sizeof(actual));
	}
}

static void string_mem_compare_and_search_match_glibc(void **state)
{
	unsigned char a[AREA];
	unsigned char b[AREA];

	(void)state;
	harness_seed(0x5eed0102);
	for (int i = 0; i < ROUNDS; i++) {
		size_t len = harness_below(100);
		int c = (int)harness_below(4) - 1 + (harness_below(2) ? 256 : 0);

		for (size_t j = 0; j < len; j++) {
			a[j] = (unsigned char)harness_below(4);
		}
		memcpy(b, a, len);
		if (len > 0 && harness_below(2)) {
			b[harness_below(len)] = (unsigned char)harness_random();
		}
		assert_int_equal(sign_of(hl_memcmp(a, b, len)), sign_of(memcmp(a, b, len)));
		assert_ptr_equal(hl_memchr(a, c, len), memchr(a, c, len));
	}
}

static void string_str_functions_match_glibc(void **state)
{
	char a[48];
	char b[48];
	char set[6];

	(void)state;
	harness_seed(0x5eed0103);
	for (int i = 0; i < ROUNDS; i++) {
		size_t n = harness_below(50);
		int c = "abA,\xe9\0z"[harness_below(7)];

		random_string(a, sizeof(a));
		if (harness_below(2)) {
			memcpy(b, a, sizeof(b));
			b[harness_below(sizeof(b))] = "aAb\0"[harness_below(4)];
			b[sizeof(b) - 1] = '\0';
		} else {
			random_string(b, 6);
		}
		random_string(set, sizeof(set));

		assert_int_equal(hl_strlen(a), strlen(a));
		assert_int_equal(hl_strnlen(a, n), strnlen(a, n));
		assert_int_equal(sign_of(hl_strcmp(a, b)), sign_of(strcmp(a, b)));
		assert_int_equal(sign_of(hl_strncmp(a, b, n)), sign_of(strncmp(a, b, n)));
		assert_int_equal(sign_of(hl_strcasecmp(a, b)), sign_of(strcasecmp(a, b)));
		assert_int_equal(sign_of(hl_strncasecmp(a, b, n)), sign_of(strncasecmp(a, b, n)));
		assert_ptr_equal(hl_strchr(a, c), strchr(a, c));
		assert_ptr_equal(hl_strrchr(a, c), strrchr(a, c));
		assert_ptr_equal(hl_strstr(a, b), strstr(a, b));
		assert_int_equal(hl_strspn(a, set), strspn(a, set));
		assert_int_equal(hl_strcspn(a, set), strcspn(a, set));
		assert_ptr_equal(hl_strpbrk(a, set), strpbrk(a, set));
	}
}

static void string_copy_and_concatenate_match_glibc(void **state)
{
	char src[40];
	char expected[128];
	char actual[128];

	(void)state;
	harness_seed(0x5eed0104);
	for (int i = 0; i < ROUNDS; i++) {
		size_t n = harness_below(45);

		random_string(src, sizeof(src));
		memset(expected, 'x', sizeof(expected));
		random_string(expected, 40);
		memcpy(actual, expected, sizeof(actual));

		switch (harness_below(4)) {
		case 0:
			assert_ptr_equal(hl_strcpy(actual, src), actual);
			strcpy(expected, src);
			break;
		case 1:
			assert_ptr_equal(hl_strncpy(actual, src, n), actual);
			strncpy(expected, src, n);
			break;
		case 2:
			assert_ptr_equal(hl_strcat(actual, src), actual);
			strcat(expected, src);
			break;
		default:
			assert_ptr_equal(hl_strncat(actual, src, n), actual);
			strncat(expected, src, n);
			break;
		}
		assert_memory_equal(expected, actual, sizeof(actual));
	}
}

static void string_strtok_r_matches_glibc(void **state)
{
	char expected[48];
	char actual[48];
	char delim[5];

	(void)state;
	harness_seed(0x5eed0105);
	for (int i = 0; i < ROUNDS / 4; i++) {
		char *host_save = NULL;
		char *hl_save = NULL;
		char *host_token;
		char *hl_token;

		random_string(expected, sizeof(expected));
		memcpy(actual, expected, sizeof(actual));
		random_string(delim, sizeof(delim));
		host_token = strtok_r(expected, delim, &host_save);
		hl_token = hl_strtok_r(actual, delim, &hl_save);
		for (;;) {
			assert_int_equal(host_token == NULL, hl_token == NULL);
			if (host_token == NULL) {
				break;
			}
			assert_int_equal(host_token - expected, hl_token - actual);
			assert_string_equal(host_token, hl_token);
			host_token = strtok_r(NULL, delim, &host_save);
			hl_token = hl_strtok_r(NULL, delim, &hl_save);
		}
		assert_memory_equal(expected, actual, sizeof(actual));
	}
}

static void string_strdup_strndup_copy(void **state)
{
	char *p;

	(void)state;
	harness_heap_reset();
	p = hl_strdup("paravisor");
	assert_string_equal(p, "paravisor");
	hl_free(p);
	p = hl_strndup("paravisor", 4);
	assert_string_equal(p, "para");
	hl_free(p);
	p = hl_strndup("ab", 10);
	assert_string_equal(p, "ab");
	hl_free(p);
}

/* Known errno values read as glibc's; others as "Unknown error N". */
static void string_strerror_matches_glibc(void **state)
{
	int known = 0;

	(void)state;
	for (int e = -5; e < 200; e++) {
		char unknown[32];
		const char *message = hl_strerror(e);

		snprintf(unknown, sizeof(unknown), "Unknown error %d", e);
		if (strcmp(message, unknown) != 0) {
			assert_string_equal(message, strerror(e));
			known++;
		}
	}
	assert_true(known >= 50);
	assert_string_equal(hl_strerror(ENOMEM), "Cannot allocate memory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(string_mem_copies_match_glibc),
		cmocka_unit_test(string_mem_compare_and_search_match_glibc),
		cmocka_unit_test(string_str_functions_match_glibc),
		cmocka_unit_test(string_copy_and_concatenate_match_glibc),
		cmocka_unit_test(string_strtok_r_matches_glibc),
		cmocka_unit_test(string_strdup_strndup_copy),
		cmocka_unit_test(string_strerror_matches_glibc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
