/* The kernel console: serial output with "\n" -> "\r\n". */
#include <hillock/arch.h>
#include <hillock/console.h>

void console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			arch_console_putc('\r');
		}
		arch_console_putc(s[i]);
	}
}
