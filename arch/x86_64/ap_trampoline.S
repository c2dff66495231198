/* The x86_64 AP trampoline: from the real mode a startup IPI leaves an AP
 * in (CS = the page's address >> 4, IP = 0) to long mode on the kernel's
 * page tables, then into C.
 *
 * This template is never run in place: arch/x86_64/smp.c copies it to a
 * page below 1 MiB (a SIPI can only name such a page), fills in the
 * parameter block and adds the page's address to the three addresses in
 * it, so the code needs no relocation.  Every CPU started runs the same
 * copy at the same time; it writes nothing to the page (the GDT's accessed
 * bits are preset), because in long mode the page is mapped read-only.
 *
 * An AP finds its stack and thread pointer by its initial APIC ID (CPUID
 * leaf 1, EBX bits 31:24) in the kernel's slot table. */
#include <arch/ap_trampoline.h>
#include <arch/x86.h>

#define MSR_PAT 0x277
#define CR4_OSXSAVE (1 << 18)
/* An operand in the parameter block, by its offset in the page. */
#define P(field) (x86_ap_trampoline_params - x86_ap_trampoline + (field))

	.section .rodata.x86_ap_trampoline, "a"
	.balign 16
	.globl x86_ap_trampoline, x86_ap_trampoline_params, x86_ap_trampoline_end

	.code16
x86_ap_trampoline:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	movzwl %ax, %ebx
	shl $4, %ebx			/* the page's physical address, kept in ebx */
	lgdtl P(AP_TRAMP_GDTR)
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl *P(AP_TRAMP_JUMP32)

	.code32
ap_protected:
	mov $AP_TRAMP_DS, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	/* Long mode: PAE, the kernel's tables, EFER.LME, then paging. */
	mov $CR4_PAE, %eax
	mov %eax, %cr4
	mov P(AP_TRAMP_CR3)(%ebx), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	mov P(AP_TRAMP_EFER)(%ebx), %eax
	mov P(AP_TRAMP_EFER) + 4(%ebx), %edx
	wrmsr
	mov P(AP_TRAMP_CR0)(%ebx), %eax
	mov %eax, %cr0
	ljmpl *P(AP_TRAMP_JUMP64)(%ebx)

	.code64
ap_long:
	mov %ebx, %ebp			/* zero-extends: the page, for the rest */
	/* The boot CPU's CR4 (OSFXSR, SMEP, ...), its XCR0 if it uses
	 * XSAVE, its PAT. */
	mov P(AP_TRAMP_CR4)(%rbp), %rax
	mov %rax, %cr4
	test $CR4_OSXSAVE, %eax
	jz 1f
	xor %ecx, %ecx
	mov P(AP_TRAMP_XCR0)(%rbp), %eax
	mov P(AP_TRAMP_XCR0) + 4(%rbp), %edx
	xsetbv
1:	mov $MSR_PAT, %ecx
	mov P(AP_TRAMP_PAT)(%rbp), %eax
	mov P(AP_TRAMP_PAT) + 4(%rbp), %edx
	wrmsr

	mov $1, %eax
	xor %ecx, %ecx
	cpuid
	shr $24, %ebx			/* initial APIC ID */
	mov P(AP_TRAMP_SLOTS)(%rbp), %rsi
	mov P(AP_TRAMP_SLOT_COUNT)(%rbp), %ecx
2:	test %ecx, %ecx
	jz 3f
	cmp %ebx, AP_SLOT_APIC_ID(%rsi)
	je 4f
	add $AP_SLOT_SIZE, %rsi
	dec %ecx
	jmp 2b
3:	cli				/* not a CPU the kernel started */
	hlt
	jmp 3b

4:	mov $MSR_FS_BASE, %ecx
	mov AP_SLOT_TP(%rsi), %eax
	mov AP_SLOT_TP + 4(%rsi), %edx
	wrmsr
	mov AP_SLOT_STACK_TOP(%rsi), %rsp
	mov AP_SLOT_CPU(%rsi), %edi
	mov P(AP_TRAMP_ENTRY)(%rbp), %rax
	xor %ebp, %ebp			/* ends the frame-pointer chain */
	push $0				/* as if called: no return address */
	jmp *%rax

	.balign 16
x86_ap_trampoline_params:
	.long ap_protected - x86_ap_trampoline	/* JUMP32 (+ the page) */
	.word AP_TRAMP_CS32, 0
	.long ap_long - x86_ap_trampoline	/* JUMP64 (+ the page) */
	.word AP_TRAMP_CS64, 0
	.word 4 * 8 - 1				/* GDTR */
	.long x86_ap_trampoline_params + AP_TRAMP_GDT - x86_ap_trampoline	/* (+ the page) */
	.word 0
	.fill (AP_TRAMP_GDT - AP_TRAMP_CR3) / 8, 8, 0	/* filled by smp.c */
	/* GDT, accessed bits preset: flat 32-bit code, flat data, 64-bit code. */
	.quad 0
	.quad 0x00cf9b000000ffff
	.quad 0x00cf93000000ffff
	.quad 0x00af9b000000ffff
x86_ap_trampoline_end:

	.section .note.GNU-stack, "", @progbits
