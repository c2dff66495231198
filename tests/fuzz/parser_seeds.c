/* Seed corpora for fuzz_fw_cfg, fuzz_cfi_query and fuzz_user_elf: inputs
 * the parsers accept, in each harness's input format, for the fuzzer to
 * mutate from.
 *
 *   parser_seeds fw_cfg DIR     QEMU-like file directories
 *   parser_seeds cfi DIR        QEMU pflash_cfi01 query tables (q35, virt, ...)
 *   parser_seeds user_elf DIR   small static executables */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cfi_qemu_table.h"

#define PG 4096u

struct seed {
	uint8_t b[8192];
	size_t len;
};

static int seed_write(const char *dir, const char *name, const struct seed *s)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (!fp || fwrite(s->b, 1, s->len, fp) != s->len || fclose(fp) != 0) {
		fprintf(stderr, "parser_seeds: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

static void put_be(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++) {
		p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
	}
}

/* ---- fw_cfg: lookup byte, signature, directory ---- */

/* q35's directory (sorted, as QEMU keeps it), with the vTPM's secret
 * secret_size bytes long, or left out when secret_size is 0. */
static void fw_cfg_seed(struct seed *s, uint8_t lookup, uint32_t secret_size)
{
	static const char *const files[] = {
		"bios-geometry",	"bootorder",	      "etc/acpi/rsdp",
		"etc/acpi/tables",	"etc/boot-fail-wait", "etc/e820",
		"etc/smbios/smbios-anchor", "etc/smbios/smbios-tables", "etc/table-loader",
		"opt/hillock/tpm-seal-key",
	};
	uint32_t count = 0;

	memset(s, 0, sizeof(*s));
	s->b[0] = lookup;
	memcpy(s->b + 1, "QEMU", 4);
	for (uint32_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		uint8_t *e = s->b + 9 + count * 64;
		int secret = strcmp(files[i], "opt/hillock/tpm-seal-key") == 0;

		if (secret && secret_size == 0) {
			continue;
		}
		put_be(e, secret ? secret_size : 100 + 20 * i, 4);
		put_be(e + 4, 0x20 + i, 2);
		strcpy((char *)e + 8, files[i]);
		count++;
	}
	put_be(s->b + 5, count, 4);
	s->len = 9 + count * 64;
}

static int fw_cfg_seeds(const char *dir)
{
	struct seed s;
	int rc = 0;

	fw_cfg_seed(&s, 0, 32);
	rc |= seed_write(dir, "secret", &s);
	fw_cfg_seed(&s, 0, 16);
	rc |= seed_write(dir, "secret-too-short", &s);
	fw_cfg_seed(&s, 0, 0);
	rc |= seed_write(dir, "no-secret", &s);
	fw_cfg_seed(&s, 2 << 1 | 1, 32); /* entry 2's name */
	rc |= seed_write(dir, "by-entry", &s);
	return rc;
}

/* ---- CFI: width, window, query words ---- */

/* QEMU's pflash_cfi01 table for chips chips of 2^size_log2 bytes in blocks
 * of block bytes, on a width-byte bus; window_byte as the harness reads it. */
static void cfi_seed(struct seed *s, unsigned width, unsigned chips, unsigned size_log2,
		     uint32_t block, uint8_t window_byte)
{
	uint8_t t[CFI_QUERY_END];
	uint32_t words[CFI_QUERY_END];

	/* QEMU's write buffer: 256 bytes on an 8-bit bus, 2 KiB otherwise. */
	cfi_qemu_table(t, size_log2, block, width == 1 ? 8 : 11);
	cfi_table_words(words, t, width, chips);
	memset(s, 0, sizeof(*s));
	s->b[0] = width == 1 ? 0 : width == 2 ? 1 : 2;
	s->b[1] = window_byte;
	for (unsigned i = 0; i < CFI_QUERY_END; i++) {
		put_le(s->b + 2 + i * width, words[i], width);
	}
	s->len = 2 + CFI_QUERY_END * width;
}

static int cfi_seeds(const char *dir)
{
	struct seed s;
	int rc = 0;

	/* q35's NV bank: 1 MiB, one x8 chip, 4 KiB blocks; window 1 MiB. */
	cfi_seed(&s, 1, 1, 20, 4096, 8);
	rc |= seed_write(dir, "q35", &s);
	/* virt's: 64 MiB, two x16 chips on a 32-bit bus, 256 KiB blocks. */
	cfi_seed(&s, 4, 2, 25, 128 * 1024, 14);
	rc |= seed_write(dir, "virt", &s);
	/* One x16 chip of 2 MiB; four x8 chips of 256 KiB. */
	cfi_seed(&s, 2, 1, 21, 64 * 1024, 9);
	rc |= seed_write(dir, "x16", &s);
	cfi_seed(&s, 4, 4, 18, 4096, 8);
	rc |= seed_write(dir, "4x8", &s);
	return rc;
}

/* ---- user ELF: range byte, file ---- */

static void elf_phdr(uint8_t *p, uint32_t type, uint32_t flags, uint64_t offset, uint64_t va,
		     uint64_t filesz, uint64_t memsz)
{
	put_le(p, type, 4);
	put_le(p + 4, flags, 4);
	put_le(p + 8, offset, 8);
	put_le(p + 16, va, 8);
	put_le(p + 24, va, 8);
	put_le(p + 32, filesz, 8);
	put_le(p + 40, memsz, 8);
	put_le(p + 48, PG, 8);
}

/* A 512-byte x86_64 executable at va: text (R X) and rodata (R) mapped from
 * the file's first page, data (R W) with bss, and a TLS header to skip. */
static void elf_seed(struct seed *s, uint8_t range, uint64_t va)
{
	uint8_t *eh;

	memset(s, 0, sizeof(*s));
	s->b[0] = range;
	eh = s->b + 1;
	memcpy(eh, "\177ELF\2\1\1", 7);
	put_le(eh + 16, 2, 2);	/* ET_EXEC */
	put_le(eh + 18, 62, 2); /* EM_X86_64 */
	put_le(eh + 20, 1, 4);
	put_le(eh + 24, va + 0x100, 8);
	put_le(eh + 32, 64, 8);
	put_le(eh + 52, 64, 2);
	put_le(eh + 54, 56, 2);
	put_le(eh + 56, 4, 2);
	elf_phdr(eh + 64, 1, 5, 0, va, 512, 512);
	elf_phdr(eh + 64 + 56, 1, 4, 0, va + PG, 256, 256);
	elf_phdr(eh + 64 + 112, 1, 6, 0, va + 2 * PG, 64, 3 * PG);
	elf_phdr(eh + 64 + 168, 7, 4, 64, va + 2 * PG + 64, 0, 64);
	s->len = 1 + 512;
}

static int user_elf_seeds(const char *dir)
{
	struct seed s;
	int rc = 0;

	elf_seed(&s, 0, 0x4000000000ull); /* the compartment's range */
	rc |= seed_write(dir, "compartment-range", &s);
	elf_seed(&s, 1, 0x4000000000ull); /* the whole address space */
	rc |= seed_write(dir, "full-range", &s);
	elf_seed(&s, 3, 0); /* [0, 4096): too small for it */
	rc |= seed_write(dir, "page-range", &s);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "fw_cfg") == 0) {
		return fw_cfg_seeds(argv[2]) != 0;
	}
	if (argc == 3 && strcmp(argv[1], "cfi") == 0) {
		return cfi_seeds(argv[2]) != 0;
	}
	if (argc == 3 && strcmp(argv[1], "user_elf") == 0) {
		return user_elf_seeds(argv[2]) != 0;
	}
	fprintf(stderr, "usage: parser_seeds fw_cfg|cfi|user_elf DIR\n");
	return 2;
}
