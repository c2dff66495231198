/*
 * Where the vTPM's sealed state lives on this machine, and the key that
 * seals it (docs/vtpm.md, "The medium and the key").
 *
 * The medium is the machine's NV flash bank (hillock/machine.h) when one
 * answers and the host gave a sealing secret, else two RAM slots; the
 * command line can insist on either (hillock.tpm_nv=ram|flash).  The key is
 * derived from the host's secret (a fw_cfg file), else drawn at random for
 * this boot.  The flash's lower half holds the two slots; its upper half is
 * never used by the vTPM (tests/image/test_tpm_nv.c works there).
 *
 * Use, e.g. from the gate:
 *
 *	uint8_t key[NVSTORE_KEY_SIZE];
 *	if (tpm_nv_platform_open(&platform, slot_size, key) == 0) {
 *		nvstore_init(&nv, &platform.backend, key, entropy, NULL);
 *		mbedtls_platform_zeroize(key, sizeof(key));
 *	}
 */
#ifndef HILLOCK_TPM_NV_PLATFORM_H
#define HILLOCK_TPM_NV_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include <drivers/cfi_flash.h>

#include "nvstore.h"
#include "nvstore_flash.h"

/* The fw_cfg file with the host's 32-byte sealing secret. */
#define TPM_NV_SECRET_FILE "opt/hillock/tpm-seal-key"
#define TPM_NV_SECRET_SIZE 32
/* The HKDF-SHA256 info string the sealing key is derived with. */
#define TPM_NV_KEY_LABEL "hillock vtpm nv seal v1"

struct tpm_nv_platform {
	struct nv_backend backend; /* for nvstore_init() */
	const char *medium;	   /* "pflash" or "RAM" */
	int persistent;		   /* the state survives a restart: flash and the host's key */
	const char *key_source;	   /* "fw_cfg" or "random" */
	/* Whether the machine's NV flash answered, whichever medium was
	 * chosen; then flash is the probed bank (see tpm_nv_platform_spare). */
	int flash_found;
	struct cfi_flash flash;

	/* private */
	struct nvstore_flash flash_slots;
	struct nvstore_ram ram_slots;
	uint64_t ram_pa;
	size_t ram_pages;
};

/*
 * Finds the medium and the sealing key.  slot_size: the largest sealed
 * record plus its header the caller needs per slot (the flash rounds it up
 * to erase blocks).  key: NVSTORE_KEY_SIZE bytes out, for nvstore_init();
 * the caller wipes it.  Logs what it chose and why; never the key.
 * Returns 0, -EINVAL (slot_size 0), -ENODEV (hillock.tpm_nv=flash and no
 * usable flash) or -ENOMEM (no RAM for the slots).
 */
int tpm_nv_platform_open(struct tpm_nv_platform *p, size_t slot_size,
			 uint8_t key[NVSTORE_KEY_SIZE]);

/* Gives back the RAM slots, if any.  The flash stays as it is. */
void tpm_nv_platform_close(struct tpm_nv_platform *p);

/* The part of the flash the vTPM never uses, [*off, *off + *len) in the
 * bank (p->flash).  0, or -ENODEV when no flash was found. */
int tpm_nv_platform_spare(const struct tpm_nv_platform *p, uint64_t *off, uint64_t *len);

#endif
