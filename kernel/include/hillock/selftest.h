/* In-image tests.
 *
 * A test is a function registered with TEST(suite, name) from any file
 * linked into the image; the descriptor lands in a linker section
 * (.selftests.<suite>) that the kernel walks at boot.  The command line
 * picks what runs: by default the "selftest" suites (the libraries'
 * known-answer tests), hillock.test=all for everything, or
 * hillock.test=<suite>[,<suite>...].  Each test prints one result line,
 * "TEST <suite>.<name> PASS|FAIL (<us> us)", and the run ends with
 * "selftest: N passed, N failed". */
#ifndef HILLOCK_SELFTEST_H
#define HILLOCK_SELFTEST_H

#include <stddef.h>

struct selftest {
	const char *suite;
	const char *name;
	/* Returns 0 on success; failures are reported through EXPECT*. */
	int (*run)(void);
};

#define TEST(suite, name)                                                                  \
	static int selftest_fn_##suite##_##name(void);                                     \
	static const struct selftest selftest_##suite##_##name                             \
		__attribute__((used, section(".selftests." #suite), aligned(8))) = {       \
			#suite, #name, selftest_fn_##suite##_##name};                      \
	static int selftest_fn_##suite##_##name(void)

/* Record a failure with its location; the test goes on so that one run
 * shows every broken expectation. */
int selftest_fail(const char *file, int line, const char *what);

#define EXPECT(cond) ((cond) ? 0 : selftest_fail(__FILE__, __LINE__, #cond))

/* Compare got against a known answer.  The expected bytes pass through
 * selftest_expected(), which is where hillock.test.corrupt=<suite.name>
 * flips a bit to prove that a wrong expectation fails the run. */
int selftest_expect_bytes(const char *file, int line, const void *got, const void *want,
			  size_t len);
#define EXPECT_BYTES(got, want, len) selftest_expect_bytes(__FILE__, __LINE__, got, want, len)

/* Decode a hex string into out; returns the byte count, or 0 if hex is
 * malformed or longer than cap bytes. */
size_t selftest_unhex(const char *hex, unsigned char *out, size_t cap);

/* Run the tests the command line selects; returns the number that failed.
 * filter is NULL for the default set. */
int selftest_run(const char *filter, const char *corrupt);

#endif
