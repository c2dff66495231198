/* long arch_call_on_stack(uint64_t stack_top, long (*fn)(void *), void *arg)
 * (hillock/arch.h): runs fn(arg) with sp at stack_top (16-byte aligned)
 * and returns its result on the caller's stack.  x29 keeps pointing at
 * the caller's frame record, so backtraces walk from fn back into the
 * caller. */

	.section .text.arch_call_on_stack, "ax", @progbits
	.globl	arch_call_on_stack
	.type	arch_call_on_stack, @function
arch_call_on_stack:
	stp x29, x30, [sp, #-16]!
	mov x29, sp
	mov sp, x0
	mov x0, x2
	blr x1
	mov sp, x29
	ldp x29, x30, [sp], #16
	ret
	.size	arch_call_on_stack, . - arch_call_on_stack
