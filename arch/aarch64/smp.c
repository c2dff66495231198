/* aarch64 AP start: PSCI CPU_ON (Arm DEN 0022), entering ap_entry.S.
 *
 * PSCI is called through the conduit the device tree's psci node names in
 * "method": "hvc" when a hypervisor below implements it, "smc" when the
 * firmware at EL3 does.  QEMU virt with virtualization=on emulates EL2,
 * so its PSCI sits in the EL3 position and the node says "smc" (its
 * hvc is what a guest at EL1 would use, and ours is the EL2); the tree
 * decides, not this file.  CPU_ON takes the target's MPIDR (the shim's
 * hillock,hwid, copied from the host tree's /cpus reg), the physical
 * entry address (the image is identity mapped) and a context ID handed to
 * the new CPU in x0: its index, which selects its boot block. */
#include <errno.h>
#include <libfdt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <arch/sysreg.h>
#include <arch/ap_boot.h>
#include <arch/exception_stack.h>
#include <hillock/boot.h>
#include <hillock/cpu.h>
#include <hillock/heap.h>
#include <hillock/mmu.h>
#include <hillock/spinlock.h>

#define PSCI_0_2_FN64_CPU_ON 0xc4000003u
#define MPIDR_AFFINITY_MASK 0xff00ffffffull /* Aff3 (39:32), Aff2-Aff0 (23:0) */
#define CACHE_LINE 64

struct aarch64_ap_boot {
	uint64_t mair, tcr, ttbr0, sctlr, vbar, cptr, hcr, cnthctl, cntvoff;
	uint64_t stack_top;
	uint64_t tp;
	uint64_t exception_stack_top;
	uint64_t entry;
} __attribute__((aligned(AP_BOOT_SIZE)));
_Static_assert(offsetof(struct aarch64_ap_boot, ttbr0) == AP_BOOT_TTBR0, "layout");
_Static_assert(offsetof(struct aarch64_ap_boot, hcr) == AP_BOOT_HCR, "layout");
_Static_assert(offsetof(struct aarch64_ap_boot, cntvoff) == AP_BOOT_CNTVOFF, "layout");
_Static_assert(offsetof(struct aarch64_ap_boot, stack_top) == AP_BOOT_STACK_TOP, "layout");
_Static_assert(offsetof(struct aarch64_ap_boot, tp) == AP_BOOT_TP, "layout");
_Static_assert(offsetof(struct aarch64_ap_boot, exception_stack_top) == AP_BOOT_EXCEPTION_STACK_TOP,
	       "layout");
_Static_assert(offsetof(struct aarch64_ap_boot, entry) == AP_BOOT_ENTRY, "layout");
_Static_assert(sizeof(struct aarch64_ap_boot) == AP_BOOT_SIZE, "layout");

/* One block per CPU (cpu_count of them, allocated at prepare time);
 * ap_entry.S reads this pointer. */
struct aarch64_ap_boot *aarch64_ap_boot;
static bool psci_uses_smc;

static void dcache_clean(const void *p, size_t size)
{
	for (uintptr_t line = (uintptr_t)p & ~(uintptr_t)(CACHE_LINE - 1); line < (uintptr_t)p + size;
	     line += CACHE_LINE) {
		__asm__ volatile("dc cvac, %0" : : "r"(line) : "memory");
	}
	__asm__ volatile("dsb ish" ::: "memory");
}

void aarch64_ap_entry(void);


uint64_t arch_cpu_hwid(void)
{
	return SYSREG_READ(mpidr_el1) & MPIDR_AFFINITY_MASK;
}

static int ap_boot_alloc(void)
{
	aarch64_ap_boot = kmalloc_aligned(cpu_count * sizeof(*aarch64_ap_boot), AP_BOOT_SIZE);
	if (!aarch64_ap_boot) {
		return -ENOMEM;
	}
	dcache_clean(&aarch64_ap_boot, sizeof(aarch64_ap_boot));
	return 0;
}

/* The psci node the shim copied under /devices (PSCI 0.2 or later: CPU_ON
 * has its standard function ID). */
int arch_cpu_start_prepare(const struct boot_info *bi)
{
	int devices = bi->fdt ? fdt_path_offset(bi->fdt, "/devices") : -1;
	int node;

	if (devices >= 0) {
		fdt_for_each_subnode(node, bi->fdt, devices) {
			if (fdt_node_check_compatible(bi->fdt, node, "arm,psci-0.2") != 0 &&
			    fdt_node_check_compatible(bi->fdt, node, "arm,psci-1.0") != 0) {
				continue;
			}
			const char *method = fdt_getprop(bi->fdt, node, "method", NULL);

			if (method && (strcmp(method, "smc") == 0 || strcmp(method, "hvc") == 0)) {
				psci_uses_smc = strcmp(method, "smc") == 0;
				return ap_boot_alloc();
			}
			printf("smp: the psci node's method is %s%s%s, not \"smc\" or \"hvc\"\n",
			       method ? "\"" : "", method ? method : "missing", method ? "\"" : "");
			return -EINVAL;
		}
	}
	printf("smp: no PSCI 0.2+ node in the device tree: cannot start the other CPUs\n");
	return -ENODEV;
}

static int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	/* SMC Calling Convention: x4-x17 may be clobbered too. */
	if (psci_uses_smc) {
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	} else {
		__asm__ volatile("hvc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
				 :
				 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
				   "x14", "x15", "x16", "x17", "memory");
	}
	return (int64_t)x0;
}

/* Vectors, stacks and TPIDR_EL2 are all the per-CPU state there is. */
size_t arch_cpu_tables_size(void)
{
	return 0;
}

int arch_cpu_start(unsigned int cpu, uint64_t hwid, const struct cpu_start *start)
{
	struct aarch64_ap_boot *b = &aarch64_ap_boot[cpu];
	uint64_t exception_stack_top =
		start->tables ? start->exception_stack_top : stack_alloc(EXCEPTION_STACK_SIZE);

	if (exception_stack_top == 0) {
		return -ENOMEM;
	}
	*b = (struct aarch64_ap_boot){
		.mair = SYSREG_READ(mair_el2),
		.tcr = SYSREG_READ(tcr_el2),
		.ttbr0 = SYSREG_READ(ttbr0_el2),
		.sctlr = SYSREG_READ(sctlr_el2),
		.vbar = SYSREG_READ(vbar_el2),
		.cptr = SYSREG_READ(cptr_el2),
		.hcr = SYSREG_READ(hcr_el2),
		.cnthctl = SYSREG_READ(cnthctl_el2),
		.cntvoff = SYSREG_READ(cntvoff_el2),
		.stack_top = start->stack_top,
		.tp = start->tp,
		.exception_stack_top = exception_stack_top,
		.entry = (uint64_t)(uintptr_t)start->entry,
	};
	/* The AP reads the block with its caches off. */
	dcache_clean(b, sizeof(*b));

	int64_t rc = psci_call(PSCI_0_2_FN64_CPU_ON, hwid, (uint64_t)(uintptr_t)aarch64_ap_entry, cpu);

	if (rc != 0) {
		/* PSCI: -2 invalid parameters, -4 already on, -5 on pending,
		 * -6 internal failure, -9 invalid address. */
		printf("smp: PSCI CPU_ON for MPIDR %#llx returned %lld\n", (unsigned long long)hwid,
		       (long long)rc);
		return -EIO;
	}
	return 0;
}

/* PSCI offers no way to stop another CPU; one that arrives after all
 * parks itself in smp_ap_main(). */
void arch_cpu_start_cancel(unsigned int cpu, uint64_t hwid)
{
	(void)cpu;
	(void)hwid;
}

/* The blocks stay: a CPU given up on may still read its own. */
void arch_cpu_start_finish(void)
{
}
