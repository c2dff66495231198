/* What the Hillock objects under test need from the rest of the image:
 * console_write() captures output, panic() jumps back into the test,
 * arch_time_ns() returns a value the test sets, and the interrupt and
 * spin-wait calls under the spinlocks do nothing (one thread, one CPU). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "libc_test.h"

char harness_console[65536];
size_t harness_console_len;
char harness_panic_message[1024];
jmp_buf *harness_panic_target;
uint64_t harness_time_ns;

static uint64_t harness_state;
static _Alignas(64) unsigned char harness_heap[4 << 20];
static _Alignas(4096) unsigned char harness_ram[HARNESS_RAM_SIZE];

void console_write(const char *s, size_t len)
{
	size_t room = sizeof(harness_console) - 1 - harness_console_len;

	if (len > room) {
		len = room;
	}
	memcpy(harness_console + harness_console_len, s, len);
	harness_console_len += len;
	harness_console[harness_console_len] = '\0';
}

void harness_console_reset(void)
{
	harness_console_len = 0;
	harness_console[0] = '\0';
}

_Noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(harness_panic_message, sizeof(harness_panic_message), fmt, ap);
	va_end(ap);
	if (harness_panic_target != NULL) {
		longjmp(*harness_panic_target, 1);
	}
	fail_msg("unexpected panic: %s", harness_panic_message);
	abort();
}

uint64_t arch_time_ns(void)
{
	return harness_time_ns;
}

unsigned long arch_irq_save(void)
{
	return 0;
}

void arch_irq_restore(unsigned long flags)
{
	(void)flags;
}

void arch_cpu_relax(void)
{
}

/* splitmix64: small, fast and good enough to generate test cases. */
void harness_seed(uint64_t seed)
{
	harness_state = seed;
}

uint64_t harness_random(void)
{
	uint64_t z = (harness_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t harness_below(uint64_t bound)
{
	return harness_random() % bound;
}

void harness_pages_reset(void)
{
	hl_pages_reset(harness_ram, sizeof(harness_ram));
}

void harness_heap_reset(void)
{
	harness_pages_reset();
	hl_heap_init(harness_heap, sizeof(harness_heap));
}

long image_constant(const char *name)
{
	for (const struct image_constant *c = image_constants; c->name != NULL; c++) {
		if (strcmp(c->name, name) == 0) {
			return c->value;
		}
	}
	fail_msg("image_abi.c does not report %s", name);
	return 0;
}
