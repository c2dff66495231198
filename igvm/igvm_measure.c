/* Launch measurement of a validated IGVM file; see igvm_measure.h and the
 * algorithms in docs/igvm.md.  Both walk the directive records that apply
 * to the mask in file order and skip shared pages.  Structures are copied
 * into the hashed buffers field by field from igvm_defs.h; both targets are
 * little-endian, as the format is. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

#include "igvm_measure.h"

static const uint8_t zero_page[IGVM_PAGE_SIZE];

static int measure_error(struct igvm_error *err, const struct igvm_record *rec, const char *fmt, ...)
{
	va_list ap;
	int n;

	err->record = rec ? (int)rec->index : -1;
	err->offset = rec ? rec->offset : 0;
	if (rec) {
		n = snprintf(err->message, sizeof(err->message), "record %u (%s) at 0x%x: ", rec->index,
			     igvm_type_name(rec->type), rec->offset);
	} else {
		n = snprintf(err->message, sizeof(err->message), "measurement: ");
	}
	if (n < 0 || (size_t)n >= sizeof(err->message)) {
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(err->message + n, sizeof(err->message) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* The mask must name declared platforms only, and at least one. */
static int check_measure_mask(const struct igvm_file *f, uint32_t mask, struct igvm_error *err)
{
	uint32_t all = 0;

	for (unsigned int i = 0; i < f->platform_count; i++) {
		all |= f->platforms[i].mask;
	}
	if (mask == 0 || (mask & ~all) != 0) {
		return measure_error(err, NULL, "mask 0x%x does not name declared platforms (0x%x)", mask, all);
	}
	return 0;
}

static uint8_t record_platform_type(const struct igvm_file *f, uint32_t mask)
{
	for (unsigned int i = 0; i < f->platform_count; i++) {
		if (f->platforms[i].mask & mask) {
			return f->platforms[i].type;
		}
	}
	return 0xff;
}

/* The size of a parameter area, from its declaration (the reader has
 * checked that it precedes every insert). */
static uint64_t area_size(const struct igvm_file *f, uint32_t index)
{
	struct igvm_record rec;
	uint64_t cursor = 0;

	while (igvm_record_next(f, &cursor, &rec)) {
		struct igvm_vhs_parameter_area pa;

		if (rec.type != IGVM_VHT_PARAMETER_AREA) {
			continue;
		}
		memcpy(&pa, rec.body, sizeof(pa));
		if (pa.parameter_area_index == index) {
			return pa.number_of_bytes;
		}
	}
	return 0;
}

/* --- VBS boot digest --------------------------------------------------------
 * D0 = 32 zero bytes; for every chunk, D = SHA-256(D || chunk).  A page chunk
 * is a 32-byte header followed by the page's 4096 bytes (zeros when it is
 * unmeasured); a register chunk is 48 bytes. */

static void vbs_extend(uint8_t digest[32], const void *chunk, size_t chunk_len, const uint8_t *page)
{
	mbedtls_sha256_context ctx;

	mbedtls_sha256_init(&ctx);
	mbedtls_sha256_starts_ret(&ctx, 0);
	mbedtls_sha256_update_ret(&ctx, digest, 32);
	mbedtls_sha256_update_ret(&ctx, chunk, chunk_len);
	if (page) {
		mbedtls_sha256_update_ret(&ctx, page, IGVM_PAGE_SIZE);
	}
	mbedtls_sha256_finish_ret(&ctx, digest);
	mbedtls_sha256_free(&ctx);
}

static void vbs_page(uint8_t digest[32], uint64_t gpa, uint64_t metadata, const uint8_t *data)
{
	struct igvm_vbs_page_chunk c;

	memset(&c, 0, sizeof(c));
	c.header.byte_count = sizeof(c) + IGVM_PAGE_SIZE;
	c.header.chunk_type = IGVM_VBS_CHUNK_VP_GPA_PAGE;
	c.metadata = metadata;
	c.page_number = gpa / IGVM_PAGE_SIZE;
	vbs_extend(digest, &c, sizeof(c), (metadata & IGVM_VBS_DATA_UNMEASURED) || !data ? zero_page : data);
}

static int vbs_pages(const struct igvm_file *f, uint32_t mask, uint8_t digest[32], struct igvm_error *err)
{
	struct igvm_record rec;
	uint64_t cursor = 0;

	while (igvm_record_next(f, &cursor, &rec)) {
		if (!igvm_record_applies(&rec, mask)) {
			continue;
		}
		if (rec.type == IGVM_VHT_PAGE_DATA) {
			struct igvm_vhs_page_data pd;
			size_t len;
			const uint8_t *data = igvm_record_data(f, &rec, &len);

			memcpy(&pd, rec.body, sizeof(pd));
			if (pd.flags & IGVM_PAGE_FLAG_SHARED) {
				continue;
			}
			if (pd.data_type != IGVM_PAGE_DATA_NORMAL) {
				return measure_error(err, &rec, "VBS cannot measure page data type %u at GPA 0x%llx",
						     pd.data_type, (unsigned long long)pd.gpa);
			}
			/* Loaded pages are accepted with no extra permissions. */
			vbs_page(digest, pd.gpa, (pd.flags & IGVM_PAGE_FLAG_UNMEASURED) ? IGVM_VBS_DATA_UNMEASURED : 0,
				 data);
		} else if (rec.type == IGVM_VHT_PARAMETER_INSERT) {
			struct igvm_vhs_parameter_insert pi;
			uint64_t size;

			memcpy(&pi, rec.body, sizeof(pi));
			size = area_size(f, pi.parameter_area_index);
			for (uint64_t off = 0; off < size; off += IGVM_PAGE_SIZE) {
				vbs_page(digest, pi.gpa + off, IGVM_VBS_DATA_UNMEASURED, NULL);
			}
		}
	}
	return 0;
}

/* Registers of every VBS VP context, after all pages.  A NATIVE or SNP
 * context has no register-list form, so it does not enter a VBS digest. */
static void vbs_registers(const struct igvm_file *f, uint32_t mask, uint8_t digest[32])
{
	struct igvm_record rec;
	uint64_t cursor = 0;

	while (igvm_record_next(f, &cursor, &rec)) {
		struct igvm_vhs_vp_context vp;
		struct igvm_vbs_vp_context_header h;
		const uint8_t *data;
		size_t len;

		if (rec.type != IGVM_VHT_VP_CONTEXT || !igvm_record_applies(&rec, mask)) {
			continue;
		}
		memcpy(&vp, rec.body, sizeof(vp));
		if (record_platform_type(f, vp.compatibility_mask & mask) != IGVM_PLATFORM_VSM_ISOLATION) {
			continue;
		}
		data = igvm_record_data(f, &rec, &len);
		memcpy(&h, data, sizeof(h));
		for (uint32_t i = 0; i < h.register_count; i++) {
			struct igvm_vbs_vp_context_register r;
			struct igvm_vbs_register_chunk c;

			memcpy(&r, data + sizeof(h) + (size_t)i * sizeof(r), sizeof(r));
			memset(&c, 0, sizeof(c));
			c.header.byte_count = sizeof(c);
			c.header.chunk_type = IGVM_VBS_CHUNK_VP_REGISTER;
			c.vtl = r.vtl;
			c.register_name = r.register_name;
			memcpy(c.value, r.value, sizeof(c.value));
			vbs_extend(digest, &c, sizeof(c), NULL);
		}
	}
}

int igvm_measure_vbs(const struct igvm_file *f, uint32_t mask, uint8_t digest[32], struct igvm_error *err)
{
	memset(digest, 0, 32);
	if (check_measure_mask(f, mask, err) || vbs_pages(f, mask, digest, err)) {
		return -1;
	}
	vbs_registers(f, mask, digest);
	return 0;
}

/* --- SEV-SNP launch digest ----------------------------------------------------
 * LD0 = 48 zero bytes; for every page, LD = SHA-384(PAGE_INFO), where
 * PAGE_INFO holds the previous LD, the SHA-384 of the page (NORMAL and VMSA;
 * zeros for the other types), the page type and the GPA. */

static void sha384(const uint8_t *data, size_t len, uint8_t out[48])
{
	uint8_t full[64]; /* mbedtls declares a 64-byte output even for SHA-384 */

	mbedtls_sha512_ret(data, len, full, 1);
	memcpy(out, full, 48);
}

static void snp_page(uint8_t ld[48], uint64_t gpa, uint8_t page_type, const uint8_t *page)
{
	struct igvm_snp_page_info info;

	memset(&info, 0, sizeof(info));
	memcpy(info.digest_cur, ld, sizeof(info.digest_cur));
	if (page_type == IGVM_SNP_PAGE_NORMAL || page_type == IGVM_SNP_PAGE_VMSA) {
		sha384(page ? page : zero_page, IGVM_PAGE_SIZE, info.contents);
	}
	info.length = sizeof(info);
	info.page_type = page_type;
	info.gpa = gpa;
	sha384((const uint8_t *)&info, sizeof(info), ld);
}

static uint8_t snp_page_type(const struct igvm_vhs_page_data *pd)
{
	if (pd->data_type == IGVM_PAGE_DATA_SECRETS) {
		return IGVM_SNP_PAGE_SECRETS;
	}
	if (pd->data_type == IGVM_PAGE_DATA_CPUID_DATA || pd->data_type == IGVM_PAGE_DATA_CPUID_XF) {
		return IGVM_SNP_PAGE_CPUID;
	}
	if (pd->flags & IGVM_PAGE_FLAG_UNMEASURED) {
		return IGVM_SNP_PAGE_UNMEASURED;
	}
	return IGVM_SNP_PAGE_NORMAL;
}

int igvm_measure_snp(const struct igvm_file *f, uint32_t mask, uint8_t digest[48], struct igvm_error *err)
{
	struct igvm_record rec;
	uint64_t cursor = 0;

	memset(digest, 0, 48);
	if (check_measure_mask(f, mask, err)) {
		return -1;
	}
	while (igvm_record_next(f, &cursor, &rec)) {
		if (!igvm_record_applies(&rec, mask)) {
			continue;
		}
		if (rec.type == IGVM_VHT_PAGE_DATA) {
			struct igvm_vhs_page_data pd;
			size_t len;
			const uint8_t *data = igvm_record_data(f, &rec, &len);

			memcpy(&pd, rec.body, sizeof(pd));
			if (!(pd.flags & IGVM_PAGE_FLAG_SHARED)) {
				snp_page(digest, pd.gpa, snp_page_type(&pd), data);
			}
		} else if (rec.type == IGVM_VHT_PARAMETER_INSERT) {
			struct igvm_vhs_parameter_insert pi;
			uint64_t size;

			memcpy(&pi, rec.body, sizeof(pi));
			size = area_size(f, pi.parameter_area_index);
			for (uint64_t off = 0; off < size; off += IGVM_PAGE_SIZE) {
				snp_page(digest, pi.gpa + off, IGVM_SNP_PAGE_UNMEASURED, NULL);
			}
		} else if (rec.type == IGVM_VHT_VP_CONTEXT) {
			struct igvm_vhs_vp_context vp;
			uint8_t vmsa[IGVM_PAGE_SIZE];
			size_t len;
			const uint8_t *data = igvm_record_data(f, &rec, &len);

			memcpy(&vp, rec.body, sizeof(vp));
			if (len > sizeof(vmsa)) {
				return measure_error(err, &rec, "VP context of %zu bytes does not fit a VMSA page", len);
			}
			/* The context, zero-padded to a page, is the VMSA. */
			memset(vmsa, 0, sizeof(vmsa));
			memcpy(vmsa, data, len);
			snp_page(digest, vp.gpa, IGVM_SNP_PAGE_VMSA, vmsa);
		}
	}
	return 0;
}
