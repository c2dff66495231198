/* x86_64 AP start: INIT-SIPI-SIPI through the local APIC, into the real-mode
 * trampoline of ap_trampoline.S.
 *
 * A startup IPI starts a CPU in real mode at a page below 1 MiB, and all
 * of Hillock's memory is VTL2 RAM above that.  So for the time of the
 * starts only, Hillock borrows the lowest VTL0 RAM page at or above 0x1000
 * (page 0 holds the real-mode vectors): it saves the page, copies the
 * trampoline there, and puts the saved contents back once every AP has
 * arrived or been given up on; VTL0 has not run yet, so it never sees the
 * difference.  A host that starts virtual processors itself (Hyper-V's
 * HvCallStartVirtualProcessor, with the initial register state in the call)
 * needs none of this: a backend for it replaces this file.
 *
 * Assumptions to replace when the IGVM MADT parameter is read: the APIC
 * ID of each CPU is its VP index (QEMU's default numbering, and what the
 * shim's /cpus reg holds), and the APIC is in xAPIC mode or x2APIC with
 * IDs below 256. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <arch/ap_trampoline.h>
#include <arch/apic.h>
#include <arch/cpu_tables.h>
#include <arch/idt.h>
#include <arch/io.h>
#include <arch/x86.h>
#include <hillock/arch.h>
#include <hillock/boot.h>
#include <hillock/cpu.h>
#include <hillock/heap.h>
#include <hillock/irq.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/spinlock.h>

#define LOW_MEMORY_END 0x100000ull /* what a SIPI vector can reach */
#define MSR_PAT 0x277
#define ICR_INIT 0x0000c500u   /* INIT, level-triggered, assert */
#define ICR_STARTUP 0x00000600u /* startup; the page number in bits 7:0 */

extern const char x86_ap_trampoline[], x86_ap_trampoline_params[], x86_ap_trampoline_end[];

/* The parameter block (arch/ap_trampoline.h has the layout). */
struct ap_trampoline_params {
	uint32_t jump32_offset;
	uint16_t jump32_selector, pad0;
	uint32_t jump64_offset;
	uint16_t jump64_selector, pad1;
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint16_t pad2;
	uint64_t cr3, cr4, efer, cr0, pat, xcr0;
	uint64_t entry;
	uint64_t slots;
	uint32_t slot_count, pad3;
	uint64_t gdt[4];
} __attribute__((packed));
_Static_assert(offsetof(struct ap_trampoline_params, jump64_offset) == AP_TRAMP_JUMP64, "layout");
_Static_assert(offsetof(struct ap_trampoline_params, gdt_limit) == AP_TRAMP_GDTR, "layout");
_Static_assert(offsetof(struct ap_trampoline_params, cr3) == AP_TRAMP_CR3, "layout");
_Static_assert(offsetof(struct ap_trampoline_params, xcr0) == AP_TRAMP_XCR0, "layout");
_Static_assert(offsetof(struct ap_trampoline_params, entry) == AP_TRAMP_ENTRY, "layout");
_Static_assert(offsetof(struct ap_trampoline_params, slots) == AP_TRAMP_SLOTS, "layout");
_Static_assert(offsetof(struct ap_trampoline_params, slot_count) == AP_TRAMP_SLOT_COUNT, "layout");
_Static_assert(offsetof(struct ap_trampoline_params, gdt) == AP_TRAMP_GDT, "layout");
_Static_assert(sizeof(struct ap_trampoline_params) == AP_TRAMP_PARAMS_SIZE, "layout");

struct x86_ap_slot {
	uint32_t apic_id;
	uint32_t cpu;
	uint64_t stack_top;
	uint64_t tp;
};
_Static_assert(offsetof(struct x86_ap_slot, stack_top) == AP_SLOT_STACK_TOP, "layout");
_Static_assert(offsetof(struct x86_ap_slot, tp) == AP_SLOT_TP, "layout");
_Static_assert(sizeof(struct x86_ap_slot) == AP_SLOT_SIZE, "layout");

static struct x86_ap_slot ap_slots[CPU_MAX];
/* What x86_ap_main() sets up before it enters the CPU's entry: its tables,
 * its #DF/NMI stack and, for a sidecar CPU, its interrupt stack (0: the
 * kernel's arch_irq_init_cpu() allocates one). */
static struct x86_ap_setup {
	struct x86_cpu_tables *tables;
	uint64_t ist_top;
	uint64_t irq_stack_top;
	void (*entry)(unsigned int cpu);
} ap_setup[CPU_MAX];
/* The borrowed page, what it held, and how it was mapped before. */
static uint64_t trampoline_page;
static void *trampoline_saved;
static int trampoline_old_flags;

_Noreturn void x86_ap_main(unsigned int cpu);

uint64_t arch_cpu_hwid(void)
{
	uint32_t r[4];

	cpuid(1, 0, r);
	return r[1] >> 24; /* initial APIC ID */
}

static uint64_t read_cr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0: __asm__ volatile("mov %%cr0, %0" : "=r"(v)); break;
	case 3: __asm__ volatile("mov %%cr3, %0" : "=r"(v)); break;
	case 4: __asm__ volatile("mov %%cr4, %0" : "=r"(v)); break;
	}
	return v;
}

/* The lowest VTL0 RAM page in [0x1000, 1 MiB), or 0. */
static uint64_t low_vtl0_page(const struct boot_info *bi)
{
	for (unsigned int i = 0; i < bi->vtl0_ram_count; i++) {
		uint64_t lo = bi->vtl0_ram[i].base < PAGE_SIZE ? PAGE_SIZE : bi->vtl0_ram[i].base;
		uint64_t end = bi->vtl0_ram[i].base + bi->vtl0_ram[i].size;

		lo = (lo + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
		if (lo + PAGE_SIZE <= end && lo + PAGE_SIZE <= LOW_MEMORY_END) {
			return lo;
		}
	}
	return 0;
}

int arch_cpu_start_prepare(const struct boot_info *bi)
{
	size_t size = (uintptr_t)x86_ap_trampoline_end - (uintptr_t)x86_ap_trampoline;
	size_t params_at = (uintptr_t)x86_ap_trampoline_params - (uintptr_t)x86_ap_trampoline;
	uint64_t page = low_vtl0_page(bi), cr3 = read_cr(3);
	int rc;

	if (page == 0) {
		printf("smp: no VTL0 RAM page below 1 MiB to start the other CPUs from\n");
		return -ENOMEM;
	}
	/* The trampoline loads CR3 in 32-bit mode. */
	if (cr3 >> 32) {
		printf("smp: the page tables at %#llx are above 4 GiB, out of the trampoline's reach\n",
		       (unsigned long long)cr3);
		return -ERANGE;
	}
	trampoline_saved = kmalloc(PAGE_SIZE);
	if (!trampoline_saved) {
		return -ENOMEM;
	}
	trampoline_page = page;
	trampoline_old_flags = mmu_query(page);
	rc = mmu_map(page, PAGE_SIZE, MMU_READ | MMU_WRITE);
	if (rc != 0) {
		printf("smp: mapping the trampoline page %#llx failed (%d)\n", (unsigned long long)page, rc);
		return rc;
	}
	uint8_t *p = (uint8_t *)(uintptr_t)page;

	memcpy(trampoline_saved, p, PAGE_SIZE);
	memcpy(p, x86_ap_trampoline, size);

	struct ap_trampoline_params *tp = (struct ap_trampoline_params *)(p + params_at);

	tp->jump32_offset += (uint32_t)page;
	tp->jump64_offset += (uint32_t)page;
	tp->gdt_base += (uint32_t)page;
	tp->cr0 = read_cr(0);
	tp->cr3 = cr3;
	tp->cr4 = read_cr(4);
	tp->efer = rdmsr(MSR_EFER) & ~(uint64_t)EFER_LMA;
	tp->pat = rdmsr(MSR_PAT);
	if (tp->cr4 & CR4_OSXSAVE) {
		uint32_t lo, hi;

		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		tp->xcr0 = (uint64_t)hi << 32 | lo;
	}
	tp->entry = (uint64_t)(uintptr_t)x86_ap_main;
	tp->slots = (uint64_t)(uintptr_t)ap_slots;
	tp->slot_count = cpu_count - 1;
	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		ap_slots[cpu - 1] = (struct x86_ap_slot){(uint32_t)cpus[cpu].hwid, cpu, 0, 0};
	}
	printf("smp: starting %u CPUs through VTL0 page %#llx (restored afterwards)\n", cpu_count - 1,
	       (unsigned long long)page);
	/* Executable and, as nothing may be both, no longer writable. */
	return mmu_map(page, PAGE_SIZE, MMU_READ | MMU_EXEC);
}

size_t arch_cpu_tables_size(void)
{
	return sizeof(struct x86_cpu_tables);
}

int arch_cpu_start(unsigned int cpu, uint64_t hwid, const struct cpu_start *start)
{
	struct x86_ap_setup *setup = &ap_setup[cpu];
	int rc;

	if (hwid > 0xff) {
		return -EINVAL;
	}
	if (start->tables) {
		/* A sidecar CPU: one small stack for #DF, NMI and interrupts. */
		setup->tables = start->tables;
		setup->ist_top = start->exception_stack_top;
		setup->irq_stack_top = start->exception_stack_top;
	} else {
		/* The tables, then the #DF/NMI stack. */
		size_t size = sizeof(struct x86_cpu_tables) + X86_IST_STACK_SIZE;
		uint64_t pa = page_alloc((size + PAGE_SIZE - 1) / PAGE_SIZE, 1, PAGE_USE_PERCPU);

		if (pa == 0) {
			return -ENOMEM;
		}
		setup->tables = (struct x86_cpu_tables *)(uintptr_t)pa;
		setup->ist_top = (pa + size) & ~15ull;
		setup->irq_stack_top = 0;
	}
	memset(setup->tables, 0, sizeof(*setup->tables));
	setup->entry = start->entry;
	ap_slots[cpu - 1].stack_top = start->stack_top;
	ap_slots[cpu - 1].tp = start->tp;
	/* INIT, then two startup IPIs: the second in case the first was lost
	 * (a CPU already running ignores it).  The delays Intel's MP
	 * initialization protocol puts between them (10 ms, 200 us) were for
	 * discrete APICs; like Linux on current CPUs, Hillock sends them back
	 * to back, and each IPI waits for the APIC to accept it.  The INIT
	 * de-assert of old protocols is not sent: xAPICs ignore it. */
	rc = apic_icr_send((uint32_t)hwid, ICR_INIT);
	for (int i = 0; i < 2 && rc == 0; i++) {
		rc = apic_icr_send((uint32_t)hwid, ICR_STARTUP | (uint32_t)(trampoline_page >> PAGE_SHIFT));
	}
	return rc;
}

void arch_cpu_start_cancel(unsigned int cpu, uint64_t hwid)
{
	(void)cpu;
	apic_icr_send((uint32_t)hwid, ICR_INIT);
}

void arch_cpu_start_finish(void)
{
	uint8_t *p = (uint8_t *)(uintptr_t)trampoline_page;

	if (mmu_map(trampoline_page, PAGE_SIZE, MMU_READ | MMU_WRITE) == 0) {
		memcpy(p, trampoline_saved, PAGE_SIZE);
	} else {
		printf("smp: could not restore VTL0 page %#llx\n", (unsigned long long)trampoline_page);
	}
	if (trampoline_old_flags < 0) {
		mmu_unmap(trampoline_page, PAGE_SIZE);
	} else {
		mmu_map(trampoline_page, PAGE_SIZE, (unsigned int)trampoline_old_flags);
	}
	kfree(trampoline_saved);
	trampoline_saved = NULL;
}

/* From the trampoline: long mode on the kernel's tables, this CPU's stack
 * and thread pointer; the boot CPU's control registers. */
_Noreturn void x86_ap_main(unsigned int cpu)
{
	const struct x86_ap_setup *setup = &ap_setup[cpu];

	x86_exceptions_init_cpu(setup->tables, setup->ist_top);
	if (setup->irq_stack_top) {
		x86_tss_set_ist(X86_IST_IRQ, setup->irq_stack_top);
	}
	/* The boot CPU unmaps the trampoline page when all have arrived; no
	 * stale translation of it may stay behind here. */
	__asm__ volatile("invlpg (%0)" : : "r"(trampoline_page) : "memory");
	setup->entry(cpu);
	smp_park();
}
