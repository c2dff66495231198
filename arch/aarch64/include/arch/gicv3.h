/* The GICv3 interrupt controller (Arm IHI 0069, "GICv3 and GICv4
 * Architecture Specification"): the distributor, the redistributors (one
 * per CPU, each an RD_base frame followed by an SGI_base frame), and the
 * bits Hillock programs.  The CPU interface is system registers (ICC_*),
 * named in arch/aarch64/gic.c. */
#ifndef ARCH_GICV3_H
#define ARCH_GICV3_H

/* INTID ranges. */
#define GIC_SGI_COUNT		16	/* 0-15: software-generated (IPIs) */
#define GIC_PPI_END		32	/* 16-31: private peripherals */
#define GIC_INTID_LIMIT		1020	/* 1020-1023 are special */
#define GIC_INTID_SPURIOUS	1023

/* Distributor (GICD_*), offsets from its base. */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IGROUPR		0x0080	/* 1 bit per INTID: 1 = Group 1 */
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_IPRIORITYR		0x0400	/* 1 byte per INTID */
#define GICD_IROUTER		0x6000	/* 8 bytes per INTID, SPIs only */

/* GICD_CTLR in the Non-secure view, and with DS = 1 (QEMU virt without
 * EL3: one security state), the same bit positions. */
#define GICD_CTLR_ENABLE_G1	(1u << 1)
#define GICD_CTLR_ARE		(1u << 4)
#define GICD_CTLR_RWP		(1u << 31)
/* GICD_TYPER.ITLinesNumber: (N + 1) * 32 INTIDs. */
#define GICD_TYPER_LINES(t)	((((t) & 0x1f) + 1) * 32)

/* Redistributor RD_base frame (GICR_*). */
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008	/* 64-bit */
#define GICR_WAKER		0x0014
#define GICR_CTLR_RWP		(1u << 3)
#define GICR_TYPER_VLPIS	(1ull << 1)	/* two more 64 KiB frames (GICv4) */
#define GICR_TYPER_LAST		(1ull << 4)
#define GICR_TYPER_AFF(t)	((t) >> 32)	/* Aff3.Aff2.Aff1.Aff0 */
#define GICR_WAKER_SLEEP	(1u << 1)	/* ProcessorSleep */
#define GICR_WAKER_ASLEEP	(1u << 2)	/* ChildrenAsleep */

/* Frame sizes: RD_base and SGI_base are 64 KiB each. */
#define GICR_FRAME_SIZE		0x10000
#define GICR_SGI_BASE		GICR_FRAME_SIZE

/* SGI_base frame: SGIs and PPIs of this CPU. */
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_IPRIORITYR		0x0400

/* ICC_SRE_EL2: system-register interface, and let EL1 use it. */
#define ICC_SRE_SRE		(1u << 0)
#define ICC_SRE_ENABLE		(1u << 3)

/* ICC_SGI1R_EL1: target list 15:0 (Aff0 values RS*16..RS*16+15), Aff1
 * 23:16, INTID 27:24, Aff2 39:32, RS 47:44, Aff3 55:48. */
#define ICC_SGI1R_TARGET(aff0)	(1ull << ((aff0) & 0xf))
#define ICC_SGI1R_AFF1(a)	((unsigned long long)(a) << 16)
#define ICC_SGI1R_INTID(i)	((unsigned long long)(i) << 24)
#define ICC_SGI1R_AFF2(a)	((unsigned long long)(a) << 32)
#define ICC_SGI1R_RS(aff0)	((unsigned long long)((aff0) >> 4) << 44)
#define ICC_SGI1R_AFF3(a)	((unsigned long long)(a) << 48)

/* MPIDR_EL1 affinity fields. */
#define MPIDR_AFF0(m)		((m) & 0xff)
#define MPIDR_AFF1(m)		(((m) >> 8) & 0xff)
#define MPIDR_AFF2(m)		(((m) >> 16) & 0xff)
#define MPIDR_AFF3(m)		(((m) >> 32) & 0xff)

/* HCR_EL2: physical IRQs and FIQs are taken to EL2. */
#define HCR_EL2_FMO		(1ull << 3)
#define HCR_EL2_IMO		(1ull << 4)

/* The EL1 virtual timer's PPI: INTID 27 (PPI 11), fixed by Arm's Base
 * System Architecture and QEMU virt's "arm,armv8-timer" node. */
#define GIC_INTID_VIRT_TIMER	27u

#endif
