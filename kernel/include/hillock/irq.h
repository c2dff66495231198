/* Interrupts: one small API over the local APIC (x86_64; xAPIC MMIO, since
 * QEMU TCG has no x2APIC, or x2APIC when the CPU has it) and GICv3
 * (aarch64; distributor + redistributors).
 *
 * Interrupt numbers are the architecture's: x86_64 vectors 32..255,
 * aarch64 INTIDs (SGIs 0-15 for IPIs, PPIs 16-31, SPIs 32+).  Handlers run
 * on the interrupted CPU with interrupts disabled, must be short and must
 * not enable interrupts (x86_64 runs them on one per-CPU interrupt stack);
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

/* For tests: when set, called in interrupt context before every handler
 * (tests/image/test_irq.c clobbers the FP/SIMD registers with it). */
extern void (*irq_test_hook)(unsigned int irq);

/* --- What the architecture provides (arch/<arch>/irq.c etc.) -------------- */

struct boot_info;
/* Boot CPU: the controller, found from the machine description. */
int arch_irq_init(const struct boot_info *bi);
int arch_irq_init_cpu(void); /* every CPU: its own interface, IPIs */
/* The same, but allocating nothing (x86_64: the interrupt stack must be
 * in place already) and taking no lock: for the sidecar. */
int arch_irq_init_cpu_local(void);
unsigned int arch_irq_first(void); /* lowest number irq_alloc() may hand out */
unsigned int arch_irq_count(void); /* one past the highest */
/* Hold back / let through irq.  IPIs, the timer and other per-CPU
 * interrupts are masked on the calling CPU only; device interrupts
 * everywhere.  An irq raised while masked is delivered on unmask.  IPIs
 * start unmasked; device and timer interrupts start masked. */
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
