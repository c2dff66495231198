/* QEMU's firmware configuration device (fw_cfg), as documented in QEMU's
 * docs/specs/fw_cfg.rst.
 *
 * An item is chosen by writing its 16-bit selector; its bytes are then read
 * one after another from the data register.  Two transports:
 *   x86 I/O ports  selector at 0x510 (16-bit, little-endian), data at 0x511
 *   MMIO           data at +0, selector at +8 (16-bit, big-endian)
 * Item 0 is the signature "QEMU"; item 0x19 the file directory: a 32-bit
 * big-endian count, then that many entries (struct fw_cfg_dir_entry).
 */
#ifndef DRIVERS_FW_CFG_SPEC_H
#define DRIVERS_FW_CFG_SPEC_H

#include <stddef.h>
#include <stdint.h>

#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_SIGNATURE_BYTES "QEMU"

#define FW_CFG_IOPORT_SELECTOR 0 /* from the transport's base port */
#define FW_CFG_IOPORT_DATA 1
#define FW_CFG_MMIO_DATA 0x0
#define FW_CFG_MMIO_SELECTOR 0x8

#define FW_CFG_NAME_SIZE 56

/* One file directory entry; integers big-endian. */
struct fw_cfg_dir_entry {
	uint32_t size;	 /* bytes in the file */
	uint16_t select; /* the file's selector */
	uint16_t reserved;
	char name[FW_CFG_NAME_SIZE]; /* NUL-terminated */
} __attribute__((packed));

_Static_assert(sizeof(struct fw_cfg_dir_entry) == 64, "fw_cfg directory entry size");
_Static_assert(offsetof(struct fw_cfg_dir_entry, select) == 4, "fw_cfg select offset");
_Static_assert(offsetof(struct fw_cfg_dir_entry, name) == 8, "fw_cfg name offset");

#endif
