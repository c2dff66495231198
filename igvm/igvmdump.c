/* igvmdump: validate an IGVM file with the reader and print every record,
 * the parameter areas and each platform's launch measurements.
 *
 *   igvmdump [--arch x86_64|aarch64] [--json] FILE
 *
 * Text output summarizes runs of contiguous PAGE_DATA records that share a
 * mask, flags and data type as one line; --json lists every record.  Exit
 * status: 0 for a valid file, 1 for an invalid or unreadable one, 2 for a
 * usage error.  A host tool: it reads the file with stdio. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm_measure.h"
#include "igvm_reader.h"

/* --- Output: one tree of objects, arrays and scalars, printed as indented
 * text ("key: k=v k=v" lines) or as JSON. ------------------------------------ */

#define OUT_MAX_DEPTH 16

struct out {
	FILE *fp;
	int json;
	int depth;
	int count[OUT_MAX_DEPTH]; /* elements already written at each depth */
	int started;		  /* text: something was printed */
};

/* A new line at the current depth.  Text has no enclosing braces, so its
 * top level is not indented and its first line has no newline before it. */
static void out_indent(struct out *o)
{
	int depth = o->json ? o->depth : o->depth - 1;

	if (o->json || o->started) {
		fputc('\n', o->fp);
	}
	o->started = 1;
	for (int i = 0; i < depth; i++) {
		fputs("  ", o->fp);
	}
}

static void json_string(struct out *o, const char *s, size_t max)
{
	fputc('"', o->fp);
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			fprintf(o->fp, "\\%c", c);
		} else if (c < 0x20 || c >= 0x7f) {
			fprintf(o->fp, "\\u%04x", c);
		} else {
			fputc(c, o->fp);
		}
	}
	fputc('"', o->fp);
}

/* JSON: separator, newline and "key": for the next element. */
static void json_element(struct out *o, const char *key)
{
	if (o->count[o->depth]++) {
		fputc(',', o->fp);
	}
	out_indent(o);
	if (key) {
		json_string(o, key, SIZE_MAX);
		fputs(": ", o->fp);
	}
}

static void out_open(struct out *o, const char *key, int array)
{
	if (o->json) {
		if (o->depth > 0) {
			json_element(o, key);
		}
		fputc(array ? '[' : '{', o->fp);
	} else if (o->depth > 0 || key) {
		out_indent(o);
		fputs(key ? key : "-", o->fp);
		if (key) {
			fputc(':', o->fp);
		}
	}
	o->depth++;
	o->count[o->depth] = 0;
}

static void out_close(struct out *o, int array)
{
	o->depth--;
	if (o->json) {
		if (o->count[o->depth + 1]) {
			out_indent(o);
		}
		fputc(array ? ']' : '}', o->fp);
	}
}

static void out_object(struct out *o, const char *key)
{
	out_open(o, key, 0);
}

static void out_end_object(struct out *o)
{
	out_close(o, 0);
}

static void out_array(struct out *o, const char *key)
{
	out_open(o, key, 1);
}

static void out_end_array(struct out *o)
{
	out_close(o, 1);
}

static void out_str(struct out *o, const char *key, const char *s, size_t max)
{
	if (o->json) {
		json_element(o, key);
		json_string(o, s, max);
		return;
	}
	fprintf(o->fp, " %s=", key);
	for (size_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		fputc(c >= 0x20 && c < 0x7f ? c : '?', o->fp);
	}
}

static void out_uint(struct out *o, const char *key, unsigned long long v)
{
	if (o->json) {
		json_element(o, key);
		fprintf(o->fp, "%llu", v);
	} else {
		fprintf(o->fp, " %s=%llu", key, v);
	}
}

/* Addresses, masks and flags: hex strings in JSON too, as 64-bit values do
 * not survive JSON numbers in every reader. */
static void out_hex(struct out *o, const char *key, unsigned long long v)
{
	if (o->json) {
		json_element(o, key);
		fprintf(o->fp, "\"0x%llx\"", v);
	} else {
		fprintf(o->fp, " %s=0x%llx", key, v);
	}
}

static void out_bool(struct out *o, const char *key, int v)
{
	if (o->json) {
		json_element(o, key);
		fputs(v ? "true" : "false", o->fp);
	} else {
		fprintf(o->fp, " %s=%s", key, v ? "yes" : "no");
	}
}

static void out_bytes(struct out *o, const char *key, const uint8_t *b, size_t len)
{
	char h[2 * 64 + 1];

	for (size_t i = 0; i < len && i < 64; i++) {
		snprintf(h + 2 * i, 3, "%02x", b[i]);
	}
	out_str(o, key, h, sizeof(h));
}

/* Text only: free-form words after the "-" of a list element. */
static void out_text(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json) {
		return;
	}
	fputc(' ', o->fp);
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
}

/* --- Names ---------------------------------------------------------------- */

static const char *platform_name(uint8_t type)
{
	static const char *const names[] = { "NATIVE", "VSM_ISOLATION", "SEV_SNP", "TDX" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "UNKNOWN";
}

static const char *page_data_type_name(uint16_t type)
{
	static const char *const names[] = { "NORMAL", "SECRETS", "CPUID_DATA", "CPUID_XF" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "UNKNOWN";
}

struct reg_name {
	uint32_t name;
	const char *text;
	int kind; /* 0 scalar, 1 segment, 2 table */
};

static const struct reg_name reg_names[] = {
	{ HV_X64_REGISTER_RSP, "RSP", 0 },    { HV_X64_REGISTER_RBX, "RBX", 0 },
	{ HV_X64_REGISTER_RSI, "RSI", 0 },    { HV_X64_REGISTER_RIP, "RIP", 0 },
	{ HV_X64_REGISTER_RFLAGS, "RFLAGS", 0 }, { HV_X64_REGISTER_CR0, "CR0", 0 },
	{ HV_X64_REGISTER_CR3, "CR3", 0 },    { HV_X64_REGISTER_CR4, "CR4", 0 },
	{ HV_X64_REGISTER_ES, "ES", 1 },      { HV_X64_REGISTER_CS, "CS", 1 },
	{ HV_X64_REGISTER_SS, "SS", 1 },      { HV_X64_REGISTER_DS, "DS", 1 },
	{ HV_X64_REGISTER_FS, "FS", 1 },      { HV_X64_REGISTER_GS, "GS", 1 },
	{ HV_X64_REGISTER_TR, "TR", 1 },      { HV_X64_REGISTER_IDTR, "IDTR", 2 },
	{ HV_X64_REGISTER_GDTR, "GDTR", 2 },  { HV_X64_REGISTER_EFER, "EFER", 0 },
	{ HV_X64_REGISTER_PAT, "PAT", 0 },
};

/* --- VP contexts ------------------------------------------------------------ */

static void dump_native_x64(struct out *o, const uint8_t *data)
{
	static const char *const gpr[16] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
					     "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15" };
	struct igvm_native_vp_context_x64 c;
	uint64_t regs[16];

	memcpy(&c, data, sizeof(c));
	/* rax..r15 are the first 16 fields, in the order of gpr[]. */
	_Static_assert(offsetof(struct igvm_native_vp_context_x64, r15) == 15 * sizeof(uint64_t), "GPRs first");
	memcpy(regs, &c, sizeof(regs));
	out_object(o, "native_x64");
	out_hex(o, "rip", c.rip);
	for (int i = 0; i < 16; i++) {
		out_hex(o, gpr[i], regs[i]);
	}
	out_hex(o, "rflags", c.rflags);
	out_hex(o, "cr0", c.cr0);
	out_hex(o, "cr3", c.cr3);
	out_hex(o, "cr4", c.cr4);
	out_hex(o, "efer", c.efer);
	out_hex(o, "gdtr_base", c.gdtr_base);
	out_hex(o, "gdtr_limit", c.gdtr_limit);
	out_hex(o, "idtr_base", c.idtr_base);
	out_hex(o, "idtr_limit", c.idtr_limit);
	out_hex(o, "code_selector", c.code_selector);
	out_hex(o, "code_attributes", c.code_attributes);
	out_hex(o, "code_base", c.code_base);
	out_hex(o, "code_limit", c.code_limit);
	out_hex(o, "data_selector", c.data_selector);
	out_hex(o, "data_attributes", c.data_attributes);
	out_hex(o, "data_base", c.data_base);
	out_hex(o, "data_limit", c.data_limit);
	out_hex(o, "gs_base", c.gs_base);
	out_end_object(o);
}

static void dump_aarch64(struct out *o, const uint8_t *data)
{
	static const char *const xn[8] = { "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7" };
	struct igvm_vp_context_aarch64 c;

	memcpy(&c, data, sizeof(c));
	out_object(o, "aarch64");
	out_hex(o, "pc", c.pc);
	for (int i = 0; i < 8; i++) {
		out_hex(o, xn[i], c.x[i]);
	}
	out_hex(o, "flags", c.flags);
	out_end_object(o);
}

static void dump_vbs_registers(struct out *o, const uint8_t *data)
{
	struct igvm_vbs_vp_context_header h;

	memcpy(&h, data, sizeof(h));
	out_array(o, "vbs_registers");
	for (uint32_t i = 0; i < h.register_count; i++) {
		struct igvm_vbs_vp_context_register r;
		const struct reg_name *rn = NULL;
		uint64_t lo, hi;

		memcpy(&r, data + sizeof(h) + (size_t)i * sizeof(r), sizeof(r));
		memcpy(&lo, r.value, sizeof(lo));
		memcpy(&hi, r.value + 8, sizeof(hi));
		for (size_t j = 0; j < sizeof(reg_names) / sizeof(reg_names[0]); j++) {
			if (reg_names[j].name == r.register_name) {
				rn = &reg_names[j];
			}
		}
		out_object(o, NULL);
		if (rn) {
			out_text(o, "%s", rn->text);
		}
		out_uint(o, "vtl", r.vtl);
		out_hex(o, "name", r.register_name);
		if (rn && o->json) {
			out_str(o, "register", rn->text, SIZE_MAX);
		}
		if (rn && rn->kind == 1) {
			struct hv_x64_segment_register s;

			memcpy(&s, r.value, sizeof(s));
			out_hex(o, "base", s.base);
			out_hex(o, "limit", s.limit);
			out_hex(o, "selector", s.selector);
			out_hex(o, "attributes", s.attributes);
		} else if (rn && rn->kind == 2) {
			struct hv_x64_table_register t;

			memcpy(&t, r.value, sizeof(t));
			out_hex(o, "base", t.base);
			out_hex(o, "limit", t.limit);
		} else {
			out_hex(o, "value", lo);
			if (hi) {
				out_hex(o, "value_high", hi);
			}
		}
		out_end_object(o);
	}
	out_end_array(o);
}

static void dump_vp_context(struct out *o, const struct igvm_file *f, const struct igvm_record *rec, uint32_t mask)
{
	size_t len;
	const uint8_t *data = igvm_record_data(f, rec, &len);
	uint8_t type = 0xff;

	for (unsigned int i = 0; i < f->platform_count; i++) {
		if (f->platforms[i].mask & mask) {
			type = f->platforms[i].type;
		}
	}
	if (!data) {
		return;
	}
	if (type == IGVM_PLATFORM_VSM_ISOLATION) {
		dump_vbs_registers(o, data);
	} else if (type == IGVM_PLATFORM_NATIVE && f->arch == IGVM_ARCH_X86_64) {
		dump_native_x64(o, data);
	} else if (type == IGVM_PLATFORM_NATIVE) {
		dump_aarch64(o, data);
	} else {
		out_object(o, "vmsa");
		out_uint(o, "bytes", len);
		out_end_object(o);
	}
}

/* --- Records ---------------------------------------------------------------- */

static void record_head(struct out *o, const struct igvm_record *rec, int optional)
{
	out_object(o, NULL);
	out_text(o, "[%u] 0x%x %s", rec->index, rec->offset, igvm_type_name(rec->type));
	if (o->json) {
		out_uint(o, "index", rec->index);
		out_hex(o, "offset", rec->offset);
		out_str(o, "type", igvm_type_name(rec->type), SIZE_MAX);
		out_hex(o, "type_value", rec->type);
	}
	if (optional) {
		out_bool(o, "optional", 1);
	}
}

static int record_is_optional(const struct igvm_file *f, const struct igvm_record *rec)
{
	uint32_t raw;

	memcpy(&raw, f->data + rec->offset, sizeof(raw));
	return (raw & IGVM_VHT_OPTIONAL_BIT) != 0;
}

static void dump_record_fields(struct out *o, const struct igvm_file *f, const struct igvm_record *rec)
{
	switch (rec->type) {
	case IGVM_VHT_SUPPORTED_PLATFORM: {
		struct igvm_vhs_supported_platform r;

		memcpy(&r, rec->body, sizeof(r));
		out_hex(o, "mask", r.compatibility_mask);
		out_str(o, "platform", platform_name(r.platform_type), SIZE_MAX);
		out_uint(o, "highest_vtl", r.highest_vtl);
		out_uint(o, "version", r.platform_version);
		out_hex(o, "shared_gpa_boundary", r.shared_gpa_boundary);
		return;
	}
	case IGVM_VHT_GUEST_POLICY: {
		struct igvm_vhs_guest_policy r;

		memcpy(&r, rec->body, sizeof(r));
		out_hex(o, "mask", r.compatibility_mask);
		out_hex(o, "policy", r.policy);
		return;
	}
	case IGVM_VHT_RELOCATABLE_REGION: {
		struct igvm_vhs_relocatable_region r;

		memcpy(&r, rec->body, sizeof(r));
		out_hex(o, "mask", r.compatibility_mask);
		out_hex(o, "gpa", r.relocation_region_gpa);
		out_hex(o, "size", r.relocation_region_size);
		out_hex(o, "alignment", r.relocation_alignment);
		out_hex(o, "minimum_gpa", r.minimum_relocation_gpa);
		out_hex(o, "maximum_gpa", r.maximum_relocation_gpa);
		out_uint(o, "vp_index", r.vp_index);
		out_uint(o, "vtl", r.vtl);
		out_hex(o, "flags", r.flags);
		out_bool(o, "is_vtl2", (r.flags & IGVM_RELOC_FLAG_IS_VTL2) != 0);
		out_bool(o, "apply_pc", (r.flags & IGVM_RELOC_FLAG_APPLY_PC) != 0);
		out_bool(o, "apply_gdtr", (r.flags & IGVM_RELOC_FLAG_APPLY_GDTR) != 0);
		return;
	}
	case IGVM_VHT_PAGE_TABLE_RELOCATION_REGION: {
		struct igvm_vhs_page_table_relocation r;

		memcpy(&r, rec->body, sizeof(r));
		out_hex(o, "mask", r.compatibility_mask);
		out_hex(o, "gpa", r.gpa);
		out_hex(o, "size", r.size);
		out_hex(o, "used_size", r.used_size);
		out_uint(o, "vp_index", r.vp_index);
		out_uint(o, "vtl", r.vtl);
		return;
	}
	case IGVM_VHT_PARAMETER_AREA: {
		struct igvm_vhs_parameter_area r;

		memcpy(&r, rec->body, sizeof(r));
		out_uint(o, "area", r.parameter_area_index);
		out_hex(o, "bytes", r.number_of_bytes);
		out_hex(o, "file_offset", r.file_offset);
		return;
	}
	case IGVM_VHT_PAGE_DATA: {
		struct igvm_vhs_page_data r;

		memcpy(&r, rec->body, sizeof(r));
		out_hex(o, "gpa", r.gpa);
		out_hex(o, "mask", r.compatibility_mask);
		out_hex(o, "flags", r.flags);
		out_str(o, "data_type", page_data_type_name(r.data_type), SIZE_MAX);
		out_hex(o, "file_offset", r.file_offset);
		return;
	}
	case IGVM_VHT_PARAMETER_INSERT: {
		struct igvm_vhs_parameter_insert r;

		memcpy(&r, rec->body, sizeof(r));
		out_hex(o, "gpa", r.gpa);
		out_hex(o, "mask", r.compatibility_mask);
		out_uint(o, "area", r.parameter_area_index);
		return;
	}
	case IGVM_VHT_VP_CONTEXT: {
		struct igvm_vhs_vp_context r;

		memcpy(&r, rec->body, sizeof(r));
		out_hex(o, "gpa", r.gpa);
		out_hex(o, "mask", r.compatibility_mask);
		out_uint(o, "vp_index", r.vp_index);
		out_hex(o, "file_offset", r.file_offset);
		dump_vp_context(o, f, rec, r.compatibility_mask);
		return;
	}
	case IGVM_VHT_REQUIRED_MEMORY: {
		struct igvm_vhs_required_memory r;

		memcpy(&r, rec->body, sizeof(r));
		out_hex(o, "gpa", r.gpa);
		out_hex(o, "mask", r.compatibility_mask);
		out_hex(o, "bytes", r.number_of_bytes);
		out_bool(o, "vtl2_protectable", (r.flags & IGVM_REQUIRED_MEMORY_VTL2_PROTECTABLE) != 0);
		return;
	}
	}
	if (igvm_record_applies(rec, 0)) { /* no mask: an IGVM_VHS_PARAMETER type */
		struct igvm_vhs_parameter r;

		memcpy(&r, rec->body, sizeof(r));
		out_uint(o, "area", r.parameter_area_index);
		out_hex(o, "byte_offset", r.byte_offset);
		return;
	}
	out_uint(o, "length", rec->length); /* an optional record the reader skipped */
}

/* A run of PAGE_DATA records starting at first: contiguous GPAs, one mask,
 * flags and data type.  Returns the number of records in it. */
static uint32_t page_run(const struct igvm_file *f, uint64_t cursor, const struct igvm_record *first,
			 uint32_t *zero_pages, uint64_t *last_gpa)
{
	struct igvm_vhs_page_data a, b;
	struct igvm_record rec;
	uint32_t n = 1;

	memcpy(&a, first->body, sizeof(a));
	*zero_pages = a.file_offset == 0;
	*last_gpa = a.gpa;
	while (igvm_record_next(f, &cursor, &rec) && rec.type == IGVM_VHT_PAGE_DATA) {
		memcpy(&b, rec.body, sizeof(b));
		if (b.compatibility_mask != a.compatibility_mask || b.flags != a.flags || b.data_type != a.data_type ||
		    b.gpa != *last_gpa + IGVM_PAGE_SIZE) {
			break;
		}
		*last_gpa = b.gpa;
		*zero_pages += b.file_offset == 0;
		n++;
	}
	return n;
}

static void dump_records(struct out *o, const struct igvm_file *f)
{
	struct igvm_record rec;
	uint64_t cursor = 0;

	out_array(o, "records");
	while (igvm_record_next(f, &cursor, &rec)) {
		struct igvm_vhs_page_data pd;
		uint32_t n, zeros;
		uint64_t last;

		if (o->json || rec.type != IGVM_VHT_PAGE_DATA ||
		    (n = page_run(f, cursor, &rec, &zeros, &last)) == 1) {
			record_head(o, &rec, record_is_optional(f, &rec));
			dump_record_fields(o, f, &rec);
			out_end_object(o);
			continue;
		}
		memcpy(&pd, rec.body, sizeof(pd));
		out_object(o, NULL);
		out_text(o, "[%u-%u] 0x%x PAGE_DATA x %u gpa 0x%llx..0x%llx", rec.index, rec.index + n - 1, rec.offset, n,
			 (unsigned long long)pd.gpa, (unsigned long long)(last + IGVM_PAGE_SIZE - 1));
		out_hex(o, "mask", pd.compatibility_mask);
		out_hex(o, "flags", pd.flags);
		out_str(o, "data_type", page_data_type_name(pd.data_type), SIZE_MAX);
		out_uint(o, "zero_pages", zeros);
		out_end_object(o);
		for (uint32_t i = 1; i < n; i++) {
			igvm_record_next(f, &cursor, &rec);
		}
	}
	out_end_array(o);
}

/* --- Parameter areas, platforms, measurements -------------------------------- */

static void dump_area(struct out *o, const struct igvm_file *f, const struct igvm_vhs_parameter_area *area,
		      const struct igvm_record *area_rec)
{
	struct igvm_record rec;
	uint64_t cursor = 0;
	size_t len;
	const uint8_t *initial = igvm_record_data(f, area_rec, &len);

	out_object(o, NULL);
	out_text(o, "area %u", area->parameter_area_index);
	if (o->json) {
		out_uint(o, "area", area->parameter_area_index);
	}
	out_hex(o, "bytes", area->number_of_bytes);
	out_bool(o, "initial_data", initial != NULL);
	out_array(o, "uses");
	while (igvm_record_next(f, &cursor, &rec)) {
		if (rec.type == IGVM_VHT_PARAMETER_INSERT) {
			struct igvm_vhs_parameter_insert pi;

			memcpy(&pi, rec.body, sizeof(pi));
			if (pi.parameter_area_index != area->parameter_area_index) {
				continue;
			}
			record_head(o, &rec, 0);
			out_hex(o, "gpa", pi.gpa);
			out_hex(o, "mask", pi.compatibility_mask);
			out_end_object(o);
		} else if (rec.type != IGVM_VHT_PARAMETER_AREA && igvm_record_applies(&rec, 0)) {
			struct igvm_vhs_parameter prm;

			memcpy(&prm, rec.body, sizeof(prm));
			if (prm.parameter_area_index != area->parameter_area_index) {
				continue;
			}
			record_head(o, &rec, 0);
			out_hex(o, "byte_offset", prm.byte_offset);
			if (rec.type == IGVM_VHT_COMMAND_LINE && initial) {
				out_str(o, "initial", (const char *)initial + prm.byte_offset,
					(size_t)(area->number_of_bytes - prm.byte_offset));
			}
			out_end_object(o);
		}
	}
	out_end_array(o);
	out_end_object(o);
}

static void dump_areas(struct out *o, const struct igvm_file *f)
{
	struct igvm_record rec;
	uint64_t cursor = 0;

	out_array(o, "parameter_areas");
	while (igvm_record_next(f, &cursor, &rec)) {
		struct igvm_vhs_parameter_area area;

		if (rec.type != IGVM_VHT_PARAMETER_AREA) {
			continue;
		}
		memcpy(&area, rec.body, sizeof(area));
		dump_area(o, f, &area, &rec);
	}
	out_end_array(o);
}

static void dump_measurements(struct out *o, const struct igvm_file *f)
{
	out_array(o, "measurements");
	for (unsigned int i = 0; i < f->platform_count; i++) {
		const struct igvm_platform *p = &f->platforms[i];
		struct igvm_error err;
		uint8_t vbs[32], snp[48];

		out_object(o, NULL);
		out_text(o, "%s", platform_name(p->type));
		if (o->json) {
			out_str(o, "platform", platform_name(p->type), SIZE_MAX);
		}
		out_hex(o, "mask", p->mask);
		if (p->type == IGVM_PLATFORM_VSM_ISOLATION || p->type == IGVM_PLATFORM_NATIVE) {
			if (igvm_measure_vbs(f, p->mask, vbs, &err) == 0) {
				out_bytes(o, "vbs_boot_digest", vbs, sizeof(vbs));
			} else {
				out_str(o, "vbs_boot_digest_error", err.message, sizeof(err.message));
			}
		}
		if (igvm_measure_snp(f, p->mask, snp, &err) == 0) {
			out_bytes(o, "snp_launch_digest", snp, sizeof(snp));
		} else {
			out_str(o, "snp_launch_digest_error", err.message, sizeof(err.message));
		}
		out_end_object(o);
	}
	out_end_array(o);
}

static void dump(struct out *o, const char *path, const struct igvm_file *f)
{
	struct igvm_fixed_header h;

	memcpy(&h, f->data, sizeof(h));
	out_object(o, NULL);
	out_object(o, "file");
	out_str(o, "path", path, SIZE_MAX);
	out_uint(o, "size", f->size);
	out_str(o, "arch", f->arch == IGVM_ARCH_AARCH64 ? "aarch64" : "x86_64", SIZE_MAX);
	out_uint(o, "records", f->record_count);
	out_end_object(o);
	out_object(o, "header");
	out_hex(o, "magic", h.magic);
	out_uint(o, "format_version", h.format_version);
	out_hex(o, "variable_header_offset", h.variable_header_offset);
	out_hex(o, "variable_header_size", h.variable_header_size);
	out_hex(o, "total_file_size", h.total_file_size);
	out_hex(o, "checksum", h.checksum);
	out_end_object(o);
	out_array(o, "platforms");
	for (unsigned int i = 0; i < f->platform_count; i++) {
		out_object(o, NULL);
		out_text(o, "%s", platform_name(f->platforms[i].type));
		if (o->json) {
			out_str(o, "platform", platform_name(f->platforms[i].type), SIZE_MAX);
		}
		out_hex(o, "mask", f->platforms[i].mask);
		out_uint(o, "highest_vtl", f->platforms[i].highest_vtl);
		out_end_object(o);
	}
	out_end_array(o);
	dump_records(o, f);
	dump_areas(o, f);
	dump_measurements(o, f);
	out_end_object(o);
	fputc('\n', o->fp);
}

/* --- Main -------------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, len = 0;

	if (!fp) {
		return NULL;
	}
	for (;;) {
		size_t n;

		if (len == cap) {
			uint8_t *bigger;

			cap = cap ? cap * 2 : 1 << 20;
			bigger = realloc(buf, cap);
			if (!bigger) {
				free(buf);
				fclose(fp);
				return NULL;
			}
			buf = bigger;
		}
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		if (n == 0) {
			break;
		}
	}
	if (ferror(fp)) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	*size = len;
	return buf;
}

static int usage(void)
{
	fprintf(stderr, "usage: igvmdump [--arch x86_64|aarch64] [--json] FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	enum igvm_arch arch = IGVM_ARCH_X86_64;
	struct out o = { .fp = stdout };
	const char *path = NULL;
	struct igvm_file f;
	struct igvm_error err;
	uint8_t *data;
	size_t size = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			o.json = 1;
		} else if (strcmp(argv[i], "--arch") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "x86_64") == 0) {
				arch = IGVM_ARCH_X86_64;
			} else if (strcmp(argv[i], "aarch64") == 0) {
				arch = IGVM_ARCH_AARCH64;
			} else {
				return usage();
			}
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			return usage();
		}
	}
	if (!path) {
		return usage();
	}
	data = read_file(path, &size);
	if (!data) {
		fprintf(stderr, "igvmdump: %s: %s\n", path, strerror(errno ? errno : EIO));
		return 1;
	}
	if (igvm_parse(data, size, arch, &f, &err) != 0) {
		fprintf(stderr, "igvmdump: %s: invalid IGVM file: %s\n", path, err.message);
		free(data);
		return 1;
	}
	dump(&o, path, &f);
	free(data);
	return 0;
}
