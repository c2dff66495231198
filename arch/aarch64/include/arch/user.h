/* aarch64 user privilege (hillock/user.h): user code runs at EL0 of the
 * EL1&0 regime, in tables of its own (arch/aarch64/user.c has the design).
 * Included by Hillock and by user code itself (the vTPM compartment's
 * runtime, for user_call()), so it needs nothing but stdint and stddef;
 * the offsets are for arch/aarch64/user_entry.S. */
#ifndef ARCH_USER_H
#define ARCH_USER_H

/* struct arch_user_regs, for user_entry.S (x<n> at n * 8). */
#define USER_REGS_SP 248
#define USER_REGS_PC 256 /* pc, then pstate */
#define USER_REGS_TPIDR 272
#define USER_REGS_FPCR 280 /* fpcr, then fpsr */
#define USER_REGS_Q 304

#ifndef __ASSEMBLER__

#include <stddef.h>
#include <stdint.h>

/* A user address space: the root (level-1) table of its EL1&0 stage-1
 * translation, for TTBR0_EL1. */
struct arch_uspace {
	uint64_t *root;
};

/* User code's registers while it is not running.  pstate is SPSR-shaped
 * (EL0t, NZCV and the like); q holds v0-v31, low half first. */
struct arch_user_regs {
	uint64_t x[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
	uint64_t tpidr; /* TPIDR_EL0, the thread pointer */
	uint64_t fpcr, fpsr;
	uint64_t reserved; /* q at an offset that is a multiple of 16 */
	uint64_t q[32][2];
};
_Static_assert(offsetof(struct arch_user_regs, sp) == USER_REGS_SP, "user_entry.S");
_Static_assert(offsetof(struct arch_user_regs, pc) == USER_REGS_PC, "user_entry.S");
_Static_assert(offsetof(struct arch_user_regs, pstate) == USER_REGS_PC + 8, "user_entry.S");
_Static_assert(offsetof(struct arch_user_regs, tpidr) == USER_REGS_TPIDR, "user_entry.S");
_Static_assert(offsetof(struct arch_user_regs, fpcr) == USER_REGS_FPCR, "user_entry.S");
_Static_assert(offsetof(struct arch_user_regs, fpsr) == USER_REGS_FPCR + 8, "user_entry.S");
_Static_assert(offsetof(struct arch_user_regs, q) == USER_REGS_Q, "user_entry.S");

/* From user code: call nr with four arguments (SVC #0: the number in x8,
 * the arguments in x0-x3, the result back in x0; every other register
 * survives). */
static inline uint64_t user_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x8 __asm__("x8") = nr;
	register uint64_t x0 __asm__("x0") = a0;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

#endif /* __ASSEMBLER__ */

#endif
