/* Time and one-shot timers.
 *
 * arch_time_ns() (hillock/arch.h) is the monotonic clock: a calibrated TSC
 * on x86_64, CNTVCT/CNTFRQ on aarch64.  Each CPU keeps a queue of timers
 * ordered by deadline and programs its one hardware one-shot (TSC-deadline
 * or the APIC timer; the EL1 virtual timer CNTV) for the earliest.
 * Expired timers run from the CPU's event loop, not in interrupt context. */
#ifndef HILLOCK_TIMER_H
#define HILLOCK_TIMER_H

#include <stdbool.h>
#include <stdint.h>

struct timer {
	uint64_t deadline_ns;
	void (*fn)(struct timer *t, void *arg);
	void *arg;
	struct timer *next; /* in this CPU's queue */
	unsigned int cpu;
	bool armed;
};

/* Run fn(t, arg) on the current CPU's event loop at or after deadline_ns. */
void timer_start(struct timer *t, uint64_t deadline_ns, void (*fn)(struct timer *, void *),
		 void *arg);
/* Cancel; true if it had not fired yet.  Same CPU as timer_start(). */
bool timer_cancel(struct timer *t);

/* Called by the architecture when this CPU's one-shot fires. */
void timer_interrupt(void);

/* --- What the architecture provides ---------------------------------------- */

int arch_timer_init_cpu(void);
/* Fire timer_interrupt() at or after deadline_ns (arch_time_ns() scale);
 * 0 disarms.  Only the latest call counts. */
void arch_timer_set(uint64_t deadline_ns);

#endif
