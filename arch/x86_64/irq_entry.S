/* Interrupt entry stubs for vectors 32-255.
 *
 * The gates switch to this CPU's interrupt stack (IST slot 2): the
 * prebuilt libraries keep data in the 128-byte red zone below %rsp, which
 * an interrupt frame pushed on the interrupted stack would overwrite.
 *
 * Each stub pushes its vector and joins irq_common, which saves every
 * general register and the x87/SSE state (FXSAVE, 512 bytes, 16-byte
 * aligned), calls x86_irq(vector) with the direction flag clear and the
 * stack 16-byte aligned, restores everything and returns with IRETQ.
 * Handlers run with interrupts disabled (interrupt gates clear IF). */

#include <arch/gpr_macros.h>

	.macro stub vec
	.balign 16
irq_vector_\vec:
	push $\vec
	jmp irq_common
	.endm

	.macro stub_address vec
	.quad irq_vector_\vec
	.endm

	.text
	.altmacro
	.set vec, 32
	.rept 224
	stub %vec
	.set vec, vec + 1
	.endr

irq_common:
	push_gprs
	mov %rsp, %rbx			/* callee-saved: the frame */
	sub $512, %rsp
	and $-16, %rsp
	fxsave64 (%rsp)
	cld
	mov 15*8(%rbx), %rdi		/* the vector, above the 15 registers */
	call x86_irq
	fxrstor64 (%rsp)
	mov %rbx, %rsp
	pop_gprs
	add $8, %rsp			/* the vector */
	iretq

	/* Stub addresses for the IDT, vector 32 first. */
	.section .data.rel.ro, "aw"
	.balign 8
	.globl x86_irq_stubs
x86_irq_stubs:
	.set vec, 32
	.rept 224
	stub_address %vec
	.set vec, vec + 1
	.endr
