/* The vTPM compartment: a static program linked at TPM_IMAGE_VA, its own
 * address space (compartment.h).  Hillock's loader (kernel/user_elf.c)
 * maps the text and read-only segments from the copy inside Hillock's
 * image and copies the data segment into pages of the compartment's own;
 * the TLS template is copied by the compartment's runtime into its TLS
 * page (crt/start.c). */
#include "compartment.h"

ENTRY(_start)

PHDRS
{
	text   PT_LOAD FLAGS(5);	/* R X */
	rodata PT_LOAD FLAGS(4);	/* R */
	data   PT_LOAD FLAGS(6);	/* R W */
	tls    PT_TLS FLAGS(4);
}

SECTIONS
{
	. = TPM_IMAGE_VA;
	.text : {
		KEEP(*(.text.start))
		*(.text .text.*)
	} :text

	. = ALIGN(4096);
	.rodata : { *(.rodata .rodata.*) } :rodata

	. = ALIGN(4096);
	.data : {
		*(.data .data.*)
		*(.got) *(.got.plt) *(.igot) *(.igot.plt)
	} :data
	/* The TLS template with .tbss folded in as zeros, aligned as the
	 * image's (arch/<arch>/link.ld.S), so arch/<arch>/tls.c lays it out. */
	.tdata : ALIGN(64) {
		__tdata_start = .;
		*(.tdata .tdata.*)
		*(.tbss .tbss.*)
		*(.tcommon)
		. = ALIGN(64);
		__tdata_end = .;
	} :data :tls
	. = ADDR(.tdata) + SIZEOF(.tdata);
	.bss (NOLOAD) : {
		*(.bss .bss.* COMMON)
		. = ALIGN(4096);
		__image_end = .;
	} :data

	/* Constructors would never run; nothing here has any. */
	.init_array : { *(.init_array .init_array.* .ctors .ctors.*) }
	ASSERT(SIZEOF(.init_array) == 0, "the compartment has constructors")
	ASSERT(__image_end - TPM_IMAGE_VA <= TPM_IMAGE_MAX, "the compartment outgrew TPM_IMAGE_MAX")

	/DISCARD/ : {
		*(.eh_frame .eh_frame_hdr .note.* .comment .rela.* .interp .dynamic)
	}
}
