/* Suite "fault": the exception path that tests rely on.  fault_catch()
 * leaves the exception handler by longjmp; on aarch64 the handler ran on
 * the CPU's exception stack, which the jump must give back whole (see
 * arch/aarch64/setjmp.S).  Were even a frame's worth kept per catch, this
 * many catches would run the 16 KiB exception stack into its guard, and
 * the run would die instead of passing. */
#include <stdint.h>
#include <string.h>

#include <hillock/fault.h>
#include <hillock/selftest.h>

#define FAULT_TEST_CATCHES 1000
/* Canonical and unmapped on both architectures (as kernel/fault.c). */
#define FAULT_TEST_UNMAPPED 0x000000dead000000ull

static __attribute__((noinline)) struct fault_info fault_test_read_unmapped(void)
{
	struct fault_info fi;

	memset(&fi, 0, sizeof(fi));
	if (fault_catch(&fi) == 0) {
		(void)*(volatile uint64_t *)(uintptr_t)FAULT_TEST_UNMAPPED;
		fault_catch_end();
	}
	return fi;
}

TEST(fault, catch_many_in_a_row)
{
	int rc = 0;

	for (int i = 0; i < FAULT_TEST_CATCHES && rc == 0; i++) {
		struct fault_info fi = fault_test_read_unmapped();

		rc |= EXPECT(fi.kind == FAULT_READ && fi.addr == FAULT_TEST_UNMAPPED);
	}
	return rc;
}
