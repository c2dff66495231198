/* The local APIC (Intel SDM Vol. 3 ch. 11; AMD APM Vol. 2 ch. 16).
 *
 * Registers are named by their xAPIC MMIO offset from the APIC base
 * (IA32_APIC_BASE); in x2APIC mode the same register is MSR
 * 0x800 + offset / 16, and the ICR is one 64-bit MSR.  Also the vectors
 * Hillock reserves for the APIC's own interrupts. */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_EXTD		(1u << 10) /* x2APIC mode */
#define APIC_BASE_EN		(1u << 11) /* globally enabled */
#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ull
#define MSR_X2APIC_FIRST	0x800
#define MSR_TSC_DEADLINE	0x6e0

#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID1_ECX_TSC_DEADLINE	(1u << 24)

/* Register offsets. */
#define APIC_ID			0x020
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_SVR		0x0f0
#define APIC_ESR		0x280
#define APIC_ICR_LOW		0x300
#define APIC_ICR_HIGH		0x310 /* xAPIC only: destination in bits 31:24 */
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_LINT0		0x350
#define APIC_LVT_LINT1		0x360
#define APIC_LVT_ERROR		0x370
#define APIC_TIMER_INITIAL	0x380
#define APIC_TIMER_CURRENT	0x390
#define APIC_TIMER_DIVIDE	0x3e0

/* Spurious-interrupt vector register: the vector in bits 7:0. */
#define APIC_SVR_ENABLE		(1u << 8)

/* Local vector table entries: vector in bits 7:0. */
#define APIC_LVT_MASKED		(1u << 16)
#define APIC_LVT_TIMER_ONESHOT	(0u << 17)
#define APIC_LVT_TIMER_DEADLINE	(2u << 17)

/* Divide configuration: bits 3, 1:0; 0b1011 divides by 1. */
#define APIC_TIMER_DIVIDE_1	0xb

/* Interrupt command register, low half: vector in bits 7:0, delivery mode
 * 10:8 (000 fixed), destination mode 11 (0 physical), delivery status 12
 * (xAPIC: 1 while sending), level 14 (1 assert), shorthand 19:18. */
#define APIC_ICR_PENDING	(1u << 12)
#define APIC_ICR_ASSERT		(1u << 14)
#define APIC_ICR_SELF		(1u << 18)

/* Vectors 0xf0-0xff are the APIC's own; irq_alloc() hands out 32-0xef. */
#define APIC_VECTOR_ALLOC_END	0xf0
#define APIC_VECTOR_TIMER	0xf0
#define APIC_VECTOR_ERROR	0xfe
#define APIC_VECTOR_SPURIOUS	0xff

#ifndef __ASSEMBLY__
#include <stdint.h>

uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t value);

/* Send an IPI: low is the ICR's low half (vector, delivery mode,
 * shorthand).  In xAPIC mode the two halves are separate writes, so
 * interrupts stay off between them; then wait, bounded, for the APIC to
 * accept it: 0, or -ETIMEDOUT after 1 ms. */
int apic_icr_send(uint32_t apic_id, uint32_t low);

/* Handle the interrupt that arrived on vector, interrupts disabled: the
 * interrupt stubs call it, and arch_user_interrupt() for one that arrived
 * while user code ran (arch/x86_64/user.c). */
void x86_irq(uint64_t vector);
#endif

#endif
