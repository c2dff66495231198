/* Devices of the machine whose place Hillock knows itself rather than
 * taking it from the host: each architecture's file arch/<arch>/machine.c
 * says where they are on the QEMU machine it runs on (q35, virt).  What
 * the devices hold is still host input. */
#ifndef HILLOCK_MACHINE_H
#define HILLOCK_MACHINE_H

#include <stdint.h>

/* A CFI flash bank: where it must be, how big, how wide its bus is. */
struct machine_flash {
	uint64_t base;
	uint64_t size;
	unsigned int bank_width;
};

/* The flash bank that may hold the vTPM's NV state (the machine's second
 * flash), or NULL when the machine has none. */
const struct machine_flash *arch_tpm_nv_flash(void);

struct fw_cfg;

/* Sets fw up for the machine's QEMU fw_cfg device.  0, or a negative
 * errno (-ENODEV: the machine has none). */
int arch_fw_cfg_open(struct fw_cfg *fw);

#endif
