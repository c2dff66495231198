/* The vTPM compartment's program (build/<arch>/tpm_compartment.elf,
 * stripped) inside Hillock's image, in read-only data and page-aligned,
 * so that its text and read-only segments can be mapped into the
 * compartment straight from here (kernel/tpm_gate.c). */
	.section .tpm.rodata.image, "a"
	.balign 4096
	.globl tpm_compartment_image, tpm_compartment_image_end
tpm_compartment_image:
	.incbin TPM_COMPARTMENT_ELF
tpm_compartment_image_end:
	/* Pad the last page: it is mapped into the compartment whole, and no
	 * byte of Hillock's may be on it. */
	.balign 4096
	.section .note.GNU-stack, "", @progbits
