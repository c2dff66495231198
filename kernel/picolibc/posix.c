/* The POSIX calls picolibc's stdio and signal code make underneath fopen(),
 * fdopen(), raise() and its fortify failure path.  Hillock has no files and
 * no processes: every call fails with an errno the caller can report, except
 * writes to stdout/stderr, which reach the console. */
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>

#include <hillock/arch.h>
#include <hillock/console.h>

int open(const char *path, int flags, ...)
{
	(void)path;
	(void)flags;
	errno = ENOENT;
	return -1;
}

int close(int fd)
{
	(void)fd;
	errno = EBADF;
	return -1;
}

ssize_t read(int fd, void *buf, size_t len)
{
	(void)fd;
	(void)buf;
	(void)len;
	errno = EBADF;
	return -1;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	console_write(buf, len);
	return (ssize_t)len;
}

off_t lseek(int fd, off_t offset, int whence)
{
	(void)fd;
	(void)offset;
	(void)whence;
	errno = EBADF;
	return -1;
}

pid_t getpid(void)
{
	return 1;
}

int kill(pid_t pid, int sig)
{
	(void)pid;
	(void)sig;
	errno = ENOSYS;
	return -1;
}

_Noreturn void _exit(int status)
{
	arch_exit(status == 0 ? EXIT_STATUS_PASS : EXIT_STATUS_FAIL);
}

/* Under remove(). */
int unlink(const char *path)
{
	(void)path;
	errno = ENOENT;
	return -1;
}
