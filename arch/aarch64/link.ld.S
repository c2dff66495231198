/* Hillock aarch64 image layout.
 *
 * The image is a static PIE linked at virtual address 0 and loaded at
 * LOAD_PHYS, 2 MiB into QEMU virt RAM (QEMU puts the device tree at the
 * start of RAM and honours p_paddr).  The entry code runs with an
 * identity map, works out where it really is and applies the RELATIVE
 * relocations before it touches any global, so the same file runs at any
 * 2 MiB-aligned address.  Text, read-only data and writable data sit in
 * separate page-aligned segments: no segment is both writable and
 * executable. */
OUTPUT_FORMAT("elf64-littleaarch64")
OUTPUT_ARCH(aarch64)

#include <arch/layout.h>

LOAD_PHYS = IMAGE_LOAD_PHYS;

PHDRS
{
	text    PT_LOAD FLAGS(5);	/* R X */
	rodata  PT_LOAD FLAGS(4);	/* R */
	data    PT_LOAD FLAGS(6);	/* R W */
	dynamic PT_DYNAMIC FLAGS(6);
	tls     PT_TLS FLAGS(4);
}

SECTIONS
{
	. = 0;
	__image_start = .;

	.text : AT(LOAD_PHYS) {
		KEEP(*(.text.header))
		KEEP(*(.text.entry))
		*(.text .text.*)
		*(.plt) *(.plt.*) *(.iplt)
		__text_end = .;
	} :text

	/* The kernel's page tables (kernel/mmu.c) give each part of the image
	 * its own permissions: text R+X, [__rodata_start, __rodata_end) R,
	 * [__data_start, __image_end) R+W.  Each starts on a page. */
	. = ALIGN(4096);
	__rodata_start = .;
	.rodata : AT(LOAD_PHYS + ADDR(.rodata)) {
		*(.rodata .rodata.*)
	} :rodata
	/* The vTPM compartment's program (tpm/compartment/image.S), on pages
	 * of its own: its text and read-only segments are mapped into the
	 * compartment straight from here. */
	.tpm.rodata : ALIGN(4096) {
		*(.tpm.rodata .tpm.rodata.*)
		. = ALIGN(4096);
	} :rodata
	.rela.dyn : AT(LOAD_PHYS + ADDR(.rela.dyn)) {
		__rela_start = .;
		*(.rela.*)
		__rela_end = .;
	} :rodata
	.dynsym : { *(.dynsym) } :rodata
	.dynstr : { *(.dynstr) } :rodata
	.hash : { *(.hash) } :rodata
	.gnu.hash : { *(.gnu.hash) } :rodata
	.eh_frame : { *(.eh_frame) } :rodata

	. = ALIGN(4096);
	__rodata_end = .;
	__data_start = .;
	.data.rel.ro : AT(LOAD_PHYS + ADDR(.data.rel.ro)) {
		*(.data.rel.ro .data.rel.ro.*)
		/* Descriptors hold pointers, so they live where relocation can
		 * write them. */
		. = ALIGN(8);
		__selftests_start = .;
		KEEP(*(SORT(.selftests.*)))
		__selftests_end = .;
		. = ALIGN(8);
		__init_calls_start = .;
		KEEP(*(SORT(.init_calls.*)))
		__init_calls_end = .;
	} :data
	.dynamic : { *(.dynamic) } :data :dynamic
	.got : { *(.got) *(.igot) } :data
	.got.plt : { *(.got.plt) *(.igot.plt) } :data
	.data : { *(.data .data.*) } :data
	/* The TLS template, .tbss folded in as zeros so that the template is
	 * one block: [__tdata_start, __tdata_end) is copied into each CPU's TLS
	 * area.  Aligned to 64, so the linker's local-exec offsets use that
	 * alignment (variant I: the block starts
	 * 64 bytes above TPIDR_EL0, after the 16-byte TCB rounded up). */
	.tdata : ALIGN(64) {
		__tdata_start = .;
		*(.tdata .tdata.*)
		*(.tbss .tbss.*)
		*(.tcommon)
		. = ALIGN(64);
		__tdata_end = .;
	} :data :tls

	. = ALIGN(4096);
	/* Boot page tables and the boot stack: in use before .bss is cleared.
	 * entry.S puts the boot table right under the stack: once the kernel's
	 * tables replace it, that page stays unmapped as the stack's guard. */
	.bss.boot (NOLOAD) : {
		*(.bss.boot)
	} :data
	.bss (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.* COMMON)
		__bss_end = .;
	} :data
	/* The IGVM parameter areas (boot/shim.c): filled by the loader, never
	 * loaded from the file and never cleared. */
	. = ALIGN(4096);
	.params (NOLOAD) : {
		KEEP(*(.params))
	} :data
	. = ALIGN(4096);
	__image_end = .;

	/DISCARD/ : { *(.interp) *(.comment) *(.note.GNU-stack) *(.note.gnu.*) }
}

ASSERT(__image_end <= IMAGE_SIZE_BOUND, "image larger than the Image header's image_size")
ASSERT(boot_stack - 4096 >= ADDR(.bss.boot), "the page under the boot stack (its guard) must be in .bss.boot")
