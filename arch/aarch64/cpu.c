/* aarch64 services for generic code: exit, randomness, time, the console. */
#include <stdint.h>
#include <stdio.h>

#include <drivers/pl011.h>
#include <hillock/arch.h>
#include <hillock/console.h>
#include <hillock/mix.h>
#include <hillock/spinlock.h>

/* Semihosting (Arm's "Semihosting for AArch32 and AArch64"): HLT #0xf000
 * with the operation in w0 and a parameter block in x1. */
#define SEMIHOSTING_SYS_EXIT 0x18
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF 0x84000008

const char arch_name[] = "aarch64";

static uint64_t counter_at_entry;
static uint64_t counter_hz;

void arch_console_putc(char c)
{
	pl011_putc(c);
}

static _Noreturn void aarch64_semihosting_exit(int status)
{
	uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint64_t)status};
	register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
	/* No semihosting: power off through PSCI (status is lost), then stop. */
	x0 = PSCI_SYSTEM_OFF;
	__asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
	for (;;) {
		__asm__ volatile("wfi");
	}
}

_Noreturn void arch_exit(int status)
{
	console_flush();
	aarch64_semihosting_exit(status);
}

static inline uint64_t counter_read(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
	return v;
}

uint64_t arch_random_u64(void)
{
	static uint64_t mix;
	uint64_t isar0, v;
	int ok;

	/* ID_AA64ISAR0_EL1.RNDR, bits 63:60: FEAT_RNG (RNDR register). */
	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if ((isar0 >> 60) != 0) {
		for (int i = 0; i < 10; i++) {
			/* RNDR sets NZCV to 0100 (Z) on failure. */
			__asm__ volatile("mrs %0, s3_3_c2_c4_0\n\tcset %w1, ne"
					 : "=r"(v), "=r"(ok)
					 :
					 : "cc");
			if (ok) {
				return v;
			}
		}
	}
	mix ^= counter_read();
	return mix64_next(&mix);
}

void aarch64_time_init(uint64_t entry_counter)
{
	counter_at_entry = entry_counter;
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(counter_hz));
	if (counter_hz == 0) {
		counter_hz = 62500000; /* QEMU virt's frequency */
		printf("time: CNTFRQ_EL0 is 0; assuming 62.5 MHz\n");
	}
}

uint64_t arch_time_ns(void)
{
	if (counter_hz == 0) {
		return 0;
	}
	return (uint64_t)((unsigned __int128)(counter_read() - counter_at_entry) * 1000000000u /
			  counter_hz);
}

uint64_t arch_phys_limit(void)
{
	/* ID_AA64MMFR0_EL1.PARange (bits 3:0) -> physical address bits. */
	static const uint8_t pa_bits[] = {32, 36, 40, 42, 44, 48, 52};
	uint64_t mmfr0;

	__asm__ volatile("mrs %0, id_aa64mmfr0_el1" : "=r"(mmfr0));
	unsigned int range = (unsigned int)(mmfr0 & 0xf);

	return 1ull << (range < sizeof(pa_bits) ? pa_bits[range] : 48);
}

uint64_t arch_boot_map_limit(void)
{
	return 256ull << 30; /* entry.S maps the low 256 GiB */
}

#define DAIF_I (1ul << 7)

void arch_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void arch_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

unsigned long arch_irq_save(void)
{
	unsigned long daif;

	__asm__ volatile("mrs %0, daif; msr daifset, #2" : "=r"(daif) : : "memory");
	return daif & DAIF_I;
}

void arch_irq_restore(unsigned long flags)
{
	if (!(flags & DAIF_I)) {
		__asm__ volatile("msr daifclr, #2" ::: "memory");
	}
}

void arch_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}

/* Called with interrupts masked: WFI wakes on a pending interrupt even
 * while masked; unmasking then takes it. */
void arch_wait_for_interrupt(void)
{
	__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
}

/* On SP_EL0, where Hillock runs; no frame record to return to. */
_Noreturn void arch_stack_switch(uint64_t stack_top, void (*fn)(unsigned int),
				 unsigned int arg)
{
	register uint64_t x0 __asm__("x0") = arg;

	__asm__ volatile("mov sp, %0\n\t"
			 "mov x29, #0\n\t"
			 "mov x30, #0\n\t"
			 "br %1"
			 :
			 : "r"(stack_top), "r"(fn), "r"(x0)
			 : "memory");
	__builtin_unreachable();
}
