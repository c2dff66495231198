/* Where the x86_64 image is loaded by a PVH loader (its p_paddr); the
 * link base is 0 and the image relocates itself. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H
#define IMAGE_LOAD_PHYS 0x200000
#endif
