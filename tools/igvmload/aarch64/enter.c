/* igvmload, aarch64: entering a NATIVE VP context (x0-x7, pc) at EL2.
 *
 * igvmload runs with the MMU and caches on; the image it starts begins with
 * them off.  So the pages just written are cleaned to the point of
 * coherency and the instruction cache is invalidated before the MMU goes
 * off (enter.S). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <igvm/igvm_defs.h>
#include <tools/igvmload/igvmload.h>

_Noreturn void igvmload_arm_trampoline(const struct igvm_vp_context_aarch64 *ctx);

const enum igvm_arch igvmload_igvm_arch = IGVM_ARCH_AARCH64;

unsigned int igvmload_arch_busy(struct boot_range *ranges, unsigned int count, unsigned int max)
{
	(void)ranges;
	(void)max;
	return count;
}

uint64_t igvmload_arch_relocate(void *ctx, const struct igvmload_reloc *r)
{
	struct igvm_vp_context_aarch64 c;

	memcpy(&c, ctx, sizeof(c));
	if (r->apply_pc) {
		c.pc += r->delta;
	}
	memcpy(ctx, &c, sizeof(c));
	return c.pc;
}

int igvmload_arch_check_context(const void *ctx, size_t len)
{
	struct igvm_vp_context_aarch64 c;

	if (len < sizeof(c)) {
		printf("igvmload: VP context of %zu bytes is too short\n", len);
		return -1;
	}
	memcpy(&c, ctx, sizeof(c));
	if (c.flags != 0 || (c.pc & 3)) {
		printf("igvmload: VP context flags %#llx / pc %#llx not supported\n",
		       (unsigned long long)c.flags, (unsigned long long)c.pc);
		return -1;
	}
	return 0;
}

static void cache_clean_range(uint64_t base, uint64_t size)
{
	uint64_t ctr, line;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4ull << ((ctr >> 16) & 0xf); /* CTR_EL0.DminLine: log2 words */
	for (uint64_t a = base & ~(line - 1); a < base + size; a += line) {
		__asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
	}
	__asm__ volatile("dsb sy; ic iallu; dsb sy; isb" : : : "memory");
}

_Noreturn void igvmload_arch_enter(const void *ctx, size_t len, uint32_t hint, uint64_t flush_base,
				   uint64_t flush_size)
{
	static struct igvm_vp_context_aarch64 c;

	(void)len;
	memcpy(&c, ctx, sizeof(c));
	c.x[1] = hint;
	cache_clean_range(flush_base, flush_size);
	cache_clean_range((uint64_t)(uintptr_t)&c, sizeof(c));
	igvmload_arm_trampoline(&c);
}
