/* The IGVM reader against a corpus the tests make: one good file with every
 * record kind Hillock uses, and malformed variants of it, each of which must
 * be refused with its own error at its own record and offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "igvm_builder.h"
#include "igvm_reader.h"

#define BOTH (SAMPLE_MASK_NATIVE | SAMPLE_MASK_VSM)

/* Set a field of record rec's body before ib_finish(). */
#define SET_FIELD(b, rec, type, field, value)                                          \
	do {                                                                            \
		type *body_ = (type *)(void *)(b)->records[(rec)].body;                 \
		body_->field = (value);                                                 \
	} while (0)

static struct igvm_builder *sample(enum igvm_arch arch)
{
	struct igvm_builder *b = malloc(sizeof(*b));

	assert_non_null(b);
	ib_init(b);
	igvm_sample_build(b, arch);
	return b;
}

static void done(struct igvm_builder *b)
{
	ib_free(b);
	free(b);
}

static void put32(uint8_t *file, uint32_t offset, uint32_t value)
{
	memcpy(file + offset, &value, sizeof(value));
}

static uint32_t get32(const uint8_t *file, uint32_t offset)
{
	uint32_t v;

	memcpy(&v, file + offset, sizeof(v));
	return v;
}

/* The file must be refused with a message containing what, at record
 * (-1: fixed header) and file offset. */
static void expect_reject_arch(const uint8_t *file, size_t size, enum igvm_arch arch, const char *what, int record,
			       uint32_t offset)
{
	struct igvm_file f;
	struct igvm_error err;
	int rc = igvm_parse(file, size, arch, &f, &err);

	if (rc != -1 || !strstr(err.message, what) || err.record != record || err.offset != offset) {
		print_error("expected \"%s\" at record %d offset 0x%x; got rc %d: \"%s\" record %d offset 0x%x\n", what,
			    record, offset, rc, rc ? err.message : "", err.record, err.offset);
	}
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err.message, what));
	assert_int_equal(err.record, record);
	assert_int_equal(err.offset, offset);
}

static void expect_reject(const struct igvm_builder *b, const char *what, int record, uint32_t offset)
{
	expect_reject_arch(b->file, b->size, IGVM_ARCH_X86_64, what, record, offset);
}

/* A record error at the record's own header. */
static void expect_record_reject(const struct igvm_builder *b, const char *what, int record)
{
	expect_reject(b, what, record, b->record_offset[record]);
}

static void expect_accept(const struct igvm_builder *b, enum igvm_arch arch, struct igvm_file *f)
{
	struct igvm_error err;
	int rc = igvm_parse(b->file, b->size, arch, f, &err);

	if (rc != 0) {
		print_error("unexpected rejection: %s\n", err.message);
	}
	assert_int_equal(rc, 0);
}

/* --- The good file ---------------------------------------------------------- */

static void reader_accepts_sample_x86_64(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	struct igvm_file f;

	(void)state;
	ib_finish(b);
	expect_accept(b, IGVM_ARCH_X86_64, &f);
	assert_int_equal(f.record_count, SAMPLE_RECORD_COUNT);
	assert_int_equal(f.platform_count, 2);
	assert_int_equal(f.platforms[0].mask, SAMPLE_MASK_NATIVE);
	assert_int_equal(f.platforms[0].type, IGVM_PLATFORM_NATIVE);
	assert_int_equal(f.platforms[1].mask, SAMPLE_MASK_VSM);
	assert_int_equal(f.platforms[1].type, IGVM_PLATFORM_VSM_ISOLATION);
	assert_int_equal(f.platforms[1].highest_vtl, 2);
	assert_int_equal(igvm_platform_mask(&f, IGVM_PLATFORM_VSM_ISOLATION), SAMPLE_MASK_VSM);
	assert_int_equal(igvm_platform_mask(&f, IGVM_PLATFORM_SEV_SNP), 0);
	done(b);
}

static void reader_accepts_sample_aarch64(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_AARCH64);
	struct igvm_file f;
	struct igvm_record rec;
	uint64_t cursor = 0;
	size_t len = 0;

	(void)state;
	ib_finish(b);
	expect_accept(b, IGVM_ARCH_AARCH64, &f);
	assert_int_equal(f.arch, IGVM_ARCH_AARCH64);
	while (igvm_record_next(&f, &cursor, &rec)) {
		if (rec.index == SAMPLE_VP_NATIVE) {
			assert_non_null(igvm_record_data(&f, &rec, &len));
		}
	}
	assert_int_equal(len, sizeof(struct igvm_vp_context_aarch64));
	done(b);
}

static void reader_iterates_every_record_in_order(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	struct igvm_file f;
	struct igvm_record rec;
	uint64_t cursor = 0;
	uint32_t n = 0;

	(void)state;
	ib_finish(b);
	expect_accept(b, IGVM_ARCH_X86_64, &f);
	while (igvm_record_next(&f, &cursor, &rec)) {
		assert_int_equal(rec.index, n);
		assert_int_equal(rec.offset, b->record_offset[n]);
		assert_int_equal(rec.type, b->records[n].type);
		assert_int_equal(rec.length, b->records[n].length);
		assert_memory_equal(rec.body, b->records[n].body, rec.length);
		n++;
	}
	assert_int_equal(n, SAMPLE_RECORD_COUNT);
	assert_int_equal(igvm_record_next(&f, &cursor, &rec), 0);
	done(b);
}

static void reader_record_applies_by_mask(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	struct igvm_file f;
	struct igvm_record rec;
	uint64_t cursor = 0;

	(void)state;
	ib_finish(b);
	expect_accept(b, IGVM_ARCH_X86_64, &f);
	while (igvm_record_next(&f, &cursor, &rec)) {
		int native = igvm_record_applies(&rec, SAMPLE_MASK_NATIVE);
		int vsm = igvm_record_applies(&rec, SAMPLE_MASK_VSM);

		switch (rec.index) {
		case SAMPLE_PAGE_NATIVE:
		case SAMPLE_VP_NATIVE:
		case SAMPLE_PLATFORM_NATIVE:
			assert_true(native && !vsm);
			break;
		case SAMPLE_PAGE_VSM:
		case SAMPLE_VP_VSM:
		case SAMPLE_PLATFORM_VSM:
			assert_true(!native && vsm);
			break;
		default: /* masks of both, or no mask (areas, parameters) */
			assert_true(native && vsm);
		}
	}
	done(b);
}

static void reader_record_data_points_into_the_file(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	struct igvm_file f;
	struct igvm_record rec;
	uint64_t cursor = 0;

	(void)state;
	ib_finish(b);
	expect_accept(b, IGVM_ARCH_X86_64, &f);
	while (igvm_record_next(&f, &cursor, &rec)) {
		size_t len = 12345;
		const uint8_t *data = igvm_record_data(&f, &rec, &len);
		const struct ib_record *r = &b->records[rec.index];

		switch (rec.index) {
		case SAMPLE_PAGE_0 + 2: /* zero page */
		case SAMPLE_PAGE_0 + 3: /* unmeasured zero page */
		case SAMPLE_AREA_1:	/* zero-filled area */
		case SAMPLE_INSERT_0:
		case SAMPLE_VP_COUNT:
			assert_null(data);
			assert_int_equal(len, 0);
			break;
		case SAMPLE_PAGE_0:
		case SAMPLE_AREA_0:
		case SAMPLE_VP_NATIVE:
		case SAMPLE_VP_VSM:
			assert_non_null(data);
			assert_ptr_equal(data, b->file + b->blob_offset[r->blob]);
			assert_int_equal(len, rec.index == SAMPLE_PAGE_0 || rec.index == SAMPLE_AREA_0 ? IGVM_PAGE_SIZE
					      : rec.index == SAMPLE_VP_NATIVE ? sizeof(struct igvm_native_vp_context_x64)
									: 4 + 32 * SAMPLE_VBS_REGISTERS);
			break;
		default:
			break;
		}
	}
	done(b);
}

static void reader_type_names(void **state)
{
	(void)state;
	assert_string_equal(igvm_type_name(IGVM_VHT_PAGE_DATA), "PAGE_DATA");
	assert_string_equal(igvm_type_name(IGVM_VHT_DEVICE_TREE), "DEVICE_TREE");
	assert_string_equal(igvm_type_name(IGVM_VHT_PAGE_DATA | IGVM_VHT_OPTIONAL_BIT), "PAGE_DATA");
	assert_string_equal(igvm_type_name(0x350), "UNKNOWN");
}

static void reader_file_data_is_not_checksummed(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	struct igvm_file f;

	(void)state;
	ib_finish(b);
	b->file[b->size - 1] ^= 0xff; /* inside the VBS register list's value */
	expect_accept(b, IGVM_ARCH_X86_64, &f);
	done(b);
}

/* --- Fixed header ------------------------------------------------------------- */

static void reader_rejects_truncation_inside_fixed_header(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	ib_finish(b);
	expect_reject_arch(b->file, 0, IGVM_ARCH_X86_64, "smaller than the 24-byte fixed header", -1, 0);
	expect_reject_arch(b->file, 10, IGVM_ARCH_X86_64, "file is 10 bytes", -1, 0);
	expect_reject_arch(b->file, 23, IGVM_ARCH_X86_64, "file is 23 bytes", -1, 0);
	done(b);
}

static void reader_rejects_truncation_inside_variable_header(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint32_t cut;

	(void)state;
	ib_finish(b);
	cut = b->record_offset[SAMPLE_PAGE_0] + 4;
	expect_reject_arch(b->file, cut, IGVM_ARCH_X86_64, "total_file_size", -1, 0x10);
	/* Even when the header is made to agree with the shorter file. */
	put32(b->file, offsetof(struct igvm_fixed_header, total_file_size), cut);
	expect_reject_arch(b->file, cut, IGVM_ARCH_X86_64, "extends past the end of the file", -1, 0x0c);
	done(b);
}

static void reader_rejects_truncation_inside_page_data(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	int blob;
	uint32_t cut;

	(void)state;
	ib_finish(b);
	blob = b->records[SAMPLE_PAGE_VSM].blob;
	cut = b->blob_offset[blob] + 100;
	put32(b->file, offsetof(struct igvm_fixed_header, total_file_size), cut);
	ib_fix_crc(b->file, cut);
	expect_reject_arch(b->file, cut, IGVM_ARCH_X86_64, "page data at file_offset", SAMPLE_PAGE_VSM,
			   b->record_offset[SAMPLE_PAGE_VSM]);
	done(b);
}

static void reader_rejects_truncation_inside_vp_context(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint32_t cut;

	(void)state;
	ib_finish(b);
	cut = b->blob_offset[b->records[SAMPLE_VP_NATIVE].blob] + 100;
	put32(b->file, offsetof(struct igvm_fixed_header, total_file_size), cut);
	ib_fix_crc(b->file, cut);
	expect_reject_arch(b->file, cut, IGVM_ARCH_X86_64, "VP context data at file_offset", SAMPLE_VP_NATIVE,
			   b->record_offset[SAMPLE_VP_NATIVE]);
	done(b);
}

static void reader_rejects_bad_magic(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	ib_finish(b);
	b->file[0] = 'X';
	ib_fix_crc(b->file, b->size);
	expect_reject(b, "bad magic", -1, 0);
	done(b);
}

static void reader_rejects_bad_version(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	ib_finish(b);
	put32(b->file, offsetof(struct igvm_fixed_header, format_version), 2);
	ib_fix_crc(b->file, b->size);
	expect_reject(b, "format version 2", -1, 4);
	done(b);
}

static void reader_rejects_bad_crc(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	ib_finish(b);
	b->file[b->record_offset[SAMPLE_PAGE_0] + 9] ^= 0x10; /* a GPA bit, checksum not updated */
	expect_reject(b, "checksum", -1, 0x14);
	done(b);
}

static void reader_rejects_total_size_mismatch(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint8_t *bigger;

	(void)state;
	ib_finish(b);
	bigger = calloc(1, b->size + 8);
	assert_non_null(bigger);
	memcpy(bigger, b->file, b->size);
	expect_reject_arch(bigger, b->size + 8, IGVM_ARCH_X86_64, "total_file_size", -1, 0x10);
	free(bigger);
	done(b);
}

static void reader_rejects_misaligned_variable_header(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	ib_finish(b);
	put32(b->file, offsetof(struct igvm_fixed_header, variable_header_offset), 28);
	ib_fix_crc(b->file, b->size);
	expect_reject(b, "not 8-byte aligned", -1, 8);
	done(b);
}

/* A writer that forgot the padding after a 20-byte body: the next record's
 * header lands in the padding the reader expects. */
static void reader_rejects_misaligned_record(void **state)
{
	struct igvm_builder *b = malloc(sizeof(*b));
	int vp;

	(void)state;
	ib_init(b);
	ib_platform(b, 1, IGVM_PLATFORM_NATIVE, 0);
	vp = ib_vp_context(b, 0, 1, 0, ib_blob_native_x64(b, 0x1000, 0x2000));
	b->records[vp].unpadded = 1;
	ib_required(b, 0x200000, 1, 0x1000, 0);
	ib_finish(b);
	expect_reject(b, "non-zero padding byte 0x05", vp, b->record_offset[vp] + 8 + 20);
	done(b);
}

static void reader_rejects_nonzero_padding(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint32_t pad;

	(void)state;
	ib_finish(b);
	pad = b->record_offset[SAMPLE_VP_VSM] + 8 + (uint32_t)sizeof(struct igvm_vhs_vp_context) + 2;
	b->file[pad] = 0xaa;
	ib_fix_crc(b->file, b->size);
	expect_reject(b, "non-zero padding byte 0xaa", SAMPLE_VP_VSM, pad);
	done(b);
}

static void reader_rejects_record_past_the_end(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint32_t at;

	(void)state;
	ib_finish(b);
	at = b->record_offset[SAMPLE_VP_VSM];
	put32(b->file, at + 4, 0x100);
	ib_fix_crc(b->file, b->size);
	expect_record_reject(b, "body of 256 bytes extends past the end of the variable header", SAMPLE_VP_VSM);
	done(b);
}

static void reader_rejects_padding_past_the_end(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint32_t vh_size;

	(void)state;
	ib_finish(b);
	/* The last record (20-byte body) loses the last 4 bytes of its padding. */
	vh_size = get32(b->file, offsetof(struct igvm_fixed_header, variable_header_size));
	put32(b->file, offsetof(struct igvm_fixed_header, variable_header_size), vh_size - 4);
	ib_fix_crc(b->file, b->size);
	expect_record_reject(b, "padding after the body extends past", SAMPLE_VP_VSM);
	done(b);
}

static void reader_rejects_truncated_record_header(void **state)
{
	struct igvm_builder *b = malloc(sizeof(*b));
	uint8_t *bigger;
	uint32_t vh_size;

	(void)state;
	ib_init(b);
	ib_platform(b, 1, IGVM_PLATFORM_NATIVE, 0);
	ib_required(b, 0x200000, 1, 0x1000, 0);
	ib_finish(b);
	/* Four more bytes of variable header: too few for a record header. */
	bigger = calloc(1, b->size + 4);
	assert_non_null(bigger);
	memcpy(bigger, b->file, b->size);
	vh_size = get32(bigger, offsetof(struct igvm_fixed_header, variable_header_size));
	put32(bigger, offsetof(struct igvm_fixed_header, variable_header_size), vh_size + 4);
	put32(bigger, offsetof(struct igvm_fixed_header, total_file_size), (uint32_t)b->size + 4);
	ib_fix_crc(bigger, b->size + 4);
	expect_reject_arch(bigger, b->size + 4, IGVM_ARCH_X86_64, "truncated record header: 4 bytes left", 2,
			   (uint32_t)b->size);
	free(bigger);
	done(b);
}

/* --- Record types and order ------------------------------------------------------ */

static void reader_rejects_wrong_body_length(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	b->records[SAMPLE_PAGE_0 + 1].length = 20;
	ib_finish(b);
	expect_record_reject(b, "body is 20 bytes, expected 24", SAMPLE_PAGE_0 + 1);
	done(b);
}

static void reader_rejects_unknown_required_type(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint8_t body[12] = { 1 };
	int rec;

	(void)state;
	rec = ib_record(b, 0x350, body, sizeof(body));
	ib_finish(b);
	expect_record_reject(b, "unknown type 0x350 without the optional bit", rec);
	done(b);
}

static void reader_accepts_unknown_optional_type(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint8_t body[12] = { 1 };
	struct igvm_file f;
	struct igvm_record rec;
	uint64_t cursor = 0;
	int idx;

	(void)state;
	idx = ib_record(b, 0x350 | IGVM_VHT_OPTIONAL_BIT, body, sizeof(body));
	ib_finish(b);
	expect_accept(b, IGVM_ARCH_X86_64, &f);
	assert_int_equal(f.record_count, SAMPLE_RECORD_COUNT + 1);
	while (igvm_record_next(&f, &cursor, &rec)) {
		if (rec.index == (uint32_t)idx) {
			size_t len;

			assert_int_equal(rec.type, 0x350);
			assert_false(igvm_record_applies(&rec, BOTH));
			assert_null(igvm_record_data(&f, &rec, &len));
		}
	}
	done(b);
}

static void reader_rejects_unsupported_required_type(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint8_t body[16] = { 0 };
	int rec;

	(void)state;
	rec = ib_record(b, IGVM_VHT_ERROR_RANGE, body, sizeof(body));
	ib_finish(b);
	expect_record_reject(b, "type 0x30d is not supported", rec);
	done(b);
}

static void reader_rejects_platform_after_directive(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	int rec;

	(void)state;
	rec = ib_platform(b, 0x4, IGVM_PLATFORM_SEV_SNP, 0);
	ib_finish(b);
	expect_record_reject(b, "platform record after directive records", rec);
	done(b);
}

static void reader_rejects_init_after_directive(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	int rec;

	(void)state;
	rec = ib_reloc(b, BOTH, 0x200000, 0x200000, 0x200000, 0x200000, 0x40000000);
	ib_finish(b);
	expect_record_reject(b, "initialization record after directive records", rec);
	done(b);
}

static void reader_rejects_platform_after_init(void **state)
{
	struct igvm_builder *b = malloc(sizeof(*b));
	int rec;

	(void)state;
	ib_init(b);
	ib_platform(b, 1, IGVM_PLATFORM_NATIVE, 0);
	ib_reloc(b, 1, 0x200000, 0x200000, 0x200000, 0x200000, 0x40000000);
	rec = ib_platform(b, 2, IGVM_PLATFORM_VSM_ISOLATION, 2);
	ib_finish(b);
	expect_record_reject(b, "platform record after initialization records", rec);
	done(b);
}

/* --- Platforms and masks ------------------------------------------------------------ */

static void reader_rejects_platform_mask_with_two_bits(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_PLATFORM_VSM, struct igvm_vhs_supported_platform, compatibility_mask, 0x6);
	ib_finish(b);
	expect_record_reject(b, "platform compatibility mask 0x6 does not have exactly one bit", SAMPLE_PLATFORM_VSM);
	done(b);
}

static void reader_rejects_platform_mask_zero(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_PLATFORM_NATIVE, struct igvm_vhs_supported_platform, compatibility_mask, 0);
	ib_finish(b);
	expect_record_reject(b, "mask 0x0 does not have exactly one bit", SAMPLE_PLATFORM_NATIVE);
	done(b);
}

static void reader_rejects_platform_bit_used_twice(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_PLATFORM_VSM, struct igvm_vhs_supported_platform, compatibility_mask, 0x1);
	ib_finish(b);
	expect_record_reject(b, "bit 0x1 already used", SAMPLE_PLATFORM_VSM);
	done(b);
}

static void reader_rejects_unknown_platform_type(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_PLATFORM_VSM, struct igvm_vhs_supported_platform, platform_type, 9);
	ib_finish(b);
	expect_record_reject(b, "unknown platform type 9", SAMPLE_PLATFORM_VSM);
	done(b);
}

static void reader_rejects_no_platform(void **state)
{
	struct igvm_builder *b = malloc(sizeof(*b));

	(void)state;
	ib_init(b);
	ib_area(b, 0, IGVM_PAGE_SIZE, IB_NO_BLOB);
	ib_finish(b);
	expect_reject(b, "no SUPPORTED_PLATFORM record", -1, 24);
	done(b);
}

static void reader_rejects_mask_of_unknown_platform(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_PAGE_0 + 1, struct igvm_vhs_page_data, compatibility_mask, 0x5);
	ib_finish(b);
	expect_record_reject(b, "mask 0x5 has bits 0x4 of no declared platform", SAMPLE_PAGE_0 + 1);
	done(b);
}

static void reader_rejects_zero_record_mask(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_REQUIRED, struct igvm_vhs_required_memory, compatibility_mask, 0);
	ib_finish(b);
	expect_record_reject(b, "compatibility mask is zero", SAMPLE_REQUIRED);
	done(b);
}

/* --- Pages ----------------------------------------------------------------------- */

static void reader_rejects_page_data_outside_the_file(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint32_t field;

	(void)state;
	ib_finish(b);
	field = b->record_offset[SAMPLE_PAGE_0 + 1] + 8 + (uint32_t)offsetof(struct igvm_vhs_page_data, file_offset);
	put32(b->file, field, (uint32_t)b->size - 100);
	ib_fix_crc(b->file, b->size);
	expect_record_reject(b, "extends past the end of the file", SAMPLE_PAGE_0 + 1);
	/* Wholly beyond the end (found by the fuzzer: the subtraction wrapped). */
	put32(b->file, field, (uint32_t)b->size + 0x1000);
	ib_fix_crc(b->file, b->size);
	expect_record_reject(b, "extends past the end of the file", SAMPLE_PAGE_0 + 1);
	/* Nor may page data come from the headers. */
	put32(b->file, field, 8);
	ib_fix_crc(b->file, b->size);
	expect_record_reject(b, "file_offset 0x8 points into the headers", SAMPLE_PAGE_0 + 1);
	done(b);
}

static void reader_rejects_overlapping_pages(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	int rec;

	(void)state;
	/* Below the highest page so far: found by walking back. */
	rec = ib_page(b, 0x201000, SAMPLE_MASK_VSM, 0, IGVM_PAGE_DATA_NORMAL, IB_NO_BLOB);
	ib_finish(b);
	expect_record_reject(b, "overlaps record 11 (PAGE_DATA, GPA 0x201000-0x201fff) on platform VSM_ISOLATION", rec);
	done(b);
}

static void reader_rejects_insert_over_pages(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	/* Area 2 (two pages) over the sample's last shared page. */
	SET_FIELD(b, SAMPLE_INSERT_2, struct igvm_vhs_parameter_insert, gpa, 0x204000);
	ib_finish(b);
	expect_record_reject(b, "GPA range 0x204000-0x205fff overlaps record 14", SAMPLE_INSERT_2);
	done(b);
}

static void reader_rejects_page_after_insert_over_it(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	int rec;

	(void)state;
	/* Above every page, inside area 2's insert: the insert is found too. */
	rec = ib_page(b, 0x3f3000, SAMPLE_MASK_NATIVE, 0, IGVM_PAGE_DATA_NORMAL, IB_NO_BLOB);
	ib_finish(b);
	expect_record_reject(b, "overlaps record 19 (PARAMETER_INSERT, GPA 0x3f2000-0x3f3fff) on platform NATIVE", rec);
	done(b);
}

static void reader_rejects_unaligned_page(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_PAGE_0 + 2, struct igvm_vhs_page_data, gpa, 0x202010);
	ib_finish(b);
	expect_record_reject(b, "GPA 0x202010 is not page-aligned", SAMPLE_PAGE_0 + 2);
	done(b);
}

static void reader_rejects_page_reserved_and_flags(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_PAGE_0, struct igvm_vhs_page_data, reserved, 1);
	ib_finish(b);
	expect_record_reject(b, "reserved field is 0x1", SAMPLE_PAGE_0);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_PAGE_0, struct igvm_vhs_page_data, flags, 0x10);
	ib_finish(b);
	expect_record_reject(b, "unknown page flags 0x10", SAMPLE_PAGE_0);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_PAGE_0, struct igvm_vhs_page_data, flags, IGVM_PAGE_FLAG_2MB);
	ib_finish(b);
	expect_record_reject(b, "2 MiB pages are not supported", SAMPLE_PAGE_0);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_PAGE_0, struct igvm_vhs_page_data, data_type, 7);
	ib_finish(b);
	expect_record_reject(b, "unknown page data type 7", SAMPLE_PAGE_0);
	done(b);
}

/* --- Parameters -------------------------------------------------------------------- */

static void reader_rejects_parameter_before_its_area(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_DEVICE_TREE, struct igvm_vhs_parameter, parameter_area_index, 7);
	ib_finish(b);
	expect_record_reject(b, "parameter area 7 used before it is declared", SAMPLE_DEVICE_TREE);
	done(b);
}

static void reader_rejects_area_declared_twice(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_AREA_2, struct igvm_vhs_parameter_area, parameter_area_index, 1);
	ib_finish(b);
	expect_record_reject(b, "parameter area 1 declared twice", SAMPLE_AREA_2);
	done(b);
}

/* Loaders index their area tables with it (igvmload did, unchecked). */
static void reader_rejects_area_index_out_of_range(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_AREA_2, struct igvm_vhs_parameter_area, parameter_area_index, 0x40000000);
	ib_finish(b);
	expect_record_reject(b, "parameter area index 1073741824 is not below 64", SAMPLE_AREA_2);
	done(b);
}

static void reader_rejects_bad_area_size(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_AREA_1, struct igvm_vhs_parameter_area, number_of_bytes, 0x1800);
	ib_finish(b);
	expect_record_reject(b, "area size 0x1800 is not a non-zero page multiple", SAMPLE_AREA_1);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_AREA_1, struct igvm_vhs_parameter_area, number_of_bytes, 1ull << 40);
	ib_finish(b);
	expect_record_reject(b, "area size 0x10000000000", SAMPLE_AREA_1);
	done(b);
}

static void reader_rejects_byte_offset_outside_the_area(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_COMMAND_LINE, struct igvm_vhs_parameter, byte_offset, 0x1000);
	ib_finish(b);
	expect_record_reject(b, "byte_offset 0x1000 (+1 bytes) outside parameter area 0", SAMPLE_COMMAND_LINE);
	done(b);

	/* The VP count is 4 bytes: it does not fit 2 bytes before the end. */
	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_VP_COUNT, struct igvm_vhs_parameter, byte_offset, 0xffe);
	ib_finish(b);
	expect_record_reject(b, "byte_offset 0xffe (+4 bytes) outside", SAMPLE_VP_COUNT);
	done(b);
}

static void reader_rejects_insert_of_undeclared_area(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_INSERT_1, struct igvm_vhs_parameter_insert, parameter_area_index, 9);
	ib_finish(b);
	expect_record_reject(b, "insert of parameter area 9, which is not declared", SAMPLE_INSERT_1);
	done(b);
}

static void reader_rejects_area_inserted_twice(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_INSERT_1, struct igvm_vhs_parameter_insert, parameter_area_index, 0);
	ib_finish(b);
	expect_record_reject(b, "parameter area 0 inserted twice", SAMPLE_INSERT_1);
	done(b);
}

static void reader_rejects_parameter_after_insert(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	int rec;

	(void)state;
	rec = ib_param(b, IGVM_VHT_MMIO_RANGES, 1, 0);
	ib_finish(b);
	expect_record_reject(b, "parameter area 1 used after it was inserted", rec);
	done(b);
}

/* --- VP contexts ----------------------------------------------------------------- */

static void reader_rejects_vp_context_too_short(void **state)
{
	struct igvm_builder *b = malloc(sizeof(*b));
	uint8_t short_context[100] = { 0 };
	int vp;

	(void)state;
	ib_init(b);
	ib_platform(b, 1, IGVM_PLATFORM_NATIVE, 0);
	vp = ib_vp_context(b, 0, 1, 0, ib_blob(b, short_context, sizeof(short_context)));
	ib_finish(b);
	expect_record_reject(b, "VP context data at file_offset", vp);
	assert_int_equal(b->size, b->blob_offset[0] + sizeof(short_context));
	/* The aarch64 context is 80 bytes: the same file passes there. */
	{
		struct igvm_file f;

		expect_accept(b, IGVM_ARCH_AARCH64, &f);
	}
	done(b);
}

static void reader_rejects_huge_vbs_register_count(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint32_t at;

	(void)state;
	ib_finish(b);
	at = b->blob_offset[b->records[SAMPLE_VP_VSM].blob];
	put32(b->file, at, 0x10000000); /* file data: no checksum to fix */
	expect_record_reject(b, "VBS register_count 268435456 needs 0x200000004 bytes", SAMPLE_VP_VSM);
	put32(b->file, at, UINT32_MAX);
	expect_record_reject(b, "VBS register_count 4294967295", SAMPLE_VP_VSM);
	put32(b->file, at, SAMPLE_VBS_REGISTERS + 1);
	expect_record_reject(b, "VBS register_count 6 needs 0xc4 bytes", SAMPLE_VP_VSM);
	/* A context whose very header lies beyond the end of the file. */
	put32(b->file, b->record_offset[SAMPLE_VP_VSM] + 8 + (uint32_t)offsetof(struct igvm_vhs_vp_context, file_offset),
	      (uint32_t)b->size + 0x1000);
	ib_fix_crc(b->file, b->size);
	expect_record_reject(b, "VBS VP context header data at file_offset", SAMPLE_VP_VSM);
	done(b);
}

static void reader_rejects_bad_vbs_register(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	uint32_t reg1;

	(void)state;
	ib_finish(b);
	reg1 = b->blob_offset[b->records[SAMPLE_VP_VSM].blob] + 4 + 32;
	b->file[reg1 + 7] = 1; /* in mbz */
	expect_reject(b, "VBS register 1 (name 0x20004): reserved bytes not zero", SAMPLE_VP_VSM, reg1);
	b->file[reg1 + 7] = 0;
	b->file[reg1] = 3; /* VTL 3 */
	expect_reject(b, "VBS register 1 for VTL 3, above the platform's highest VTL 2", SAMPLE_VP_VSM, reg1);
	done(b);
}

static void reader_rejects_second_vp_context_for_a_vp(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	int rec;

	(void)state;
	rec = ib_vp_context(b, 0, SAMPLE_MASK_NATIVE, 0, b->records[SAMPLE_VP_NATIVE].blob);
	ib_finish(b);
	expect_record_reject(b, "second VP context for VP 0 on mask 0x1 (first: record 21)", rec);
	done(b);
}

static void reader_accepts_vp_context_for_another_vp(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);
	struct igvm_file f;

	(void)state;
	ib_vp_context(b, 0, SAMPLE_MASK_NATIVE, 1, b->records[SAMPLE_VP_NATIVE].blob);
	ib_finish(b);
	expect_accept(b, IGVM_ARCH_X86_64, &f);
	done(b);
}

static void reader_rejects_vp_context_shape(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_VP_NATIVE, struct igvm_vhs_vp_context, gpa, 0x1000);
	ib_finish(b);
	expect_record_reject(b, "GPA 0x1000 must be 0 on NATIVE", SAMPLE_VP_NATIVE);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	b->records[SAMPLE_VP_NATIVE].blob = IB_NO_BLOB;
	ib_finish(b);
	expect_record_reject(b, "VP context without data", SAMPLE_VP_NATIVE);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_VP_NATIVE, struct igvm_vhs_vp_context, compatibility_mask, BOTH);
	ib_finish(b);
	expect_record_reject(b, "platforms NATIVE and VSM_ISOLATION, whose formats differ", SAMPLE_VP_NATIVE);
	done(b);
}

/* --- Initialization records --------------------------------------------------------- */

static void reader_rejects_bad_relocatable_region(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_RELOC, struct igvm_vhs_relocatable_region, relocation_alignment, 0x1234);
	ib_finish(b);
	expect_record_reject(b, "relocation alignment 0x1234 is not a non-zero page multiple", SAMPLE_RELOC);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_RELOC, struct igvm_vhs_relocatable_region, minimum_relocation_gpa, 0x300000);
	ib_finish(b);
	expect_record_reject(b, "minimum 0x300000 or maximum 0x40000000 not aligned to 0x200000", SAMPLE_RELOC);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_RELOC, struct igvm_vhs_relocatable_region, maximum_relocation_gpa, 0);
	ib_finish(b);
	expect_record_reject(b, "minimum relocation GPA 0x200000 above maximum 0x0", SAMPLE_RELOC);
	done(b);
}

static void reader_rejects_bad_required_memory(void **state)
{
	struct igvm_builder *b = sample(IGVM_ARCH_X86_64);

	(void)state;
	SET_FIELD(b, SAMPLE_REQUIRED, struct igvm_vhs_required_memory, number_of_bytes, 0x1001);
	ib_finish(b);
	expect_record_reject(b, "GPA 0x200000 + 0x1001 is not a non-empty page-aligned range", SAMPLE_REQUIRED);
	done(b);

	b = sample(IGVM_ARCH_X86_64);
	SET_FIELD(b, SAMPLE_REQUIRED, struct igvm_vhs_required_memory, flags, 0x2);
	ib_finish(b);
	expect_record_reject(b, "unknown flags 0x2", SAMPLE_REQUIRED);
	done(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_accepts_sample_x86_64),
		cmocka_unit_test(reader_accepts_sample_aarch64),
		cmocka_unit_test(reader_iterates_every_record_in_order),
		cmocka_unit_test(reader_record_applies_by_mask),
		cmocka_unit_test(reader_record_data_points_into_the_file),
		cmocka_unit_test(reader_type_names),
		cmocka_unit_test(reader_file_data_is_not_checksummed),
		cmocka_unit_test(reader_rejects_truncation_inside_fixed_header),
		cmocka_unit_test(reader_rejects_truncation_inside_variable_header),
		cmocka_unit_test(reader_rejects_truncation_inside_page_data),
		cmocka_unit_test(reader_rejects_truncation_inside_vp_context),
		cmocka_unit_test(reader_rejects_bad_magic),
		cmocka_unit_test(reader_rejects_bad_version),
		cmocka_unit_test(reader_rejects_bad_crc),
		cmocka_unit_test(reader_rejects_total_size_mismatch),
		cmocka_unit_test(reader_rejects_misaligned_variable_header),
		cmocka_unit_test(reader_rejects_misaligned_record),
		cmocka_unit_test(reader_rejects_nonzero_padding),
		cmocka_unit_test(reader_rejects_record_past_the_end),
		cmocka_unit_test(reader_rejects_padding_past_the_end),
		cmocka_unit_test(reader_rejects_truncated_record_header),
		cmocka_unit_test(reader_rejects_wrong_body_length),
		cmocka_unit_test(reader_rejects_unknown_required_type),
		cmocka_unit_test(reader_accepts_unknown_optional_type),
		cmocka_unit_test(reader_rejects_unsupported_required_type),
		cmocka_unit_test(reader_rejects_platform_after_directive),
		cmocka_unit_test(reader_rejects_init_after_directive),
		cmocka_unit_test(reader_rejects_platform_after_init),
		cmocka_unit_test(reader_rejects_platform_mask_with_two_bits),
		cmocka_unit_test(reader_rejects_platform_mask_zero),
		cmocka_unit_test(reader_rejects_platform_bit_used_twice),
		cmocka_unit_test(reader_rejects_unknown_platform_type),
		cmocka_unit_test(reader_rejects_no_platform),
		cmocka_unit_test(reader_rejects_mask_of_unknown_platform),
		cmocka_unit_test(reader_rejects_zero_record_mask),
		cmocka_unit_test(reader_rejects_page_data_outside_the_file),
		cmocka_unit_test(reader_rejects_overlapping_pages),
		cmocka_unit_test(reader_rejects_insert_over_pages),
		cmocka_unit_test(reader_rejects_page_after_insert_over_it),
		cmocka_unit_test(reader_rejects_unaligned_page),
		cmocka_unit_test(reader_rejects_page_reserved_and_flags),
		cmocka_unit_test(reader_rejects_parameter_before_its_area),
		cmocka_unit_test(reader_rejects_area_declared_twice),
		cmocka_unit_test(reader_rejects_area_index_out_of_range),
		cmocka_unit_test(reader_rejects_bad_area_size),
		cmocka_unit_test(reader_rejects_byte_offset_outside_the_area),
		cmocka_unit_test(reader_rejects_insert_of_undeclared_area),
		cmocka_unit_test(reader_rejects_area_inserted_twice),
		cmocka_unit_test(reader_rejects_parameter_after_insert),
		cmocka_unit_test(reader_rejects_vp_context_too_short),
		cmocka_unit_test(reader_rejects_huge_vbs_register_count),
		cmocka_unit_test(reader_rejects_bad_vbs_register),
		cmocka_unit_test(reader_rejects_second_vp_context_for_a_vp),
		cmocka_unit_test(reader_accepts_vp_context_for_another_vp),
		cmocka_unit_test(reader_rejects_vp_context_shape),
		cmocka_unit_test(reader_rejects_bad_relocatable_region),
		cmocka_unit_test(reader_rejects_bad_required_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
