/* ctype, qsort/bsearch, gmtime_r, rand, the clocks, the process calls and
 * the image's ABI constants, each against the host glibc where it has an
 * answer. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "libc_test.h"

static void ctype_matches_glibc_for_eof_and_every_byte(void **state)
{
	(void)state;
	for (int c = -1; c <= 255; c++) {
		assert_int_equal(!!hl_isalnum(c), !!isalnum(c));
		assert_int_equal(!!hl_isalpha(c), !!isalpha(c));
		assert_int_equal(!!hl_isblank(c), !!isblank(c));
		assert_int_equal(!!hl_iscntrl(c), !!iscntrl(c));
		assert_int_equal(!!hl_isdigit(c), !!isdigit(c));
		assert_int_equal(!!hl_isgraph(c), !!isgraph(c));
		assert_int_equal(!!hl_islower(c), !!islower(c));
		assert_int_equal(!!hl_isprint(c), !!isprint(c));
		assert_int_equal(!!hl_ispunct(c), !!ispunct(c));
		assert_int_equal(!!hl_isspace(c), !!isspace(c));
		assert_int_equal(!!hl_isupper(c), !!isupper(c));
		assert_int_equal(!!hl_isxdigit(c), !!isxdigit(c));
		assert_int_equal(hl_tolower(c), tolower(c));
		assert_int_equal(hl_toupper(c), toupper(c));
	}
}

static unsigned long comparisons;

static int compare_int(const void *a, const void *b)
{
	int x = *(const int *)a;
	int y = *(const int *)b;

	comparisons++;
	return (x > y) - (x < y);
}

/* 20-byte records (an odd size) ordered by key, then by their unique id. */
struct record {
	int key;
	unsigned int id;
	char pad[12];
};

static int compare_record(const void *a, const void *b)
{
	const struct record *x = a;
	const struct record *y = b;

	if (x->key != y->key) {
		return (x->key > y->key) - (x->key < y->key);
	}
	return (x->id > y->id) - (x->id < y->id);
}

static void qsort_matches_glibc(void **state)
{
	static int expected[2000];
	static int actual[2000];
	static struct record expected_records[700];
	static struct record actual_records[700];

	(void)state;
	harness_seed(0x5eed0201);
	for (int round = 0; round < 400; round++) {
		size_t n = harness_below(round % 10 == 0 ? 2000 : 60);
		int range = (int)harness_below(3) == 0 ? 5 : INT_MAX;

		for (size_t i = 0; i < n; i++) {
			expected[i] = (int)(harness_random() % (unsigned int)range) -
				      (range == 5 ? 2 : range / 2);
		}
		memcpy(actual, expected, n * sizeof(int));
		qsort(expected, n, sizeof(int), compare_int);
		hl_qsort(actual, n, sizeof(int), compare_int);
		assert_int_equal(memcmp(expected, actual, n * sizeof(int)), 0);

		n = harness_below(700);
		for (size_t i = 0; i < n; i++) {
			expected_records[i] = (struct record){ .key = (int)harness_below(20),
							       .id = (unsigned int)i };
		}
		memcpy(actual_records, expected_records, n * sizeof(struct record));
		qsort(expected_records, n, sizeof(struct record), compare_record);
		hl_qsort(actual_records, n, sizeof(struct record), compare_record);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(expected_records[i].id, actual_records[i].id);
		}
	}
}

/* Heapsort's bound holds on inputs that hurt quicksorts. */
static void qsort_is_n_log_n_in_the_worst_case(void **state)
{
	static int values[1 << 14];
	const size_t n = sizeof(values) / sizeof(values[0]);

	(void)state;
	for (int shape = 0; shape < 4; shape++) {
		for (size_t i = 0; i < n; i++) {
			values[i] = shape == 0	 ? (int)i
				    : shape == 1 ? (int)(n - i)
				    : shape == 2 ? 7
						 : (int)(i % 2 ? i : n - i);
		}
		comparisons = 0;
		hl_qsort(values, n, sizeof(int), compare_int);
		for (size_t i = 1; i < n; i++) {
			assert_true(values[i - 1] <= values[i]);
		}
		/* n log2 n is 229376 here. */
		assert_true(comparisons <= 3 * 229376);
	}
}

static void bsearch_matches_glibc(void **state)
{
	int values[300];

	(void)state;
	harness_seed(0x5eed0202);
	for (size_t i = 0; i < 300; i++) {
		values[i] = (int)(i * 3);
	}
	for (size_t n = 0; n <= 300; n += 7) {
		for (int key = -2; key < 905; key++) {
			assert_ptr_equal(hl_bsearch(&key, values, n, sizeof(int), compare_int),
					 bsearch(&key, values, n, sizeof(int), compare_int));
		}
	}
}

static void check_gmtime(time_t t)
{
	struct tm expected;
	struct tm actual;
	struct tm *host_result;
	struct tm *hl_result;
	int expected_errno;

	memset(&expected, 0x55, sizeof(expected));
	memset(&actual, 0x55, sizeof(actual));
	errno = 0;
	hl_errno = 0;
	host_result = gmtime_r(&t, &expected);
	expected_errno = errno;
	hl_result = hl_gmtime_r(&t, &actual);
	if ((host_result == NULL) != (hl_result == NULL)) {
		fail_msg("gmtime_r(%ld): glibc %s, Hillock %s", (long)t, host_result ? "ok" : "NULL",
			 hl_result ? "ok" : "NULL");
	}
	if (host_result == NULL) {
		assert_int_equal(hl_errno, expected_errno);
		return;
	}
	assert_ptr_equal(hl_result, &actual);
	if (expected.tm_year != actual.tm_year || expected.tm_mon != actual.tm_mon ||
	    expected.tm_mday != actual.tm_mday || expected.tm_hour != actual.tm_hour ||
	    expected.tm_min != actual.tm_min || expected.tm_sec != actual.tm_sec ||
	    expected.tm_wday != actual.tm_wday || expected.tm_yday != actual.tm_yday ||
	    expected.tm_isdst != actual.tm_isdst || expected.tm_gmtoff != actual.tm_gmtoff ||
	    strcmp(expected.tm_zone, actual.tm_zone) != 0) {
		fail_msg("gmtime_r(%ld): glibc %d-%d-%d %d:%d:%d w%d y%d, Hillock %d-%d-%d %d:%d:%d w%d y%d",
			 (long)t, expected.tm_year, expected.tm_mon, expected.tm_mday,
			 expected.tm_hour, expected.tm_min, expected.tm_sec, expected.tm_wday,
			 expected.tm_yday, actual.tm_year, actual.tm_mon, actual.tm_mday,
			 actual.tm_hour, actual.tm_min, actual.tm_sec, actual.tm_wday,
			 actual.tm_yday);
	}
}

static void gmtime_r_matches_glibc(void **state)
{
	/* The last second whose year fits tm_year, and the first that does not. */
	static const time_t edges[] = { 0, -1, 1, 86399, 86400, -86400, -86401, 951782400,
					951868800, 4107542400, -62135596800, -62167219200,
					67768036191676799, 67768036191676800,
					-67768040609740800, -67768040609740801,
					INT64_MAX, INT64_MIN };

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		check_gmtime(edges[i]);
	}
	harness_seed(0x5eed0203);
	for (int i = 0; i < 100000; i++) {
		int64_t t = (int64_t)harness_random();

		/* Spread over every magnitude, around the epoch most of all. */
		check_gmtime((time_t)(t >> harness_below(64)));
	}
}

static void rand_is_reproducible_and_in_range(void **state)
{
	int first[100];
	int set_bits = 0;
	int clear_bits = 0;
	unsigned int a = 9;
	unsigned int b = 9;

	(void)state;
	hl_srand(42);
	for (int i = 0; i < 100; i++) {
		first[i] = hl_rand();
	}
	hl_srand(42);
	for (int i = 0; i < 100; i++) {
		assert_int_equal(hl_rand(), first[i]);
	}
	for (int i = 0; i < 10000; i++) {
		int v = hl_rand();

		assert_true(v >= 0 && v <= RAND_MAX);
		set_bits |= v;
		clear_bits |= ~v;
	}
	/* Every one of the 31 bits varies. */
	assert_int_equal(set_bits, RAND_MAX);
	assert_int_equal(clear_bits & RAND_MAX, RAND_MAX);
	for (int i = 0; i < 100; i++) {
		int v = hl_rand_r(&a);

		assert_int_equal(v, hl_rand_r(&b));
		assert_true(v >= 0 && v <= RAND_MAX);
	}
}

static void clocks_count_from_arch_time(void **state)
{
	struct timespec ts;
	struct timeval tv;
	time_t stored = 0;

	(void)state;
	harness_time_ns = 5123456789ULL;
	assert_int_equal(hl_time(NULL), 5);
	assert_int_equal(hl_time(&stored), 5);
	assert_int_equal(stored, 5);
	assert_int_equal(hl_clock(), 5123456);
	assert_int_equal(hl_clock_gettime(CLOCK_REALTIME, &ts), 0);
	assert_int_equal(ts.tv_sec, 5);
	assert_int_equal(ts.tv_nsec, 123456789);
	assert_int_equal(hl_clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	assert_int_equal(ts.tv_nsec, 123456789);
	hl_errno = 0;
	assert_int_equal(hl_clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts), -1);
	assert_int_equal(hl_errno, EINVAL);
	assert_int_equal(hl_gettimeofday(&tv, NULL), 0);
	assert_int_equal(tv.tv_sec, 5);
	assert_int_equal(tv.tv_usec, 123456);
}

static void process_calls(void **state)
{
	(void)state;
	EXPECT_PANIC(hl_abort());
	assert_string_equal(harness_panic_message, "abort() called");
	EXPECT_PANIC(hl_exit(3));
	assert_string_equal(harness_panic_message, "exit(3) called");
	assert_null(hl_getenv("PATH"));
	assert_int_equal(hl_getpid(), 1);
}

/* Prebuilt glibc-built code was compiled with the host's values. */
static void image_constants_match_glibc(void **state)
{
	static const struct image_constant host[] = {
#define HOST(x) { #x, (long)(x) }
		HOST(EPERM), HOST(ENOENT), HOST(ESRCH), HOST(EINTR), HOST(EIO), HOST(ENXIO),
		HOST(E2BIG), HOST(ENOEXEC), HOST(EBADF), HOST(ECHILD), HOST(EAGAIN),
		HOST(EWOULDBLOCK), HOST(ENOMEM), HOST(EACCES), HOST(EFAULT), HOST(EBUSY),
		HOST(EEXIST), HOST(EXDEV), HOST(ENODEV), HOST(ENOTDIR), HOST(EISDIR), HOST(EINVAL),
		HOST(ENFILE), HOST(EMFILE), HOST(ENOTTY), HOST(EFBIG), HOST(ENOSPC), HOST(ESPIPE),
		HOST(EROFS), HOST(EMLINK), HOST(EPIPE), HOST(EDOM), HOST(ERANGE), HOST(EDEADLK),
		HOST(ENAMETOOLONG), HOST(ENOLCK), HOST(ENOSYS), HOST(ENOTEMPTY), HOST(ELOOP),
		HOST(ENOMSG), HOST(ENODATA), HOST(ETIME), HOST(EPROTO), HOST(EBADMSG),
		HOST(EOVERFLOW), HOST(EILSEQ), HOST(EMSGSIZE), HOST(EOPNOTSUPP), HOST(ENOTSUP),
		HOST(EADDRINUSE), HOST(ENETDOWN), HOST(ECONNRESET), HOST(ENOBUFS), HOST(ENOTCONN),
		HOST(ETIMEDOUT), HOST(ECONNREFUSED), HOST(EALREADY), HOST(EINPROGRESS),
		HOST(ECANCELED), HOST(EOF), HOST(SEEK_SET), HOST(SEEK_CUR), HOST(SEEK_END),
		HOST(RAND_MAX), HOST(EXIT_SUCCESS), HOST(EXIT_FAILURE), HOST(CLOCKS_PER_SEC),
		HOST(CLOCK_REALTIME), HOST(CLOCK_MONOTONIC), HOST(CLOCK_MONOTONIC_RAW),
		HOST(CLOCK_REALTIME_COARSE), HOST(CLOCK_MONOTONIC_COARSE), HOST(CLOCK_BOOTTIME),
		HOST(INT_MAX), HOST(LONG_MAX), HOST(LLONG_MIN), HOST(ULONG_MAX), HOST(CHAR_BIT),
		HOST(SCHAR_MIN), HOST(UCHAR_MAX), HOST(SHRT_MIN), HOST(USHRT_MAX), HOST(UINT_MAX),
		HOST(SSIZE_MAX), HOST(STDOUT_FILENO), HOST(STDERR_FILENO),
		HOST(sizeof(struct tm)), HOST(offsetof(struct tm, tm_year)),
		HOST(offsetof(struct tm, tm_gmtoff)), HOST(offsetof(struct tm, tm_zone)),
		HOST(sizeof(struct timespec)), HOST(sizeof(struct timeval)), HOST(sizeof(time_t)),
		HOST(sizeof(off_t)), HOST(sizeof(clock_t)),
#undef HOST
	};

	(void)state;
	for (size_t i = 0; i < sizeof(host) / sizeof(host[0]); i++) {
		if (image_constant(host[i].name) != host[i].value) {
			fail_msg("%s: image %ld, glibc %ld", host[i].name,
				 image_constant(host[i].name), host[i].value);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ctype_matches_glibc_for_eof_and_every_byte),
		cmocka_unit_test(qsort_matches_glibc),
		cmocka_unit_test(qsort_is_n_log_n_in_the_worst_case),
		cmocka_unit_test(bsearch_matches_glibc),
		cmocka_unit_test(gmtime_r_matches_glibc),
		cmocka_unit_test(rand_is_reproducible_and_in_range),
		cmocka_unit_test(clocks_count_from_arch_time),
		cmocka_unit_test(process_calls),
		cmocka_unit_test(image_constants_match_glibc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
