/* Ticket spinlocks.
 *
 * Locks are few and short.  Each lock has a rank; a CPU may only take a
 * lock of higher rank than every lock it holds, which rules out deadlock
 * by lock order.  Debug builds (HILLOCK_DEBUG_LOCKS, on by default) check
 * the rule and panic on a violation, naming both locks.
 *
 * The one lock order (lowest first):
 *   LOCK_RANK_HEAP < LOCK_RANK_PAGE < LOCK_RANK_MMU < LOCK_RANK_IRQ
 *   < LOCK_RANK_WORK < LOCK_RANK_KMSG < LOCK_RANK_CONSOLE
 * (the console last: anything may print while holding a lock). */
#ifndef HILLOCK_SPINLOCK_H
#define HILLOCK_SPINLOCK_H

#include <stdint.h>

enum lock_rank {
	LOCK_RANK_TEST = 1,
	LOCK_RANK_HEAP,
	LOCK_RANK_PAGE,
	LOCK_RANK_MMU,
	LOCK_RANK_IRQ,
	LOCK_RANK_WORK,
	LOCK_RANK_KMSG,
	LOCK_RANK_CONSOLE,
};

struct spinlock {
	volatile uint32_t next;
	volatile uint32_t owner;
	enum lock_rank rank;
	const char *name;
	int holder_cpu; /* -1 when free (debug) */
};

#define SPINLOCK_INIT(lock_name, lock_rank) {0, 0, (lock_rank), (lock_name), -1}

/* Take the lock with interrupts disabled on this CPU; returns the previous
 * interrupt state for spin_unlock(). */
unsigned long spin_lock(struct spinlock *l);
void spin_unlock(struct spinlock *l, unsigned long irq_flags);

#endif
