/* Interrupts, the generic half: which numbers are taken, who handles them,
 * and dispatch; see hillock/irq.h.  The architecture acknowledges the
 * interrupt, calls irq_dispatch() and owns the controller.
 *
 * The handler table is written before the interrupt can fire (registration
 * happens before unmasking or before the first IPI is sent), so dispatch
 * reads it without a lock; the release store in irq_register() orders the
 * argument before the handler for a CPU that sees the new handler. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <hillock/boot.h>
#include <hillock/cpu.h>
#include <hillock/init.h>
#include <hillock/irq.h>

/* The largest interrupt number any architecture dispatches: GICv3 INTIDs
 * stop below 1020 (1020-1023 are special); x86_64 vectors below 256. */
#define IRQ_NUMBER_LIMIT 1024

struct irq_entry {
	irq_handler_t handler;
	void *arg;
};

static struct irq_entry irq_table[IRQ_NUMBER_LIMIT];
/* Numbers handed out by irq_alloc() or taken by irq_register(). */
static uint64_t irq_taken[IRQ_NUMBER_LIMIT / 64];
/* Numbers with a handler (or one being installed). */
static uint64_t irq_registered[IRQ_NUMBER_LIMIT / 64];
/* Interrupts nobody registered, reported once per number. */
static uint64_t irq_reported[IRQ_NUMBER_LIMIT / 64];

/* Set bit n in map; returns whether it was already set. */
static bool irq_bit_test_and_set(uint64_t *map, unsigned int n)
{
	uint64_t bit = 1ull << (n % 64);

	return __atomic_fetch_or(&map[n / 64], bit, __ATOMIC_ACQ_REL) & bit;
}

int irq_alloc(void)
{
	unsigned int end = arch_irq_count();

	if (end > IRQ_NUMBER_LIMIT) {
		end = IRQ_NUMBER_LIMIT;
	}
	for (unsigned int n = arch_irq_first(); n < end; n++) {
		if (!irq_bit_test_and_set(irq_taken, n)) {
			return (int)n;
		}
	}
	return -ENOSPC;
}

int irq_register(unsigned int irq, irq_handler_t handler, void *arg)
{
	if (irq >= IRQ_NUMBER_LIMIT || !handler) {
		return -EINVAL;
	}
	if (irq_bit_test_and_set(irq_registered, irq)) {
		return -EBUSY;
	}
	irq_bit_test_and_set(irq_taken, irq);
	irq_table[irq].arg = arg;
	__atomic_store_n(&irq_table[irq].handler, handler, __ATOMIC_RELEASE);
	return 0;
}

void (*irq_test_hook)(unsigned int irq);

void irq_dispatch(unsigned int irq)
{
	void (*hook)(unsigned int) = __atomic_load_n(&irq_test_hook, __ATOMIC_RELAXED);
	irq_handler_t handler = NULL;

	if (hook) {
		hook(irq);
	}

	if (irq < IRQ_NUMBER_LIMIT) {
		handler = __atomic_load_n(&irq_table[irq].handler, __ATOMIC_ACQUIRE);
	}
	if (handler) {
		handler(irq, irq_table[irq].arg);
	} else if (irq >= IRQ_NUMBER_LIMIT || !irq_bit_test_and_set(irq_reported, irq)) {
		printf("irq: interrupt %u on cpu %u has no handler\n", irq, cpu_self());
	}
	arch_irq_eoi(irq);
}

void irq_send_ipi(unsigned int cpu, unsigned int irq)
{
	arch_irq_send_ipi(cpus[cpu].hwid, irq);
}

/* The boot CPU's interrupt controller.  Within INIT_CPU this links before
 * kernel/timer.c, whose timer needs the controller up. */
static int irq_init(const struct boot_info *bi)
{
	int rc = arch_irq_init(bi);

	return rc ? rc : arch_irq_init_cpu();
}
INIT_CALL(INIT_CPU, irq_init);
