/* The sidecar's CPU side: the loop an application processor starts in; see
 * hillock/sidecar.h and docs/sidecar.md.
 *
 * A sidecar CPU owns one SIDECAR_AREA_SIZE allocation and nothing else:
 *
 *   +0x0000  struct sidecar_page      the command page, shared with clients
 *   +0x1000  struct sidecar_cpu       VP registers, where the floor mark is
 *            TLS block                cpu_id, its own stack-protector canary
 *            descriptor tables        x86_64: GDT and TSS; aarch64: none
 *            exception stack          SIDECAR_EXCEPTION_STACK: IPIs, faults
 *            floor mark               64 bytes only a stack overflow overwrites
 *            stack                    the rest (about 7.5 KiB), up to +0x4000
 *
 * There is no guard page (it would cost a quarter of the budget): the
 * loop checks the floor mark after every command and panics if it was
 * overwritten.  A converted CPU runs on a kernel stack with a guard page.
 *
 * This code is built like the rest of the kernel, stack protector
 * included: the CPU has a valid TLS with a canary of its own.  The loop
 * calls no C library function, allocates nothing and takes no lock; it
 * runs with interrupts enabled except around its wait, so the stop IPI of
 * a panic and (x86_64) TLB shootdowns reach it, through the kernel's own
 * interrupt path on the exception stack.
 *
 * The wait: HLT with interrupts enabled (x86_64) or WFI (aarch64), ended
 * by the client's wake-up IPI.  HLT with IF=0 would only end on NMI, INIT
 * or SMI; MONITOR/MWAIT under QEMU TCG halts only on a one-CPU machine and
 * otherwise behaves as PAUSE; polling would take a host core per vCPU. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/irq.h>
#include <hillock/page.h>
#include <hillock/panic.h>
#include <hillock/sidecar.h>

#define SIDECAR_EXCEPTION_STACK (3u << 10)
#define SIDECAR_FLOOR_WORDS 8
#define SIDECAR_FLOOR_MARK 0x51deca75ac4f1002ull
/* What the stack must keep at least: a run-function may call printf. */
#define SIDECAR_STACK_MIN (6u << 10)

/* The CPU's own state, right after its command page. */
struct sidecar_cpu {
	uint64_t vp_regs[SIDECAR_VP_REGS];
	/* Just below the stack: overwritten only by a stack overflow, which
	 * the loop checks for after every command. */
	uint64_t *floor;
};

struct sidecar_area {
	struct sidecar_page page;
	struct sidecar_cpu cpu;
};
_Static_assert(sizeof(struct sidecar_area) < SIDECAR_AREA_SIZE / 2, "room for the stacks");

static struct sidecar_area *sidecar_areas[CPU_MAX];

static inline size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

struct sidecar_page *sidecar_page_of(unsigned int cpu)
{
	return cpu < CPU_MAX && sidecar_areas[cpu] ? &sidecar_areas[cpu]->page : NULL;
}

int sidecar_cpu_prepare(unsigned int cpu, struct cpu_start *start)
{
	extern char __tdata_start[], __tdata_end[];
	size_t tls_size = align_up((uintptr_t)__tdata_end - (uintptr_t)__tdata_start + 256, 64);
	uint64_t pa = page_alloc(SIDECAR_AREA_SIZE / PAGE_SIZE, 1, PAGE_USE_SIDECAR);

	if (pa == 0) {
		return -ENOMEM;
	}
	struct sidecar_area *area = (struct sidecar_area *)(uintptr_t)pa;
	uint8_t *base = (uint8_t *)area;
	size_t tls_at = align_up(sizeof(*area), 64);
	size_t tables_at = align_up(tls_at + tls_size, 64);
	size_t exception_top = align_up(tables_at + arch_cpu_tables_size(), 64) +
			       SIDECAR_EXCEPTION_STACK;
	size_t floor_at = exception_top;

	if (SIDECAR_AREA_SIZE - floor_at - sizeof(uint64_t) * SIDECAR_FLOOR_WORDS < SIDECAR_STACK_MIN) {
		page_free(pa, SIDECAR_AREA_SIZE / PAGE_SIZE, PAGE_USE_SIDECAR);
		return -ENOMEM;
	}
	*area = (struct sidecar_area){0};
	area->cpu.floor = (uint64_t *)(base + floor_at);
	for (unsigned int i = 0; i < SIDECAR_FLOOR_WORDS; i++) {
		area->cpu.floor[i] = SIDECAR_FLOOR_MARK ^ pa;
	}
	*start = (struct cpu_start){
		.stack_top = pa + SIDECAR_AREA_SIZE,
		.tp = arch_tls_init(base + tls_at, tls_size, arch_random_u64()),
		.tables = base + tables_at,
		.exception_stack_top = pa + exception_top,
		.entry = sidecar_main,
	};
	if (start->tp == 0) {
		page_free(pa, SIDECAR_AREA_SIZE / PAGE_SIZE, PAGE_USE_SIDECAR);
		return -ENOMEM;
	}
	__atomic_store_n(&sidecar_areas[cpu], area, __ATOMIC_RELEASE);
	return 0;
}

/* --- Commands: decode (may fail), then carry out -------------------------- */

static bool sidecar_function_valid(uint64_t fn)
{
	extern char __image_start[], __text_end[];

	return fn >= (uint64_t)(uintptr_t)__image_start && fn < (uint64_t)(uintptr_t)__text_end;
}

static bool sidecar_regs_valid(uint64_t first, uint64_t count)
{
	return first <= SIDECAR_VP_REGS && count <= SIDECAR_VP_REGS - first;
}

/* What the command asks, checked; or the error to answer. */
static int sidecar_decode(const struct sidecar_page *page, uint32_t opcode)
{
	switch (opcode) {
	case SIDECAR_OP_PING:
	case SIDECAR_OP_STATUS:
		return 0;
	case SIDECAR_OP_RUN_FUNCTION:
		return sidecar_function_valid(page->arg[0]) ? 0 : -EFAULT;
	case SIDECAR_OP_REGS_READ:
	case SIDECAR_OP_REGS_WRITE:
		return sidecar_regs_valid(page->arg[0], page->arg[1]) ? 0 : -EINVAL;
	case SIDECAR_OP_CONVERT:
		return page->arg[0] != 0 && page->arg[0] % 16 == 0 ? 0 : -EINVAL;
	case SIDECAR_OP_RUN_VP:
		return -ENOSYS; /* with the VP loop */
	default:
		return -EOPNOTSUPP;
	}
}

static void sidecar_execute(struct sidecar_area *area, uint32_t opcode, uint64_t *value)
{
	struct sidecar_page *page = &area->page;
	uint64_t first = page->arg[0], count = page->arg[1];

	switch (opcode) {
	case SIDECAR_OP_PING:
		*value = arch_cpu_hwid();
		break;
	case SIDECAR_OP_STATUS:
		*value = page->served;
		break;
	case SIDECAR_OP_RUN_FUNCTION: {
		int (*fn)(void *) = (int (*)(void *))(uintptr_t)page->arg[0];

		*value = (uint64_t)(int64_t)fn((void *)(uintptr_t)page->arg[1]);
		break;
	}
	case SIDECAR_OP_REGS_READ:
		for (uint64_t i = 0; i < count; i++) {
			page->regs[first + i] = area->cpu.vp_regs[first + i];
		}
		break;
	case SIDECAR_OP_REGS_WRITE:
		for (uint64_t i = 0; i < count; i++) {
			area->cpu.vp_regs[first + i] = page->regs[first + i];
		}
		break;
	}
}

static void sidecar_check_floor(const struct sidecar_area *area, unsigned int cpu)
{
	for (unsigned int i = 0; i < SIDECAR_FLOOR_WORDS; i++) {
		if (area->cpu.floor[i] != (SIDECAR_FLOOR_MARK ^ (uint64_t)(uintptr_t)area)) {
			panic("sidecar: cpu %u overflowed its stack", cpu);
		}
	}
}

/* The loop.  Interrupts are masked on entry (AP start) and around each
 * check-then-wait, so that a wake-up IPI between the check and HLT/WFI
 * still ends the wait. */
_Noreturn void sidecar_main(unsigned int cpu)
{
	struct sidecar_area *area = __atomic_load_n(&sidecar_areas[cpu], __ATOMIC_ACQUIRE);
	struct sidecar_page *page = &area->page;

	cpu_id = cpu;
	if (!smp_ap_enter_sidecar(cpu, arch_irq_init_cpu_local())) {
		smp_park();
	}
	for (;;) {
		uint32_t seq = __atomic_load_n(&page->seq, __ATOMIC_ACQUIRE);

		if (seq == page->done_seq) {
			arch_wait_for_interrupt();
			continue;
		}
		uint32_t opcode = page->opcode;
		uint64_t value = 0;
		int status = sidecar_decode(page, opcode);

		if (status == 0) {
			arch_irq_enable();
			sidecar_execute(area, opcode, &value);
			arch_irq_disable();
		}
		sidecar_check_floor(area, cpu);
		page->status = status;
		page->value = value;
		page->served++;
		page->errors += status != 0;
		__atomic_store_n(&page->done_seq, seq, __ATOMIC_RELEASE);
		if (opcode == SIDECAR_OP_CONVERT && status == 0) {
			arch_stack_switch(page->arg[0], smp_ap_join, cpu);
		}
	}
}
