/*
 * The flash backend of nvstore (tpm/nvstore_flash.h).
 *
 * Per slot it remembers, since the last flush, how far from the slot's
 * start it has erased and which span it has written.  A write first erases
 * the blocks between that mark and its own end, then programs.  A write
 * that overlaps the written span belongs to a new store whose predecessor
 * never flushed: the marks are dropped and erasing starts again from the
 * slot's first block.  Any failure drops them too.  Both cases only ever
 * erase the slot being written.
 */
#include "nvstore_flash.h"

#include <errno.h>
#include <string.h>

static uint64_t nvflash_slot_base(const struct nvstore_flash *nf, unsigned slot)
{
	return nf->offset + (uint64_t)slot * nf->slot_size;
}

static int nvflash_in_bounds(const struct nvstore_flash *nf, unsigned slot, size_t off, size_t len)
{
	return slot < NVSTORE_SLOT_COUNT && off <= nf->slot_size && len <= nf->slot_size - off;
}

static void nvflash_forget(struct nvstore_flash *nf, unsigned slot)
{
	nf->erased[slot] = 0;
	nf->written_lo[slot] = 0;
	nf->written_hi[slot] = 0;
}

static int nvflash_read(void *ctx, unsigned slot, size_t off, void *buf, size_t len)
{
	const struct nvstore_flash *nf = ctx;

	if (!nvflash_in_bounds(nf, slot, off, len)) {
		return -1;
	}
	return cfi_flash_read(nf->flash, nvflash_slot_base(nf, slot) + off, buf, len) == 0 ? 0 : -1;
}

/* Erases the slot's blocks from the erased mark up to (not including) end. */
static int nvflash_erase_to(struct nvstore_flash *nf, unsigned slot, uint64_t end)
{
	uint32_t block = nf->flash->erase_block;

	while (nf->erased[slot] < end) {
		if (cfi_flash_erase(nf->flash, nvflash_slot_base(nf, slot) + nf->erased[slot]) != 0) {
			return -1;
		}
		nf->erased[slot] += block;
	}
	return 0;
}

static int nvflash_write(void *ctx, unsigned slot, size_t off, const void *buf, size_t len)
{
	struct nvstore_flash *nf = ctx;
	uint64_t block = nf->flash->erase_block;
	uint64_t end = (uint64_t)off + len;

	if (!nvflash_in_bounds(nf, slot, off, len)) {
		return -1;
	}
	if (len == 0) {
		return 0;
	}
	if (nf->written_hi[slot] > nf->written_lo[slot] && off < nf->written_hi[slot] &&
	    end > nf->written_lo[slot]) {
		nvflash_forget(nf, slot); /* a new store over an unfinished one */
	}
	if (nvflash_erase_to(nf, slot, (end + block - 1) / block * block) != 0 ||
	    cfi_flash_program(nf->flash, nvflash_slot_base(nf, slot) + off, buf, len) != 0) {
		nvflash_forget(nf, slot);
		return -1;
	}
	if (nf->written_hi[slot] == nf->written_lo[slot]) {
		nf->written_lo[slot] = off;
		nf->written_hi[slot] = end;
	} else {
		nf->written_lo[slot] = off < nf->written_lo[slot] ? off : nf->written_lo[slot];
		nf->written_hi[slot] = end > nf->written_hi[slot] ? end : nf->written_hi[slot];
	}
	return 0;
}

/* Programming is complete when cfi_flash_program() returns; the flush only
 * ends the store, so that the next write to the slot erases it again. */
static int nvflash_flush(void *ctx, unsigned slot)
{
	struct nvstore_flash *nf = ctx;

	if (slot >= NVSTORE_SLOT_COUNT) {
		return -1;
	}
	nvflash_forget(nf, slot);
	return 0;
}

size_t nvstore_flash_slot_size(const struct cfi_flash *flash, size_t min_bytes)
{
	size_t block = flash->erase_block;

	if (block == 0 || min_bytes > SIZE_MAX - (block - 1)) {
		return 0;
	}
	return (min_bytes + block - 1) / block * block;
}

int nvstore_flash_init(struct nvstore_flash *nf, struct nv_backend *backend,
		       const struct cfi_flash *flash, uint64_t offset, size_t slot_size)
{
	uint64_t block = flash->erase_block;

	if (block == 0 || slot_size == 0 || slot_size % block != 0 || offset % block != 0 ||
	    offset > flash->size || slot_size > (flash->size - offset) / NVSTORE_SLOT_COUNT) {
		return -EINVAL;
	}
	memset(nf, 0, sizeof(*nf));
	nf->flash = flash;
	nf->offset = offset;
	nf->slot_size = slot_size;
	backend->slot_size = slot_size;
	backend->read = nvflash_read;
	backend->write = nvflash_write;
	backend->flush = nvflash_flush;
	backend->ctx = nf;
	return 0;
}
