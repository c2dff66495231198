/* The kernel console: where printf(), the banner and panic reports go.
 *
 * Output is written synchronously to the architecture's serial port (16550
 * COM1 on x86_64, PL011 on aarch64).  Host unit tests link their own
 * console_write() to capture output. */
#ifndef HILLOCK_CONSOLE_H
#define HILLOCK_CONSOLE_H

#include <stddef.h>

/* Write len bytes; "\n" becomes "\r\n" on the wire.  Never fails. */
void console_write(const char *s, size_t len);

#endif
