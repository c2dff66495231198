/* What the boot shim adds for x86_64 when the host gives no device tree:
 * the COM1 UART the console uses, and the local APIC's MMIO page at the
 * address IA32_APIC_BASE holds (so that the kernel maps it as a device
 * like any other "reg" under /devices). */
#include <stdio.h>

#include <libfdt.h>

#include <arch/apic.h>
#include <arch/io.h>
#include <boot/params.h>

#define APIC_MMIO_SIZE 0x1000

int arch_shim_devices(void *fdt, int parent)
{
	uint64_t apic_base = rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK;
	char name[40];
	int rc;

	snprintf(name, sizeof(name), "interrupt-controller@%llx", (unsigned long long)apic_base);
	int node = fdt_add_subnode(fdt, parent, name);

	if (node < 0) {
		return node;
	}
	rc = fdt_setprop_string(fdt, node, "compatible", "intel,ce4100-lapic");
	rc = rc ? rc : fdt_appendprop_u64(fdt, node, "reg", apic_base);
	rc = rc ? rc : fdt_appendprop_u64(fdt, node, "reg", APIC_MMIO_SIZE);
	if (rc) {
		return rc;
	}
	node = fdt_add_subnode(fdt, parent, "serial@3f8");
	if (node < 0) {
		return node;
	}
	rc = fdt_setprop_string(fdt, node, "compatible", "ns16550a");
	return rc ? rc : fdt_setprop_u32(fdt, node, "hillock,io-port", 0x3f8);
}
