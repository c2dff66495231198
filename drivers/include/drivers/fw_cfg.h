/* QEMU's fw_cfg device: finding and reading the files the host passes with
 * -fw_cfg name=...,file=... (drivers/fw_cfg_spec.h has the format).
 *
 * Everything read is host input: names are compared only when terminated,
 * sizes are checked against the caller's, and the directory is bounded.
 */
#ifndef DRIVERS_FW_CFG_H
#define DRIVERS_FW_CFG_H

#include <stddef.h>
#include <stdint.h>

#include <drivers/fw_cfg_spec.h>

/* A transport: select an item, then read its bytes in order. */
struct fw_cfg {
	void (*select)(const struct fw_cfg *fw, uint16_t key);
	void (*read)(const struct fw_cfg *fw, void *buf, size_t len);
	uint64_t base; /* the transport's I/O port or MMIO address */
};

/* A file found in the directory. */
struct fw_cfg_file {
	uint32_t size;
	uint16_t select;
};

/* The most directory entries read before giving up (QEMU has a few dozen). */
#define FW_CFG_DIR_MAX 4096

/* The MMIO transport at base (maps its page as device memory).  0 or
 * mmu_map()'s error. */
int fw_cfg_mmio_init(struct fw_cfg *fw, uint64_t base);

/*
 * Looks name up in the directory.  0 with *out filled; -ENODEV when the
 * signature is not "QEMU" (no fw_cfg device); -ENOENT when no entry has
 * that name; -EIO when the directory claims more than FW_CFG_DIR_MAX entries.
 */
int fw_cfg_find(const struct fw_cfg *fw, const char *name, struct fw_cfg_file *out);

/* Reads the whole file into buf, which must be exactly file->size bytes
 * (len); -EMSGSIZE otherwise. */
int fw_cfg_read_file(const struct fw_cfg *fw, const struct fw_cfg_file *file, void *buf, size_t len);

#endif
