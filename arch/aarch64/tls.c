/* aarch64 TLS blocks: variant I, as the linker's local-exec offsets expect.
 *
 *   area:  [ TCB, 16 bytes, rounded up to 64 ][ TLS data (the template) ]
 *          ^ the thread pointer (TPIDR_EL0)
 *
 * The stack-protector guard is the global __stack_chk_guard on aarch64
 * (start.c), shared by every CPU, so the canary argument is not stored. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <hillock/cpu.h>

#define TLS_TCB_OFFSET 64 /* 16-byte TCB rounded up to the TLS alignment */

uint64_t arch_tls_init(void *area, size_t size, uint64_t canary)
{
	extern char __tdata_start[], __tdata_end[];
	size_t tdata = (uintptr_t)__tdata_end - (uintptr_t)__tdata_start;

	(void)canary;
	if (TLS_TCB_OFFSET + tdata > size) {
		return 0;
	}
	memset(area, 0, size);
	memcpy((uint8_t *)area + TLS_TCB_OFFSET, __tdata_start, tdata);
	return (uint64_t)(uintptr_t)area;
}

size_t arch_tls_tp_offset(void)
{
	return 0;
}

void arch_tls_activate(uint64_t tp)
{
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(tp) : "memory");
}
