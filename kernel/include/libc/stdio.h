/* Output-only stdio: stdout and stderr write to the console (hillock/
 * console.h), unbuffered.  Hillock has no files: fopen(), remove() and
 * rename() fail with ENOENT, and stream calls on anything but stdout or
 * stderr fail with EBADF.  Those two cannot be closed (EPERM), read (EBADF)
 * or positioned (ESPIPE).
 *
 * printf-family conversions: d i u x X o c s p %, flags - + space 0 #,
 * width and precision (also *), lengths hh h l ll z j t.  Floating point
 * (f F e E g G a A) consumes its argument and prints "<%...?>"; so do %n
 * (nothing is stored) and wide characters (%lc %ls).  Any other unknown
 * conversion prints the same marker without consuming an argument. */
#ifndef _STDIO_H
#define _STDIO_H

#include <stddef.h>
#include <sys/types.h>

typedef struct __file FILE;

extern FILE *stdout;
extern FILE *stderr;

#define EOF (-1)
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#define BUFSIZ 8192

#define __hillock_printf(fmt, args) __attribute__((format(printf, fmt, args)))

int printf(const char *restrict fmt, ...) __hillock_printf(1, 2);
int vprintf(const char *restrict fmt, __builtin_va_list ap) __hillock_printf(1, 0);
int fprintf(FILE *restrict f, const char *restrict fmt, ...) __hillock_printf(2, 3);
int vfprintf(FILE *restrict f, const char *restrict fmt, __builtin_va_list ap)
	__hillock_printf(2, 0);
/* fd 1 and 2 are the console; others fail with EBADF. */
int dprintf(int fd, const char *restrict fmt, ...) __hillock_printf(2, 3);
int vdprintf(int fd, const char *restrict fmt, __builtin_va_list ap) __hillock_printf(2, 0);
int snprintf(char *restrict s, size_t n, const char *restrict fmt, ...) __hillock_printf(3, 4);
int vsnprintf(char *restrict s, size_t n, const char *restrict fmt, __builtin_va_list ap)
	__hillock_printf(3, 0);
int sprintf(char *restrict s, const char *restrict fmt, ...) __hillock_printf(2, 3);
int vsprintf(char *restrict s, const char *restrict fmt, __builtin_va_list ap)
	__hillock_printf(2, 0);
int asprintf(char **restrict out, const char *restrict fmt, ...) __hillock_printf(2, 3);
int vasprintf(char **restrict out, const char *restrict fmt, __builtin_va_list ap)
	__hillock_printf(2, 0);

int putchar(int c);
int puts(const char *s);
int fputs(const char *restrict s, FILE *restrict f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *restrict p, size_t size, size_t count, FILE *restrict f);
int fflush(FILE *f);
int ferror(FILE *f);

/* Called by prebuilt libraries on paths Hillock never takes; they fail. */
FILE *fopen(const char *restrict path, const char *restrict mode);
int fclose(FILE *f);
size_t fread(void *restrict p, size_t size, size_t count, FILE *restrict f);
char *fgets(char *restrict s, int n, FILE *restrict f);
int fseek(FILE *f, long offset, int whence);
long ftell(FILE *f);
int remove(const char *path);
int rename(const char *from, const char *to);

#endif
