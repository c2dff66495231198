/* drivers/flash/cfi_flash.c: the probe's check of the query data
 * (cfi_query_parse()), on the build host.  QEMU's tables must give the
 * geometry the machines have; tables that do not add up must be refused.
 * The driver's I/O is tested in the image against QEMU's pflash
 * (tests/image/test_tpm_nv.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <drivers/cfi_flash.h>

#include "cfi_qemu_table.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

static int parse(const uint8_t t[CFI_QUERY_END], unsigned width, unsigned chips, uint64_t window,
		 struct cfi_flash *f)
{
	uint32_t words[CFI_QUERY_END];

	cfi_table_words(words, t, width, chips);
	memset(f, 0, sizeof(*f));
	f->bank_width = (uint8_t)width;
	return cfi_query_parse(f, words, window);
}

static void cfi_query_qemu_banks_are_accepted(void **state)
{
	uint8_t t[CFI_QUERY_END];
	struct cfi_flash f;

	(void)state;
	/* q35: one x8 chip of 1 MiB in 4 KiB blocks, a 256-byte buffer. */
	cfi_qemu_table(t, 20, 4 * KIB, 8);
	assert_int_equal(parse(t, 1, 1, 1 * MIB, &f), 0);
	assert_int_equal(f.chips, 1);
	assert_int_equal(f.size, 1 * MIB);
	assert_int_equal(f.erase_block, 4 * KIB);
	assert_int_equal(f.write_buffer, 256);
	/* virt: two x16 chips of 32 MiB on a 32-bit bus, 128 KiB blocks and
	 * 2 KiB buffers each. */
	cfi_qemu_table(t, 25, 128 * KIB, 11);
	assert_int_equal(parse(t, 4, 2, 64 * MIB, &f), 0);
	assert_int_equal(f.chips, 2);
	assert_int_equal(f.size, 64 * MIB);
	assert_int_equal(f.erase_block, 256 * KIB);
	assert_int_equal(f.write_buffer, 4 * KIB);
	assert_true(f.erase_timeout_ns >= 1000000000ull);
}

/* Found by fuzz_cfi_query: a buffered program goes to one block, so a
 * write buffer larger than a block cannot be used as the driver would. */
static void cfi_query_write_buffer_over_block_is_refused(void **state)
{
	uint8_t t[CFI_QUERY_END];
	struct cfi_flash f;

	(void)state;
	cfi_qemu_table(t, 20, 4 * KIB, 13);
	assert_int_equal(parse(t, 1, 1, 1 * MIB, &f), -ENOTSUP);
	cfi_qemu_table(t, 20, 4 * KIB, 12); /* exactly a block */
	assert_int_equal(parse(t, 1, 1, 1 * MIB, &f), 0);
	assert_int_equal(f.write_buffer, f.erase_block);
	cfi_qemu_table(t, 16, 256, 16); /* x16: 64 KiB buffers, 256-byte blocks */
	assert_int_equal(parse(t, 2, 1, 64 * KIB, &f), -ENOTSUP);
	cfi_qemu_table(t, 16, 256, 0); /* no write buffer */
	assert_int_equal(parse(t, 2, 1, 64 * KIB, &f), 0);
	assert_int_equal(f.write_buffer, 0);
}

/* The probe unmaps [base + size, base + window), which must start on a
 * page: a bank of less than a page was accepted and that unmap refused. */
static void cfi_query_bank_under_a_page_is_refused(void **state)
{
	uint8_t t[CFI_QUERY_END];
	struct cfi_flash f;

	(void)state;
	cfi_qemu_table(t, 11, 256, 8); /* 2 KiB */
	assert_int_equal(parse(t, 1, 1, 4 * KIB, &f), -ENOTSUP);
	assert_int_equal(parse(t, 4, 2, 4 * KIB, &f), 0); /* two of them: a page */
	assert_int_equal(f.size, 4 * KIB);
}

static void cfi_query_what_does_not_add_up_is_refused(void **state)
{
	uint8_t t[CFI_QUERY_END];
	uint32_t words[CFI_QUERY_END];
	struct cfi_flash f;

	(void)state;
	cfi_qemu_table(t, 20, 4 * KIB, 8);
	t[CFI_DEVICE_SIZE] = 21; /* 256 blocks of 4 KiB are not 2 MiB */
	assert_int_equal(parse(t, 1, 1, 4 * MIB, &f), -ENOTSUP);
	cfi_qemu_table(t, 20, 4 * KIB, 8);
	assert_int_equal(parse(t, 1, 1, 512 * KIB, &f), -ENOTSUP); /* over the window */
	t[CFI_ERASE_REGIONS] = 2;
	assert_int_equal(parse(t, 1, 1, 1 * MIB, &f), -ENOTSUP);
	cfi_qemu_table(t, 20, 4 * KIB, 8);
	t[CFI_PRIMARY_CMDSET] = 0x02; /* AMD/Fujitsu */
	assert_int_equal(parse(t, 1, 1, 1 * MIB, &f), -ENOTSUP);
	cfi_qemu_table(t, 20, 4 * KIB, 8);
	t[CFI_REGION1_BLOCK_SIZE] = 0x18; /* 6 KiB: not a power of two */
	assert_int_equal(parse(t, 1, 1, 1 * MIB, &f), -ENOTSUP);

	/* Two chips that disagree in one word. */
	cfi_qemu_table(t, 25, 128 * KIB, 11);
	cfi_table_words(words, t, 4, 2);
	words[CFI_DEVICE_SIZE] ^= 1u << 16;
	memset(&f, 0, sizeof(f));
	f.bank_width = 4;
	assert_int_equal(cfi_query_parse(&f, words, 64 * MIB), -ENOTSUP);
	/* No "QRY" in any layout: nothing answers. */
	cfi_table_words(words, t, 4, 2);
	words[CFI_QRY + 2] = 0;
	memset(&f, 0, sizeof(f));
	f.bank_width = 4;
	assert_int_equal(cfi_query_parse(&f, words, 64 * MIB), -ENODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cfi_query_qemu_banks_are_accepted),
		cmocka_unit_test(cfi_query_write_buffer_over_block_is_refused),
		cmocka_unit_test(cfi_query_bank_under_a_page_is_refused),
		cmocka_unit_test(cfi_query_what_does_not_add_up_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
