/* setjmp/longjmp for AAPCS64, replacing the C runtime's: a longjmp out of
 * an exception handler (fault_catch(), hillock/fault.h) must also leave
 * the exception stack.  jmp_buf (the C runtime's, 22 words) holds:
 *   0-9 x19-x28   10 x29   11 x30 (the return address)   12 sp
 *   13-20 d8-d15 (only the low halves of v8-v15 are callee-saved)
 */

	.text
	.globl	setjmp
	.type	setjmp, @function
	.globl	_setjmp
	.type	_setjmp, @function
/* int setjmp(jmp_buf env); env in x0. */
setjmp:
_setjmp:
	stp x19, x20, [x0, #0]
	stp x21, x22, [x0, #16]
	stp x23, x24, [x0, #32]
	stp x25, x26, [x0, #48]
	stp x27, x28, [x0, #64]
	stp x29, x30, [x0, #80]
	mov x16, sp
	str x16, [x0, #96]
	stp d8, d9, [x0, #104]
	stp d10, d11, [x0, #120]
	stp d12, d13, [x0, #136]
	stp d14, d15, [x0, #152]
	mov w0, #0
	ret
	.size	setjmp, . - setjmp
	.size	_setjmp, . - _setjmp

	.globl	longjmp
	.type	longjmp, @function
/* void longjmp(jmp_buf env, int val); env in x0, val in w1.  setjmp
 * returns val there, or 1 if val is 0. */
longjmp:
	ldp x19, x20, [x0, #0]
	ldp x21, x22, [x0, #16]
	ldp x23, x24, [x0, #32]
	ldp x25, x26, [x0, #48]
	ldp x27, x28, [x0, #64]
	ldp x29, x30, [x0, #80]
	ldp d8, d9, [x0, #104]
	ldp d10, d11, [x0, #120]
	ldp d12, d13, [x0, #136]
	ldp d14, d15, [x0, #152]
	ldr x16, [x0, #96]
	/* From an exception handler (SPSel = 1, on SP_EL2): abandon its
	 * frames, putting SP_EL2 back at the top of the exception stack,
	 * and go back to SP_EL0, where setjmp was called. */
#ifndef HILLOCK_USER	/* the vTPM compartment's copy runs at EL0, where neither exists */
	mrs x17, spsel
	cbz x17, 1f
	mrs x17, tpidr_el2
	mov sp, x17
	msr spsel, #0
#endif
1:	mov sp, x16
	cmp w1, #0
	csinc w0, w1, wzr, ne
	ret
	.size	longjmp, . - longjmp
