/* Devices of QEMU's virt machine that Hillock finds by address
 * (hillock/machine.h).
 *
 * The flash: virt has two 64 MiB pflash banks at 0 and 0x04000000, each two
 * 16-bit chips on a 32-bit bus; bank 1 is the NV bank (tools/qemu-run.sh
 * --tpm-nv).  virt creates both banks even without a drive: bank 1 is then
 * volatile, which Hillock cannot tell from the device.
 *
 * fw_cfg: MMIO at 0x09020000. */
#include <stdint.h>

#include <drivers/fw_cfg.h>
#include <hillock/machine.h>

#define VIRT_FLASH1_BASE 0x04000000ull
#define VIRT_FLASH_BANK_SIZE (64ull * 1024 * 1024)
#define VIRT_FW_CFG_BASE 0x09020000ull

static const struct machine_flash virt_tpm_nv_flash = {
	.base = VIRT_FLASH1_BASE,
	.size = VIRT_FLASH_BANK_SIZE,
	.bank_width = 4,
};

const struct machine_flash *arch_tpm_nv_flash(void)
{
	return &virt_tpm_nv_flash;
}

int arch_fw_cfg_open(struct fw_cfg *fw)
{
	return fw_cfg_mmio_init(fw, VIRT_FW_CFG_BASE);
}
