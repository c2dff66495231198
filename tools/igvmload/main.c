/* igvmload: load an IGVM file's NATIVE variant as a host would, then enter
 * VP0.  See igvmload.h and docs/igvm.md.
 *
 * Command line (QEMU's -append):  [igvmload options] [-- <Hillock's host command line>]
 *   igvmload.base=fixed|random|<address>  where the relocatable VTL2 region
 *                                         goes (default: where the file says)
 *   igvmload.isolation=none|snp|tdx       the platform hint for the shim
 *
 * The IGVM file is the initrd; it is validated whole by the reader library
 * before anything is loaded, and everything the loader does is checked
 * against the machine: pages land in RAM, never on the loader, the file or
 * the firmware's tables, and parameters fit their areas. */
#include <libfdt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/boot.h>
#include <igvm/hillock_igvm.h>
#include <igvm/igvm_reader.h>
#include <tools/igvmload/igvmload.h>

#define BUSY_MAX 16
#define AREA_ARENA_SIZE (1u << 20)
#define PAGE IGVM_PAGE_SIZE

struct loader {
	struct boot_info bi;
	struct igvm_file file;
	uint32_t mask;
	const char *host_cmdline;
	const char *base_option;
	uint32_t isolation;
	struct boot_range busy[BUSY_MAX];
	unsigned int busy_count;
	/* The relocatable region, if the file has one. */
	int has_region;
	struct igvm_vhs_relocatable_region region;
	uint64_t delta;
	struct igvm_vhs_page_table_relocation page_tables; /* size 0: none */
	/* Parameter areas, staged until inserted. */
	uint8_t *area[IGVM_MAX_PARAMETER_AREAS];
	uint64_t area_size[IGVM_MAX_PARAMETER_AREAS];
	const uint8_t *vp_context;
	size_t vp_context_len;
	uint64_t pages_loaded;
};

static struct loader loader;
static uint8_t area_arena[AREA_ARENA_SIZE] __attribute__((aligned(4096)));
static size_t area_arena_used;

static _Noreturn void loader_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void loader_fail(const char *fmt, ...)
{
	va_list ap;

	printf("igvmload: error: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	arch_exit(EXIT_STATUS_FAIL);
}

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int in_ram(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < bi->ram_count; i++) {
		if (base >= bi->ram[i].base && base - bi->ram[i].base <= bi->ram[i].size &&
		    size <= bi->ram[i].size - (base - bi->ram[i].base)) {
			return 1;
		}
	}
	return 0;
}

static int is_busy(const struct loader *l, uint64_t base, uint64_t size)
{
	for (unsigned int i = 0; i < l->busy_count; i++) {
		if (overlaps(base, size, l->busy[i].base, l->busy[i].size)) {
			return 1;
		}
	}
	return 0;
}

/* Words before "--" are ours; what follows is Hillock's host command line. */
static void parse_cmdline(struct loader *l)
{
	char *p = l->bi.cmdline;
	char *sep = strstr(p, "--");

	l->host_cmdline = "";
	l->base_option = "fixed";
	if (sep && (sep == p || sep[-1] == ' ') && (sep[2] == ' ' || sep[2] == '\0')) {
		*sep = '\0';
		l->host_cmdline = sep[2] ? sep + 3 : "";
	}
	for (char *w = strtok_r(p, " ", &sep); w; w = strtok_r(NULL, " ", &sep)) {
		if (strncmp(w, "igvmload.base=", 14) == 0) {
			l->base_option = w + 14;
		} else if (strcmp(w, "igvmload.isolation=none") == 0) {
			l->isolation = HILLOCK_ISOLATION_NONE;
		} else if (strcmp(w, "igvmload.isolation=snp") == 0) {
			l->isolation = HILLOCK_ISOLATION_SNP;
		} else if (strcmp(w, "igvmload.isolation=tdx") == 0) {
			l->isolation = HILLOCK_ISOLATION_TDX;
		} else {
			loader_fail("unknown option '%s' (options: igvmload.base=fixed|random|<address>, "
				    "igvmload.isolation=none|snp|tdx, then -- and Hillock's command line)",
				    w);
		}
	}
}

/* Choose where the relocatable region goes: inside RAM, inside the
 * region's bounds, aligned, clear of everything busy. */
static void choose_base(struct loader *l)
{
	const struct igvm_vhs_relocatable_region *r = &l->region;
	uint64_t size = r->relocation_region_size;
	uint64_t lo = r->minimum_relocation_gpa, hi = r->maximum_relocation_gpa;
	uint64_t base;

	if (hi + size > l->bi.map_limit) {
		hi = l->bi.map_limit - size;
	}
	if (strcmp(l->base_option, "fixed") == 0) {
		base = r->relocation_region_gpa;
	} else if (strcmp(l->base_option, "random") == 0) {
		uint64_t slots = hi >= lo ? (hi - lo) / r->relocation_alignment + 1 : 0;

		base = UINT64_MAX;
		for (int tries = 0; slots && tries < 4096; tries++) {
			uint64_t b = lo + (arch_random_u64() % slots) * r->relocation_alignment;

			if (in_ram(&l->bi, b, size) && !is_busy(l, b, size)) {
				base = b;
				break;
			}
		}
		if (base == UINT64_MAX) {
			loader_fail("no free %llu MiB stretch of RAM for the VTL2 region",
				    (unsigned long long)(size >> 20));
		}
	} else {
		char *end;

		base = strtoull(l->base_option, &end, 0);
		if (*end) {
			loader_fail("igvmload.base=%s is not fixed, random or an address", l->base_option);
		}
	}
	if (base % r->relocation_alignment || base < lo || base > hi) {
		loader_fail("VTL2 base %#llx is not %#llx-aligned within [%#llx, %#llx]",
			    (unsigned long long)base, (unsigned long long)r->relocation_alignment,
			    (unsigned long long)lo, (unsigned long long)hi);
	}
	if (!in_ram(&l->bi, base, size) || is_busy(l, base, size)) {
		loader_fail("VTL2 region %#llx+%#llx is not free RAM", (unsigned long long)base,
			    (unsigned long long)size);
	}
	l->delta = base - r->relocation_region_gpa;
	printf("igvmload: VTL2 region at %#llx (%llu MiB, %s base)\n", (unsigned long long)base,
	       (unsigned long long)(size >> 20), l->base_option);
}

static uint64_t relocate(const struct loader *l, uint64_t gpa)
{
	if (l->has_region && gpa >= l->region.relocation_region_gpa &&
	    gpa - l->region.relocation_region_gpa < l->region.relocation_region_size) {
		return gpa + l->delta;
	}
	return gpa;
}

/* Guest memory the loader writes: must be RAM, below the loader's own
 * identity map, and not anything busy. */
static uint8_t *guest_memory(struct loader *l, uint64_t gpa, uint64_t size)
{
	if (!in_ram(&l->bi, gpa, size) || gpa + size > l->bi.map_limit || is_busy(l, gpa, size)) {
		loader_fail("guest range %#llx+%#llx is not free RAM", (unsigned long long)gpa,
			    (unsigned long long)size);
	}
	return (uint8_t *)(uintptr_t)gpa;
}

/* The memory map parameter: RAM outside the VTL2 region is VTL0's, the
 * region is VTL2's; sorted, zero-terminated. */
static void write_memory_map(struct loader *l, uint8_t *area, uint64_t cap)
{
	uint64_t v2 = l->region.relocation_region_gpa + l->delta;
	uint64_t v2_end = v2 + l->region.relocation_region_size;
	size_t n = 0, max = cap / sizeof(struct igvm_memory_map_entry);
	struct igvm_memory_map_entry e;

#define EMIT(base, end, type)                                                                   \
	do {                                                                                    \
		if ((end) > (base)) {                                                           \
			if (n + 1 >= max) {                                                     \
				loader_fail("memory map needs more than %zu entries", max - 1); \
			}                                                                       \
			memset(&e, 0, sizeof(e));                                               \
			e.starting_gpa_page_number = (base) / PAGE;                             \
			e.number_of_pages = ((end) - (base)) / PAGE;                            \
			e.entry_type = (type);                                                  \
			memcpy(area + n++ * sizeof(e), &e, sizeof(e));                          \
		}                                                                               \
	} while (0)

	for (unsigned int i = 0; i < l->bi.ram_count; i++) {
		uint64_t lo = (l->bi.ram[i].base + PAGE - 1) & ~(uint64_t)(PAGE - 1);
		uint64_t hi = (l->bi.ram[i].base + l->bi.ram[i].size) & ~(uint64_t)(PAGE - 1);

		if (!l->has_region || hi <= v2 || lo >= v2_end) {
			EMIT(lo, hi, IGVM_MEMORY_MAP_MEMORY);
			continue;
		}
		EMIT(lo, v2, IGVM_MEMORY_MAP_MEMORY);
		EMIT(v2, v2_end, IGVM_MEMORY_MAP_VTL2_PROTECTABLE);
		EMIT(v2_end, hi, IGVM_MEMORY_MAP_MEMORY);
	}
#undef EMIT
	memset(area + n * sizeof(e), 0, sizeof(e));
}

static void write_parameter(struct loader *l, const struct igvm_record *rec)
{
	struct igvm_vhs_parameter p;

	memcpy(&p, rec->body, sizeof(p));
	uint8_t *area = l->area[p.parameter_area_index];
	uint64_t cap = l->area_size[p.parameter_area_index] - p.byte_offset;

	if (!area) {
		loader_fail("record %u: parameter area %u was already inserted", rec->index,
			    p.parameter_area_index);
	}
	area += p.byte_offset;
	switch (rec->type) {
	case IGVM_VHT_VP_COUNT_PARAMETER: {
		uint32_t n = l->bi.cpu_count;

		if (cap < sizeof(n)) {
			loader_fail("record %u: no room for the VP count", rec->index);
		}
		memcpy(area, &n, sizeof(n));
		break;
	}
	case IGVM_VHT_MEMORY_MAP:
		write_memory_map(l, area, cap);
		break;
	case IGVM_VHT_COMMAND_LINE: {
		size_t len = strlen(l->host_cmdline);

		if (len + 1 > cap) {
			loader_fail("host command line of %zu bytes does not fit its %llu-byte area", len,
				    (unsigned long long)cap);
		}
		memcpy(area, l->host_cmdline, len + 1);
		break;
	}
	case IGVM_VHT_DEVICE_TREE:
		if (l->bi.host_fdt) {
			/* QEMU pads its tree to 1 MiB: pack it (in place; it is
			 * ours to change) so that only the contents are copied. */
			int rc = fdt_pack((void *)(uintptr_t)l->bi.host_fdt);

			rc = rc ? rc : fdt_open_into(l->bi.host_fdt, area, (int)(cap > INT32_MAX ? INT32_MAX : cap));

			if (rc == 0) {
				rc = fdt_pack(area);
			}
			if (rc != 0) {
				loader_fail("host device tree does not fit its %llu-byte area: %s",
					    (unsigned long long)cap, fdt_strerror(rc));
			}
		}
		break;
	default:
		printf("igvmload: record %u: parameter %s is not supplied (left zero)\n", rec->index,
		       igvm_type_name(rec->type));
		break;
	}
}

static void load_records(struct loader *l)
{
	struct igvm_record rec;
	uint64_t cursor = 0;
	size_t len;

	while (igvm_record_next(&l->file, &cursor, &rec)) {
		if (!igvm_record_applies(&rec, l->mask)) {
			continue;
		}
		const uint8_t *data = igvm_record_data(&l->file, &rec, &len);

		switch (rec.type) {
		case IGVM_VHT_PARAMETER_AREA: {
			struct igvm_vhs_parameter_area a;

			memcpy(&a, rec.body, sizeof(a));
			if (a.number_of_bytes > AREA_ARENA_SIZE - area_arena_used) {
				loader_fail("record %u: parameter area of %llu bytes is too large", rec.index,
					    (unsigned long long)a.number_of_bytes);
			}
			l->area[a.parameter_area_index] = area_arena + area_arena_used;
			l->area_size[a.parameter_area_index] = a.number_of_bytes;
			area_arena_used += a.number_of_bytes;
			memset(l->area[a.parameter_area_index], 0, a.number_of_bytes);
			if (data) {
				memcpy(l->area[a.parameter_area_index], data,
				       len < a.number_of_bytes ? len : a.number_of_bytes);
			}
			break;
		}
		case IGVM_VHT_PAGE_DATA: {
			struct igvm_vhs_page_data pd;

			memcpy(&pd, rec.body, sizeof(pd));
			uint8_t *dst = guest_memory(l, relocate(l, pd.gpa), PAGE);

			memset(dst, 0, PAGE);
			if (data) {
				memcpy(dst, data, len < PAGE ? len : PAGE);
			}
			l->pages_loaded++;
			break;
		}
		case IGVM_VHT_PARAMETER_INSERT: {
			struct igvm_vhs_parameter_insert ins;

			memcpy(&ins, rec.body, sizeof(ins));
			uint64_t size = l->area_size[ins.parameter_area_index];
			uint8_t *src = l->area[ins.parameter_area_index];

			if (!src) {
				loader_fail("record %u: parameter area %u is not declared", rec.index,
					    ins.parameter_area_index);
			}
			memcpy(guest_memory(l, relocate(l, ins.gpa), size), src, size);
			l->area[ins.parameter_area_index] = NULL;
			break;
		}
		case IGVM_VHT_REQUIRED_MEMORY: {
			struct igvm_vhs_required_memory m;

			memcpy(&m, rec.body, sizeof(m));
			if (!in_ram(&l->bi, relocate(l, m.gpa), m.number_of_bytes)) {
				loader_fail("record %u: required memory %#llx+%#x is not RAM", rec.index,
					    (unsigned long long)relocate(l, m.gpa), m.number_of_bytes);
			}
			break;
		}
		case IGVM_VHT_VP_CONTEXT: {
			struct igvm_vhs_vp_context vp;

			memcpy(&vp, rec.body, sizeof(vp));
			if (vp.vp_index == 0) {
				l->vp_context = data;
				l->vp_context_len = len;
			}
			break;
		}
		case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION:
			memcpy(&l->page_tables, rec.body, sizeof(l->page_tables));
			break;
		case IGVM_VHT_SUPPORTED_PLATFORM:
		case IGVM_VHT_RELOCATABLE_REGION:
			break;
		default:
			if (rec.type >= IGVM_VHT_VP_COUNT_PARAMETER && rec.type <= 0x313) {
				write_parameter(l, &rec);
			} else {
				printf("igvmload: record %u: %s ignored\n", rec.index, igvm_type_name(rec.type));
			}
			break;
		}
	}
}

static void find_region(struct loader *l)
{
	struct igvm_record rec;
	uint64_t cursor = 0;

	while (igvm_record_next(&l->file, &cursor, &rec)) {
		if (rec.type == IGVM_VHT_RELOCATABLE_REGION && igvm_record_applies(&rec, l->mask)) {
			memcpy(&l->region, rec.body, sizeof(l->region));
			l->has_region = 1;
			return;
		}
	}
}

_Noreturn void image_main(uint64_t arg0, uint64_t arg1)
{
	extern char __image_start[], __image_end[];
	struct loader *l = &loader;
	struct igvm_error err;

	(void)arg1;
	arch_firmware_read(arg0, &l->bi);
	printf("igvmload: %u CPU%s, %llu MiB RAM, IGVM file %#llx+%#llx\n", l->bi.cpu_count,
	       l->bi.cpu_count == 1 ? "" : "s", (unsigned long long)(l->bi.ram_bytes >> 20),
	       (unsigned long long)l->bi.initrd_base, (unsigned long long)l->bi.initrd_size);
	parse_cmdline(l);
	if (l->bi.initrd_size == 0) {
		loader_fail("no IGVM file (QEMU: -initrd FILE.igvm)");
	}
	if (!in_ram(&l->bi, l->bi.initrd_base, l->bi.initrd_size) ||
	    l->bi.initrd_base + l->bi.initrd_size > l->bi.map_limit) {
		loader_fail("the IGVM file at %#llx+%#llx is not in mapped RAM",
			    (unsigned long long)l->bi.initrd_base, (unsigned long long)l->bi.initrd_size);
	}

	l->busy[l->busy_count++] = (struct boot_range){(uint64_t)(uintptr_t)__image_start,
						       (uint64_t)(__image_end - __image_start)};
	l->busy[l->busy_count++] = (struct boot_range){l->bi.initrd_base, l->bi.initrd_size};
	if (l->bi.host_fdt) {
		l->busy[l->busy_count++] = (struct boot_range){(uint64_t)(uintptr_t)l->bi.host_fdt,
							       fdt_totalsize(l->bi.host_fdt)};
	}
	l->busy_count = igvmload_arch_busy(l->busy, l->busy_count, BUSY_MAX);

	if (igvm_parse((const void *)(uintptr_t)l->bi.initrd_base, l->bi.initrd_size,
		       igvmload_igvm_arch, &l->file, &err) != 0) {
		loader_fail("invalid IGVM file: %s (record %d, offset %#x)", err.message, err.record,
			    err.offset);
	}
	l->mask = igvm_platform_mask(&l->file, IGVM_PLATFORM_NATIVE);
	if (!l->mask) {
		loader_fail("the IGVM file has no NATIVE platform variant");
	}
	find_region(l);
	if (l->has_region) {
		choose_base(l);
	}
	load_records(l);
	if (!l->vp_context) {
		loader_fail("the IGVM file has no VP context for VP 0");
	}

	static uint8_t ctx[IGVM_PAGE_SIZE];
	size_t ctx_len = l->vp_context_len < sizeof(ctx) ? l->vp_context_len : sizeof(ctx);

	memcpy(ctx, l->vp_context, ctx_len);
	if (igvmload_arch_check_context(ctx, ctx_len) != 0) {
		arch_exit(EXIT_STATUS_FAIL);
	}
	struct igvmload_reloc reloc = {
		.delta = l->delta,
		.apply_pc = l->has_region && (l->region.flags & IGVM_RELOC_FLAG_APPLY_PC),
		.pt_gpa = l->page_tables.gpa,
		.pt_size = l->page_tables.used_size,
	};

	/* The tables, all of them, must move with the region; and they are
	 * guest memory the loader wrote, so they go through guest_memory(). */
	if (reloc.pt_size &&
	    (relocate(l, reloc.pt_gpa) != reloc.pt_gpa + l->delta ||
	     reloc.pt_size > l->region.relocation_region_size ||
	     reloc.pt_gpa - l->region.relocation_region_gpa >
		     l->region.relocation_region_size - reloc.pt_size)) {
		loader_fail("page tables at %#llx are not inside the relocatable region",
			    (unsigned long long)reloc.pt_gpa);
	}
	if (reloc.pt_size) {
		guest_memory(l, reloc.pt_gpa + l->delta, reloc.pt_size);
	}
	uint64_t pc = igvmload_arch_relocate(ctx, &reloc);

	uint64_t flush_base = l->has_region ? l->region.relocation_region_gpa + l->delta : 0;
	uint64_t flush_size = l->has_region ? l->region.relocation_region_size : 0;

	printf("igvmload: %llu pages loaded; entering VP0 at %#llx at %llu us\n",
	       (unsigned long long)l->pages_loaded, (unsigned long long)pc,
	       (unsigned long long)(arch_time_ns() / 1000));
	igvmload_arch_enter(ctx, ctx_len, l->isolation, flush_base, flush_size);
}
