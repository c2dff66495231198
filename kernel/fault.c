/* hillock.fault=<kind>: fault on purpose, so tests can check that every
 * kind of failure produces its report and a failing exit, never a hang. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/panic.h>

/* Canonical, and outside the boot mappings of both architectures (x86_64
 * maps the low 4 GiB, aarch64 the low 256 GiB). */
#define FAULT_UNMAPPED_ADDRESS 0x000000dead000000ull

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

void fault_inject(const char *kind)
{
	printf("fault: injecting \"%s\"\n", kind);
	if (strcmp(kind, "ud") == 0) {
		__builtin_trap();
	} else if (strcmp(kind, "pagefault") == 0) {
		*(volatile uint64_t *)(uintptr_t)FAULT_UNMAPPED_ADDRESS = 1;
	} else if (strcmp(kind, "panic") == 0) {
		panic("hillock.fault=panic");
	} else if (strcmp(kind, "stack") == 0) {
		fault_smash_stack(64);
	}
	printf("fault: \"%s\" did not fault\n", kind);
	arch_exit(EXIT_STATUS_FAIL);
}
