/* A CFI parallel NOR flash bank with the Intel/Sharp command set (QEMU's
 * pflash_cfi01): probe, read, block erase, program.
 *
 * The flash is host-controlled memory-mapped I/O: its query data is checked
 * before it is believed, every wait is bounded by a timeout, and what is
 * read from it is the caller's to authenticate.  Calls take the bank in the
 * read-array mode and leave it there.  Not thread-safe: one user per bank.
 */
#ifndef DRIVERS_CFI_FLASH_H
#define DRIVERS_CFI_FLASH_H

#include <stddef.h>
#include <stdint.h>

#include <drivers/cfi_spec.h>

/* A probed bank.  Filled by cfi_flash_probe(); read-only afterwards. */
struct cfi_flash {
	uint64_t base;		/* physical address, mapped at the same virtual address */
	uint64_t size;		/* bytes in the bank */
	uint32_t erase_block;	/* bytes one erase clears, bank-wide (a power of two) */
	uint32_t write_buffer;	/* bytes of a buffered program, bank-wide; 0: none */
	uint8_t bank_width;	/* bytes per bus access: 1, 2 or 4 */
	uint8_t chips;		/* chips side by side in a bus word */
	uint64_t program_timeout_ns; /* per bus word */
	uint64_t buffer_timeout_ns;  /* per buffered program */
	uint64_t erase_timeout_ns;   /* per block */
};

/*
 * Maps [base, base + window) as device memory and asks for CFI query data
 * with bus accesses of bank_width bytes.  On success fills f and returns 0;
 * the bank is size bytes from base (at most window).  Returns -EINVAL for
 * bad arguments, -ENODEV when nothing answers the query (the window is
 * unmapped again), -ENOTSUP for a command set or geometry the driver does
 * not handle (non-uniform blocks, sizes that do not add up, a bank smaller
 * than a page, a write buffer larger than an erase block), or mmu_map()'s
 * error.
 */
int cfi_flash_probe(struct cfi_flash *f, uint64_t base, uint64_t window, unsigned bank_width);

/*
 * The probe's check of the query data, without I/O (and so fuzzable):
 * words[i] is the bus word the bank returned at table index i
 * (drivers/cfi_spec.h), f->bank_width (1, 2 or 4) is set.  Finds how many
 * chips share the bus, checks that their lanes agree and that the geometry
 * adds up within window bytes, and fills f's other fields but base.  0,
 * -ENODEV when no layout shows "QRY", or -ENOTSUP.
 */
int cfi_query_parse(struct cfi_flash *f, const uint32_t words[CFI_QUERY_END], uint64_t window);

/* Copies len bytes at offset off into buf.  0, or -EINVAL out of bounds. */
int cfi_flash_read(const struct cfi_flash *f, uint64_t off, void *buf, size_t len);

/*
 * Erases the block at off (a multiple of erase_block) to all 0xff and checks
 * that it reads back so.  0, -EINVAL, -ETIMEDOUT, -EACCES (locked or
 * read-only), or -EIO.
 */
int cfi_flash_erase(const struct cfi_flash *f, uint64_t off);

/*
 * Programs len bytes of buf at off (any alignment) and checks them.
 * Programming only clears bits: when some byte needs a bit set that is
 * clear, nothing is programmed and -ENOTEMPTY is returned (erase first).
 * Otherwise 0, -EINVAL, -ETIMEDOUT, -EACCES or -EIO (then any prefix of the
 * bus words may have been programmed).
 */
int cfi_flash_program(const struct cfi_flash *f, uint64_t off, const void *buf, size_t len);

#endif
