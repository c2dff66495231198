/* Checking a static ELF program before it is mapped (hillock/user_elf.h).
 * The program is part of Hillock's measured image, so this guards against
 * a bad build rather than an attacker; it still checks every field it
 * uses, with the arithmetic done so that nothing can wrap. */
#include <stdint.h>
#include <string.h>

#include <arch/elf.h>
#include <hillock/elf64.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/user_elf.h>

static uint64_t page_round_up(uint64_t v)
{
	return (v + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static int reject(const char **why, const char *what)
{
	*why = what;
	return -1;
}

static int segment_check(const struct elf64_phdr *ph, size_t len, uint64_t va_min,
			 uint64_t va_max, struct user_elf_segment *s, const char **why)
{
	uint64_t span;

	if ((ph->vaddr | ph->offset) % PAGE_SIZE != 0) {
		return reject(why, "a loadable segment is not page-aligned");
	}
	if (ph->memsz == 0 || ph->filesz > ph->memsz) {
		return reject(why, "a loadable segment is empty or has more file than memory bytes");
	}
	if (ph->memsz > va_max - va_min) {
		return reject(why, "a loadable segment is larger than the address range");
	}
	span = page_round_up(ph->memsz);
	if (ph->vaddr < va_min || ph->vaddr > va_max - span) {
		return reject(why, "a loadable segment lies outside the address range");
	}
	if (ph->offset > len || ph->filesz > len - ph->offset) {
		return reject(why, "a loadable segment's bytes lie outside the file");
	}
	if ((ph->flags & ELF_PF_W) && (ph->flags & ELF_PF_X)) {
		return reject(why, "a loadable segment is writable and executable");
	}
	/* Mapped from the file, so all of it must be there.  Its last page
	 * may run past the file's end: the file must be padded to a page
	 * (tpm/compartment/image.S). */
	if (!(ph->flags & ELF_PF_W) && ph->filesz != ph->memsz) {
		return reject(why, "a read-only segment is not entirely in the file");
	}
	s->va = ph->vaddr;
	s->memsz = ph->memsz;
	s->offset = ph->offset;
	s->filesz = ph->filesz;
	s->flags = MMU_READ | (ph->flags & ELF_PF_W ? MMU_WRITE : 0) |
		   (ph->flags & ELF_PF_X ? MMU_EXEC : 0);
	return 0;
}

int user_elf_parse(const void *image, size_t len, uint64_t va_min, uint64_t va_max,
		   struct user_elf *out, const char **why)
{
	struct elf64_ehdr eh;
	int entry_ok = 0;

	memset(out, 0, sizeof(*out));
	if (va_min >= va_max || va_min % PAGE_SIZE != 0 || va_max % PAGE_SIZE != 0) {
		return reject(why, "bad address range");
	}
	if (len < sizeof(eh)) {
		return reject(why, "shorter than an ELF header");
	}
	memcpy(&eh, image, sizeof(eh));
	if (memcmp(eh.ident, "\177ELF", 4) != 0 || eh.ident[4] != 2 || eh.ident[5] != 1) {
		return reject(why, "not a 64-bit little-endian ELF file");
	}
	if (eh.type != ELF_ET_EXEC || eh.machine != ARCH_ELF_MACHINE) {
		return reject(why, "not an executable for this machine");
	}
	if (eh.phentsize != sizeof(struct elf64_phdr) || eh.phnum == 0 ||
	    eh.phoff > len || (uint64_t)eh.phnum * sizeof(struct elf64_phdr) > len - eh.phoff) {
		return reject(why, "bad program header table");
	}
	for (unsigned int i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;
		struct user_elf_segment *s;

		memcpy(&ph, (const uint8_t *)image + eh.phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == ELF_PT_INTERP || ph.type == ELF_PT_DYNAMIC) {
			return reject(why, "needs an interpreter or dynamic linking");
		}
		if (ph.type != ELF_PT_LOAD) {
			continue;
		}
		if (out->count == USER_ELF_SEGMENTS_MAX) {
			return reject(why, "too many loadable segments");
		}
		s = &out->segment[out->count];
		if (segment_check(&ph, len, va_min, va_max, s, why) != 0) {
			return -1;
		}
		if (out->count > 0) {
			const struct user_elf_segment *prev = &out->segment[out->count - 1];

			if (s->va < prev->va + page_round_up(prev->memsz)) {
				return reject(why, "loadable segments overlap or are out of order");
			}
		}
		if ((s->flags & MMU_EXEC) && eh.entry >= s->va && eh.entry - s->va < s->memsz) {
			entry_ok = 1;
		}
		out->count++;
	}
	if (!entry_ok) {
		return reject(why, "the entry point is not in an executable segment");
	}
	out->entry = eh.entry;
	return 0;
}
