/* The boot-time baseline for make bench: an image that only reports "pass"
 * through semihosting SYS_EXIT, so QEMU's own start-up cost can be
 * subtracted from Hillock's. */
	.text
	.globl _start
_start:
	adr x1, exit_block
	mov w0, #0x18			/* SYS_EXIT */
	hlt #0xf000
1:	wfi
	b 1b

	.balign 8
exit_block:
	.quad 0x20026			/* ADP_Stopped_ApplicationExit */
	.quad 0
