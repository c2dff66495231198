/* x86_64 user privilege (hillock/user.h): code at ring 3 in an address
 * space of its own, entered and left through a gate.
 *
 * A user address space is a PML4 of its own that maps only
 *
 *   the user's pages    what arch_uspace_map() put in [USER_VA_MIN,
 *                       USER_VA_MAX): user-accessible, no-execute unless
 *                       MMU_EXEC, writable only with MMU_WRITE
 *   the gate            supervisor-only, at the same addresses as in
 *                       Hillock's tables (link.ld.S keeps each part on
 *                       pages of its own):
 *     [__user_gate_text_start, __user_gate_text_end)  R+X: user_entry.S's
 *                       way in (load the user CR3, IRETQ) and the vector
 *                       stubs that lead back out
 *     [__user_gate_data_start, __user_gate_data_end)  R+W, NX: the gate
 *                       IDT, GDT and TSS, the gate stack (the TSS's RSP0),
 *                       Hillock's CR3 and a slot for CR2
 *
 * Hillock's other pages are absent from it, as with KPTI: user code cannot
 * reach them, and no translation of them exists to leak through.
 *
 * The way in (arch_user_run, then x86_user_enter in user_entry.S), with
 * interrupts off on Hillock's stack: the user's registers go into the frame
 * at the top of the gate stack; Hillock's callee-saved registers, stack
 * pointer, x87 control word and MXCSR, CR3, FS base, GDTR, IDTR, TR and
 * selectors are saved; the user's FP state is loaded (FXRSTOR); the gate
 * GDT, TSS and IDT are loaded, the data selectors nulled and FS base set
 * to the user's thread pointer; then, on the gate, CR3 becomes the user's
 * and IRETQ enters ring 3 with interrupts on.
 *
 * The way out: every vector taken at ring 3 arrives through the gate IDT
 * (interrupt gates: interrupts off) on the gate stack.  The stub makes the
 * frame a struct x86_regs, saves CR2 and loads Hillock's CR3; then, on
 * Hillock's tables, its GDT (its TSS's busy bit cleared for LTR), TSS,
 * IDT, selectors and FS base come back, the user's FP state is saved
 * (FXSAVE) and Hillock's x87 and MXCSR state restored, and x86_user_enter
 * returns.  The vector says what happened:
 *
 *   0xf8 (USER_CALL_VECTOR)  a call: the one gate of DPL 3, so the only
 *                            vector user code can raise with INT n
 *                            (another gives #GP, a fault)
 *   0-31                     a fault, decoded like Hillock's own
 *                            (arch/x86_64/exceptions.c)
 *   32-255                   an interrupt, not yet acknowledged:
 *                            arch_user_interrupt() hands the vector to
 *                            x86_irq(), which dispatches and EOIs it
 *
 * There is one gate for the machine: only one CPU runs user code at a time
 * (the callers' rule; checked here).  SYSCALL and SYSENTER, which would
 * enter ring 0 elsewhere than the gate, stay off (EFER.SCE clear; the
 * SYSENTER MSRs are never set, so SYSENTER faults).  SMEP and SMAP stay
 * on: Hillock never touches user pages through user addresses.
 *
 * TLBs: PCIDs are off and no mapping is global, so a write to CR3 drops
 * every translation and cached paging-structure entry of the tables it
 * leaves.  Every way out writes Hillock's CR3, so once arch_user_run()
 * returns, no CPU holds anything from a user address space: changing its
 * tables or freeing them needs no shootdown. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arch/apic.h>
#include <arch/cpu_tables.h>
#include <arch/idt.h>
#include <arch/io.h>
#include <arch/page_table.h>
#include <arch/regs.h>
#include <arch/user.h>
#include <arch/x86.h>
#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/init.h>
#include <hillock/irq.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/panic.h>
#include <hillock/user.h>

_Static_assert(USER_CALL_VECTOR >= APIC_VECTOR_ALLOC_END && USER_CALL_VECTOR != APIC_VECTOR_TIMER &&
		       USER_CALL_VECTOR != APIC_VECTOR_ERROR &&
		       USER_CALL_VECTOR != APIC_VECTOR_SPURIOUS,
	       "no interrupt may arrive on the call vector");
_Static_assert(offsetof(struct x86_regs, cs) == 18 * 8, "FRAME_CS of user_entry.S");
_Static_assert(GATE_GDT_SLOTS == GATE_GDT_TSS / 8 + 2, "the TSS descriptor ends the gate GDT");

#define X86_EXCEPTION_VECTORS 32
#define VEC_GP 13
#define GATE_STACK_SIZE 4096

#define RFLAGS_IF (1ull << 9)
/* What user code may choose: CF PF AF ZF SF TF DF OF, AC, ID.  Not IOPL,
 * NT, RF, VM, VIF, VIP; IF is always set. */
#define RFLAGS_USER 0x00240dd5ull

/* FNINIT's x87 control word and the power-on MXCSR: all exceptions masked,
 * round to nearest. */
#define FCW_DEFAULT 0x037f
#define MXCSR_DEFAULT 0x1f80

/* The gate's data: what the CPU reads and writes on the user's tables.
 * Built once (user_gate_init); the stack's frame is the user's registers
 * on the way in and out. */
struct user_gate {
	struct x86_idt_gate idt[X86_IDT_VECTORS];
	uint64_t gdt[GATE_GDT_SLOTS];
	struct x86_tss tss;
	struct {
		uint8_t room[GATE_STACK_SIZE - sizeof(struct x86_regs)];
		struct x86_regs frame; /* ends at RSP0 */
	} stack __attribute__((aligned(16)));
};
_Static_assert(offsetof(struct user_gate, stack.frame) % 16 == 0 &&
		       sizeof(struct x86_regs) % 16 == 0,
	       "RSP0 (the end of the frame) is 16-byte aligned, as the CPU aligns it");

static struct user_gate user_gate __attribute__((section(".user_gate.bss"), aligned(4096)));

/* For x86_user_enter's LGDT and LIDT. */
struct x86_table_ptr user_gate_gdtr, user_gate_idtr;

/* The CPU running user code, or -1; and the address space it runs. */
static int user_gate_cpu = -1;
static uint64_t user_gate_pml4;

extern const char user_gate_stubs[];
extern const char __user_gate_text_start[], __user_gate_text_end[];
extern const char __user_gate_data_start[], __user_gate_data_end[];
/* Saved by the way out (user_entry.S). */
extern uint64_t user_gate_cr2, x86_user_fs_base;

void x86_user_enter(struct x86_fxsave_area *fx, uint64_t fs_base, uint64_t pml4,
		    struct x86_regs *frame);


/*
 * The gate switches the general registers, the FXSAVE state and the FS
 * base, nothing more.  CPU state it does not switch must not exist: XSAVE
 * components beyond SSE (CR4.OSXSAVE), a GS base user code could write
 * (CR4.FSGSBASE), protection keys (CR4.PKE), and AMD's fast FXSAVE
 * (EFER.FFXSR), with which FXRSTOR at ring 0 skips the XMM registers so
 * Hillock's would reach user code.  Hillock uses none of them; whatever the
 * boot context turned on is turned off here, on the boot CPU, before the
 * others start and copy its CR4 and EFER (smp.c).  UMIP, when the CPU has
 * it, stops ring 3 from reading where Hillock's GDT and IDT are (SGDT,
 * SIDT).
 */
static void user_gate_cpu_features(void)
{
	uint64_t cr4, efer = rdmsr(MSR_EFER);
	uint32_t r[4];

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 &= ~(CR4_OSXSAVE | CR4_FSGSBASE | CR4_PKE);
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		if (r[2] & CPUID7_ECX_UMIP) {
			cr4 |= CR4_UMIP;
		}
	}
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4) : "memory");
	if (efer & EFER_FFXSR) {
		wrmsr(MSR_EFER, efer & ~EFER_FFXSR);
	}
}

static int user_gate_init(const struct boot_info *bi)
{
	uint64_t stubs = (uint64_t)(uintptr_t)user_gate_stubs;

	(void)bi;
	for (unsigned int v = 0; v < X86_IDT_VECTORS; v++) {
		user_gate.idt[v] = x86_idt_gate_make(stubs + v * USER_GATE_STUB_SIZE, 0,
						     v == USER_CALL_VECTOR ? X86_IDT_INTERRUPT_GATE_DPL3
									   : X86_IDT_INTERRUPT_GATE);
	}
	user_gate.gdt[0] = 0;
	user_gate.gdt[GDT_KERNEL_CS / 8] = X86_DESC_KERNEL_CODE;
	user_gate.gdt[GDT_KERNEL_DS / 8] = X86_DESC_KERNEL_DATA;
	user_gate.gdt[GATE_GDT_USER_DS / 8] = X86_DESC_USER_DATA;
	user_gate.gdt[GATE_GDT_USER_CS / 8] = X86_DESC_USER_CODE;
	x86_gdt_set_tss(&user_gate.gdt[GATE_GDT_TSS / 8], &user_gate.tss);
	/* No I/O bitmap: with IOPL 0, every port access at ring 3 faults. */
	user_gate.tss.iomap_base = sizeof(user_gate.tss);
	user_gate.tss.rsp[0] = (uint64_t)(uintptr_t)(&user_gate.stack.frame + 1);
	user_gate_gdtr = (struct x86_table_ptr){sizeof(user_gate.gdt) - 1,
						(uint64_t)(uintptr_t)user_gate.gdt};
	user_gate_idtr = (struct x86_table_ptr){sizeof(user_gate.idt) - 1,
						(uint64_t)(uintptr_t)user_gate.idt};
	/* SYSCALL would enter ring 0 at LSTAR on the user's tables.  The boot
	 * context leaves it off and the other CPUs copy this one's EFER. */
	if (rdmsr(MSR_EFER) & EFER_SCE) {
		printf("user: EFER.SCE is set: SYSCALL would bypass the gate\n");
		return -EINVAL;
	}
	user_gate_cpu_features();
	return 0;
}
INIT_CALL(INIT_CPU, user_gate_init);

int arch_uspace_init(struct arch_uspace *as)
{
	uint64_t text = (uint64_t)(uintptr_t)__user_gate_text_start;
	uint64_t data = (uint64_t)(uintptr_t)__user_gate_data_start;
	uint64_t *root = x86_tables_alloc();
	int rc;

	as->pml4 = 0;
	if (!root) {
		return -ENOMEM;
	}
	/* No MMU_USER: supervisor-only. */
	rc = x86_tables_map(root, text, text, (uint64_t)(uintptr_t)__user_gate_text_end - text,
			    MMU_READ | MMU_EXEC);
	if (rc == 0) {
		rc = x86_tables_map(root, data, data,
				    (uint64_t)(uintptr_t)__user_gate_data_end - data,
				    MMU_READ | MMU_WRITE);
	}
	if (rc != 0) {
		x86_tables_free(root);
		return rc;
	}
	as->pml4 = (uint64_t)(uintptr_t)root;
	return 0;
}

int arch_uspace_map(struct arch_uspace *as, uint64_t va, uint64_t pa, uint64_t size,
		    unsigned int flags)
{
	int rc = user_map_check(va, pa, size, flags, arch_phys_limit());

	if (as->pml4 == 0) {
		return -EINVAL;
	}
	if (rc != 0) {
		return rc;
	}
	return x86_tables_map((uint64_t *)(uintptr_t)as->pml4, va, pa, size, flags | MMU_USER);
}

void arch_uspace_destroy(struct arch_uspace *as)
{
	if (as->pml4 == 0) {
		return;
	}
	if (__atomic_load_n(&user_gate_pml4, __ATOMIC_ACQUIRE) == as->pml4) {
		panic("user: address space %#llx destroyed while it runs",
		      (unsigned long long)as->pml4);
	}
	/* Cached nowhere: see the TLB note at the top. */
	x86_tables_free((uint64_t *)(uintptr_t)as->pml4);
	as->pml4 = 0;
}

void arch_user_regs_init(struct arch_user_regs *r, uint64_t pc, uint64_t sp, uint64_t tp,
			 uint64_t arg0, uint64_t arg1)
{
	memset(r, 0, sizeof(*r));
	r->rip = pc;
	r->rsp = sp;
	r->fs_base = tp;
	r->rdi = arg0;
	r->rsi = arg1;
	r->rflags = USER_RFLAGS_FIXED | RFLAGS_IF;
	r->fx.fcw = FCW_DEFAULT;
	r->fx.mxcsr = MXCSR_DEFAULT;
}

void arch_user_set_result(struct arch_user_regs *r, uint64_t value)
{
	r->rax = value;
}

static bool canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

static void frame_from_regs(struct x86_regs *f, const struct arch_user_regs *r)
{
	*f = (struct x86_regs){
		.r15 = r->r15, .r14 = r->r14, .r13 = r->r13, .r12 = r->r12,
		.r11 = r->r11, .r10 = r->r10, .r9 = r->r9,   .r8 = r->r8,
		.rbp = r->rbp, .rdi = r->rdi, .rsi = r->rsi, .rdx = r->rdx,
		.rcx = r->rcx, .rbx = r->rbx, .rax = r->rax,
		.rip = r->rip,
		.cs = GATE_GDT_USER_CS | 3,
		.rflags = (r->rflags & RFLAGS_USER) | USER_RFLAGS_FIXED | RFLAGS_IF,
		.rsp = r->rsp,
		.ss = GATE_GDT_USER_DS | 3,
	};
}

static void regs_from_frame(struct arch_user_regs *r, const struct x86_regs *f)
{
	r->rax = f->rax;
	r->rbx = f->rbx;
	r->rcx = f->rcx;
	r->rdx = f->rdx;
	r->rsi = f->rsi;
	r->rdi = f->rdi;
	r->rbp = f->rbp;
	r->r8 = f->r8;
	r->r9 = f->r9;
	r->r10 = f->r10;
	r->r11 = f->r11;
	r->r12 = f->r12;
	r->r13 = f->r13;
	r->r14 = f->r14;
	r->r15 = f->r15;
	r->rip = f->rip;
	r->rsp = f->rsp;
	r->rflags = f->rflags;
}

static void exit_decode(struct user_exit *exit, const struct x86_regs *f, uint64_t cr2)
{
	if (f->vector == USER_CALL_VECTOR) {
		exit->kind = USER_EXIT_CALL;
		exit->call = f->rax;
		exit->args[0] = f->rdi;
		exit->args[1] = f->rsi;
		exit->args[2] = f->rdx;
		exit->args[3] = f->r10;
	} else if (f->vector < X86_EXCEPTION_VECTORS) {
		exit->kind = USER_EXIT_FAULT;
		x86_fault_decode(f, cr2, &exit->fault);
	} else {
		exit->kind = USER_EXIT_INTERRUPT;
		exit->vector = (unsigned int)f->vector;
	}
}

void arch_user_run(struct arch_uspace *as, struct arch_user_regs *r, struct user_exit *exit)
{
	struct x86_regs *f = &user_gate.stack.frame;
	int idle = -1;

	if (arch_irq_save() != 0) {
		panic("user: arch_user_run() with interrupts enabled");
	}
	if (as->pml4 == 0) {
		panic("user: arch_user_run() without an address space");
	}
	if (!__atomic_compare_exchange_n(&user_gate_cpu, &idle, (int)cpu_self(), false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		panic("user: cpu %u runs user code while cpu %d does", cpu_self(), idle);
	}
	frame_from_regs(f, r);
	if (!canonical(r->rip) || !canonical(r->fs_base)) {
		/* IRETQ or WRMSR would fault at ring 0: give the user code the
		 * #GP(0) it would have taken itself. */
		f->vector = VEC_GP;
		f->error = 0;
	} else {
		__atomic_store_n(&user_gate_pml4, as->pml4, __ATOMIC_RELEASE);
		user_gate.gdt[GATE_GDT_TSS / 8] &= ~X86_DESC_TSS_BUSY;
		x86_user_enter(&r->fx, r->fs_base, as->pml4, f);
		regs_from_frame(r, f);
		r->fs_base = x86_user_fs_base;
		__atomic_store_n(&user_gate_pml4, 0, __ATOMIC_RELEASE);
	}
	exit_decode(exit, f, user_gate_cr2);
	__atomic_store_n(&user_gate_cpu, -1, __ATOMIC_RELEASE);
}

void arch_user_interrupt(const struct user_exit *exit)
{
	x86_irq(exit->vector);
}
