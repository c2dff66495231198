/* The x86_64 AP trampoline's parameter block (arch/x86_64/ap_trampoline.S,
 * filled by arch/x86_64/smp.c): one layout for the assembly and the C that
 * share it.  Offsets are from x86_ap_trampoline_params. */
#ifndef ARCH_AP_TRAMPOLINE_H
#define ARCH_AP_TRAMPOLINE_H

#define AP_TRAMP_JUMP32		0x00 /* far pointer to the 32-bit code: u32 offset, u16 selector */
#define AP_TRAMP_JUMP64		0x08 /* far pointer to the 64-bit code */
#define AP_TRAMP_GDTR		0x10 /* u16 limit, u32 base: the GDT below */
#define AP_TRAMP_CR3		0x18 /* the boot CPU's control registers, MSRs, XCR0 */
#define AP_TRAMP_CR4		0x20
#define AP_TRAMP_EFER		0x28
#define AP_TRAMP_CR0		0x30
#define AP_TRAMP_PAT		0x38
#define AP_TRAMP_XCR0		0x40
#define AP_TRAMP_ENTRY		0x48 /* the 64-bit C entry, x86_ap_main(cpu) */
#define AP_TRAMP_SLOTS		0x50 /* address of struct x86_ap_slot[] */
#define AP_TRAMP_SLOT_COUNT	0x58 /* u32 */
#define AP_TRAMP_GDT		0x60 /* null, 32-bit code, data, 64-bit code */
#define AP_TRAMP_PARAMS_SIZE	0x80

#define AP_TRAMP_CS32		0x08
#define AP_TRAMP_DS		0x10
#define AP_TRAMP_CS64		0x18

/* struct x86_ap_slot: what one AP finds by its APIC ID. */
#define AP_SLOT_APIC_ID		0x00 /* u32 */
#define AP_SLOT_CPU		0x04 /* u32 */
#define AP_SLOT_STACK_TOP	0x08
#define AP_SLOT_TP		0x10
#define AP_SLOT_SIZE		0x18

#endif
