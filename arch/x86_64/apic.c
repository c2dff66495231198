/* x86_64 interrupts: the local APIC and the interrupt vectors 32-255.
 *
 * The APIC runs in x2APIC mode (MSRs) when CPUID says the CPU has it, in
 * xAPIC mode (MMIO at IA32_APIC_BASE) otherwise: QEMU 7.2 TCG -cpu max has
 * no x2APIC.  Nothing comes through LINT0/LINT1 (no 8259, no external NMI
 * pin: qboot leaves LINT0 masked and Hillock keeps it so); APIC errors get
 * a vector and are logged.
 *
 * The APIC cannot mask one vector, so masking is done here, per CPU: a
 * masked vector that arrives is acknowledged and remembered, and unmasking
 * raises it again as a self-IPI. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include <arch/apic.h>
#include <arch/idt.h>
#include <arch/io.h>
#include <hillock/arch.h>
#include <hillock/heap.h>
#include <hillock/irq.h>
#include <hillock/spinlock.h>

#define X86_IRQ_FIRST 32
#define X86_IRQ_STACK_SIZE (16u << 10)
#define APIC_IPI_TIMEOUT_NS 1000000 /* xAPIC: 1 ms for the ICR to accept */

extern const uint64_t x86_irq_stubs[X86_IDT_VECTORS - X86_IRQ_FIRST];

static bool apic_x2apic;
static volatile uint32_t *apic_mmio;
static __thread uint64_t irq_masked[X86_IDT_VECTORS / 64];
static __thread uint64_t irq_pending[X86_IDT_VECTORS / 64];

uint32_t apic_read(unsigned int reg)
{
	if (apic_x2apic) {
		return (uint32_t)rdmsr(MSR_X2APIC_FIRST + reg / 16);
	}
	return apic_mmio[reg / 4];
}

void apic_write(unsigned int reg, uint32_t value)
{
	if (apic_x2apic) {
		wrmsr(MSR_X2APIC_FIRST + reg / 16, value);
	} else {
		apic_mmio[reg / 4] = value;
	}
}

int apic_icr_send(uint32_t apic_id, uint32_t low)
{
	unsigned long flags = arch_irq_save();
	int rc = 0;

	if (apic_x2apic) {
		/* Orders earlier stores before the IPI: x2APIC MSR writes
		 * are not serializing. */
		__asm__ volatile("mfence" ::: "memory");
		wrmsr(MSR_X2APIC_FIRST + APIC_ICR_LOW / 16, (uint64_t)apic_id << 32 | low);
	} else {
		apic_write(APIC_ICR_HIGH, apic_id << 24);
		apic_write(APIC_ICR_LOW, low);
		uint64_t t0 = arch_time_ns();

		while (apic_read(APIC_ICR_LOW) & APIC_ICR_PENDING) {
			if (arch_time_ns() - t0 > APIC_IPI_TIMEOUT_NS) {
				printf("apic: IPI %#x to APIC %u not accepted in 1 ms\n", low, apic_id);
				rc = -ETIMEDOUT;
				break;
			}
			arch_cpu_relax();
		}
	}
	arch_irq_restore(flags);
	return rc;
}

static void apic_error(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
	/* ESR latches on a write. */
	apic_write(APIC_ESR, 0);
	printf("apic: error, ESR %#x\n", apic_read(APIC_ESR));
}

/* Called by irq_entry.S with interrupts disabled. */
void x86_irq(uint64_t vector)
{
	unsigned int v = (unsigned int)vector;
	uint64_t bit = 1ull << (v % 64);

	if (v == APIC_VECTOR_SPURIOUS) {
		return; /* not in service: no EOI */
	}
	if (irq_masked[v / 64] & bit) {
		irq_pending[v / 64] |= bit;
		arch_irq_eoi(v);
		return;
	}
	irq_dispatch(v);
}

int arch_irq_init(const struct boot_info *bi)
{
	(void)bi; /* IA32_APIC_BASE is the authority on x86 */
	uint32_t r[4];

	cpuid(1, 0, r);
	apic_x2apic = (r[2] & CPUID1_ECX_X2APIC) != 0;
	if (!apic_x2apic) {
		apic_mmio = (volatile uint32_t *)(uintptr_t)(rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK);
	}
	for (unsigned int v = X86_IRQ_FIRST; v < X86_IDT_VECTORS; v++) {
		x86_idt_set_gate(v, x86_irq_stubs[v - X86_IRQ_FIRST], X86_IST_IRQ);
	}
	int rc = irq_register(APIC_VECTOR_ERROR, apic_error, NULL);

	if (rc) {
		return rc;
	}
	if (apic_x2apic) {
		printf("apic: x2APIC\n");
	} else {
		printf("apic: xAPIC at %#llx\n", (unsigned long long)(uintptr_t)apic_mmio);
	}
	return 0;
}

int arch_irq_init_cpu(void)
{
	void *stack = kmalloc_aligned(X86_IRQ_STACK_SIZE, 16);

	if (!stack) {
		printf("apic: no memory for the interrupt stack\n");
		return -ENOMEM;
	}
	x86_tss_set_ist(X86_IST_IRQ, (uint64_t)(uintptr_t)stack + X86_IRQ_STACK_SIZE);
	return arch_irq_init_cpu_local();
}

int arch_irq_init_cpu_local(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);

	/* x2APIC is entered from xAPIC mode, never directly from disabled. */
	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		wrmsr(MSR_APIC_BASE, base);
	}
	if (apic_x2apic && !(base & APIC_BASE_EXTD)) {
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
	}
	apic_write(APIC_TPR, 0);
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | APIC_VECTOR_TIMER);
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, APIC_VECTOR_ERROR);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | APIC_VECTOR_SPURIOUS);
	/* Clear errors latched before the APIC was set up. */
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
	return 0;
}

unsigned int arch_irq_first(void)
{
	return X86_IRQ_FIRST;
}

unsigned int arch_irq_count(void)
{
	return APIC_VECTOR_ALLOC_END;
}

void arch_irq_mask(unsigned int irq)
{
	unsigned long flags = arch_irq_save();

	irq_masked[irq / 64] |= 1ull << (irq % 64);
	arch_irq_restore(flags);
}

void arch_irq_unmask(unsigned int irq)
{
	unsigned long flags = arch_irq_save();
	uint64_t bit = 1ull << (irq % 64);
	bool pending = irq_pending[irq / 64] & bit;

	irq_masked[irq / 64] &= ~bit;
	irq_pending[irq / 64] &= ~bit;
	if (pending) {
		apic_icr_send(0, APIC_ICR_SELF | APIC_ICR_ASSERT | irq);
	}
	arch_irq_restore(flags);
}

void arch_irq_eoi(unsigned int irq)
{
	(void)irq;
	apic_write(APIC_EOI, 0);
}

void arch_irq_send_ipi(uint64_t hwid, unsigned int irq)
{
	apic_icr_send((uint32_t)hwid, APIC_ICR_ASSERT | irq);
}
