/* What the vTPM compartment's copy of the C runtime asks of "the kernel"
 * underneath it (kernel/libc, kernel/heap.c and kernel/glibc_abi.c are
 * compiled a second time into the compartment: tpm/compartment/compartment.mk),
 * provided here in user mode on top of the calls of compartment.h:
 *
 *   page_alloc, page_free, page_use_at   pages of the heap arena
 *                                        [TPM_HEAP_VA, + TPM_HEAP_SIZE)
 *   spin_lock, spin_unlock, ...          nothing to do: one thread
 *   console_write                        TPM_CALL_LOG, a line at a time
 *   panic                                logs, then TPM_CALL_EXIT
 *   arch_time_ns                         TPM_CALL_TIME
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/console.h>
#include <hillock/page.h>
#include <hillock/panic.h>
#include <hillock/spinlock.h>

#include "crt.h"

void crt_log(const char *s, size_t len)
{
	if (len > TPM_SHARED_SIZE) {
		len = TPM_SHARED_SIZE;
	}
	memcpy(tpm_shared, s, len);
	tpm_call(TPM_CALL_LOG, len, 0);
}

int crt_entropy(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		size_t n = len < TPM_SHARED_SIZE ? len : TPM_SHARED_SIZE;

		if (tpm_call(TPM_CALL_ENTROPY, n, 0) != 0) {
			return -1;
		}
		memcpy(p, tpm_shared, n);
		p += n;
		len -= n;
	}
	return 0;
}

uint64_t arch_time_ns(void)
{
	return tpm_call(TPM_CALL_TIME, 0, 0);
}

/* ---- stdout and stderr: whole lines to Hillock's log ---- */

static char console_line[256];
static size_t console_len;

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '\n') {
			console_line[console_len++] = s[i];
		}
		if (s[i] == '\n' || console_len == sizeof(console_line)) {
			crt_log(console_line, console_len);
			console_len = 0;
		}
	}
}

_Noreturn void panic(const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	int n;

	memcpy(msg, "panic: ", 7);
	va_start(ap, fmt);
	n = vsnprintf(msg + 7, sizeof(msg) - 7, fmt, ap);
	va_end(ap);
	crt_log(msg, 7 + (n < 0 ? 0 : (size_t)n < sizeof(msg) - 7 ? (size_t)n : sizeof(msg) - 8));
	for (;;) {
		tpm_call(TPM_CALL_EXIT, 2, 0);
	}
}

/* ---- pages: the heap arena, one use byte per page ---- */

static uint8_t arena_use[CRT_ARENA_PAGES];

uint64_t page_alloc(size_t count, size_t align_pages, enum page_use use)
{
	if (count == 0 || align_pages == 0 || (align_pages & (align_pages - 1)) != 0) {
		return 0;
	}
	for (size_t first = 0; first + count <= CRT_ARENA_PAGES; first += align_pages) {
		size_t i = 0;

		while (i < count && arena_use[first + i] == PAGE_USE_FREE) {
			i++;
		}
		if (i == count) {
			memset(&arena_use[first], use, count);
			return TPM_HEAP_VA + (uint64_t)first * PAGE_SIZE;
		}
	}
	return 0;
}

void page_free(uint64_t pa, size_t count, enum page_use use)
{
	size_t first = (size_t)((pa - TPM_HEAP_VA) / PAGE_SIZE);

	if (pa < TPM_HEAP_VA || pa % PAGE_SIZE != 0 || first + count > CRT_ARENA_PAGES) {
		panic("page_free(%#llx, %zu): not in the arena", (unsigned long long)pa, count);
	}
	for (size_t i = 0; i < count; i++) {
		if (arena_use[first + i] != use) {
			panic("page_free(%#llx, %zu): page %zu is not in that use",
			      (unsigned long long)pa, count, i);
		}
	}
	memset(&arena_use[first], PAGE_USE_FREE, count);
}

enum page_use page_use_at(uint64_t pa)
{
	if (pa < TPM_HEAP_VA || pa >= TPM_HEAP_VA + TPM_HEAP_SIZE) {
		return PAGE_USE_COUNT;
	}
	return (enum page_use)arena_use[(pa - TPM_HEAP_VA) / PAGE_SIZE];
}

/* ---- locks: the compartment has one thread ---- */

unsigned long spin_lock(struct spinlock *l)
{
	l->holder_cpu = 0;
	return 0;
}

void spin_unlock(struct spinlock *l, unsigned long irq_flags)
{
	(void)irq_flags;
	l->holder_cpu = -1;
}

bool spin_lock_held(const struct spinlock *l)
{
	return l->holder_cpu == 0;
}
