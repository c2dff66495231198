/* The kernel console; see hillock/console.h. */
#include <stdbool.h>
#include <stdint.h>

#include <hillock/arch.h>
#include <hillock/console.h>
#include <hillock/irq.h>

#define CONSOLE_LINE_MAX 256
/* How long a CPU waits for the console before writing anyway. */
#define CONSOLE_LOCK_WAIT_NS (20u * 1000 * 1000)

static volatile bool console_lines;
static volatile uint32_t console_busy;
static __thread char console_line[CONSOLE_LINE_MAX];
static __thread size_t console_line_len;

static void console_emit(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			arch_console_putc('\r');
		}
		arch_console_putc(s[i]);
	}
}

/* The console lock: a plain flag, not a ranked spinlock, because it must
 * work from panic and exception paths and give up rather than hang. */
static bool console_lock(void)
{
	uint64_t t0 = 0;

	while (__atomic_exchange_n(&console_busy, 1, __ATOMIC_ACQUIRE)) {
		uint64_t now = arch_time_ns();

		if (t0 == 0) {
			t0 = now;
		} else if (now - t0 > CONSOLE_LOCK_WAIT_NS) {
			return false;
		}
	}
	return true;
}

static void console_unlock(bool held)
{
	if (held) {
		__atomic_store_n(&console_busy, 0, __ATOMIC_RELEASE);
	}
}

void console_flush(void)
{
	if (!console_lines || console_line_len == 0) {
		return;
	}
	unsigned long flags = arch_irq_save();
	bool held = console_lock();

	console_emit(console_line, console_line_len);
	console_line_len = 0;
	console_unlock(held);
	arch_irq_restore(flags);
}

void console_write(const char *s, size_t len)
{
	if (!console_lines) {
		console_emit(s, len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		console_line[console_line_len++] = s[i];
		if (s[i] == '\n' || console_line_len == CONSOLE_LINE_MAX) {
			console_flush();
		}
	}
}

void console_lines_begin(void)
{
	console_lines = true;
}
