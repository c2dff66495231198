/* The in-image test runner; see hillock/selftest.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/selftest.h>

extern const struct selftest __selftests_start[], __selftests_end[];

static const struct selftest *selftest_current;
static const char *selftest_corrupt;
static int selftest_failures;

int selftest_fail(const char *file, int line, const char *what)
{
	printf("  %s:%d: expected %s\n", file, line, what);
	selftest_failures++;
	return -1;
}

static int selftest_is_corrupted(void)
{
	char full[96];

	if (!selftest_corrupt || !selftest_current) {
		return 0;
	}
	snprintf(full, sizeof(full), "%s.%s", selftest_current->suite, selftest_current->name);
	return strcmp(full, selftest_corrupt) == 0;
}

int selftest_expect_bytes(const char *file, int line, const void *got, const void *want,
			  size_t len)
{
	const uint8_t *g = got;
	const uint8_t *w = want;
	int flip = selftest_is_corrupted();

	for (size_t i = 0; i < len; i++) {
		uint8_t expected = w[i] ^ (uint8_t)(flip && i == 0);

		if (g[i] != expected) {
			printf("  %s:%d: byte %zu of %zu is %02x, expected %02x%s\n", file, line, i, len,
			       g[i], expected, flip ? " (hillock.test.corrupt)" : "");
			selftest_failures++;
			return -1;
		}
	}
	return 0;
}

static int selftest_nibble(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

size_t selftest_unhex(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = 0;

	for (; hex[0] && hex[1]; hex += 2) {
		int hi = selftest_nibble(hex[0]);
		int lo = selftest_nibble(hex[1]);

		if (hi < 0 || lo < 0 || n == cap) {
			return 0;
		}
		out[n++] = (unsigned char)(hi << 4 | lo);
	}
	return hex[0] ? 0 : n;
}

/* Is suite in the comma-separated list? */
static int selftest_selected(const struct selftest *t, const char *filter)
{
	size_t n = strlen(t->suite);

	if (!filter) {
		return strcmp(t->suite, "selftest") == 0;
	}
	if (strcmp(filter, "all") == 0) {
		return 1;
	}
	for (const char *p = filter; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && strncmp(p, t->suite, n) == 0) {
			return 1;
		}
		p += len + (end != NULL);
	}
	return 0;
}

int selftest_run(const char *filter, const char *corrupt)
{
	int passed = 0, failed = 0;

	selftest_corrupt = corrupt;
	for (const struct selftest *t = __selftests_start; t < __selftests_end; t++) {
		if (!selftest_selected(t, filter)) {
			continue;
		}
		uint64_t t0 = arch_time_ns();

		selftest_current = t;
		selftest_failures = 0;
		int rc = t->run();
		int ok = rc == 0 && selftest_failures == 0;

		printf("TEST %s.%s %s (%llu us)\n", t->suite, t->name, ok ? "PASS" : "FAIL",
		       (unsigned long long)((arch_time_ns() - t0) / 1000));
		if (ok) {
			passed++;
		} else {
			failed++;
		}
	}
	selftest_current = NULL;
	printf("selftest: %d passed, %d failed\n", passed, failed);
	if (passed + failed == 0) {
		printf("selftest: no test matched \"%s\"\n", filter ? filter : "selftest");
		return 1;
	}
	return failed;
}
