#ifndef ARCH_ELF_H
#define ARCH_ELF_H
/* The only dynamic relocation the image carries (x86-64 psABI). */
#define ARCH_R_RELATIVE 8
/* e_machine of this architecture's ELF files. */
#define ARCH_ELF_MACHINE 62 /* EM_X86_64 */

#endif
