/* Where PSCI CPU_ON starts an AP: at EL2, MMU and caches off, x0 the
 * context ID, which is the CPU's index.  The AP loads the boot CPU's
 * translation and trap registers from its boot block (found through a
 * PC-relative pointer: the image is identity mapped, so addresses are
 * physical too), turns the
 * MMU on, takes its stacks (exceptions on SP_EL2, the rest on SP_EL0) and
 * thread pointer and enters its entry (smp_ap_main or sidecar_main) with
 * its index.
 * With the MMU off every access is Device memory: the block is read with
 * aligned 64-bit loads only, and the boot CPU cleaned it to the point of
 * coherency. */
#include <arch/ap_boot.h>

	.text
	.balign 4
	.globl aarch64_ap_entry
aarch64_ap_entry:
	msr daifset, #0xf
	adrp x1, aarch64_ap_boot
	ldr x1, [x1, :lo12:aarch64_ap_boot]	/* the blocks */
	mov x2, #AP_BOOT_SIZE
	madd x1, x0, x2, x1		/* this CPU's block */

	ldr x2, [x1, #AP_BOOT_CPTR]
	msr cptr_el2, x2
	ldr x2, [x1, #AP_BOOT_HCR]
	msr hcr_el2, x2
	ldr x2, [x1, #AP_BOOT_CNTHCTL]
	msr cnthctl_el2, x2
	ldr x2, [x1, #AP_BOOT_CNTVOFF]
	msr cntvoff_el2, x2
	ldr x2, [x1, #AP_BOOT_MAIR]
	msr mair_el2, x2
	ldr x2, [x1, #AP_BOOT_TCR]
	msr tcr_el2, x2
	ldr x2, [x1, #AP_BOOT_TTBR0]
	msr ttbr0_el2, x2
	ldr x2, [x1, #AP_BOOT_VBAR]
	msr vbar_el2, x2
	isb
	/* Nothing this CPU cached or translated before reset counts. */
	tlbi alle2
	ic iallu
	dsb nsh
	isb
	ldr x2, [x1, #AP_BOOT_SCTLR]
	msr sctlr_el2, x2
	isb

	ldr x2, [x1, #AP_BOOT_EXCEPTION_STACK_TOP]
	msr tpidr_el2, x2
	msr spsel, #1
	mov sp, x2			/* SP_EL2: exceptions (vectors.S) */
	msr spsel, #0
	ldr x2, [x1, #AP_BOOT_STACK_TOP]
	mov sp, x2			/* SP_EL0: everything else */
	ldr x2, [x1, #AP_BOOT_TP]
	msr tpidr_el0, x2
	ldr x2, [x1, #AP_BOOT_ENTRY]
	mov x29, #0			/* ends the frame-record chain */
	mov x30, #0
	blr x2
	brk #0
