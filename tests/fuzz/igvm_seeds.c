/* Seed corpus for fuzz_igvm_reader: valid files the fuzzer can mutate from,
 * built with the unit tests' builder.
 *
 *   igvm_seeds DIR     writes DIR/sample-x86_64.igvm, DIR/sample-aarch64.igvm,
 *                      DIR/minimal.igvm, DIR/snp.igvm */
#include <stdio.h>
#include <string.h>

#include "igvm_builder.h"

static int write_file(const char *dir, const char *name, const struct igvm_builder *b)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (!fp || fwrite(b->file, 1, b->size, fp) != b->size || fclose(fp) != 0) {
		fprintf(stderr, "igvm_seeds: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct igvm_builder b;
	int rc = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: igvm_seeds DIR\n");
		return 2;
	}
	ib_init(&b);
	igvm_sample_build(&b, IGVM_ARCH_X86_64);
	ib_finish(&b);
	rc |= write_file(argv[1], "sample-x86_64.igvm", &b);
	ib_free(&b);

	ib_init(&b);
	igvm_sample_build(&b, IGVM_ARCH_AARCH64);
	ib_finish(&b);
	rc |= write_file(argv[1], "sample-aarch64.igvm", &b);
	ib_free(&b);

	/* Small enough for the fuzzer's default input size limit. */
	ib_init(&b);
	ib_platform(&b, 1, IGVM_PLATFORM_NATIVE, 0);
	ib_platform(&b, 2, IGVM_PLATFORM_VSM_ISOLATION, 2);
	ib_area(&b, 0, IGVM_PAGE_SIZE, IB_NO_BLOB);
	ib_param(&b, IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
	ib_param(&b, IGVM_VHT_COMMAND_LINE, 0, 8);
	ib_page(&b, 0x200000, 3, 0, IGVM_PAGE_DATA_NORMAL, IB_NO_BLOB);
	ib_page(&b, 0x201000, 3, IGVM_PAGE_FLAG_UNMEASURED, IGVM_PAGE_DATA_NORMAL, IB_NO_BLOB);
	ib_insert(&b, 0x300000, 3, 0);
	ib_required(&b, 0x200000, 3, 0x200000, IGVM_REQUIRED_MEMORY_VTL2_PROTECTABLE);
	{
		const struct ib_vbs_reg regs[] = { { 2, HV_X64_REGISTER_RIP, 0x200000, 0 } };

		ib_vp_context(&b, 0, 2, 0, ib_blob_vbs(&b, regs, 1));
	}
	ib_finish(&b);
	rc |= write_file(argv[1], "minimal.igvm", &b);
	ib_free(&b);

	ib_init(&b);
	{
		struct igvm_vhs_guest_policy policy = { .policy = 0x30000, .compatibility_mask = 1 };

		ib_platform(&b, 1, IGVM_PLATFORM_SEV_SNP, 0);
		ib_record(&b, IGVM_VHT_GUEST_POLICY, &policy, sizeof(policy));
		ib_page(&b, 0x800000, 1, 0, IGVM_PAGE_DATA_SECRETS, IB_NO_BLOB);
		ib_page(&b, 0x801000, 1, 0, IGVM_PAGE_DATA_CPUID_DATA, IB_NO_BLOB);
		ib_vp_context(&b, 0x802000, 1, 0, IB_NO_BLOB);
		b.records[b.record_count - 1].blob = ib_blob_page(&b, 3);
		b.records[b.record_count - 1].offset_field = offsetof(struct igvm_vhs_vp_context, file_offset);
	}
	ib_finish(&b);
	rc |= write_file(argv[1], "snp.igvm", &b);
	ib_free(&b);
	return rc ? 1 : 0;
}
