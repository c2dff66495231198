/* The interrupt descriptor table (arch/x86_64/exceptions.c) beyond the
 * exceptions: gates for the interrupt vectors 32-255 and the TSS's
 * interrupt stacks. */
#ifndef ARCH_IDT_H
#define ARCH_IDT_H

#include <stdint.h>

#define X86_IDT_VECTORS 256

/* Interrupt-stack-table slots (1-7; 0 is "no switch"). */
#define X86_IST_EXCEPTION 1 /* #DF, NMI: a report even on a blown stack */
#define X86_IST_IRQ 2	    /* interrupts: never on the interrupted stack */

/* Point vector at handler, switching to IST slot ist (0: stay). */
void x86_idt_set_gate(unsigned int vector, uint64_t handler, unsigned int ist);

/* This CPU's TSS: stack_top for IST slot ist. */
void x86_tss_set_ist(unsigned int ist, uint64_t stack_top);

#endif
