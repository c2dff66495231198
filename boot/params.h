/* The boot shim's one decision step: turn the IGVM parameters the loader
 * wrote into the device tree the kernel boots from.
 *
 * boot_fdt_build() is pure (no globals, no hardware), so it runs the same
 * in the image, in host unit tests and under the fuzzer.  Everything in
 * *in that came from the loader is untrusted and is checked here: a VP
 * count outside 1..HILLOCK_MAX_CPUS, a memory map that is unterminated,
 * unsorted, overlapping, of unknown type or beyond the physical address
 * space, VTL2 memory that does not hold the image, a host command line
 * that is unterminated or makes the whole line too long, a host device tree
 * that fails fdt_check_full().  Each is an error naming the problem; the
 * shim then stops the boot. */
#ifndef BOOT_PARAMS_H
#define BOOT_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include <igvm/hillock_igvm.h>

/* The most VTL2 and the most VTL0 memory ranges the tree carries (the
 * kernel's struct boot_info keeps as many). */
#define BOOT_FDT_RANGES_MAX 32

/* The whole kernel command line (fixed part, a space, host part). */
#define BOOT_FDT_CMDLINE_MAX 1024

struct boot_input {
	/* The areas as the loader filled them, copied to memory the host
	 * cannot change while they are checked and used. */
	const struct hillock_params *params;
	uint64_t image_base;		     /* runtime addresses, .params included */
	uint64_t image_end;
	const char *fixed_cmdline; /* measured; HILLOCK_FIXED_CMDLINE_MAX bytes */
	const struct hillock_vtl0_payload *vtl0;
	uint32_t isolation; /* enum hillock_isolation, from the platform */
	uint64_t entry_ns;  /* when the shim was entered */
	uint64_t phys_limit; /* first address beyond what the platform can hold */
};

/* Build the kernel's device tree into fdt[0..cap).  Returns 0, or -1 with a
 * message in err[0..errlen). */
int boot_fdt_build(const struct boot_input *in, void *fdt, size_t cap, char *err, size_t errlen);

/* Add the devices the platform has without a host device tree (x86_64:
 * the COM1 UART and the local APIC) under parent.  Defined per
 * architecture. */
int arch_shim_devices(void *fdt, int parent);

#endif
