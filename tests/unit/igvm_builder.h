/* A tiny IGVM file builder for host tests and fuzz seeds.
 *
 * Records are appended in order; file data is added as blobs, placed after
 * the variable header in the order they were added.  A record may refer to
 * a blob: ib_finish() writes the blob's absolute file offset into the
 * record's file_offset field.  ib_finish() lays the file out exactly as the
 * IGVM format does (24-byte header, records 8-byte aligned with zero
 * padding, then the blobs) and sets total_file_size and the CRC-32.
 * Tests then corrupt the bytes as they need (ib_fix_crc() after editing the
 * headers).  Host only: it uses malloc and aborts on misuse. */
#ifndef IGVM_BUILDER_H
#define IGVM_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "igvm_reader.h"

#define IB_MAX_RECORDS 256
#define IB_MAX_BLOBS 64
#define IB_MAX_BODY 64
#define IB_NO_BLOB (-1)

struct ib_record {
	uint32_t type; /* as written, optional bit included */
	uint32_t length;
	uint8_t body[IB_MAX_BODY];
	int blob;		 /* IB_NO_BLOB, or the blob whose offset goes in */
	uint32_t offset_field;	 /* at this body offset */
	int unpadded;		 /* a broken writer: no padding after the body */
};

struct igvm_builder {
	struct ib_record records[IB_MAX_RECORDS];
	unsigned int record_count;
	uint8_t *blobs[IB_MAX_BLOBS];
	size_t blob_len[IB_MAX_BLOBS];
	unsigned int blob_count;
	/* Filled by ib_finish(). */
	uint8_t *file;
	size_t size;
	uint32_t record_offset[IB_MAX_RECORDS];
	uint32_t blob_offset[IB_MAX_BLOBS];
};

void ib_init(struct igvm_builder *b);
void ib_free(struct igvm_builder *b);

/* Add file data; returns its blob id. */
int ib_blob(struct igvm_builder *b, const void *bytes, size_t len);
/* A page-sized blob of a byte pattern derived from seed. */
int ib_blob_page(struct igvm_builder *b, uint32_t seed);

/* Append a record with any type, length and body; returns its index. */
int ib_record(struct igvm_builder *b, uint32_t type, const void *body, uint32_t length);
/* Make record rec's u32 at body offset field hold blob's file offset. */
void ib_record_ref(struct igvm_builder *b, int rec, uint32_t field, int blob);

int ib_platform(struct igvm_builder *b, uint32_t mask, uint8_t type, uint8_t highest_vtl);
int ib_reloc(struct igvm_builder *b, uint32_t mask, uint64_t gpa, uint64_t size, uint64_t align,
	     uint64_t min, uint64_t max);
int ib_area(struct igvm_builder *b, uint32_t index, uint64_t bytes, int blob);
int ib_param(struct igvm_builder *b, uint32_t type, uint32_t index, uint32_t byte_offset);
int ib_page(struct igvm_builder *b, uint64_t gpa, uint32_t mask, uint32_t flags, uint16_t data_type, int blob);
int ib_insert(struct igvm_builder *b, uint64_t gpa, uint32_t mask, uint32_t index);
int ib_required(struct igvm_builder *b, uint64_t gpa, uint32_t mask, uint32_t bytes, uint32_t flags);
int ib_vp_context(struct igvm_builder *b, uint64_t gpa, uint32_t mask, uint16_t vp_index, int blob);

/* Blobs holding VP contexts. */
int ib_blob_native_x64(struct igvm_builder *b, uint64_t rip, uint64_t rsp);
int ib_blob_aarch64(struct igvm_builder *b, uint64_t pc, uint64_t x0);
struct ib_vbs_reg {
	uint8_t vtl;
	uint32_t name;
	uint64_t lo, hi;
};
int ib_blob_vbs(struct igvm_builder *b, const struct ib_vbs_reg *regs, uint32_t count);

/* Lay the file out in b->file / b->size. */
void ib_finish(struct igvm_builder *b);
/* Recompute the checksum of a laid-out file after editing its headers. */
void ib_fix_crc(uint8_t *file, size_t size);

/* The sample file: every record kind Hillock uses, two platforms (NATIVE
 * mask 0x1, VSM_ISOLATION mask 0x2).  Its record indices: */
enum igvm_sample_record {
	SAMPLE_PLATFORM_NATIVE,
	SAMPLE_PLATFORM_VSM,
	SAMPLE_RELOC,
	SAMPLE_AREA_0, /* 1 page: VP count at 0, command line at 0x100 (initial contents) */
	SAMPLE_AREA_1, /* 1 page: memory map */
	SAMPLE_AREA_2, /* 2 pages: device tree */
	SAMPLE_VP_COUNT,
	SAMPLE_COMMAND_LINE,
	SAMPLE_MEMORY_MAP,
	SAMPLE_DEVICE_TREE,
	SAMPLE_PAGE_0, /* 0x200000..0x204fff, mask 0x3: data, data, zero, unmeasured, data */
	SAMPLE_PAGE_4 = SAMPLE_PAGE_0 + 4,
	SAMPLE_PAGE_NATIVE, /* 0x205000, mask 0x1 */
	SAMPLE_PAGE_VSM,    /* 0x205000, mask 0x2: same GPA, other platform */
	SAMPLE_INSERT_0,    /* area 0 at 0x3f0000 */
	SAMPLE_INSERT_1,    /* area 1 at 0x3f1000 */
	SAMPLE_INSERT_2,    /* area 2 at 0x3f2000 */
	SAMPLE_REQUIRED,
	SAMPLE_VP_NATIVE,
	SAMPLE_VP_VSM,
	SAMPLE_RECORD_COUNT,
};
#define SAMPLE_MASK_NATIVE 0x1u
#define SAMPLE_MASK_VSM 0x2u
#define SAMPLE_VBS_REGISTERS 5u

/* Build the sample; b must be freshly initialized.  Call ib_finish()
 * afterwards (tests may append or change records first). */
void igvm_sample_build(struct igvm_builder *b, enum igvm_arch arch);

#endif
