/* panic() and what every fatal report shares; see hillock/panic.h.
 *
 * One report reaches the console: the first CPU to start one claims it by
 * compare-and-swap and stops the others before it prints, so that nothing
 * interleaves with it and nothing changes the state it describes. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include <hillock/arch.h>
#include <hillock/backtrace.h>
#include <hillock/cpu.h>
#include <hillock/kmsg.h>
#include <hillock/panic.h>

#define PANIC_NO_OWNER (-1)

void (*panic_stop_other_cpus)(void);

static int panic_owner = PANIC_NO_OWNER;
static int panic_status;
static unsigned int panic_stopped;

_Noreturn void panic_cpu_stop(void)
{
	__atomic_fetch_add(&panic_stopped, 1, __ATOMIC_RELEASE);
	arch_cpu_halt();
}

unsigned int panic_cpus_stopped(void)
{
	return __atomic_load_n(&panic_stopped, __ATOMIC_ACQUIRE);
}

void panic_report_begin(int exit_status)
{
	int owner = PANIC_NO_OWNER;
	int self = (int)cpu_self();

	if (!__atomic_compare_exchange_n(&panic_owner, &owner, self, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		if (owner == self) {
			/* Failed while reporting: stop without more output. */
			arch_exit(panic_status);
		}
		panic_cpu_stop();
	}
	panic_status = exit_status;
	void (*stop)(void) = __atomic_load_n(&panic_stop_other_cpus, __ATOMIC_ACQUIRE);

	if (stop) {
		stop();
	}
}

_Noreturn void panic_report_end(const char *what, const char *summary, int exit_status)
{
	if (panic_stop_other_cpus) {
		unsigned int stopped = panic_cpus_stopped();

		printf("%s: stopped %u other CPU%s\n", what, stopped, stopped == 1 ? "" : "s");
	}
	kmsg_emergency(summary);
	arch_exit(exit_status);
}

_Noreturn void panic(const char *fmt, ...)
{
	char msg[KMSG_TEXT_MAX + 1];
	char summary[KMSG_TEXT_MAX + 1];
	va_list ap;

	panic_report_begin(EXIT_STATUS_PANIC);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(summary, sizeof(summary), "PANIC on cpu %u: %s", cpu_self(), msg);
	printf("\n*** %s\nbacktrace:\n", summary);
	backtrace_print((uint64_t)(uintptr_t)__builtin_frame_address(0),
			(uint64_t)(uintptr_t)__builtin_frame_address(0));
	panic_report_end("panic", summary, EXIT_STATUS_PANIC);
}
