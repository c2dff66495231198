/* The IGVM test-file builder; see igvm_builder.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "igvm_builder.h"

static void ib_die(const char *what)
{
	fprintf(stderr, "igvm_builder: %s\n", what);
	abort();
}

void ib_init(struct igvm_builder *b)
{
	memset(b, 0, sizeof(*b));
}

void ib_free(struct igvm_builder *b)
{
	for (unsigned int i = 0; i < b->blob_count; i++) {
		free(b->blobs[i]);
	}
	free(b->file);
	memset(b, 0, sizeof(*b));
}

int ib_blob(struct igvm_builder *b, const void *bytes, size_t len)
{
	if (b->blob_count >= IB_MAX_BLOBS) {
		ib_die("too many blobs");
	}
	b->blobs[b->blob_count] = malloc(len ? len : 1);
	if (!b->blobs[b->blob_count]) {
		ib_die("out of memory");
	}
	memcpy(b->blobs[b->blob_count], bytes, len);
	b->blob_len[b->blob_count] = len;
	return (int)b->blob_count++;
}

int ib_blob_page(struct igvm_builder *b, uint32_t seed)
{
	uint8_t page[IGVM_PAGE_SIZE];

	/* Distinct per seed and not all zero, so a swapped page changes a digest. */
	for (uint32_t i = 0; i < sizeof(page); i++) {
		page[i] = (uint8_t)((i * 7u + seed * 13u + (i >> 8)) ^ seed);
	}
	return ib_blob(b, page, sizeof(page));
}

int ib_record(struct igvm_builder *b, uint32_t type, const void *body, uint32_t length)
{
	struct ib_record *r;

	if (b->record_count >= IB_MAX_RECORDS || length > IB_MAX_BODY) {
		ib_die("too many records or body too long");
	}
	r = &b->records[b->record_count];
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->length = length;
	memcpy(r->body, body, length);
	r->blob = IB_NO_BLOB;
	return (int)b->record_count++;
}

void ib_record_ref(struct igvm_builder *b, int rec, uint32_t field, int blob)
{
	b->records[rec].blob = blob;
	b->records[rec].offset_field = field;
}

int ib_platform(struct igvm_builder *b, uint32_t mask, uint8_t type, uint8_t highest_vtl)
{
	struct igvm_vhs_supported_platform p = {
		.compatibility_mask = mask,
		.highest_vtl = highest_vtl,
		.platform_type = type,
		.platform_version = IGVM_PLATFORM_VERSION,
	};

	return ib_record(b, IGVM_VHT_SUPPORTED_PLATFORM, &p, sizeof(p));
}

int ib_reloc(struct igvm_builder *b, uint32_t mask, uint64_t gpa, uint64_t size, uint64_t align, uint64_t min,
	     uint64_t max)
{
	struct igvm_vhs_relocatable_region r = {
		.compatibility_mask = mask,
		.vp_index = 0,
		.vtl = 2,
		.flags = IGVM_RELOC_FLAG_IS_VTL2 | IGVM_RELOC_FLAG_APPLY_PC,
		.relocation_alignment = align,
		.relocation_region_gpa = gpa,
		.relocation_region_size = size,
		.minimum_relocation_gpa = min,
		.maximum_relocation_gpa = max,
	};

	return ib_record(b, IGVM_VHT_RELOCATABLE_REGION, &r, sizeof(r));
}

int ib_area(struct igvm_builder *b, uint32_t index, uint64_t bytes, int blob)
{
	struct igvm_vhs_parameter_area a = { .number_of_bytes = bytes, .parameter_area_index = index };
	int rec = ib_record(b, IGVM_VHT_PARAMETER_AREA, &a, sizeof(a));

	if (blob != IB_NO_BLOB) {
		ib_record_ref(b, rec, offsetof(struct igvm_vhs_parameter_area, file_offset), blob);
	}
	return rec;
}

int ib_param(struct igvm_builder *b, uint32_t type, uint32_t index, uint32_t byte_offset)
{
	struct igvm_vhs_parameter p = { .parameter_area_index = index, .byte_offset = byte_offset };

	return ib_record(b, type, &p, sizeof(p));
}

int ib_page(struct igvm_builder *b, uint64_t gpa, uint32_t mask, uint32_t flags, uint16_t data_type, int blob)
{
	struct igvm_vhs_page_data p = {
		.gpa = gpa, .compatibility_mask = mask, .flags = flags, .data_type = data_type,
	};
	int rec = ib_record(b, IGVM_VHT_PAGE_DATA, &p, sizeof(p));

	if (blob != IB_NO_BLOB) {
		ib_record_ref(b, rec, offsetof(struct igvm_vhs_page_data, file_offset), blob);
	}
	return rec;
}

int ib_insert(struct igvm_builder *b, uint64_t gpa, uint32_t mask, uint32_t index)
{
	struct igvm_vhs_parameter_insert p = { .gpa = gpa, .compatibility_mask = mask, .parameter_area_index = index };

	return ib_record(b, IGVM_VHT_PARAMETER_INSERT, &p, sizeof(p));
}

int ib_required(struct igvm_builder *b, uint64_t gpa, uint32_t mask, uint32_t bytes, uint32_t flags)
{
	struct igvm_vhs_required_memory r = {
		.gpa = gpa, .compatibility_mask = mask, .number_of_bytes = bytes, .flags = flags,
	};

	return ib_record(b, IGVM_VHT_REQUIRED_MEMORY, &r, sizeof(r));
}

int ib_vp_context(struct igvm_builder *b, uint64_t gpa, uint32_t mask, uint16_t vp_index, int blob)
{
	struct igvm_vhs_vp_context v = { .gpa = gpa, .compatibility_mask = mask, .vp_index = vp_index };
	int rec = ib_record(b, IGVM_VHT_VP_CONTEXT, &v, sizeof(v));

	if (blob != IB_NO_BLOB) {
		ib_record_ref(b, rec, offsetof(struct igvm_vhs_vp_context, file_offset), blob);
	}
	return rec;
}

int ib_blob_native_x64(struct igvm_builder *b, uint64_t rip, uint64_t rsp)
{
	struct igvm_native_vp_context_x64 c;
	uint8_t page[IGVM_PAGE_SIZE];

	memset(&c, 0, sizeof(c));
	c.rip = rip;
	c.rsp = rsp;
	c.rsi = 0x3f0000;
	c.rflags = 0x2;
	c.code_selector = 0x8;
	c.code_attributes = 0xa09b;
	c.code_limit = 0xffffffff;
	c.data_selector = 0x10;
	c.data_attributes = 0xc093;
	c.data_limit = 0xffffffff;
	c.gdtr_base = 0x201000;
	c.gdtr_limit = 0x17;
	c.cr0 = 0x80010033;
	c.cr3 = 0x202000;
	c.cr4 = 0x20;
	c.efer = 0xd00;
	/* Padded to a page in the file, as the format's writers do. */
	memset(page, 0, sizeof(page));
	memcpy(page, &c, sizeof(c));
	return ib_blob(b, page, sizeof(page));
}

int ib_blob_aarch64(struct igvm_builder *b, uint64_t pc, uint64_t x0)
{
	struct igvm_vp_context_aarch64 c;
	uint8_t page[IGVM_PAGE_SIZE];

	memset(&c, 0, sizeof(c));
	c.pc = pc;
	c.x[0] = x0;
	memset(page, 0, sizeof(page));
	memcpy(page, &c, sizeof(c));
	return ib_blob(b, page, sizeof(page));
}

int ib_blob_vbs(struct igvm_builder *b, const struct ib_vbs_reg *regs, uint32_t count)
{
	size_t len = sizeof(struct igvm_vbs_vp_context_header) + (size_t)count * sizeof(struct igvm_vbs_vp_context_register);
	uint8_t *buf = calloc(1, len);
	struct igvm_vbs_vp_context_header h = { .register_count = count };
	int blob;

	if (!buf) {
		ib_die("out of memory");
	}
	memcpy(buf, &h, sizeof(h));
	for (uint32_t i = 0; i < count; i++) {
		struct igvm_vbs_vp_context_register r;

		memset(&r, 0, sizeof(r));
		r.vtl = regs[i].vtl;
		r.register_name = regs[i].name;
		memcpy(r.value, &regs[i].lo, 8);
		memcpy(r.value + 8, &regs[i].hi, 8);
		memcpy(buf + sizeof(h) + i * sizeof(r), &r, sizeof(r));
	}
	blob = ib_blob(b, buf, len);
	free(buf);
	return blob;
}

void ib_fix_crc(uint8_t *file, size_t size)
{
	struct igvm_fixed_header h;
	uLong crc;

	if (size < sizeof(h)) {
		return;
	}
	memcpy(&h, file, sizeof(h));
	h.checksum = 0;
	crc = crc32(0L, (const Bytef *)&h, sizeof(h));
	if ((uint64_t)h.variable_header_offset + h.variable_header_size <= size) {
		crc = crc32(crc, file + h.variable_header_offset, h.variable_header_size);
	}
	h.checksum = (uint32_t)crc;
	memcpy(file, &h, sizeof(h));
}

void ib_finish(struct igvm_builder *b)
{
	struct igvm_fixed_header h;
	uint32_t vh_size = 0, pos, data_start;
	size_t size;

	for (unsigned int i = 0; i < b->record_count; i++) {
		uint32_t len = (uint32_t)sizeof(struct igvm_vhs_header) + b->records[i].length;

		vh_size += b->records[i].unpadded ? len : (len + 7u) & ~7u;
	}
	data_start = (uint32_t)sizeof(h) + vh_size;
	size = data_start;
	for (unsigned int i = 0; i < b->blob_count; i++) {
		b->blob_offset[i] = (uint32_t)size;
		size += b->blob_len[i];
	}
	free(b->file);
	b->file = calloc(1, size);
	if (!b->file) {
		ib_die("out of memory");
	}
	b->size = size;
	pos = sizeof(h);
	for (unsigned int i = 0; i < b->record_count; i++) {
		struct ib_record *r = &b->records[i];
		struct igvm_vhs_header vh = { .type = r->type, .length = r->length };
		uint32_t len = (uint32_t)sizeof(vh) + r->length;

		if (r->blob != IB_NO_BLOB) {
			memcpy(r->body + r->offset_field, &b->blob_offset[r->blob], sizeof(uint32_t));
		}
		b->record_offset[i] = pos;
		memcpy(b->file + pos, &vh, sizeof(vh));
		memcpy(b->file + pos + sizeof(vh), r->body, r->length);
		pos += r->unpadded ? len : (len + 7u) & ~7u;
	}
	for (unsigned int i = 0; i < b->blob_count; i++) {
		memcpy(b->file + b->blob_offset[i], b->blobs[i], b->blob_len[i]);
	}
	memset(&h, 0, sizeof(h));
	h.magic = IGVM_MAGIC;
	h.format_version = IGVM_FORMAT_VERSION_1;
	h.variable_header_offset = sizeof(h);
	h.variable_header_size = vh_size;
	h.total_file_size = (uint32_t)size;
	memcpy(b->file, &h, sizeof(h));
	ib_fix_crc(b->file, b->size);
}

void igvm_sample_build(struct igvm_builder *b, enum igvm_arch arch)
{
	static const char cmdline[] = "hillock.log=info";
	uint8_t area0[IGVM_PAGE_SIZE];
	const uint32_t both = SAMPLE_MASK_NATIVE | SAMPLE_MASK_VSM;
	const struct ib_vbs_reg regs[SAMPLE_VBS_REGISTERS] = {
		{ 2, HV_X64_REGISTER_RIP, 0x200000, 0 },
		{ 2, HV_X64_REGISTER_RSP, 0x204ff0, 0 },
		{ 2, HV_X64_REGISTER_CR0, 0x80010033, 0 },
		/* CS: base 0, limit 0xffffffff, selector 8, attributes 0xa09b */
		{ 2, HV_X64_REGISTER_CS, 0, 0xa09b0008ffffffffull },
		/* GDTR: limit 0x17 at bytes 6-7, base 0x201000 */
		{ 2, HV_X64_REGISTER_GDTR, 0x0017000000000000ull, 0x201000 },
	};
	int blob_area0, data[5], vp_native, vp_vsm;

	memset(area0, 0, sizeof(area0));
	memcpy(area0 + 0x100, cmdline, sizeof(cmdline));
	blob_area0 = ib_blob(b, area0, sizeof(area0));
	for (int i = 0; i < 5; i++) {
		data[i] = ib_blob_page(b, (uint32_t)i + 1);
	}
	vp_native = arch == IGVM_ARCH_AARCH64 ? ib_blob_aarch64(b, 0x200000, 0x3f2000)
					      : ib_blob_native_x64(b, 0x200000, 0x204ff0);
	vp_vsm = ib_blob_vbs(b, regs, SAMPLE_VBS_REGISTERS);

	ib_platform(b, SAMPLE_MASK_NATIVE, IGVM_PLATFORM_NATIVE, 0);
	ib_platform(b, SAMPLE_MASK_VSM, IGVM_PLATFORM_VSM_ISOLATION, 2);
	ib_reloc(b, both, 0x200000, 0x200000, 0x200000, 0x200000, 0x40000000);
	ib_area(b, 0, IGVM_PAGE_SIZE, blob_area0);
	ib_area(b, 1, IGVM_PAGE_SIZE, IB_NO_BLOB);
	ib_area(b, 2, 2 * IGVM_PAGE_SIZE, IB_NO_BLOB);
	ib_param(b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
	ib_param(b, IGVM_VHT_COMMAND_LINE, 0, 0x100);
	ib_param(b, IGVM_VHT_MEMORY_MAP, 1, 0);
	ib_param(b, IGVM_VHT_DEVICE_TREE, 2, 0);
	ib_page(b, 0x200000, both, 0, IGVM_PAGE_DATA_NORMAL, data[0]);
	ib_page(b, 0x201000, both, 0, IGVM_PAGE_DATA_NORMAL, data[1]);
	ib_page(b, 0x202000, both, 0, IGVM_PAGE_DATA_NORMAL, IB_NO_BLOB);
	ib_page(b, 0x203000, both, IGVM_PAGE_FLAG_UNMEASURED, IGVM_PAGE_DATA_NORMAL, IB_NO_BLOB);
	ib_page(b, 0x204000, both, 0, IGVM_PAGE_DATA_NORMAL, data[2]);
	ib_page(b, 0x205000, SAMPLE_MASK_NATIVE, 0, IGVM_PAGE_DATA_NORMAL, data[3]);
	ib_page(b, 0x205000, SAMPLE_MASK_VSM, 0, IGVM_PAGE_DATA_NORMAL, data[4]);
	ib_insert(b, 0x3f0000, both, 0);
	ib_insert(b, 0x3f1000, both, 1);
	ib_insert(b, 0x3f2000, both, 2);
	ib_required(b, 0x200000, both, 0x200000, IGVM_REQUIRED_MEMORY_VTL2_PROTECTABLE);
	ib_vp_context(b, 0, SAMPLE_MASK_NATIVE, 0, vp_native);
	ib_vp_context(b, 0, SAMPLE_MASK_VSM, 0, vp_vsm);
}
