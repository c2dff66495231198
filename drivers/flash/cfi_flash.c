/* CFI parallel NOR flash, Intel/Sharp command set (drivers/cfi_flash.h).
 *
 * Every access is one volatile bus word of bank_width bytes at an aligned
 * offset.  Commands are written with the command byte in every byte of the
 * word: each chip takes its low byte, and x16 chips ignore their high byte.
 * Status and query data are read per chip lane (drivers/cfi_spec.h).
 *
 * Programming uses the buffered program (0xe8) for runs of words within
 * one write buffer and the single-word program (0x40) otherwise; either
 * way the words are checked beforehand (no bit may need setting) and read
 * back afterwards.  Under QEMU the buffered program matters: every switch
 * between command and read-array mode remaps the bank, which costs TCG
 * tens of microseconds, and a word program needs two per word.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <drivers/cfi_flash.h>
#include <drivers/cfi_spec.h>
#include <hillock/arch.h>
#include <hillock/mmu.h>
#include <hillock/page.h>

/* Bus words are assembled from bytes in address order with native loads. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "cfi_flash assumes a little-endian CPU");

#define CFI_CHIP_SIZE_MAX_LOG2 30 /* 1 GiB per chip */
#define CFI_WRITE_BUFFER_MAX_LOG2 16

/* ---- bus access ---- */

static uint32_t bus_read(const struct cfi_flash *f, uint64_t off)
{
	uintptr_t a = (uintptr_t)(f->base + off);

	switch (f->bank_width) {
	case 1:
		return *(volatile uint8_t *)a;
	case 2:
		return *(volatile uint16_t *)a;
	default:
		return *(volatile uint32_t *)a;
	}
}

static void bus_write(const struct cfi_flash *f, uint64_t off, uint32_t v)
{
	uintptr_t a = (uintptr_t)(f->base + off);

	switch (f->bank_width) {
	case 1:
		*(volatile uint8_t *)a = (uint8_t)v;
		break;
	case 2:
		*(volatile uint16_t *)a = (uint16_t)v;
		break;
	default:
		*(volatile uint32_t *)a = v;
		break;
	}
}

static uint32_t bus_mask(const struct cfi_flash *f)
{
	return f->bank_width == 4 ? 0xffffffffu : (1u << (8 * f->bank_width)) - 1;
}

static void bus_cmd(const struct cfi_flash *f, uint64_t off, uint8_t cmd)
{
	bus_write(f, off, (cmd * 0x01010101u) & bus_mask(f));
}

/* The value byte in the low byte of every chip's lane. */
static uint32_t chip_lanes(const struct cfi_flash *f, uint8_t byte)
{
	unsigned lane_bits = 8u * f->bank_width / f->chips;
	uint32_t v = 0;

	for (unsigned c = 0; c < f->chips; c++) {
		v |= (uint32_t)byte << (lane_bits * c);
	}
	return v;
}

/*
 * Decodes a query word: every chip's lane must carry the same value, and
 * that value must fit a byte.  Returns it, or -1.
 */
static int query_decode(const struct cfi_flash *f, uint32_t word)
{
	unsigned lane_bits = 8u * f->bank_width / f->chips;
	uint32_t lane_mask = lane_bits == 32 ? 0xffffffffu : (1u << lane_bits) - 1;
	uint32_t first = word & lane_mask;

	if (first > 0xff) {
		return -1;
	}
	for (unsigned c = 1; c < f->chips; c++) {
		if (((word >> (lane_bits * c)) & lane_mask) != first) {
			return -1;
		}
	}
	return (int)first;
}

/* ---- status ---- */

/*
 * Polls the status register at off until every chip is ready, at most
 * timeout_ns; then checks the error bits.  Leaves the bank in read-array
 * mode on every path.
 */
static int cfi_wait(const struct cfi_flash *f, uint64_t off, uint64_t timeout_ns)
{
	uint32_t ready = chip_lanes(f, CFI_STATUS_READY);
	uint64_t start = arch_time_ns();
	uint32_t status;
	int rc = 0;

	for (;;) {
		status = bus_read(f, off);
		if ((status & ready) == ready) {
			break;
		}
		if (arch_time_ns() - start > timeout_ns) {
			bus_cmd(f, off, CFI_CMD_READ_ARRAY);
			return -ETIMEDOUT;
		}
	}
	if (status & chip_lanes(f, CFI_STATUS_LOCKED)) {
		rc = -EACCES;
	} else if (status & chip_lanes(f, CFI_STATUS_ERRORS)) {
		rc = -EIO;
	}
	if (rc != 0) {
		bus_cmd(f, off, CFI_CMD_CLEAR_STATUS);
	}
	bus_cmd(f, off, CFI_CMD_READ_ARRAY);
	return rc;
}

/* ---- probe ---- */

/* Reads the query words (the bus word at each table index) between the
 * query command and the return to read-array mode. */
static void cfi_query(const struct cfi_flash *f, uint32_t words[CFI_QUERY_END])
{
	bus_cmd(f, 0, CFI_CMD_READ_ARRAY);
	bus_cmd(f, (uint64_t)CFI_QUERY_ADDR * f->bank_width, CFI_CMD_QUERY);
	for (unsigned i = 0; i < CFI_QUERY_END; i++) {
		words[i] = bus_read(f, (uint64_t)i * f->bank_width);
	}
	bus_cmd(f, 0, CFI_CMD_READ_ARRAY);
}

/* Decodes the words into the table t with f->chips chips; -1 if a lane is
 * inconsistent. */
static int cfi_table_decode(const struct cfi_flash *f, const uint32_t words[CFI_QUERY_END],
			    uint8_t t[CFI_QUERY_END])
{
	for (unsigned i = 0; i < CFI_QUERY_END; i++) {
		int v = query_decode(f, words[i]);

		if (v < 0) {
			return -1;
		}
		t[i] = (uint8_t)v;
	}
	return 0;
}

/* A timeout from the table's typical time (2^typ units) and its maximum
 * (2^max times typical), doubled, within [floor, ceiling]. */
static uint64_t cfi_timeout(uint8_t typ, uint8_t max, uint64_t unit_ns, uint64_t floor_ns,
			    uint64_t ceiling_ns)
{
	uint64_t t;

	if (typ == 0 || typ > 24 || max > 16) {
		return ceiling_ns;
	}
	t = (unit_ns << typ << max) * 2;
	return t < floor_ns ? floor_ns : t > ceiling_ns ? ceiling_ns : t;
}

/* Checks the table and fills f's geometry; -ENOTSUP for anything the driver
 * does not handle or that does not add up. */
static int cfi_geometry(struct cfi_flash *f, const uint8_t t[CFI_QUERY_END], uint64_t window)
{
	unsigned cmdset = t[CFI_PRIMARY_CMDSET] | t[CFI_PRIMARY_CMDSET + 1] << 8;
	unsigned blocks = (t[CFI_REGION1_BLOCKS] | t[CFI_REGION1_BLOCKS + 1] << 8) + 1u;
	uint64_t block = (uint64_t)(t[CFI_REGION1_BLOCK_SIZE] | t[CFI_REGION1_BLOCK_SIZE + 1] << 8) * 256;
	unsigned buffer_log2 = t[CFI_WRITE_BUFFER] | t[CFI_WRITE_BUFFER + 1] << 8;
	uint64_t chip_size;

	if (cmdset != CFI_CMDSET_INTEL_EXTENDED && cmdset != CFI_CMDSET_INTEL_STANDARD) {
		return -ENOTSUP;
	}
	if (t[CFI_DEVICE_SIZE] > CFI_CHIP_SIZE_MAX_LOG2 || t[CFI_ERASE_REGIONS] != 1 || block == 0 ||
	    (block & (block - 1)) != 0 || buffer_log2 > CFI_WRITE_BUFFER_MAX_LOG2) {
		return -ENOTSUP;
	}
	chip_size = (uint64_t)1 << t[CFI_DEVICE_SIZE];
	/* The probe unmaps the window past the bank: the bank is whole pages. */
	if ((uint64_t)blocks * block != chip_size || chip_size * f->chips > window ||
	    chip_size * f->chips < PAGE_SIZE) {
		return -ENOTSUP;
	}
	/* A buffered program goes to the block its first word is in: a write
	 * buffer (aligned, so never across a block) must fit in a block. */
	if (buffer_log2 != 0 && (uint64_t)1 << buffer_log2 > block) {
		return -ENOTSUP;
	}
	f->size = chip_size * f->chips;
	f->erase_block = (uint32_t)(block * f->chips);
	f->write_buffer = buffer_log2 ? (1u << buffer_log2) * f->chips : 0;
	f->program_timeout_ns = cfi_timeout(t[CFI_WORD_PROGRAM_TYP], t[CFI_WORD_PROGRAM_MAX], 1000,
					    10 * 1000 * 1000ull, 1000 * 1000 * 1000ull);
	f->buffer_timeout_ns = cfi_timeout(t[CFI_BUFFER_PROGRAM_TYP], t[CFI_BUFFER_PROGRAM_MAX], 1000,
					   10 * 1000 * 1000ull, 1000 * 1000 * 1000ull);
	f->erase_timeout_ns = cfi_timeout(t[CFI_BLOCK_ERASE_TYP], t[CFI_BLOCK_ERASE_MAX], 1000 * 1000,
					  1000 * 1000 * 1000ull, 60 * 1000 * 1000 * 1000ull);
	return 0;
}

int cfi_query_parse(struct cfi_flash *f, const uint32_t words[CFI_QUERY_END], uint64_t window)
{
	uint8_t t[CFI_QUERY_END];

	/* How many chips share the bus shows in where "QRY" appears. */
	for (unsigned chips = 1; chips <= f->bank_width; chips *= 2) {
		f->chips = (uint8_t)chips;
		if (query_decode(f, words[CFI_QRY]) == 'Q' && query_decode(f, words[CFI_QRY + 1]) == 'R' &&
		    query_decode(f, words[CFI_QRY + 2]) == 'Y') {
			if (cfi_table_decode(f, words, t) != 0) {
				return -ENOTSUP;
			}
			return cfi_geometry(f, t, window);
		}
	}
	return -ENODEV;
}

int cfi_flash_probe(struct cfi_flash *f, uint64_t base, uint64_t window, unsigned bank_width)
{
	uint32_t words[CFI_QUERY_END];
	int rc;

	if ((bank_width != 1 && bank_width != 2 && bank_width != 4) || base % PAGE_SIZE != 0 ||
	    window == 0 || window % PAGE_SIZE != 0 || base + window < base) {
		return -EINVAL;
	}
	memset(f, 0, sizeof(*f));
	f->base = base;
	f->bank_width = (uint8_t)bank_width;
	f->chips = 1;
	rc = mmu_map(base, window, MMU_READ | MMU_WRITE | MMU_DEVICE);
	if (rc != 0) {
		return rc;
	}
	cfi_query(f, words);
	rc = cfi_query_parse(f, words, window);
	if (rc != 0) {
		mmu_unmap(base, window);
		memset(f, 0, sizeof(*f));
		return rc;
	}
	if (f->size < window) {
		mmu_unmap(base + f->size, window - f->size);
	}
	return 0;
}

/* ---- read, erase, program ---- */

static int cfi_in_bounds(const struct cfi_flash *f, uint64_t off, uint64_t len)
{
	return f->size != 0 && off <= f->size && len <= f->size - off;
}

int cfi_flash_read(const struct cfi_flash *f, uint64_t off, void *buf, size_t len)
{
	uint8_t *out = buf;

	if (!cfi_in_bounds(f, off, len) || (len != 0 && buf == NULL)) {
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		out[i] = *(volatile uint8_t *)(uintptr_t)(f->base + off + i);
	}
	return 0;
}

int cfi_flash_erase(const struct cfi_flash *f, uint64_t off)
{
	uint32_t ones = bus_mask(f);
	int rc;

	if (!cfi_in_bounds(f, off, f->erase_block) || off % f->erase_block != 0) {
		return -EINVAL;
	}
	bus_cmd(f, off, CFI_CMD_CLEAR_STATUS);
	bus_cmd(f, off, CFI_CMD_BLOCK_ERASE);
	bus_cmd(f, off, CFI_CMD_CONFIRM);
	rc = cfi_wait(f, off, f->erase_timeout_ns);
	if (rc != 0) {
		return rc;
	}
	for (uint64_t a = off; a < off + f->erase_block; a += f->bank_width) {
		if (bus_read(f, a) != ones) {
			return -EIO;
		}
	}
	return 0;
}

/*
 * The bus word at a (aligned) as it should be: the bytes of [off, off + len)
 * from buf, the others from cur (what the word holds now; only the first
 * and the last word of a range can have such bytes).
 */
static uint32_t cfi_word_want(const struct cfi_flash *f, uint64_t a, uint64_t off,
			      const uint8_t *buf, size_t len, uint32_t cur)
{
	uint8_t bytes[4];
	uint32_t want = 0;

	memcpy(bytes, &cur, sizeof(bytes));
	for (unsigned i = 0; i < f->bank_width; i++) {
		if (a + i >= off && a + i < off + len) {
			bytes[i] = buf[a + i - off];
		}
	}
	memcpy(&want, bytes, f->bank_width);
	return want;
}

static int cfi_program_word(const struct cfi_flash *f, uint64_t a, uint32_t want)
{
	bus_cmd(f, a, CFI_CMD_WORD_PROGRAM);
	bus_write(f, a, want);
	return cfi_wait(f, a, f->program_timeout_ns);
}

/*
 * Programs the words [a, e), which lie in one write buffer, with a buffered
 * program: the command, the word count minus one (per chip), the words, the
 * confirm.  want(w) comes from buf and the edge words' current values.
 */
static int cfi_program_buffered(const struct cfi_flash *f, uint64_t a, uint64_t e,
				uint64_t off, const uint8_t *buf, size_t len, uint32_t head,
				uint32_t tail)
{
	uint32_t ready = chip_lanes(f, CFI_STATUS_READY);
	uint32_t count = (uint32_t)((e - a) / f->bank_width) - 1;
	unsigned lane_bits = 8u * f->bank_width / f->chips;
	uint32_t count_word = 0;
	uint64_t start = arch_time_ns();

	/* The status says when the buffer is free for us. */
	bus_cmd(f, a, CFI_CMD_BUFFERED_PROGRAM);
	while ((bus_read(f, a) & ready) != ready) {
		if (arch_time_ns() - start > f->program_timeout_ns) {
			bus_cmd(f, a, CFI_CMD_READ_ARRAY);
			return -ETIMEDOUT;
		}
	}
	for (unsigned c = 0; c < f->chips; c++) {
		count_word |= count << (lane_bits * c);
	}
	bus_write(f, a, count_word);
	for (uint64_t w = a; w < e; w += f->bank_width) {
		bus_write(f, w, cfi_word_want(f, w, off, buf, len, w == a ? head : tail));
	}
	bus_cmd(f, a, CFI_CMD_CONFIRM);
	return cfi_wait(f, a, f->buffer_timeout_ns);
}

/* Where the program chunk starting at a ends: the end of its write buffer
 * (at most as many words as a chip's count field can say), or of the range. */
static uint64_t cfi_chunk_end(const struct cfi_flash *f, uint64_t a, uint64_t end)
{
	unsigned lane_bits = 8u * f->bank_width / f->chips;
	uint64_t words_max = lane_bits >= 16 ? 65536 : 256;
	uint64_t chunk = f->write_buffer;
	uint64_t e;

	if (chunk > words_max * f->bank_width) {
		chunk = words_max * f->bank_width;
	}
	if (chunk < 2u * f->bank_width) {
		return a + f->bank_width;
	}
	e = a - a % chunk + chunk;
	return e < end ? e : end;
}

int cfi_flash_program(const struct cfi_flash *f, uint64_t off, const void *buf, size_t len)
{
	uint64_t first = off - off % f->bank_width;
	uint64_t end, last;
	uint32_t head, tail;
	int rc;

	if (!cfi_in_bounds(f, off, len) || (len != 0 && buf == NULL)) {
		return -EINVAL;
	}
	if (len == 0) {
		return 0;
	}
	end = off + len + (f->bank_width - (off + len) % f->bank_width) % f->bank_width;
	last = end - f->bank_width;
	head = bus_read(f, first);
	tail = bus_read(f, last);
	/* All or nothing for what needs an erase: check before programming. */
	for (uint64_t a = first; a < end; a += f->bank_width) {
		uint32_t cur = bus_read(f, a);
		uint32_t want = cfi_word_want(f, a, off, buf, len, a == first ? head : tail);

		if ((cur & want) != want) {
			return -ENOTEMPTY;
		}
	}
	bus_cmd(f, first, CFI_CMD_CLEAR_STATUS);
	bus_cmd(f, first, CFI_CMD_READ_ARRAY);
	for (uint64_t a = first, e; a < end; a = e) {
		e = cfi_chunk_end(f, a, end);
		if (e - a > f->bank_width) {
			rc = cfi_program_buffered(f, a, e, off, buf, len, a == first ? head : tail, tail);
		} else {
			rc = cfi_program_word(f, a,
					      cfi_word_want(f, a, off, buf, len, a == first ? head : tail));
		}
		if (rc != 0) {
			return rc;
		}
	}
	for (uint64_t a = first; a < end; a += f->bank_width) {
		if (bus_read(f, a) != cfi_word_want(f, a, off, buf, len, a == first ? head : tail)) {
			return -EIO;
		}
	}
	return 0;
}
