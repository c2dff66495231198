/* Ticket spinlocks with lock-order checking; see hillock/spinlock.h.
 *
 * A ticket lock is two counters: a CPU takes the next ticket and waits until
 * owner reaches it, so waiters are served in arrival order and none starves.
 *
 * Each CPU keeps a stack of the locks it holds in its own TLS (a __thread
 * variable is a per-CPU variable).  Interrupts are off while any lock is
 * held, so an interrupt handler never runs on a CPU in the middle of a
 * lock section and the stack always describes what that CPU holds. */
#include <errno.h>
#include <stdio.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/irq.h>
#include <hillock/panic.h>
#include <hillock/spinlock.h>

#ifndef HILLOCK_DEBUG_LOCKS
#define HILLOCK_DEBUG_LOCKS 1
#endif

/* Longer than any lock section can take, even on an overloaded TCG host:
 * past it the holder is assumed dead or deadlocked. */
#define SPIN_TIMEOUT_NS (10ull * 1000 * 1000 * 1000)
/* Reading the clock costs; look at it once per this many spins. */
#define SPIN_CLOCK_EVERY 4096u

struct lock_stack {
	const struct spinlock *held[LOCK_HELD_MAX];
	unsigned int count;
};

static __thread struct lock_stack lock_stack;

int spin_lock_check(const struct spinlock *l, char *msg, size_t len)
{
	const struct lock_stack *s = &lock_stack;

	for (unsigned int i = 0; i < s->count; i++) {
		if (s->held[i] == l) {
			snprintf(msg, len, "recursive acquisition of lock \"%s\" on cpu %u", l->name,
				 cpu_id);
			return -EDEADLK;
		}
	}
	/* The stack is in rank order, so its top has the highest rank held. */
	if (s->count > 0 && s->held[s->count - 1]->rank >= l->rank) {
		const struct spinlock *top = s->held[s->count - 1];

		snprintf(msg, len,
			 "lock order: taking \"%s\" (rank %d) while holding \"%s\" (rank %d) on cpu %u",
			 l->name, (int)l->rank, top->name, (int)top->rank, cpu_id);
		return -EDEADLK;
	}
	if (s->count == LOCK_HELD_MAX) {
		snprintf(msg, len, "taking \"%s\": cpu %u already holds %d locks", l->name, cpu_id,
			 LOCK_HELD_MAX);
		return -EDEADLK;
	}
	return 0;
}

bool spin_lock_held(const struct spinlock *l)
{
	return __atomic_load_n(&l->holder_cpu, __ATOMIC_RELAXED) == (int)cpu_id;
}

/* The report goes through printf, which may take locks of its own: forget
 * what this CPU holds first so that the report cannot trip the checks. */
static _Noreturn void spin_panic(const char *msg)
{
	lock_stack.count = 0;
	panic("%s", msg);
}

unsigned long spin_lock(struct spinlock *l)
{
	unsigned long flags = arch_irq_save();
	char msg[160];

	if (HILLOCK_DEBUG_LOCKS && spin_lock_check(l, msg, sizeof(msg)) != 0) {
		spin_panic(msg);
	}

	uint32_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
	uint64_t since = 0;
	unsigned int spins = 0;

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket) {
		arch_cpu_relax();
		if (++spins % SPIN_CLOCK_EVERY != 0) {
			continue;
		}
		uint64_t now = arch_time_ns();

		if (since == 0) {
			since = now;
		} else if (now - since > SPIN_TIMEOUT_NS) {
			snprintf(msg, sizeof(msg), "lock \"%s\" held by cpu %d for over %llu s", l->name,
				 __atomic_load_n(&l->holder_cpu, __ATOMIC_RELAXED),
				 SPIN_TIMEOUT_NS / 1000000000ull);
			spin_panic(msg);
		}
	}
	__atomic_store_n(&l->holder_cpu, (int)cpu_id, __ATOMIC_RELAXED);
	if (HILLOCK_DEBUG_LOCKS) {
		lock_stack.held[lock_stack.count++] = l;
	}
	return flags;
}

void spin_unlock(struct spinlock *l, unsigned long irq_flags)
{
	if (HILLOCK_DEBUG_LOCKS) {
		struct lock_stack *s = &lock_stack;
		unsigned int i = s->count;
		char msg[96];

		while (i > 0 && s->held[i - 1] != l) {
			i--;
		}
		if (i == 0) {
			snprintf(msg, sizeof(msg), "releasing lock \"%s\", which cpu %u does not hold",
				 l->name, cpu_id);
			spin_panic(msg);
		}
		/* Locks may be released in any order. */
		for (; i < s->count; i++) {
			s->held[i - 1] = s->held[i];
		}
		s->count--;
	}
	__atomic_store_n(&l->holder_cpu, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	arch_irq_restore(irq_flags);
}
