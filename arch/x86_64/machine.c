/* Devices of QEMU's q35 machine that Hillock finds by address
 * (hillock/machine.h).
 *
 * The flash: q35 maps its pflash units downward from 4 GiB, unit 0 at the
 * top.  tools/qemu-run.sh --tpm-nv gives qboot.rom (64 KiB) as unit 0 and a
 * 1 MiB NV file as unit 1, which therefore sits at 4 GiB - 64 KiB - 1 MiB.
 * q35's flash is one chip on an 8-bit bus.
 *
 * fw_cfg: I/O ports 0x510 (selector, 16-bit) and 0x511 (data, 8-bit). */
#include <stdint.h>

#include <arch/io.h>
#include <drivers/fw_cfg.h>
#include <hillock/machine.h>

#define Q35_FIRMWARE_SIZE (64 * 1024)
#define Q35_TPM_NV_SIZE (1024 * 1024)
#define Q35_FW_CFG_PORT 0x510

static const struct machine_flash q35_tpm_nv_flash = {
	.base = 0x100000000ull - Q35_FIRMWARE_SIZE - Q35_TPM_NV_SIZE,
	.size = Q35_TPM_NV_SIZE,
	.bank_width = 1,
};

const struct machine_flash *arch_tpm_nv_flash(void)
{
	return &q35_tpm_nv_flash;
}

static void fw_cfg_port_select(const struct fw_cfg *fw, uint16_t key)
{
	outw((uint16_t)(fw->base + FW_CFG_IOPORT_SELECTOR), key);
}

static void fw_cfg_port_read(const struct fw_cfg *fw, void *buf, size_t len)
{
	uint8_t *out = buf;

	for (size_t i = 0; i < len; i++) {
		out[i] = inb((uint16_t)(fw->base + FW_CFG_IOPORT_DATA));
	}
}

int arch_fw_cfg_open(struct fw_cfg *fw)
{
	fw->select = fw_cfg_port_select;
	fw->read = fw_cfg_port_read;
	fw->base = Q35_FW_CFG_PORT;
	return 0;
}
