/* aarch64 start: from entry.S (MMU on, EL2) to kernel_main().
 *
 * The stack-protector guard and the TLS block (picolibc's errno lives in
 * TLS) come before any library call, the console before anything can
 * fail.  What the machine looks like comes from the device tree QEMU
 * leaves at the start of RAM; it is the host's input, so it is checked
 * whole (fdt_check_full) before any of it is used. */
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <drivers/pl011.h>
#include <hillock/arch.h>
#include <hillock/boot.h>

void aarch64_time_init(uint64_t entry_counter);

#define VIRT_UART_BASE 0x09000000
#define VIRT_RAM_BASE 0x40000000
#define FDT_MAX_SIZE (2u << 20)
#define TLS_TCB_OFFSET 64 /* 16-byte TCB rounded up to the TLS alignment */
#define BSP_TLS_AREA 4096
#define BOOT_MAP_LIMIT (256ull << 30) /* entry.S maps the low 256 GiB */

/* Read by compiler-generated stack-protector code, ours and the prebuilt
 * libraries' alike (glibc's aarch64 ABI keeps the guard in this global). */
uintptr_t __stack_chk_guard;

static uint8_t bsp_tls_area[BSP_TLS_AREA] __attribute__((aligned(64)));
static struct boot_info boot_info;

static __attribute__((no_stack_protector)) int aarch64_tls_init(uint8_t *area, size_t size)
{
	extern char __tdata_start[], __tdata_end[];
	size_t tdata = (size_t)(__tdata_end - __tdata_start);

	if (TLS_TCB_OFFSET + tdata > size) {
		return 0;
	}
	memset(area, 0, size);
	memcpy(area + TLS_TCB_OFFSET, __tdata_start, tdata);
	__asm__ volatile("msr tpidr_el0, %0" : : "r"(area));
	return 1;
}

static uint64_t fdt_read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++) {
		v = (v << 32) | fdt32_to_cpu(p[i]);
	}
	return v;
}

static const void *fdt_locate(uint64_t x0)
{
	const uint64_t candidates[2] = {x0, VIRT_RAM_BASE};

	for (int i = 0; i < 2; i++) {
		const void *fdt = (const void *)(uintptr_t)candidates[i];

		if (candidates[i] && fdt_magic(fdt) == FDT_MAGIC && fdt_totalsize(fdt) <= FDT_MAX_SIZE &&
		    fdt_check_full(fdt, fdt_totalsize(fdt)) == 0) {
			return fdt;
		}
	}
	return NULL;
}

static void fdt_read(const void *fdt, struct boot_info *bi)
{
	int ac = fdt_address_cells(fdt, 0);
	int sc = fdt_size_cells(fdt, 0);
	int node, len;

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
		if (strnlen(args, (size_t)len) >= sizeof(bi->cmdline)) {
			printf("boot: command line longer than %zu bytes\n", sizeof(bi->cmdline) - 1);
			arch_exit(EXIT_STATUS_FAIL);
		}
		strncpy(bi->cmdline, args, sizeof(bi->cmdline) - 1);
	}
}

__attribute__((no_stack_protector)) _Noreturn void arch_start(uint64_t x0, uint64_t el,
							       unsigned int reloc_skipped)
{
	extern char __image_start[], __image_end[];
	uint64_t entry_counter;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(entry_counter));
	pl011_init(VIRT_UART_BASE);
	if (el != 2) {
		printf("boot: entered at EL%llu; Hillock needs EL2 (QEMU: -machine virtualization=on)\n",
		       (unsigned long long)el);
		arch_exit(EXIT_STATUS_FAIL);
	}
	__stack_chk_guard = (uintptr_t)arch_random_u64();
	if (!aarch64_tls_init(bsp_tls_area, sizeof(bsp_tls_area))) {
		printf("boot: TLS block does not fit in %d bytes\n", BSP_TLS_AREA);
		arch_exit(EXIT_STATUS_FAIL);
	}
	if (reloc_skipped) {
		printf("boot: %u relocations of an unexpected type\n", reloc_skipped);
		arch_exit(EXIT_STATUS_FAIL);
	}
	aarch64_time_init(entry_counter);

	const void *fdt = fdt_locate(x0);

	if (!fdt) {
		printf("boot: no valid device tree (x0 %#llx, RAM base %#x)\n", (unsigned long long)x0,
		       VIRT_RAM_BASE);
		arch_exit(EXIT_STATUS_FAIL);
	}
	boot_info.image_base = (uint64_t)(uintptr_t)__image_start;
	boot_info.image_end = (uint64_t)(uintptr_t)__image_end;
	boot_info.map_limit = BOOT_MAP_LIMIT;
	fdt_read(fdt, &boot_info);
	kernel_main(&boot_info);
}
