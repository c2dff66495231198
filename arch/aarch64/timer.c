/* aarch64 one-shot timer: the EL1 virtual timer (CNTV), which EL2 can
 * program directly, on PPI 27.
 *
 * The clock (arch_time_ns()) reads the physical count CNTPCT, the timer
 * compares against the virtual count CNTVCT = CNTPCT - CNTVOFF_EL2; Hillock
 * sets CNTVOFF_EL2 to 0 so that both count the same.  The timer's
 * interrupt is level-sensitive: the handler disables the timer before the
 * timer queue arms it again. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <arch/gicv3.h>
#include <hillock/arch.h>
#include <hillock/irq.h>
#include <hillock/timer.h>

#define NS_PER_S 1000000000ull
#define CNTV_CTL_ENABLE 1ul

static uint64_t counter_hz;

static inline uint64_t timer_count(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

static void aarch64_timer_irq(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
	__asm__ volatile("msr cntv_ctl_el0, xzr; isb");
	timer_interrupt();
}

int arch_timer_init_cpu(void)
{
	/* The boot CPU comes first, before any other CPU starts. */
	if (!counter_hz) {
		__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(counter_hz));
		if (!counter_hz) {
			printf("timer: CNTFRQ_EL0 is 0\n");
			return -ENODEV;
		}
		int rc = irq_register(GIC_INTID_VIRT_TIMER, aarch64_timer_irq, NULL);

		if (rc) {
			return rc;
		}
		printf("timer: CNTV on INTID %u at %llu kHz\n", GIC_INTID_VIRT_TIMER,
		       (unsigned long long)(counter_hz / 1000));
	}
	__asm__ volatile("msr cntvoff_el2, xzr; msr cntv_ctl_el0, xzr; isb");
	arch_irq_unmask(GIC_INTID_VIRT_TIMER);
	return 0;
}

void arch_timer_set(uint64_t deadline_ns)
{
	if (!deadline_ns) {
		__asm__ volatile("msr cntv_ctl_el0, xzr; isb");
		return;
	}
	/* The clock first, the count after: the compare value errs late. */
	uint64_t now = arch_time_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
	uint64_t ticks = (uint64_t)(((unsigned __int128)delta * counter_hz + NS_PER_S - 1) / NS_PER_S);
	uint64_t cval = timer_count() + ticks;

	__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
			 :
			 : "r"(cval), "r"(CNTV_CTL_ENABLE));
}
