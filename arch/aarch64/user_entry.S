/* Into user code at EL0 and back out (hillock/user.h; user.c has the
 * design and programs the EL1&0 regime before and after).
 *
 * In:  aarch64_user_enter(r) saves what of Hillock a function call must
 *      keep (x19-x30, sp, d8-d15, FPCR, FPSR, TPIDR_EL0) in a run frame
 *      at the top of this CPU's exception stack, points SP_EL2 at the
 *      frame, loads all of *r (SP_EL0 the user's sp, ELR_EL2 its pc,
 *      SPSR_EL2 its pstate) and ERETs to EL0.
 *
 * Out: every exception user code takes ends up in EL2's "lower EL" slots
 *      of aarch64_user_vectors, which user.c installs in VBAR_EL2 for the
 *      run: directly (an interrupt, a trap to EL2), or through the EL1
 *      stub (a synchronous exception such as SVC, taken to EL1 since
 *      HCR_EL2.TGE is 0, whose vector is an HVC).  SP_EL2 still points at
 *      the run frame, which holds r: the slot saves the user's registers
 *      into *r, restores Hillock from the frame, puts SP_EL2 back at its
 *      top (TPIDR_EL2) and returns from aarch64_user_enter() with the
 *      slot's number, which user.c decodes.  No C runs, and nothing reads
 *      Hillock's thread pointer, before Hillock's state is back.
 *
 * The run frame (RUN_FRAME bytes below TPIDR_EL2):
 *   0   x19-x30     96  sp, tpidr_el0     112  fpcr, fpsr
 *   128 d8-d15      192 r
 * It lives only while user code runs, when nothing else uses the
 * exception stack: an exception at EL2 cannot happen at EL0. */

#include <arch/gpr_macros.h>
#include <arch/user.h>

#define RUN_FRAME 208
#define RUN_SP 96
#define RUN_FPCR 112
#define RUN_D 128
#define RUN_R 192

	/* Hillock's callee-saved state in the run frame at \base. */
	.macro run_frame op, base
	\op x19, x20, [\base, #0]
	\op x21, x22, [\base, #16]
	\op x23, x24, [\base, #32]
	\op x25, x26, [\base, #48]
	\op x27, x28, [\base, #64]
	\op x29, x30, [\base, #80]
	\op d8, d9, [\base, #(RUN_D + 0)]
	\op d10, d11, [\base, #(RUN_D + 16)]
	\op d12, d13, [\base, #(RUN_D + 32)]
	\op d14, d15, [\base, #(RUN_D + 48)]
	.endm

/* unsigned int aarch64_user_enter(struct arch_user_regs *r): run r at EL0
 * until its first exception; returns the aarch64_user_vectors slot that
 * took it (8-15).  Called on SP_EL0 (SPSel = 0), IRQs masked. */
	.text
	.globl aarch64_user_enter
	.type aarch64_user_enter, @function
aarch64_user_enter:
	mrs x9, tpidr_el2
	sub x9, x9, #RUN_FRAME
	run_frame stp, x9
	mov x10, sp
	mrs x11, tpidr_el0
	stp x10, x11, [x9, #RUN_SP]
	mrs x10, fpcr
	mrs x11, fpsr
	stp x10, x11, [x9, #RUN_FPCR]
	str x0, [x9, #RUN_R]

	qregs_0_31 ldp, x0, USER_REGS_Q
	ldp x10, x11, [x0, #USER_REGS_FPCR]
	msr fpcr, x10
	msr fpsr, x11
	ldr x10, [x0, #USER_REGS_TPIDR]
	msr tpidr_el0, x10
	ldp x10, x11, [x0, #USER_REGS_PC]
	msr elr_el2, x10
	msr spsr_el2, x11
	/* On SP_EL2 from here, so that SP_EL0 can take the user's sp (with
	 * SPSel = 0, MSR SP_EL0 is undefined). */
	ldr x10, [x0, #USER_REGS_SP]
	msr spsel, #1
	mov sp, x9
	msr sp_el0, x10
	xregs_2_29 ldp, x0
	ldr x30, [x0, #240]
	ldp x0, x1, [x0, #0]
	eret
	.size aarch64_user_enter, . - aarch64_user_enter

/* VBAR_EL2 while user code runs.  Exceptions at EL2 (slots 0-7) cannot
 * happen then but are handled as ever; those from EL0 or the EL1 stub
 * (8-15) leave user code.  With the table installed only for the run, a
 * lower-EL exception at any other time still reaches the boot table's
 * fatal report through aarch64_irq_vectors. */
	.macro hillock_slot k
	.balign 0x80
	b aarch64_irq_vectors + 0x80 * \k
	.endm

	.macro exit_slot k
	.balign 0x80
	stp x0, x1, [sp, #-16]!
	mov x0, #\k
	b user_exit
	.endm

	.text
	.balign 2048
	.globl aarch64_user_vectors
aarch64_user_vectors:
	.irp k, 0,1,2,3,4,5,6,7
	hillock_slot \k
	.endr
	.irp k, 8,9,10,11,12,13,14,15
	exit_slot \k
	.endr
	.balign 0x80

/* x0 the slot, the user's x0 and x1 at [sp], the run frame above them. */
user_exit:
	ldr x1, [sp, #(16 + RUN_R)]
	xregs_2_29 stp, x1
	str x30, [x1, #240]
	ldp x2, x3, [sp], #16
	stp x2, x3, [x1, #0]
	mrs x2, sp_el0
	str x2, [x1, #USER_REGS_SP]
	mrs x2, elr_el2
	mrs x3, spsr_el2
	stp x2, x3, [x1, #USER_REGS_PC]
	mrs x2, tpidr_el0
	str x2, [x1, #USER_REGS_TPIDR]
	mrs x2, fpcr
	mrs x3, fpsr
	stp x2, x3, [x1, #USER_REGS_FPCR]
	qregs_0_31 stp, x1, USER_REGS_Q

	mov x9, sp
	run_frame ldp, x9
	ldp x10, x11, [x9, #RUN_FPCR]
	msr fpcr, x10
	msr fpsr, x11
	ldp x10, x11, [x9, #RUN_SP]
	msr tpidr_el0, x11
	/* SP_EL2 back at its top, Hillock's stack back in SP_EL0 and in use. */
	mrs x12, tpidr_el2
	mov sp, x12
	msr sp_el0, x10
	msr spsel, #0
	ret

/* The EL1 vector stub, VBAR_EL1 while user code runs: each slot traps to
 * EL2 with an HVC whose immediate is the slot's number, touching no
 * register, so EL2 finds the user's registers as they were and the
 * exception in ESR_EL1, ELR_EL1, SPSR_EL1 and FAR_EL1.  User tables map
 * this page, and nothing else of Hillock, EL1-executable and EL0-
 * inaccessible (user.c), so it has a page to itself. */
	.section .text.user_el1_stub, "ax"
	.balign 4096
	.globl aarch64_user_el1_vectors
aarch64_user_el1_vectors:
	.irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign 0x80
	hvc #\k
	.endr
	.balign 4096
