/* What the boot shim adds for x86_64 when the host gives no device tree:
 * the COM1 UART the console uses. */
#include <libfdt.h>

#include <boot/params.h>

int arch_shim_devices(void *fdt, int parent)
{
	int node = fdt_add_subnode(fdt, parent, "serial@3f8");

	if (node < 0) {
		return node;
	}
	int rc = fdt_setprop_string(fdt, node, "compatible", "ns16550a");

	return rc ? rc : fdt_setprop_u32(fdt, node, "hillock,io-port", 0x3f8);
}
