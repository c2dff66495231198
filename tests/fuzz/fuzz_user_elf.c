/*
 * libFuzzer harness for the user-program ELF checks (user_elf_parse() in
 * kernel/user_elf.c), built for x86_64's machine number: whatever file it
 * accepts, the struct user_elf it fills must be safe to map as is.
 *
 * Input: one byte choosing the address range (ranges[], some of them
 * invalid), then the file.
 * Checked on acceptance, against the file's own headers: a 64-bit
 * little-endian executable for this machine whose program header table lies
 * in the file; no interpreter or dynamic section; the segments are its
 * PT_LOAD headers in order, at most USER_ELF_SEGMENTS_MAX, each non-empty,
 * page-aligned, inside the range, its file bytes inside the file, read-only
 * ones entirely from the file, never writable and executable; in address
 * order without overlapping pages; the entry point in an executable
 * segment.  On refusal, a reason.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arch/elf.h>
#include <hillock/elf64.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/user_elf.h>


static const struct {
	uint64_t min, max;
} ranges[] = {
	{ 0x4000000000ull, 0x8000000000ull }, /* the vTPM compartment's */
	{ 0, 0xfffffffffffff000ull },	      /* all of it */
	{ 0xffffffffffffe000ull, 0xfffffffffffff000ull },
	{ 0, PAGE_SIZE },
	{ 0x1000, 0x3000 },
	{ 0x4000000000ull, 0x4000000000ull }, /* empty */
	{ 0x4000000800ull, 0x8000000000ull }, /* not page-aligned */
	{ 0x8000000000ull, 0x4000000000ull }, /* upside down */
};

static void must(int cond)
{
	if (!cond) {
		abort();
	}
}

static uint64_t le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		v |= (uint64_t)p[i] << (8 * i);
	}
	return v;
}

static uint64_t pages(uint64_t bytes)
{
	return bytes / PAGE_SIZE + (bytes % PAGE_SIZE != 0);
}

static void check_accepted(const uint8_t *file, size_t len, uint64_t va_min, uint64_t va_max,
			   const struct user_elf *elf)
{
	uint64_t phoff, phnum;
	unsigned int loads = 0;
	int entry_ok = 0;

	must(va_min < va_max && va_min % PAGE_SIZE == 0 && va_max % PAGE_SIZE == 0);
	must(len >= 64 && memcmp(file, "\177ELF\2\1", 6) == 0);
	must(le(file + 16, 2) == 2 && le(file + 18, 2) == ARCH_ELF_MACHINE);
	must(le(file + 24, 8) == elf->entry);
	phoff = le(file + 32, 8);
	phnum = le(file + 56, 2);
	must(le(file + 54, 2) == 56 && phnum > 0 && phoff <= len && phnum * 56 <= len - phoff);
	must(elf->count >= 1 && elf->count <= USER_ELF_SEGMENTS_MAX);

	for (uint64_t i = 0; i < phnum; i++) {
		const uint8_t *ph = file + phoff + i * 56;
		const struct user_elf_segment *s;
		uint32_t type = (uint32_t)le(ph, 4), flags = (uint32_t)le(ph + 4, 4);

		must(type != ELF_PT_INTERP && type != ELF_PT_DYNAMIC);
		if (type != ELF_PT_LOAD) {
			continue;
		}
		must(loads < elf->count);
		s = &elf->segment[loads++];
		must(s->offset == le(ph + 8, 8) && s->va == le(ph + 16, 8));
		must(s->filesz == le(ph + 32, 8) && s->memsz == le(ph + 40, 8));
		must(s->flags == (MMU_READ | (flags & ELF_PF_W ? MMU_WRITE : 0) | (flags & ELF_PF_X ? MMU_EXEC : 0)));
	}
	must(loads == elf->count);

	for (unsigned int k = 0; k < elf->count; k++) {
		const struct user_elf_segment *s = &elf->segment[k];

		must(s->va % PAGE_SIZE == 0 && s->offset % PAGE_SIZE == 0);
		must(s->memsz > 0 && s->filesz <= s->memsz);
		/* Its pages lie in the range: compared in pages, so nothing wraps. */
		must(s->va >= va_min && pages(s->memsz) <= (va_max - s->va) / PAGE_SIZE);
		must(s->offset <= len && s->filesz <= len - s->offset);
		must((s->flags & (MMU_WRITE | MMU_EXEC)) != (MMU_WRITE | MMU_EXEC));
		must((s->flags & MMU_WRITE) || s->filesz == s->memsz);
		if (k > 0) {
			const struct user_elf_segment *prev = &elf->segment[k - 1];

			must(s->va > prev->va && (s->va - prev->va) / PAGE_SIZE >= pages(prev->memsz));
		}
		if ((s->flags & MMU_EXEC) && elf->entry >= s->va && elf->entry - s->va < s->memsz) {
			entry_ok = 1;
		}
	}
	must(entry_ok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct user_elf elf;
	const char *why = NULL;
	uint64_t va_min, va_max;

	if (size < 1) {
		return 0;
	}
	va_min = ranges[data[0] % (sizeof(ranges) / sizeof(ranges[0]))].min;
	va_max = ranges[data[0] % (sizeof(ranges) / sizeof(ranges[0]))].max;
	/* The file ends where the fuzzer's buffer does: ASan guards it. */
	if (user_elf_parse(data + 1, size - 1, va_min, va_max, &elf, &why) == 0) {
		check_accepted(data + 1, size - 1, va_min, va_max, &elf);
	} else {
		must(why != NULL && why[0] != '\0');
	}
	return 0;
}
