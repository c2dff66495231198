/* What the architecture's entry code hands the kernel: the machine as the
 * firmware (or, later, the IGVM loader) described it, already validated. */
#ifndef HILLOCK_BOOT_H
#define HILLOCK_BOOT_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_RAM_RANGES_MAX 32
#define BOOT_CMDLINE_MAX 1024

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
	/* Source of cpu_count and RAM, for the banner ("ACPI MADT", ...). */
	const char *cpu_source;
	const char *mem_source;
	char cmdline[BOOT_CMDLINE_MAX];
};

/* Apply R_*_RELATIVE relocations for an image whose link base is 0 and
 * which runs at base.  Runs before anything touches a global.  Returns the
 * number of entries of any other type, which were left alone. */
unsigned int reloc_apply(uintptr_t base, const void *rela_start, const void *rela_end);

/* Add [base, base + size) to bi->ram, keeping it sorted; ranges beyond
 * BOOT_RAM_RANGES_MAX are dropped with a warning. */
void boot_add_ram(struct boot_info *bi, uint64_t base, uint64_t size);

/* The generic kernel; the architecture calls it once on the boot CPU. */
_Noreturn void kernel_main(struct boot_info *bi);

#endif
