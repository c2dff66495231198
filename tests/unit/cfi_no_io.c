/* What drivers/flash/cfi_flash.c calls for its I/O, for host programs that
 * link the driver only to run cfi_query_parse() (tests/unit/test_cfi_query.c,
 * tests/fuzz/fuzz_cfi_query.c): reaching any of these is a bug. */
#include <stdint.h>
#include <stdlib.h>

#include <hillock/arch.h>
#include <hillock/mmu.h>

int mmu_map(uint64_t pa, uint64_t size, unsigned int flags)
{
	(void)pa;
	(void)size;
	(void)flags;
	abort();
}

int mmu_unmap(uint64_t va, uint64_t size)
{
	(void)va;
	(void)size;
	abort();
}

uint64_t arch_time_ns(void)
{
	abort();
}
