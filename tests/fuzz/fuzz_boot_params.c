/* libFuzzer harness for the boot shim's parameters -> device tree step
 * (boot/params.c): arbitrary bytes become the loader-written parameter
 * areas (VP count, memory map, host command line, host device tree) and
 * the platform hint.  Whatever the input, boot_fdt_build() must either
 * refuse it or produce a device tree that passes fdt_check_full(). */
#include <libfdt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <boot/params.h>
#include <igvm/igvm_defs.h>

static struct hillock_params params;
static uint8_t out[64 * 1024];

int arch_shim_devices(void *fdt, int parent)
{
	int node = fdt_add_subnode(fdt, parent, "fuzz-uart");

	return node < 0 ? node : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char fixed[HILLOCK_FIXED_CMDLINE_MAX] = "hillock.test=selftest hillock.fault=ud";
	struct boot_input in = {
		.params = &params,
		.image_base = 64 << 20,
		.image_end = (64 << 20) + (2 << 20),
		.fixed_cmdline = fixed,
		.vtl0 = NULL,
		.phys_limit = 1ull << 46,
	};
	char err[160];

	if (size < 1) {
		return 0;
	}
	/* A compact encoding, so that the fuzzer reaches every check:
	 *   [0] platform hint, [1..4] VP count, [5] memory map entry count n,
	 *   n * 24 bytes of entries, the host command line up to a NUL, and
	 *   the rest as the host device tree. */
	memset(&params, 0, sizeof(params));
	in.isolation = data[0] % 5;
	size_t off = 1, n;

	n = size - off < 4 ? size - off : 4;
	memcpy(params.vp_count, data + off, n);
	off += n;
	if (off < size) {
		size_t entries = data[off++] * sizeof(struct igvm_memory_map_entry);

		n = size - off < entries ? size - off : entries;
		memcpy(params.memory_map, data + off, n);
		off += n;
	}
	n = 0;
	while (off + n < size && n < sizeof(params.command_line) && data[off + n]) {
		n++;
	}
	memcpy(params.command_line, data + off, n);
	off += n + (off + n < size);
	n = size - off < sizeof(params.device_tree) ? size - off : sizeof(params.device_tree);
	memcpy(params.device_tree, data + off, n);
	if (boot_fdt_build(&in, out, sizeof(out), err, sizeof(err)) == 0 &&
	    fdt_check_full(out, sizeof(out)) != 0) {
		abort();
	}
	return 0;
}
