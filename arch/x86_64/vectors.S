/* Exception entry stubs for vectors 0-31.
 *
 * Each stub makes the stack look the same whether or not the CPU pushed an
 * error code, pushes its vector number, saves the general registers and
 * calls x86_exception(struct x86_regs *).  The layout must match struct
 * x86_regs in arch/x86_64/include/arch/regs.h. */

#include <arch/gpr_macros.h>

	.macro stub vec, has_error
	.balign 16
vector_\vec:
	.if \has_error == 0
	push $0
	.endif
	push $\vec
	jmp exception_common
	.endm

	.text
	.irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
	stub \v, 0
	.endr
	.irp v, 8,10,11,12,13,14,17,21,29,30
	stub \v, 1
	.endr

exception_common:
	push_gprs
	mov %rsp, %rdi
	call x86_exception
	/* x86_exception() does not return: it reports and stops the machine. */
	ud2

	/* Stub addresses for the IDT, in vector order. */
	.section .data.rel.ro, "aw"
	.balign 8
	.globl x86_vector_stubs
x86_vector_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad vector_\v
	.endr
