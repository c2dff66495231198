/* In-image tests of interrupts (suite irq) and of timers and the event loop
 * (suite timer), on the CPU that runs the tests.
 *
 * Timing tolerance: a timer must fire no earlier than its deadline and at
 * most TIMER_LATE_MAX_NS after it.  Under QEMU TCG the delay is QEMU's own
 * host-timer wake-up plus the end of the current translation block, tens
 * of microseconds on an idle host; 5 ms leaves room for a host busy with
 * other QEMUs (make test) without hiding a timer that is programmed wrong,
 * which is off by a whole period or never fires. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/event.h>
#include <hillock/irq.h>
#include <hillock/selftest.h>
#include <hillock/timer.h>

#define MS 1000000ull
#define US 1000ull
#define TIMER_LATE_MAX_NS (5 * MS)

/* --- Helpers ------------------------------------------------------------ */

static void stop_flag_set(struct timer *t, void *arg)
{
	(void)t;
	*(volatile bool *)arg = true;
}

/* Run this CPU's event loop (interrupts on) for ns nanoseconds. */
static void loop_for(uint64_t ns)
{
	volatile bool stop = false;
	struct timer t = {0};

	timer_start(&t, arch_time_ns() + ns, stop_flag_set, (void *)&stop);
	event_loop(&stop);
}

/* Run the event loop until *stop is set by someone else, or timeout_ns;
 * returns whether it was set in time. */
struct loop_timeout {
	volatile bool *stop;
	bool expired;
};

static void loop_timeout_fire(struct timer *t, void *arg)
{
	struct loop_timeout *lt = arg;

	(void)t;
	lt->expired = true;
	*lt->stop = true;
}

static bool loop_until(volatile bool *stop, uint64_t timeout_ns)
{
	struct loop_timeout lt = {stop, false};
	struct timer t = {0};

	timer_start(&t, arch_time_ns() + timeout_ns, loop_timeout_fire, &lt);
	event_loop(stop);
	timer_cancel(&t);
	return !lt.expired;
}

struct ipi_record {
	volatile unsigned int count;
	unsigned int irq;
	void *arg;
};

static void ipi_record(unsigned int irq, void *arg)
{
	struct ipi_record *r = arg;

	r->count++;
	r->irq = irq;
	r->arg = arg;
}

/* A fresh interrupt number handled by ipi_record(), or -1. */
static int ipi_setup(struct ipi_record *r)
{
	int irq = irq_alloc();

	if (irq < 0 || irq_register((unsigned int)irq, ipi_record, r) != 0) {
		return -1;
	}
	return irq;
}

/* --- Suite irq ---------------------------------------------------------- */

TEST(irq, self_ipi_delivered_once)
{
	static struct ipi_record rec;
	int irq = ipi_setup(&rec);
	int rc = EXPECT(irq >= 0);

	if (rc) {
		return rc;
	}
	irq_send_ipi(cpu_self(), (unsigned int)irq);
	loop_for(20 * MS);
	rc |= EXPECT(rec.count == 1);
	rc |= EXPECT(rec.irq == (unsigned int)irq);
	rc |= EXPECT(rec.arg == &rec);
	return rc;
}

TEST(irq, alloc_distinct_numbers)
{
	static struct ipi_record rec;
	int a = irq_alloc();
	int b = irq_alloc();
	int rc = 0;

	rc |= EXPECT(a >= (int)arch_irq_first() && a < (int)arch_irq_count());
	rc |= EXPECT(b >= (int)arch_irq_first() && b < (int)arch_irq_count());
	rc |= EXPECT(a != b);
	if (a >= 0) {
		rc |= EXPECT(irq_register((unsigned int)a, ipi_record, &rec) == 0);
		rc |= EXPECT(irq_register((unsigned int)a, ipi_record, &rec) == -EBUSY);
	}
	return rc;
}

TEST(irq, masked_held_until_unmasked)
{
	static struct ipi_record rec;
	int irq = ipi_setup(&rec);
	int rc = EXPECT(irq >= 0);

	if (rc) {
		return rc;
	}
	arch_irq_mask((unsigned int)irq);
	irq_send_ipi(cpu_self(), (unsigned int)irq);
	loop_for(10 * MS);
	rc |= EXPECT(rec.count == 0);
	arch_irq_unmask((unsigned int)irq);
	loop_for(10 * MS);
	rc |= EXPECT(rec.count == 1);
	return rc;
}

/* The FP/SIMD registers of interrupted code survive an interrupt whose
 * handler uses them.  A computation (double arithmetic held in registers,
 * and SHA-256 from mbedtls) runs once with interrupts off for the
 * reference, then again while a 50 us periodic timer interrupts it and
 * the test hook fills the vector registers in interrupt context. */
typedef double fp_vec __attribute__((vector_size(16)));

static volatile fp_vec fp_sink;
static volatile unsigned int fp_clobbers;

static void fp_clobber(unsigned int irq)
{
	fp_vec v[16];

	for (int i = 0; i < 16; i++) {
		v[i] = (fp_vec){irq + i * 1.5, -0.25 * i};
	}
	for (int n = 0; n < 4; n++) {
		for (int i = 0; i < 16; i++) {
			v[i] = v[i] * v[(i + 1) % 16] + v[(i + 5) % 16];
		}
	}
	fp_vec sum = v[0];

	for (int i = 1; i < 16; i++) {
		sum += v[i];
	}
	fp_sink = sum;
	fp_clobbers++;
}

struct fp_result {
	double acc[4];
	uint8_t digest[32];
};

#define FP_ROUNDS 40
#define FP_STEPS 4000

static void fp_compute(struct fp_result *out)
{
	mbedtls_sha256_context sha;
	double a = 1.0, b = 0.5, c = -2.0, d = 3.25;
	uint8_t block[64];

	mbedtls_sha256_init(&sha);
	mbedtls_sha256_starts_ret(&sha, 0);
	for (int r = 0; r < FP_ROUNDS; r++) {
		for (int i = 1; i <= FP_STEPS; i++) {
			a = a * 1.0000001 + 1.0 / i;
			b = b * 0.9999999 - a / (i + 7);
			c = c + b * 1e-3 - d / (i * 3.0);
			d = d * 1.0000003 + c * 1e-6;
		}
		memcpy(block, &a, sizeof(a));
		memcpy(block + 8, &b, sizeof(b));
		memset(block + 16, r, sizeof(block) - 16);
		mbedtls_sha256_update_ret(&sha, block, sizeof(block));
		/* Lets the periodic timer re-arm (its fn runs here). */
		event_poll();
	}
	mbedtls_sha256_finish_ret(&sha, out->digest);
	mbedtls_sha256_free(&sha);
	out->acc[0] = a;
	out->acc[1] = b;
	out->acc[2] = c;
	out->acc[3] = d;
}

struct periodic {
	struct timer t;
	uint64_t period_ns;
	unsigned int fired;
	unsigned int limit;
	uint64_t late_max_ns;
	bool early;
	volatile bool done;
};

/* Re-arms itself period_ns after its last deadline (no drift) until it has
 * fired limit times. */
static void periodic_fire(struct timer *t, void *arg)
{
	struct periodic *p = arg;
	uint64_t now = arch_time_ns();

	p->early |= now < t->deadline_ns;
	if (now >= t->deadline_ns && now - t->deadline_ns > p->late_max_ns) {
		p->late_max_ns = now - t->deadline_ns;
	}
	if (++p->fired < p->limit) {
		uint64_t next = t->deadline_ns + p->period_ns;

		timer_start(t, next > now ? next : now, periodic_fire, p);
	} else {
		p->done = true;
	}
}

TEST(irq, fp_state_survives_interrupts)
{
	static struct periodic tick;
	struct fp_result want, got;
	int rc = 0;

	fp_compute(&want);

	tick = (struct periodic){.period_ns = 50 * US, .limit = ~0u};
	fp_clobbers = 0;
	irq_test_hook = fp_clobber;
	timer_start(&tick.t, arch_time_ns() + tick.period_ns, periodic_fire, &tick);
	arch_irq_enable();
	fp_compute(&got);
	arch_irq_disable();
	timer_cancel(&tick.t);
	irq_test_hook = NULL;

	printf("  %u interrupts during the computation\n", fp_clobbers);
	rc |= EXPECT(fp_clobbers >= 10);
	rc |= EXPECT(memcmp(got.acc, want.acc, sizeof(want.acc)) == 0);
	rc |= EXPECT_BYTES(got.digest, want.digest, sizeof(want.digest));
	return rc;
}

/* --- Suite timer -------------------------------------------------------- */

#define ORDER_COUNT 5

struct order_record {
	unsigned int fired[ORDER_COUNT];
	uint64_t at_ns[ORDER_COUNT];
	unsigned int count;
	volatile bool done;
};

struct order_timer {
	struct timer t;
	struct order_record *rec;
	unsigned int index;
};

static void order_fire(struct timer *t, void *arg)
{
	struct order_timer *ot = arg;
	struct order_record *rec = ot->rec;

	(void)t;
	if (rec->count < ORDER_COUNT) {
		rec->fired[rec->count] = ot->index;
		rec->at_ns[rec->count] = arch_time_ns();
	}
	if (++rec->count == ORDER_COUNT) {
		rec->done = true;
	}
}

TEST(timer, fire_in_deadline_order_on_time)
{
	/* Started out of order; index i has the i-th earliest deadline. */
	static const unsigned int start_order[ORDER_COUNT] = {2, 0, 4, 1, 3};
	static struct order_record rec;
	static struct order_timer timers[ORDER_COUNT];
	uint64_t base = arch_time_ns() + 5 * MS;
	uint64_t late_max = 0;
	int rc = 0;

	rec = (struct order_record){0};
	for (unsigned int n = 0; n < ORDER_COUNT; n++) {
		unsigned int i = start_order[n];

		timers[i] = (struct order_timer){.rec = &rec, .index = i};
		timer_start(&timers[i].t, base + i * 7 * MS, order_fire, &timers[i]);
	}
	rc |= EXPECT(loop_until(&rec.done, 1000 * MS));
	for (unsigned int n = 0; n < rec.count && n < ORDER_COUNT; n++) {
		uint64_t deadline = timers[rec.fired[n]].t.deadline_ns;

		rc |= EXPECT(rec.fired[n] == n);
		rc |= EXPECT(rec.at_ns[n] >= deadline);
		rc |= EXPECT(rec.at_ns[n] - deadline <= TIMER_LATE_MAX_NS);
		if (rec.at_ns[n] - deadline > late_max) {
			late_max = rec.at_ns[n] - deadline;
		}
	}
	printf("  latest timer fired %llu us after its deadline\n",
	       (unsigned long long)(late_max / US));
	return rc;
}

TEST(timer, cancel)
{
	static struct order_record rec;
	static struct order_timer a, b;
	uint64_t now = arch_time_ns();
	int rc = 0;

	rec = (struct order_record){0};
	a = (struct order_timer){.rec = &rec, .index = 0};
	b = (struct order_timer){.rec = &rec, .index = 1};
	timer_start(&a.t, now + 5 * MS, order_fire, &a);
	timer_start(&b.t, now + 10 * MS, order_fire, &b);
	rc |= EXPECT(timer_cancel(&a.t));
	loop_for(20 * MS);
	rc |= EXPECT(rec.count == 1);
	rc |= EXPECT(rec.fired[0] == 1);
	rc |= EXPECT(!timer_cancel(&a.t));
	rc |= EXPECT(!timer_cancel(&b.t));
	return rc;
}

TEST(timer, restart_moves_deadline)
{
	static struct order_record rec;
	static struct order_timer a, b;
	uint64_t now = arch_time_ns();
	int rc = 0;

	rec = (struct order_record){0};
	a = (struct order_timer){.rec = &rec, .index = 0};
	b = (struct order_timer){.rec = &rec, .index = 1};
	timer_start(&a.t, now + 2 * MS, order_fire, &a);
	timer_start(&b.t, now + 6 * MS, order_fire, &b);
	/* a, the head, moves behind b. */
	timer_start(&a.t, now + 10 * MS, order_fire, &a);
	loop_for(20 * MS);
	rc |= EXPECT(rec.count == 2);
	rc |= EXPECT(rec.fired[0] == 1 && rec.fired[1] == 0);
	rc |= EXPECT(rec.at_ns[1] >= now + 10 * MS);
	return rc;
}

TEST(timer, periodic_100_times)
{
	static struct periodic tick;
	int rc = 0;

	tick = (struct periodic){.period_ns = 1 * MS, .limit = 100};
	timer_start(&tick.t, arch_time_ns() + tick.period_ns, periodic_fire, &tick);
	rc |= EXPECT(loop_until(&tick.done, 2000 * MS));
	rc |= EXPECT(tick.fired == 100);
	rc |= EXPECT(!tick.early);
	rc |= EXPECT(tick.late_max_ns <= TIMER_LATE_MAX_NS);
	printf("  100 periods of 1 ms: latest %llu us after its deadline\n",
	       (unsigned long long)(tick.late_max_ns / US));
	return rc;
}

/* Work queued by an interrupt handler runs later, in the event loop, with
 * its argument. */
struct irq_work {
	struct work w;
	volatile unsigned int ran;
	void *arg;
	volatile bool done;
};

static void irq_work_run(struct work *w, void *arg)
{
	struct irq_work *iw = (struct irq_work *)w;

	iw->ran++;
	iw->arg = arg;
	iw->done = true;
}

static void irq_work_queue(unsigned int irq, void *arg)
{
	struct irq_work *iw = arg;

	(void)irq;
	work_queue(cpu_self(), &iw->w, irq_work_run, iw);
}

TEST(timer, event_loop_runs_work_from_interrupt)
{
	static struct irq_work iw;
	int irq = irq_alloc();
	int rc = EXPECT(irq >= 0);

	if (rc || EXPECT(irq_register((unsigned int)irq, irq_work_queue, &iw) == 0)) {
		return -1;
	}
	irq_send_ipi(cpu_self(), (unsigned int)irq);
	rc |= EXPECT(iw.ran == 0); /* interrupts are off: nothing yet */
	rc |= EXPECT(loop_until(&iw.done, 1000 * MS));
	rc |= EXPECT(iw.ran == 1);
	rc |= EXPECT(iw.arg == &iw);
	return rc;
}
