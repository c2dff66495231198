/* x86_64 start: from the 64-bit entry in entry.S to kernel_main().
 *
 * Order matters: the TLS block (which holds the stack-protector canary the
 * prebuilt libraries read at %fs:0x28) comes before any library call, the
 * console before anything can fail, the exception table before anything can
 * fault. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arch/acpi.h>
#include <arch/io.h>
#include <arch/pvh.h>
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
#define BOOT_MAP_LIMIT (4ull << 30) /* entry.S maps the low 4 GiB */

static uint8_t bsp_tls_area[BSP_TLS_AREA] __attribute__((aligned(64)));
static struct boot_info boot_info;

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

static void pvh_read(uint64_t start_info_pa, struct boot_info *bi)
{
	const struct pvh_start_info *si = (const struct pvh_start_info *)(uintptr_t)start_info_pa;

	if (!si || si->magic != PVH_START_MAGIC) {
		printf("boot: no PVH start info (magic %#x)\n", si ? si->magic : 0);
		arch_exit(EXIT_STATUS_FAIL);
	}
	if (si->version >= 1 && si->memmap_paddr && si->memmap_entries) {
		const struct pvh_memmap_entry *e =
			(const struct pvh_memmap_entry *)(uintptr_t)si->memmap_paddr;

		for (uint32_t i = 0; i < si->memmap_entries && i < 128; i++) {
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
	int cpus = acpi_count_cpus(si->rsdp_paddr);

	if (cpus > 0) {
		bi->cpu_count = (unsigned int)cpus;
		bi->cpu_source = "ACPI MADT";
	} else {
		bi->cpu_count = 1;
		bi->cpu_source = "default (no usable MADT)";
	}
}

__attribute__((no_stack_protector)) _Noreturn void arch_start(uint64_t start_info_pa,
							       unsigned int reloc_skipped)
{
	extern char __image_start[], __image_end[];
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

	boot_info.image_base = (uint64_t)(uintptr_t)__image_start;
	boot_info.image_end = (uint64_t)(uintptr_t)__image_end;
	boot_info.map_limit = BOOT_MAP_LIMIT;
	pvh_read(start_info_pa, &boot_info);
	kernel_main(&boot_info);
}
