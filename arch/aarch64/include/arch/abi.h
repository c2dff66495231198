/* Sizes fixed by glibc's aarch64 ABI that Hillock must reproduce, because
 * Debian's prebuilt glibc-built libraries allocate these objects themselves. */
#ifndef ARCH_ABI_H
#define ARCH_ABI_H

/* sizeof(pthread_mutex_t); 8-byte aligned. */
#define ABI_GLIBC_PTHREAD_MUTEX_SIZE 48

/* sizeof(jmp_buf): 22 saved registers, the mask flag (padded), a 128-byte
 * sigset.  The image uses picolibc's; the vTPM compartment's own runtime
 * (kernel/include/libc) uses this one. */
#define ABI_GLIBC_JMP_BUF_SIZE 312

#endif
