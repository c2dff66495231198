/* libFuzzer harness for the IGVM reader: any bytes, parsed for both
 * architectures; on a file the reader accepts, every record is walked, its
 * data touched, and every platform measured.  ASan and UBSan turn an
 * out-of-bounds read or an overflow anywhere on that path into a crash.
 *
 * A mutated file almost never keeps a valid CRC-32 or total size, which
 * would stop nearly every input at the fixed header.  So each input is
 * parsed twice: as given, and with total_file_size and the checksum
 * recomputed, which lets the fuzzer reach the record checks. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "igvm_measure.h"
#include "igvm_reader.h"

static volatile uint8_t sink;

static void walk(const struct igvm_file *f)
{
	struct igvm_record rec;
	uint64_t cursor = 0;
	uint8_t acc = 0;

	while (igvm_record_next(f, &cursor, &rec)) {
		const uint8_t *data;
		size_t len;

		for (uint32_t i = 0; i < rec.length; i++) {
			acc ^= ((const uint8_t *)rec.body)[i];
		}
		acc ^= (uint8_t)igvm_record_applies(&rec, 1u << (rec.index & 31));
		acc ^= (uint8_t)igvm_type_name(rec.type)[0];
		data = igvm_record_data(f, &rec, &len);
		if (data && len) {
			acc ^= data[0] ^ data[len - 1];
		}
	}
	for (unsigned int i = 0; i < f->platform_count; i++) {
		struct igvm_error err;
		uint8_t vbs[32], snp[48];

		if (igvm_measure_vbs(f, f->platforms[i].mask, vbs, &err) == 0) {
			acc ^= vbs[0];
		}
		if (igvm_measure_snp(f, f->platforms[i].mask, snp, &err) == 0) {
			acc ^= snp[0];
		}
	}
	sink = acc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse_both_arches(const uint8_t *data, size_t size)
{
	static const enum igvm_arch arches[] = { IGVM_ARCH_X86_64, IGVM_ARCH_AARCH64 };

	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		struct igvm_file f;
		struct igvm_error err;

		if (igvm_parse(data, size, arches[i], &f, &err) == 0) {
			walk(&f);
		} else {
			sink = (uint8_t)err.message[0];
		}
	}
}

/* Make the fixed header agree with the bytes: size and CRC-32. */
static void fix_header(uint8_t *file, size_t size)
{
	struct igvm_fixed_header h;
	uLong crc;

	memcpy(&h, file, sizeof(h));
	h.total_file_size = (uint32_t)size;
	h.checksum = 0;
	crc = crc32(0L, (const Bytef *)&h, sizeof(h));
	if ((uint64_t)h.variable_header_offset + h.variable_header_size <= size) {
		crc = crc32(crc, file + h.variable_header_offset, h.variable_header_size);
	}
	h.checksum = (uint32_t)crc;
	memcpy(file, &h, sizeof(h));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *fixed;

	parse_both_arches(data, size);
	if (size < sizeof(struct igvm_fixed_header) || size > UINT32_MAX) {
		return 0;
	}
	fixed = malloc(size);
	if (!fixed) {
		return 0;
	}
	memcpy(fixed, data, size);
	fix_header(fixed, size);
	parse_both_arches(fixed, size);
	free(fixed);
	return 0;
}
