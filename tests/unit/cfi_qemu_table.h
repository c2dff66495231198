/* The CFI query table QEMU's pflash_cfi01 answers with (its realize
 * function), and the bus words that carry it, for the host test of the
 * driver's query check (test_cfi_query.c) and the fuzzer's seeds
 * (tests/fuzz/parser_seeds.c).  Table offsets: drivers/cfi_spec.h. */
#ifndef TESTS_UNIT_CFI_QEMU_TABLE_H
#define TESTS_UNIT_CFI_QEMU_TABLE_H

#include <stdint.h>
#include <string.h>

#include <drivers/cfi_spec.h>

/* One chip of 2^size_log2 bytes in blocks of block bytes (a multiple of
 * 256), with a write buffer of 2^buffer_log2 bytes. */
static inline void cfi_qemu_table(uint8_t t[CFI_QUERY_END], unsigned size_log2, uint32_t block,
				  unsigned buffer_log2)
{
	uint32_t blocks = (uint32_t)((1ull << size_log2) / block);

	memset(t, 0, CFI_QUERY_END);
	memcpy(t + CFI_QRY, "QRY", 3);
	t[CFI_PRIMARY_CMDSET] = CFI_CMDSET_INTEL_EXTENDED;
	t[0x15] = 0x31; /* the primary extended table's address */
	t[0x1b] = 0x45; /* Vcc min and max */
	t[0x1c] = 0x55;
	t[CFI_WORD_PROGRAM_TYP] = 0x07;
	t[CFI_BUFFER_PROGRAM_TYP] = 0x07;
	t[CFI_BLOCK_ERASE_TYP] = 0x0a;
	t[CFI_WORD_PROGRAM_MAX] = 0x04;
	t[CFI_BUFFER_PROGRAM_MAX] = 0x04;
	t[CFI_BLOCK_ERASE_MAX] = 0x04;
	t[CFI_DEVICE_SIZE] = (uint8_t)size_log2;
	t[0x28] = 0x02; /* x8/x16 interface */
	t[CFI_WRITE_BUFFER] = (uint8_t)buffer_log2;
	t[CFI_ERASE_REGIONS] = 1;
	t[CFI_REGION1_BLOCKS] = (uint8_t)(blocks - 1);
	t[CFI_REGION1_BLOCKS + 1] = (uint8_t)((blocks - 1) >> 8);
	t[CFI_REGION1_BLOCK_SIZE] = (uint8_t)(block >> 8);
	t[CFI_REGION1_BLOCK_SIZE + 1] = (uint8_t)(block >> 16);
}

/* The bus words of table t from chips chips on a width-byte bus: each
 * byte in the low byte of every chip's lane. */
static inline void cfi_table_words(uint32_t words[CFI_QUERY_END], const uint8_t t[CFI_QUERY_END],
				   unsigned width, unsigned chips)
{
	unsigned lane_bits = 8 * width / chips;

	for (unsigned i = 0; i < CFI_QUERY_END; i++) {
		words[i] = 0;
		for (unsigned c = 0; c < chips; c++) {
			words[i] |= (uint32_t)t[i] << (lane_bits * c);
		}
	}
}

#endif
