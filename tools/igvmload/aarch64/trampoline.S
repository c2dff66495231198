/* Turn the MMU and caches off and jump to a VP context's pc with x0-x7
 * loaded (struct igvm_vp_context_aarch64: x0..x7 at 0, pc at 64).
 * igvmload is identity-mapped, so this code keeps running across the
 * switch. */
	.text
	.globl igvmload_arm_trampoline
igvmload_arm_trampoline:
	mov x9, x0
	msr daifset, #0xf
	mrs x10, sctlr_el2
	bic x10, x10, #(1 << 0)		/* M */
	bic x10, x10, #(1 << 2)		/* C */
	bic x10, x10, #(1 << 12)	/* I */
	msr sctlr_el2, x10
	isb
	tlbi alle2
	dsb sy
	isb
	ldr x10, [x9, #64]
	ldp x0, x1, [x9, #0]
	ldp x2, x3, [x9, #16]
	ldp x4, x5, [x9, #32]
	ldp x6, x7, [x9, #48]
	br x10
