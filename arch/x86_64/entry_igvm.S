/* x86_64 IGVM entry, Hillock's only way in: an IGVM loader enters
 * igvm_start64 from VP0's context (igvm/igvmgen.c), already in long mode on
 * the page tables below, with flat segments, %ebx zero and %esi the
 * loader's platform hint.  Segments, control registers and page tables
 * come from that context; only the stack is ours to set. */

	.section .text.entry, "ax"
	.code64
	.globl igvm_start64
igvm_start64:
	cli
	cld
	lea boot_stack_top(%rip), %rsp
	jmp start64_common

	/* The page tables an IGVM loader starts igvm_start64 on: igvmgen
	 * writes them here (PML4, PDPT, four PDs identity-mapping the low
	 * 4 GiB), inside the image so the kernel never hands them out. */
	.section .igvm_pt, "aw", @nobits
	.balign 4096
	.globl boot_igvm_page_tables
boot_igvm_page_tables:
	.skip 6 * 4096
	.size boot_igvm_page_tables, 6 * 4096
