/* The PVH boot ABI (Xen's arch-x86/hvm/start_info.h, version 1): what a PVH
 * loader such as QEMU's leaves for the image in %ebx. */
#ifndef ARCH_PVH_H
#define ARCH_PVH_H

#include <stddef.h>
#include <stdint.h>

#define PVH_START_MAGIC 0x336ec578u
#define PVH_MEMMAP_TYPE_RAM 1

struct pvh_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	/* Version 1 and later. */
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct pvh_start_info) == 56, "hvm_start_info v1 is 56 bytes");
_Static_assert(offsetof(struct pvh_start_info, memmap_paddr) == 40, "memmap_paddr at 40");

struct pvh_memmap_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct pvh_memmap_entry) == 24, "hvm_memmap_table_entry is 24 bytes");

/* One entry of the module list (modlist_paddr): QEMU's -initrd. */
struct pvh_module {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct pvh_module) == 32, "hvm_modlist_entry is 32 bytes");

#endif
