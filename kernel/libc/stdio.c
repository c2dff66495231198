/* Output streams.  stdout and stderr are the only FILEs that exist; each
 * passes its output straight to a sink (the console), so there is nothing
 * to buffer or flush.  Every other stream call fails: Hillock has no files. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <hillock/console.h>

#include "format.h"

struct __file {
	void (*sink)(const char *s, size_t len);
};

static FILE stdout_file = { .sink = console_write };
static FILE stderr_file = { .sink = console_write };

/* Plain pointers, as in glibc: prebuilt code loads them as variables. */
FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

/* True for an open FILE; otherwise sets errno to EBADF. */
static int stream_is_open(FILE *f)
{
	if (f == &stdout_file || f == &stderr_file) {
		return 1;
	}
	errno = EBADF;
	return 0;
}

static FILE *stream_from_fd(int fd)
{
	if (fd == STDOUT_FILENO) {
		return stdout;
	}
	if (fd == STDERR_FILENO) {
		return stderr;
	}
	return NULL;
}

static void stream_put(void *ctx, const char *s, size_t len)
{
	FILE *f = ctx;

	f->sink(s, len);
}

int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
{
	if (!stream_is_open(f)) {
		return -1;
	}
	return format_print(stream_put, f, fmt, ap);
}

int fprintf(FILE *restrict f, const char *restrict fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vfprintf(f, fmt, ap);
	va_end(ap);
	return len;
}

int vprintf(const char *restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int printf(const char *restrict fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return len;
}

int vdprintf(int fd, const char *restrict fmt, va_list ap)
{
	FILE *f = stream_from_fd(fd);

	if (f == NULL) {
		errno = EBADF;
		return -1;
	}
	return vfprintf(f, fmt, ap);
}

int dprintf(int fd, const char *restrict fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vdprintf(fd, fmt, ap);
	va_end(ap);
	return len;
}

size_t fwrite(const void *restrict p, size_t size, size_t count, FILE *restrict f)
{
	if (!stream_is_open(f)) {
		return 0;
	}
	if (size == 0 || count == 0) {
		return 0;
	}
	if (count > SIZE_MAX / size) {
		errno = EOVERFLOW;
		return 0;
	}
	f->sink(p, size * count);
	return count;
}

int fputc(int c, FILE *f)
{
	char byte = (char)c;

	if (!stream_is_open(f)) {
		return EOF;
	}
	f->sink(&byte, 1);
	return (unsigned char)c;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *restrict s, FILE *restrict f)
{
	if (!stream_is_open(f)) {
		return EOF;
	}
	f->sink(s, strlen(s));
	return 0;
}

int puts(const char *s)
{
	if (fputs(s, stdout) == EOF) {
		return EOF;
	}
	return fputc('\n', stdout) == EOF ? EOF : 0;
}

/* Output is never buffered, so an open stream is always flushed. */
int fflush(FILE *f)
{
	if (f != NULL && !stream_is_open(f)) {
		return EOF;
	}
	return 0;
}

/* The console never reports a write error. */
int ferror(FILE *f)
{
	return stream_is_open(f) ? 0 : 1;
}

FILE *fopen(const char *restrict path, const char *restrict mode)
{
	(void)path;
	(void)mode;
	errno = ENOENT;
	return NULL;
}

/* The console streams stay open for the life of the image. */
int fclose(FILE *f)
{
	if (stream_is_open(f)) {
		errno = EPERM;
	}
	return EOF;
}

/* The console streams are write-only (EBADF, as glibc reports for reading a
 * write-only stream) and cannot seek (ESPIPE). */
size_t fread(void *restrict p, size_t size, size_t count, FILE *restrict f)
{
	(void)p;
	(void)size;
	(void)count;
	(void)f;
	errno = EBADF;
	return 0;
}

char *fgets(char *restrict s, int n, FILE *restrict f)
{
	(void)s;
	(void)n;
	(void)f;
	errno = EBADF;
	return NULL;
}

int fseek(FILE *f, long offset, int whence)
{
	(void)offset;
	(void)whence;
	if (stream_is_open(f)) {
		errno = ESPIPE;
	}
	return -1;
}

long ftell(FILE *f)
{
	if (stream_is_open(f)) {
		errno = ESPIPE;
	}
	return -1;
}

int remove(const char *path)
{
	(void)path;
	errno = ENOENT;
	return -1;
}

int rename(const char *from, const char *to)
{
	(void)from;
	(void)to;
	errno = ENOENT;
	return -1;
}
