/* The POSIX calls Hillock has: only getpid().  There is no file system, so
 * no read/write/lseek; SEEK_* are here because zlib's zconf.h looks for them. */
#ifndef _UNISTD_H
#define _UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* Always 1: Hillock is one process. */
pid_t getpid(void);

#endif
