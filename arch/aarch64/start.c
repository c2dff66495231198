/* aarch64 start: from entry.S (MMU on, EL2) to kernel_main().
 *
 * The stack-protector guard and the TLS block (picolibc's errno lives in
 * TLS) come before any library call, the console before anything can
 * fail. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <drivers/pl011.h>
#include <hillock/arch.h>
#include <hillock/boot.h>
#include <hillock/cpu.h>

void aarch64_time_init(uint64_t entry_counter);

#define VIRT_UART_BASE 0x09000000
#define BSP_TLS_AREA 4096

/* Read by compiler-generated stack-protector code, ours and the prebuilt
 * libraries' alike (glibc's aarch64 ABI keeps the guard in this global). */
uintptr_t __stack_chk_guard;

static uint8_t bsp_tls_area[BSP_TLS_AREA] __attribute__((aligned(64)));

/* From entry.S: x0 and x1 as the loader left them (Linux boot protocol,
 * for igvmload: x0 is the device tree; an IGVM VP context: see
 * boot/shim.c), the exception level we run at, and the count of relocations
 * of a type the image cannot apply. */
__attribute__((no_stack_protector)) _Noreturn void arch_start(uint64_t x0, uint64_t x1, uint64_t el,
							       unsigned int reloc_skipped)
{
	uint64_t entry_counter;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(entry_counter));
	pl011_init(VIRT_UART_BASE);
	if (el != 2) {
		printf("boot: entered at EL%llu; Hillock needs EL2 (QEMU: -machine virtualization=on)\n",
		       (unsigned long long)el);
		arch_exit(EXIT_STATUS_FAIL);
	}
	__stack_chk_guard = (uintptr_t)arch_random_u64();
	uint64_t tp = arch_tls_init(bsp_tls_area, sizeof(bsp_tls_area), __stack_chk_guard);

	if (tp == 0) {
		printf("boot: TLS block does not fit in %d bytes\n", BSP_TLS_AREA);
		arch_exit(EXIT_STATUS_FAIL);
	}
	arch_tls_activate(tp);
	if (reloc_skipped) {
		printf("boot: %u relocations of an unexpected type\n", reloc_skipped);
		arch_exit(EXIT_STATUS_FAIL);
	}
	aarch64_time_init(entry_counter);
	image_main(x0, x1);
}
