/* igvmload: the host's part under QEMU.  QEMU boots igvmload (x86_64: a
 * PVH ELF; aarch64: an arm64 Image) with an IGVM file as the initrd;
 * igvmload loads the file's NATIVE variant as a host would and enters VP0.
 *
 * Between the generic loader (main.c) and the architecture: */
#ifndef IGVMLOAD_H
#define IGVMLOAD_H

#include <stddef.h>
#include <stdint.h>

#include <hillock/boot.h>
#include <igvm/igvm_reader.h>

/* The IGVM architecture this loader reads. */
extern const enum igvm_arch igvmload_igvm_arch;

/* Memory the loader must not place guest pages on, besides itself and the
 * IGVM file (e.g. the trampoline page on x86_64).  Adds to ranges[]; returns
 * the new count. */
unsigned int igvmload_arch_busy(struct boot_range *ranges, unsigned int count, unsigned int max);

/* Check that the architecture can enter this NATIVE VP context; returns 0,
 * or -1 after printing why not. */
int igvmload_arch_check_context(const void *ctx, size_t len);

/* Enter VP0: ctx is the file's NATIVE VP context (already relocated),
 * hint goes in the second argument register (enum hillock_isolation),
 * [flush_base, flush_base + flush_size) is guest memory just written. */
_Noreturn void igvmload_arch_enter(const void *ctx, size_t len, uint32_t hint, uint64_t flush_base,
				   uint64_t flush_size);

/* How the relocatable region moved, for the VP context and page tables. */
struct igvmload_reloc {
	uint64_t delta;	   /* new base - old base (0: not moved) */
	int apply_pc;	   /* IGVM_RELOC_FLAG_APPLY_PC */
	uint64_t pt_gpa;   /* page-table region, as the file places it; */
	uint64_t pt_size;  /* size 0 when the file has none */
};

/* Apply r to the VP context (program counter, page-table base) and to the
 * page tables already loaded at their new place.  Returns the new program
 * counter. */
uint64_t igvmload_arch_relocate(void *ctx, const struct igvmload_reloc *r);

#endif
