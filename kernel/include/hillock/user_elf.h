/* A static ELF program to run at user privilege (the vTPM compartment):
 * checked once into a struct user_elf, which the loader then trusts
 * (kernel/user_elf.c). */
#ifndef HILLOCK_USER_ELF_H
#define HILLOCK_USER_ELF_H

#include <stddef.h>
#include <stdint.h>

#define USER_ELF_SEGMENTS_MAX 4

struct user_elf_segment {
	uint64_t va;	 /* page-aligned */
	uint64_t memsz;	 /* bytes in memory; the pages run to the next page boundary */
	uint64_t offset; /* page-aligned offset of its bytes in the file */
	uint64_t filesz; /* bytes from the file; the rest is zero */
	unsigned int flags; /* MMU_READ, MMU_WRITE, MMU_EXEC; never WRITE with EXEC */
};

struct user_elf {
	uint64_t entry;
	unsigned int count; /* loadable segments, in address order, not overlapping */
	struct user_elf_segment segment[USER_ELF_SEGMENTS_MAX];
};

/*
 * Check the ELF file image[0..len): 64-bit, little-endian, this machine,
 * an executable (ET_EXEC) with no interpreter and no dynamic section; at
 * most USER_ELF_SEGMENTS_MAX loadable segments, each page-aligned in
 * memory and in the file, inside [va_min, va_max), within the file, not
 * overlapping, not writable and executable at once; a read-only segment
 * entirely in the file, since it is mapped straight from it (the caller
 * pads the file to a whole page); the entry point inside an executable
 * segment.
 * Returns 0 and fills *out, or -1 with *why saying what is wrong.
 */
int user_elf_parse(const void *image, size_t len, uint64_t va_min, uint64_t va_max,
		   struct user_elf *out, const char **why);

#endif
