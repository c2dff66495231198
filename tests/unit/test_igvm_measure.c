/* Launch measurement against known answers computed independently: the
 * files below are built here with the test builder and, from the format's
 * description alone, by tests/unit/igvm_measure_vectors.py, whose output
 * (Python's hashlib) is pasted in.  The SHA-256 of each whole file is
 * compared first, so both sides are known to measure the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/sha256.h>

#include "igvm_builder.h"
#include "igvm_measure.h"

/* Printed by tests/unit/igvm_measure_vectors.py. */
#define VBS_FILE_SHA256 "06c6ec369b4acea1a53e3f282ef71418d3d592c8ae0c85112e172c77d754da77"
#define VBS_VBS_VSM "f3e3f8a1f6d9d76c9b7a5f4aed1c4533be1eaeef32e2aea80a9d85229b818a11"
#define VBS_VBS_NATIVE "fa8c1bf94d68b945294ca05b15aa20401e9977b09b05e432add0cdcdf381826c"
#define VBS_SNP_VSM \
	"7baf8d04c47028470645a0fbd44efd0592230fd7466f7e5a319140a0ca6c9150406947baa91e85867ddcfaa8668ad248"
#define VBS_SNP_NATIVE \
	"11bbdf945aed404f11317610a2cee20303f69ca94862ba390b72f72076dc4979cca5e89beb9d9c1ff2c85120a84699ff"
#define SNP_FILE_SHA256 "84aeb37c4e2ad9dc45d6c84af9cc948c711869a4039b256216380d435df6e631"
#define SNP_SNP_SNP \
	"4c53e6a9b1fde837a5dbc750be98d34d3b8eb1fbd04a8066be65ead7018c3b8dc82f1dae1556b5d710df04ee8712ebcb"
#define SNP_SNP_NATIVE \
	"1caa0789a918c9062454750359977cd387bdbaad12f47396c38d2a20dd780939049c621fbcba59ebb3493ce38cd32999"
#define SNP_VBS_NATIVE "55f0f0d190dba4f0530722afbd284ad1a3e99c882794700e53c7ae1427fafad9"

struct fixture {
	struct igvm_builder b;
	struct igvm_file f;
};

static void hex(const uint8_t *bytes, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++) {
		sprintf(out + 2 * i, "%02x", bytes[i]);
	}
}

static void parse(struct fixture *x)
{
	struct igvm_error err;
	int rc;

	ib_finish(&x->b);
	rc = igvm_parse(x->b.file, x->b.size, IGVM_ARCH_X86_64, &x->f, &err);
	if (rc != 0) {
		print_error("parse: %s\n", err.message);
	}
	assert_int_equal(rc, 0);
}

static void expect_file_sha256(const struct fixture *x, const char *expected)
{
	uint8_t d[32];
	char h[65];

	mbedtls_sha256_ret(x->b.file, x->b.size, d, 0);
	hex(d, sizeof(d), h);
	assert_string_equal(h, expected);
}

static void expect_vbs(const struct fixture *x, uint32_t mask, const char *expected)
{
	struct igvm_error err;
	uint8_t d[32];
	char h[65];

	assert_int_equal(igvm_measure_vbs(&x->f, mask, d, &err), 0);
	hex(d, sizeof(d), h);
	assert_string_equal(h, expected);
}

static void expect_snp(const struct fixture *x, uint32_t mask, const char *expected)
{
	struct igvm_error err;
	uint8_t d[48];
	char h[97];

	assert_int_equal(igvm_measure_snp(&x->f, mask, d, &err), 0);
	hex(d, sizeof(d), h);
	assert_string_equal(h, expected);
}

/* The vectors' files; each record as in igvm_measure_vectors.py. */
static struct fixture *vector_vbs(void)
{
	struct fixture *x = calloc(1, sizeof(*x));
	struct igvm_builder *b = &x->b;
	const struct ib_vbs_reg regs[] = {
		{ 2, HV_X64_REGISTER_RIP, 0x100000, 0 },
		{ 2, HV_X64_REGISTER_RSP, 0x101ff0, 0 },
		{ 2, HV_X64_REGISTER_CR0, 0x80010033, 0 },
	};
	int p[5], vbs, native;

	assert_non_null(x);
	ib_init(b);
	for (int i = 0; i < 5; i++) {
		p[i] = ib_blob_page(b, (uint32_t)i + 1);
	}
	vbs = ib_blob_vbs(b, regs, 3);
	native = ib_blob_native_x64(b, 0x100000, 0x101ff0);
	ib_platform(b, 1, IGVM_PLATFORM_NATIVE, 0);
	ib_platform(b, 2, IGVM_PLATFORM_VSM_ISOLATION, 2);
	ib_area(b, 0, 2 * IGVM_PAGE_SIZE, IB_NO_BLOB);
	ib_param(b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
	ib_page(b, 0x100000, 3, 0, IGVM_PAGE_DATA_NORMAL, p[0]);
	ib_page(b, 0x101000, 3, 0, IGVM_PAGE_DATA_NORMAL, IB_NO_BLOB);
	ib_page(b, 0x102000, 2, IGVM_PAGE_FLAG_UNMEASURED, IGVM_PAGE_DATA_NORMAL, p[1]);
	ib_page(b, 0x103000, 3, IGVM_PAGE_FLAG_SHARED, IGVM_PAGE_DATA_NORMAL, p[2]);
	ib_page(b, 0x104000, 1, 0, IGVM_PAGE_DATA_NORMAL, p[3]);
	ib_insert(b, 0x110000, 3, 0);
	ib_vp_context(b, 0, 2, 0, vbs);
	ib_vp_context(b, 0, 1, 0, native);
	ib_page(b, 0x105000, 3, 0, IGVM_PAGE_DATA_NORMAL, p[4]);
	parse(x);
	return x;
}

static struct fixture *vector_snp(void)
{
	struct fixture *x = calloc(1, sizeof(*x));
	struct igvm_builder *b = &x->b;
	struct igvm_vhs_guest_policy policy = { .policy = 0x30000, .compatibility_mask = 1 };
	int p[4], vmsa, native;

	assert_non_null(x);
	ib_init(b);
	for (int i = 0; i < 4; i++) {
		p[i] = ib_blob_page(b, (uint32_t)i + 11);
	}
	vmsa = ib_blob_page(b, 15);
	native = ib_blob_native_x64(b, 0x800000, 0x801000);
	ib_platform(b, 1, IGVM_PLATFORM_SEV_SNP, 0);
	ib_platform(b, 2, IGVM_PLATFORM_NATIVE, 0);
	ib_record(b, IGVM_VHT_GUEST_POLICY, &policy, sizeof(policy));
	ib_area(b, 5, IGVM_PAGE_SIZE, IB_NO_BLOB);
	ib_param(b, IGVM_VHT_MEMORY_MAP, 5, 0);
	ib_page(b, 0x800000, 3, 0, IGVM_PAGE_DATA_NORMAL, p[0]);
	ib_page(b, 0x801000, 1, 0, IGVM_PAGE_DATA_SECRETS, IB_NO_BLOB);
	ib_page(b, 0x802000, 1, 0, IGVM_PAGE_DATA_CPUID_DATA, p[1]);
	ib_page(b, 0x803000, 1, IGVM_PAGE_FLAG_UNMEASURED, IGVM_PAGE_DATA_NORMAL, p[2]);
	ib_page(b, 0x804000, 3, IGVM_PAGE_FLAG_SHARED, IGVM_PAGE_DATA_NORMAL, p[3]);
	ib_page(b, 0x805000, 3, 0, IGVM_PAGE_DATA_NORMAL, IB_NO_BLOB);
	ib_insert(b, 0x900000, 3, 5);
	ib_vp_context(b, 0xfff000, 1, 0, vmsa);
	ib_vp_context(b, 0, 2, 0, native);
	ib_page(b, 0x806000, 1, 0, IGVM_PAGE_DATA_CPUID_XF, IB_NO_BLOB);
	parse(x);
	return x;
}

static void done(struct fixture *x)
{
	ib_free(&x->b);
	free(x);
}

static void measure_vbs_vector_matches_independent_digests(void **state)
{
	struct fixture *x = vector_vbs();

	(void)state;
	expect_file_sha256(x, VBS_FILE_SHA256);
	expect_vbs(x, 2, VBS_VBS_VSM);
	expect_vbs(x, 1, VBS_VBS_NATIVE);
	done(x);
}

static void measure_snp_of_vbs_vector_matches_independent_digests(void **state)
{
	struct fixture *x = vector_vbs();

	(void)state;
	expect_snp(x, 2, VBS_SNP_VSM);
	expect_snp(x, 1, VBS_SNP_NATIVE);
	done(x);
}

static void measure_snp_vector_matches_independent_digests(void **state)
{
	struct fixture *x = vector_snp();

	(void)state;
	expect_file_sha256(x, SNP_FILE_SHA256);
	expect_snp(x, 1, SNP_SNP_SNP);
	expect_snp(x, 2, SNP_SNP_NATIVE);
	expect_vbs(x, 2, SNP_VBS_NATIVE);
	done(x);
}

static void measure_vbs_refuses_snp_only_page_types(void **state)
{
	struct fixture *x = vector_snp();
	struct igvm_error err;
	uint8_t d[32];

	(void)state;
	assert_int_equal(igvm_measure_vbs(&x->f, 1, d, &err), -1);
	assert_non_null(strstr(err.message, "VBS cannot measure page data type 1 at GPA 0x801000"));
	assert_int_equal(err.record, 6);
	assert_int_equal(err.offset, x->b.record_offset[6]);
	done(x);
}

static void measure_refuses_undeclared_masks(void **state)
{
	struct fixture *x = vector_vbs();
	struct igvm_error err;
	uint8_t d[48];

	(void)state;
	assert_int_equal(igvm_measure_vbs(&x->f, 0, d, &err), -1);
	assert_non_null(strstr(err.message, "mask 0x0 does not name declared platforms"));
	assert_int_equal(igvm_measure_snp(&x->f, 0x4, d, &err), -1);
	assert_non_null(strstr(err.message, "mask 0x4 does not name declared platforms (0x3)"));
	done(x);
}

/* Unmeasured and shared bytes may change without changing a digest;
 * measured bytes may not. */
static void measure_covers_exactly_the_measured_bytes(void **state)
{
	struct fixture *x = vector_vbs();
	uint8_t vbs_before[32], snp_before[48], vbs_after[32], snp_after[48];
	struct igvm_error err;
	struct igvm_builder *b = &x->b;
	uint32_t unmeasured = b->blob_offset[b->records[6].blob];
	uint32_t shared = b->blob_offset[b->records[7].blob];
	uint32_t measured = b->blob_offset[b->records[4].blob];

	(void)state;
	assert_int_equal(igvm_measure_vbs(&x->f, 2, vbs_before, &err), 0);
	assert_int_equal(igvm_measure_snp(&x->f, 2, snp_before, &err), 0);
	b->file[unmeasured + 100] ^= 0xff;
	b->file[shared + 100] ^= 0xff;
	assert_int_equal(igvm_measure_vbs(&x->f, 2, vbs_after, &err), 0);
	assert_int_equal(igvm_measure_snp(&x->f, 2, snp_after, &err), 0);
	assert_memory_equal(vbs_before, vbs_after, sizeof(vbs_after));
	assert_memory_equal(snp_before, snp_after, sizeof(snp_after));
	b->file[measured + 4095] ^= 0x01;
	assert_int_equal(igvm_measure_vbs(&x->f, 2, vbs_after, &err), 0);
	assert_int_equal(igvm_measure_snp(&x->f, 2, snp_after, &err), 0);
	assert_memory_not_equal(vbs_before, vbs_after, sizeof(vbs_after));
	assert_memory_not_equal(snp_before, snp_after, sizeof(snp_after));
	done(x);
}

/* Every VP register enters the VBS digest: changing one changes it. */
static void measure_vbs_covers_vp_registers(void **state)
{
	struct fixture *x = vector_vbs();
	struct igvm_builder *b = &x->b;
	uint8_t before[32], after[32];
	struct igvm_error err;
	uint32_t regs = b->blob_offset[b->records[10].blob];

	(void)state;
	assert_int_equal(igvm_measure_vbs(&x->f, 2, before, &err), 0);
	b->file[regs + 4 + 2 * 32 + 16] ^= 0x01; /* CR0's value */
	assert_int_equal(igvm_measure_vbs(&x->f, 2, after, &err), 0);
	assert_memory_not_equal(before, after, sizeof(after));
	done(x);
}

static void measure_sample_is_deterministic_and_per_platform(void **state)
{
	struct igvm_builder b;
	struct igvm_file f;
	struct igvm_error err;
	uint8_t n1[32], n2[32], v1[32], s1[48], s2[48];

	(void)state;
	ib_init(&b);
	igvm_sample_build(&b, IGVM_ARCH_X86_64);
	ib_finish(&b);
	assert_int_equal(igvm_parse(b.file, b.size, IGVM_ARCH_X86_64, &f, &err), 0);
	assert_int_equal(igvm_measure_vbs(&f, SAMPLE_MASK_NATIVE, n1, &err), 0);
	assert_int_equal(igvm_measure_vbs(&f, SAMPLE_MASK_NATIVE, n2, &err), 0);
	assert_int_equal(igvm_measure_vbs(&f, SAMPLE_MASK_VSM, v1, &err), 0);
	assert_int_equal(igvm_measure_snp(&f, SAMPLE_MASK_NATIVE, s1, &err), 0);
	assert_int_equal(igvm_measure_snp(&f, SAMPLE_MASK_VSM, s2, &err), 0);
	assert_memory_equal(n1, n2, sizeof(n1));
	assert_memory_not_equal(n1, v1, sizeof(n1));
	assert_memory_not_equal(s1, s2, sizeof(s1));
	ib_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(measure_vbs_vector_matches_independent_digests),
		cmocka_unit_test(measure_snp_of_vbs_vector_matches_independent_digests),
		cmocka_unit_test(measure_snp_vector_matches_independent_digests),
		cmocka_unit_test(measure_vbs_refuses_snp_only_page_types),
		cmocka_unit_test(measure_refuses_undeclared_masks),
		cmocka_unit_test(measure_covers_exactly_the_measured_bytes),
		cmocka_unit_test(measure_vbs_covers_vp_registers),
		cmocka_unit_test(measure_sample_is_deterministic_and_per_platform),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
