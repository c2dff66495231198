/* The slice of glibc's <pthread.h> that Debian's mbedtls (built with
 * MBEDTLS_THREADING_PTHREAD) uses.  Its contexts embed pthread_mutex_t, so
 * the size and alignment are glibc's for the architecture; inside, Hillock
 * keeps a spinlock.  This directory comes first on both images' include
 * path, so it must only hold headers that glibc's ABI forces on us. */
#ifndef _PTHREAD_H
#define _PTHREAD_H

#include <arch/abi.h>

typedef union {
	char bytes[ABI_GLIBC_PTHREAD_MUTEX_SIZE];
	long word; /* the lock: 0 free, 1 held; also gives glibc's alignment */
} pthread_mutex_t;

typedef union {
	char bytes[4];
	int align;
} pthread_mutexattr_t;

#define PTHREAD_MUTEX_INITIALIZER { { 0 } }

/* attr is ignored: every mutex is a plain, non-recursive lock.  Unlocking a
 * mutex that is not locked fails with EPERM. */
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);

#endif
