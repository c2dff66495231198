/* POSIX scalar types used by library headers (zlib's zconf.h needs off_t).
 * C11 allows the same typedef in several headers, so each header that needs
 * one of these repeats it instead of sharing a private header. */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>

typedef long ssize_t;
typedef long off_t;
typedef int pid_t;
typedef long time_t;
typedef long clock_t;
typedef int clockid_t;

#endif
