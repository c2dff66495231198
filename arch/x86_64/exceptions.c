/* x86_64 exceptions: each CPU's GDT with its own TSS, the IDT (one for all
 * CPUs) for vectors 0-31, and the report printed when one fires.
 *
 * Every exception is fatal for now: print the CPU, the registers and a
 * backtrace with function names, stop the other CPUs, then stop with a
 * failing status (hillock/panic.h).  #DF and NMI switch to their
 * own stack (IST1) so a blown kernel stack still produces a report instead
 * of a triple fault. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arch/cpu_tables.h>
#include <arch/idt.h>
#include <arch/regs.h>
#include <arch/x86.h>
#include <hillock/arch.h>
#include <hillock/backtrace.h>
#include <hillock/cpu.h>
#include <hillock/fault.h>
#include <hillock/image.h>
#include <hillock/kmsg.h>
#include <hillock/panic.h>
#include <hillock/symbols.h>

#define X86_VECTORS 32
#define VEC_NMI 2
#define VEC_UD 6
#define VEC_DF 8
#define VEC_PF 14
#define GDT_TSS 0x18

extern const uint64_t x86_vector_stubs[X86_VECTORS];

static struct x86_cpu_tables bsp_tables;
static uint8_t bsp_ist_stack[X86_IST_STACK_SIZE] __attribute__((aligned(16)));
/* This CPU's TSS, in its tables. */
static __thread struct x86_tss *cpu_tss;
static struct x86_idt_gate idt[X86_IDT_VECTORS];

static const char *const vector_names[X86_VECTORS] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
	"#SS stack fault", "#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD exception",
	"#VE virtualization", "#CP control protection",
};

struct x86_idt_gate x86_idt_gate_make(uint64_t handler, unsigned int ist, uint8_t type_attr)
{
	return (struct x86_idt_gate){
		.offset_low = (uint16_t)handler,
		.selector = GDT_KERNEL_CS,
		.ist = (uint8_t)ist,
		.type_attr = type_attr,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_high = (uint32_t)(handler >> 32),
	};
}

void x86_idt_set_gate(unsigned int vector, uint64_t handler, unsigned int ist)
{
	idt[vector] = x86_idt_gate_make(handler, ist, X86_IDT_INTERRUPT_GATE);
}

void x86_tss_set_ist(unsigned int ist, uint64_t stack_top)
{
	cpu_tss->ist[ist - 1] = stack_top;
}

/* A 16-byte TSS descriptor, type 9 (available 64-bit TSS). */
void x86_gdt_set_tss(uint64_t slot[2], const struct x86_tss *tss)
{
	uint64_t base = (uint64_t)(uintptr_t)tss;

	slot[0] = (sizeof(*tss) - 1) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
		  ((base >> 24) & 0xff) << 56;
	slot[1] = base >> 32;
}

void x86_exceptions_init_cpu(struct x86_cpu_tables *t, uint64_t ist_top)
{
	t->gdt[0] = 0;
	t->gdt[1] = X86_DESC_KERNEL_CODE; /* 0x08 */
	t->gdt[2] = X86_DESC_KERNEL_DATA; /* 0x10 */
	x86_gdt_set_tss(&t->gdt[3], &t->tss); /* 0x18 */
	cpu_tss = &t->tss;
	x86_tss_set_ist(X86_IST_EXCEPTION, ist_top);
	t->tss.iomap_base = sizeof(t->tss);

	struct x86_table_ptr gdtr = {sizeof(t->gdt) - 1, (uint64_t)(uintptr_t)t->gdt};

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1: ltr %w2"
			 :
			 : "m"(gdtr), "i"(GDT_KERNEL_CS), "r"(GDT_TSS)
			 : "rax", "memory");

	struct x86_table_ptr idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void x86_exceptions_init(void)
{
	for (unsigned int v = 0; v < X86_VECTORS; v++) {
		x86_idt_set_gate(v, x86_vector_stubs[v],
				 (v == VEC_DF || v == VEC_NMI) ? X86_IST_EXCEPTION : 0);
	}
	/* Vectors 32-255 stay not present (a #NP report) until
	 * arch/x86_64/apic.c installs its interrupt stubs. */
	x86_exceptions_init_cpu(&bsp_tables,
				(uint64_t)(uintptr_t)(bsp_ist_stack + sizeof(bsp_ist_stack)));
}

_Noreturn void arch_cpu_halt(void)
{
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}

void x86_fault_decode(const struct x86_regs *r, uint64_t cr2, struct fault_info *fi)
{
	*fi = (struct fault_info){
		.kind = FAULT_OTHER,
		.addr = r->rip,
		.pc = r->rip,
		.syndrome = r->vector << 32 | (uint32_t)r->error,
	};
	if (r->vector == VEC_PF) {
		fi->addr = cr2;
		fi->kind = r->error & PF_ERR_FETCH   ? FAULT_EXEC
			   : r->error & PF_ERR_WRITE ? FAULT_WRITE
						     : FAULT_READ;
	} else if (r->vector == VEC_UD) {
		fi->kind = FAULT_UNDEFINED;
	}
}

void x86_exception(struct x86_regs *r)
{
	uint64_t cr2, cr3;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));

	struct fault_info fi;

	x86_fault_decode(r, cr2, &fi);
	/* A test that expects this fault gets control back here. */
	fault_deliver(&fi);

	panic_report_begin(EXIT_STATUS_EXCEPTION);

	const char *name = r->vector < 22 ? vector_names[r->vector] : "reserved";
	uint64_t base = (uint64_t)(uintptr_t)__image_start, offset;
	const char *function = symbol_lookup(r->rip, &offset);
	char summary[KMSG_TEXT_MAX + 1];

	snprintf(summary, sizeof(summary), "EXCEPTION %llu (%s) error %#llx on cpu %u",
		 (unsigned long long)r->vector, name, (unsigned long long)r->error, cpu_self());
	printf("\n*** %s\n", summary);
	printf("fault: %s at %016llx\n", fault_kind_name(fi.kind), (unsigned long long)fi.addr);
	printf("rip %016llx (image+%#llx %s+%#llx) cs %llx rflags %016llx\n",
	       (unsigned long long)r->rip, (unsigned long long)(r->rip - base),
	       function ? function : "?", (unsigned long long)(function ? offset : 0),
	       (unsigned long long)r->cs, (unsigned long long)r->rflags);
	printf("rsp %016llx ss %llx cr2 %016llx cr3 %016llx\n", (unsigned long long)r->rsp,
	       (unsigned long long)r->ss, (unsigned long long)cr2, (unsigned long long)cr3);
	printf("rax %016llx rbx %016llx rcx %016llx rdx %016llx\n", (unsigned long long)r->rax,
	       (unsigned long long)r->rbx, (unsigned long long)r->rcx, (unsigned long long)r->rdx);
	printf("rsi %016llx rdi %016llx rbp %016llx r8  %016llx\n", (unsigned long long)r->rsi,
	       (unsigned long long)r->rdi, (unsigned long long)r->rbp, (unsigned long long)r->r8);
	printf("r9  %016llx r10 %016llx r11 %016llx r12 %016llx\n", (unsigned long long)r->r9,
	       (unsigned long long)r->r10, (unsigned long long)r->r11, (unsigned long long)r->r12);
	printf("r13 %016llx r14 %016llx r15 %016llx\n", (unsigned long long)r->r13,
	       (unsigned long long)r->r14, (unsigned long long)r->r15);
	printf("backtrace:\n");
	backtrace_print(r->rbp, r->rsp);
	panic_report_end("exception", summary, EXIT_STATUS_EXCEPTION);
}
