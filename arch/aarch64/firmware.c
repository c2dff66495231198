/* Reading the machine from the device tree QEMU hands a Linux-protocol
 * image in x0.  Only the IGVM loader reads firmware; Hillock itself reads
 * the device tree its shim builds.  The tree is the host's input: it is
 * checked whole (fdt_check_full) before any of it is used. */
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/boot.h>

#define FDT_MAX_SIZE (2u << 20)

static uint64_t fdt_read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++) {
		v = (v << 32) | fdt32_to_cpu(p[i]);
	}
	return v;
}

void arch_firmware_read(uint64_t x0, struct boot_info *bi)
{
	extern char __image_start[], __image_end[];
	const void *fdt = (const void *)(uintptr_t)x0;
	int ac, sc, node, len;

	bi->image_base = (uint64_t)(uintptr_t)__image_start;
	bi->image_end = (uint64_t)(uintptr_t)__image_end;
	bi->map_limit = arch_boot_map_limit();
	if (!fdt || fdt_magic(fdt) != FDT_MAGIC || fdt_totalsize(fdt) > FDT_MAX_SIZE ||
	    fdt_check_full(fdt, fdt_totalsize(fdt)) != 0) {
		printf("boot: no valid device tree in x0 (%#llx)\n", (unsigned long long)x0);
		arch_exit(EXIT_STATUS_FAIL);
	}
	bi->host_fdt = fdt;
	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		printf("boot: device tree has #address-cells %d, #size-cells %d\n", ac, sc);
		arch_exit(EXIT_STATUS_FAIL);
	}
	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

		if (!type || strcmp(type, "memory") != 0 || !reg) {
			continue;
		}
		for (int off = 0; off + (ac + sc) * 4 <= len; off += (ac + sc) * 4) {
			const fdt32_t *cell = reg + off / 4;

			boot_add_ram(bi, fdt_read_cells(cell, ac), fdt_read_cells(cell + ac, sc));
		}
	}
	bi->mem_source = "device tree";

	int cpus = fdt_path_offset(fdt, "/cpus");

	bi->cpu_count = 0;
	if (cpus >= 0) {
		fdt_for_each_subnode(node, fdt, cpus) {
			const char *type = fdt_getprop(fdt, node, "device_type", NULL);

			bi->cpu_count += type && strcmp(type, "cpu") == 0;
		}
	}
	if (bi->cpu_count == 0) {
		printf("boot: device tree lists no CPU\n");
		arch_exit(EXIT_STATUS_FAIL);
	}
	bi->cpu_source = "device tree";

	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;

	if (args && len > 0) {
		size_t n = strnlen(args, (size_t)len);

		if (n == (size_t)len) {
			printf("boot: /chosen/bootargs is not NUL-terminated\n");
			arch_exit(EXIT_STATUS_FAIL);
		}
		if (n >= sizeof(bi->cmdline)) {
			printf("boot: command line longer than %zu bytes\n", sizeof(bi->cmdline) - 1);
			arch_exit(EXIT_STATUS_FAIL);
		}
		memcpy(bi->cmdline, args, n + 1);
	}

	/* The initrd QEMU loaded (-initrd), as the Linux boot protocol
	 * describes it: 32- or 64-bit cells. */
	const fdt32_t *start = chosen >= 0 ? fdt_getprop(fdt, chosen, "linux,initrd-start", &len) : NULL;
	int elen;
	const fdt32_t *end = chosen >= 0 ? fdt_getprop(fdt, chosen, "linux,initrd-end", &elen) : NULL;

	if (start && end && (len == 4 || len == 8) && len == elen) {
		uint64_t s = fdt_read_cells(start, len / 4);
		uint64_t e = fdt_read_cells(end, len / 4);

		if (e > s) {
			bi->initrd_base = s;
			bi->initrd_size = e - s;
		}
	}
}
