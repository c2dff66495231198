/* The boot-time baseline for make bench: a PVH image that only reports
 * "pass" through isa-debug-exit, so QEMU's and the firmware's own start-up
 * cost can be subtracted from Hillock's. */
	.section .note.pvh, "a"
	.balign 4
	.long 4, 8, 18			/* name size, descriptor size, PHYS32_ENTRY */
	.asciz "Xen"
	.balign 4
	.quad 0x200000
	.balign 4

	.text
	.code32
	.globl _start
_start:
	mov $0xf4, %dx
	xor %eax, %eax
	out %eax, %dx
1:	hlt
	jmp 1b
