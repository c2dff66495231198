/* kernel/user_elf.c: the checks a user program passes before it is mapped.
 * Hand-made files, each broken in one way, must be refused with the
 * reason for that way; the vTPM compartment's real program
 * (build/x86_64/tpm_compartment.elf.stripped) must pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hillock/elf64.h>
#include <hillock/mmu.h>
#include <hillock/user_elf.h>

#include "tpm/compartment/compartment.h"

#define VA_MIN 0x4000000000ull
#define VA_MAX 0x8000000000ull
#define PG 4096u

/* A good file: text (R X) at VA_MIN from offset 4096, rodata (R) after it,
 * data (R W) with bss. */
struct file {
	uint8_t b[5 * PG];
	size_t len;
	struct elf64_ehdr *eh;
	struct elf64_phdr *ph;
};

static void file_make(struct file *f)
{
	memset(f, 0, sizeof(*f));
	f->len = sizeof(f->b);
	f->eh = (struct elf64_ehdr *)f->b;
	f->ph = (struct elf64_phdr *)(f->b + sizeof(struct elf64_ehdr));
	memcpy(f->eh->ident, "\177ELF\2\1\1", 7);
	f->eh->type = 2;
	f->eh->machine = 62;
	f->eh->version = 1;
	f->eh->entry = VA_MIN + 0x10;
	f->eh->phoff = sizeof(struct elf64_ehdr);
	f->eh->ehsize = sizeof(struct elf64_ehdr);
	f->eh->phentsize = sizeof(struct elf64_phdr);
	f->eh->phnum = 3;
	f->ph[0] = (struct elf64_phdr){1, 5, PG, VA_MIN, VA_MIN, PG, PG, PG};
	f->ph[1] = (struct elf64_phdr){1, 4, 2 * PG, VA_MIN + PG, VA_MIN + PG, PG, PG, PG};
	f->ph[2] = (struct elf64_phdr){1, 6, 3 * PG, VA_MIN + 2 * PG, VA_MIN + 2 * PG, 100, 3 * PG, PG};
}

static const char *parse(const struct file *f, struct user_elf *out)
{
	const char *why = NULL;

	if (user_elf_parse(f->b, f->len, VA_MIN, VA_MAX, out, &why) == 0) {
		return NULL;
	}
	assert_non_null(why);
	return why;
}

static void expect_refused(const struct file *f, const char *want)
{
	struct user_elf out;
	const char *why = parse(f, &out);

	if (why == NULL || strstr(why, want) == NULL) {
		fail_msg("expected a refusal containing \"%s\", got %s", want, why ? why : "acceptance");
	}
}

static void good_file_is_accepted(void **state)
{
	struct file f;
	struct user_elf out;

	(void)state;
	file_make(&f);
	assert_null(parse(&f, &out));
	assert_int_equal(out.count, 3);
	assert_int_equal(out.entry, VA_MIN + 0x10);
	assert_int_equal(out.segment[0].flags, MMU_READ | MMU_EXEC);
	assert_int_equal(out.segment[1].flags, MMU_READ);
	assert_int_equal(out.segment[2].flags, MMU_READ | MMU_WRITE);
	assert_int_equal(out.segment[2].filesz, 100);
	assert_int_equal(out.segment[2].memsz, 3 * PG);
	/* Other program headers are skipped. */
	f.ph[3] = (struct elf64_phdr){ELF_PT_TLS, 4, 3 * PG, VA_MIN + 2 * PG, 0, 0, 64, 64};
	f.eh->phnum = 4;
	assert_null(parse(&f, &out));
	assert_int_equal(out.count, 3);
}

static void broken_headers_are_refused(void **state)
{
	struct file f;

	(void)state;
	file_make(&f);
	f.len = 63;
	expect_refused(&f, "shorter than an ELF header");
	file_make(&f);
	f.b[1] = 'X';
	expect_refused(&f, "not a 64-bit little-endian ELF");
	file_make(&f);
	f.b[4] = 1;
	expect_refused(&f, "not a 64-bit little-endian ELF");
	file_make(&f);
	f.b[5] = 2;
	expect_refused(&f, "not a 64-bit little-endian ELF");
	file_make(&f);
	f.eh->machine = 183;
	expect_refused(&f, "not an executable for this machine");
	file_make(&f);
	f.eh->type = 3;
	expect_refused(&f, "not an executable for this machine");
	file_make(&f);
	f.eh->phentsize = 32;
	expect_refused(&f, "bad program header table");
	file_make(&f);
	f.eh->phnum = 0;
	expect_refused(&f, "bad program header table");
	file_make(&f);
	f.eh->phoff = f.len - 10;
	expect_refused(&f, "bad program header table");
	file_make(&f);
	f.eh->phoff = UINT64_MAX - 8;
	expect_refused(&f, "bad program header table");
	file_make(&f);
	f.eh->phnum = 0xffff;
	expect_refused(&f, "bad program header table");
	file_make(&f);
	f.ph[1].type = 3;
	expect_refused(&f, "interpreter or dynamic");
	file_make(&f);
	f.ph[1].type = 2;
	expect_refused(&f, "interpreter or dynamic");
	file_make(&f);
	f.eh->entry = VA_MIN + PG + 8; /* in rodata */
	expect_refused(&f, "entry point");
	file_make(&f);
	f.eh->entry = 0;
	expect_refused(&f, "entry point");
}

static void broken_segments_are_refused(void **state)
{
	struct file f;

	(void)state;
	file_make(&f);
	f.ph[1].vaddr += 8;
	expect_refused(&f, "not page-aligned");
	file_make(&f);
	f.ph[1].offset += 8;
	expect_refused(&f, "not page-aligned");
	file_make(&f);
	f.ph[2].memsz = 0;
	f.ph[2].filesz = 0;
	expect_refused(&f, "empty");
	file_make(&f);
	f.ph[2].filesz = f.ph[2].memsz + 1;
	expect_refused(&f, "more file than memory");
	file_make(&f);
	f.ph[0].vaddr = VA_MIN - PG;
	expect_refused(&f, "outside the address range");
	file_make(&f);
	f.ph[2].vaddr = VA_MAX - PG;
	expect_refused(&f, "outside the address range");
	file_make(&f);
	f.ph[2].memsz = UINT64_MAX - 100;
	expect_refused(&f, "larger than the address range");
	file_make(&f);
	f.ph[2].vaddr = UINT64_MAX & ~(uint64_t)(PG - 1);
	expect_refused(&f, "outside the address range");
	file_make(&f);
	f.ph[2].offset = 8 * PG;
	expect_refused(&f, "outside the file");
	file_make(&f);
	f.ph[2].filesz = UINT64_MAX - PG;
	f.ph[2].memsz = UINT64_MAX - PG;
	expect_refused(&f, "larger than the address range");
	file_make(&f);
	f.ph[2].filesz = 3 * PG; /* from offset 3 pages: one past the file */
	expect_refused(&f, "outside the file");
	file_make(&f);
	f.ph[2].flags = 7;
	expect_refused(&f, "writable and executable");
	file_make(&f);
	f.ph[1].memsz = 2 * PG; /* read-only with zero fill */
	expect_refused(&f, "not entirely in the file");
	file_make(&f);
	f.ph[1].vaddr = VA_MIN; /* on top of text */
	expect_refused(&f, "overlap");
	file_make(&f);
	f.ph[2].vaddr = VA_MIN + PG; /* rodata's page */
	expect_refused(&f, "overlap");
	file_make(&f);
	f.eh->phnum = 5;
	f.ph[3] = (struct elf64_phdr){1, 4, 4 * PG, VA_MIN + 5 * PG, 0, 16, 16, PG};
	f.ph[4] = (struct elf64_phdr){1, 4, 4 * PG, VA_MIN + 6 * PG, 0, 16, 16, PG};
	expect_refused(&f, "too many loadable segments");
}

/* The real program: what the build links and the image carries. */
static void compartment_program_is_accepted(void **state)
{
	static uint8_t image[4 << 20];
	struct user_elf out;
	const char *why = NULL;
	FILE *fp = fopen("build/x86_64/tpm_compartment.elf.stripped", "rb");
	size_t len;

	(void)state;
	assert_non_null(fp);
	len = fread(image, 1, sizeof(image), fp);
	fclose(fp);
	assert_true(len > 0 && len < sizeof(image));
	if (user_elf_parse(image, len, TPM_IMAGE_VA, TPM_IMAGE_VA + TPM_IMAGE_MAX, &out, &why) != 0) {
		fail_msg("refused: %s", why);
	}
	assert_int_equal(out.entry, TPM_IMAGE_VA);
	assert_int_equal(out.count, 3);
	assert_int_equal(out.segment[0].flags, MMU_READ | MMU_EXEC);
	assert_int_equal(out.segment[2].flags, MMU_READ | MMU_WRITE);
	/* One byte short: a read-only segment's last page is no longer whole. */
	assert_int_not_equal(user_elf_parse(image, out.segment[1].offset + out.segment[1].memsz - 1,
					    TPM_IMAGE_VA, TPM_IMAGE_VA + TPM_IMAGE_MAX, &out, &why),
			     0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_file_is_accepted),
		cmocka_unit_test(broken_headers_are_refused),
		cmocka_unit_test(broken_segments_are_refused),
		cmocka_unit_test(compartment_program_is_accepted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
