/* AArch64 system-register values Hillock programs at EL2 (Arm ARM D13,
 * non-VHE EL2: HCR_EL2.E2H = 0).  Usable from C and assembly. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

/* MAIR_EL2: attribute 0 Device-nGnRnE, attribute 1 Normal write-back. */
#define MAIR_DEVICE_IDX 0
#define MAIR_NORMAL_IDX 1
#define MAIR_EL2_VALUE 0xff00

/* TCR_EL2: RES1 bits 31 and 23; PS=40 bits; 4 KiB granule; inner
 * shareable, write-back walks; T0SZ=25 (39-bit VA, walks start at level 1). */
#define TCR_EL2_VALUE ((1 << 31) | (1 << 23) | (2 << 16) | (3 << 12) | (1 << 10) | (1 << 8) | 25)

/* SCTLR_EL2: RES1 bits, then M (MMU), C (data cache), I (instruction
 * cache), SA (stack alignment check). */
#define SCTLR_EL2_RES1 0x30c50830
#define SCTLR_M (1 << 0)
#define SCTLR_C (1 << 2)
#define SCTLR_SA (1 << 3)
#define SCTLR_I (1 << 12)

/* CPTR_EL2: RES1 bits 0-7, 9, 12, 13; TFP (bit 10) clear so that FP and
 * SIMD do not trap (the libraries and picolibc use them). */
#define CPTR_EL2_VALUE 0x32ff

/* ESR_EL2: the exception class in bits 31:26, the syndrome (ISS) below.
 * For instruction and data aborts the ISS holds the fault status code in
 * bits 5:0 (0x00-0x0f: address size, translation, access flag and
 * permission faults, i.e. what the page tables decided), WnR (bit 6: a
 * write) and CM (bit 8: a cache maintenance instruction). */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3f
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_SVC64 0x15
#define ESR_EC_HVC64 0x16
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_CURRENT 0x21
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_CURRENT 0x25
#define ESR_EC_BRK 0x3c
#define ESR_ISS_FSC_MASK 0x3f
#define ESR_FSC_MMU_MAX 0x0f
#define ESR_ISS_WNR (1 << 6)
#define ESR_ISS_CM (1 << 8)
#define ESR_ISS_IMM16_MASK 0xffff /* SVC, HVC: the instruction's immediate */

/* SPSR_ELx: M[4:0] (bit 4 set: AArch32), the exception level and stack
 * the exception came from; DAIF (bits 9:6); IL (illegal execution state,
 * bit 20) and SS (software step, bit 21). */
#define SPSR_M_MASK 0x1f
#define SPSR_M_EL0T 0x0
#define SPSR_DAIF (0xf << 6)
#define SPSR_DAIF_I (1 << 7) /* also DAIF.I as the daif register reads */
#define SPSR_IL (1 << 20)
#define SPSR_SS (1 << 21)

/* HCR_EL2 bits user code depends on (user.c): VM (stage 2 on), DC (EL1&0
 * stage 1 off, memory cacheable), TGE (EL0's exceptions go to EL2 and EL1
 * is off), HCD (HVC undefined), RW (EL1 is AArch64). */
#define HCR_EL2_VM (1ull << 0)
#define HCR_EL2_DC (1ull << 12)
#define HCR_EL2_TGE (1ull << 27)
#define HCR_EL2_HCD (1ull << 29)
#define HCR_EL2_RW (1ull << 31)

/* The EL1&0 regime, where user code runs at EL0 (user.c).
 * TCR_EL1: T0SZ=25 and T1SZ=25 (39-bit VA, walks from level 1); TTBR0
 * walks inner/outer write-back write-allocate, inner shareable, 4 KiB
 * granule; EPD1 (no TTBR1 walks); IPS=40 bits.  EPD0 stops TTBR0 walks
 * too, for while no user code runs. */
#define TCR_EL1_VALUE \
	((2ull << 32) | (1ull << 23) | (25ull << 16) | (3ull << 12) | (1ull << 10) | (1ull << 8) | 25)
#define TCR_EL1_EPD0 (1ull << 7)
/* SCTLR_EL1: the RES1 bits of Armv8.0 (EIS, EOS and TSCXT among them:
 * exception entry and return synchronise, SCXTNUM_EL0 traps), plus M, C,
 * I, SA (as SCTLR_EL2 above) and SA0 (EL0 stack alignment check).  Left
 * clear: WXN (never mapped W+X anyway), nTWI/nTWE (WFI and WFE at EL0
 * trap), UCT, DZE, UCI, UMA (EL0 cache-type, DC ZVA, cache maintenance
 * and DAIF accesses trap), E0E (little-endian). */
#define SCTLR_EL1_RES1 0x30d00800
#define SCTLR_SA0 (1 << 4)
/* CPACR_EL1.FPEN: FP/SIMD at EL0 and EL1 not trapped (SVE, SME are). */
#define CPACR_EL1_FPEN (3 << 20)

/* Level-1 block descriptor (1 GiB) bits. */
#define PTE_BLOCK 0x1
#define PTE_ATTR(idx) ((idx) << 2)
#define PTE_SH_INNER (3 << 8)
#define PTE_AF (1 << 10)
#define PTE_XN (1 << 54)

#ifndef __ASSEMBLY__
#include <stdint.h>

/* Read or write a system register by name from C. */
#define SYSREG_READ(name)                                                  \
	({                                                                 \
		uint64_t v_;                                               \
		__asm__ volatile("mrs %0, " #name : "=r"(v_));             \
		v_;                                                        \
	})
#define SYSREG_WRITE(name, v) __asm__ volatile("msr " #name ", %0" : : "r"((uint64_t)(v)) : "memory")
#endif

#endif
