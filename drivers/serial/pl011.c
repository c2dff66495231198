/* Arm PL011 UART (QEMU virt: 0x09000000), polled.
 *
 * Registers: 0x000 DR (data), 0x018 FR (flags; bit 5 = TX FIFO full),
 * 0x030 CR (bit 0 UARTEN, bit 8 TXE).  QEMU's model needs no baud setup. */
#include <stdint.h>

#include <drivers/pl011.h>

#define PL011_DR 0x000
#define PL011_FR 0x018
#define PL011_CR 0x030
#define FR_TXFF (1u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)

static volatile uint32_t *pl011_regs;

static inline volatile uint32_t *pl011_reg(unsigned int off)
{
	return (volatile uint32_t *)((uintptr_t)pl011_regs + off);
}

void pl011_init(uintptr_t base)
{
	pl011_regs = (volatile uint32_t *)base;
	*pl011_reg(PL011_CR) = CR_UARTEN | CR_TXE;
}

void pl011_putc(char c)
{
	if (!pl011_regs) {
		return;
	}
	/* Bounded wait: a wedged UART must not hang the machine. */
	for (int i = 0; i < 100000 && (*pl011_reg(PL011_FR) & FR_TXFF); i++) {
	}
	*pl011_reg(PL011_DR) = (uint8_t)c;
}
