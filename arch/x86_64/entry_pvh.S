/* x86_64 PVH entry, for images QEMU boots directly (the loader,
 * tools/igvmload): QEMU's PVH loader enters pvh_start32 in 32-bit protected
 * mode with paging off, flat segments and %ebx pointing at struct
 * hvm_start_info.  This builds an identity map of the low 4 GiB with 2 MiB
 * pages, enters long mode and joins start64_common (entry.S).
 *
 * A PVH loader places the image at its p_paddr, IMAGE_LOAD_PHYS, where the
 * note below sends it; so %ebp, the runtime address of label 1, is known
 * without a stack (the PVH ABI provides none), and every address is formed
 * relative to it. */

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
	mov $(IMAGE_LOAD_PHYS + 1f - pvh_start32), %ebp
1:

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
