/* The one printf engine behind every printf-family call (format.c).  It
 * hands its output, in pieces, to a caller-supplied put function. */
#ifndef LIBC_FORMAT_H
#define LIBC_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives the next len bytes of output. */
typedef void format_put_fn(void *ctx, const char *s, size_t len);

/* Formats fmt with ap, as documented in <stdio.h>.  Returns the number of
 * bytes produced, or -1 with errno EOVERFLOW if that exceeds INT_MAX (the
 * output is still produced in full). */
int format_print(format_put_fn *put, void *ctx, const char *fmt, va_list ap);

#endif
