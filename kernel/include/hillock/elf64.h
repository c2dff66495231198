/* The ELF64 structures Hillock reads (System V ABI, ELF-64 Object File
 * Format): the file and program headers of the programs it runs at user
 * privilege (kernel/user_elf.c) and the relocations of its own image
 * (boot/reloc.c).  Declared once here, for the image and the host tests. */
#ifndef HILLOCK_ELF64_H
#define HILLOCK_ELF64_H

#include <stdint.h>

#define ELF_ET_EXEC 2

#define ELF_PT_LOAD 1
#define ELF_PT_DYNAMIC 2
#define ELF_PT_INTERP 3
#define ELF_PT_TLS 7

#define ELF_PF_X 1
#define ELF_PF_W 2
#define ELF_PF_R 4

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr is 64 bytes");

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr is 56 bytes");

struct elf64_rela {
	uint64_t r_offset;
	uint64_t r_info;
	int64_t r_addend;
};
_Static_assert(sizeof(struct elf64_rela) == 24, "Elf64_Rela is 24 bytes");

#define ELF64_R_TYPE(info) ((uint32_t)(info))

#endif
