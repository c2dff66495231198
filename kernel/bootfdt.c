/* The kernel's view of the machine, read from the device tree the shim
 * built (boot/params.c documents its shape).  The shim validated what the
 * host gave; this checks the tree's own structure again, since it is the
 * one contract between the two. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/boot.h>

#define KERNEL_FDT_MAX (1u << 20)

static int bootfdt_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A device range from the host (through the shim's /devices) must be
 * real MMIO: non-empty, not wrapping, within the physical address space,
 * and clear of every RAM range, VTL2's and VTL0's. */
static bool bootfdt_mmio_ok(const struct boot_info *bi, struct boot_range r)
{
	if (r.size == 0 || r.base + r.size < r.base || r.base + r.size > arch_phys_limit()) {
		return false;
	}
	for (unsigned int i = 0; i < bi->ram_count; i++) {
		if (r.base < bi->ram[i].base + bi->ram[i].size && bi->ram[i].base < r.base + r.size) {
			return false;
		}
	}
	for (unsigned int i = 0; i < bi->vtl0_ram_count; i++) {
		if (r.base < bi->vtl0_ram[i].base + bi->vtl0_ram[i].size &&
		    bi->vtl0_ram[i].base < r.base + r.size) {
			return false;
		}
	}
	return true;
}

/* Device-tree cells are only 4-byte aligned. */
static uint64_t bootfdt_u64(const void *p)
{
	fdt64_t v;

	memcpy(&v, p, sizeof(v));
	return fdt64_to_cpu(v);
}

int boot_info_from_fdt(const void *fdt, struct boot_info *bi, char *err, size_t errlen)
{
	const char *s;
	const uint8_t *reg;
	int node, len, rc;

	if (fdt_magic(fdt) != FDT_MAGIC || fdt_totalsize(fdt) > KERNEL_FDT_MAX) {
		return bootfdt_fail(err, errlen, "no device tree from the shim");
	}
	rc = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (rc != 0) {
		return bootfdt_fail(err, errlen, "device tree: %s", fdt_strerror(rc));
	}
	memset(bi, 0, sizeof(*bi));
	bi->fdt = fdt;
	bi->map_limit = arch_boot_map_limit();
	bi->mem_source = bi->cpu_source = "device tree";

	fdt_for_each_subnode(node, fdt, 0) {
		s = fdt_getprop(fdt, node, "device_type", NULL);
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (s && strcmp(s, "memory") == 0 && reg && len == 16) {
			boot_add_ram(bi, bootfdt_u64(reg), bootfdt_u64(reg + 8));
		}
	}
	if (bi->ram_count == 0) {
		return bootfdt_fail(err, errlen, "no VTL2 memory in the device tree");
	}
	node = fdt_path_offset(fdt, "/vtl0-memory");
	reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : NULL;
	for (int off = 0; reg && off + 16 <= len; off += 16) {
		uint64_t base = bootfdt_u64(reg + off), size = bootfdt_u64(reg + off + 8);

		bi->vtl0_bytes += size;
		if (bi->vtl0_ram_count < BOOT_RAM_RANGES_MAX) {
			bi->vtl0_ram[bi->vtl0_ram_count++] = (struct boot_range){base, size};
		}
	}

	node = fdt_path_offset(fdt, "/reserved-memory");
	node = node >= 0 ? fdt_first_subnode(fdt, node) : node;
	reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : NULL;
	if (!reg || len != 16) {
		return bootfdt_fail(err, errlen, "the device tree does not place the image");
	}
	bi->image_base = bootfdt_u64(reg);
	bi->image_end = bi->image_base + bootfdt_u64(reg + 8);

	node = fdt_path_offset(fdt, "/cpus");
	if (node >= 0) {
		int cpu;

		fdt_for_each_subnode(cpu, fdt, node) {
			s = fdt_getprop(fdt, cpu, "device_type", NULL);
			if (!s || strcmp(s, "cpu") != 0) {
				continue;
			}
			if (bi->cpu_count == BOOT_CPUS_MAX) {
				return bootfdt_fail(err, errlen, "more than %d CPUs in the device tree",
						    BOOT_CPUS_MAX);
			}
			reg = fdt_getprop(fdt, cpu, "hillock,hwid", &len);
			if (reg && len == 8) {
				bi->cpu_hwid[bi->cpu_count] = bootfdt_u64(reg);
			} else if ((reg = fdt_getprop(fdt, cpu, "reg", &len)) != NULL && len == 4) {
				bi->cpu_hwid[bi->cpu_count] = fdt32_ld((const fdt32_t *)reg);
			} else {
				return bootfdt_fail(err, errlen, "cpu %u in the device tree has no reg",
						    bi->cpu_count);
			}
			bi->cpu_count++;
		}
	}
	if (bi->cpu_count == 0) {
		return bootfdt_fail(err, errlen, "no CPU in the device tree");
	}

	node = fdt_path_offset(fdt, "/chosen");
	if (node < 0) {
		return bootfdt_fail(err, errlen, "no /chosen in the device tree");
	}
	s = fdt_getprop(fdt, node, "bootargs", &len);
	if (s && (size_t)len <= sizeof(bi->cmdline)) {
		memcpy(bi->cmdline, s, (size_t)len);
		bi->cmdline[sizeof(bi->cmdline) - 1] = '\0';
	}
	bi->isolation = fdt_getprop(fdt, node, "hillock,isolation", NULL);
	if (!bi->isolation) {
		bi->isolation = "none";
	}
	for (int i = 0; (s = fdt_stringlist_get(fdt, node, "hillock,dropped", i, NULL)) != NULL; i++) {
		size_t used = strlen(bi->dropped);

		snprintf(bi->dropped + used, sizeof(bi->dropped) - used, "%s%s", used ? " " : "", s);
	}
	reg = fdt_getprop(fdt, node, "hillock,shim-entry-ns", &len);
	if (reg && len == 8) {
		bi->shim_entry_ns = bootfdt_u64(reg);
	}

	/* GICv3 "reg": the distributor, then the redistributor regions
	 * (copied from the host's root, whose cells are 2 + 2). */
	node = fdt_path_offset(fdt, "/devices");
	if (node >= 0) {
		int dev;

		fdt_for_each_subnode(dev, fdt, node) {
			reg = fdt_getprop(fdt, dev, "reg", &len);
			if (fdt_node_check_compatible(fdt, dev, "arm,gic-v3") == 0 && reg && len >= 32) {
				bi->gic_dist = (struct boot_range){bootfdt_u64(reg), bootfdt_u64(reg + 8)};
				bi->gic_redist =
					(struct boot_range){bootfdt_u64(reg + 16), bootfdt_u64(reg + 24)};
				if (!bootfdt_mmio_ok(bi, bi->gic_dist) || !bootfdt_mmio_ok(bi, bi->gic_redist)) {
					return bootfdt_fail(err, errlen,
							    "GICv3 ranges %#llx+%#llx, %#llx+%#llx are not MMIO",
							    (unsigned long long)bi->gic_dist.base,
							    (unsigned long long)bi->gic_dist.size,
							    (unsigned long long)bi->gic_redist.base,
							    (unsigned long long)bi->gic_redist.size);
				}
			}
		}
	}

	node = fdt_path_offset(fdt, "/vtl0-payload");
	if (node >= 0) {
		reg = fdt_getprop(fdt, node, "kernel", &len);
		if (reg && len == 16) {
			bi->vtl0_kernel = (struct boot_range){bootfdt_u64(reg), bootfdt_u64(reg + 8)};
		}
		reg = fdt_getprop(fdt, node, "initrd", &len);
		if (reg && len == 16) {
			bi->vtl0_initrd = (struct boot_range){bootfdt_u64(reg), bootfdt_u64(reg + 8)};
		}
	}
	return 0;
}
