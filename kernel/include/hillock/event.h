/* The per-CPU event loop: run to completion, no preemption inside the
 * kernel.  Each CPU drains its work queue (items queued by itself, by
 * interrupt handlers, or by other CPUs), runs expired timers, and waits for
 * an interrupt when there is nothing to do.  Cross-CPU work goes through
 * the target's queue and an IPI. */
#ifndef HILLOCK_EVENT_H
#define HILLOCK_EVENT_H

#include <stdbool.h>

struct work {
	void (*fn)(struct work *w, void *arg);
	void *arg;
	struct work *next;
};

/* Queue w on cpu's work queue and wake that CPU; safe from interrupt
 * handlers and from any CPU.  w must stay valid until fn runs. */
void work_queue(unsigned int cpu, struct work *w, void (*fn)(struct work *, void *), void *arg);

/* Run queued work and expired timers until there is none; returns whether
 * anything ran.  The loop below calls it; tests may too. */
bool event_poll(void);

/* This CPU's loop: event_poll(), then wait for an interrupt; forever, or
 * until *stop becomes true (stop may be NULL). */
void event_loop(volatile bool *stop);

#endif
