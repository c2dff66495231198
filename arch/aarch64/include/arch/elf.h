#ifndef ARCH_ELF_H
#define ARCH_ELF_H
/* The only dynamic relocation the image carries (AArch64 ELF ABI). */
#define ARCH_R_RELATIVE 1027
/* e_machine of this architecture's ELF files. */
#define ARCH_ELF_MACHINE 183 /* EM_AARCH64 */

#endif
