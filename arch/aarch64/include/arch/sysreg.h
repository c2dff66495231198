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
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_CURRENT 0x21
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_CURRENT 0x25
#define ESR_EC_BRK 0x3c
#define ESR_ISS_FSC_MASK 0x3f
#define ESR_FSC_MMU_MAX 0x0f
#define ESR_ISS_WNR (1 << 6)
#define ESR_ISS_CM (1 << 8)

/* Level-1 block descriptor (1 GiB) bits. */
#define PTE_BLOCK 0x1
#define PTE_ATTR(idx) ((idx) << 2)
#define PTE_SH_INNER (3 << 8)
#define PTE_AF (1 << 10)
#define PTE_XN (1 << 54)

#endif
