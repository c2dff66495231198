/* panic(): report once and stop the machine with a failing status. */
#include <stdarg.h>
#include <stdio.h>

#include <hillock/arch.h>
#include <hillock/image.h>
#include <hillock/panic.h>

static int panic_depth;

_Noreturn void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (++panic_depth > 1) {
		/* Panicking while printing a panic: stop without more output. */
		arch_exit(EXIT_STATUS_PANIC);
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("\n*** PANIC: %s (called from image+%#lx)\n", msg,
	       (unsigned long)((char *)__builtin_return_address(0) - __image_start));
	arch_exit(EXIT_STATUS_PANIC);
}
