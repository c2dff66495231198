/* hillock.fault=<kind>: fault on purpose, so tests can check that every
 * kind of failure produces its report and a failing exit, never a hang.
 * The "-ap" kinds fault on CPU 1 (smp_call), to show that a report names
 * that CPU and that the boot CPU is stopped. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/event.h>
#include <hillock/irq.h>
#include <hillock/panic.h>
#include <hillock/sidecar.h>
#include <hillock/spinlock.h>

/* Canonical, and outside the boot mappings of both architectures (x86_64
 * maps the low 4 GiB, aarch64 the low 256 GiB). */
#define FAULT_UNMAPPED_ADDRESS 0x000000dead000000ull
#define FAULT_AP 1
#define FAULT_AP_TIMEOUT_NS (5ull * 1000 * 1000 * 1000)

static __attribute__((noinline)) void fault_smash_stack(volatile size_t n)
{
	char buf[16];
	char *volatile p = buf;

	/* Writes past buf on purpose; the canary check must catch it. */
	for (size_t i = 0; i < n; i++) {
		p[i] = (char)i;
	}
	__asm__ volatile("" : : "r"(buf) : "memory");
}

/* Never reached: keeps the compiler from calling the recursion infinite. */
static volatile unsigned int fault_recurse_limit = ~0u;

/* 256 bytes of stack a call, until the stack runs into its guard page. */
static __attribute__((noinline)) unsigned int fault_recurse(unsigned int depth)
{
	volatile uint8_t frame[256];

	frame[0] = (uint8_t)depth;
	if (depth == fault_recurse_limit) {
		return 0;
	}
	return fault_recurse(depth + 1) + frame[0];
}

static int fault_undefined(void *arg)
{
	(void)arg;
	__builtin_trap();
}

static int fault_page(void *arg)
{
	(void)arg;
	*(volatile uint64_t *)(uintptr_t)FAULT_UNMAPPED_ADDRESS = 1;
	return 0;
}

static int fault_panic(void *arg)
{
	panic("hillock.fault=%s", (const char *)arg);
}

/* panic-all: every online CPU panics at the same moment; one report must
 * come out, and every other CPU must stop quietly. */
static unsigned int fault_panic_all_arrived;
static struct work fault_panic_all_work[CPU_MAX];

static void fault_panic_all_together(void *arg)
{
	unsigned int online = 0;

	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		online += cpus[cpu].online;
	}
	__atomic_fetch_add(&fault_panic_all_arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&fault_panic_all_arrived, __ATOMIC_ACQUIRE) < online) {
		arch_cpu_relax();
	}
	fault_panic(arg);
}

static void fault_panic_all_run(struct work *w, void *arg)
{
	(void)w;
	fault_panic_all_together(arg);
}

static int fault_panic_all(void *arg)
{
	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		if (cpus[cpu].online) {
			work_queue(cpu, &fault_panic_all_work[cpu], fault_panic_all_run, arg);
		}
	}
	fault_panic_all_together(arg);
	return 0;
}

static int fault_stack_smash(void *arg)
{
	(void)arg;
	fault_smash_stack(64);
	return 0;
}

static int fault_stack_overflow(void *arg)
{
	(void)arg;
	return (int)fault_recurse(0);
}

static const struct fault_kind_entry {
	const char *name;
	int (*fn)(void *arg);
	unsigned int cpu;
} fault_kinds[] = {
	{"ud", fault_undefined, 0},
	{"pagefault", fault_page, 0},
	{"panic", fault_panic, 0},
	{"panic-all", fault_panic_all, 0},
	{"stack", fault_stack_smash, 0},
	{"stack-overflow", fault_stack_overflow, 0},
	{"panic-ap", fault_panic, FAULT_AP},
	{"fault-ap", fault_page, FAULT_AP},
	{"stack-overflow-ap", fault_stack_overflow, FAULT_AP},
};

void fault_inject(const char *kind)
{
	const struct fault_kind_entry *k = NULL;

	for (size_t i = 0; i < sizeof(fault_kinds) / sizeof(fault_kinds[0]) && !k; i++) {
		if (strcmp(kind, fault_kinds[i].name) == 0) {
			k = &fault_kinds[i];
		}
	}
	if (!k) {
		printf("fault: unknown kind \"%s\"\n", kind);
		arch_exit(EXIT_STATUS_FAIL);
	}
	/* smp_call and work queues reach kernel CPUs only: the CPUs these
	 * kinds fault on leave the sidecar first. */
	if (k->fn == fault_panic_all) {
		sidecar_convert_all(FAULT_AP_TIMEOUT_NS);
	} else if (k->cpu != cpu_self() && k->cpu < cpu_count) {
		sidecar_convert(k->cpu, FAULT_AP_TIMEOUT_NS);
	}
	printf("fault: injecting \"%s\" on cpu %u\n", kind, k->cpu);
	if (k->cpu == cpu_self()) {
		k->fn((void *)kind);
		printf("fault: \"%s\" did not fault\n", kind);
		arch_exit(EXIT_STATUS_FAIL);
	}
	/* While this CPU waits, it takes interrupts as its event loop would:
	 * the report's stop IPI must reach it. */
	arch_irq_enable();
	int rc = smp_call(k->cpu, k->fn, (void *)kind, FAULT_AP_TIMEOUT_NS);

	arch_irq_disable();
	printf("fault: \"%s\" did not fault on cpu %u (%d)\n", kind, k->cpu, rc);
	arch_exit(EXIT_STATUS_FAIL);
}
