/* x86_64 user privilege (hillock/user.h, arch/x86_64/user.c): a user
 * address space's tables, the registers of user code while it does not
 * run, and the call stub the user code itself uses.  Included by Hillock
 * and by user code (the vTPM compartment's runtime): stdint and stddef
 * only.  The vector alone is usable from assembly. */
#ifndef ARCH_USER_H
#define ARCH_USER_H

/* User code calls Hillock with INT 0xf8: the one IDT gate it may use
 * (DPL 3).  No device or IPI ever raises this vector: the APIC's
 * allocatable vectors end at 0xf0 (arch/apic.h). */
#define USER_CALL_VECTOR 0xf8

/* The gate's vector stubs (user_entry.S), one per vector, each this long. */
#define USER_GATE_STUB_SIZE 16

/* RFLAGS bit 1, which always reads as 1: the value the gate's way out
 * loads before anything else (IF, DF, AC, TF clear). */
#define USER_RFLAGS_FIXED 0x2

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

/* A user address space: the physical address of its PML4, the value
 * loaded into CR3 (identity-mapped, so also where Hillock reaches it). */
struct arch_uspace {
	uint64_t pml4;
};

/* The 512-byte FXSAVE area (SDM Vol. 1 §10.5.1, 64-bit form). */
struct x86_fxsave_area {
	uint16_t fcw; /* x87 control word */
	uint16_t fsw;
	uint8_t ftw; /* abridged tag word: 1 bit per register, 0 = empty */
	uint8_t reserved0;
	uint16_t fop;
	uint64_t fip;
	uint64_t fdp;
	uint32_t mxcsr;
	uint32_t mxcsr_mask;
	uint8_t st[8][16];
	uint8_t xmm[16][16];
	uint8_t reserved1[96];
} __attribute__((aligned(16)));
_Static_assert(sizeof(struct x86_fxsave_area) == 512, "FXSAVE area is 512 bytes");
_Static_assert(offsetof(struct x86_fxsave_area, mxcsr) == 24, "FXSAVE layout");
_Static_assert(offsetof(struct x86_fxsave_area, xmm) == 160, "FXSAVE layout");

/* User code's registers while it does not run.  Segment selectors are
 * not part of it: user code always starts with the gate's own (user code
 * and data, null DS/ES/FS/GS); its thread pointer is fs_base. */
struct arch_user_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rsp, rflags;
	uint64_t fs_base;
	struct x86_fxsave_area fx; /* x87, MMX, SSE: FXSAVE/FXRSTOR */
};

/* A call to Hillock from user code (hillock/user.h): the number in rax,
 * arguments in rdi, rsi, rdx and r10, the result back in rax; every other
 * register survives. */
static inline uint64_t user_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t r10 __asm__("r10") = a3;
	uint64_t result;

	__asm__ volatile("int %[vector]"
			 : "=a"(result)
			 : [vector] "i"(USER_CALL_VECTOR), "a"(nr), "D"(a0), "S"(a1), "d"(a2),
			   "r"(r10)
			 : "memory");
	return result;
}
#endif

#endif
