/* The interrupt descriptor table (arch/x86_64/exceptions.c) beyond the
 * exceptions: gates for the interrupt vectors 32-255 and the TSS's
 * interrupt stacks. */
#ifndef ARCH_IDT_H
#define ARCH_IDT_H

#include <stdint.h>

#define X86_IDT_VECTORS 256

/* 64-bit IDT gate (SDM Vol. 3 §6.14.1). */
struct x86_idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr; /* present, DPL, type */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_idt_gate) == 16, "IDT gate is 16 bytes");

/* type_attr: present, 64-bit interrupt gate (clears IF), callable from
 * DPL 0 only, or from any privilege with INT n. */
#define X86_IDT_INTERRUPT_GATE 0x8e
#define X86_IDT_INTERRUPT_GATE_DPL3 0xee

/* The operand of LGDT/LIDT and SGDT/SIDT. */
struct x86_table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* Interrupt-stack-table slots (1-7; 0 is "no switch"). */
#define X86_IST_EXCEPTION 1 /* #DF, NMI: a report even on a blown stack */
#define X86_IST_IRQ 2	    /* interrupts: never on the interrupted stack */

/* A gate to handler in Hillock's code segment. */
struct x86_idt_gate x86_idt_gate_make(uint64_t handler, unsigned int ist, uint8_t type_attr);

/* Point vector at handler, switching to IST slot ist (0: stay). */
void x86_idt_set_gate(unsigned int vector, uint64_t handler, unsigned int ist);

/* This CPU's TSS: stack_top for IST slot ist. */
void x86_tss_set_ist(unsigned int ist, uint64_t stack_top);

#endif
