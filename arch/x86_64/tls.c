/* x86_64 TLS blocks: glibc's variant II, so that prebuilt code finds what
 * it expects through %fs.
 *
 *   area:  [ TLS data (the template) ][ TCB: self, dtv, self, ..., canary at 0x28 ]
 *                                      ^ the thread pointer (IA32_FS_BASE)
 *
 * Local-exec TLS offsets are negative from the thread pointer, so the data
 * sits right below the TCB. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arch/io.h>
#include <arch/x86.h>
#include <hillock/cpu.h>

/* glibc's x86_64 thread control block prefix: the fields prebuilt code
 * reads through %fs. */
struct x86_tcb {
	struct x86_tcb *self;
	uint64_t dtv;
	struct x86_tcb *self2;
	uint32_t multiple_threads;
	uint32_t gscope;
	uint64_t sysinfo;
	uint64_t stack_guard;
	uint64_t pointer_guard;
};
_Static_assert(offsetof(struct x86_tcb, stack_guard) == 0x28, "glibc reads the canary at %fs:0x28");

/* Runs before the thread pointer is valid: no stack protector here. */
__attribute__((no_stack_protector)) uint64_t arch_tls_init(void *area, size_t size,
							   uint64_t canary)
{
	extern char __tdata_start[], __tdata_end[];
	/* link.ld.S pads the template to its 64-byte alignment, so the TCB
	 * right after it is aligned as well when area is. */
	size_t tdata = (uintptr_t)__tdata_end - (uintptr_t)__tdata_start;

	if (tdata + sizeof(struct x86_tcb) > size) {
		return 0;
	}
	memset(area, 0, size);
	memcpy(area, __tdata_start, tdata);
	struct x86_tcb *tcb = (struct x86_tcb *)((uint8_t *)area + tdata);

	tcb->self = tcb;
	tcb->self2 = tcb;
	tcb->stack_guard = canary;
	return (uint64_t)(uintptr_t)tcb;
}

__attribute__((no_stack_protector)) size_t arch_tls_tp_offset(void)
{
	extern char __tdata_start[], __tdata_end[];

	return (size_t)((uintptr_t)__tdata_end - (uintptr_t)__tdata_start);
}

__attribute__((no_stack_protector)) void arch_tls_activate(uint64_t tp)
{
	wrmsr(MSR_FS_BASE, tp);
}
