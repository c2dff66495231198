/* Reading an IGVM file: validate the whole file once, then walk its records.
 *
 * Freestanding (string.h, stdint.h, stdio.h's snprintf, zlib's crc32): it
 * builds for the build host (igvmgen, igvmdump, tests) and inside igvmload.
 * An IGVM file comes from outside, so igvm_parse() checks everything before
 * anything is used:
 *   - magic, format version 1, header offsets and sizes, total size equal to
 *     the buffer's, the CRC-32 over the fixed and variable headers;
 *   - records: 8-byte aligned, inside the variable header, zero padding,
 *     body length exactly the structure's size, types known (an unknown type
 *     is refused unless it carries IGVM_VHT_OPTIONAL_BIT), the order platform
 *     -> initialization -> directive;
 *   - platforms: each mask one bit, no bit used twice, known platform types;
 *     every other record's mask non-zero and within the declared platforms;
 *   - data: every file_offset + length inside the file and inside the file
 *     data section; page GPAs page-aligned; no two PAGE_DATA/PARAMETER_INSERT
 *     pages of one platform at the same GPA; reserved fields zero; known page
 *     flags;
 *   - parameters: an area declared once, before any use, with an index
 *     below IGVM_MAX_PARAMETER_AREAS (loaders index tables with it); each parameter's
 *     byte_offset inside its area; an area inserted at most once and only
 *     after declaration;
 *   - VP contexts: the data size fits the platform (NATIVE x64: 232 bytes,
 *     NATIVE aarch64: 80, VBS: 4 + 32 * register_count), at most one per
 *     (platform, vp_index);
 *   - relocatable regions: alignment a non-zero page multiple, region and
 *     bounds aligned, min <= max.
 * A rejection fills struct igvm_error: what was wrong, the record index
 * (-1 for the fixed header) and the file offset. */
#ifndef IGVM_READER_H
#define IGVM_READER_H

#include <stddef.h>
#include <stdint.h>

#include "igvm_defs.h"

/* The architecture an IGVM file is for; the reader needs it to size NATIVE
 * VP contexts (the version-1 header does not say). */
enum igvm_arch {
	IGVM_ARCH_X86_64 = 0,
	IGVM_ARCH_AARCH64 = 1,
};

#define IGVM_MAX_PLATFORMS 8
#define IGVM_MAX_PARAMETER_AREAS 64

struct igvm_error {
	char message[160];
	int record;	 /* index of the offending record, -1 for the fixed header */
	uint32_t offset; /* file offset of the offending bytes */
};

struct igvm_platform {
	uint32_t mask;
	uint8_t type; /* enum igvm_platform_type */
	uint8_t highest_vtl;
};

/* A validated file.  Points into the caller's buffer, which must outlive it. */
struct igvm_file {
	const uint8_t *data;
	size_t size;
	enum igvm_arch arch;
	uint32_t record_count;
	uint32_t variable_header_offset;
	uint32_t variable_header_size;
	unsigned int platform_count;
	struct igvm_platform platforms[IGVM_MAX_PLATFORMS];
};

/* One record as igvm_record_next() returns it. */
struct igvm_record {
	uint32_t index;
	uint32_t offset; /* of the record header in the file */
	uint32_t type;	 /* without IGVM_VHT_OPTIONAL_BIT */
	uint32_t length;
	const void *body; /* length bytes; unaligned: copy out before use */
};

/* Validate data[0..size) as an IGVM file for arch.  Returns 0 and fills
 * *out, or -1 and fills *err. */
int igvm_parse(const void *data, size_t size, enum igvm_arch arch, struct igvm_file *out,
	       struct igvm_error *err);

/* Iterate records in file order: start with *cursor = 0; returns 1 and fills
 * *rec while records remain, then 0.  Only valid on a parsed file.  The
 * cursor is opaque; it carries both the next record's offset and its index,
 * which is why it is 64 bits wide. */
int igvm_record_next(const struct igvm_file *f, uint64_t *cursor, struct igvm_record *rec);

/* The compatibility mask of platform type in f, or 0 if f has none. */
uint32_t igvm_platform_mask(const struct igvm_file *f, uint8_t platform_type);

/* Does the record apply to the platform(s) in mask?  Records without a mask
 * (PARAMETER_AREA and the IGVM_VHS_PARAMETER types) apply to all. */
int igvm_record_applies(const struct igvm_record *rec, uint32_t mask);

/* The file data a record refers to: a pointer and length inside the file,
 * or NULL (and *len = 0) when the record has none or its offset is 0. */
const uint8_t *igvm_record_data(const struct igvm_file *f, const struct igvm_record *rec,
				size_t *len);

/* Name of a record type, e.g. "PAGE_DATA", or "UNKNOWN". */
const char *igvm_type_name(uint32_t type);

#endif
