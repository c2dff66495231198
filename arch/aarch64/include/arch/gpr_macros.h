/* Register save/restore macros the entry paths share.  Assembly only.
 *
 * `xregs_2_29 op[, base]`: x2..x29 as pairs at [base, #16] .. [base, #224]
 * (base defaults to sp), the layout every register frame here uses: x<n>
 * at n * 8 (struct aarch64_regs in arch/regs.h, struct arch_user_regs in
 * arch/user.h; x0/x1 at 0, x30 at 240).  `xregs_2_29 stp` saves them,
 * `xregs_2_29 ldp` restores them.
 *
 * `qregs_0_31 op, base, off`: q0..q31 as pairs at [base, #off] on, 512
 * bytes (16-byte aligned). */
#ifndef ARCH_GPR_MACROS_H
#define ARCH_GPR_MACROS_H

	.macro xregs_2_29 op, base=sp
	\op x2, x3, [\base, #16]
	\op x4, x5, [\base, #32]
	\op x6, x7, [\base, #48]
	\op x8, x9, [\base, #64]
	\op x10, x11, [\base, #80]
	\op x12, x13, [\base, #96]
	\op x14, x15, [\base, #112]
	\op x16, x17, [\base, #128]
	\op x18, x19, [\base, #144]
	\op x20, x21, [\base, #160]
	\op x22, x23, [\base, #176]
	\op x24, x25, [\base, #192]
	\op x26, x27, [\base, #208]
	\op x28, x29, [\base, #224]
	.endm

	.macro qregs_0_31 op, base, off
	\op q0, q1, [\base, #(\off + 0)]
	\op q2, q3, [\base, #(\off + 32)]
	\op q4, q5, [\base, #(\off + 64)]
	\op q6, q7, [\base, #(\off + 96)]
	\op q8, q9, [\base, #(\off + 128)]
	\op q10, q11, [\base, #(\off + 160)]
	\op q12, q13, [\base, #(\off + 192)]
	\op q14, q15, [\base, #(\off + 224)]
	\op q16, q17, [\base, #(\off + 256)]
	\op q18, q19, [\base, #(\off + 288)]
	\op q20, q21, [\base, #(\off + 320)]
	\op q22, q23, [\base, #(\off + 352)]
	\op q24, q25, [\base, #(\off + 384)]
	\op q26, q27, [\base, #(\off + 416)]
	\op q28, q29, [\base, #(\off + 448)]
	\op q30, q31, [\base, #(\off + 480)]
	.endm

#endif
