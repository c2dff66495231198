/* The per-CPU timer queue (kernel/timer.c) and work queue (kernel/event.c)
 * on the build host.  The fake architecture below stands in for the clock,
 * the hardware one-shot, interrupt masking and the IPI; a "hardware
 * interrupt" is the test calling timer_interrupt() itself. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include <hillock/cpu.h>
#include <hillock/event.h>
#include <hillock/irq.h>
#include <hillock/timer.h>

/* --- The fake architecture ------------------------------------------------ */

__thread unsigned int cpu_id;
struct cpu_info cpus[CPU_MAX];
unsigned int cpu_count = 1;

static uint64_t fake_now;
static uint64_t fake_oneshot; /* what arch_timer_set() was last told */
static unsigned int fake_oneshot_writes;
static int fake_irq_disabled;
static unsigned int fake_ipis;

uint64_t arch_time_ns(void)
{
	return fake_now;
}

void arch_timer_set(uint64_t deadline_ns)
{
	fake_oneshot = deadline_ns;
	fake_oneshot_writes++;
}

int arch_timer_init_cpu(void)
{
	return 0;
}

unsigned long arch_irq_save(void)
{
	return (unsigned long)fake_irq_disabled++;
}

void arch_irq_restore(unsigned long flags)
{
	fake_irq_disabled = (int)flags;
}

void arch_irq_enable(void)
{
	fake_irq_disabled = 0;
}

void arch_irq_disable(void)
{
	fake_irq_disabled = 1;
}

void arch_wait_for_interrupt(void)
{
}

int irq_alloc(void)
{
	return 40;
}

int irq_register(unsigned int irq, irq_handler_t handler, void *arg)
{
	(void)irq;
	(void)handler;
	(void)arg;
	return 0;
}

void irq_send_ipi(unsigned int cpu, unsigned int irq)
{
	(void)cpu;
	(void)irq;
	fake_ipis++;
}

/* The hardware one-shot fires if it is armed and its time has come; the
 * CPU's event loop then runs. */
static void fake_advance(uint64_t now)
{
	fake_now = now;
	if (fake_oneshot && fake_oneshot <= now) {
		fake_oneshot = 0;
		timer_interrupt();
	}
	event_poll();
}

/* --- Recording what fires --------------------------------------------------- */

#define FIRED_MAX 16

static unsigned int fired[FIRED_MAX];
static uint64_t fired_at[FIRED_MAX];
static unsigned int fired_count;

static void record(struct timer *t, void *arg)
{
	(void)t;
	if (fired_count < FIRED_MAX) {
		fired[fired_count] = (unsigned int)(uintptr_t)arg;
		fired_at[fired_count] = fake_now;
	}
	fired_count++;
}

static int fresh(void **state)
{
	(void)state;
	fake_now = 1000;
	fake_oneshot = 0;
	fake_oneshot_writes = 0;
	fake_irq_disabled = 0;
	fake_ipis = 0;
	fired_count = 0;
	memset(fired, 0, sizeof(fired));
	return 0;
}

/* --- Timer queue ---------------------------------------------------------- */

static void timer_out_of_order_fire_in_deadline_order(void **state)
{
	(void)state;
	static const uint64_t deadlines[] = {5000, 2000, 9000, 2000, 7000};
	struct timer t[5] = {0};

	for (unsigned int i = 0; i < 5; i++) {
		timer_start(&t[i], deadlines[i], record, (void *)(uintptr_t)i);
	}
	/* The one-shot holds the earliest deadline. */
	assert_int_equal(fake_oneshot, 2000);
	for (uint64_t now = 1000; now <= 10000; now += 500) {
		fake_advance(now);
	}
	assert_int_equal(fired_count, 5);
	/* Equal deadlines fire in the order they were started. */
	static const unsigned int want[] = {1, 3, 0, 4, 2};

	for (unsigned int i = 0; i < 5; i++) {
		assert_int_equal(fired[i], want[i]);
		assert_true(fired_at[i] >= deadlines[want[i]]);
		assert_false(t[want[i]].armed);
	}
	assert_int_equal(fake_oneshot, 0);
	assert_int_equal(fake_irq_disabled, 0);
}

static void timer_early_interrupt_runs_nothing(void **state)
{
	(void)state;
	struct timer t = {0};

	timer_start(&t, 3000, record, NULL);
	/* The hardware fired before the deadline (a calibration error). */
	fake_now = 2999;
	timer_interrupt();
	event_poll();
	assert_int_equal(fired_count, 0);
	assert_true(t.armed);
	assert_int_equal(fake_oneshot, 3000);
	fake_advance(3000);
	assert_int_equal(fired_count, 1);
}

static void timer_cancel_head_rearms_for_next(void **state)
{
	(void)state;
	struct timer a = {0}, b = {0}, c = {0};

	timer_start(&a, 2000, record, (void *)0);
	timer_start(&b, 4000, record, (void *)1);
	timer_start(&c, 6000, record, (void *)2);
	unsigned int writes = fake_oneshot_writes;

	/* Not the head: the one-shot is left alone. */
	assert_true(timer_cancel(&b));
	assert_int_equal(fake_oneshot_writes, writes);
	assert_true(timer_cancel(&a));
	assert_int_equal(fake_oneshot, 6000);
	assert_false(timer_cancel(&a));
	assert_true(timer_cancel(&c));
	assert_int_equal(fake_oneshot, 0);
	fake_advance(10000);
	assert_int_equal(fired_count, 0);
}

static void timer_restart_moves_it(void **state)
{
	(void)state;
	struct timer a = {0}, b = {0};

	timer_start(&a, 2000, record, (void *)0);
	timer_start(&b, 3000, record, (void *)1);
	timer_start(&a, 5000, record, (void *)0);
	assert_int_equal(fake_oneshot, 3000);
	for (uint64_t now = 1000; now <= 6000; now += 1000) {
		fake_advance(now);
	}
	assert_int_equal(fired_count, 2);
	assert_int_equal(fired[0], 1);
	assert_int_equal(fired[1], 0);
	assert_int_equal(fired_at[1], 5000);
}

/* A timer function may start timers, itself included. */
static void rearm_twice(struct timer *t, void *arg)
{
	record(t, arg);
	if (fired_count < 3) {
		timer_start(t, t->deadline_ns + 1000, rearm_twice, arg);
	}
}

static void timer_fn_rearms_itself(void **state)
{
	(void)state;
	struct timer t = {0};

	timer_start(&t, 2000, rearm_twice, (void *)7);
	for (uint64_t now = 1000; now <= 8000; now += 250) {
		fake_advance(now);
	}
	assert_int_equal(fired_count, 3);
	assert_int_equal(fired_at[0], 2000);
	assert_int_equal(fired_at[1], 3000);
	assert_int_equal(fired_at[2], 4000);
	assert_false(t.armed);
	assert_int_equal(fake_oneshot, 0);
}

static void timer_past_deadline_arms_at_once(void **state)
{
	(void)state;
	struct timer t = {0};

	fake_now = 5000;
	timer_start(&t, 10, record, NULL);
	assert_int_equal(fake_oneshot, 10);
	fake_advance(5000);
	assert_int_equal(fired_count, 1);
}

/* --- Work queue ----------------------------------------------------------- */

static unsigned int work_order[8];
static unsigned int work_count;

static void work_record(struct work *w, void *arg)
{
	(void)w;
	work_order[work_count++ % 8] = (unsigned int)(uintptr_t)arg;
}

static void work_runs_in_queue_order(void **state)
{
	(void)state;
	struct work w[4];

	work_count = 0;
	assert_false(event_poll());
	for (unsigned int i = 0; i < 4; i++) {
		work_queue(0, &w[i], work_record, (void *)(uintptr_t)i);
	}
	assert_true(event_poll());
	assert_int_equal(work_count, 4);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(work_order[i], i);
	}
	assert_false(event_poll());
	/* Same CPU: no wake-up IPI is needed. */
	assert_int_equal(fake_ipis, 0);
}

static void work_for_another_cpu_waits_there(void **state)
{
	(void)state;
	struct work w;

	work_count = 0;
	work_queue(1, &w, work_record, (void *)9);
	assert_false(event_poll());
	cpu_id = 1;
	assert_true(event_poll());
	cpu_id = 0;
	assert_int_equal(work_count, 1);
	assert_int_equal(work_order[0], 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(timer_out_of_order_fire_in_deadline_order, fresh),
		cmocka_unit_test_setup(timer_early_interrupt_runs_nothing, fresh),
		cmocka_unit_test_setup(timer_cancel_head_rearms_for_next, fresh),
		cmocka_unit_test_setup(timer_restart_moves_it, fresh),
		cmocka_unit_test_setup(timer_fn_rearms_itself, fresh),
		cmocka_unit_test_setup(timer_past_deadline_arms_at_once, fresh),
		cmocka_unit_test_setup(work_runs_in_queue_order, fresh),
		cmocka_unit_test_setup(work_for_another_cpu_waits_there, fresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
