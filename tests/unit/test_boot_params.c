/* The boot shim's parameters -> device tree step (boot/params.c), on the
 * host: a good set of parameters gives the tree the kernel expects; every
 * kind of bad input gets its own error and no tree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <boot/params.h>
#include <igvm/igvm_defs.h>

#define MIB (1ull << 20)
#define IMAGE_BASE (64 * MIB)

static struct hillock_params params;
static char fixed[HILLOCK_FIXED_CMDLINE_MAX];
static struct hillock_vtl0_payload vtl0;
static uint8_t out[64 * 1024];
static char err[160];

/* Device-tree cells are only 4-byte aligned. */
static uint64_t be64_at(const void *p)
{
	fdt64_t v;

	memcpy(&v, p, sizeof(v));
	return fdt64_to_cpu(v);
}

/* The fake architecture: one device, as x86_64 adds its UART. */
int arch_shim_devices(void *fdt, int parent)
{
	int node = fdt_add_subnode(fdt, parent, "fake-uart");

	return node < 0 ? node : fdt_setprop_string(fdt, node, "compatible", "test,uart");
}

static void mmap_set(unsigned int i, uint64_t base, uint64_t size, uint16_t type)
{
	struct igvm_memory_map_entry e = {base >> 12, size >> 12, type, 0, 0};

	memcpy(params.memory_map + i * sizeof(e), &e, sizeof(e));
}

static struct boot_input input(void)
{
	struct boot_input in = {
		.params = &params,
		.image_base = IMAGE_BASE,
		.image_end = IMAGE_BASE + 2 * MIB,
		.fixed_cmdline = fixed,
		.vtl0 = &vtl0,
		.isolation = HILLOCK_ISOLATION_NONE,
		.entry_ns = 1234,
		.phys_limit = 1ull << 40,
	};
	return in;
}

static int setup(void **state)
{
	uint32_t vps = 4;

	(void)state;
	memset(&params, 0, sizeof(params));
	memset(fixed, 0, sizeof(fixed));
	memset(&vtl0, 0, sizeof(vtl0));
	memcpy(params.vp_count, &vps, sizeof(vps));
	mmap_set(0, 0, 64 * MIB, IGVM_MEMORY_MAP_MEMORY);
	mmap_set(1, 64 * MIB, 64 * MIB, IGVM_MEMORY_MAP_VTL2_PROTECTABLE);
	mmap_set(2, 128 * MIB, 128 * MIB, IGVM_MEMORY_MAP_MEMORY);
	strcpy(fixed, "hillock.test=selftest");
	strcpy((char *)params.command_line, "hillock.test=all");
	return 0;
}

static int build(struct boot_input *in)
{
	err[0] = '\0';
	return boot_fdt_build(in, out, sizeof(out), err, sizeof(err));
}

static void expect_error(struct boot_input *in, const char *what)
{
	assert_int_equal(build(in), -1);
	if (!strstr(err, what)) {
		fail_msg("error \"%s\" does not mention \"%s\"", err, what);
	}
}

static const char *chosen_string(const char *name)
{
	int node = fdt_path_offset(out, "/chosen");

	assert_true(node >= 0);
	return fdt_getprop(out, node, name, NULL);
}

static void params_good_input_builds_the_tree(void **state)
{
	struct boot_input in = input();
	const uint8_t *reg;
	int len, node, cpus = 0;

	(void)state;
	assert_int_equal(build(&in), 0);
	assert_int_equal(fdt_check_full(out, sizeof(out)), 0);
	assert_string_equal(chosen_string("bootargs"), "hillock.test=selftest hillock.test=all");
	assert_string_equal(chosen_string("hillock,isolation"), "none");

	node = fdt_path_offset(out, "/memory@4000000");
	assert_true(node >= 0);
	reg = fdt_getprop(out, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(be64_at(reg), 64 * MIB);
	assert_int_equal(be64_at(reg + 8), 64 * MIB);

	reg = fdt_getprop(out, fdt_path_offset(out, "/vtl0-memory"), "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(be64_at(reg + 16), 128 * MIB);

	node = fdt_path_offset(out, "/cpus");
	fdt_for_each_subnode(len, out, node) {
		assert_int_equal(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(out, len, "reg", NULL)), cpus);
		cpus++;
	}
	assert_int_equal(cpus, 4);
	assert_true(fdt_path_offset(out, "/reserved-memory/image@4000000") >= 0);
	assert_true(fdt_path_offset(out, "/devices/fake-uart") >= 0);
	assert_true(fdt_path_offset(out, "/vtl0-payload") < 0);
}

static void params_vp_count_out_of_range(void **state)
{
	struct boot_input in = input();
	uint32_t v = 0;

	(void)state;
	memcpy(params.vp_count, &v, sizeof(v));
	expect_error(&in, "VP count 0 is outside");
	v = HILLOCK_MAX_CPUS + 1;
	memcpy(params.vp_count, &v, sizeof(v));
	expect_error(&in, "VP count 257 is outside");
}

static void params_memory_map_unterminated(void **state)
{
	struct boot_input in = input();
	size_t n = sizeof(params.memory_map) / sizeof(struct igvm_memory_map_entry);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		mmap_set((unsigned int)i, (uint64_t)i << 20, 1 << 20, IGVM_MEMORY_MAP_PLATFORM_RESERVED);
	}
	expect_error(&in, "not terminated");
	/* Terminated, but more RAM ranges than the tree may carry. */
	for (size_t i = 0; i < 100; i++) {
		mmap_set((unsigned int)i, (uint64_t)i << 20, 1 << 20, IGVM_MEMORY_MAP_MEMORY);
	}
	memset(params.memory_map + 100 * sizeof(struct igvm_memory_map_entry), 0,
	       sizeof(struct igvm_memory_map_entry));
	expect_error(&in, "more than 32 VTL0 memory ranges");
}

static void params_memory_map_overlap(void **state)
{
	struct boot_input in = input();

	(void)state;
	mmap_set(2, 100 * MIB, 128 * MIB, IGVM_MEMORY_MAP_MEMORY);
	expect_error(&in, "entries 1 and 2 overlap");
}

static void params_memory_map_unknown_type(void **state)
{
	struct boot_input in = input();

	(void)state;
	mmap_set(2, 128 * MIB, 128 * MIB, 9);
	expect_error(&in, "unknown type 9");
}

static void params_memory_outside_address_space(void **state)
{
	struct boot_input in = input();

	(void)state;
	mmap_set(2, 1ull << 40, 64 * MIB, IGVM_MEMORY_MAP_MEMORY);
	expect_error(&in, "outside the physical address space");
	/* A page count that would wrap around. */
	struct igvm_memory_map_entry e = {0x40000, UINT64_MAX, IGVM_MEMORY_MAP_MEMORY, 0, 0};

	memcpy(params.memory_map + 2 * sizeof(e), &e, sizeof(e));
	expect_error(&in, "outside the physical address space");
}

static void params_vtl2_must_hold_the_image(void **state)
{
	struct boot_input in = input();

	(void)state;
	in.image_base = 200 * MIB;
	in.image_end = 202 * MIB;
	expect_error(&in, "no VTL2 memory range holds the image");
	in.image_base = 127 * MIB;
	in.image_end = 129 * MIB; /* straddles the end of VTL2 */
	expect_error(&in, "no VTL2 memory range holds the image");
}

static void params_host_cmdline_unterminated(void **state)
{
	struct boot_input in = input();

	(void)state;
	memset(params.command_line, 'a', sizeof(params.command_line));
	expect_error(&in, "host command line is not terminated");
}

static void params_cmdline_too_long(void **state)
{
	struct boot_input in = input();

	(void)state;
	memset(fixed, 'f', 500);
	memset(params.command_line, 'h', 600);
	params.command_line[600] = '\0';
	expect_error(&in, "longer than 1023 bytes");
}

static void params_host_fdt_checked(void **state)
{
	struct boot_input in = input();
	uint8_t *dt = params.device_tree;

	(void)state;
	memcpy(dt, "junk", 4);
	expect_error(&in, "bad magic");

	assert_int_equal(fdt_create_empty_tree(dt, 4096), 0);
	fdt_set_totalsize(dt, sizeof(params.device_tree) + 8);
	expect_error(&in, "overflows");

	assert_int_equal(fdt_create_empty_tree(dt, 4096), 0);
	fdt_set_off_dt_struct(dt, 4000); /* the structure block runs off the end */
	expect_error(&in, "host device tree is malformed");
}

static void params_host_devices_allow_listed(void **state)
{
	struct boot_input in = input();
	uint8_t *dt = params.device_tree;
	int node;

	(void)state;
	assert_int_equal(fdt_create_empty_tree(dt, 8192), 0);
	node = fdt_add_subnode(dt, 0, "pl011@9000000");
	fdt_setprop_string(dt, node, "compatible", "arm,pl011");
	fdt_setprop_u64(dt, node, "reg", 0x9000000);
	node = fdt_add_subnode(dt, 0, "virtio@a000000");
	fdt_setprop_string(dt, node, "compatible", "virtio,mmio");
	assert_int_equal(build(&in), 0);
	assert_true(fdt_path_offset(out, "/devices/pl011@9000000") >= 0);
	assert_true(fdt_path_offset(out, "/devices/virtio@a000000") < 0);
	/* With a host tree, the architecture's fixed devices are not added. */
	assert_true(fdt_path_offset(out, "/devices/fake-uart") < 0);
}

/* A host tree with /cpus: n CPU nodes whose reg (of cells cells) is
 * mpidr[i]. */
static void host_cpus(uint8_t *dt, uint32_t cells, const uint64_t *mpidr, int n)
{
	int cpus;

	assert_int_equal(fdt_create_empty_tree(dt, 8192), 0);
	cpus = fdt_add_subnode(dt, 0, "cpus");
	assert_true(cpus >= 0);
	fdt_setprop_u32(dt, cpus, "#address-cells", cells);
	fdt_setprop_u32(dt, cpus, "#size-cells", 0);
	for (int i = n; i-- > 0;) {
		char name[32];
		int node;

		snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)mpidr[i]);
		node = fdt_add_subnode(dt, cpus, name);
		assert_true(node >= 0);
		fdt_setprop_string(dt, node, "device_type", "cpu");
		if (cells == 2) {
			fdt_setprop_u64(dt, node, "reg", mpidr[i]);
		} else {
			fdt_setprop_u32(dt, node, "reg", (uint32_t)mpidr[i]);
		}
	}
}

static void params_host_cpu_ids_become_hwid(void **state)
{
	static const uint64_t mpidr[4] = {0x0, 0x1, 0x100, 0x10101};
	struct boot_input in = input();
	uint8_t *dt = params.device_tree;
	const uint8_t *hwid;
	int node, len, i = 0;

	(void)state;
	for (uint32_t cells = 1; cells <= 2; cells++) {
		host_cpus(dt, cells, mpidr, 4);
		assert_int_equal(build(&in), 0);
		i = 0;
		fdt_for_each_subnode(node, out, fdt_path_offset(out, "/cpus")) {
			hwid = fdt_getprop(out, node, "hillock,hwid", &len);
			assert_int_equal(len, 8);
			assert_int_equal(be64_at(hwid), mpidr[i]);
			i++;
		}
		assert_int_equal(i, 4);
	}

	host_cpus(dt, 1, mpidr, 3);
	expect_error(&in, "lists 3 CPUs for 4 VPs");
	host_cpus(dt, 3, mpidr, 4);
	expect_error(&in, "#address-cells 3");
	host_cpus(dt, 1, mpidr, 4);
	node = fdt_path_offset(dt, "/cpus/cpu@100");
	fdt_setprop_u64(dt, node, "reg", 0x100);
	expect_error(&in, "cpu@100 has no valid reg");

	/* No /cpus in the host tree: no hardware IDs, only reg. */
	assert_int_equal(fdt_create_empty_tree(dt, 8192), 0);
	assert_int_equal(build(&in), 0);
	node = fdt_first_subnode(out, fdt_path_offset(out, "/cpus"));
	assert_null(fdt_getprop(out, node, "hillock,hwid", NULL));
}

static void params_isolation_drops_host_and_debug(void **state)
{
	struct boot_input in = input();
	const char *s;

	(void)state;
	strcpy(fixed, "hillock.test=selftest hillock.fault=ud hillock.test.corrupt=a.b");
	strcpy((char *)params.command_line, "hillock.test=all");
	in.isolation = HILLOCK_ISOLATION_SNP;
	assert_int_equal(build(&in), 0);
	assert_string_equal(chosen_string("bootargs"), "hillock.test=selftest");
	assert_string_equal(chosen_string("hillock,isolation"), "snp");
	int node = fdt_path_offset(out, "/chosen");

	s = fdt_stringlist_get(out, node, "hillock,dropped", 0, NULL);
	assert_non_null(s);
	assert_string_equal(s, "host-cmdline");
	s = fdt_stringlist_get(out, node, "hillock,dropped", 1, NULL);
	assert_non_null(s);
	assert_string_equal(s, "debug-options");

	/* Not isolated: debug options stay. */
	in.isolation = HILLOCK_ISOLATION_NONE;
	assert_int_equal(build(&in), 0);
	assert_string_equal(chosen_string("bootargs"),
			    "hillock.test=selftest hillock.fault=ud hillock.test.corrupt=a.b hillock.test=all");
	in.isolation = 7;
	expect_error(&in, "unknown isolation type 7");
}

static void params_vtl0_payload_described(void **state)
{
	struct boot_input in = input();
	int len;

	(void)state;
	vtl0.kernel_gpa = 16 * MIB;
	vtl0.kernel_size = 12345;
	vtl0.initrd_gpa = 20 * MIB;
	vtl0.initrd_size = 999;
	strcpy(vtl0.cmdline, "console=ttyS0");
	assert_int_equal(build(&in), 0);
	int node = fdt_path_offset(out, "/vtl0-payload");

	assert_true(node >= 0);
	const uint8_t *k = fdt_getprop(out, node, "kernel", &len);

	assert_int_equal(len, 16);
	assert_int_equal(be64_at(k + 8), 12345);
	assert_string_equal(fdt_getprop(out, node, "cmdline", NULL), "console=ttyS0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(params_good_input_builds_the_tree, setup),
		cmocka_unit_test_setup(params_vp_count_out_of_range, setup),
		cmocka_unit_test_setup(params_memory_map_unterminated, setup),
		cmocka_unit_test_setup(params_memory_map_overlap, setup),
		cmocka_unit_test_setup(params_memory_map_unknown_type, setup),
		cmocka_unit_test_setup(params_memory_outside_address_space, setup),
		cmocka_unit_test_setup(params_vtl2_must_hold_the_image, setup),
		cmocka_unit_test_setup(params_host_cmdline_unterminated, setup),
		cmocka_unit_test_setup(params_cmdline_too_long, setup),
		cmocka_unit_test_setup(params_host_fdt_checked, setup),
		cmocka_unit_test_setup(params_host_cpu_ids_become_hwid, setup),
		cmocka_unit_test_setup(params_host_devices_allow_listed, setup),
		cmocka_unit_test_setup(params_isolation_drops_host_and_debug, setup),
		cmocka_unit_test_setup(params_vtl0_payload_described, setup),
	};

	return cmocka_run_group_tests_name("boot_params", tests, NULL, NULL);
}
