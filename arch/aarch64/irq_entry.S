/* The kernel's EL2 vector table: the boot table (vectors.S) with IRQs at
 * EL2 taken by irq_entry below instead of being reported as fatal: from
 * code on SP_EL0, where Hillock runs, and from code on SP_EL2 (a handler
 * that unmasked interrupts, such as fault_catch() giving control back).
 * Both run the handler on SP_EL2, this CPU's exception stack.  Every other
 * slot branches to the boot table's, so exceptions are reported exactly as
 * before.  arch_irq_init_cpu() (gic.c) installs it in VBAR_EL2; the loader
 * image keeps the boot table. */

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

	.macro qregs op
	\op q0, q1, [sp, #(IRQ_FRAME_Q + 0)]
	\op q2, q3, [sp, #(IRQ_FRAME_Q + 32)]
	\op q4, q5, [sp, #(IRQ_FRAME_Q + 64)]
	\op q6, q7, [sp, #(IRQ_FRAME_Q + 96)]
	\op q8, q9, [sp, #(IRQ_FRAME_Q + 128)]
	\op q10, q11, [sp, #(IRQ_FRAME_Q + 160)]
	\op q12, q13, [sp, #(IRQ_FRAME_Q + 192)]
	\op q14, q15, [sp, #(IRQ_FRAME_Q + 224)]
	\op q16, q17, [sp, #(IRQ_FRAME_Q + 256)]
	\op q18, q19, [sp, #(IRQ_FRAME_Q + 288)]
	\op q20, q21, [sp, #(IRQ_FRAME_Q + 320)]
	\op q22, q23, [sp, #(IRQ_FRAME_Q + 352)]
	\op q24, q25, [sp, #(IRQ_FRAME_Q + 384)]
	\op q26, q27, [sp, #(IRQ_FRAME_Q + 416)]
	\op q28, q29, [sp, #(IRQ_FRAME_Q + 448)]
	\op q30, q31, [sp, #(IRQ_FRAME_Q + 480)]
	.endm

irq_entry:
	sub sp, sp, #IRQ_FRAME
	stp x0, x1, [sp, #0]
	stp x2, x3, [sp, #16]
	stp x4, x5, [sp, #32]
	stp x6, x7, [sp, #48]
	stp x8, x9, [sp, #64]
	stp x10, x11, [sp, #80]
	stp x12, x13, [sp, #96]
	stp x14, x15, [sp, #112]
	stp x16, x17, [sp, #128]
	stp x18, x19, [sp, #144]
	stp x20, x21, [sp, #160]
	stp x22, x23, [sp, #176]
	stp x24, x25, [sp, #192]
	stp x26, x27, [sp, #208]
	stp x28, x29, [sp, #224]
	str x30, [sp, #240]
	mrs x0, elr_el2
	mrs x1, spsr_el2
	stp x0, x1, [sp, #256]
	mrs x0, fpcr
	mrs x1, fpsr
	stp x0, x1, [sp, #272]
	qregs stp

	bl aarch64_irq

	qregs ldp
	ldp x0, x1, [sp, #272]
	msr fpcr, x0
	msr fpsr, x1
	ldp x0, x1, [sp, #256]
	msr elr_el2, x0
	msr spsr_el2, x1
	ldp x2, x3, [sp, #16]
	ldp x4, x5, [sp, #32]
	ldp x6, x7, [sp, #48]
	ldp x8, x9, [sp, #64]
	ldp x10, x11, [sp, #80]
	ldp x12, x13, [sp, #96]
	ldp x14, x15, [sp, #112]
	ldp x16, x17, [sp, #128]
	ldp x18, x19, [sp, #144]
	ldp x20, x21, [sp, #160]
	ldp x22, x23, [sp, #176]
	ldp x24, x25, [sp, #192]
	ldp x26, x27, [sp, #208]
	ldp x28, x29, [sp, #224]
	ldr x30, [sp, #240]
	ldp x0, x1, [sp, #0]
	add sp, sp, #IRQ_FRAME
	eret
