/* setjmp/longjmp for the x86_64 System V ABI.
 *
 * jmp_buf (as large as glibc's, see <setjmp.h>) holds, in 8-byte words:
 *   0 rbx   1 rbp   2 r12   3 r13   4 r14   5 r15
 *   6 rsp as it is after setjmp returns   7 the return address
 * Only callee-saved registers need saving: the caller of setjmp already
 * treats the others as clobbered.  There are no signals, so no mask is
 * saved, and unlike glibc the pointers are stored unmangled. */

	.text

	.globl	setjmp
	.type	setjmp, @function
	.globl	_setjmp
	.type	_setjmp, @function
/* int setjmp(jmp_buf env); env in rdi. */
setjmp:
_setjmp:
	movq	%rbx, 0(%rdi)
	movq	%rbp, 8(%rdi)
	movq	%r12, 16(%rdi)
	movq	%r13, 24(%rdi)
	movq	%r14, 32(%rdi)
	movq	%r15, 40(%rdi)
	leaq	8(%rsp), %rdx		/* rsp once the return address is popped */
	movq	%rdx, 48(%rdi)
	movq	(%rsp), %rdx		/* the return address */
	movq	%rdx, 56(%rdi)
	xorl	%eax, %eax
	ret
	.size	setjmp, . - setjmp
	.size	_setjmp, . - _setjmp

	.globl	longjmp
	.type	longjmp, @function
/* void longjmp(jmp_buf env, int val); env in rdi, val in esi.  setjmp
 * returns val again, or 1 if val is 0. */
longjmp:
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	movl	$1, %eax
1:
	movq	0(%rdi), %rbx
	movq	8(%rdi), %rbp
	movq	16(%rdi), %r12
	movq	24(%rdi), %r13
	movq	32(%rdi), %r14
	movq	40(%rdi), %r15
	movq	48(%rdi), %rsp
	jmpq	*56(%rdi)
	.size	longjmp, . - longjmp

	.section .note.GNU-stack, "", @progbits
