/* libfdt as linked into the image: build a device tree with the
 * sequential-write API, then open it read-write, add to it and walk it. */
#include <libfdt.h>
#include <stdint.h>
#include <string.h>

#include <hillock/selftest.h>

TEST(selftest, fdt_build_and_walk)
{
	static uint8_t blob[4096];
	const fdt32_t *reg;
	const char *s;
	int rc = 0, len, node, count = 0;

	rc |= EXPECT(fdt_create(blob, sizeof(blob)) == 0);
	rc |= EXPECT(fdt_finish_reservemap(blob) == 0);
	rc |= EXPECT(fdt_begin_node(blob, "") == 0);
	rc |= EXPECT(fdt_property_string(blob, "compatible", "hillock,test") == 0);
	rc |= EXPECT(fdt_property_u32(blob, "#address-cells", 2) == 0);
	rc |= EXPECT(fdt_begin_node(blob, "memory@40000000") == 0);
	rc |= EXPECT(fdt_property_string(blob, "device_type", "memory") == 0);
	rc |= EXPECT(fdt_property_u64(blob, "reg", 0x40000000ull) == 0);
	rc |= EXPECT(fdt_end_node(blob) == 0);
	rc |= EXPECT(fdt_begin_node(blob, "cpus") == 0);
	for (int i = 0; i < 4; i++) {
		char name[16] = "cpu@0";

		name[4] = (char)('0' + i);
		rc |= EXPECT(fdt_begin_node(blob, name) == 0);
		rc |= EXPECT(fdt_property_u32(blob, "reg", (uint32_t)i) == 0);
		rc |= EXPECT(fdt_end_node(blob) == 0);
	}
	rc |= EXPECT(fdt_end_node(blob) == 0);
	rc |= EXPECT(fdt_end_node(blob) == 0);
	rc |= EXPECT(fdt_finish(blob) == 0);
	rc |= EXPECT(fdt_check_header(blob) == 0);

	/* Edit in place: the tree grows into the rest of the buffer. */
	rc |= EXPECT(fdt_open_into(blob, blob, sizeof(blob)) == 0);
	node = fdt_add_subnode(blob, 0, "chosen");
	rc |= EXPECT(node >= 0);
	rc |= EXPECT(fdt_setprop_string(blob, node, "bootargs", "hillock.test=all") == 0);
	rc |= EXPECT(fdt_pack(blob) == 0);

	/* Walk it back. */
	node = fdt_path_offset(blob, "/memory@40000000");
	rc |= EXPECT(node >= 0);
	reg = fdt_getprop(blob, node, "reg", &len);
	rc |= EXPECT(reg && len == 8 && fdt32_to_cpu(reg[1]) == 0x40000000u);
	s = fdt_getprop(blob, fdt_path_offset(blob, "/chosen"), "bootargs", &len);
	rc |= EXPECT(s && strcmp(s, "hillock.test=all") == 0);
	fdt_for_each_subnode(node, blob, fdt_path_offset(blob, "/cpus")) {
		reg = fdt_getprop(blob, node, "reg", &len);
		rc |= EXPECT(reg && len == 4 && fdt32_to_cpu(*reg) == (uint32_t)count);
		count++;
	}
	rc |= EXPECT(count == 4);
	/* A damaged header is refused. */
	blob[0] ^= 0xff;
	rc |= EXPECT(fdt_check_header(blob) != 0);
	return rc;
}
