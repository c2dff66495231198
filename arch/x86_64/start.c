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
#include <hillock/cpu.h>

void x86_exceptions_init(void);
void x86_time_init(uint64_t entry_tsc);

#define BSP_TLS_AREA 4096

static uint8_t bsp_tls_area[BSP_TLS_AREA] __attribute__((aligned(64)));

/* From entry.S: ebx and esi as the loader left them (PVH: ebx is the start
 * info; an IGVM VP context: see boot/shim.c), and the count of relocations
 * of a type the image cannot apply. */
__attribute__((no_stack_protector)) _Noreturn void arch_start(uint64_t arg0, uint64_t arg1,
							       unsigned int reloc_skipped)
{
	uint64_t entry_tsc = rdtsc();

	uart16550_init();
	uint64_t tp = arch_tls_init(bsp_tls_area, sizeof(bsp_tls_area), arch_random_u64());

	if (tp == 0) {
		printf("boot: TLS block does not fit in %d bytes\n", BSP_TLS_AREA);
		arch_exit(EXIT_STATUS_FAIL);
	}
	arch_tls_activate(tp);
	x86_exceptions_init();
	if (reloc_skipped) {
		printf("boot: %u relocations of an unexpected type\n", reloc_skipped);
		arch_exit(EXIT_STATUS_FAIL);
	}
	x86_time_init(entry_tsc);
	image_main(arg0, arg1);
}
