/* aarch64 entry, at EL2 with the MMU off.  Two ways in: through an IGVM
 * VP context (Hillock; x0 zero, x1 the loader's platform hint), or from
 * the arm64 Image header in entry_image.S (the loader, which QEMU boots as
 * a Linux Image with x0 the device tree).  x0 and x1 are passed to
 * arch_start() untouched.
 *
 * With the MMU off every access is Device memory, where unaligned accesses
 * fault; compiled C may make them, so the identity map and the MMU come
 * first, in assembly.  The map: 0-1 GiB Device (UART, GIC), 1-256 GiB
 * Normal write-back (RAM starts at 1 GiB on virt).  The rest is unmapped. */

#include <arch/exception_stack.h>
#include <arch/sysreg.h>

	.section .text.entry, "ax"
	.globl _start
_start:
	msr daifset, #0xf
	mov x19, x0			/* loader arguments */
	mov x21, x1
	mrs x20, CurrentEL
	lsr x20, x20, #2		/* exception level, checked in C */

	adrp x0, boot_stack_top
	add x0, x0, :lo12:boot_stack_top
	mov sp, x0

	cmp x20, #2
	b.ne 2f				/* not at EL2: C reports it, MMU off */

	/* Two stacks: exceptions on SP_EL2 (its top kept in TPIDR_EL2 as
	 * well), everything else on SP_EL0, so that a stack overflow can
	 * still be reported.  SPSel is selected, not assumed: the loader
	 * runs on SP_EL0 and branches here. */
	adrp x0, boot_exception_stack_top
	add x0, x0, :lo12:boot_exception_stack_top
	msr tpidr_el2, x0
	msr spsel, #1
	mov sp, x0
	msr spsel, #0
	adrp x0, boot_stack_top
	add x0, x0, :lo12:boot_stack_top
	mov sp, x0

	ldr x0, =CPTR_EL2_VALUE
	msr cptr_el2, x0

	/* Level-1 table: entry 0 Device, entries 1..255 Normal. */
	adrp x0, boot_l1
	mov x1, #(PTE_BLOCK | PTE_AF | PTE_ATTR(MAIR_DEVICE_IDX))
	orr x1, x1, #PTE_XN
	str x1, [x0]
	mov x2, #1
	ldr x3, =(PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTR(MAIR_NORMAL_IDX))
1:	orr x1, x3, x2, lsl #30
	str x1, [x0, x2, lsl #3]
	add x2, x2, #1
	cmp x2, #256
	b.lo 1b

	ldr x1, =MAIR_EL2_VALUE
	msr mair_el2, x1
	ldr x1, =TCR_EL2_VALUE
	msr tcr_el2, x1
	msr ttbr0_el2, x0
	dsb ish
	isb
	tlbi alle2
	dsb ish
	ldr x1, =(SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA)
	msr sctlr_el2, x1
	isb

	adrp x0, aarch64_vectors
	add x0, x0, :lo12:aarch64_vectors
	msr vbar_el2, x0
	isb

2:	/* Clear .bss (the boot table and stack live outside it). */
	adrp x0, __bss_start
	add x0, x0, :lo12:__bss_start
	adrp x1, __bss_end
	add x1, x1, :lo12:__bss_end
3:	cmp x0, x1
	b.hs 4f
	str xzr, [x0], #8
	b 3b

4:	/* Relocate: runtime base minus link base (0). */
	adrp x0, __image_start
	add x0, x0, :lo12:__image_start
	adrp x1, __rela_start
	add x1, x1, :lo12:__rela_start
	adrp x2, __rela_end
	add x2, x2, :lo12:__rela_end
	bl reloc_apply

	mov x3, x0			/* relocations of an unexpected type */
	mov x0, x19
	mov x1, x21
	mov x2, x20
	bl arch_start
	brk #0

	.section .bss.boot, "aw", @nobits
	.balign 4096
boot_l1:	.skip 4096
	.globl boot_stack, boot_stack_top
boot_stack:	.skip 32768
boot_stack_top:
boot_exception_stack:	.skip EXCEPTION_STACK_SIZE
boot_exception_stack_top:
