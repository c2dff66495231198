/* The vTPM compartment's entry (tpm/compartment/crt/start.c): Hillock
 * enters here at ring 3 with the operation in rdi and its parameter in rsi,
 * rsp at the top of the stack (16-byte aligned).  The call pushes the
 * return address the ABI expects at a function's entry. */
	.section .text.start, "ax"
	.globl _start
	.type _start, @function
_start:
	xor %ebp, %ebp
	call tpm_crt_main
	ud2
	.size _start, . - _start
	.section .note.GNU-stack, "", @progbits
