/* The per-CPU event loop; see hillock/event.h.
 *
 * Each CPU's work queue is a lock-free stack: any CPU or interrupt handler
 * pushes with a compare-and-swap, and the owner takes the whole stack with
 * one exchange and reverses it, so work runs in the order it was queued.
 * There is no single-item pop, hence no ABA problem, and no lock to order
 * against the others.  A CPU queuing for another wakes it with an IPI. */
#include <stdio.h>

#include <hillock/boot.h>
#include <hillock/cpu.h>
#include <hillock/event.h>
#include <hillock/init.h>
#include <hillock/irq.h>

static struct work *work_pending[CPU_MAX];
static int event_wake_irq = -1;

void work_queue(unsigned int cpu, struct work *w, void (*fn)(struct work *, void *), void *arg)
{
	struct work *head = __atomic_load_n(&work_pending[cpu], __ATOMIC_RELAXED);

	w->fn = fn;
	w->arg = arg;
	do {
		w->next = head;
	} while (!__atomic_compare_exchange_n(&work_pending[cpu], &head, w, true, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
	/* On this CPU the loop sees the item before it next waits (an
	 * interrupt handler's return ends the wait too). */
	if (cpu != cpu_self() && event_wake_irq >= 0) {
		irq_send_ipi(cpu, (unsigned int)event_wake_irq);
	}
}

bool event_poll(void)
{
	struct work **queue = &work_pending[cpu_self()];
	bool ran = false;
	struct work *list;

	while ((list = __atomic_exchange_n(queue, NULL, __ATOMIC_ACQUIRE)) != NULL) {
		struct work *fifo = NULL;

		while (list) {
			struct work *next = list->next;

			list->next = fifo;
			fifo = list;
			list = next;
		}
		while (fifo) {
			struct work *w = fifo;

			/* fn may queue w again: read the link first. */
			fifo = w->next;
			w->fn(w, w->arg);
		}
		ran = true;
	}
	return ran;
}

void event_loop(volatile bool *stop)
{
	unsigned long flags = arch_irq_save();

	while (!stop || !*stop) {
		arch_irq_enable();
		event_poll();
		arch_irq_disable();
		/* With interrupts off, nothing can queue for this CPU between
		 * the check and the wait except through an interrupt, which
		 * ends the wait. */
		if (!__atomic_load_n(&work_pending[cpu_self()], __ATOMIC_RELAXED) &&
		    (!stop || !*stop)) {
			arch_wait_for_interrupt();
		}
	}
	arch_irq_restore(flags);
}

/* The wake-up IPI does nothing itself: arriving ends the target's wait. */
static void event_wake(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
}

static int event_init(const struct boot_info *bi)
{
	(void)bi;
	int irq = irq_alloc();

	if (irq < 0 || irq_register((unsigned int)irq, event_wake, NULL) != 0) {
		printf("event: no interrupt number for the wake-up IPI\n");
		return irq < 0 ? irq : -1;
	}
	event_wake_irq = irq;
	return 0;
}
INIT_CALL(INIT_CPU, event_init);
