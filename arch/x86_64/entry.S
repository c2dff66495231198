/* x86_64 start, common to every way in (entry_igvm.S for Hillock,
 * entry_pvh.S for the loader): in long mode with %ebx and %esi as the
 * loader left them, clear .bss, apply our own relocations and call
 * arch_start() in C.  The image runs wherever it was placed: everything
 * here is RIP-relative. */

	.text
	.code64
	.globl start64_common
start64_common:
	mov %ebx, %r12d			/* loader arguments, zero-extended */
	mov %esi, %r13d

	/* Clear .bss (the boot page tables and stack live outside it). */
	lea __bss_start(%rip), %rdi
	lea __bss_end(%rip), %rcx
	sub %rdi, %rcx
	xor %eax, %eax
	rep stosb

	/* Relocate: runtime base minus link base (0). */
	lea __image_start(%rip), %rdi
	lea __rela_start(%rip), %rsi
	lea __rela_end(%rip), %rdx
	call reloc_apply

	mov %r12, %rdi
	mov %r13, %rsi
	mov %eax, %edx			/* relocations of an unexpected type */
	call arch_start
	ud2

	.section .bss.boot, "aw", @nobits
	.balign 4096
	.globl boot_stack, boot_stack_top
boot_stack:	.skip 32768
boot_stack_top:
