/* What the architecture's entry code hands the kernel: the machine as the
 * firmware (or, later, the IGVM loader) described it, already validated. */
#ifndef HILLOCK_BOOT_H
#define HILLOCK_BOOT_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_RAM_RANGES_MAX 32
#define BOOT_CMDLINE_MAX 1024
#define BOOT_CPUS_MAX 256

struct boot_range {
	uint64_t base;
	uint64_t size;
};

struct boot_info {
	/* Usable RAM, sorted by base, non-overlapping. */
	struct boot_range ram[BOOT_RAM_RANGES_MAX];
	unsigned int ram_count;
	uint64_t ram_bytes;
	/* The boot page tables map [0, map_limit); memory above is not
	 * usable until the kernel builds its own tables. */
	uint64_t map_limit;
	/* Where the image sits, [image_base, image_end). */
	uint64_t image_base;
	uint64_t image_end;
	unsigned int cpu_count;
	/* Each CPU's hardware ID, in /cpus order: the shim's hillock,hwid
	 * (aarch64: the MPIDR affinity the host's tree gives), else the CPU's
	 * reg (x86_64: the APIC ID, assumed equal to the VP index until the
	 * MADT parameter is read). */
	uint64_t cpu_hwid[BOOT_CPUS_MAX];
	/* Source of cpu_count and RAM, for the banner ("ACPI MADT", ...). */
	const char *cpu_source;
	const char *mem_source;
	char cmdline[BOOT_CMDLINE_MAX];
	/* From the shim's device tree (the kernel only). */
	const void *fdt;	  /* the tree itself (the kernel maps /devices from it) */
	uint64_t vtl0_bytes;
	/* VTL0 RAM, sorted by base; the first BOOT_RAM_RANGES_MAX ranges. */
	struct boot_range vtl0_ram[BOOT_RAM_RANGES_MAX];
	unsigned int vtl0_ram_count;
	const char *isolation;	  /* "none", "snp", "tdx" */
	char dropped[64];	  /* what the isolation filter removed, space-separated */
	uint64_t shim_entry_ns;
	/* The interrupt controller under /devices (aarch64: the GICv3
	 * distributor and first redistributor region; size 0: none). */
	struct boot_range gic_dist;
	struct boot_range gic_redist;
	/* A linux-direct VTL0 payload the image carries (size 0: none). */
	struct boot_range vtl0_kernel;
	struct boot_range vtl0_initrd;
	/* What a loader was handed (igvmload only): the initrd, and the host's
	 * device tree where the firmware has one. */
	uint64_t initrd_base;
	uint64_t initrd_size;
	const void *host_fdt;
};

/* Apply R_*_RELATIVE relocations for an image whose link base is 0 and
 * which runs at base.  Runs before anything touches a global.  Returns the
 * number of entries of any other type, which were left alone. */
unsigned int reloc_apply(uintptr_t base, const void *rela_start, const void *rela_end);

/* Add [base, base + size) to bi->ram, keeping it sorted; ranges beyond
 * BOOT_RAM_RANGES_MAX are dropped with a warning. */
void boot_add_ram(struct boot_info *bi, uint64_t base, uint64_t size);

/* What the image does once the architecture's early start (console,
 * TLS, exceptions, time) is done; arg0 and arg1 are the first two argument
 * registers the loader set (x86_64: ebx, esi; aarch64: x0, x1).  Each image
 * defines it: Hillock's is the boot shim (boot/shim.c), igvmload's the
 * loader (tools/igvmload/main.c). */
_Noreturn void image_main(uint64_t arg0, uint64_t arg1);

/* Describe the machine from the firmware's tables (PVH start info and ACPI
 * on x86_64, the device tree in x0 on aarch64); stops the machine on
 * malformed input.  For loaders only. */
void arch_firmware_read(uint64_t arg0, struct boot_info *bi);

/* Fill *bi from the shim's device tree.  Returns 0, or -1 with err set. */
int boot_info_from_fdt(const void *fdt, struct boot_info *bi, char *err, size_t errlen);

/* The generic kernel, entered once on the boot CPU with the device tree
 * the shim built (the only description of the machine the kernel reads). */
_Noreturn void kernel_main(const void *fdt);

#endif
