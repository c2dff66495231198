/* Sizes fixed by glibc's x86_64 ABI that Hillock must reproduce, because
 * Debian's prebuilt glibc-built libraries allocate these objects themselves. */
#ifndef ARCH_ABI_H
#define ARCH_ABI_H

/* sizeof(pthread_mutex_t); 8-byte aligned. */
#define ABI_GLIBC_PTHREAD_MUTEX_SIZE 40

/* sizeof(jmp_buf): 8 saved registers, the mask flag, a 128-byte sigset. */
#define ABI_GLIBC_JMP_BUF_SIZE 200

#endif
