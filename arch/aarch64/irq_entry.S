/* The kernel's EL2 vector table: the boot table (vectors.S) with IRQs at
 * EL2 taken by irq_entry below instead of being reported as fatal: from
 * code on SP_EL0, where Hillock runs, and from code on SP_EL2 (a handler
 * that unmasked interrupts, such as fault_catch() giving control back).
 * Both run the handler on SP_EL2, this CPU's exception stack.  Every other
 * slot branches to the boot table's, so exceptions are reported exactly as
 * before.  arch_irq_init_cpu() (gic.c) installs it in VBAR_EL2; the loader
 * image keeps the boot table. */

#include <arch/gpr_macros.h>

	.macro boot_slot k
	.balign 0x80
	b aarch64_vectors + 0x80 * \k
	.endm

	.macro irq_slot
	.balign 0x80
	b irq_entry
	.endm

	.text
	.balign 2048
	.globl aarch64_irq_vectors
aarch64_irq_vectors:
	boot_slot 0
	irq_slot			/* current EL, SP_EL0 */
	.irp k, 2,3,4
	boot_slot \k
	.endr
	irq_slot			/* current EL, SP_EL2 */
	.irp k, 6,7,8,9,10,11,12,13,14,15
	boot_slot \k
	.endr
	.balign 0x80

/* An IRQ at EL2.  The frame (800 bytes, keeping sp 16-byte aligned):
 *   0   x0-x30      248  (unused)
 *   256 elr, spsr   272  fpcr, fpsr   288  q0-q31
 * Everything the interrupted code may hold is saved, FP/SIMD included
 * (the compiler and the prebuilt libraries use it).  aarch64_irq()
 * acknowledges and dispatches with interrupts still masked. */
#define IRQ_FRAME 800
#define IRQ_FRAME_Q 288

irq_entry:
	sub sp, sp, #IRQ_FRAME
	stp x0, x1, [sp, #0]
	xregs_2_29 stp
	str x30, [sp, #240]
	mrs x0, elr_el2
	mrs x1, spsr_el2
	stp x0, x1, [sp, #256]
	mrs x0, fpcr
	mrs x1, fpsr
	stp x0, x1, [sp, #272]
	qregs_0_31 stp, sp, IRQ_FRAME_Q

	bl aarch64_irq

	qregs_0_31 ldp, sp, IRQ_FRAME_Q
	ldp x0, x1, [sp, #272]
	msr fpcr, x0
	msr fpsr, x1
	ldp x0, x1, [sp, #256]
	msr elr_el2, x0
	msr spsr_el2, x1
	xregs_2_29 ldp
	ldr x30, [sp, #240]
	ldp x0, x1, [sp, #0]
	add sp, sp, #IRQ_FRAME
	eret
