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
/* A kernel CPU's stack (a guard page below it): as large as the boot
 * CPU's (entry.S), since any code may run on it. */
#define CPU_STACK_SIZE (32u << 10)

extern __thread unsigned int cpu_id;

/* What the kernel knows of each CPU. */
struct cpu_info {
	uint64_t hwid;	   /* x86_64: APIC ID; aarch64: MPIDR affinity */
	bool online;	   /* running the full kernel */
	bool sidecar;	   /* in the sidecar (hillock/sidecar.h): no kernel work */
	uint64_t stack_top;
	void *tls;	   /* its thread pointer (what arch_tls_init() returned) */
};

/* cpus[0, cpu_count) are the CPUs the device tree lists (known from
 * INIT_CPU on); those that came up have online set (INIT_SMP). */
extern struct cpu_info cpus[CPU_MAX];
extern unsigned int cpu_count;

/* Online or in the sidecar: a CPU that takes the stop IPI of a panic and
 * answers TLB shootdowns.  Work (smp_call, work_queue) goes to online
 * CPUs only. */
static inline bool cpu_is_up(unsigned int cpu)
{
	return __atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&cpus[cpu].sidecar, __ATOMIC_ACQUIRE);
}

static inline unsigned int cpu_self(void)
{
	return cpu_id;
}

/* Run fn(arg) on cpu and wait for it to finish (IPI + that CPU's event
 * loop); returns fn's result, or a negative errno: -ENODEV if the CPU is
 * offline, -ETIMEDOUT if fn had not started within timeout_ns (it then
 * never runs), -EBUSY if this CPU has too many calls still unanswered.
 * Once fn has started the caller waits for it to finish, since arg may
 * live on the caller's stack.  On this CPU, fn runs directly.  Not from
 * interrupt handlers. */
int smp_call(unsigned int cpu, int (*fn)(void *arg), void *arg, uint64_t timeout_ns);

/* --- What the architecture provides ---------------------------------------- */

/* Lay out a TLS block in area (size bytes): template copied, canary set,
 * the architecture's thread-control block in place.  Returns the thread
 * pointer to load, or 0 if it does not fit. */
uint64_t arch_tls_init(void *area, size_t size, uint64_t canary);
/* Where in its area arch_tls_init() puts the thread pointer: after the
 * template on x86_64 (variant II), at the start on aarch64 (variant I). */
size_t arch_tls_tp_offset(void);
/* Load the thread pointer on this CPU (FS base; TPIDR_EL0). */
void arch_tls_activate(uint64_t tp);

struct boot_info;

/* Before the first arch_cpu_start() of a boot: whatever the starts share
 * (x86_64: a real-mode trampoline page; aarch64: the PSCI conduit).
 * 0, or a negative errno after printing why. */
int arch_cpu_start_prepare(const struct boot_info *bi);

/* What a CPU starts with.  A full kernel CPU's descriptor tables and
 * exception stack come from the architecture (tables NULL); a sidecar
 * CPU's from its sidecar area, so that nothing is allocated for it but
 * that area. */
struct cpu_start {
	uint64_t stack_top;
	uint64_t tp; /* its thread pointer (arch_tls_init()) */
	void *tables; /* arch_cpu_tables_size() bytes, or NULL */
	uint64_t exception_stack_top; /* with tables: where exceptions and interrupts run */
	void (*entry)(unsigned int cpu); /* smp_ap_main or sidecar_main: never returns */
};

/* The room a CPU's descriptor tables take (x86_64: GDT and TSS; aarch64:
 * none), for struct cpu_start.tables. */
size_t arch_cpu_tables_size(void);

/* Start CPU cpu (hardware ID hwid) on the kernel's page tables, on
 * start's stack, thread pointer and tables, so that it arrives in
 * start->entry(cpu).  Returns 0 once the start is issued (the CPU may
 * not run yet: starts proceed in parallel), or a negative errno. */
int arch_cpu_start(unsigned int cpu, uint64_t hwid, const struct cpu_start *start);

/* A CPU that was started but gave up on: keep it from arriving later
 * where it could do harm (x86_64: INIT puts it back to waiting for SIPI). */
void arch_cpu_start_cancel(unsigned int cpu, uint64_t hwid);

/* After every started CPU arrived or was given up on (x86_64: gives the
 * trampoline page back). */
void arch_cpu_start_finish(void);

/* Generic: where a started CPU arrives, in C, on its own stack, with the
 * kernel's tables, exceptions and its TLS already set up by the arch. */
_Noreturn void smp_ap_main(unsigned int cpu);

/* The sidecar's side of the start (kernel/smp.c).  A CPU that set itself
 * up (rc 0) enters the sidecar: true, or false if the boot CPU gave up on
 * it.  A CPU whose setup failed (rc < 0) is given up on: false. */
bool smp_ap_enter_sidecar(unsigned int cpu, int rc);
/* A sidecar CPU converting, on its new kernel stack: per-CPU setup, then
 * online and the event loop. */
_Noreturn void smp_ap_join(unsigned int cpu);
/* Stop this CPU for good, quietly: one the boot gave up on. */
_Noreturn void smp_park(void);

/* Continue in fn(arg) on the stack whose top is stack_top; the current
 * stack is abandoned; fn must not return. */
_Noreturn void arch_stack_switch(uint64_t stack_top, void (*fn)(unsigned int),
				 unsigned int arg);

/* This CPU's hardware ID. */
uint64_t arch_cpu_hwid(void);

#endif
