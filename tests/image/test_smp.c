/* In-image tests of the CPUs (suite smp): every CPU is up and answers,
 * IPIs reach each one, per-CPU data is per CPU, one lock holds under
 * contention from all of them and the lock order is enforced.
 *
 * CPUs that started in the sidecar join the kernel first (each test asks;
 * converting is done once), so the suite tests converted CPUs at the
 * default boot and CPUs started in the kernel with hillock.sidecar=off.
 *
 * At SMP 1 the loops cover just the boot CPU and the tests that need a
 * second CPU check what they can without one. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/event.h>
#include <hillock/irq.h>
#include <hillock/selftest.h>
#include <hillock/sidecar.h>
#include <hillock/spinlock.h>

#define MS 1000000ull
/* Generous: eight TCG vCPUs may share two host cores with other QEMUs. */
#define CALL_TIMEOUT_NS (2000 * MS)
#define CONTENTION_INCREMENTS 1000

static int return_cpu_id(void *arg)
{
	(void)arg;
	return (int)cpu_id;
}

static int return_hwid_matches(void *arg)
{
	(void)arg;
	return arch_cpu_hwid() == cpus[cpu_id].hwid;
}

/* Spin with interrupts enabled until *count reaches want or the timeout. */
static bool wait_count(volatile unsigned int *count, unsigned int want, uint64_t timeout_ns)
{
	uint64_t deadline = arch_time_ns() + timeout_ns;
	unsigned long flags = arch_irq_save();
	bool ok;

	arch_irq_enable();
	while (!(ok = __atomic_load_n(count, __ATOMIC_ACQUIRE) >= want) && arch_time_ns() < deadline) {
		arch_cpu_relax();
	}
	arch_irq_disable();
	arch_irq_restore(flags);
	return ok;
}

static void join_sidecar_cpus(void)
{
	int rc = sidecar_convert_all(CALL_TIMEOUT_NS);

	if (rc != 0) {
		printf("  converting the sidecar CPUs failed (%d)\n", rc);
	}
}

TEST(smp, every_cpu_online)
{
	join_sidecar_cpus();
	int failed = 0;

	failed |= EXPECT(cpu_count >= 1);
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		if (!cpus[cpu].online) {
			printf("  cpu %u (hardware ID %#llx) is offline\n", cpu,
			       (unsigned long long)cpus[cpu].hwid);
			failed |= EXPECT(cpus[cpu].online);
		}
		for (unsigned int other = 0; other < cpu; other++) {
			failed |= EXPECT(cpus[cpu].hwid != cpus[other].hwid);
		}
	}
	failed |= EXPECT(cpu_self() == 0);
	return failed;
}

TEST(smp, call_runs_on_each_cpu)
{
	join_sidecar_cpus();
	int failed = 0;

	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		int got = smp_call(cpu, return_cpu_id, NULL, CALL_TIMEOUT_NS);

		if (got != (int)cpu) {
			printf("  smp_call on cpu %u returned %d\n", cpu, got);
			failed |= EXPECT(got == (int)cpu);
		}
		/* The device tree's hardware ID is really that CPU's. */
		failed |= EXPECT(smp_call(cpu, return_hwid_matches, NULL, CALL_TIMEOUT_NS) == 1);
	}
	failed |= EXPECT(smp_call(cpu_count, return_cpu_id, NULL, CALL_TIMEOUT_NS) == -ENODEV);
	return failed;
}

/* A call a busy CPU does not pick up in time times out and then never
 * runs; the CPU answers the next one. */
static volatile bool busy_release;
static volatile unsigned int busy_started;
static struct work busy_work;

static void busy_until_released(struct work *w, void *arg)
{
	uint64_t deadline = arch_time_ns() + 4 * CALL_TIMEOUT_NS;

	(void)w;
	(void)arg;
	__atomic_store_n(&busy_started, 1, __ATOMIC_RELEASE);
	while (!busy_release && arch_time_ns() < deadline) {
		arch_cpu_relax();
	}
}

static int mark_ran(void *arg)
{
	*(volatile int *)arg = 1;
	return 0;
}

TEST(smp, call_times_out_and_never_runs_late)
{
	join_sidecar_cpus();
	volatile int ran = 0;
	int failed = 0;

	if (cpu_count < 2) {
		return EXPECT(smp_call(0, mark_ran, (void *)&ran, 0) == 0 && ran == 1);
	}
	busy_release = false;
	busy_started = 0;
	work_queue(1, &busy_work, busy_until_released, NULL);
	failed |= EXPECT(wait_count(&busy_started, 1, CALL_TIMEOUT_NS));
	failed |= EXPECT(smp_call(1, mark_ran, (void *)&ran, 5 * MS) == -ETIMEDOUT);
	busy_release = true;
	/* Queued behind the abandoned call: by its answer, that one was
	 * dropped. */
	failed |= EXPECT(smp_call(1, return_cpu_id, NULL, CALL_TIMEOUT_NS) == 1);
	failed |= EXPECT(ran == 0);
	return failed;
}

/* --- IPIs ---------------------------------------------------------------------- */

static volatile unsigned int ipi_hits[CPU_MAX];

static void ipi_count(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
	__atomic_fetch_add(&ipi_hits[cpu_self()], 1, __ATOMIC_RELEASE);
}

TEST(smp, ipi_reaches_every_cpu)
{
	join_sidecar_cpus();
	int irq = irq_alloc();
	int failed = 0;

	if (EXPECT(irq >= 0) || EXPECT(irq_register((unsigned int)irq, ipi_count, NULL) == 0)) {
		return 1;
	}
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		ipi_hits[cpu] = 0;
		irq_send_ipi(cpu, (unsigned int)irq);
		if (!wait_count(&ipi_hits[cpu], 1, CALL_TIMEOUT_NS)) {
			printf("  IPI %d to cpu %u not delivered\n", irq, cpu);
			failed |= EXPECT(ipi_hits[cpu] == 1);
		}
	}
	/* Each once, and only to its target. */
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		failed |= EXPECT(ipi_hits[cpu] == 1);
	}
	return failed;
}

/* --- Per-CPU data ------------------------------------------------------------------ */

static __thread uint64_t tls_probe;
static uintptr_t tls_probe_address[CPU_MAX];

static int tls_write(void *arg)
{
	(void)arg;
	tls_probe = 0x5eed0000u + cpu_id;
	tls_probe_address[cpu_id] = (uintptr_t)&tls_probe;
	return 0;
}

static int tls_read(void *arg)
{
	(void)arg;
	return tls_probe == 0x5eed0000u + cpu_id;
}

TEST(smp, tls_is_per_cpu)
{
	join_sidecar_cpus();
	int failed = 0;

	/* Every CPU writes its own value first, then each reads it back
	 * after all the others wrote theirs. */
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		failed |= EXPECT(smp_call(cpu, tls_write, NULL, CALL_TIMEOUT_NS) == 0);
	}
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		failed |= EXPECT(smp_call(cpu, tls_read, NULL, CALL_TIMEOUT_NS) == 1);
		for (unsigned int other = 0; other < cpu; other++) {
			failed |= EXPECT(tls_probe_address[cpu] != tls_probe_address[other]);
		}
	}
	return failed;
}

/* --- Locks ----------------------------------------------------------------------- */

static struct spinlock counter_lock = SPINLOCK_INIT("smp test counter", LOCK_RANK_TEST);
static volatile uint64_t counter;
static volatile unsigned int contention_arrived, contention_done;
static struct work contention_work[CPU_MAX];

/* Every CPU waits for all the others (bounded), so that they really
 * contend, then adds one CONTENTION_INCREMENTS times under the lock with
 * a read-modify-write that would lose updates without it. */
static void contend(struct work *w, void *arg)
{
	unsigned int cpus_in = (unsigned int)(uintptr_t)arg;
	uint64_t deadline = arch_time_ns() + CALL_TIMEOUT_NS;

	(void)w;
	__atomic_fetch_add(&contention_arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&contention_arrived, __ATOMIC_ACQUIRE) < cpus_in &&
	       arch_time_ns() < deadline) {
		arch_cpu_relax();
	}
	for (int i = 0; i < CONTENTION_INCREMENTS; i++) {
		unsigned long flags = spin_lock(&counter_lock);

		counter = counter + 1;
		spin_unlock(&counter_lock, flags);
	}
	__atomic_fetch_add(&contention_done, 1, __ATOMIC_ACQ_REL);
}

TEST(smp, spinlock_contention_exact)
{
	join_sidecar_cpus();
	uint64_t t0 = arch_time_ns();
	int failed = 0;

	unsigned int online = 0;

	counter = 0;
	contention_arrived = contention_done = 0;
	/* The CPUs that are up (every_cpu_online reports any that is not). */
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		online += cpus[cpu].online;
	}
	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		if (cpus[cpu].online) {
			work_queue(cpu, &contention_work[cpu], contend, (void *)(uintptr_t)online);
		}
	}
	contend(&contention_work[0], (void *)(uintptr_t)online);
	failed |= EXPECT(wait_count(&contention_done, online, 10 * CALL_TIMEOUT_NS));
	failed |= EXPECT(counter == (uint64_t)online * CONTENTION_INCREMENTS);
	printf("  %u CPUs x %d increments: %llu in %llu us\n", online, CONTENTION_INCREMENTS,
	       (unsigned long long)counter, (unsigned long long)((arch_time_ns() - t0) / 1000));
	return failed;
}

static struct spinlock rank_low = SPINLOCK_INIT("smp test heap-rank", LOCK_RANK_HEAP);
static struct spinlock rank_high = SPINLOCK_INIT("smp test kmsg-rank", LOCK_RANK_KMSG);

static int check_low_allowed(void *arg)
{
	char msg[160];

	(void)arg;
	return spin_lock_check(&rank_low, msg, sizeof(msg));
}

TEST(smp, lock_rank_violation_caught)
{
	join_sidecar_cpus();
	char msg[160] = "";
	int failed = 0;
	unsigned long flags = spin_lock(&rank_high);

	/* Lower rank while holding a higher one: refused, naming both. */
	failed |= EXPECT(spin_lock_check(&rank_low, msg, sizeof(msg)) == -EDEADLK);
	failed |= EXPECT(strstr(msg, "\"smp test heap-rank\"") != NULL);
	failed |= EXPECT(strstr(msg, "\"smp test kmsg-rank\"") != NULL);
	/* Again: recursion. */
	failed |= EXPECT(spin_lock_check(&rank_high, msg, sizeof(msg)) == -EDEADLK);
	failed |= EXPECT(strstr(msg, "recursive") != NULL);
	failed |= EXPECT(spin_lock_held(&rank_high));
	/* What one CPU holds does not constrain another. */
	if (cpu_count > 1) {
		failed |= EXPECT(smp_call(1, check_low_allowed, NULL, CALL_TIMEOUT_NS) == 0);
	}
	spin_unlock(&rank_high, flags);
	failed |= EXPECT(!spin_lock_held(&rank_high));
	failed |= EXPECT(spin_lock_check(&rank_low, msg, sizeof(msg)) == 0);
	return failed;
}
