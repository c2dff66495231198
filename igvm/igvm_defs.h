/* The IGVM file format: every on-disk structure Hillock reads or writes.
 *
 * One header for the generator (igvmgen), the reader library, the dump tool,
 * the loader that plays the host under QEMU (igvmload) and the boot shim.
 * Facts from the IGVM format definition (igvm_defs 0.4); see
 * docs/igvm.md for how Hillock uses them.  Everything is little-endian;
 * structures are packed and their sizes asserted.
 *
 * File layout:
 *   fixed header (24 bytes)
 *   variable header: TLV records, each 8-byte aligned, in the order
 *     platform (0x001-0x100), initialization (0x101-0x200),
 *     directive (0x301-0x400)
 *   file data: referenced by absolute file offsets from records
 * The CRC-32 covers the fixed header (checksum field zero) followed by the
 * variable header; file data is not covered. */
#ifndef IGVM_DEFS_H
#define IGVM_DEFS_H

#include <stddef.h>
#include <stdint.h>

#define IGVM_PACKED __attribute__((packed))
#define IGVM_PAGE_SIZE 4096u

/* --- Fixed header -------------------------------------------------------- */

#define IGVM_MAGIC 0x4d564749u /* "IGVM" */
#define IGVM_FORMAT_VERSION_1 1u

struct igvm_fixed_header {
	uint32_t magic;
	uint32_t format_version;
	uint32_t variable_header_offset; /* >= 24, 8-byte aligned */
	uint32_t variable_header_size;
	uint32_t total_file_size; /* equals the file's length */
	uint32_t checksum;	  /* CRC-32, see above */
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_fixed_header) == 24, "IGVM_FIXED_HEADER is 24 bytes");

/* --- Variable-header records -------------------------------------------- */

/* Every record starts with this; length excludes it.  The next record
 * starts at the next multiple of 8; padding is zero. */
struct igvm_vhs_header {
	uint32_t type;
	uint32_t length;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_header) == 8, "IGVM_VHS_VARIABLE_HEADER is 8 bytes");

#define IGVM_VHT_OPTIONAL_BIT (1u << 31) /* unknown types with it may be skipped */
#define IGVM_VHT_TYPE_MASK 0x7fffffffu

#define IGVM_VHT_RANGE_PLATFORM_FIRST 0x001u
#define IGVM_VHT_RANGE_PLATFORM_LAST 0x100u
#define IGVM_VHT_RANGE_INIT_FIRST 0x101u
#define IGVM_VHT_RANGE_INIT_LAST 0x200u
#define IGVM_VHT_RANGE_DIRECTIVE_FIRST 0x301u
#define IGVM_VHT_RANGE_DIRECTIVE_LAST 0x400u

enum igvm_vht {
	IGVM_VHT_SUPPORTED_PLATFORM = 0x001,
	IGVM_VHT_GUEST_POLICY = 0x101,
	IGVM_VHT_RELOCATABLE_REGION = 0x102,
	IGVM_VHT_PAGE_TABLE_RELOCATION_REGION = 0x103,
	IGVM_VHT_PARAMETER_AREA = 0x301,
	IGVM_VHT_PAGE_DATA = 0x302,
	IGVM_VHT_PARAMETER_INSERT = 0x303,
	IGVM_VHT_VP_CONTEXT = 0x304,
	IGVM_VHT_REQUIRED_MEMORY = 0x305,
	IGVM_VHT_VP_COUNT_PARAMETER = 0x307,
	IGVM_VHT_SRAT = 0x308,
	IGVM_VHT_MADT = 0x309,
	IGVM_VHT_MMIO_RANGES = 0x30a,
	IGVM_VHT_SNP_ID_BLOCK = 0x30b,
	IGVM_VHT_MEMORY_MAP = 0x30c,
	IGVM_VHT_ERROR_RANGE = 0x30d,
	IGVM_VHT_COMMAND_LINE = 0x30e,
	IGVM_VHT_SLIT = 0x30f,
	IGVM_VHT_PPTT = 0x310,
	IGVM_VHT_VBS_MEASUREMENT = 0x311,
	IGVM_VHT_DEVICE_TREE = 0x312,
	IGVM_VHT_ENVIRONMENT_INFO_PARAMETER = 0x313,
};

/* --- Platform records ---------------------------------------------------- */

enum igvm_platform_type {
	IGVM_PLATFORM_NATIVE = 0x00,
	IGVM_PLATFORM_VSM_ISOLATION = 0x01,
	IGVM_PLATFORM_SEV_SNP = 0x02,
	IGVM_PLATFORM_TDX = 0x03,
};
#define IGVM_PLATFORM_VERSION 1u

struct igvm_vhs_supported_platform {
	uint32_t compatibility_mask; /* exactly one bit: this platform's */
	uint8_t highest_vtl;	     /* 2 for a VTL2 paravisor, 0 without VTLs */
	uint8_t platform_type;
	uint16_t platform_version;
	uint64_t shared_gpa_boundary;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_supported_platform) == 16, "SUPPORTED_PLATFORM is 16 bytes");

/* --- Initialization records ---------------------------------------------- */

struct igvm_vhs_guest_policy {
	uint64_t policy;
	uint32_t compatibility_mask;
	uint32_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_guest_policy) == 16, "GUEST_POLICY is 16 bytes");

#define IGVM_RELOC_FLAG_IS_VTL2 0x1u
#define IGVM_RELOC_FLAG_APPLY_PC 0x2u
#define IGVM_RELOC_FLAG_APPLY_GDTR 0x4u

/* A region the loader may place anywhere between minimum and maximum
 * relocation GPA, at relocation_alignment; every directive GPA inside it
 * moves by the same delta. */
struct igvm_vhs_relocatable_region {
	uint32_t compatibility_mask;
	uint16_t vp_index;
	uint8_t vtl;
	uint8_t flags;
	uint64_t relocation_alignment;
	uint64_t relocation_region_gpa;
	uint64_t relocation_region_size;
	uint64_t minimum_relocation_gpa;
	uint64_t maximum_relocation_gpa;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_relocatable_region) == 48, "RELOCATABLE_REGION is 48 bytes");
_Static_assert(offsetof(struct igvm_vhs_relocatable_region, relocation_region_gpa) == 16,
	       "relocation_region_gpa at 16");

struct igvm_vhs_page_table_relocation {
	uint32_t compatibility_mask;
	uint16_t vp_index;
	uint8_t vtl;
	uint8_t reserved;
	uint64_t gpa;
	uint64_t size;
	uint64_t used_size;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_page_table_relocation) == 32, "PAGE_TABLE_RELOCATION is 32 bytes");

/* --- Directive records --------------------------------------------------- */

/* A parameter area: number_of_bytes (a page multiple) of loader-written
 * parameters, inserted into guest memory later by PARAMETER_INSERT. */
struct igvm_vhs_parameter_area {
	uint64_t number_of_bytes;
	uint32_t parameter_area_index; /* declared once */
	uint32_t file_offset;	       /* initial contents; 0 = zeros */
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_parameter_area) == 16, "PARAMETER_AREA is 16 bytes");

#define IGVM_PAGE_FLAG_2MB (1u << 0)
#define IGVM_PAGE_FLAG_UNMEASURED (1u << 1)
#define IGVM_PAGE_FLAG_SHARED (1u << 2)
#define IGVM_PAGE_FLAGS_KNOWN 0x7u

enum igvm_page_data_type {
	IGVM_PAGE_DATA_NORMAL = 0,
	IGVM_PAGE_DATA_SECRETS = 1,
	IGVM_PAGE_DATA_CPUID_DATA = 2,
	IGVM_PAGE_DATA_CPUID_XF = 3,
};

/* One 4 KiB page of guest memory; file_offset 0 means a zero page. */
struct igvm_vhs_page_data {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t file_offset;
	uint32_t flags;
	uint16_t data_type;
	uint16_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_page_data) == 24, "PAGE_DATA is 24 bytes");

struct igvm_vhs_parameter_insert {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t parameter_area_index;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_parameter_insert) == 16, "PARAMETER_INSERT is 16 bytes");

/* Where the loader writes one parameter (VP count, memory map, command
 * line, device tree...): an area and a byte offset inside it. */
struct igvm_vhs_parameter {
	uint32_t parameter_area_index;
	uint32_t byte_offset;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_parameter) == 8, "IGVM_VHS_PARAMETER is 8 bytes");

struct igvm_vhs_vp_context {
	uint64_t gpa; /* 0 except for SEV-ES/SNP VMSAs */
	uint32_t compatibility_mask;
	uint32_t file_offset;
	uint16_t vp_index;
	uint16_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_vp_context) == 20, "VP_CONTEXT is 20 bytes");

#define IGVM_REQUIRED_MEMORY_VTL2_PROTECTABLE 0x1u

struct igvm_vhs_required_memory {
	uint64_t gpa;
	uint32_t compatibility_mask;
	uint32_t number_of_bytes;
	uint32_t flags;
	uint32_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vhs_required_memory) == 24, "REQUIRED_MEMORY is 24 bytes");

/* --- Parameter payloads the loader writes --------------------------------- */

enum igvm_memory_map_type {
	IGVM_MEMORY_MAP_MEMORY = 0,
	IGVM_MEMORY_MAP_PLATFORM_RESERVED = 1,
	IGVM_MEMORY_MAP_PERSISTENT = 2,
	IGVM_MEMORY_MAP_VTL2_PROTECTABLE = 3,
};

/* MEMORY_MAP: a sorted array, ended by an entry with number_of_pages 0. */
struct igvm_memory_map_entry {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
	uint16_t entry_type;
	uint16_t flags;
	uint32_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_memory_map_entry) == 24, "IGVM_VHS_MEMORY_MAP_ENTRY is 24 bytes");

struct igvm_memory_range {
	uint64_t starting_gpa_page_number;
	uint64_t number_of_pages;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_memory_range) == 16, "IGVM_VHS_MEMORY_RANGE is 16 bytes");

/* --- VP contexts ----------------------------------------------------------- */

/* NATIVE x86_64 (IgvmNativeVpContextX64): registers not listed take their
 * reset values.  Padded to a page in the file. */
struct igvm_native_vp_context_x64 {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip;
	uint64_t rflags;
	uint64_t idtr_base;
	uint16_t idtr_limit;
	uint16_t reserved[2];
	uint16_t gdtr_limit;
	uint64_t gdtr_base;
	uint16_t code_selector;
	uint16_t code_attributes;
	uint32_t code_base;
	uint32_t code_limit;
	uint16_t data_selector; /* es, ds, ss, fs, gs */
	uint16_t data_attributes;
	uint32_t data_base;
	uint32_t data_limit;
	uint64_t gs_base;
	uint64_t cr0;
	uint64_t cr3;
	uint64_t cr4;
	uint64_t efer;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_native_vp_context_x64) == 232, "native x64 VP context is 232 bytes");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, gdtr_base) == 0xa0, "gdtr_base at 0xa0");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, efer) == 0xe0, "efer at 0xe0");

/* aarch64 has no NATIVE VP context in the format; Hillock uses the CCA
 * layout (x0-x7, pc, flags) for its NATIVE aarch64 variant, entered at EL2
 * with the MMU off.  flags is zero. */
struct igvm_vp_context_aarch64 {
	uint64_t x[8];
	uint64_t pc;
	uint64_t flags;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vp_context_aarch64) == 80, "aarch64 VP context is 80 bytes");

/* VSM_ISOLATION (VBS): a register count, then that many registers named by
 * Hyper-V register name.  Not padded to a page. */
struct igvm_vbs_vp_context_header {
	uint32_t register_count;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vbs_vp_context_header) == 4, "VbsVpContextHeader is 4 bytes");

struct igvm_vbs_vp_context_register {
	uint8_t vtl;
	uint32_t register_name; /* HV_REGISTER_NAME */
	uint8_t mbz[11];
	uint8_t value[16]; /* HV_REGISTER_VALUE */
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vbs_vp_context_register) == 32, "VbsVpContextRegister is 32 bytes");
_Static_assert(offsetof(struct igvm_vbs_vp_context_register, value) == 16, "value at 16");

/* HV_REGISTER_VALUE encodings used in VBS contexts. */
struct hv_x64_segment_register {
	uint64_t base;
	uint32_t limit;
	uint16_t selector;
	uint16_t attributes;
} IGVM_PACKED;
_Static_assert(sizeof(struct hv_x64_segment_register) == 16, "segment value is 16 bytes");

struct hv_x64_table_register {
	uint16_t pad[3];
	uint16_t limit;
	uint64_t base;
} IGVM_PACKED;
_Static_assert(sizeof(struct hv_x64_table_register) == 16, "table value is 16 bytes");

/* Hyper-V register names (x64) Hillock puts in a VBS VP context. */
enum hv_x64_register_name {
	HV_X64_REGISTER_RSP = 0x00020004,
	HV_X64_REGISTER_RBX = 0x00020003,
	HV_X64_REGISTER_RSI = 0x00020006,
	HV_X64_REGISTER_RIP = 0x00020010,
	HV_X64_REGISTER_RFLAGS = 0x00020011,
	HV_X64_REGISTER_CR0 = 0x00040000,
	HV_X64_REGISTER_CR3 = 0x00040002,
	HV_X64_REGISTER_CR4 = 0x00040003,
	HV_X64_REGISTER_ES = 0x00060000,
	HV_X64_REGISTER_CS = 0x00060001,
	HV_X64_REGISTER_SS = 0x00060002,
	HV_X64_REGISTER_DS = 0x00060003,
	HV_X64_REGISTER_FS = 0x00060004,
	HV_X64_REGISTER_GS = 0x00060005,
	HV_X64_REGISTER_TR = 0x00060007,
	HV_X64_REGISTER_IDTR = 0x00070000,
	HV_X64_REGISTER_GDTR = 0x00070001,
	HV_X64_REGISTER_EFER = 0x00080001,
	HV_X64_REGISTER_PAT = 0x00080004,
};

/* Hyper-V register names (arm64) Hillock puts in a VBS VP context. */
enum hv_arm64_register_name {
	HV_ARM64_REGISTER_X0 = 0x00020000,
	HV_ARM64_REGISTER_X1 = 0x00020001,
	HV_ARM64_REGISTER_PC = 0x00020022,
};

/* --- Launch measurement ---------------------------------------------------- */

/* VBS boot digest: D = SHA-256(D || chunk), D0 = 32 zero bytes. */
enum igvm_vbs_chunk_type {
	IGVM_VBS_CHUNK_VP_REGISTER = 0,
	IGVM_VBS_CHUNK_VP_VTL_ENABLED = 1,
	IGVM_VBS_CHUNK_VP_GPA_PAGE = 2,
};

struct igvm_vbs_chunk_header {
	uint32_t byte_count;
	uint32_t chunk_type;
	uint64_t reserved;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vbs_chunk_header) == 16, "VBS chunk header is 16 bytes");

#define IGVM_VBS_ACCEPT_READABLE 0x1u
#define IGVM_VBS_ACCEPT_WRITABLE 0x2u
#define IGVM_VBS_DATA_UNMEASURED 0x4u

/* Followed by the 4096 bytes of the page (zeros when unmeasured). */
struct igvm_vbs_page_chunk {
	struct igvm_vbs_chunk_header header; /* byte_count 4128, type 2 */
	uint64_t metadata;		     /* acceptance bits 0-1, unmeasured bit 2 */
	uint64_t page_number;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vbs_page_chunk) == 32, "VBS page chunk is 32 bytes");

struct igvm_vbs_register_chunk {
	struct igvm_vbs_chunk_header header; /* byte_count 48, type 0 */
	uint32_t reserved;
	uint8_t vtl;
	uint8_t reserved2[7];
	uint32_t register_name;
	uint8_t value[16];
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_vbs_register_chunk) == 48, "VBS register chunk is 48 bytes");
_Static_assert(offsetof(struct igvm_vbs_register_chunk, register_name) == 28, "name at 28");

/* SEV-SNP launch digest: LD = SHA-384(PAGE_INFO), LD0 = 48 zero bytes. */
enum igvm_snp_page_type {
	IGVM_SNP_PAGE_NORMAL = 1,
	IGVM_SNP_PAGE_VMSA = 2,
	IGVM_SNP_PAGE_UNMEASURED = 4,
	IGVM_SNP_PAGE_SECRETS = 5,
	IGVM_SNP_PAGE_CPUID = 6,
};

struct igvm_snp_page_info {
	uint8_t digest_cur[48];
	uint8_t contents[48]; /* SHA-384 of the page, or zeros */
	uint16_t length;      /* 0x70 */
	uint8_t page_type;
	uint8_t imi_page;
	uint32_t vmpl_permissions;
	uint64_t gpa;
} IGVM_PACKED;
_Static_assert(sizeof(struct igvm_snp_page_info) == 0x70, "SNP PAGE_INFO is 0x70 bytes");

#endif
