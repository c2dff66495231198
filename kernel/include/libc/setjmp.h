/* Non-local jumps (arch/x86_64/setjmp.S).  jmp_buf is as large as glibc's
 * because prebuilt libtpms allocates it with glibc's size and passes it to
 * _setjmp() and __longjmp_chk(); the layout inside is Hillock's own. */
#ifndef _SETJMP_H
#define _SETJMP_H

#include <arch/abi.h>

typedef struct {
	unsigned long words[ABI_GLIBC_JMP_BUF_SIZE / sizeof(unsigned long)];
} jmp_buf[1];

__attribute__((returns_twice)) int setjmp(jmp_buf env);
__attribute__((returns_twice)) int _setjmp(jmp_buf env);
/* Returns to env's setjmp() with val, or 1 if val is 0. */
_Noreturn void longjmp(jmp_buf env, int val);

#endif
