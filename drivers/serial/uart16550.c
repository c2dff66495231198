/* 16550 UART on COM1 (I/O port 0x3f8): the x86_64 boot console.
 *
 * Registers (offset from the base port): 0 THR/DLL, 1 IER/DLM, 3 LCR
 * (bit 7 = divisor latch access), 4 MCR, 5 LSR (bit 5 = THR empty). */
#include <stdint.h>

#include <arch/io.h>
#include <drivers/uart16550.h>

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THR_EMPTY 0x20
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

void uart16550_init(void)
{
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + 0, 1); /* divisor 1: 115200 baud */
	outb(COM1 + 1, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0x07); /* enable and clear the FIFOs */
	outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

void uart16550_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the machine. */
	for (int i = 0; i < 100000 && !(inb(COM1 + UART_LSR) & LSR_THR_EMPTY); i++) {
	}
	outb(COM1 + UART_THR, (uint8_t)c);
}
