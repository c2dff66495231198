/* Arm PL011 UART: polled output for the boot console. */
#ifndef DRIVERS_PL011_H
#define DRIVERS_PL011_H

#include <stdint.h>

void pl011_init(uintptr_t base);
void pl011_putc(char c);

#endif
