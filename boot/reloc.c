/* Self-relocation of the static-PIE image.
 *
 * The linker leaves one Elf64_Rela per absolute pointer in the image (GOT
 * entries, pointer tables, the self-test descriptors).  Each is of type
 * RELATIVE: "*(base + r_offset) = base + r_addend".  This runs before any
 * global is read, so it must itself use nothing but its arguments: no
 * globals, no library calls, and no stack protector (the canary is not set
 * up yet). */
#include <stdint.h>

#include <arch/elf.h>
#include <hillock/boot.h>
#include <hillock/elf64.h>

__attribute__((no_stack_protector)) unsigned int reloc_apply(uintptr_t base,
							      const void *rela_start,
							      const void *rela_end)
{
	const struct elf64_rela *r = rela_start;
	const struct elf64_rela *end = rela_end;
	unsigned int skipped = 0;

	for (; r < end; r++) {
		if (ELF64_R_TYPE(r->r_info) != ARCH_R_RELATIVE) {
			/* The build rejects such an image; count rather than
			 * hang so the caller can report it once the console
			 * works. */
			skipped++;
			continue;
		}
		*(uint64_t *)(base + r->r_offset) = base + (uint64_t)r->r_addend;
	}
	return skipped;
}
