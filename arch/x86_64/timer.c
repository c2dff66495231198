/* x86_64 one-shot timer: the local APIC timer.
 *
 * TSC-deadline mode when CPUID.1:ECX[24] says the CPU has it (the deadline
 * is a TSC value, the clock arch_time_ns() reads, so no calibration);
 * otherwise one-shot mode counting down at a rate measured once against
 * the TSC over 1 ms.  QEMU 7.2 TCG -cpu max has no TSC-deadline mode. */
#include <stdint.h>
#include <stdio.h>

#include <arch/apic.h>
#include <arch/io.h>
#include <hillock/arch.h>
#include <hillock/irq.h>
#include <hillock/timer.h>

#define NS_PER_S 1000000000ull
#define TIMER_CALIBRATE_NS 1000000ull
#define APIC_COUNT_MAX 0xffffffffull

uint64_t x86_tsc_hz(void);

static bool timer_deadline_mode;
static uint64_t apic_timer_hz; /* one-shot mode */

static void x86_timer_irq(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
	timer_interrupt();
}

/* Ticks of a clock at hz in ns nanoseconds, rounded up so that a timer
 * never fires before its deadline by this conversion. */
static uint64_t timer_ticks(uint64_t ns, uint64_t hz)
{
	return (uint64_t)(((unsigned __int128)ns * hz + NS_PER_S - 1) / NS_PER_S);
}

/* The APIC timer's rate: count down from the top for 1 ms of TSC time. */
static uint64_t apic_timer_calibrate(void)
{
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_VECTOR_TIMER);
	apic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIVIDE_1);
	apic_write(APIC_TIMER_INITIAL, (uint32_t)APIC_COUNT_MAX);
	uint64_t t0 = arch_time_ns(), t1;

	do {
		t1 = arch_time_ns();
	} while (t1 - t0 < TIMER_CALIBRATE_NS);
	uint64_t counted = APIC_COUNT_MAX - apic_read(APIC_TIMER_CURRENT);

	apic_write(APIC_TIMER_INITIAL, 0);
	return counted * NS_PER_S / (t1 - t0);
}

int arch_timer_init_cpu(void)
{
	/* The boot CPU comes first, before any other CPU starts. */
	static bool registered;

	if (!registered) {
		uint32_t r[4];
		int rc = irq_register(APIC_VECTOR_TIMER, x86_timer_irq, NULL);

		if (rc) {
			return rc;
		}
		registered = true;
		cpuid(1, 0, r);
		timer_deadline_mode = (r[2] & CPUID1_ECX_TSC_DEADLINE) != 0;
		if (!timer_deadline_mode) {
			apic_timer_hz = apic_timer_calibrate();
			if (apic_timer_hz == 0) {
				printf("timer: the APIC timer does not count\n");
				return -1;
			}
		}
		if (timer_deadline_mode) {
			printf("timer: APIC TSC-deadline\n");
		} else {
			printf("timer: APIC one-shot at %llu kHz\n",
			       (unsigned long long)(apic_timer_hz / 1000));
		}
	}
	if (timer_deadline_mode) {
		apic_write(APIC_LVT_TIMER, APIC_LVT_TIMER_DEADLINE | APIC_VECTOR_TIMER);
		/* SDM 11.5.4.1: the LVT write must be seen before the MSR's. */
		__asm__ volatile("mfence" ::: "memory");
		wrmsr(MSR_TSC_DEADLINE, 0);
	} else {
		apic_write(APIC_TIMER_DIVIDE, APIC_TIMER_DIVIDE_1);
		apic_write(APIC_LVT_TIMER, APIC_LVT_TIMER_ONESHOT | APIC_VECTOR_TIMER);
		apic_write(APIC_TIMER_INITIAL, 0);
	}
	arch_irq_unmask(APIC_VECTOR_TIMER);
	return 0;
}

void arch_timer_set(uint64_t deadline_ns)
{
	uint64_t now = arch_time_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;

	if (timer_deadline_mode) {
		/* 0 disarms; a deadline already past fires at once. */
		wrmsr(MSR_TSC_DEADLINE, deadline_ns ? rdtsc() + timer_ticks(delta, x86_tsc_hz()) + 1 : 0);
		return;
	}
	uint64_t count = deadline_ns ? timer_ticks(delta, apic_timer_hz) + 1 : 0;

	/* Beyond the counter's range: fire early and let the timer queue,
	 * finding nothing due, set it again. */
	apic_write(APIC_TIMER_INITIAL, (uint32_t)(count > APIC_COUNT_MAX ? APIC_COUNT_MAX : count));
}
