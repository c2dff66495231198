/* kernel_main(): the generic kernel, entered once on the boot CPU after the
 * architecture has set up the console, exceptions and time, with the device
 * tree the boot shim built.
 *
 * It reads the tree, prints the banner, parses the command line, runs the
 * INIT_CALL levels (memory, CPU, SMP, services), then the in-image tests the
 * command line selects, and powers off with their status.  The VP loop will
 * take the place of the tests. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/boot.h>
#include <hillock/config.h>
#include <hillock/console.h>
#include <hillock/image.h>
#include <hillock/init.h>
#include <hillock/kmsg.h>
#include <hillock/page.h>
#include <hillock/selftest.h>
#include <hillock/timeline.h>

#define MIB (1ull << 20)

void fault_inject(const char *kind);

static struct boot_info boot_info;

_Noreturn void kernel_main(const void *fdt)
{
	struct boot_info *bi = &boot_info;
	struct kernel_config *cfg = &kernel_config;
	char err[128];
	uint64_t entry_ns = arch_time_ns();

	console_lines_begin();
	if (boot_info_from_fdt(fdt, bi, err, sizeof(err)) != 0) {
		printf("kernel: %s\n", err);
		arch_exit(EXIT_STATUS_FAIL);
	}
	printf("\nHillock %s (%s) %s: %u CPU%s, %llu MiB VTL2 + %llu MiB VTL0 RAM, isolation %s\n",
	       hillock_version, hillock_git_rev, arch_name, bi->cpu_count,
	       bi->cpu_count == 1 ? "" : "s", (unsigned long long)((bi->ram_bytes + MIB / 2) / MIB),
	       (unsigned long long)((bi->vtl0_bytes + MIB / 2) / MIB), bi->isolation);
	printf("boot: image at %#llx, %llu KiB; shim at %llu us, banner at %llu us\n",
	       (unsigned long long)bi->image_base,
	       (unsigned long long)((bi->image_end - bi->image_base) / 1024),
	       (unsigned long long)(bi->shim_entry_ns / 1000),
	       (unsigned long long)(arch_time_ns() / 1000));
	if (bi->dropped[0]) {
		printf("boot: isolated platform: dropped %s\n", bi->dropped);
	}
	if (bi->vtl0_kernel.size) {
		printf("boot: VTL0 payload: kernel %llu bytes at %#llx, initrd %llu bytes at %#llx\n",
		       (unsigned long long)bi->vtl0_kernel.size, (unsigned long long)bi->vtl0_kernel.base,
		       (unsigned long long)bi->vtl0_initrd.size, (unsigned long long)bi->vtl0_initrd.base);
	}
	if (config_parse(bi->cmdline, cfg) != 0) {
		printf("hillock: bad command line; powering off\n");
		arch_exit(EXIT_STATUS_FAIL);
	}
	/* On an isolated platform the host reads the console: show it less. */
	if (cfg->loglevel[0]) {
		kmsg_set_console_level((enum kmsg_level)(cfg->loglevel[0] - '0'));
	} else if (strcmp(bi->isolation, "none") != 0) {
		kmsg_set_console_level(KMSG_WARN);
	}
	if (bi->cmdline[0]) {
		kmsg(KMSG_INFO, "boot: command line \"%s\"", bi->cmdline);
	}
	timeline_mark_at("shim", bi->shim_entry_ns);
	timeline_mark_at("kernel", entry_ns);
	if (init_run(bi) != 0) {
		printf("hillock: boot failed; powering off\n");
		arch_exit(EXIT_STATUS_FAIL);
	}
	timeline_mark("ready");
	timeline_print();
	page_stats_print(); /* VTL2 memory by use, once everything is up */
	if (cfg->fault[0]) {
		fault_inject(cfg->fault);
	}

	int failed = selftest_run(cfg->test[0] ? cfg->test : NULL,
				  cfg->test_corrupt[0] ? cfg->test_corrupt : NULL);

	printf("hillock: %s at %llu us, powering off\n", failed ? "FAILED" : "done",
	       (unsigned long long)(arch_time_ns() / 1000));
	arch_exit(failed ? EXIT_STATUS_FAIL : EXIT_STATUS_PASS);
}
