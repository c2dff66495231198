/* The register frame built by arch/aarch64/vectors.S on an exception. */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <stddef.h>
#include <stdint.h>

#include <hillock/fault.h>

struct aarch64_regs {
	uint64_t x[31];
	uint64_t sp;
	uint64_t elr, spsr;
	uint64_t esr, far;
};
_Static_assert(sizeof(struct aarch64_regs) == 36 * 8, "frame layout of vectors.S");
_Static_assert(offsetof(struct aarch64_regs, elr) == 256, "elr at 256");

/* What a synchronous exception with syndrome esr, fault address far and
 * return address pc was (exceptions.c): Hillock's own, or user code's
 * (user.c). */
struct fault_info aarch64_fault_info(uint64_t esr, uint64_t far, uint64_t pc);

#endif
