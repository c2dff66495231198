/* Reading the machine from x86 firmware: the PVH start info (memory map,
 * command line, modules) and the ACPI MADT (CPUs).  Only the IGVM loader
 * reads firmware; Hillock itself reads the device tree its shim builds. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arch/acpi.h>
#include <arch/pvh.h>
#include <hillock/arch.h>
#include <hillock/boot.h>

#define PVH_MEMMAP_MAX 128

void arch_firmware_read(uint64_t start_info_pa, struct boot_info *bi)
{
	extern char __image_start[], __image_end[];
	const struct pvh_start_info *si = (const struct pvh_start_info *)(uintptr_t)start_info_pa;

	bi->image_base = (uint64_t)(uintptr_t)__image_start;
	bi->image_end = (uint64_t)(uintptr_t)__image_end;
	bi->map_limit = arch_boot_map_limit();

	if (!si || si->magic != PVH_START_MAGIC) {
		printf("boot: no PVH start info (magic %#x)\n", si ? si->magic : 0);
		arch_exit(EXIT_STATUS_FAIL);
	}
	if (si->version >= 1 && si->memmap_paddr && si->memmap_entries) {
		const struct pvh_memmap_entry *e =
			(const struct pvh_memmap_entry *)(uintptr_t)si->memmap_paddr;

		for (uint32_t i = 0; i < si->memmap_entries && i < PVH_MEMMAP_MAX; i++) {
			if (e[i].type == PVH_MEMMAP_TYPE_RAM) {
				boot_add_ram(bi, e[i].addr, e[i].size);
			}
		}
		bi->mem_source = "PVH memory map";
	}
	if (si->cmdline_paddr) {
		const char *cmd = (const char *)(uintptr_t)si->cmdline_paddr;
		size_t len = strnlen(cmd, sizeof(bi->cmdline));

		if (len == sizeof(bi->cmdline)) {
			printf("boot: command line longer than %zu bytes\n", sizeof(bi->cmdline) - 1);
			arch_exit(EXIT_STATUS_FAIL);
		}
		memcpy(bi->cmdline, cmd, len + 1);
	}
	if (si->nr_modules > 0 && si->modlist_paddr) {
		const struct pvh_module *m = (const struct pvh_module *)(uintptr_t)si->modlist_paddr;

		bi->initrd_base = m->paddr;
		bi->initrd_size = m->size;
	}
	int cpus = acpi_count_cpus(si->rsdp_paddr);

	if (cpus > 0) {
		bi->cpu_count = (unsigned int)cpus;
		bi->cpu_source = "ACPI MADT";
	} else {
		bi->cpu_count = 1;
		bi->cpu_source = "default (no usable MADT)";
	}
}
