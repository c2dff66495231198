/* x86_64 exceptions: the GDT with a TSS, the IDT for vectors 0-31, and the
 * report printed when one fires.
 *
 * Every exception is fatal for now: print the registers and a frame-pointer
 * backtrace, then stop with a failing status.  #DF and NMI switch to their
 * own stack (IST1) so a blown kernel stack still produces a report instead
 * of a triple fault. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <arch/regs.h>
#include <arch/x86.h>
#include <hillock/arch.h>
#include <hillock/panic.h>

/* 64-bit TSS (SDM Vol. 3 §8.7). */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_tss) == 104, "64-bit TSS is 104 bytes");

/* 64-bit interrupt gate (SDM Vol. 3 §6.14.1). */
struct x86_idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr; /* 0x8e: present, DPL 0, 64-bit interrupt gate */
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct x86_idt_gate) == 16, "IDT gate is 16 bytes");

struct x86_table_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define X86_VECTORS 32
#define VEC_NMI 2
#define VEC_DF 8
#define VEC_PF 14
#define GDT_TSS 0x18
#define IST_STACK_SIZE 8192

extern const uint64_t x86_vector_stubs[X86_VECTORS];

static uint64_t gdt[5];
static struct x86_tss tss;
static struct x86_idt_gate idt[X86_VECTORS];
static uint8_t ist_stack[IST_STACK_SIZE] __attribute__((aligned(16)));
static int exception_depth;

static const char *const vector_names[X86_VECTORS] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
	"#SS stack fault", "#GP general protection", "#PF page fault", "reserved",
	"#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD exception",
	"#VE virtualization", "#CP control protection",
};

void x86_exceptions_init(void)
{
	uint64_t tss_base = (uint64_t)(uintptr_t)&tss;

	gdt[1] = 0x00af9a000000ffffull; /* 0x08: 64-bit code, DPL 0 */
	gdt[2] = 0x00cf92000000ffffull; /* 0x10: data */
	/* 0x18: 16-byte TSS descriptor, type 9 (available 64-bit TSS). */
	gdt[3] = (sizeof(tss) - 1) | ((tss_base & 0xffffff) << 16) | (0x89ull << 40) |
		 ((tss_base >> 24) & 0xff) << 56;
	gdt[4] = tss_base >> 32;
	tss.ist[0] = (uint64_t)(uintptr_t)(ist_stack + sizeof(ist_stack));
	tss.iomap_base = sizeof(tss);

	struct x86_table_ptr gdtr = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1: ltr %w2"
			 :
			 : "m"(gdtr), "i"(GDT_KERNEL_CS), "r"(GDT_TSS)
			 : "rax", "memory");

	for (int v = 0; v < X86_VECTORS; v++) {
		uint64_t off = x86_vector_stubs[v];

		idt[v] = (struct x86_idt_gate){
			.offset_low = (uint16_t)off,
			.selector = GDT_KERNEL_CS,
			.ist = (v == VEC_DF || v == VEC_NMI) ? 1 : 0,
			.type_attr = 0x8e,
			.offset_mid = (uint16_t)(off >> 16),
			.offset_high = (uint32_t)(off >> 32),
		};
	}
	struct x86_table_ptr idtr = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* Walk saved frame pointers.  Only frames inside the image are trusted;
 * prebuilt library code may not keep %rbp as a frame pointer. */
static void x86_backtrace(uint64_t rbp, uint64_t lo, uint64_t hi)
{
	extern char __image_start[];
	uint64_t base = (uint64_t)(uintptr_t)__image_start;

	for (int depth = 0; depth < 32 && rbp >= lo && rbp + 16 <= hi && !(rbp & 7); depth++) {
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		uint64_t ret = frame[1];

		if (ret < base) {
			break;
		}
		printf("  #%d image+%#llx\n", depth, (unsigned long long)(ret - base));
		if (frame[0] <= rbp) {
			break;
		}
		rbp = frame[0];
	}
}

void x86_exception(struct x86_regs *r)
{
	extern char __image_start[], __image_end[];
	uint64_t cr2, cr3;

	if (++exception_depth > 1) {
		/* A fault while reporting a fault: stop now. */
		arch_exit(EXIT_STATUS_EXCEPTION);
	}
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));

	const char *name = r->vector < 22 ? vector_names[r->vector] : "reserved";
	uint64_t base = (uint64_t)(uintptr_t)__image_start;

	printf("\n*** EXCEPTION %llu (%s) error %#llx on cpu 0\n", (unsigned long long)r->vector, name,
	       (unsigned long long)r->error);
	printf("rip %016llx (image+%#llx) cs %llx rflags %016llx\n", (unsigned long long)r->rip,
	       (unsigned long long)(r->rip - base), (unsigned long long)r->cs,
	       (unsigned long long)r->rflags);
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
	x86_backtrace(r->rbp, base, (uint64_t)(uintptr_t)__image_end);
	arch_exit(EXIT_STATUS_EXCEPTION);
}
