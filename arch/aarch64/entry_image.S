/* The arm64 Image header (Linux Documentation/arch/arm64/booting.rst), for
 * images QEMU boots as a Linux kernel (the loader, tools/igvmload): it
 * comes first in the image and branches to _start (entry.S).  text_offset
 * 0 (placed at a 2 MiB boundary), the image size including .bss (link.ld.S
 * asserts the bound), flags (little-endian, 4 KiB pages, anywhere in RAM)
 * and the magic. */
#include <arch/layout.h>

	.section .text.header, "ax"
	.globl image_header
image_header:
	b _start
	.long 0
	.quad 0				/* text_offset */
	.quad IMAGE_SIZE_BOUND		/* image_size */
	.quad 0xa			/* flags */
	.quad 0, 0, 0			/* reserved */
	.ascii "ARM\x64"		/* magic at 0x38 */
	.long 0				/* no PE header */
