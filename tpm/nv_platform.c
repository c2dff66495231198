/*
 * The vTPM's NV medium and sealing key on this machine (tpm/nv_platform.h).
 *
 * Choosing the medium:
 *   hillock.tpm_nv=ram    RAM slots
 *   hillock.tpm_nv=flash  the NV flash, or -ENODEV; even with a random key
 *   (empty)               the NV flash if it answers, is big enough and the
 *                         host gave a secret; otherwise RAM
 * Without the host's secret the key is new every boot: records on the
 * flash from an earlier boot cannot be read (the TPM then refuses to start,
 * leaving them as they are: kernel/tpm_gate.c), and nothing this boot
 * stores can be read after a restart.  By default such a boot keeps its
 * state in RAM and leaves the flash alone.
 */
#include "nv_platform.h"

#include <errno.h>
#include <string.h>

#include <drivers/fw_cfg.h>
#include <hillock/arch.h>
#include <hillock/config.h>
#include <hillock/kmsg.h>
#include <hillock/machine.h>
#include <hillock/page.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>

_Static_assert(NVSTORE_KEY_SIZE == 32, "the sealing key is one SHA-256 output");

/* ---- the key ---- */

/* Reads the host's secret into secret.  0, or why not as a negative errno
 * (-ENODEV no fw_cfg, -ENOENT no such file, -EMSGSIZE not 32 bytes). */
static int tpm_nv_secret_read(uint8_t secret[TPM_NV_SECRET_SIZE], uint32_t *size)
{
	struct fw_cfg fw;
	struct fw_cfg_file file;
	int rc = arch_fw_cfg_open(&fw);

	if (rc == 0) {
		rc = fw_cfg_find(&fw, TPM_NV_SECRET_FILE, &file);
	}
	if (rc != 0) {
		return rc;
	}
	*size = file.size;
	return fw_cfg_read_file(&fw, &file, secret, TPM_NV_SECRET_SIZE);
}

/* key = HKDF-SHA256(salt: none, secret, info: TPM_NV_KEY_LABEL). */
static int tpm_nv_key_derive(const uint8_t secret[TPM_NV_SECRET_SIZE], uint8_t key[NVSTORE_KEY_SIZE])
{
	const mbedtls_md_info_t *sha256 = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);

	if (sha256 == NULL) {
		return -ENOTSUP;
	}
	return mbedtls_hkdf(sha256, NULL, 0, secret, TPM_NV_SECRET_SIZE,
			    (const unsigned char *)TPM_NV_KEY_LABEL, strlen(TPM_NV_KEY_LABEL), key,
			    NVSTORE_KEY_SIZE) == 0
		       ? 0
		       : -EIO;
}

/* The key from the host's secret, else a random one; sets key_source. */
static void tpm_nv_key_get(struct tpm_nv_platform *p, uint8_t key[NVSTORE_KEY_SIZE])
{
	uint8_t secret[TPM_NV_SECRET_SIZE];
	uint32_t size = 0;
	int rc = tpm_nv_secret_read(secret, &size);

	if (rc == 0) {
		rc = tpm_nv_key_derive(secret, key);
	}
	mbedtls_platform_zeroize(secret, sizeof(secret));
	if (rc == 0) {
		p->key_source = "fw_cfg";
		return;
	}
	if (rc == -EMSGSIZE) {
		kmsg(KMSG_WARN, "vtpm nv: fw_cfg %s is %u bytes, not %u: ignored", TPM_NV_SECRET_FILE,
		     size, TPM_NV_SECRET_SIZE);
	} else {
		kmsg(KMSG_WARN, "vtpm nv: no sealing secret from the host (fw_cfg %s: %s)",
		     TPM_NV_SECRET_FILE,
		     rc == -ENODEV ? "no fw_cfg device" : rc == -ENOENT ? "no such file" : "unreadable");
	}
	/* As the gate's entropy: the CPU's generator where it has one. */
	for (size_t i = 0; i < NVSTORE_KEY_SIZE; i += sizeof(uint64_t)) {
		uint64_t r = arch_random_u64();

		memcpy(key + i, &r, sizeof(r));
	}
	p->key_source = "random";
}

/* ---- the medium ---- */

/* Probes the machine's NV flash; the bank must be exactly where and as big
 * as the machine says. */
static void tpm_nv_flash_probe(struct tpm_nv_platform *p)
{
	const struct machine_flash *m = arch_tpm_nv_flash();
	int rc;

	if (m == NULL) {
		return;
	}
	rc = cfi_flash_probe(&p->flash, m->base, m->size, m->bank_width);
	if (rc == 0 && p->flash.size != m->size) {
		kmsg(KMSG_WARN, "vtpm nv: flash at 0x%llx is %llu KiB, not %llu KiB: not used",
		     (unsigned long long)m->base, (unsigned long long)p->flash.size / 1024,
		     (unsigned long long)m->size / 1024);
		rc = -ENOTSUP;
	} else if (rc != 0 && rc != -ENODEV) {
		kmsg(KMSG_WARN, "vtpm nv: flash at 0x%llx not usable (error %d)",
		     (unsigned long long)m->base, rc);
	}
	p->flash_found = rc == 0;
}

static int tpm_nv_flash_open(struct tpm_nv_platform *p, size_t slot_size)
{
	size_t slot = nvstore_flash_slot_size(&p->flash, slot_size);

	/* The two slots fit in the lower half; the upper half is spare. */
	if (slot == 0 || slot > p->flash.size / 2 / NVSTORE_SLOT_COUNT) {
		kmsg(KMSG_WARN, "vtpm nv: flash of %llu KiB too small for two %zu KiB slots",
		     (unsigned long long)p->flash.size / 1024, slot_size / 1024);
		return -ENOSPC;
	}
	if (nvstore_flash_init(&p->flash_slots, &p->backend, &p->flash, 0, slot) != 0) {
		return -EINVAL;
	}
	p->medium = "pflash";
	kmsg(KMSG_INFO,
	     "vtpm nv: pflash at 0x%llx, %llu KiB, %u KiB erase blocks, %u-byte bus of %u chip%s: "
	     "2 slots of %zu KiB",
	     (unsigned long long)p->flash.base, (unsigned long long)p->flash.size / 1024,
	     p->flash.erase_block / 1024, p->flash.bank_width, p->flash.chips,
	     p->flash.chips == 1 ? "" : "s", slot / 1024);
	return 0;
}

static int tpm_nv_ram_open(struct tpm_nv_platform *p, size_t slot_size)
{
	size_t bytes;

	if (slot_size > (SIZE_MAX - PAGE_SIZE) / NVSTORE_SLOT_COUNT) {
		return -ENOMEM;
	}
	bytes = NVSTORE_SLOT_COUNT * slot_size;
	p->ram_pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	p->ram_pa = page_alloc(p->ram_pages, 1, PAGE_USE_COMPARTMENT);
	if (p->ram_pa == 0) {
		kmsg(KMSG_ERR, "vtpm nv: no memory for two %zu KiB slots", slot_size / 1024);
		return -ENOMEM;
	}
	/* Erased slots: nvstore reads all-zero headers as "never written". */
	memset((void *)(uintptr_t)p->ram_pa, 0, p->ram_pages * PAGE_SIZE);
	nvstore_ram_init(&p->ram_slots, &p->backend, (void *)(uintptr_t)p->ram_pa, slot_size);
	p->medium = "RAM";
	return 0;
}

/* Why the state went to RAM, for the log. */
static const char *tpm_nv_ram_reason(const struct tpm_nv_platform *p, const char *want)
{
	if (strcmp(want, "ram") == 0) {
		return "hillock.tpm_nv=ram";
	}
	if (!p->flash_found) {
		return "no NV flash";
	}
	if (strcmp(p->key_source, "fw_cfg") != 0) {
		return "no secret from the host for the flash";
	}
	return "flash too small";
}

int tpm_nv_platform_open(struct tpm_nv_platform *p, size_t slot_size,
			 uint8_t key[NVSTORE_KEY_SIZE])
{
	const char *want = kernel_config.tpm_nv;
	int rc = -ENODEV;

	memset(p, 0, sizeof(*p));
	if (slot_size == 0) {
		return -EINVAL;
	}
	tpm_nv_key_get(p, key);
	if (strcmp(want, "ram") != 0) {
		tpm_nv_flash_probe(p);
	}
	if (p->flash_found && (strcmp(want, "flash") == 0 || strcmp(p->key_source, "fw_cfg") == 0)) {
		rc = tpm_nv_flash_open(p, slot_size);
	}
	if (rc != 0 && strcmp(want, "flash") == 0) {
		kmsg(KMSG_ERR, "vtpm nv: hillock.tpm_nv=flash but no usable flash");
		mbedtls_platform_zeroize(key, NVSTORE_KEY_SIZE);
		return -ENODEV;
	}
	if (rc != 0) {
		rc = tpm_nv_ram_open(p, slot_size);
		if (rc != 0) {
			mbedtls_platform_zeroize(key, NVSTORE_KEY_SIZE);
			return rc;
		}
	}
	p->persistent = strcmp(p->medium, "pflash") == 0 && strcmp(p->key_source, "fw_cfg") == 0;
	if (p->persistent) {
		kmsg(KMSG_INFO, "vtpm nv: state on pflash, sealing key derived from the host's secret "
				"(fw_cfg %s): it persists across restarts",
		     TPM_NV_SECRET_FILE);
	} else if (strcmp(p->medium, "pflash") == 0) {
		kmsg(KMSG_WARN, "vtpm nv: state on pflash under a random key: records from earlier "
				"boots cannot be read (the TPM will not start over them) and none "
				"stored now survives a restart");
	} else {
		kmsg(KMSG_WARN, "vtpm nv: state in RAM (%s), key from %s: it will not survive a restart",
		     tpm_nv_ram_reason(p, want), p->key_source);
	}
	return 0;
}

void tpm_nv_platform_close(struct tpm_nv_platform *p)
{
	if (p->ram_pa != 0) {
		page_free(p->ram_pa, p->ram_pages, PAGE_USE_COMPARTMENT);
	}
	memset(p, 0, sizeof(*p));
}

int tpm_nv_platform_spare(const struct tpm_nv_platform *p, uint64_t *off, uint64_t *len)
{
	if (!p->flash_found) {
		return -ENODEV;
	}
	*off = p->flash.size / 2;
	*len = p->flash.size - *off;
	return 0;
}
