/* Where QEMU loads the aarch64 image (its p_paddr): 2 MiB into virt's RAM,
 * leaving room for the device tree QEMU places at the start of RAM.  The
 * link base is 0 and the image relocates itself. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H
#define IMAGE_LOAD_PHYS 0x40200000
/* The arm64 Image header's image_size: an upper bound on the image's size
 * in memory, .bss included (link.ld.S asserts it). */
#define IMAGE_SIZE_BOUND 0x1000000
#endif
