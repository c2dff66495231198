/* User privilege: running code at ring 3 (x86_64) or EL0 (aarch64) in an
 * address space of its own.  The vTPM compartment is the one user
 * (kernel/tpm_gate.c, docs/vtpm.md).
 *
 * The model is a run loop, like a hypervisor's: arch_user_run() switches
 * to the user address space and privilege, runs until the first event
 * that needs Hillock, switches back and says what it was:
 *
 *   a call      the code asked for a service (x86_64: INT 0xf8 with the
 *               number in rax and arguments in rdi, rsi, rdx, r10, the
 *               result back in rax; aarch64: SVC #0 with the number in x8,
 *               arguments in x0-x3, the result in x0)
 *   a fault     any exception the code caused: it is not resumable
 *   an interrupt that arrived while the code ran: arch_user_interrupt()
 *               hands it to Hillock's handler, then the loop may resume
 *
 * User address spaces hold only what is mapped into them explicitly, plus
 * the few pages the architecture needs to get in and out (x86_64: the
 * entry trampoline with its IDT, GDT, TSS and stack, supervisor-only;
 * aarch64: the EL1 vector stub, EL1-only).  Hillock's own tables never
 * map user pages but for what the caller maps there on purpose. */
#ifndef HILLOCK_USER_H
#define HILLOCK_USER_H

#include <stdint.h>

#include <errno.h>

#include <arch/user.h>
#include <hillock/fault.h>
#include <hillock/mmu.h>

/* Where user mappings go, on both architectures: [256 GiB, 512 GiB).  Below
 * lies everything Hillock maps of itself (its image and VTL2 RAM below
 * 4 GiB on x86_64; aarch64's boot map covers the low 256 GiB); 512 GiB is
 * the end of the first x86_64 PML4 slot and of aarch64's 39-bit tables. */
#define USER_VA_MIN 0x0000004000000000ull
#define USER_VA_MAX 0x0000008000000000ull

/* The call number and the arguments of a call exit. */
#define USER_CALL_ARGS 4

enum user_exit_kind {
	USER_EXIT_CALL = 1,
	USER_EXIT_FAULT,
	USER_EXIT_INTERRUPT,
};

struct user_exit {
	enum user_exit_kind kind;
	/* USER_EXIT_CALL */
	uint64_t call;
	uint64_t args[USER_CALL_ARGS];
	/* USER_EXIT_FAULT: kind read/write/execute/undefined/other, the data
	 * address (or the pc), the pc, the architecture's syndrome (x86_64:
	 * vector << 32 | error code; aarch64: the ESR of the exception the
	 * user code took). */
	struct fault_info fault;
	/* USER_EXIT_INTERRUPT: what arch_user_interrupt() needs (x86_64: the
	 * vector the CPU delivered; aarch64: unused, the interrupt is still
	 * pending at the GIC). */
	unsigned int vector;
};

/* --- What the architecture provides (arch/<arch>/user.c) ----------------- */

/* struct arch_uspace (arch/user.h): a user address space's tables. */

/* An empty user address space, but for the architecture's own entry and
 * exit pages.  0 or -ENOMEM. */
int arch_uspace_init(struct arch_uspace *as);

/* Map [pa, pa + size) at [va, va + size) for user code, page-aligned;
 * flags are MMU_READ, MMU_WRITE, MMU_EXEC (hillock/mmu.h), never both
 * WRITE and EXEC.  va must lie in [USER_VA_MIN, USER_VA_MAX).  0 or a
 * negative errno. */
int arch_uspace_map(struct arch_uspace *as, uint64_t va, uint64_t pa, uint64_t size,
		    unsigned int flags);

/* The checks every arch_uspace_map() makes first: -EINVAL for a
 * misaligned or empty range or flags other than READ with WRITE or EXEC
 * (not both), -ERANGE for a range outside [USER_VA_MIN, USER_VA_MAX) or
 * physical addresses at or beyond pa_limit (what the tables can hold). */
static inline int user_map_check(uint64_t va, uint64_t pa, uint64_t size, unsigned int flags,
				 uint64_t pa_limit)
{
	if (size == 0 || ((va | pa | size) & 0xfff) != 0 ||
	    (flags & ~(MMU_READ | MMU_WRITE | MMU_EXEC)) != 0 || !(flags & MMU_READ) ||
	    ((flags & MMU_WRITE) && (flags & MMU_EXEC))) {
		return -EINVAL;
	}
	if (va < USER_VA_MIN || va >= USER_VA_MAX || size > USER_VA_MAX - va || pa >= pa_limit ||
	    size > pa_limit - pa) {
		return -ERANGE;
	}
	return 0;
}

/* Free the tables (not the pages they map) and drop every translation
 * any CPU may have cached from them. */
void arch_uspace_destroy(struct arch_uspace *as);

/* struct arch_user_regs (arch/user.h): the user code's registers, FP/SIMD
 * state included, while it is not running. */

/* Registers for a fresh start at pc with stack pointer sp, thread pointer
 * tp (x86_64: FS base; aarch64: TPIDR_EL0), arg0 and arg1 in the first two
 * argument registers, everything else zero, interrupts enabled. */
void arch_user_regs_init(struct arch_user_regs *r, uint64_t pc, uint64_t sp, uint64_t tp,
			 uint64_t arg0, uint64_t arg1);

/* Put a call's result where the user code expects it. */
void arch_user_set_result(struct arch_user_regs *r, uint64_t value);

/* Run the user code in as from r until the first exit; r is updated to
 * where it stopped (after the call instruction for a call).  Called with
 * interrupts disabled, returns with them disabled.  Hillock's
 * callee-saved registers, FP/SIMD control and thread pointer survive. */
void arch_user_run(struct arch_uspace *as, struct arch_user_regs *r, struct user_exit *exit);

/* After USER_EXIT_INTERRUPT, interrupts still disabled: run Hillock's
 * handler for it as if it had interrupted Hillock. */
void arch_user_interrupt(const struct user_exit *exit);

#endif
