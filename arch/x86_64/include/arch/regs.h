/* The register frame built by arch/x86_64/vectors.S on an exception. */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <stddef.h>
#include <stdint.h>

struct x86_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	/* Pushed by the CPU. */
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct x86_regs) == 22 * 8, "frame layout of vectors.S");
_Static_assert(offsetof(struct x86_regs, vector) == 15 * 8, "vector after the GPRs");

struct fault_info;

/* What the exception of frame r was (kind, address, pc, vector << 32 |
 * error code); cr2 as read when it was taken (arch/x86_64/exceptions.c). */
void x86_fault_decode(const struct x86_regs *r, uint64_t cr2, struct fault_info *fi);

#endif
