/* What the boot shim adds for aarch64 when the host gives no device tree:
 * nothing.  Every aarch64 host describes its devices (QEMU virt's tree
 * reaches the shim through the IGVM device-tree parameter). */
#include <boot/params.h>

int arch_shim_devices(void *fdt, int parent)
{
	(void)fdt;
	(void)parent;
	return 0;
}
