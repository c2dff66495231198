/* 16550 UART at COM1: polled output for the boot console. */
#ifndef DRIVERS_UART16550_H
#define DRIVERS_UART16550_H

void uart16550_init(void);
void uart16550_putc(char c);

#endif
