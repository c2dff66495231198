/* Launch measurement of an IGVM file, per platform, as the hardware or
 * hypervisor would compute it when loading that platform's records in file
 * order (shared pages skipped):
 *   - VBS (VSM_ISOLATION): the SHA-256 chain over page chunks, then the VP
 *     context's registers;
 *   - SEV-SNP launch digest: SHA-384 over PAGE_INFO per page.
 * Freestanding like the reader; uses mbedtls. */
#ifndef IGVM_MEASURE_H
#define IGVM_MEASURE_H

#include <stdint.h>

#include "igvm_reader.h"

/* Compute the VBS boot digest over the records that apply to mask.
 * Returns 0, or -1 with err filled (e.g. a page data type VBS cannot
 * measure). */
int igvm_measure_vbs(const struct igvm_file *f, uint32_t mask, uint8_t digest[32],
		     struct igvm_error *err);

/* Compute the SEV-SNP launch digest over the records that apply to mask,
 * treating every VP_CONTEXT's data as a VMSA page at its gpa. */
int igvm_measure_snp(const struct igvm_file *f, uint32_t mask, uint8_t digest[48],
		     struct igvm_error *err);

#endif
