/* x86_64 entries: PVH (32-bit) and IGVM (64-bit).
 *
 * A PVH loader (QEMU, booting igvmload) enters pvh_start32 in 32-bit
 * protected mode with paging off, flat segments and %ebx pointing at struct
 * hvm_start_info; the code below builds an identity map, enters long mode
 * and joins the common path.  An IGVM loader (booting Hillock) enters
 * igvm_start64 from VP0's context (igvm/igvmgen.c): already in long mode on
 * page tables the file carries, %ebx zero and %esi the loader's platform
 * hint.  %ebx and %esi reach arch_start() untouched.
 * We build an identity map of the low 4 GiB with 2 MiB pages, switch to long
 * mode, apply our own relocations and call arch_start() in C.
 *
 * The image may be loaded anywhere: %ebp holds the runtime address of label
 * 1 below and every address is formed relative to it. */

#include <arch/layout.h>
#include <arch/x86.h>

#define PVH_NOTE_PHYS32_ENTRY	18

	.section .note.pvh, "a"
	.balign 4
	.long 4				/* name size: "Xen\0" */
	.long 8				/* descriptor size: one quad */
	.long PVH_NOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
	.quad IMAGE_LOAD_PHYS		/* pvh_start32 is at offset 0 (link.ld.S) */

	.section .text.entry, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	call 1f
1:	pop %ebp

	lea (boot_stack_top - 1b)(%ebp), %esp

	/* Page tables: PML4[0] -> PDPT, PDPT[0..3] -> PD0..PD3, each PD maps 1 GiB
	 * with 2 MiB pages.  Bits: P=1, RW=2, PS=0x80; the top GiB (MMIO: LAPIC,
	 * IOAPIC, PCI holes) is uncached with PCD|PWT. */
	lea (boot_pml4 - 1b)(%ebp), %edi
	lea (boot_pdpt - 1b)(%ebp), %eax
	or $(PTE_P | PTE_RW), %eax
	mov %eax, (%edi)

	lea (boot_pdpt - 1b)(%ebp), %edi
	lea (boot_pd - 1b)(%ebp), %eax
	or $(PTE_P | PTE_RW), %eax
	mov $4, %ecx
2:	mov %eax, (%edi)
	add $8, %edi
	add $4096, %eax
	loop 2b

	lea (boot_pd - 1b)(%ebp), %edi
	xor %eax, %eax			/* physical address of the 2 MiB page */
	xor %ecx, %ecx			/* entry index, 0..2047 */
3:	mov %eax, %edx
	or $(PTE_P | PTE_RW | PTE_PS), %edx
	cmp $1536, %ecx
	jb 4f
	or $(PTE_PWT | PTE_PCD), %edx
4:	mov %edx, (%edi, %ecx, 8)
	movl $0, 4(%edi, %ecx, 8)
	add $0x200000, %eax
	inc %ecx
	cmp $2048, %ecx
	jb 3b

	/* Long mode: PAE, CR3, EFER.LME|NXE, then paging with WP. */
	mov %cr4, %eax
	or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov %eax, %cr4
	lea (boot_pml4 - 1b)(%ebp), %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $(EFER_LME | EFER_NXE), %eax
	wrmsr
	mov %cr0, %eax
	and $~(CR0_EM), %eax
	or $(CR0_PG | CR0_PE | CR0_WP | CR0_MP | CR0_NE), %eax
	mov %eax, %cr0

	/* The GDT descriptor needs the runtime base of the table. */
	lea (boot_gdt - 1b)(%ebp), %eax
	mov %eax, (boot_gdtr + 2 - 1b)(%ebp)
	lgdt (boot_gdtr - 1b)(%ebp)
	lea (start64 - 1b)(%ebp), %eax
	push $GDT_KERNEL_CS
	push %eax
	lret

	.code64
start64:
	mov $GDT_KERNEL_DS, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	xor %eax, %eax
	mov %eax, %fs
	mov %eax, %gs
	jmp start64_common

	/* The IGVM entry: segments, control registers and page tables come
	 * from VP0's context; only the stack is ours to set. */
	.globl igvm_start64
igvm_start64:
	cli
	cld
	lea boot_stack_top(%rip), %rsp

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

	.section .rodata
	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code, DPL 0 */
	.quad 0x00cf92000000ffff	/* 0x10: data, DPL 0 */
boot_gdt_end:

	.section .data
	.balign 16
boot_gdtr:
	.word boot_gdt_end - boot_gdt - 1
	.long 0				/* base, written at run time */

	.section .bss.boot, "aw", @nobits
	.balign 4096
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
	.globl boot_stack, boot_stack_top
boot_stack:	.skip 32768
boot_stack_top:

	/* The page tables an IGVM loader starts igvm_start64 on: igvmgen
	 * writes them here (PML4, PDPT, four PDs identity-mapping the low
	 * 4 GiB), inside the image so the kernel never hands them out. */
	.section .igvm_pt, "aw", @nobits
	.balign 4096
	.globl boot_igvm_page_tables
boot_igvm_page_tables:
	.skip 6 * 4096
	.size boot_igvm_page_tables, 6 * 4096
