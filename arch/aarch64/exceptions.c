/* EL2 exception reports.  Every exception is fatal for now: print the CPU,
 * the syndrome, the registers and a backtrace with function names, stop
 * the other CPUs, then stop with a failing status (hillock/panic.h).
 * Reports run on the CPU's exception stack (SP_EL2; vectors.S), so a
 * kernel stack that ran into its guard page is reported too. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <arch/regs.h>
#include <arch/sysreg.h>
#include <hillock/arch.h>
#include <hillock/backtrace.h>
#include <hillock/cpu.h>
#include <hillock/fault.h>
#include <hillock/image.h>
#include <hillock/kmsg.h>
#include <hillock/panic.h>
#include <hillock/symbols.h>

static const char *const kind_names[4] = {"synchronous", "IRQ", "FIQ", "SError"};
static const char *const origin_names[4] = {"EL2/SP_EL0", "EL2/SP_EL2", "lower EL (AArch64)",
					    "lower EL (AArch32)"};

static const char *esr_class_name(unsigned int ec)
{
	switch (ec) {
	case 0x00: return "unknown reason (e.g. undefined instruction)";
	case 0x07: return "FP/SIMD access trapped";
	case 0x15: return "SVC";
	case 0x16: return "HVC";
	case 0x18: return "system register access trapped";
	case 0x20: case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x3c: return "BRK";
	default: return "other";
	}
}

_Noreturn void arch_cpu_halt(void)
{
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	for (;;) {
		__asm__ volatile("wfi");
	}
}

struct fault_info aarch64_fault_info(uint64_t esr, uint64_t far, uint64_t pc)
{
	unsigned int ec = (unsigned int)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	bool mmu_fault = (esr & ESR_ISS_FSC_MASK) <= ESR_FSC_MMU_MAX;
	struct fault_info fi = {.kind = FAULT_OTHER, .addr = pc, .pc = pc, .syndrome = esr};

	switch (ec) {
	case ESR_EC_UNKNOWN:
	case ESR_EC_BRK: /* what __builtin_trap() emits, UD2 on x86 */
		fi.kind = FAULT_UNDEFINED;
		break;
	case ESR_EC_IABT_LOWER:
	case ESR_EC_IABT_CURRENT:
		fi.kind = mmu_fault ? FAULT_EXEC : FAULT_OTHER;
		fi.addr = far;
		break;
	case ESR_EC_DABT_LOWER:
	case ESR_EC_DABT_CURRENT:
		fi.kind = !mmu_fault ? FAULT_OTHER
			  : (esr & ESR_ISS_WNR) && !(esr & ESR_ISS_CM) ? FAULT_WRITE
								      : FAULT_READ;
		fi.addr = far;
		break;
	}
	return fi;
}

void aarch64_exception(struct aarch64_regs *r, uint64_t kind)
{
	uint64_t base = (uint64_t)(uintptr_t)__image_start;
	unsigned int ec = (unsigned int)(r->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	struct fault_info fi = {.kind = FAULT_OTHER, .addr = r->elr, .pc = r->elr, .syndrome = r->esr};

	/* Only synchronous exceptions (kind 0 of each group of four) have a
	 * syndrome that describes them. */
	if ((kind & 3) == 0) {
		fi = aarch64_fault_info(r->esr, r->far, r->elr);
	}
	/* A test that expects this fault gets control back here. */
	fault_deliver(&fi);

	panic_report_begin(EXIT_STATUS_EXCEPTION);

	uint64_t offset;
	const char *function = symbol_lookup(r->elr, &offset);
	char summary[KMSG_TEXT_MAX + 1];

	snprintf(summary, sizeof(summary), "EXCEPTION %s from %s on cpu %u: ESR %#llx (EC %#x: %s)",
		 kind_names[kind & 3], origin_names[(kind >> 2) & 3], cpu_self(),
		 (unsigned long long)r->esr, ec, esr_class_name(ec));
	printf("\n*** %s\n", summary);
	printf("fault: %s at %016llx\n", fault_kind_name(fi.kind), (unsigned long long)fi.addr);
	printf("pc  %016llx (image+%#llx %s+%#llx) spsr %08llx far %016llx\n",
	       (unsigned long long)r->elr, (unsigned long long)(r->elr - base),
	       function ? function : "?", (unsigned long long)(function ? offset : 0),
	       (unsigned long long)r->spsr, (unsigned long long)r->far);
	/* A leaf function keeps its return address in x30 only: the frame
	 * records below start at its caller's caller. */
	function = symbol_lookup(r->x[30] - 1, &offset);
	if (function) {
		printf("lr  %016llx (image+%#llx %s+%#llx)\n", (unsigned long long)r->x[30],
		       (unsigned long long)(r->x[30] - base), function,
		       (unsigned long long)(offset + 1));
	}
	for (int i = 0; i < 31; i += 4) {
		for (int j = i; j < i + 4 && j < 31; j++) {
			printf("x%-2d %016llx%s", j, (unsigned long long)r->x[j], j + 1 < i + 4 ? " " : "");
		}
		printf("\n");
	}
	printf("sp  %016llx\nbacktrace:\n", (unsigned long long)r->sp);
	backtrace_print(r->x[29], r->sp);
	panic_report_end("exception", summary, EXIT_STATUS_EXCEPTION);
}
