/* x86_64 services for generic code: exit, randomness, time, the console. */
#include <stdint.h>
#include <stdio.h>

#include <arch/io.h>
#include <arch/x86.h>
#include <drivers/uart16550.h>
#include <hillock/arch.h>
#include <hillock/console.h>
#include <hillock/cpu.h>
#include <hillock/irq.h>
#include <hillock/mix.h>
#include <hillock/spinlock.h>

#define DEBUG_EXIT_PORT 0xf4 /* -device isa-debug-exit,iobase=0xf4,iosize=4 */
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_GATE 0x61
#define PIT_HZ 1193182u
#define CPUID1_ECX_RDRAND (1u << 30)

const char arch_name[] = "x86_64";

static uint64_t tsc_at_entry;
static uint64_t tsc_hz;

void arch_console_putc(char c)
{
	uart16550_putc(c);
}

_Noreturn void arch_exit(int status)
{
	console_flush();
	/* QEMU exits with (value << 1) | 1: 1 for pass, 3.. for failures. */
	outl(DEBUG_EXIT_PORT, (uint32_t)status);
	/* No debug-exit device: stop here rather than run on. */
	for (;;) {
		__asm__ volatile("cli; hlt");
	}
}

uint64_t arch_random_u64(void)
{
	static uint64_t mix;
	uint32_t r[4];
	uint64_t v;
	unsigned char ok;

	cpuid(1, 0, r);
	if (r[2] & CPUID1_ECX_RDRAND) {
		for (int i = 0; i < 10; i++) {
			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
			if (ok) {
				return v;
			}
		}
	}
	mix ^= rdtsc();
	return mix64_next(&mix);
}

/* Count TSC ticks across 2 ms of PIT channel 2 (mode 0, gate on, speaker
 * off; bit 5 of port 0x61 rises when the count reaches zero).  2 ms keeps
 * the PIT's one-tick uncertainty under 0.05% while costing little boot
 * time. */
#define TSC_CALIBRATE_DIV 500 /* 1 s / 500 = 2 ms */

static uint64_t tsc_calibrate(void)
{
	const uint16_t count = PIT_HZ / TSC_CALIBRATE_DIV;
	uint64_t t0, t1;
	long spins = 0;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0); /* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20)) {
		if (++spins > 100000000) {
			return 0;
		}
	}
	t1 = rdtsc();
	return (t1 - t0) * TSC_CALIBRATE_DIV;
}

void x86_time_init(uint64_t entry_tsc)
{
	tsc_at_entry = entry_tsc;
	tsc_hz = tsc_calibrate();
	if (tsc_hz == 0) {
		tsc_hz = 1000000000;
		printf("time: PIT did not count; assuming a 1 GHz TSC\n");
	}
}

uint64_t arch_time_ns(void)
{
	if (tsc_hz == 0) {
		return 0;
	}
	return (uint64_t)((unsigned __int128)(rdtsc() - tsc_at_entry) * 1000000000u / tsc_hz);
}

uint64_t x86_tsc_hz(void)
{
	return tsc_hz;
}

uint64_t arch_phys_limit(void)
{
	uint32_t r[4];

	cpuid(0x80000000u, 0, r);
	if (r[0] < 0x80000008u) {
		return 1ull << 36;
	}
	cpuid(0x80000008u, 0, r);
	return 1ull << (r[0] & 0xff);
}

uint64_t arch_boot_map_limit(void)
{
	return 4ull << 30; /* entry.S maps the low 4 GiB */
}

#define RFLAGS_IF (1ul << 9)

void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags & RFLAGS_IF;
}

void arch_irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF) {
		__asm__ volatile("sti" ::: "memory");
	}
}

uint64_t x86_tlb_generation;
uint64_t x86_tlb_flushed[CPU_MAX];

void x86_tlb_answer(void)
{
	unsigned long flags = arch_irq_save();
	uint64_t generation = __atomic_load_n(&x86_tlb_generation, __ATOMIC_ACQUIRE);

	if (__atomic_load_n(&x86_tlb_flushed[cpu_id], __ATOMIC_RELAXED) < generation) {
		uint64_t cr3;

		/* Kernel mappings are not global (no PTE_G): a CR3 reload drops them all. */
		__asm__ volatile("mov %%cr3, %0; mov %0, %%cr3" : "=r"(cr3) : : "memory");
		__atomic_store_n(&x86_tlb_flushed[cpu_id], generation, __ATOMIC_RELEASE);
	}
	arch_irq_restore(flags);
}

/* Every spin-wait loop comes through here, so a CPU that spins with
 * interrupts off (for a lock, for an smp_call, for a shootdown of its own)
 * still answers a TLB shootdown, and two CPUs never wait on each other. */
void arch_cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
	if (__atomic_load_n(&x86_tlb_flushed[cpu_id], __ATOMIC_RELAXED) <
	    __atomic_load_n(&x86_tlb_generation, __ATOMIC_RELAXED)) {
		x86_tlb_answer();
	}
}

/* Called with interrupts disabled: "sti; hlt" opens the window for exactly
 * the halt, so a wake-up cannot slip in between the check and the wait. */
void arch_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* As if fn had been called on the new stack: no frame to return to. */
_Noreturn void arch_stack_switch(uint64_t stack_top, void (*fn)(unsigned int),
				 unsigned int arg)
{
	__asm__ volatile("mov %0, %%rsp\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "push $0\n\t"
			 "jmp *%1"
			 :
			 : "r"(stack_top), "r"(fn), "D"(arg)
			 : "memory");
	__builtin_unreachable();
}
