/* Ticket spinlocks.
 *
 * Locks are few and short.  Each lock has a rank; a CPU may only take a
 * lock of higher rank than every lock it holds, which rules out deadlock
 * by lock order.  Debug builds (HILLOCK_DEBUG_LOCKS, on by default) check
 * the rule and panic on a violation, naming both locks.
 *
 * The one lock order (lowest first):
 *   LOCK_RANK_HEAP < LOCK_RANK_MMU < LOCK_RANK_PAGE < LOCK_RANK_IRQ
 *   < LOCK_RANK_WORK < LOCK_RANK_KMSG < LOCK_RANK_CONSOLE
 * The heap and the page tables take pages while holding their locks, so
 * the page allocator's comes after both; the console comes last: anything
 * may print while holding a lock. */
#ifndef HILLOCK_SPINLOCK_H
#define HILLOCK_SPINLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lock_rank {
	LOCK_RANK_TEST = 1,
	LOCK_RANK_HEAP,
	LOCK_RANK_MMU,
	LOCK_RANK_PAGE,
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

/* The most locks one CPU may hold at once. */
#define LOCK_HELD_MAX 8

/* Take the lock with interrupts disabled on this CPU; returns the previous
 * interrupt state for spin_unlock().  Panics (debug builds) when taking it
 * would break the lock order or the CPU already holds it, and when the lock
 * stays taken by another CPU for longer than any lock should be held. */
unsigned long spin_lock(struct spinlock *l);
/* Release a lock this CPU holds (panics otherwise, debug builds). */
void spin_unlock(struct spinlock *l, unsigned long irq_flags);

/* Whether this CPU may take l now: 0, or -EDEADLK with the reason, naming
 * both locks, in msg[0..len).  spin_lock() panics with that message; tests
 * call this to see a violation without ending the run. */
int spin_lock_check(const struct spinlock *l, char *msg, size_t len);

/* Whether this CPU holds l (for assertions in code that needs it held). */
bool spin_lock_held(const struct spinlock *l);

/* --- What the architecture provides ---------------------------------------- */

/* A hint to the CPU that this is a spin-wait loop (PAUSE; YIELD). */
void arch_cpu_relax(void);

#endif
