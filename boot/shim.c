/* The boot shim: the first of Hillock's code to act on what the host gave
 * it.  Entered from VP0's IGVM context through the architecture's entry
 * (relocated, console, exceptions and time already up), it reads the
 * parameter areas the loader filled, turns them into the kernel's device
 * tree (boot/params.c) and starts the kernel with it.  On bad input it
 * names the problem and stops with a failing status; it never continues.
 *
 * arg1 is the loader's platform hint (enum hillock_isolation).  On SNP or
 * TDX hardware the shim will read the isolation type from the CPU instead;
 * under QEMU the loader sets it so the isolated path can be tested. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <boot/params.h>
#include <hillock/arch.h>
#include <hillock/boot.h>

#define KERNEL_FDT_SIZE (64u << 10)

/* Filled by the loader: never loaded from the file, never measured. */
struct hillock_params boot_params __attribute__((section(".params"), aligned(4096)));
/* Written by igvmgen before the image's pages are hashed: measured. */
const char boot_fixed_cmdline[HILLOCK_FIXED_CMDLINE_MAX]
	__attribute__((section(".rodata.boot_fixed"), aligned(64))) = "";
const struct hillock_vtl0_payload boot_vtl0_payload
	__attribute__((section(".rodata.boot_fixed"), aligned(64))) = {0};

static uint8_t kernel_fdt[KERNEL_FDT_SIZE] __attribute__((aligned(8)));
/* A private copy of the parameter areas: the host may still write
 * boot_params while the shim runs (on NATIVE and VSM it is ordinary shared
 * memory), so everything is checked and used from this snapshot only. */
static struct hillock_params boot_params_snapshot;

_Static_assert(BOOT_FDT_RANGES_MAX <= BOOT_RAM_RANGES_MAX,
	       "the kernel keeps every memory range the shim passes on");

_Noreturn void image_main(uint64_t arg0, uint64_t arg1)
{
	extern char __image_start[], __image_end[];
	struct boot_input in = {
		.params = &boot_params_snapshot,
		.image_base = (uint64_t)(uintptr_t)__image_start,
		.image_end = (uint64_t)(uintptr_t)__image_end,
		.fixed_cmdline = boot_fixed_cmdline,
		.vtl0 = &boot_vtl0_payload,
		.isolation = (uint32_t)arg1,
		.entry_ns = arch_time_ns(),
		.phys_limit = arch_phys_limit(),
	};
	char err[160];

	(void)arg0;
	memcpy(&boot_params_snapshot, &boot_params, sizeof(boot_params_snapshot));
	printf("shim: entered at %llu us, image at %#llx\n", (unsigned long long)(in.entry_ns / 1000),
	       (unsigned long long)in.image_base);
	if (arg1 > UINT32_MAX || boot_fdt_build(&in, kernel_fdt, sizeof(kernel_fdt), err, sizeof(err)) != 0) {
		if (arg1 > UINT32_MAX) {
			snprintf(err, sizeof(err), "platform hint %#llx is not an isolation type",
				 (unsigned long long)arg1);
		}
		printf("shim: boot error: %s\n", err);
		arch_exit(EXIT_STATUS_FAIL);
	}
	kernel_main(kernel_fdt);
}
