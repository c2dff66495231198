/* CPUs and per-CPU data.
 *
 * Per-CPU data is thread-local storage: each CPU runs on its own TLS block
 * (the same block holds the stack-protector canary the prebuilt libraries
 * read), so a `__thread` variable is a per-CPU variable.  cpu_id is this
 * CPU's logical index, 0 for the boot CPU, in the order of /cpus. */
#ifndef HILLOCK_CPU_H
#define HILLOCK_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPU_MAX 256

extern __thread unsigned int cpu_id;

/* What the kernel knows of each CPU. */
struct cpu_info {
	uint64_t hwid;	   /* x86_64: APIC ID; aarch64: MPIDR affinity */
	bool online;	   /* running the full kernel */
	uint64_t stack_top;
	void *tls;	   /* its TLS block */
};

extern struct cpu_info cpus[CPU_MAX];
extern unsigned int cpu_count;

static inline unsigned int cpu_self(void)
{
	return cpu_id;
}

/* Run fn(arg) on cpu and wait for it to finish (IPI + that CPU's event
 * loop); returns fn's result, or a negative errno if the CPU is offline
 * or did not answer within timeout_ns. */
int smp_call(unsigned int cpu, int (*fn)(void *arg), void *arg, uint64_t timeout_ns);

/* --- What the architecture provides ---------------------------------------- */

/* Lay out a TLS block in area (size bytes): template copied, canary set,
 * the architecture's thread-control block in place.  Returns the thread
 * pointer to load, or 0 if it does not fit. */
uint64_t arch_tls_init(void *area, size_t size, uint64_t canary);
/* Load the thread pointer on this CPU (FS base; TPIDR_EL0). */
void arch_tls_activate(uint64_t tp);

/* Start CPU cpu (hardware ID hwid) running ap_entry(cpu) on stack_top with
 * the kernel's page tables; returns 0 once it is started (not yet
 * running C), or a negative errno. */
int arch_cpu_start(unsigned int cpu, uint64_t hwid, uint64_t stack_top);

/* Generic: where a started CPU arrives, in C, on its own stack, with the
 * kernel's tables, exceptions and its TLS already set up by the arch. */
_Noreturn void smp_ap_main(unsigned int cpu);

/* This CPU's hardware ID. */
uint64_t arch_cpu_hwid(void);

#endif
