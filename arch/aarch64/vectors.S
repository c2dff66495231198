/* EL2 exception vectors.  Every exception is fatal for now: save the
 * general registers and the syndrome, call aarch64_exception().  The frame
 * layout must match struct aarch64_regs in include/arch/regs.h.
 *
 * Hillock runs on SP_EL0 (SPSel = 0), so its exceptions arrive in the
 * "current EL with SP_EL0" slots, and every exception is taken on SP_EL2,
 * this CPU's exception stack (arch/exception_stack.h): a kernel stack that
 * overflowed into its guard page cannot take the report down with it.
 * SP_EL2 is back at its top (TPIDR_EL2) whenever no exception is being
 * handled: an interrupt returns with eret, a report never returns, and a
 * fault caught by fault_catch() leaves through longjmp (setjmp.S), which
 * resets it. */

#include <arch/gpr_macros.h>

	.macro entry kind
	.balign 0x80
	sub sp, sp, #(36 * 8)
	stp x0, x1, [sp, #0]
	mov x0, #\kind
	b exception_common
	.endm

	.text
	.balign 2048
	.globl aarch64_vectors
aarch64_vectors:
	/* Current EL with SP_EL0, current EL with SP_ELx, lower EL AArch64,
	 * lower EL AArch32; each: synchronous, IRQ, FIQ, SError. */
	.irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	entry \k
	.endr

exception_common:
	xregs_2_29 stp
	/* sp before the exception: SP_EL0 for kinds 0-3, else this stack's. */
	mrs x1, sp_el0
	add x2, sp, #(36 * 8)
	cmp x0, #4
	csel x1, x1, x2, lo
	stp x30, x1, [sp, #240]
	mrs x1, elr_el2
	mrs x2, spsr_el2
	stp x1, x2, [sp, #256]
	mrs x1, esr_el2
	mrs x2, far_el2
	stp x1, x2, [sp, #272]
	mov x1, x0			/* vector kind */
	mov x0, sp
	bl aarch64_exception
	brk #1
