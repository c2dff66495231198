/* kernel/spinlock.c on the host: the lock-order rules, the panics for
 * misuse, and real contention between threads (each thread plays a CPU:
 * its __thread variables are that CPU's per-CPU data). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <hillock/spinlock.h>

/* --- The fake architecture and kernel the lock code runs on ---------------- */

__thread unsigned int cpu_id;
static __thread unsigned long fake_irq_enabled = 1;
static uint64_t fake_time_ns;
static uint64_t fake_time_step_ns;
static char panic_message[256];
static jmp_buf *panic_target;

unsigned long arch_irq_save(void)
{
	unsigned long was = fake_irq_enabled;

	fake_irq_enabled = 0;
	return was;
}

void arch_irq_restore(unsigned long flags)
{
	fake_irq_enabled = flags;
}

/* Threads are not CPUs: a waiter whose ticket holder was descheduled would
 * spin out its whole time slice, so it gives the core away instead. */
void arch_cpu_relax(void)
{
	sched_yield();
}

uint64_t arch_time_ns(void)
{
	fake_time_ns += fake_time_step_ns;
	return fake_time_ns;
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_message, sizeof(panic_message), fmt, ap);
	va_end(ap);
	if (!panic_target) {
		fail_msg("unexpected panic: %s", panic_message);
	}
	longjmp(*panic_target, 1);
}

#define EXPECT_LOCK_PANIC(stmt, fragment)                                             \
	do {                                                                          \
		jmp_buf env_;                                                         \
		panic_target = &env_;                                                 \
		if (setjmp(env_) == 0) {                                              \
			stmt;                                                         \
			panic_target = NULL;                                          \
			fail_msg("no panic from: %s", #stmt);                         \
		}                                                                     \
		panic_target = NULL;                                                  \
		if (!strstr(panic_message, fragment)) {                               \
			fail_msg("panic \"%s\" does not mention \"%s\"", panic_message,   \
				 fragment);                                           \
		}                                                                     \
	} while (0)

static int fresh(void **state)
{
	(void)state;
	cpu_id = 0;
	fake_irq_enabled = 1;
	fake_time_ns = 0;
	fake_time_step_ns = 0;
	panic_message[0] = '\0';
	return 0;
}

/* --- Tests ------------------------------------------------------------------- */

static void spinlock_increasing_ranks_nest(void **state)
{
	struct spinlock heap = SPINLOCK_INIT("heap", LOCK_RANK_HEAP);
	struct spinlock kmsg = SPINLOCK_INIT("kmsg", LOCK_RANK_KMSG);
	char msg[160];

	(void)state;
	unsigned long f1 = spin_lock(&heap);
	unsigned long f2 = spin_lock(&kmsg);

	assert_true(spin_lock_held(&heap));
	assert_true(spin_lock_held(&kmsg));
	assert_int_equal(fake_irq_enabled, 0);
	spin_unlock(&kmsg, f2);
	assert_int_equal(fake_irq_enabled, 0);
	spin_unlock(&heap, f1);
	assert_int_equal(fake_irq_enabled, 1);
	assert_false(spin_lock_held(&heap));
	assert_int_equal(spin_lock_check(&heap, msg, sizeof(msg)), 0);
}

static void spinlock_lower_rank_is_refused_naming_both(void **state)
{
	struct spinlock heap = SPINLOCK_INIT("heap", LOCK_RANK_HEAP);
	struct spinlock irq = SPINLOCK_INIT("irq table", LOCK_RANK_IRQ);
	char msg[160];

	(void)state;
	unsigned long f = spin_lock(&irq);

	assert_int_equal(spin_lock_check(&heap, msg, sizeof(msg)), -EDEADLK);
	assert_non_null(strstr(msg, "\"heap\""));
	assert_non_null(strstr(msg, "\"irq table\""));
	EXPECT_LOCK_PANIC(spin_lock(&heap), "lock order");
	/* The panic path forgot what this CPU held, as a panic would. */
	(void)f;
}

static void spinlock_equal_rank_is_refused(void **state)
{
	struct spinlock a = SPINLOCK_INIT("page a", LOCK_RANK_PAGE);
	struct spinlock b = SPINLOCK_INIT("page b", LOCK_RANK_PAGE);
	char msg[160];

	(void)state;
	unsigned long f = spin_lock(&a);

	assert_int_equal(spin_lock_check(&b, msg, sizeof(msg)), -EDEADLK);
	assert_non_null(strstr(msg, "\"page a\""));
	spin_unlock(&a, f);
	assert_int_equal(spin_lock_check(&b, msg, sizeof(msg)), 0);
}

static void spinlock_recursion_panics(void **state)
{
	struct spinlock l = SPINLOCK_INIT("mmu", LOCK_RANK_MMU);

	(void)state;
	spin_lock(&l);
	EXPECT_LOCK_PANIC(spin_lock(&l), "recursive acquisition of lock \"mmu\"");
}

static void spinlock_unlock_without_holding_panics(void **state)
{
	struct spinlock l = SPINLOCK_INIT("work", LOCK_RANK_WORK);

	(void)state;
	EXPECT_LOCK_PANIC(spin_unlock(&l, 1), "does not hold");
}

static void spinlock_release_in_any_order(void **state)
{
	struct spinlock a = SPINLOCK_INIT("a", LOCK_RANK_HEAP);
	struct spinlock b = SPINLOCK_INIT("b", LOCK_RANK_MMU);
	struct spinlock c = SPINLOCK_INIT("c", LOCK_RANK_PAGE);
	char msg[160];

	(void)state;
	unsigned long fa = spin_lock(&a);
	unsigned long fb = spin_lock(&b);

	spin_unlock(&a, 0);
	/* Still holding b: a (lower) is refused, c (higher) allowed. */
	assert_int_equal(spin_lock_check(&a, msg, sizeof(msg)), -EDEADLK);
	assert_int_equal(spin_lock_check(&c, msg, sizeof(msg)), 0);
	spin_unlock(&b, fa);
	assert_int_equal(fake_irq_enabled, 1);
	(void)fb;
}

static void spinlock_too_many_held_is_refused(void **state)
{
	struct spinlock l[LOCK_HELD_MAX + 1];
	unsigned long f[LOCK_HELD_MAX];
	char msg[160];

	(void)state;
	for (int i = 0; i <= LOCK_HELD_MAX; i++) {
		l[i] = (struct spinlock)SPINLOCK_INIT("nested", (enum lock_rank)(i + 1));
	}
	for (int i = 0; i < LOCK_HELD_MAX; i++) {
		f[i] = spin_lock(&l[i]);
	}
	assert_int_equal(spin_lock_check(&l[LOCK_HELD_MAX], msg, sizeof(msg)), -EDEADLK);
	assert_non_null(strstr(msg, "already holds"));
	for (int i = LOCK_HELD_MAX; i-- > 0;) {
		spin_unlock(&l[i], f[i]);
	}
}

static void spinlock_stuck_holder_panics(void **state)
{
	/* Taken by "cpu 3", never released. */
	struct spinlock l = {1, 0, LOCK_RANK_TEST, "stuck", 3};

	(void)state;
	fake_time_step_ns = 1000000000ull;
	EXPECT_LOCK_PANIC(spin_lock(&l), "lock \"stuck\" held by cpu 3");
}

/* --- Contention: threads as CPUs ------------------------------------------- */

#define CONTENDERS 4
#define INCREMENTS 100000

static struct spinlock counter_lock = SPINLOCK_INIT("counter", LOCK_RANK_TEST);
static volatile uint64_t counter;

static void *contender(void *arg)
{
	cpu_id = (unsigned int)(uintptr_t)arg;
	for (int i = 0; i < INCREMENTS; i++) {
		unsigned long f = spin_lock(&counter_lock);

		counter = counter + 1;
		spin_unlock(&counter_lock, f);
	}
	return NULL;
}

static void spinlock_contention_loses_no_increment(void **state)
{
	pthread_t t[CONTENDERS];

	(void)state;
	counter = 0;
	for (uintptr_t i = 0; i < CONTENDERS; i++) {
		assert_int_equal(pthread_create(&t[i], NULL, contender, (void *)i), 0);
	}
	for (int i = 0; i < CONTENDERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
	}
	assert_int_equal(counter, (uint64_t)CONTENDERS * INCREMENTS);
	assert_int_equal(counter_lock.next, counter_lock.owner);
	assert_int_equal(counter_lock.holder_cpu, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(spinlock_increasing_ranks_nest, fresh),
		cmocka_unit_test_setup(spinlock_lower_rank_is_refused_naming_both, fresh),
		cmocka_unit_test_setup(spinlock_equal_rank_is_refused, fresh),
		cmocka_unit_test_setup(spinlock_recursion_panics, fresh),
		cmocka_unit_test_setup(spinlock_unlock_without_holding_panics, fresh),
		cmocka_unit_test_setup(spinlock_release_in_any_order, fresh),
		cmocka_unit_test_setup(spinlock_too_many_held_is_refused, fresh),
		cmocka_unit_test_setup(spinlock_stuck_holder_panics, fresh),
		cmocka_unit_test_setup(spinlock_contention_loses_no_increment, fresh),
	};

	return cmocka_run_group_tests_name("spinlock", tests, NULL, NULL);
}
