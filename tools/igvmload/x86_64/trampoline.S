/* Enter a long-mode VP context whose state igvmload_arch_enter() put in the
 * block at X86_ENTER_BLOCK.  igvmload's code and the block are identity
 * mapped both in igvmload's tables and in the context's, so execution goes
 * on across the CR3 switch. */
#include <tools/igvmload/x86_64/enter.h>

#define B(off) (X86_ENTER_BLOCK + (off))

	.text
	.code64
	.globl igvmload_x86_trampoline
igvmload_x86_trampoline:
	cli
	lgdt B(ENTER_GDTR)
	mov B(ENTER_CR4), %rax
	mov %rax, %cr4
	mov B(ENTER_CR3), %rax
	mov %rax, %cr3
	mov $0xc0000080, %ecx
	mov B(ENTER_EFER), %eax
	mov B(ENTER_EFER) + 4, %edx
	wrmsr
	mov B(ENTER_CR0), %rax
	mov %rax, %cr0

	/* Reload CS from the new GDT, then the data segments. */
	movzwl B(ENTER_CS), %eax
	push %rax
	lea 1f(%rip), %rax
	push %rax
	lretq
1:	movw B(ENTER_DS), %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %fs
	mov %ax, %gs
	mov %ax, %ss

	mov B(ENTER_RSP), %rsp
	mov B(ENTER_RBP), %rbp
	mov B(ENTER_RBX), %rbx
	mov B(ENTER_RSI), %rsi
	mov B(ENTER_RDI), %rdi
	mov B(ENTER_RCX), %rcx
	mov B(ENTER_RDX), %rdx
	mov B(ENTER_RAX), %rax
	jmp *B(ENTER_RIP)
