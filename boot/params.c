/* IGVM parameters -> the kernel's device tree; see boot/params.h.
 *
 * The tree the kernel reads (docs/igvm.md has it in full):
 *   /                     #address-cells = #size-cells = 2
 *   /chosen               bootargs, hillock,isolation, hillock,dropped,
 *                         hillock,shim-entry-ns
 *   /memory@<base>        device_type "memory": VTL2 RAM, the only RAM the
 *                         kernel may allocate from
 *   /vtl0-memory          reg: VTL0 RAM, never handed out
 *   /reserved-memory/image@<base>   the image itself
 *   /cpus/cpu@<n>         one per VP: reg n; hillock,hwid (u64) the CPU's
 *                         hardware ID when the host's tree gives it
 *   /devices/...          devices copied from the host's tree (allow-list),
 *                         or the architecture's fixed ones
 *   /vtl0-payload         a linux-direct VTL0 kernel the image carries */
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <boot/params.h>
#include <igvm/igvm_defs.h>

#define PAGE_SHIFT 12
#define MEMORY_MAP_MAX (sizeof(((struct hillock_params *)0)->memory_map) / sizeof(struct igvm_memory_map_entry))

struct range {
	uint64_t base;
	uint64_t size;
};

struct boot_parsed {
	uint32_t vp_count;
	struct range vtl2[BOOT_FDT_RANGES_MAX];
	unsigned int vtl2_count;
	struct range vtl0[BOOT_FDT_RANGES_MAX];
	unsigned int vtl0_count;
	const void *host_fdt;
	/* Each VP's hardware ID from the host tree's /cpus (aarch64: MPIDR). */
	uint64_t hwid[HILLOCK_MAX_CPUS];
	int have_hwid;
	char cmdline[BOOT_FDT_CMDLINE_MAX];
	int dropped_host_cmdline;
	int dropped_debug;
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_memory_map(const struct boot_input *in, struct boot_parsed *p, char *err,
			    size_t errlen)
{
	const uint8_t *area = in->params->memory_map;
	uint64_t prev_end = 0;
	unsigned int i;

	for (i = 0; i < MEMORY_MAP_MAX; i++) {
		struct igvm_memory_map_entry e;

		memcpy(&e, area + i * sizeof(e), sizeof(e));
		if (e.number_of_pages == 0) {
			break;
		}
		uint64_t limit_pages = in->phys_limit >> PAGE_SHIFT;

		if (e.starting_gpa_page_number >= limit_pages ||
		    e.number_of_pages > limit_pages - e.starting_gpa_page_number) {
			return fail(err, errlen,
				    "memory map entry %u (page %#llx, %llu pages) is outside the physical address space",
				    i, (unsigned long long)e.starting_gpa_page_number,
				    (unsigned long long)e.number_of_pages);
		}
		uint64_t base = e.starting_gpa_page_number << PAGE_SHIFT;
		uint64_t size = e.number_of_pages << PAGE_SHIFT;

		if (i > 0 && base < prev_end) {
			return fail(err, errlen, "memory map entries %u and %u overlap or are out of order",
				    i - 1, i);
		}
		prev_end = base + size;
		switch (e.entry_type) {
		case IGVM_MEMORY_MAP_MEMORY:
			if (p->vtl0_count == BOOT_FDT_RANGES_MAX) {
				return fail(err, errlen, "more than %d VTL0 memory ranges", BOOT_FDT_RANGES_MAX);
			}
			p->vtl0[p->vtl0_count++] = (struct range){base, size};
			break;
		case IGVM_MEMORY_MAP_VTL2_PROTECTABLE:
			if (p->vtl2_count == BOOT_FDT_RANGES_MAX) {
				return fail(err, errlen, "more than %d VTL2 memory ranges", BOOT_FDT_RANGES_MAX);
			}
			p->vtl2[p->vtl2_count++] = (struct range){base, size};
			break;
		case IGVM_MEMORY_MAP_PLATFORM_RESERVED:
		case IGVM_MEMORY_MAP_PERSISTENT:
			break;
		default:
			return fail(err, errlen, "memory map entry %u has unknown type %u", i,
				    e.entry_type);
		}
	}
	if (i == MEMORY_MAP_MAX) {
		return fail(err, errlen, "memory map is not terminated within %zu entries",
			    (size_t)MEMORY_MAP_MAX);
	}
	for (i = 0; i < p->vtl2_count; i++) {
		if (p->vtl2[i].base <= in->image_base &&
		    in->image_end - p->vtl2[i].base <= p->vtl2[i].size) {
			return 0;
		}
	}
	return fail(err, errlen, "no VTL2 memory range holds the image [%#llx, %#llx)",
		    (unsigned long long)in->image_base, (unsigned long long)in->image_end);
}

/* Debug options: dropped on isolated platforms even from the measured part,
 * because they let whoever controls them change what Hillock does. */
static int is_debug_option(const char *word, size_t len)
{
	static const char *const debug[] = {"hillock.fault", "hillock.test.corrupt"};

	for (size_t i = 0; i < sizeof(debug) / sizeof(debug[0]); i++) {
		size_t n = strlen(debug[i]);

		if (len >= n && strncmp(word, debug[i], n) == 0 && (len == n || word[n] == '=')) {
			return 1;
		}
	}
	return 0;
}

/* Append the words of src to dst (of cap bytes), skipping debug options
 * when isolated.  Returns -1 when dst would overflow. */
static int cmdline_append(struct boot_parsed *p, int isolated, const char *src, size_t cap)
{
	size_t used = strlen(p->cmdline);

	while (*src) {
		while (*src == ' ' || *src == '\t') {
			src++;
		}
		size_t len = strcspn(src, " \t");

		if (len == 0) {
			break;
		}
		if (isolated && is_debug_option(src, len)) {
			p->dropped_debug = 1;
		} else {
			if (used + (used > 0) + len >= cap) {
				return -1;
			}
			if (used > 0) {
				p->cmdline[used++] = ' ';
			}
			memcpy(p->cmdline + used, src, len);
			used += len;
			p->cmdline[used] = '\0';
		}
		src += len;
	}
	return 0;
}

static int parse_cmdline(const struct boot_input *in, struct boot_parsed *p, char *err, size_t errlen)
{
	const char *host = (const char *)in->params->command_line;
	size_t host_cap = sizeof(in->params->command_line);
	int isolated = in->isolation != HILLOCK_ISOLATION_NONE;

	if (strnlen(in->fixed_cmdline, HILLOCK_FIXED_CMDLINE_MAX) == HILLOCK_FIXED_CMDLINE_MAX) {
		return fail(err, errlen, "fixed command line is not terminated");
	}
	if (strnlen(host, host_cap) == host_cap) {
		return fail(err, errlen, "host command line is not terminated within %zu bytes",
			    host_cap);
	}
	if (cmdline_append(p, isolated, in->fixed_cmdline, sizeof(p->cmdline)) != 0) {
		return fail(err, errlen, "fixed command line is longer than %zu bytes",
			    sizeof(p->cmdline) - 1);
	}
	if (isolated) {
		/* The host is not trusted: nothing it appended is used. */
		p->dropped_host_cmdline = host[0] != '\0';
		return 0;
	}
	if (cmdline_append(p, 0, host, sizeof(p->cmdline)) != 0) {
		return fail(err, errlen, "command line (fixed and host parts) is longer than %zu bytes",
			    sizeof(p->cmdline) - 1);
	}
	return 0;
}

static int parse_host_fdt(const struct boot_input *in, struct boot_parsed *p, char *err, size_t errlen)
{
	const void *dt = in->params->device_tree;
	size_t cap = sizeof(in->params->device_tree);
	static const uint8_t zero[4];
	int rc;

	if (memcmp(dt, zero, sizeof(zero)) == 0) {
		return 0; /* none given */
	}
	if (fdt_magic(dt) != FDT_MAGIC) {
		return fail(err, errlen, "host device tree has a bad magic number");
	}
	if (fdt_totalsize(dt) > cap) {
		return fail(err, errlen, "host device tree of %u bytes overflows its %zu-byte area",
			    fdt_totalsize(dt), cap);
	}
	rc = fdt_check_full(dt, cap);
	if (rc != 0) {
		return fail(err, errlen, "host device tree is malformed: %s", fdt_strerror(rc));
	}
	p->host_fdt = dt;
	return 0;
}

/* The host tree's /cpus, when it has one: one node per VP, in VP order,
 * each with a reg of #address-cells cells (1 or 2) holding the CPU's
 * hardware ID (the MPIDR affinity on arm64). */
static int parse_host_cpus(struct boot_parsed *p, char *err, size_t errlen)
{
	const void *dt = p->host_fdt;
	int cpus = dt ? fdt_path_offset(dt, "/cpus") : -1;
	unsigned int n = 0;
	int node, len;

	if (cpus < 0) {
		return 0;
	}
	const fdt32_t *cells = fdt_getprop(dt, cpus, "#address-cells", &len);
	uint32_t address_cells = cells && len == 4 ? fdt32_ld(cells) : 0;

	if (address_cells != 1 && address_cells != 2) {
		return fail(err, errlen, "host device tree: /cpus has #address-cells %u, not 1 or 2",
			    address_cells);
	}
	fdt_for_each_subnode(node, dt, cpus) {
		const char *type = fdt_getprop(dt, node, "device_type", NULL);

		if (!type || strcmp(type, "cpu") != 0 || n == p->vp_count) {
			continue;
		}
		const fdt32_t *reg = fdt_getprop(dt, node, "reg", &len);

		if (!reg || len != (int)(4 * address_cells)) {
			return fail(err, errlen, "host device tree: %s has no valid reg",
				    fdt_get_name(dt, node, NULL));
		}
		p->hwid[n++] = address_cells == 2 ? (uint64_t)fdt32_ld(reg) << 32 | fdt32_ld(reg + 1)
						  : fdt32_ld(reg);
	}
	if (n < p->vp_count) {
		return fail(err, errlen, "host device tree lists %u CPUs for %u VPs", n, p->vp_count);
	}
	p->have_hwid = 1;
	return 0;
}

/* --- Writing the tree ------------------------------------------------------ */

static int prop_ranges(void *fdt, int node, const char *name, const struct range *r, unsigned int n)
{
	int rc = fdt_setprop(fdt, node, name, NULL, 0);

	for (unsigned int i = 0; rc == 0 && i < n; i++) {
		rc = fdt_appendprop_u64(fdt, node, name, r[i].base);
		if (rc == 0) {
			rc = fdt_appendprop_u64(fdt, node, name, r[i].size);
		}
	}
	return rc;
}

/* Host device-tree nodes the kernel may use, by compatible string. */
static const char *const host_device_allowlist[] = {
	"arm,pl011", "arm,gic-v3", "arm,armv8-timer", "arm,psci-1.0", "arm,psci-0.2",
};

static int host_node_allowed(const void *dt, int node)
{
	for (size_t i = 0; i < sizeof(host_device_allowlist) / sizeof(host_device_allowlist[0]); i++) {
		if (fdt_node_check_compatible(dt, node, host_device_allowlist[i]) == 0) {
			return 1;
		}
	}
	return 0;
}

/* Copy allow-listed top-level nodes of the host tree (all their
 * properties; subnodes are not copied) under parent. */
static int copy_host_devices(void *fdt, int parent, const void *dt)
{
	int node;

	fdt_for_each_subnode(node, dt, 0) {
		if (!host_node_allowed(dt, node)) {
			continue;
		}
		int out = fdt_add_subnode(fdt, parent, fdt_get_name(dt, node, NULL));
		int prop;

		if (out < 0) {
			return out;
		}
		fdt_for_each_property_offset(prop, dt, node) {
			const char *name;
			int len;
			const void *val = fdt_getprop_by_offset(dt, prop, &name, &len);
			int rc = val ? fdt_setprop(fdt, out, name, val, len) : len;

			if (rc < 0) {
				return rc;
			}
		}
	}
	return 0;
}

static const char *isolation_name(uint32_t isolation)
{
	switch (isolation) {
	case HILLOCK_ISOLATION_NONE: return "none";
	case HILLOCK_ISOLATION_SNP: return "snp";
	case HILLOCK_ISOLATION_TDX: return "tdx";
	default: return NULL;
	}
}

static int write_fdt(const struct boot_input *in, const struct boot_parsed *p, void *fdt, size_t cap)
{
	char name[48];
	int rc, node, root = 0;

#define TRY(expr)                 \
	do {                      \
		rc = (expr);      \
		if (rc < 0) {     \
			return rc; \
		}                 \
	} while (0)

	TRY(fdt_create_empty_tree(fdt, (int)cap));
	TRY(fdt_setprop_string(fdt, root, "compatible", "hillock,vtl2"));
	TRY(fdt_setprop_u32(fdt, root, "#address-cells", 2));
	TRY(fdt_setprop_u32(fdt, root, "#size-cells", 2));

	TRY(node = fdt_add_subnode(fdt, root, "chosen"));
	TRY(fdt_setprop_string(fdt, node, "bootargs", p->cmdline));
	TRY(fdt_setprop_string(fdt, node, "hillock,isolation", isolation_name(in->isolation)));
	TRY(fdt_setprop(fdt, node, "hillock,dropped", NULL, 0));
	if (p->dropped_host_cmdline) {
		TRY(fdt_appendprop_string(fdt, node, "hillock,dropped", "host-cmdline"));
	}
	if (p->dropped_debug) {
		TRY(fdt_appendprop_string(fdt, node, "hillock,dropped", "debug-options"));
	}
	TRY(fdt_setprop_u64(fdt, node, "hillock,shim-entry-ns", in->entry_ns));

	for (unsigned int i = 0; i < p->vtl2_count; i++) {
		snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)p->vtl2[i].base);
		TRY(node = fdt_add_subnode(fdt, root, name));
		TRY(fdt_setprop_string(fdt, node, "device_type", "memory"));
		TRY(prop_ranges(fdt, node, "reg", &p->vtl2[i], 1));
	}
	TRY(node = fdt_add_subnode(fdt, root, "vtl0-memory"));
	TRY(prop_ranges(fdt, node, "reg", p->vtl0, p->vtl0_count));

	TRY(node = fdt_add_subnode(fdt, root, "reserved-memory"));
	TRY(fdt_setprop_u32(fdt, node, "#address-cells", 2));
	TRY(fdt_setprop_u32(fdt, node, "#size-cells", 2));
	TRY(fdt_setprop(fdt, node, "ranges", NULL, 0));
	snprintf(name, sizeof(name), "image@%llx", (unsigned long long)in->image_base);
	TRY(node = fdt_add_subnode(fdt, node, name));
	const struct range image = {in->image_base, in->image_end - in->image_base};

	TRY(prop_ranges(fdt, node, "reg", &image, 1));

	TRY(node = fdt_add_subnode(fdt, root, "cpus"));
	TRY(fdt_setprop_u32(fdt, node, "#address-cells", 1));
	TRY(fdt_setprop_u32(fdt, node, "#size-cells", 0));
	/* Added in reverse so that they read in order (libfdt prepends). */
	for (uint32_t i = p->vp_count; i-- > 0;) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		int cpu;

		TRY(cpu = fdt_add_subnode(fdt, node, name));
		TRY(fdt_setprop_string(fdt, cpu, "device_type", "cpu"));
		TRY(fdt_setprop_u32(fdt, cpu, "reg", i));
		if (p->have_hwid) {
			TRY(fdt_setprop_u64(fdt, cpu, "hillock,hwid", p->hwid[i]));
		}
	}

	TRY(node = fdt_add_subnode(fdt, root, "devices"));
	if (p->host_fdt) {
		TRY(copy_host_devices(fdt, node, p->host_fdt));
	} else {
		TRY(arch_shim_devices(fdt, node));
	}

	if (in->vtl0 && in->vtl0->kernel_size) {
		TRY(node = fdt_add_subnode(fdt, root, "vtl0-payload"));
		const struct range k = {in->vtl0->kernel_gpa, in->vtl0->kernel_size};
		const struct range r = {in->vtl0->initrd_gpa, in->vtl0->initrd_size};

		TRY(prop_ranges(fdt, node, "kernel", &k, 1));
		TRY(prop_ranges(fdt, node, "initrd", &r, 1));
		if (strnlen(in->vtl0->cmdline, sizeof(in->vtl0->cmdline)) < sizeof(in->vtl0->cmdline)) {
			TRY(fdt_setprop_string(fdt, node, "cmdline", in->vtl0->cmdline));
		}
	}
#undef TRY
	return fdt_pack(fdt);
}

int boot_fdt_build(const struct boot_input *in, void *fdt, size_t cap, char *err, size_t errlen)
{
	struct boot_parsed parsed;
	struct boot_parsed *p = &parsed;
	int rc;

	memset(p, 0, sizeof(*p));
	memcpy(&p->vp_count, in->params->vp_count, sizeof(p->vp_count));
	if (p->vp_count == 0 || p->vp_count > HILLOCK_MAX_CPUS) {
		return fail(err, errlen, "VP count %u is outside 1..%d", p->vp_count, HILLOCK_MAX_CPUS);
	}
	if (!isolation_name(in->isolation)) {
		return fail(err, errlen, "unknown isolation type %u", in->isolation);
	}
	if (parse_memory_map(in, p, err, errlen) != 0 || parse_cmdline(in, p, err, errlen) != 0 ||
	    parse_host_fdt(in, p, err, errlen) != 0 || parse_host_cpus(p, err, errlen) != 0) {
		return -1;
	}
	rc = write_fdt(in, p, fdt, cap);
	if (rc != 0) {
		return fail(err, errlen, "building the device tree: %s", fdt_strerror(rc));
	}
	return 0;
}
