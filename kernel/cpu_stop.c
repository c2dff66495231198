/* Stopping the other CPUs when one of them reports a fatal error
 * (hillock/panic.h): an IPI whose handler masks interrupts and halts for
 * good.  CPUs in the sidecar take the same IPI: they wait and run their
 * commands with interrupts enabled, through the kernel's interrupt path.  A CPU that runs with interrupts masked cannot take it (neither
 * architecture has an NMI here); the reporting CPU waits a bounded time,
 * and its report says how many stopped. */
#include <stdio.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/init.h>
#include <hillock/irq.h>
#include <hillock/panic.h>
#include <hillock/spinlock.h>

/* IPIs arrive within microseconds; this covers an overloaded TCG host. */
#define CPU_STOP_WAIT_NS (1000ull * 1000 * 1000)

static unsigned int cpu_stop_irq;

static void cpu_stop_handler(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
	panic_cpu_stop();
}

static void cpu_stop_others(void)
{
	unsigned int self = cpu_self(), sent = 0;

	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		if (cpu != self && cpu_is_up(cpu)) {
			irq_send_ipi(cpu, cpu_stop_irq);
			sent++;
		}
	}
	uint64_t deadline = arch_time_ns() + CPU_STOP_WAIT_NS;

	/* A CPU that lost the race to report halted on its own and counts
	 * too; it takes no IPI, so it is not counted twice. */
	while (panic_cpus_stopped() < sent && arch_time_ns() < deadline) {
		arch_cpu_relax();
	}
}

static int cpu_stop_init(const struct boot_info *bi)
{
	int irq = irq_alloc();

	(void)bi;
	if (irq < 0) {
		printf("cpu_stop: no interrupt number for the stop IPI (%d)\n", irq);
		return irq;
	}
	cpu_stop_irq = (unsigned int)irq;
	int rc = irq_register(cpu_stop_irq, cpu_stop_handler, NULL);

	if (rc != 0) {
		printf("cpu_stop: registering the stop IPI failed (%d)\n", rc);
		return rc;
	}
	__atomic_store_n(&panic_stop_other_cpus, cpu_stop_others, __ATOMIC_RELEASE);
	return 0;
}
INIT_CALL(INIT_SMP, cpu_stop_init);
