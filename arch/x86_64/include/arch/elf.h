#ifndef ARCH_ELF_H
#define ARCH_ELF_H
/* The only dynamic relocation the image carries (x86-64 psABI). */
#define ARCH_R_RELATIVE 8
#endif
