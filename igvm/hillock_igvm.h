/* How Hillock uses the IGVM format: the contract between the generator
 * (igvm/igvmgen.c), the loader that plays the host under QEMU
 * (tools/igvmload/) and the boot shim (boot/).  docs/igvm.md describes it
 * for people.
 *
 * The VTL2 region.  The image is linked at 0 and placed, as one
 * relocatable region, at a 2 MiB-aligned base the host chooses:
 *   [0, image end)                 the image's pages (PAGE_DATA, measured)
 *   .params, inside the image     struct hillock_params: the parameter
 *                                  areas (PARAMETER_INSERT, unmeasured)
 *   [image end, region size)       the rest of VTL2's memory (REQUIRED_MEMORY)
 * Every GPA inside the region moves with it; VP0's entry point too
 * (IGVM_RELOC_FLAG_APPLY_PC). */
#ifndef HILLOCK_IGVM_H
#define HILLOCK_IGVM_H

#include <stddef.h>
#include <stdint.h>

/* Compatibility-mask bits: the two platform variants in one file. */
#define HILLOCK_IGVM_MASK_NATIVE 0x1u /* QEMU through tools/igvmload */
#define HILLOCK_IGVM_MASK_VSM 0x2u    /* Hyper-V VTL2 (VSM_ISOLATION) */
#define HILLOCK_IGVM_MASK_ALL (HILLOCK_IGVM_MASK_NATIVE | HILLOCK_IGVM_MASK_VSM)

#define HILLOCK_VTL2_ALIGN (2u << 20)
#define HILLOCK_VTL2_SIZE_DEFAULT (64u << 20)

/* The most CPUs a build supports; a larger VP count is a boot error. */
#define HILLOCK_MAX_CPUS 256

/* The parameter areas, in the image's .params section (page-aligned,
 * never loaded from the file: the loader inserts them).  One area each. */
enum hillock_param_area {
	HILLOCK_AREA_VP_COUNT = 0,
	HILLOCK_AREA_MEMORY_MAP = 1,
	HILLOCK_AREA_COMMAND_LINE = 2,
	HILLOCK_AREA_DEVICE_TREE = 3,
	HILLOCK_AREA_COUNT
};

struct hillock_params {
	uint8_t vp_count[0x1000];     /* u32 */
	uint8_t memory_map[0x4000];   /* igvm_memory_map_entry[], 0-page terminated */
	uint8_t command_line[0x1000]; /* the host-appended part, NUL-terminated */
	uint8_t device_tree[0x10000]; /* the host's flattened device tree, or zeros */
};
_Static_assert(sizeof(struct hillock_params) == 0x16000, "parameter areas are whole pages");

/* Where each area sits inside struct hillock_params, and its size. */
struct hillock_param_area_layout {
	uint32_t offset;
	uint32_t size;
	uint32_t igvm_type; /* the IGVM parameter record that points at it */
};

static const struct hillock_param_area_layout hillock_param_layout[HILLOCK_AREA_COUNT] = {
	[HILLOCK_AREA_VP_COUNT] = {offsetof(struct hillock_params, vp_count), 0x1000, 0x307},
	[HILLOCK_AREA_MEMORY_MAP] = {offsetof(struct hillock_params, memory_map), 0x4000, 0x30c},
	[HILLOCK_AREA_COMMAND_LINE] = {offsetof(struct hillock_params, command_line), 0x1000, 0x30e},
	[HILLOCK_AREA_DEVICE_TREE] = {offsetof(struct hillock_params, device_tree), 0x10000, 0x312},
};

/* The measured part of the command line: igvmgen writes it into the
 * image's boot_fixed_cmdline (NUL-terminated) before the pages are hashed. */
#define HILLOCK_FIXED_CMDLINE_MAX 512

/* A linux-direct VTL0 payload the generator embeds (--vtl0-kernel ...):
 * where its pieces are in VTL0 memory.  igvmgen fills the image's
 * boot_vtl0_payload; all zero when there is none. */
struct hillock_vtl0_payload {
	uint64_t kernel_gpa;
	uint64_t kernel_size;
	uint64_t initrd_gpa;
	uint64_t initrd_size;
	char cmdline[512];
};
_Static_assert(sizeof(struct hillock_vtl0_payload) == 544, "VTL0 payload descriptor is 544 bytes");

/* The loader's platform hint, in VP0's second argument register (x86_64
 * %esi, aarch64 x1): a test stand-in for the isolation the CPU would
 * report on SNP or TDX hardware.  Values follow enum igvm_platform_type. */
enum hillock_isolation {
	HILLOCK_ISOLATION_NONE = 0,
	HILLOCK_ISOLATION_SNP = 2,
	HILLOCK_ISOLATION_TDX = 3,
};

#endif
