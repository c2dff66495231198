/* panic(): Hillock's own invariant is broken.  Prints the message and the
 * caller, then stops the machine with a failing exit status.  Never used for
 * bad input from VTL0, the host or a device: that gets an error code. */
#ifndef HILLOCK_PANIC_H
#define HILLOCK_PANIC_H

_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
