/* panic(): Hillock's own invariant is broken.  Prints the message, the CPU
 * and a backtrace, stops the other CPUs, keeps the message in the kernel
 * log and stops the machine with a failing exit status.  Never used for
 * bad input from VTL0, the host or a device: that gets an error code. */
#ifndef HILLOCK_PANIC_H
#define HILLOCK_PANIC_H

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* --- Fatal reports: panic() and the architectures' exception reports ------ */

/* Set by Hillock's kernel once it can stop CPUs by IPI (kernel/cpu_stop.c);
 * NULL in the loader image, which runs on one CPU.  Asks every other
 * online CPU to call panic_cpu_stop() and waits, for a bounded time, until
 * panic_cpus_stopped() says they did. */
extern void (*panic_stop_other_cpus)(void);

/* Halt this CPU for good because another reports a fatal error; counted. */
_Noreturn void panic_cpu_stop(void);

/* How many CPUs have halted in panic_cpu_stop(). */
unsigned int panic_cpus_stopped(void);

/* Start a fatal report on this CPU.  The first CPU to get here owns the
 * console until it exits, and every other CPU is stopped before it
 * returns.  Another CPU that gets here meanwhile halts for good, quietly;
 * a second report on the owning CPU (a fault while reporting) exits at
 * once with the first report's status. */
void panic_report_begin(int exit_status);

/* End the report: "<what>: stopped N other CPUs" (when the kernel can stop
 * CPUs), summary into the kernel log, then arch_exit(exit_status). */
_Noreturn void panic_report_end(const char *what, const char *summary, int exit_status);

#endif
