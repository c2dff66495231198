/* x86_64 start: from the 64-bit entry in entry.S to kernel_main().
 *
 * Order matters: the TLS block (which holds the stack-protector canary the
 * prebuilt libraries read at %fs:0x28) comes before any library call, the
 * console before anything can fail, the exception table before anything can
 * fault. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arch/io.h>
#include <arch/x86.h>
#include <drivers/uart16550.h>
#include <hillock/arch.h>
#include <hillock/boot.h>

void x86_exceptions_init(void);
void x86_time_init(uint64_t entry_tsc);

/* glibc's x86_64 thread control block prefix: the fields prebuilt code
 * reads through %fs.  The TLS data of variant II sits just below it. */
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
_Static_assert(__builtin_offsetof(struct x86_tcb, stack_guard) == 0x28,
	       "glibc reads the canary at %fs:0x28");

#define BSP_TLS_AREA 4096

static uint8_t bsp_tls_area[BSP_TLS_AREA] __attribute__((aligned(64)));

/* Lay out one CPU's TLS block in area: .tdata copied, .tbss zeroed, the TCB
 * right after (variant II), and point FS at the TCB.  Returns false when
 * the area is too small. */
static __attribute__((no_stack_protector)) int x86_tls_init(uint8_t *area, size_t size,
							      uint64_t canary)
{
	extern char __tdata_start[], __tdata_end[];
	size_t tdata = (size_t)(__tdata_end - __tdata_start);
	/* link.ld.S pads the template to its 64-byte alignment. */
	size_t block = tdata;

	if (block + sizeof(struct x86_tcb) > size) {
		return 0;
	}
	memset(area, 0, size);
	memcpy(area, __tdata_start, tdata);
	struct x86_tcb *tcb = (struct x86_tcb *)(area + block);

	tcb->self = tcb;
	tcb->self2 = tcb;
	tcb->stack_guard = canary;
	wrmsr(MSR_FS_BASE, (uint64_t)(uintptr_t)tcb);
	return 1;
}

/* From entry.S: ebx and esi as the loader left them (PVH: ebx is the start
 * info; an IGVM VP context: see boot/shim.c), and the count of relocations
 * of a type the image cannot apply. */
__attribute__((no_stack_protector)) _Noreturn void arch_start(uint64_t arg0, uint64_t arg1,
							       unsigned int reloc_skipped)
{
	uint64_t entry_tsc = rdtsc();

	uart16550_init();
	if (!x86_tls_init(bsp_tls_area, sizeof(bsp_tls_area), arch_random_u64())) {
		printf("boot: TLS block does not fit in %d bytes\n", BSP_TLS_AREA);
		arch_exit(EXIT_STATUS_FAIL);
	}
	x86_exceptions_init();
	if (reloc_skipped) {
		printf("boot: %u relocations of an unexpected type\n", reloc_skipped);
		arch_exit(EXIT_STATUS_FAIL);
	}
	x86_time_init(entry_tsc);
	image_main(arg0, arg1);
}
