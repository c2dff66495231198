/*
 * libFuzzer harness for the CFI flash probe's check of the query data
 * (cfi_query_parse() in drivers/flash/cfi_flash.c): the fuzzer's bytes are
 * what the bank returns in query mode, and whatever the driver accepts must
 * be a geometry that adds up.
 *
 * Input: two bytes of setup, then the bank's contents in query mode.
 *   data[0] % 3           the bus width: 1, 2 or 4 bytes
 *   data[1]               the window: (data[1] >> 5) + 1 pages, shifted
 *                         left by data[1] & 31
 *   data[2..)             bus word i is the bank_width bytes at i * bank_width,
 *                         little-endian; zeros past the input
 * Checked, against the words themselves: "QRY" shows in every chip's lane
 * with the chip count the driver chose, and in no smaller count; every lane
 * of every word agrees; the command set is Intel's; one erase region whose
 * blocks times their count is the chip, chips times the chip is the bank,
 * which is whole pages and fits the window; the write buffer is what the table says and fits
 * in an erase block; the timeouts lie within their bounds.  A refusal is
 * -ENODEV exactly when no chip count shows "QRY", -ENOTSUP otherwise.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <drivers/cfi_flash.h>
#include <drivers/cfi_spec.h>
#include <hillock/page.h>

#define SETUP_BYTES 2
#define BASE 0x40000000ull /* the caller's; the parse leaves it alone */
#define MS 1000000ull

static void must(int cond)
{
	if (!cond) {
		abort();
	}
}

/* Chip c's lane of word, for chips chips on a width-byte bus. */
static uint32_t lane(uint32_t word, unsigned width, unsigned chips, unsigned c)
{
	unsigned bits = 8 * width / chips;
	uint64_t mask = ((uint64_t)1 << bits) - 1;

	return (uint32_t)((word >> (bits * c)) & mask);
}

/* The table byte word carries with chips chips, or -1 when the lanes
 * disagree or the value does not fit a byte. */
static int table_byte(uint32_t word, unsigned width, unsigned chips)
{
	uint32_t v = lane(word, width, chips, 0);

	if (v > 0xff) {
		return -1;
	}
	for (unsigned c = 1; c < chips; c++) {
		if (lane(word, width, chips, c) != v) {
			return -1;
		}
	}
	return (int)v;
}

static int shows_qry(const uint32_t *words, unsigned width, unsigned chips)
{
	return table_byte(words[CFI_QRY], width, chips) == 'Q' &&
	       table_byte(words[CFI_QRY + 1], width, chips) == 'R' &&
	       table_byte(words[CFI_QRY + 2], width, chips) == 'Y';
}

static int is_pow2(uint64_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

static void check_accepted(const struct cfi_flash *f, const uint32_t *words, unsigned width,
			   uint64_t window)
{
	unsigned chips = f->chips;
	uint8_t t[CFI_QUERY_END];
	uint64_t chip_size, block, blocks;
	unsigned cmdset, buffer_log2;

	must(f->base == BASE && f->bank_width == width && is_pow2(chips) && chips <= width);
	must(shows_qry(words, width, chips));
	for (unsigned c = 1; c < chips; c *= 2) {
		must(!shows_qry(words, width, c));
	}
	for (unsigned i = 0; i < CFI_QUERY_END; i++) {
		int v = table_byte(words[i], width, chips);

		must(v >= 0);
		t[i] = (uint8_t)v;
	}
	cmdset = t[CFI_PRIMARY_CMDSET] | t[CFI_PRIMARY_CMDSET + 1] << 8;
	must(cmdset == CFI_CMDSET_INTEL_EXTENDED || cmdset == CFI_CMDSET_INTEL_STANDARD);
	must(t[CFI_ERASE_REGIONS] == 1);

	/* The sizes add up: blocks x block = chip, chips x chip = bank <= window. */
	chip_size = (uint64_t)1 << t[CFI_DEVICE_SIZE];
	blocks = (uint64_t)(t[CFI_REGION1_BLOCKS] | t[CFI_REGION1_BLOCKS + 1] << 8) + 1;
	block = (uint64_t)(t[CFI_REGION1_BLOCK_SIZE] | t[CFI_REGION1_BLOCK_SIZE + 1] << 8) * 256;
	must(blocks * block == chip_size);
	must(f->size == chip_size * chips && f->size <= window);
	must(f->size % PAGE_SIZE == 0); /* the probe unmaps the window past it */
	must(f->erase_block == block * chips && is_pow2(f->erase_block));
	must(f->size % f->erase_block == 0 && f->size / f->erase_block == blocks);

	/* A buffered program never crosses an erase block. */
	buffer_log2 = t[CFI_WRITE_BUFFER] | t[CFI_WRITE_BUFFER + 1] << 8;
	must(f->write_buffer == (buffer_log2 ? ((uint64_t)1 << buffer_log2) * chips : 0));
	must(f->write_buffer <= f->erase_block);

	must(f->program_timeout_ns >= 10 * MS && f->program_timeout_ns <= 1000 * MS);
	must(f->buffer_timeout_ns >= 10 * MS && f->buffer_timeout_ns <= 1000 * MS);
	must(f->erase_timeout_ns >= 1000 * MS && f->erase_timeout_ns <= 60000 * MS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned widths[] = { 1, 2, 4 };
	struct cfi_flash f;
	uint32_t *words;
	unsigned width;
	uint64_t window;
	int rc, qry = 0;

	if (size < SETUP_BYTES) {
		return 0;
	}
	width = widths[data[0] % 3];
	window = ((uint64_t)(data[1] >> 5) + 1) * PAGE_SIZE << (data[1] & 31);
	data += SETUP_BYTES;
	size -= SETUP_BYTES;

	/* Exactly the words the driver may read: ASan guards the end. */
	words = calloc(CFI_QUERY_END, sizeof(*words));
	must(words != NULL);
	for (size_t i = 0; i < CFI_QUERY_END; i++) {
		for (unsigned b = 0; b < width && i * width + b < size; b++) {
			words[i] |= (uint32_t)data[i * width + b] << (8 * b);
		}
	}

	memset(&f, 0, sizeof(f));
	f.base = BASE;
	f.bank_width = (uint8_t)width;
	rc = cfi_query_parse(&f, words, window);
	for (unsigned c = 1; c <= width; c *= 2) {
		qry |= shows_qry(words, width, c);
	}
	if (rc == 0) {
		check_accepted(&f, words, width, window);
	} else {
		must(rc == (qry ? -ENOTSUP : -ENODEV));
	}
	free(words);
	return 0;
}
