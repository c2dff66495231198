/* The general-register part of struct x86_regs (arch/regs.h), pushed and
 * popped by the exception and interrupt entry paths: rax first, r15 last,
 * so r15 ends up at the lowest address.  Assembly only. */
#ifndef ARCH_GPR_MACROS_H
#define ARCH_GPR_MACROS_H

	.macro push_gprs
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	.endm

	.macro pop_gprs
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	.endm

#endif
