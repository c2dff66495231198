/*
 * The RAM backend of nvstore: two slots side by side in memory the caller
 * provides.  Writes land at once and completely, so flush has nothing to do.
 */
#include "nvstore.h"

#include <string.h>

static int ram_in_bounds(const struct nvstore_ram *ram, unsigned slot,
			 size_t off, size_t len)
{
	return slot < NVSTORE_SLOT_COUNT && off <= ram->slot_size &&
	       len <= ram->slot_size - off;
}

static int ram_read(void *ctx, unsigned slot, size_t off, void *buf,
		    size_t len)
{
	const struct nvstore_ram *ram = ctx;

	if (!ram_in_bounds(ram, slot, off, len)) {
		return -1;
	}
	memcpy(buf, ram->mem + slot * ram->slot_size + off, len);
	return 0;
}

static int ram_write(void *ctx, unsigned slot, size_t off, const void *buf,
		     size_t len)
{
	struct nvstore_ram *ram = ctx;

	if (!ram_in_bounds(ram, slot, off, len)) {
		return -1;
	}
	memcpy(ram->mem + slot * ram->slot_size + off, buf, len);
	return 0;
}

static int ram_flush(void *ctx, unsigned slot)
{
	(void)ctx;
	return slot < NVSTORE_SLOT_COUNT ? 0 : -1;
}

void nvstore_ram_init(struct nvstore_ram *ram, struct nv_backend *backend,
		      void *mem, size_t slot_size)
{
	ram->mem = mem;
	ram->slot_size = slot_size;
	backend->slot_size = slot_size;
	backend->read = ram_read;
	backend->write = ram_write;
	backend->flush = ram_flush;
	backend->ctx = ram;
}
