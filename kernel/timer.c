/* One-shot timers; see hillock/timer.h.
 *
 * Each CPU keeps its armed timers in a list sorted by deadline (timers with
 * equal deadlines in the order they were started) in thread-local storage,
 * so no lock is needed: only interrupts on the same CPU could interleave,
 * and the list is changed with them disabled.  The hardware one-shot
 * always holds the head's deadline.  When it fires, timer_interrupt()
 * queues this CPU's expiry work once; the work runs every timer whose
 * deadline has passed (each fn with interrupts enabled, free to start or
 * cancel timers) and re-arms the hardware for the new head.  A timer is
 * never run before its deadline by arch_time_ns(), even if the hardware
 * fires early: the expiry work then finds nothing due and re-arms. */
#include <stdio.h>

#include <hillock/arch.h>
#include <hillock/boot.h>
#include <hillock/cpu.h>
#include <hillock/event.h>
#include <hillock/init.h>
#include <hillock/irq.h>
#include <hillock/timer.h>

static __thread struct timer *timer_queue;
static __thread struct work timer_expiry;
static __thread bool timer_expiry_queued;

/* Unlink t from this CPU's queue; returns whether it was the head. */
static bool timer_unlink(struct timer *t)
{
	struct timer **link = &timer_queue;

	while (*link && *link != t) {
		link = &(*link)->next;
	}
	if (*link) {
		*link = t->next;
	}
	t->next = NULL;
	return link == &timer_queue;
}

void timer_start(struct timer *t, uint64_t deadline_ns, void (*fn)(struct timer *, void *),
		 void *arg)
{
	unsigned long flags = arch_irq_save();
	bool was_head = t->armed && timer_unlink(t);
	struct timer **link = &timer_queue;

	t->deadline_ns = deadline_ns;
	t->fn = fn;
	t->arg = arg;
	t->cpu = cpu_self();
	t->armed = true;
	while (*link && (*link)->deadline_ns <= deadline_ns) {
		link = &(*link)->next;
	}
	t->next = *link;
	*link = t;
	if (was_head || timer_queue == t) {
		arch_timer_set(timer_queue->deadline_ns);
	}
	arch_irq_restore(flags);
}

bool timer_cancel(struct timer *t)
{
	unsigned long flags = arch_irq_save();
	bool armed = t->armed;

	if (armed) {
		t->armed = false;
		if (timer_unlink(t)) {
			arch_timer_set(timer_queue ? timer_queue->deadline_ns : 0);
		}
	}
	arch_irq_restore(flags);
	return armed;
}

/* This CPU's expiry work: run what is due, in deadline order. */
static void timer_expire(struct work *w, void *arg)
{
	(void)w;
	(void)arg;
	unsigned long flags = arch_irq_save();

	timer_expiry_queued = false;
	for (;;) {
		struct timer *t = timer_queue;

		if (!t || t->deadline_ns > arch_time_ns()) {
			break;
		}
		timer_queue = t->next;
		t->next = NULL;
		t->armed = false;
		arch_irq_restore(flags);
		t->fn(t, t->arg);
		flags = arch_irq_save();
	}
	arch_timer_set(timer_queue ? timer_queue->deadline_ns : 0);
	arch_irq_restore(flags);
}

void timer_interrupt(void)
{
	if (!timer_expiry_queued) {
		timer_expiry_queued = true;
		work_queue(cpu_self(), &timer_expiry, timer_expire, NULL);
	}
}

/* The boot CPU's timer.  Within INIT_CPU this links after kernel/irq.c,
 * which brings up the interrupt controller the timer needs. */
static int timer_init(const struct boot_info *bi)
{
	(void)bi;
	return arch_timer_init_cpu();
}
INIT_CALL(INIT_CPU, timer_init);
