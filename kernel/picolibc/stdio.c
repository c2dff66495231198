/* picolibc's stdio, wired to the kernel console (images that use picolibc:
 * aarch64).  picolibc leaves stdin/stdout/stderr to the application. */
#include <stdio.h>

#include <hillock/console.h>

static int picolibc_console_put(char c, FILE *f)
{
	(void)f;
	console_write(&c, 1);
	return (unsigned char)c;
}

static FILE picolibc_console = FDEV_SETUP_STREAM(picolibc_console_put, NULL, NULL, _FDEV_SETUP_WRITE);

FILE *const stdin = &picolibc_console;
FILE *const stdout = &picolibc_console;
FILE *const stderr = &picolibc_console;
