/* Sizes fixed by glibc's aarch64 ABI that Hillock must reproduce, because
 * Debian's prebuilt glibc-built libraries allocate these objects themselves. */
#ifndef ARCH_ABI_H
#define ARCH_ABI_H

/* sizeof(pthread_mutex_t); 8-byte aligned. */
#define ABI_GLIBC_PTHREAD_MUTEX_SIZE 48

#endif
