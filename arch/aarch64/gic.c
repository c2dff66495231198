/* aarch64 interrupts: the GICv3 (arch/gicv3.h has the register map).
 *
 * Every interrupt is Group 1 (an IRQ, acknowledged through ICC_IAR1_EL1)
 * at one priority, so handlers never nest.  SPIs are routed to the boot
 * CPU.  Each CPU finds its redistributor by walking the redistributor
 * region for the frame whose GICR_TYPER affinity equals its MPIDR's, wakes
 * it and enables its SGIs (the IPIs); PPIs and SPIs stay disabled until
 * their owner unmasks them.  Hillock runs at non-VHE EL2, where physical
 * IRQs are taken only with HCR_EL2.IMO set (FMO likewise for FIQs, which
 * Hillock never configures and so reports as exceptions). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <arch/gicv3.h>
#include <hillock/arch.h>
#include <hillock/boot.h>
#include <hillock/irq.h>

/* QEMU virt's GICv3, used when the device tree has none. */
#define QEMU_VIRT_GICD 0x08000000
#define QEMU_VIRT_GICR 0x080a0000
#define QEMU_VIRT_GICR_SIZE 0x00f60000
#define GIC_PRIORITY_ALL 0xa0a0a0a0u /* four INTIDs' priority bytes */
#define GIC_WAIT_NS 10000000ull	      /* 10 ms for the GIC to settle */

static uintptr_t gicd;
static struct boot_range gicr_region;
static unsigned int gic_intids;	    /* one past the highest INTID the GICD has */
static __thread uintptr_t gicr;	    /* this CPU's RD_base frame */

static inline uint32_t gic_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline uint64_t gic_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}

static inline void gic_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline void gic_write64(uintptr_t addr, uint64_t v)
{
	*(volatile uint64_t *)addr = v;
}

/* Wait until the bits of mask at addr are clear; 0 or -ETIMEDOUT. */
static int gic_wait_clear(uintptr_t addr, uint32_t mask, const char *what)
{
	uint64_t t0 = arch_time_ns();

	while (gic_read32(addr) & mask) {
		if (arch_time_ns() - t0 > GIC_WAIT_NS) {
			printf("gic: %s did not complete\n", what);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

static uint64_t gic_mpidr(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return mpidr;
}

/* MPIDR's affinity as GICR_TYPER packs it: Aff3.Aff2.Aff1.Aff0. */
static uint32_t gic_affinity(uint64_t mpidr)
{
	return (uint32_t)(MPIDR_AFF3(mpidr) << 24 | MPIDR_AFF2(mpidr) << 16 |
			  MPIDR_AFF1(mpidr) << 8 | MPIDR_AFF0(mpidr));
}

int arch_irq_init(const struct boot_info *bi)
{
	if (bi->gic_dist.size && bi->gic_redist.size) {
		gicd = (uintptr_t)bi->gic_dist.base;
		gicr_region = bi->gic_redist;
	} else {
		printf("gic: no GICv3 under /devices; using QEMU virt's addresses\n");
		gicd = QEMU_VIRT_GICD;
		gicr_region = (struct boot_range){QEMU_VIRT_GICR, QEMU_VIRT_GICR_SIZE};
	}
	/* Affinity routing must be on before the SPIs' routes are written;
	 * the groups are off while they are configured. */
	gic_write32(gicd + GICD_CTLR, 0);
	if (gic_wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP, "distributor disable")) {
		return -ETIMEDOUT;
	}
	gic_write32(gicd + GICD_CTLR, GICD_CTLR_ARE);
	gic_intids = GICD_TYPER_LINES(gic_read32(gicd + GICD_TYPER));
	if (gic_intids > GIC_INTID_LIMIT) {
		gic_intids = GIC_INTID_LIMIT;
	}
	uint64_t route = gic_mpidr() & 0xff00ffffffull; /* IROUTER: MPIDR's layout */

	for (unsigned int n = GIC_PPI_END; n < gic_intids; n += 32) {
		gic_write32(gicd + GICD_ICENABLER + n / 8, 0xffffffffu);
		gic_write32(gicd + GICD_IGROUPR + n / 8, 0xffffffffu);
	}
	for (unsigned int n = GIC_PPI_END; n < gic_intids; n += 4) {
		gic_write32(gicd + GICD_IPRIORITYR + n, GIC_PRIORITY_ALL);
	}
	for (unsigned int n = GIC_PPI_END; n < gic_intids; n++) {
		gic_write64(gicd + GICD_IROUTER + 8 * n, route);
	}
	if (gic_wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP, "distributor setup")) {
		return -ETIMEDOUT;
	}
	gic_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	if (gic_wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP, "distributor enable")) {
		return -ETIMEDOUT;
	}
	printf("gic: GICv3 distributor at %#llx (%u INTIDs), redistributors at %#llx\n",
	       (unsigned long long)gicd, gic_intids, (unsigned long long)gicr_region.base);
	return 0;
}

/* This CPU's RD_base frame, or 0. */
static uintptr_t gic_find_redistributor(void)
{
	uint32_t self = gic_affinity(gic_mpidr());
	uint64_t off = 0;

	while (off + 2 * GICR_FRAME_SIZE <= gicr_region.size) {
		uintptr_t frame = (uintptr_t)(gicr_region.base + off);
		uint64_t typer = gic_read64(frame + GICR_TYPER);

		if (GICR_TYPER_AFF(typer) == self) {
			return frame;
		}
		if (typer & GICR_TYPER_LAST) {
			break;
		}
		off += ((typer & GICR_TYPER_VLPIS) ? 4 : 2) * GICR_FRAME_SIZE;
	}
	return 0;
}

/* Nothing to allocate: the exception stack came with the CPU's start. */
int arch_irq_init_cpu(void)
{
	return arch_irq_init_cpu_local();
}

int arch_irq_init_cpu_local(void)
{
	extern const char aarch64_irq_vectors[];
	uint64_t v;

	/* The vector table that takes IRQs (irq_entry.S), then IRQs to EL2. */
	__asm__ volatile("msr vbar_el2, %0; isb" : : "r"(aarch64_irq_vectors));
	__asm__ volatile("mrs %0, hcr_el2" : "=r"(v));
	__asm__ volatile("msr hcr_el2, %0; isb" : : "r"(v | HCR_EL2_IMO | HCR_EL2_FMO));

	gicr = gic_find_redistributor();
	if (!gicr) {
		printf("gic: no redistributor for MPIDR %#llx\n", (unsigned long long)gic_mpidr());
		return -ENODEV;
	}
	gic_write32(gicr + GICR_WAKER, gic_read32(gicr + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	if (gic_wait_clear(gicr + GICR_WAKER, GICR_WAKER_ASLEEP, "redistributor wake-up")) {
		return -ETIMEDOUT;
	}
	uintptr_t sgi = gicr + GICR_SGI_BASE;

	gic_write32(sgi + GICR_IGROUPR0, 0xffffffffu);
	for (unsigned int n = 0; n < GIC_PPI_END; n += 4) {
		gic_write32(sgi + GICR_IPRIORITYR + n, GIC_PRIORITY_ALL);
	}
	gic_write32(sgi + GICR_ICENABLER0, 0xffff0000u); /* PPIs off */
	gic_write32(sgi + GICR_ISENABLER0, 0x0000ffffu); /* SGIs on */
	if (gic_wait_clear(gicr + GICR_CTLR, GICR_CTLR_RWP, "redistributor setup")) {
		return -ETIMEDOUT;
	}

	/* The CPU interface: system registers, all priorities let through,
	 * no priority grouping, EOI both drops priority and deactivates. */
	__asm__ volatile("mrs %0, icc_sre_el2" : "=r"(v));
	__asm__ volatile("msr icc_sre_el2, %0; isb" : : "r"(v | ICC_SRE_SRE | ICC_SRE_ENABLE));
	__asm__ volatile("msr icc_pmr_el1, %0" : : "r"(0xfful));
	__asm__ volatile("msr icc_bpr1_el1, xzr");
	__asm__ volatile("msr icc_ctlr_el1, xzr");
	__asm__ volatile("msr icc_igrpen1_el1, %0; isb" : : "r"(1ul));
	return 0;
}

/* Called by vectors.S for an IRQ taken at EL2, interrupts masked. */
void aarch64_irq(void)
{
	uint64_t iar;

	__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar));
	unsigned int intid = (unsigned int)(iar & 0xffffff);

	/* 1020-1023: nothing to acknowledge (1023: spurious), no EOI. */
	if (intid < GIC_INTID_LIMIT) {
		irq_dispatch(intid);
	}
}

unsigned int arch_irq_first(void)
{
	return 0;
}

unsigned int arch_irq_count(void)
{
	return GIC_SGI_COUNT; /* irq_alloc() hands out SGIs: IPIs */
}

/* Set irq's bit in the enable (set) or disable (clear) registers: this
 * CPU's redistributor for SGIs and PPIs, the distributor for SPIs. */
static void gic_enable(unsigned int irq, uint32_t set_reg_gicd, uint32_t set_reg_gicr)
{
	if (irq < GIC_PPI_END) {
		gic_write32(gicr + GICR_SGI_BASE + set_reg_gicr, 1u << irq);
		gic_wait_clear(gicr + GICR_CTLR, GICR_CTLR_RWP, "enable change");
	} else if (irq < gic_intids) {
		gic_write32(gicd + set_reg_gicd + irq / 32 * 4, 1u << (irq % 32));
		gic_wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP, "enable change");
	}
}

void arch_irq_mask(unsigned int irq)
{
	gic_enable(irq, GICD_ICENABLER, GICR_ICENABLER0);
}

void arch_irq_unmask(unsigned int irq)
{
	gic_enable(irq, GICD_ISENABLER, GICR_ISENABLER0);
}

void arch_irq_eoi(unsigned int irq)
{
	__asm__ volatile("msr icc_eoir1_el1, %0; isb" : : "r"((uint64_t)irq));
}

void arch_irq_send_ipi(uint64_t hwid, unsigned int irq)
{
	uint64_t sgi = ICC_SGI1R_TARGET(MPIDR_AFF0(hwid)) | ICC_SGI1R_AFF1(MPIDR_AFF1(hwid)) |
		       ICC_SGI1R_INTID(irq) | ICC_SGI1R_AFF2(MPIDR_AFF2(hwid)) |
		       ICC_SGI1R_RS(MPIDR_AFF0(hwid)) | ICC_SGI1R_AFF3(MPIDR_AFF3(hwid));

	/* What the target will read (queued work) is written before it is
	 * told; the SGI register write is a system-register write, not a
	 * memory access, hence the full barrier. */
	__asm__ volatile("dsb ish; msr icc_sgi1r_el1, %0; isb" : : "r"(sgi) : "memory");
}
