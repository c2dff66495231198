/* long arch_call_on_stack(uint64_t stack_top, long (*fn)(void *), void *arg)
 * (hillock/arch.h): runs fn(arg) with %rsp at stack_top (16-byte aligned)
 * and returns its result on the caller's stack.  %rbp keeps pointing at
 * the caller's frame, so backtraces walk from fn back into the caller. */

	.section .text.arch_call_on_stack, "ax", @progbits
	.globl	arch_call_on_stack
	.type	arch_call_on_stack, @function
arch_call_on_stack:
	push %rbp
	mov %rsp, %rbp
	mov %rdi, %rsp
	mov %rdx, %rdi
	call *%rsi
	mov %rbp, %rsp
	pop %rbp
	ret
	.size	arch_call_on_stack, . - arch_call_on_stack
