#ifndef _STRINGS_H
#define _STRINGS_H

#include <stddef.h>

/* Case-insensitive comparison in the C locale. */
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#endif
