/* The kernel console: where printf(), the banner and panic reports go.
 *
 * Output goes synchronously to the architecture's serial port (16550 COM1
 * on x86_64, PL011 on aarch64).  Once console_lines_begin() has been
 * called (the kernel does it first thing; every CPU then has its TLS),
 * each CPU collects a line and writes it whole under the console lock, so
 * lines from different CPUs never interleave.  The lock is taken with a
 * bounded wait: a CPU stopped while holding it (a panic) cannot silence
 * the report.  Host unit tests link their own console_write(). */
#ifndef HILLOCK_CONSOLE_H
#define HILLOCK_CONSOLE_H

#include <stddef.h>

/* Write len bytes; "\n" becomes "\r\n" on the wire.  Never fails. */
void console_write(const char *s, size_t len);

/* Write out this CPU's unfinished line, if any. */
void console_flush(void);

/* From now on, buffer per CPU and write whole lines. */
void console_lines_begin(void);

#endif
