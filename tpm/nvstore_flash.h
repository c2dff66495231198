/*
 * The flash backend of nvstore (tpm/nvstore.h): two slots on a CFI flash
 * bank (drivers/cfi_flash.h), each a whole number of erase blocks.
 *
 * Flash is erased a block at a time and programming only clears bits, while
 * nvstore overwrites a slot in place.  A store writes every byte of a slot's
 * record once, so the backend erases the blocks a store is about to write,
 * just before it writes into each of them for the first time since the last
 * flush.  That is crash-safe because nvstore only ever writes the slot that
 * does not hold the newest valid record (docs/vtpm.md, "Why a crash leaves
 * the old or the new state").  A store that stopped without its flush
 * (a failed write) is noticed by the next store writing bytes it already
 * wrote: the erasing starts over.
 */
#ifndef HILLOCK_TPM_NVSTORE_FLASH_H
#define HILLOCK_TPM_NVSTORE_FLASH_H

#include <stddef.h>
#include <stdint.h>

#include <drivers/cfi_flash.h>

#include "nvstore.h"

/* Caller-allocated; fields are private. */
struct nvstore_flash {
	const struct cfi_flash *flash;
	uint64_t offset;  /* slot 0's offset in the bank; slot 1 follows it */
	size_t slot_size; /* a multiple of the erase block */
	/* Per slot, since the last flush: bytes from the slot's start that
	 * are erased, and the span [written_lo, written_hi) written. */
	uint64_t erased[NVSTORE_SLOT_COUNT];
	uint64_t written_lo[NVSTORE_SLOT_COUNT];
	uint64_t written_hi[NVSTORE_SLOT_COUNT];
};

/* The slot size for at least min_bytes: min_bytes rounded up to erase
 * blocks (0 if that overflows). */
size_t nvstore_flash_slot_size(const struct cfi_flash *flash, size_t min_bytes);

/*
 * Fills backend to use nf: two slots of slot_size bytes (a non-zero
 * multiple of the erase block) from offset (erase-block aligned) in flash.
 * Nothing is read or written.  0, or -EINVAL when the slots do not fit.
 */
int nvstore_flash_init(struct nvstore_flash *nf, struct nv_backend *backend,
		       const struct cfi_flash *flash, uint64_t offset, size_t slot_size);

#endif
