/* aarch64 user privilege (hillock/user.h).
 *
 * Where user code runs.  Hillock runs at EL2 without VHE (HCR_EL2.E2H =
 * 0), a translation regime that has no EL0.  User code runs at EL0 of the
 * EL1&0 regime instead, whose stage-1 tables (TTBR0_EL1) Hillock builds:
 * they are the user address space.  Stage 2 stays off (HCR_EL2.VM = 0), so
 * those tables are the only translation and their output addresses are
 * physical.  EL1 never runs anything but the vector stub below.
 *
 * What a user address space maps: the caller's pages, in [USER_VA_MIN,
 * USER_VA_MAX), and one page of Hillock's, the EL1 vector stub
 * (user_entry.S), at its Hillock address (in the image, so below the
 * 256 GiB entry.S maps and below USER_VA_MIN).  User pages are EL0-
 * accessible, never EL1-executable (PXN), read-only unless MMU_WRITE,
 * EL0-execute-never (UXN) unless MMU_EXEC, never both.  The stub page is
 * EL1-only, read-only, EL1-executable, UXN.  Hillock's own TTBR0_EL2
 * tables never map user addresses, and nothing else of Hillock's is in
 * the user's.
 *
 * How user code leaves.  With HCR_EL2.TGE = 0, EL0's synchronous
 * exceptions (SVC, aborts, undefined instructions...) are taken to EL1,
 * whose vector table (VBAR_EL1) is the stub: each slot is "hvc #slot",
 * which traps to EL2 with the exception still in ESR_EL1, ELR_EL1,
 * SPSR_EL1 and FAR_EL1 and the user's registers untouched.  Physical
 * IRQs and FIQs go to EL2 directly (HCR_EL2.IMO, FMO; gic.c).  EL2 takes
 * them all in the lower-EL slots of aarch64_user_vectors (user_entry.S),
 * its vector table for the time of the run, and user_exit_decode()
 * below says what it was:
 *
 *   SVC #0 at EL0                  a call: x8 the number, x0-x3 the arguments;
 *                                  the user resumes at ELR_EL1, past the SVC
 *   another exception to EL1       a fault, decoded from ESR_EL1 and FAR_EL1
 *                                  as Hillock's own are (aarch64_fault_info())
 *   an exception trapped to EL2    a fault, from ESR_EL2 and FAR_EL2
 *   an IRQ while EL0 runs          an interrupt, still pending at the GIC:
 *                                  arch_user_interrupt() unmasks IRQs at EL2
 *                                  for a moment and Hillock's handler takes it
 *   an IRQ while the stub runs     (before its HVC) the EL0 exception the
 *                                  stub carries; the IRQ stays pending
 *   a FIQ, an SError               a fault (FAULT_OTHER): Hillock never takes
 *                                  FIQs, so one would come back at every resume
 *
 * The EL1&0 regime, programmed by every run (user_el1_enter()): HCR_EL2.RW
 * (EL1 is AArch64) with TGE, VM, DC and HCD clear; TTBR0_EL1 the root,
 * ASID 0; TCR_EL1 as Hillock's own regime (39-bit VA, 4 KiB granule,
 * write-back walks, 40-bit PA), TTBR1 walks off; MAIR_EL1 = MAIR_EL2;
 * SCTLR_EL1 MMU and caches on, EL0 cache maintenance, DC ZVA, DAIF,
 * CTR_EL0, WFI and WFE trapped (sysreg.h); CPACR_EL1 FP/SIMD on (SVE and
 * SME trap); CNTKCTL_EL1 0, no counter or timer at EL0 (CNTV is
 * Hillock's timer, which EL2 programs and takes whatever runs); VBAR_EL1
 * the stub.  After the run TCR_EL1.EPD0 stops every walk of the user
 * tables, so that no CPU caches translations from tables about to be
 * freed while Hillock runs.
 *
 * TLB.  EL1&0 entries are tagged by VMID and ASID, both constant here.
 * A CPU flushes its own (TLBI VMALLE1) when it runs a root other than the
 * one it ran last; destroying an address space flushes every CPU's (TLBI
 * VMALLE1IS); a mapping replaced in live tables is broken before it is
 * made (mmu.c).
 *
 * Concurrency.  Each CPU keeps its run frame on its own exception stack
 * (user_entry.S), so CPUs may run user code at the same time, though not
 * from the same struct arch_user_regs; an address space must not be
 * changed or destroyed while a CPU runs it. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <arch/page_table.h>
#include <arch/regs.h>
#include <arch/sysreg.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/panic.h>
#include <hillock/user.h>

/* The output addresses TCR_EL1.IPS allows: 40 bits. */
#define USER_PA_LIMIT (1ull << 40)

/* The lower-EL slots of an EL2 vector table, by which user code leaves
 * (aarch64_user_enter() returns one): synchronous, IRQ, FIQ, SError from
 * AArch64; 12-15 would be from AArch32, which EL0 and EL1 never are. */
enum user_slot {
	USER_SLOT_SYNC = 8,
	USER_SLOT_IRQ,
	USER_SLOT_FIQ,
	USER_SLOT_SERROR,
};
/* The stub's slot for EL0's synchronous exceptions, and a slot's size. */
#define STUB_SLOT_EL0_SYNC 8
#define STUB_SLOT_SIZE 0x80

#define USER_DESC_COMMON (DESC_TABLE | PTE_AF | PTE_SH_INNER | PTE_ATTR(MAIR_NORMAL_IDX))
#define STUB_DESC (USER_DESC_COMMON | DESC_AP_RO | DESC_UXN)

extern const char aarch64_user_el1_vectors[]; /* the stub, a page of its own */
extern const char aarch64_user_vectors[];
unsigned int aarch64_user_enter(struct arch_user_regs *r);

/* The root this CPU last ran, whose translations its TLB may hold. */
static __thread uint64_t *user_last_root;

static uint64_t stub_addr(void)
{
	return (uint64_t)(uintptr_t)aarch64_user_el1_vectors;
}

int arch_uspace_init(struct arch_uspace *as)
{
	int rc;

	as->root = stage1_table_alloc();
	if (!as->root) {
		return -ENOMEM;
	}
	rc = stage1_map(as->root, STAGE1_EL10, stub_addr(), stub_addr(), PAGE_SIZE, STUB_DESC);
	if (rc != 0) {
		stage1_free(as->root);
		as->root = NULL;
	}
	return rc;
}

/* Make code the caller wrote through Hillock's mapping visible to
 * instruction fetches: clean the data cache to the point of unification,
 * then invalidate the instruction caches.  Cleaning by address needs a
 * mapping at EL2, so pages Hillock does not map are left alone. */
static void user_icache_sync(uint64_t pa, uint64_t size)
{
	uint64_t line = 4ull << ((SYSREG_READ(ctr_el0) >> 16) & 0xf); /* DminLine */

	for (uint64_t page = pa; page < pa + size; page += PAGE_SIZE) {
		if (mmu_query(page) < 0) {
			continue;
		}
		for (uint64_t a = page; a < page + PAGE_SIZE; a += line) {
			__asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
		}
	}
	__asm__ volatile("dsb ish\n\tic ialluis\n\tdsb ish\n\tisb" ::: "memory");
}

int arch_uspace_map(struct arch_uspace *as, uint64_t va, uint64_t pa, uint64_t size,
		    unsigned int flags)
{
	uint64_t desc = USER_DESC_COMMON | DESC_AP_EL0 | DESC_PXN;

	int rc = user_map_check(va, pa, size, flags, USER_PA_LIMIT);

	if (!as->root) {
		return -EINVAL;
	}
	if (rc != 0) {
		return rc;
	}
	desc |= flags & MMU_WRITE ? 0 : DESC_AP_RO;
	desc |= flags & MMU_EXEC ? 0 : DESC_UXN;
	if (flags & MMU_EXEC) {
		user_icache_sync(pa, size);
	}
	return stage1_map(as->root, STAGE1_EL10, va, pa, size, desc);
}

void arch_uspace_destroy(struct arch_uspace *as)
{
	if (!as->root) {
		return;
	}
	/* No CPU walks these tables any more (TCR_EL1.EPD0 outside runs):
	 * drop what any of them cached, then free them. */
	__asm__ volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
	stage1_free(as->root);
	as->root = NULL;
}

void arch_user_regs_init(struct arch_user_regs *r, uint64_t pc, uint64_t sp, uint64_t tp,
			 uint64_t arg0, uint64_t arg1)
{
	memset(r, 0, sizeof(*r));
	r->pc = pc;
	r->sp = sp;
	r->tpidr = tp;
	r->x[0] = arg0;
	r->x[1] = arg1;
	r->pstate = SPSR_M_EL0T; /* DAIF clear: interrupts enabled */
}

void arch_user_set_result(struct arch_user_regs *r, uint64_t value)
{
	r->x[0] = value;
}

/* The EL1&0 regime for a run of the tables at root (see the top). */
static void user_el1_enter(uint64_t *root)
{
	uint64_t hcr = SYSREG_READ(hcr_el2);
	uint64_t want = (hcr | HCR_EL2_RW) & ~(HCR_EL2_TGE | HCR_EL2_VM | HCR_EL2_DC | HCR_EL2_HCD);

	if (want != hcr) {
		SYSREG_WRITE(hcr_el2, want);
	}
	SYSREG_WRITE(mair_el1, MAIR_EL2_VALUE);
	SYSREG_WRITE(tcr_el1, TCR_EL1_VALUE);
	SYSREG_WRITE(ttbr0_el1, (uint64_t)(uintptr_t)root);
	SYSREG_WRITE(sctlr_el1,
		     SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I);
	SYSREG_WRITE(cpacr_el1, CPACR_EL1_FPEN);
	SYSREG_WRITE(cntkctl_el1, 0);
	/* No EL0 access to the performance monitors or the debug
	 * communication channel, and no value in the read-only thread
	 * register that EL0 could read: set here rather than trusting reset
	 * values. */
	SYSREG_WRITE(pmuserenr_el0, 0);
	SYSREG_WRITE(mdscr_el1, 0);
	SYSREG_WRITE(tpidrro_el0, 0);
	SYSREG_WRITE(vbar_el1, stub_addr());
	__asm__ volatile("isb" ::: "memory");
	if (user_last_root != root) {
		__asm__ volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" ::: "memory");
		user_last_root = root;
	}
}

static void user_el1_leave(void)
{
	SYSREG_WRITE(tcr_el1, TCR_EL1_VALUE | TCR_EL1_EPD0);
	__asm__ volatile("isb" ::: "memory");
}

/* A synchronous exception of EL0 that the stub carried to EL2 from its
 * slot stub_slot: user code resumes where EL1 would have returned. */
static void user_exit_el1(struct arch_user_regs *r, unsigned int stub_slot, struct user_exit *exit)
{
	uint64_t esr = SYSREG_READ(esr_el1);
	unsigned int ec = (unsigned int)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	r->pc = SYSREG_READ(elr_el1);
	r->pstate = SYSREG_READ(spsr_el1);
	if (stub_slot != STUB_SLOT_EL0_SYNC) {
		/* Not EL0's synchronous slot: an SError from EL0 taken to
		 * EL1 (HCR_EL2.AMO clear), or an exception the stub itself
		 * took at EL1 (slots 0-7), which it never should. */
		exit->kind = USER_EXIT_FAULT;
		exit->fault = (struct fault_info){
		    .kind = FAULT_OTHER, .addr = r->pc, .pc = r->pc, .syndrome = esr};
	} else if (ec == ESR_EC_SVC64 && (esr & ESR_ISS_IMM16_MASK) == 0) {
		exit->kind = USER_EXIT_CALL;
		exit->call = r->x[8];
		for (int i = 0; i < USER_CALL_ARGS; i++) {
			exit->args[i] = r->x[i];
		}
	} else {
		exit->kind = USER_EXIT_FAULT;
		exit->fault = aarch64_fault_info(esr, SYSREG_READ(far_el1), r->pc);
	}
}

/* What made user code leave by slot; r holds its registers as the
 * exception found them (pc and pstate: ELR_EL2, SPSR_EL2). */
static void user_exit_decode(struct arch_user_regs *r, unsigned int slot, struct user_exit *exit)
{
	uint64_t esr = SYSREG_READ(esr_el2);
	unsigned int ec = (unsigned int)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	uint64_t in_stub = r->pc - stub_addr();

	if ((r->pstate & SPSR_M_MASK) != SPSR_M_EL0T) {
		/* From EL1, that is from the stub: its HVC, or an interrupt
		 * that came before the HVC could run. */
		if (slot == USER_SLOT_SYNC && ec == ESR_EC_HVC64) {
			user_exit_el1(r, (unsigned int)(esr & ESR_ISS_IMM16_MASK), exit);
			return;
		}
		if ((slot == USER_SLOT_IRQ || slot == USER_SLOT_FIQ) && in_stub < PAGE_SIZE) {
			user_exit_el1(r, (unsigned int)(in_stub / STUB_SLOT_SIZE), exit);
			return;
		}
	}
	switch (slot) {
	case USER_SLOT_IRQ:
		exit->kind = USER_EXIT_INTERRUPT;
		exit->vector = 0;
		break;
	case USER_SLOT_SYNC:
		exit->kind = USER_EXIT_FAULT;
		exit->fault = aarch64_fault_info(esr, SYSREG_READ(far_el2), r->pc);
		break;
	default: /* a FIQ, an SError; only the SError has a syndrome */
		exit->kind = USER_EXIT_FAULT;
		exit->fault = (struct fault_info){.kind = FAULT_OTHER,
						  .addr = r->pc,
						  .pc = r->pc,
						  .syndrome = slot == USER_SLOT_SERROR ? esr : 0};
		break;
	}
}

void arch_user_run(struct arch_uspace *as, struct arch_user_regs *r, struct user_exit *exit)
{
	uint64_t vbar = SYSREG_READ(vbar_el2);
	unsigned int slot;

	if (!as->root || !(SYSREG_READ(daif) & SPSR_DAIF_I)) {
		panic("user: run with no address space or with interrupts unmasked");
	}
	user_el1_enter(as->root);
	/* EL0t with interrupts unmasked; flags and the like as they were. */
	r->pstate &= ~(uint64_t)(SPSR_M_MASK | SPSR_DAIF | SPSR_IL | SPSR_SS);
	SYSREG_WRITE(vbar_el2, (uint64_t)(uintptr_t)aarch64_user_vectors);
	__asm__ volatile("isb" ::: "memory");
	slot = aarch64_user_enter(r);
	SYSREG_WRITE(vbar_el2, vbar);
	__asm__ volatile("isb" ::: "memory");
	user_el1_leave();
	user_exit_decode(r, slot, exit);
}

void arch_user_interrupt(const struct user_exit *exit)
{
	(void)exit;
	__asm__ volatile("msr daifclr, #2\n\tisb\n\tmsr daifset, #2" ::: "memory");
}
