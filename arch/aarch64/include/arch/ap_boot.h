/* The aarch64 AP boot block (arch/aarch64/ap_entry.S, filled by
 * arch/aarch64/smp.c): what an AP that PSCI CPU_ON started at EL2, MMU
 * off, needs to join the kernel.  One block per CPU, found by the context
 * ID (the CPU's index).  Offsets for the assembly; smp.c asserts them. */
#ifndef ARCH_AP_BOOT_H
#define ARCH_AP_BOOT_H

#define AP_BOOT_MAIR		0x00 /* the boot CPU's EL2 translation registers */
#define AP_BOOT_TCR		0x08
#define AP_BOOT_TTBR0		0x10
#define AP_BOOT_SCTLR		0x18
#define AP_BOOT_VBAR		0x20
#define AP_BOOT_CPTR		0x28
#define AP_BOOT_HCR		0x30
#define AP_BOOT_CNTHCTL		0x38 /* timers as on the boot CPU */
#define AP_BOOT_CNTVOFF		0x40
#define AP_BOOT_STACK_TOP	0x48
#define AP_BOOT_TP		0x50
#define AP_BOOT_EXCEPTION_STACK_TOP 0x58 /* SP_EL2 (arch/exception_stack.h) */
#define AP_BOOT_ENTRY		0x60 /* smp_ap_main or sidecar_main */
#define AP_BOOT_SIZE		0x80 /* a multiple of the cache line (64) */

#endif
