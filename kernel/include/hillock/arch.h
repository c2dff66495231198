/* What generic code asks of an architecture.  arch/x86_64/ and
 * arch/aarch64/ each define every function here; the build links one. */
#ifndef HILLOCK_ARCH_H
#define HILLOCK_ARCH_H

#include <stdint.h>

/* Short name of the architecture, as in build/<arch>/. */
extern const char arch_name[];

/* Exit statuses the image reports to its host (tools/qemu-run.sh reads
 * them back from QEMU's exit code). */
enum exit_status {
	EXIT_STATUS_PASS = 0,
	EXIT_STATUS_FAIL = 1,	   /* a test or check failed */
	EXIT_STATUS_PANIC = 2,	   /* panic(): a broken invariant */
	EXIT_STATUS_EXCEPTION = 3, /* an unexpected CPU exception */
};

/* Stop the machine; under QEMU the exit status is 0 for status 0, non-zero
 * otherwise (isa-debug-exit on x86_64, semihosting on aarch64). */
_Noreturn void arch_exit(int status);

/* Stop this CPU for good: interrupts masked, halted.  The others go on. */
_Noreturn void arch_cpu_halt(void);

/* 64 random bits from the CPU's generator (RDRAND / RNDR), mixed with the
 * counter when the CPU has none.  Not for key material. */
uint64_t arch_random_u64(void);

/* Monotonic nanoseconds since the image was entered. */
uint64_t arch_time_ns(void);

/* The first physical address beyond what the CPU can address
 * (MAXPHYADDR; ID_AA64MMFR0_EL1.PARange). */
uint64_t arch_phys_limit(void);

/* The first physical address beyond the boot page tables' identity map
 * (x86_64: 4 GiB; aarch64: 256 GiB).  Loaders place VTL2 below it. */
uint64_t arch_boot_map_limit(void);

/* Run fn(arg) on another stack, stack_top being its initial stack pointer
 * (16-byte aligned), and return fn's result on the caller's stack. */
long arch_call_on_stack(uint64_t stack_top, long (*fn)(void *), void *arg);

/* Write one byte to the boot console. */
void arch_console_putc(char c);

#endif
