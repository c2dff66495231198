/* Reading an IGVM file: one validating pass, then iteration over the
 * validated records.  See igvm_reader.h for the contract and docs/igvm.md
 * for the list of checks.
 *
 * The pass keeps no heap state: platforms and parameter areas fit in small
 * fixed tables, and the checks that need earlier records (overlapping GPAs,
 * one VP context per VP) walk the records already validated.  GPA ranges
 * that grow monotonically per platform, which is how generators emit them,
 * are accepted in constant time; only a range below an earlier one triggers
 * that walk. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "igvm_reader.h"

/* Parameter areas hold a VP count, a memory map, a command line or a device
 * tree; a zero-filled area costs nothing in the file, so without a bound a
 * few bytes could ask a loader (or the measurement) for terabytes. */
#define IGVM_PARAMETER_AREA_MAX (2u << 20)

/* The highest VTL on any platform Hillock targets (Hyper-V: VTL0-VTL2). */
#define IGVM_HIGHEST_VTL_MAX 2

enum record_class {
	CLASS_NONE = -1, /* outside the three ranges */
	CLASS_PLATFORM = 0,
	CLASS_INIT = 1,
	CLASS_DIRECTIVE = 2,
};

static const char *const class_names[] = { "platform", "initialization", "directive" };

/* What the reader knows of each record type.  size 0: a type of the format
 * that Hillock does not use, refused unless the record is optional. */
struct type_info {
	uint32_t type;
	const char *name;
	uint32_t size;
	int mask_offset;      /* of compatibility_mask in the body; -1: none */
	uint32_t payload_min; /* IGVM_VHS_PARAMETER types: bytes the loader writes */
};

#define MASK_AT(s) ((int)offsetof(struct s, compatibility_mask))
#define PARAM(t, n, min) { t, n, sizeof(struct igvm_vhs_parameter), -1, min }

static const struct type_info type_table[] = {
	{ IGVM_VHT_SUPPORTED_PLATFORM, "SUPPORTED_PLATFORM", sizeof(struct igvm_vhs_supported_platform),
	  MASK_AT(igvm_vhs_supported_platform), 0 },
	{ IGVM_VHT_GUEST_POLICY, "GUEST_POLICY", sizeof(struct igvm_vhs_guest_policy),
	  MASK_AT(igvm_vhs_guest_policy), 0 },
	{ IGVM_VHT_RELOCATABLE_REGION, "RELOCATABLE_REGION", sizeof(struct igvm_vhs_relocatable_region),
	  MASK_AT(igvm_vhs_relocatable_region), 0 },
	{ IGVM_VHT_PAGE_TABLE_RELOCATION_REGION, "PAGE_TABLE_RELOCATION_REGION",
	  sizeof(struct igvm_vhs_page_table_relocation), MASK_AT(igvm_vhs_page_table_relocation), 0 },
	{ IGVM_VHT_PARAMETER_AREA, "PARAMETER_AREA", sizeof(struct igvm_vhs_parameter_area), -1, 0 },
	{ IGVM_VHT_PAGE_DATA, "PAGE_DATA", sizeof(struct igvm_vhs_page_data), MASK_AT(igvm_vhs_page_data), 0 },
	{ IGVM_VHT_PARAMETER_INSERT, "PARAMETER_INSERT", sizeof(struct igvm_vhs_parameter_insert),
	  MASK_AT(igvm_vhs_parameter_insert), 0 },
	{ IGVM_VHT_VP_CONTEXT, "VP_CONTEXT", sizeof(struct igvm_vhs_vp_context), MASK_AT(igvm_vhs_vp_context), 0 },
	{ IGVM_VHT_REQUIRED_MEMORY, "REQUIRED_MEMORY", sizeof(struct igvm_vhs_required_memory),
	  MASK_AT(igvm_vhs_required_memory), 0 },
	PARAM(IGVM_VHT_VP_COUNT_PARAMETER, "VP_COUNT_PARAMETER", sizeof(uint32_t)),
	PARAM(IGVM_VHT_SRAT, "SRAT", 1),
	PARAM(IGVM_VHT_MADT, "MADT", 1),
	PARAM(IGVM_VHT_MMIO_RANGES, "MMIO_RANGES", 2 * sizeof(struct igvm_memory_range)),
	{ IGVM_VHT_SNP_ID_BLOCK, "SNP_ID_BLOCK", 0, -1, 0 },
	PARAM(IGVM_VHT_MEMORY_MAP, "MEMORY_MAP", sizeof(struct igvm_memory_map_entry)),
	{ IGVM_VHT_ERROR_RANGE, "ERROR_RANGE", 0, -1, 0 },
	PARAM(IGVM_VHT_COMMAND_LINE, "COMMAND_LINE", 1),
	PARAM(IGVM_VHT_SLIT, "SLIT", 1),
	PARAM(IGVM_VHT_PPTT, "PPTT", 1),
	{ IGVM_VHT_VBS_MEASUREMENT, "VBS_MEASUREMENT", 0, -1, 0 },
	PARAM(IGVM_VHT_DEVICE_TREE, "DEVICE_TREE", 1),
	PARAM(IGVM_VHT_ENVIRONMENT_INFO_PARAMETER, "ENVIRONMENT_INFO_PARAMETER", sizeof(uint32_t)),
};

static const struct type_info *type_lookup(uint32_t type)
{
	for (size_t i = 0; i < sizeof(type_table) / sizeof(type_table[0]); i++) {
		if (type_table[i].type == type) {
			return &type_table[i];
		}
	}
	return NULL;
}

const char *igvm_type_name(uint32_t type)
{
	const struct type_info *ti = type_lookup(type & IGVM_VHT_TYPE_MASK);

	return ti ? ti->name : "UNKNOWN";
}

static enum record_class type_class(uint32_t type)
{
	if (type >= IGVM_VHT_RANGE_PLATFORM_FIRST && type <= IGVM_VHT_RANGE_PLATFORM_LAST) {
		return CLASS_PLATFORM;
	}
	if (type >= IGVM_VHT_RANGE_INIT_FIRST && type <= IGVM_VHT_RANGE_INIT_LAST) {
		return CLASS_INIT;
	}
	if (type >= IGVM_VHT_RANGE_DIRECTIVE_FIRST && type <= IGVM_VHT_RANGE_DIRECTIVE_LAST) {
		return CLASS_DIRECTIVE;
	}
	return CLASS_NONE;
}

static const char *platform_name(uint8_t type)
{
	switch (type) {
	case IGVM_PLATFORM_NATIVE:
		return "NATIVE";
	case IGVM_PLATFORM_VSM_ISOLATION:
		return "VSM_ISOLATION";
	case IGVM_PLATFORM_SEV_SNP:
		return "SEV_SNP";
	case IGVM_PLATFORM_TDX:
		return "TDX";
	}
	return "UNKNOWN";
}

static int is_page_aligned(uint64_t v)
{
	return (v & (IGVM_PAGE_SIZE - 1)) == 0;
}

static uint32_t align8(uint32_t v)
{
	return (v + 7u) & ~7u;
}

/* --- Walking records ------------------------------------------------------ */

/* The cursor: low 32 bits the next record's offset from the start of the
 * variable header, high 32 bits its index. */
static int walk_next(const uint8_t *data, uint32_t vh_offset, uint32_t vh_end, uint64_t *cursor,
		     struct igvm_record *rec)
{
	uint32_t pos = (uint32_t)*cursor;
	uint32_t index = (uint32_t)(*cursor >> 32);
	struct igvm_vhs_header hdr;

	if (pos >= vh_end) {
		return 0;
	}
	memcpy(&hdr, data + vh_offset + pos, sizeof(hdr));
	rec->index = index;
	rec->offset = vh_offset + pos;
	rec->type = hdr.type & IGVM_VHT_TYPE_MASK;
	rec->length = hdr.length;
	rec->body = data + vh_offset + pos + sizeof(hdr);
	*cursor = ((uint64_t)(index + 1) << 32) | align8(pos + (uint32_t)sizeof(hdr) + hdr.length);
	return 1;
}

int igvm_record_next(const struct igvm_file *f, uint64_t *cursor, struct igvm_record *rec)
{
	return walk_next(f->data, f->variable_header_offset, f->variable_header_size, cursor, rec);
}

static uint32_t body_u32(const struct igvm_record *rec, size_t offset)
{
	uint32_t v;

	memcpy(&v, (const uint8_t *)rec->body + offset, sizeof(v));
	return v;
}

static uint32_t record_mask(const struct igvm_record *rec)
{
	const struct type_info *ti = type_lookup(rec->type);

	if (!ti || ti->size == 0 || ti->mask_offset < 0 || rec->length < (uint32_t)ti->mask_offset + 4) {
		return 0;
	}
	return body_u32(rec, (size_t)ti->mask_offset);
}

/* Unknown (optional) records apply to nothing: nobody may act on them. */
int igvm_record_applies(const struct igvm_record *rec, uint32_t mask)
{
	const struct type_info *ti = type_lookup(rec->type);

	if (!ti || ti->size == 0) {
		return 0;
	}
	if (ti->mask_offset < 0) {
		return 1;
	}
	return (record_mask(rec) & mask) != 0;
}

uint32_t igvm_platform_mask(const struct igvm_file *f, uint8_t platform_type)
{
	for (unsigned int i = 0; i < f->platform_count; i++) {
		if (f->platforms[i].type == platform_type) {
			return f->platforms[i].mask;
		}
	}
	return 0;
}

/* The platform type shared by every platform in mask (the reader makes a
 * VP_CONTEXT's platforms agree), or 0xff when mask names none. */
static uint8_t mask_platform_type(const struct igvm_file *f, uint32_t mask)
{
	for (unsigned int i = 0; i < f->platform_count; i++) {
		if (f->platforms[i].mask & mask) {
			return f->platforms[i].type;
		}
	}
	return 0xff;
}

/* The length of a VP context's data for a platform type, or 0 when it
 * cannot be known without reading it (VBS) or the type has none. */
static uint32_t vp_context_fixed_size(uint8_t platform_type, enum igvm_arch arch)
{
	switch (platform_type) {
	case IGVM_PLATFORM_NATIVE:
		return arch == IGVM_ARCH_AARCH64 ? sizeof(struct igvm_vp_context_aarch64)
						 : sizeof(struct igvm_native_vp_context_x64);
	case IGVM_PLATFORM_SEV_SNP:
		return IGVM_PAGE_SIZE;
	}
	return 0;
}

const uint8_t *igvm_record_data(const struct igvm_file *f, const struct igvm_record *rec, size_t *len)
{
	uint32_t file_offset = 0;
	uint64_t length = 0;

	*len = 0;
	if (rec->type == IGVM_VHT_PAGE_DATA) {
		struct igvm_vhs_page_data pd;

		memcpy(&pd, rec->body, sizeof(pd));
		file_offset = pd.file_offset;
		length = IGVM_PAGE_SIZE;
	} else if (rec->type == IGVM_VHT_PARAMETER_AREA) {
		struct igvm_vhs_parameter_area pa;

		memcpy(&pa, rec->body, sizeof(pa));
		file_offset = pa.file_offset;
		length = pa.number_of_bytes;
	} else if (rec->type == IGVM_VHT_VP_CONTEXT) {
		struct igvm_vhs_vp_context vp;
		uint8_t type;

		memcpy(&vp, rec->body, sizeof(vp));
		file_offset = vp.file_offset;
		type = mask_platform_type(f, vp.compatibility_mask);
		length = vp_context_fixed_size(type, f->arch);
		if (type == IGVM_PLATFORM_VSM_ISOLATION && file_offset != 0) {
			struct igvm_vbs_vp_context_header h;

			memcpy(&h, f->data + file_offset, sizeof(h));
			length = sizeof(h) + (uint64_t)h.register_count * sizeof(struct igvm_vbs_vp_context_register);
		}
	}
	if (file_offset == 0 || length == 0) {
		return NULL;
	}
	*len = (size_t)length;
	return f->data + file_offset;
}

/* --- Validation ------------------------------------------------------------ */

struct area {
	uint32_t index;
	uint64_t size;
	int inserted;
};

struct parse {
	const uint8_t *data;
	size_t size;
	struct igvm_file *f;
	struct igvm_error *err;
	uint32_t data_start; /* the file data section: [data_start, size) */
	uint32_t all_mask;   /* every declared platform's bit */
	enum record_class phase;
	/* Per platform, the end of the highest GPA range claimed so far. */
	uint64_t range_end[IGVM_MAX_PLATFORMS];
	unsigned int area_count;
	struct area areas[IGVM_MAX_PARAMETER_AREAS];
};

/* Fill err: what was wrong, prefixed with where, so a caller that prints
 * only the message still says where.  Always returns -1. */
static int reject(struct parse *p, const struct igvm_record *rec, uint32_t offset, const char *fmt, ...)
{
	struct igvm_error *err = p->err;
	va_list ap;
	int n;

	if (rec) {
		err->record = (int)rec->index;
		n = snprintf(err->message, sizeof(err->message), "record %u (%s) at 0x%x: ", rec->index,
			     igvm_type_name(rec->type), offset);
	} else {
		err->record = -1;
		n = snprintf(err->message, sizeof(err->message), "fixed header at 0x%x: ", offset);
	}
	err->offset = offset;
	if (n < 0 || (size_t)n >= sizeof(err->message)) {
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(err->message + n, sizeof(err->message) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static struct area *area_find(struct parse *p, uint32_t index)
{
	for (unsigned int i = 0; i < p->area_count; i++) {
		if (p->areas[i].index == index) {
			return &p->areas[i];
		}
	}
	return NULL;
}

/* file data [file_offset, file_offset + length) must lie in the file data
 * section (never in the headers, never past the end). */
static int check_data(struct parse *p, const struct igvm_record *rec, const char *what, uint32_t file_offset,
		      uint64_t length)
{
	if (file_offset < p->data_start) {
		return reject(p, rec, rec->offset, "%s file_offset 0x%x points into the headers (file data starts at 0x%x)",
			      what, file_offset, p->data_start);
	}
	if (file_offset > p->size || length > p->size - file_offset) {
		return reject(p, rec, rec->offset,
			      "%s data at file_offset 0x%x, 0x%llx bytes, extends past the end of the file (0x%zx bytes)",
			      what, file_offset, (unsigned long long)length, p->size);
	}
	return 0;
}

static int check_mask(struct parse *p, const struct igvm_record *rec, uint32_t mask)
{
	if (mask == 0) {
		return reject(p, rec, rec->offset, "compatibility mask is zero");
	}
	if (mask & ~p->all_mask) {
		return reject(p, rec, rec->offset, "compatibility mask 0x%x has bits 0x%x of no declared platform", mask,
			      mask & ~p->all_mask);
	}
	return 0;
}

/* The guest-physical range a PAGE_DATA or PARAMETER_INSERT record fills;
 * only called on records already validated. */
static int record_range(struct parse *p, const struct igvm_record *rec, uint32_t *mask, uint64_t *gpa,
			uint64_t *len)
{
	if (rec->type == IGVM_VHT_PAGE_DATA) {
		struct igvm_vhs_page_data pd;

		memcpy(&pd, rec->body, sizeof(pd));
		*mask = pd.compatibility_mask;
		*gpa = pd.gpa;
		*len = IGVM_PAGE_SIZE;
		return 1;
	}
	if (rec->type == IGVM_VHT_PARAMETER_INSERT) {
		struct igvm_vhs_parameter_insert pi;
		struct area *a;

		memcpy(&pi, rec->body, sizeof(pi));
		a = area_find(p, pi.parameter_area_index);
		*mask = pi.compatibility_mask;
		*gpa = pi.gpa;
		*len = a ? a->size : 0;
		return 1;
	}
	return 0;
}

/* Claim [gpa, gpa + len) on every platform in mask: no two pages of one
 * platform may be loaded at the same address. */
static int claim_range(struct parse *p, const struct igvm_record *rec, uint32_t mask, uint64_t gpa, uint64_t len)
{
	uint64_t end;

	if (gpa > UINT64_MAX - len) {
		return reject(p, rec, rec->offset, "GPA range 0x%llx + 0x%llx wraps around", (unsigned long long)gpa,
			      (unsigned long long)len);
	}
	end = gpa + len;
	for (unsigned int i = 0; i < p->f->platform_count; i++) {
		uint32_t bit = p->f->platforms[i].mask;
		struct igvm_record prev;
		uint64_t cursor = 0;

		if (!(mask & bit) || gpa >= p->range_end[i]) {
			continue;
		}
		while (walk_next(p->data, p->f->variable_header_offset, rec->offset - p->f->variable_header_offset,
				 &cursor, &prev)) {
			uint32_t pmask;
			uint64_t pgpa, plen;

			if (!record_range(p, &prev, &pmask, &pgpa, &plen) || !(pmask & bit)) {
				continue;
			}
			if (gpa < pgpa + plen && pgpa < end) {
				return reject(p, rec, rec->offset,
					      "GPA range 0x%llx-0x%llx overlaps record %u (%s, GPA 0x%llx-0x%llx) on platform %s",
					      (unsigned long long)gpa, (unsigned long long)(end - 1), prev.index,
					      igvm_type_name(prev.type), (unsigned long long)pgpa,
					      (unsigned long long)(pgpa + plen - 1), platform_name(p->f->platforms[i].type));
			}
		}
	}
	for (unsigned int i = 0; i < p->f->platform_count; i++) {
		if ((mask & p->f->platforms[i].mask) && end > p->range_end[i]) {
			p->range_end[i] = end;
		}
	}
	return 0;
}

static int check_platform(struct parse *p, const struct igvm_record *rec)
{
	struct igvm_vhs_supported_platform sp;
	struct igvm_platform *plat;

	memcpy(&sp, rec->body, sizeof(sp));
	if (p->f->platform_count >= IGVM_MAX_PLATFORMS) {
		return reject(p, rec, rec->offset, "more than %d platforms", IGVM_MAX_PLATFORMS);
	}
	if (sp.compatibility_mask == 0 || (sp.compatibility_mask & (sp.compatibility_mask - 1)) != 0) {
		return reject(p, rec, rec->offset, "platform compatibility mask 0x%x does not have exactly one bit",
			      sp.compatibility_mask);
	}
	if (sp.compatibility_mask & p->all_mask) {
		return reject(p, rec, rec->offset, "platform mask bit 0x%x already used by another platform",
			      sp.compatibility_mask);
	}
	if (sp.platform_type > IGVM_PLATFORM_TDX) {
		return reject(p, rec, rec->offset, "unknown platform type %u", sp.platform_type);
	}
	if (igvm_platform_mask(p->f, sp.platform_type) != 0) {
		return reject(p, rec, rec->offset, "platform type %s declared twice", platform_name(sp.platform_type));
	}
	if (sp.platform_version != IGVM_PLATFORM_VERSION) {
		return reject(p, rec, rec->offset, "platform version %u, expected %u", sp.platform_version,
			      IGVM_PLATFORM_VERSION);
	}
	if (sp.highest_vtl > IGVM_HIGHEST_VTL_MAX) {
		return reject(p, rec, rec->offset, "highest VTL %u above %d", sp.highest_vtl, IGVM_HIGHEST_VTL_MAX);
	}
	plat = &p->f->platforms[p->f->platform_count++];
	plat->mask = sp.compatibility_mask;
	plat->type = sp.platform_type;
	plat->highest_vtl = sp.highest_vtl;
	p->all_mask |= sp.compatibility_mask;
	return 0;
}

static int check_relocatable_region(struct parse *p, const struct igvm_record *rec)
{
	struct igvm_vhs_relocatable_region r;
	uint64_t align;

	memcpy(&r, rec->body, sizeof(r));
	align = r.relocation_alignment;
	if (r.flags & ~(IGVM_RELOC_FLAG_IS_VTL2 | IGVM_RELOC_FLAG_APPLY_PC | IGVM_RELOC_FLAG_APPLY_GDTR)) {
		return reject(p, rec, rec->offset, "unknown flags 0x%x", r.flags);
	}
	if (r.vtl > IGVM_HIGHEST_VTL_MAX) {
		return reject(p, rec, rec->offset, "VTL %u above %d", r.vtl, IGVM_HIGHEST_VTL_MAX);
	}
	if (align == 0 || !is_page_aligned(align)) {
		return reject(p, rec, rec->offset, "relocation alignment 0x%llx is not a non-zero page multiple",
			      (unsigned long long)align);
	}
	if (r.relocation_region_gpa % align || r.minimum_relocation_gpa % align ||
	    r.maximum_relocation_gpa % align) {
		return reject(p, rec, rec->offset, "region 0x%llx, minimum 0x%llx or maximum 0x%llx not aligned to 0x%llx",
			      (unsigned long long)r.relocation_region_gpa, (unsigned long long)r.minimum_relocation_gpa,
			      (unsigned long long)r.maximum_relocation_gpa, (unsigned long long)align);
	}
	if (r.relocation_region_size == 0 || !is_page_aligned(r.relocation_region_size) ||
	    r.relocation_region_gpa > UINT64_MAX - r.relocation_region_size) {
		return reject(p, rec, rec->offset, "region size 0x%llx is not a non-zero page multiple inside the GPA space",
			      (unsigned long long)r.relocation_region_size);
	}
	if (r.minimum_relocation_gpa > r.maximum_relocation_gpa) {
		return reject(p, rec, rec->offset, "minimum relocation GPA 0x%llx above maximum 0x%llx",
			      (unsigned long long)r.minimum_relocation_gpa, (unsigned long long)r.maximum_relocation_gpa);
	}
	return 0;
}

static int check_page_table_relocation(struct parse *p, const struct igvm_record *rec)
{
	struct igvm_vhs_page_table_relocation r;

	memcpy(&r, rec->body, sizeof(r));
	if (r.reserved != 0) {
		return reject(p, rec, rec->offset, "reserved field is 0x%x, not zero", r.reserved);
	}
	if (!is_page_aligned(r.gpa) || !is_page_aligned(r.size) || !is_page_aligned(r.used_size) ||
	    r.used_size > r.size || r.gpa > UINT64_MAX - r.size) {
		return reject(p, rec, rec->offset, "GPA 0x%llx, size 0x%llx, used 0x%llx: not page multiples or used > size",
			      (unsigned long long)r.gpa, (unsigned long long)r.size, (unsigned long long)r.used_size);
	}
	return 0;
}

static int check_parameter_area(struct parse *p, const struct igvm_record *rec)
{
	struct igvm_vhs_parameter_area pa;
	struct area *a;

	memcpy(&pa, rec->body, sizeof(pa));
	if (pa.number_of_bytes == 0 || !is_page_aligned(pa.number_of_bytes) ||
	    pa.number_of_bytes > IGVM_PARAMETER_AREA_MAX) {
		return reject(p, rec, rec->offset, "area size 0x%llx is not a non-zero page multiple up to 0x%x",
			      (unsigned long long)pa.number_of_bytes, IGVM_PARAMETER_AREA_MAX);
	}
	/* Loaders index tables by it: keep it below the area limit. */
	if (pa.parameter_area_index >= IGVM_MAX_PARAMETER_AREAS) {
		return reject(p, rec, rec->offset, "parameter area index %u is not below %d",
			      pa.parameter_area_index, IGVM_MAX_PARAMETER_AREAS);
	}
	if (area_find(p, pa.parameter_area_index)) {
		return reject(p, rec, rec->offset, "parameter area %u declared twice", pa.parameter_area_index);
	}
	if (p->area_count >= IGVM_MAX_PARAMETER_AREAS) {
		return reject(p, rec, rec->offset, "more than %d parameter areas", IGVM_MAX_PARAMETER_AREAS);
	}
	if (pa.file_offset != 0 && check_data(p, rec, "parameter area", pa.file_offset, pa.number_of_bytes)) {
		return -1;
	}
	a = &p->areas[p->area_count++];
	a->index = pa.parameter_area_index;
	a->size = pa.number_of_bytes;
	a->inserted = 0;
	return 0;
}

static int check_page_data(struct parse *p, const struct igvm_record *rec)
{
	struct igvm_vhs_page_data pd;

	memcpy(&pd, rec->body, sizeof(pd));
	if (!is_page_aligned(pd.gpa)) {
		return reject(p, rec, rec->offset, "GPA 0x%llx is not page-aligned", (unsigned long long)pd.gpa);
	}
	if (pd.flags & ~IGVM_PAGE_FLAGS_KNOWN) {
		return reject(p, rec, rec->offset, "unknown page flags 0x%x", pd.flags & ~IGVM_PAGE_FLAGS_KNOWN);
	}
	/* Files carry 4 KiB pages only; a 2 MiB page would need 2 MiB of data
	 * and 2 MiB alignment that no writer Hillock knows produces. */
	if (pd.flags & IGVM_PAGE_FLAG_2MB) {
		return reject(p, rec, rec->offset, "2 MiB pages are not supported");
	}
	if (pd.data_type > IGVM_PAGE_DATA_CPUID_XF) {
		return reject(p, rec, rec->offset, "unknown page data type %u", pd.data_type);
	}
	if (pd.reserved != 0) {
		return reject(p, rec, rec->offset, "reserved field is 0x%x, not zero", pd.reserved);
	}
	if (pd.file_offset != 0 && check_data(p, rec, "page", pd.file_offset, IGVM_PAGE_SIZE)) {
		return -1;
	}
	return claim_range(p, rec, pd.compatibility_mask, pd.gpa, IGVM_PAGE_SIZE);
}

static int check_parameter_insert(struct parse *p, const struct igvm_record *rec)
{
	struct igvm_vhs_parameter_insert pi;
	struct area *a;

	memcpy(&pi, rec->body, sizeof(pi));
	if (!is_page_aligned(pi.gpa)) {
		return reject(p, rec, rec->offset, "GPA 0x%llx is not page-aligned", (unsigned long long)pi.gpa);
	}
	a = area_find(p, pi.parameter_area_index);
	if (!a) {
		return reject(p, rec, rec->offset, "insert of parameter area %u, which is not declared",
			      pi.parameter_area_index);
	}
	if (a->inserted) {
		return reject(p, rec, rec->offset, "parameter area %u inserted twice", pi.parameter_area_index);
	}
	if (claim_range(p, rec, pi.compatibility_mask, pi.gpa, a->size)) {
		return -1;
	}
	a->inserted = 1;
	return 0;
}

static int check_parameter(struct parse *p, const struct igvm_record *rec, const struct type_info *ti)
{
	struct igvm_vhs_parameter prm;
	struct area *a;

	memcpy(&prm, rec->body, sizeof(prm));
	a = area_find(p, prm.parameter_area_index);
	if (!a) {
		return reject(p, rec, rec->offset, "parameter area %u used before it is declared",
			      prm.parameter_area_index);
	}
	if (a->inserted) {
		return reject(p, rec, rec->offset, "parameter area %u used after it was inserted",
			      prm.parameter_area_index);
	}
	if (prm.byte_offset > a->size || ti->payload_min > a->size - prm.byte_offset) {
		return reject(p, rec, rec->offset, "byte_offset 0x%x (+%u bytes) outside parameter area %u of 0x%llx bytes",
			      prm.byte_offset, ti->payload_min, prm.parameter_area_index, (unsigned long long)a->size);
	}
	return 0;
}

/* Platforms of one VP_CONTEXT must share a context format. */
static int vp_context_platform(struct parse *p, const struct igvm_record *rec, uint32_t mask, uint8_t *type)
{
	int found = 0;

	for (unsigned int i = 0; i < p->f->platform_count; i++) {
		const struct igvm_platform *pl = &p->f->platforms[i];

		if (!(pl->mask & mask)) {
			continue;
		}
		if (found && pl->type != *type) {
			return reject(p, rec, rec->offset, "one VP_CONTEXT for platforms %s and %s, whose formats differ",
				      platform_name(*type), platform_name(pl->type));
		}
		*type = pl->type;
		found = 1;
	}
	return 0;
}

static int check_vbs_registers(struct parse *p, const struct igvm_record *rec, uint32_t file_offset, uint32_t mask)
{
	struct igvm_vbs_vp_context_header h;
	uint64_t need;
	uint8_t highest_vtl = 0;

	if (check_data(p, rec, "VBS VP context header", file_offset, sizeof(h))) {
		return -1;
	}
	memcpy(&h, p->data + file_offset, sizeof(h));
	need = sizeof(h) + (uint64_t)h.register_count * sizeof(struct igvm_vbs_vp_context_register);
	if (need > p->size - file_offset) {
		return reject(p, rec, rec->offset,
			      "VBS register_count %u needs 0x%llx bytes at 0x%x, the file has 0x%zx after it",
			      h.register_count, (unsigned long long)need, file_offset, p->size - file_offset);
	}
	for (unsigned int i = 0; i < p->f->platform_count; i++) {
		if (p->f->platforms[i].mask & mask) {
			highest_vtl = p->f->platforms[i].highest_vtl;
		}
	}
	for (uint32_t i = 0; i < h.register_count; i++) {
		struct igvm_vbs_vp_context_register r;
		uint32_t at = file_offset + (uint32_t)sizeof(h) + i * (uint32_t)sizeof(r);
		static const uint8_t zeros[sizeof(r.mbz)];

		memcpy(&r, p->data + at, sizeof(r));
		if (memcmp(r.mbz, zeros, sizeof(zeros)) != 0) {
			return reject(p, rec, at, "VBS register %u (name 0x%x): reserved bytes not zero", i,
				      r.register_name);
		}
		if (r.vtl > highest_vtl) {
			return reject(p, rec, at, "VBS register %u for VTL %u, above the platform's highest VTL %u", i,
				      r.vtl, highest_vtl);
		}
	}
	return 0;
}

static int check_vp_context(struct parse *p, const struct igvm_record *rec)
{
	struct igvm_vhs_vp_context vp;
	struct igvm_record prev;
	uint64_t cursor = 0;
	uint8_t type = 0;
	uint32_t need;

	memcpy(&vp, rec->body, sizeof(vp));
	if (vp.reserved != 0) {
		return reject(p, rec, rec->offset, "reserved field is 0x%x, not zero", vp.reserved);
	}
	if (vp_context_platform(p, rec, vp.compatibility_mask, &type)) {
		return -1;
	}
	if (vp.file_offset == 0) {
		return reject(p, rec, rec->offset, "VP context without data (file_offset 0)");
	}
	switch (type) {
	case IGVM_PLATFORM_TDX:
		return reject(p, rec, rec->offset, "TDX starts from architectural reset state, not a VP context");
	case IGVM_PLATFORM_SEV_SNP:
		if (!is_page_aligned(vp.gpa)) {
			return reject(p, rec, rec->offset, "VMSA GPA 0x%llx is not page-aligned",
				      (unsigned long long)vp.gpa);
		}
		break;
	default:
		if (vp.gpa != 0) {
			return reject(p, rec, rec->offset, "GPA 0x%llx must be 0 on %s", (unsigned long long)vp.gpa,
				      platform_name(type));
		}
	}
	if (type == IGVM_PLATFORM_VSM_ISOLATION) {
		if (check_vbs_registers(p, rec, vp.file_offset, vp.compatibility_mask)) {
			return -1;
		}
	} else {
		need = vp_context_fixed_size(type, p->f->arch);
		if (check_data(p, rec, "VP context", vp.file_offset, need)) {
			return -1;
		}
	}
	while (walk_next(p->data, p->f->variable_header_offset, rec->offset - p->f->variable_header_offset, &cursor,
			 &prev)) {
		struct igvm_vhs_vp_context other;

		if (prev.type != IGVM_VHT_VP_CONTEXT) {
			continue;
		}
		memcpy(&other, prev.body, sizeof(other));
		if ((other.compatibility_mask & vp.compatibility_mask) && other.vp_index == vp.vp_index) {
			return reject(p, rec, rec->offset, "second VP context for VP %u on mask 0x%x (first: record %u)",
				      vp.vp_index, other.compatibility_mask & vp.compatibility_mask, prev.index);
		}
	}
	return 0;
}

static int check_required_memory(struct parse *p, const struct igvm_record *rec)
{
	struct igvm_vhs_required_memory rm;

	memcpy(&rm, rec->body, sizeof(rm));
	if (!is_page_aligned(rm.gpa) || rm.number_of_bytes == 0 || !is_page_aligned(rm.number_of_bytes) ||
	    rm.gpa > UINT64_MAX - rm.number_of_bytes) {
		return reject(p, rec, rec->offset, "GPA 0x%llx + 0x%x is not a non-empty page-aligned range",
			      (unsigned long long)rm.gpa, rm.number_of_bytes);
	}
	if (rm.flags & ~IGVM_REQUIRED_MEMORY_VTL2_PROTECTABLE) {
		return reject(p, rec, rec->offset, "unknown flags 0x%x", rm.flags);
	}
	if (rm.reserved != 0) {
		return reject(p, rec, rec->offset, "reserved field is 0x%x, not zero", rm.reserved);
	}
	return 0;
}

static int check_record(struct parse *p, const struct igvm_record *rec, int optional)
{
	const struct type_info *ti = type_lookup(rec->type);
	enum record_class cls = type_class(rec->type);
	int known = ti && ti->size != 0;

	if (!known && !optional) {
		if (ti) {
			return reject(p, rec, rec->offset, "type 0x%x is not supported and not marked optional",
				      rec->type);
		}
		return reject(p, rec, rec->offset, "unknown type 0x%x without the optional bit", rec->type);
	}
	if (cls != CLASS_NONE) {
		if (cls < p->phase) {
			return reject(p, rec, rec->offset, "%s record after %s records", class_names[cls],
				      class_names[p->phase]);
		}
		p->phase = cls;
	}
	if (!known) {
		return 0; /* an optional record this reader may skip */
	}
	if (rec->length != ti->size) {
		return reject(p, rec, rec->offset, "body is %u bytes, expected %u", rec->length, ti->size);
	}
	if (ti->mask_offset >= 0 && rec->type != IGVM_VHT_SUPPORTED_PLATFORM &&
	    check_mask(p, rec, body_u32(rec, (size_t)ti->mask_offset))) {
		return -1;
	}
	switch (rec->type) {
	case IGVM_VHT_SUPPORTED_PLATFORM:
		return check_platform(p, rec);
	case IGVM_VHT_GUEST_POLICY: {
		struct igvm_vhs_guest_policy gp;

		memcpy(&gp, rec->body, sizeof(gp));
		if (gp.reserved != 0) {
			return reject(p, rec, rec->offset, "reserved field is 0x%x, not zero", gp.reserved);
		}
		return 0;
	}
	case IGVM_VHT_RELOCATABLE_REGION:
		return check_relocatable_region(p, rec);
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION:
		return check_page_table_relocation(p, rec);
	case IGVM_VHT_PARAMETER_AREA:
		return check_parameter_area(p, rec);
	case IGVM_VHT_PAGE_DATA:
		return check_page_data(p, rec);
	case IGVM_VHT_PARAMETER_INSERT:
		return check_parameter_insert(p, rec);
	case IGVM_VHT_VP_CONTEXT:
		return check_vp_context(p, rec);
	case IGVM_VHT_REQUIRED_MEMORY:
		return check_required_memory(p, rec);
	}
	return check_parameter(p, rec, ti); /* the IGVM_VHS_PARAMETER types */
}

/* The fixed header: sizes, offsets and the CRC-32 over the fixed header
 * (checksum field zero) followed by the variable header. */
static int check_fixed_header(struct parse *p, struct igvm_fixed_header *h)
{
	struct igvm_fixed_header zeroed;
	uLong crc;

	if (p->size < sizeof(*h)) {
		return reject(p, NULL, 0, "file is %zu bytes, smaller than the %zu-byte fixed header", p->size,
			      sizeof(*h));
	}
	memcpy(h, p->data, sizeof(*h));
	if (h->magic != IGVM_MAGIC) {
		return reject(p, NULL, offsetof(struct igvm_fixed_header, magic), "bad magic 0x%08x, expected 0x%08x",
			      h->magic, IGVM_MAGIC);
	}
	if (h->format_version != IGVM_FORMAT_VERSION_1) {
		return reject(p, NULL, offsetof(struct igvm_fixed_header, format_version),
			      "format version %u is not supported (only %u)", h->format_version, IGVM_FORMAT_VERSION_1);
	}
	if (h->total_file_size != p->size) {
		return reject(p, NULL, offsetof(struct igvm_fixed_header, total_file_size),
			      "total_file_size %u but the file is %zu bytes", h->total_file_size, p->size);
	}
	if (h->variable_header_offset < sizeof(*h) || (h->variable_header_offset & 7) != 0) {
		return reject(p, NULL, offsetof(struct igvm_fixed_header, variable_header_offset),
			      "variable header offset 0x%x is not 8-byte aligned at or after the fixed header",
			      h->variable_header_offset);
	}
	if ((uint64_t)h->variable_header_offset + h->variable_header_size > p->size) {
		return reject(p, NULL, offsetof(struct igvm_fixed_header, variable_header_size),
			      "variable header 0x%x + 0x%x extends past the end of the file (0x%zx bytes)",
			      h->variable_header_offset, h->variable_header_size, p->size);
	}
	zeroed = *h;
	zeroed.checksum = 0;
	crc = crc32(0L, (const Bytef *)&zeroed, sizeof(zeroed));
	crc = crc32(crc, p->data + h->variable_header_offset, h->variable_header_size);
	if ((uint32_t)crc != h->checksum) {
		return reject(p, NULL, offsetof(struct igvm_fixed_header, checksum),
			      "checksum 0x%08x does not match the headers' CRC-32 0x%08x", h->checksum, (uint32_t)crc);
	}
	return 0;
}

int igvm_parse(const void *data, size_t size, enum igvm_arch arch, struct igvm_file *out, struct igvm_error *err)
{
	struct parse p;
	struct igvm_fixed_header h = { 0 };
	uint32_t pos = 0, index = 0;

	memset(&p, 0, sizeof(p));
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	p.data = data;
	p.size = size;
	p.f = out;
	p.err = err;
	p.phase = CLASS_PLATFORM;
	if (arch != IGVM_ARCH_X86_64 && arch != IGVM_ARCH_AARCH64) {
		return reject(&p, NULL, 0, "unknown architecture %d", (int)arch);
	}
	/* total_file_size is 32 bits, and every offset the reader computes
	 * stays below it. */
	if (size > UINT32_MAX) {
		return reject(&p, NULL, 0, "file is %zu bytes, above the format's 4 GiB limit", size);
	}
	if (check_fixed_header(&p, &h)) {
		return -1;
	}
	out->data = data;
	out->size = size;
	out->arch = arch;
	out->variable_header_offset = h.variable_header_offset;
	out->variable_header_size = h.variable_header_size;
	p.data_start = h.variable_header_offset + h.variable_header_size;

	while (pos < h.variable_header_size) {
		struct igvm_vhs_header vh;
		struct igvm_record rec;
		uint32_t at = h.variable_header_offset + pos;
		uint64_t body_end, padded;

		rec.index = index;
		rec.offset = at;
		rec.type = 0;
		rec.length = 0;
		rec.body = NULL;
		if (h.variable_header_size - pos < sizeof(vh)) {
			return reject(&p, &rec, at, "truncated record header: %u bytes left in the variable header",
				      h.variable_header_size - pos);
		}
		memcpy(&vh, p.data + at, sizeof(vh));
		rec.type = vh.type & IGVM_VHT_TYPE_MASK;
		rec.length = vh.length;
		rec.body = p.data + at + sizeof(vh);
		body_end = (uint64_t)pos + sizeof(vh) + vh.length;
		padded = (body_end + 7) & ~(uint64_t)7;
		if (body_end > h.variable_header_size) {
			return reject(&p, &rec, at, "body of %u bytes extends past the end of the variable header (0x%x)",
				      vh.length, h.variable_header_offset + h.variable_header_size);
		}
		if (padded > h.variable_header_size) {
			return reject(&p, &rec, at, "padding after the body extends past the end of the variable header");
		}
		for (uint64_t i = body_end; i < padded; i++) {
			if (p.data[h.variable_header_offset + i] != 0) {
				return reject(&p, &rec, (uint32_t)(h.variable_header_offset + i),
					      "non-zero padding byte 0x%02x after the body",
					      p.data[h.variable_header_offset + i]);
			}
		}
		if (check_record(&p, &rec, (vh.type & IGVM_VHT_OPTIONAL_BIT) != 0)) {
			return -1;
		}
		pos = (uint32_t)padded;
		index++;
	}
	if (out->platform_count == 0) {
		return reject(&p, NULL, h.variable_header_offset, "no SUPPORTED_PLATFORM record");
	}
	out->record_count = index;
	return 0;
}
