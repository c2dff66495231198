/* QEMU fw_cfg: the file directory and the MMIO transport (drivers/fw_cfg.h).
 * The I/O-port transport needs port instructions and lives with the
 * architecture that has them (arch/x86_64/machine.c). */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <drivers/fw_cfg.h>
#include <hillock/mmu.h>
#include <hillock/page.h>

/* ---- MMIO transport ---- */

static void fw_cfg_mmio_select(const struct fw_cfg *fw, uint16_t key)
{
	*(volatile uint16_t *)(uintptr_t)(fw->base + FW_CFG_MMIO_SELECTOR) = __builtin_bswap16(key);
}

static void fw_cfg_mmio_read(const struct fw_cfg *fw, void *buf, size_t len)
{
	uint8_t *out = buf;

	for (size_t i = 0; i < len; i++) {
		out[i] = *(volatile uint8_t *)(uintptr_t)(fw->base + FW_CFG_MMIO_DATA);
	}
}

int fw_cfg_mmio_init(struct fw_cfg *fw, uint64_t base)
{
	int rc = mmu_map(base & ~(uint64_t)(PAGE_SIZE - 1), PAGE_SIZE,
			 MMU_READ | MMU_WRITE | MMU_DEVICE);

	if (rc != 0) {
		return rc;
	}
	fw->select = fw_cfg_mmio_select;
	fw->read = fw_cfg_mmio_read;
	fw->base = base;
	return 0;
}

/* ---- the directory ---- */

static uint32_t fw_cfg_be32(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int fw_cfg_find(const struct fw_cfg *fw, const char *name, struct fw_cfg_file *out)
{
	char signature[4];
	struct fw_cfg_dir_entry e;
	uint8_t count_be[4];
	uint32_t count;
	size_t name_len = strlen(name);

	fw->select(fw, FW_CFG_SIGNATURE);
	fw->read(fw, signature, sizeof(signature));
	if (memcmp(signature, FW_CFG_SIGNATURE_BYTES, sizeof(signature)) != 0) {
		return -ENODEV;
	}
	fw->select(fw, FW_CFG_FILE_DIR);
	fw->read(fw, count_be, sizeof(count_be));
	count = fw_cfg_be32(count_be);
	if (count > FW_CFG_DIR_MAX) {
		return -EIO;
	}
	if (name_len >= FW_CFG_NAME_SIZE) {
		return -ENOENT;
	}
	for (uint32_t i = 0; i < count; i++) {
		fw->read(fw, &e, sizeof(e));
		/* Only a terminated name of the same length matches. */
		if (memchr(e.name, '\0', sizeof(e.name)) == NULL ||
		    memcmp(e.name, name, name_len + 1) != 0) {
			continue;
		}
		out->size = fw_cfg_be32(&e.size);
		out->select = __builtin_bswap16(e.select);
		return 0;
	}
	return -ENOENT;
}

int fw_cfg_read_file(const struct fw_cfg *fw, const struct fw_cfg_file *file, void *buf, size_t len)
{
	if (len != file->size) {
		return -EMSGSIZE;
	}
	fw->select(fw, file->select);
	fw->read(fw, buf, len);
	return 0;
}
