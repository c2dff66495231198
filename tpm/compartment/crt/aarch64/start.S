/* The vTPM compartment's entry (tpm/compartment/crt/start.c): Hillock
 * enters here at EL0 with the operation in x0 and its parameter in x1, sp
 * at the top of the stack (16-byte aligned). */
	.section .text.start, "ax"
	.globl _start
	.type _start, @function
_start:
	mov x29, #0
	mov x30, #0
	bl tpm_crt_main
	brk #0
	.size _start, . - _start
	.section .note.GNU-stack, "", @progbits
