/* Interrupts: one small API over the local APIC (x86_64; xAPIC MMIO, since
 * QEMU TCG has no x2APIC, or x2APIC when the CPU has it) and GICv3
 * (aarch64; distributor + redistributors).
 *
 * Interrupt numbers are the architecture's: x86_64 vectors 32..255,
 * aarch64 INTIDs (SGIs 0-15 for IPIs, PPIs 16-31, SPIs 32+).  Handlers run
 * on the interrupted CPU with interrupts disabled and must be short;
 * longer work goes to the CPU's event loop (hillock/event.h).  The entry
 * code saves the full FP/SIMD state: the prebuilt libraries use it. */
#ifndef HILLOCK_IRQ_H
#define HILLOCK_IRQ_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*irq_handler_t)(unsigned int irq, void *arg);

/* A free interrupt number for an IPI or a device, or a negative errno. */
int irq_alloc(void);

/* Route irq to handler(irq, arg) on every CPU; 0 or a negative errno. */
int irq_register(unsigned int irq, irq_handler_t handler, void *arg);

/* Called by the architecture's interrupt entry with the irq it
 * acknowledged; runs the handler, then signals end of interrupt. */
void irq_dispatch(unsigned int irq);

/* Send irq to logical CPU cpu (an IPI). */
void irq_send_ipi(unsigned int cpu, unsigned int irq);

/* --- What the architecture provides (arch/<arch>/irq.c etc.) -------------- */

int arch_irq_init(void);     /* boot CPU: the controller */
int arch_irq_init_cpu(void); /* every CPU: its own interface, IPIs */
unsigned int arch_irq_first(void); /* lowest number irq_alloc() may hand out */
unsigned int arch_irq_count(void); /* one past the highest */
void arch_irq_mask(unsigned int irq);
void arch_irq_unmask(unsigned int irq);
void arch_irq_eoi(unsigned int irq);
void arch_irq_send_ipi(uint64_t hwid, unsigned int irq);

/* Local interrupt enable state. */
void arch_irq_enable(void);
void arch_irq_disable(void);
/* Disable and return the previous state; restore it. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
/* Wait for an interrupt (HLT / WFI) with interrupts enabled, atomically. */
void arch_wait_for_interrupt(void);

#endif
