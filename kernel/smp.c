/* The other CPUs: starting them, and running code on them; see
 * hillock/cpu.h.
 *
 * The boot CPU gives every application processor (AP) what it starts
 * with, issues all the starts at once, then waits for all of them under
 * one deadline.  By default APs start in the sidecar (hillock/sidecar.h):
 * its area is all they get, and they join the kernel later, on CONVERT;
 * with hillock.sidecar=off they get a kernel stack and TLS and go online
 * at once.  A CPU moves through these states, each change a
 * compare-and-swap so that the boot CPU giving up and the AP arriving
 * late cannot both win:
 *
 *   STARTING --AP enters C--> ARRIVED --per-CPU init done--> ONLINE
 *       |  \                     \                            ^
 *       |   `---- boot CPU's deadline passes ----> ABANDONED (the AP parks)
 *       |                                                      |
 *        `--sidecar set up--> SIDECAR --CONVERT--> ARRIVED ----'
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/config.h>
#include <hillock/cpu.h>
#include <hillock/event.h>
#include <hillock/heap.h>
#include <hillock/init.h>
#include <hillock/irq.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/sidecar.h>
#include <hillock/spinlock.h>
#include <hillock/timer.h>

/* Far beyond what starting takes even on an overloaded TCG host (about a
 * millisecond per CPU); reached only when a CPU does not come up. */
#define SMP_START_TIMEOUT_NS (5ull * 1000 * 1000 * 1000)
/* Calls one CPU may have outstanding towards CPUs that did not answer. */
#define SMP_CALL_SLOTS 4

_Static_assert(BOOT_CPUS_MAX <= CPU_MAX, "every CPU the device tree may list has a slot");

struct cpu_info cpus[CPU_MAX];
unsigned int cpu_count;

enum cpu_start_state {
	CPU_START_NONE,
	CPU_START_STARTING,
	CPU_START_ARRIVED,
	CPU_START_ONLINE,
	CPU_START_ABANDONED,
	CPU_START_SIDECAR,
};

static int cpu_start_state[CPU_MAX];

static bool cpu_state_move(unsigned int cpu, int from, int to)
{
	return __atomic_compare_exchange_n(&cpu_start_state[cpu], &from, to, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

static int cpu_state(unsigned int cpu)
{
	return __atomic_load_n(&cpu_start_state[cpu], __ATOMIC_ACQUIRE);
}

/* The CPUs the device tree lists, so that IPIs can be addressed from
 * INIT_CPU on.  The boot CPU must be the first: the host starts VP0. */
static int smp_cpus_describe(const struct boot_info *bi)
{
	uint64_t self = arch_cpu_hwid();

	if (bi->cpu_hwid[0] != self) {
		printf("smp: the boot CPU has hardware ID %#llx, the device tree lists %#llx first\n",
		       (unsigned long long)self, (unsigned long long)bi->cpu_hwid[0]);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < bi->cpu_count; i++) {
		cpus[i].hwid = bi->cpu_hwid[i];
	}
	cpus[0].online = true;
	cpu_start_state[0] = CPU_START_ONLINE;
	cpu_count = bi->cpu_count;
	return 0;
}
INIT_CALL(INIT_CPU, smp_cpus_describe);

/* A TLS block of its own, with a canary of its own (x86_64; aarch64's is
 * one global).  Page-allocated so that it is accounted as per-CPU. */
static uint64_t smp_tls_alloc(void)
{
	extern char __tdata_start[], __tdata_end[];
	/* The template plus the thread-control block, with room to spare. */
	size_t size = (uintptr_t)__tdata_end - (uintptr_t)__tdata_start + 256;
	size_t pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t pa = page_alloc(pages, 1, PAGE_USE_PERCPU);

	if (pa == 0) {
		return 0;
	}
	return arch_tls_init((void *)(uintptr_t)pa, pages * PAGE_SIZE, arch_random_u64());
}

/* A full kernel CPU's stack and TLS; the architecture adds its tables. */
static int smp_cpu_prepare(unsigned int cpu, struct cpu_start *start)
{
	(void)cpu;
	*start = (struct cpu_start){
		.stack_top = stack_alloc(CPU_STACK_SIZE),
		.tp = smp_tls_alloc(),
		.entry = smp_ap_main,
	};
	return start->stack_top && start->tp ? 0 : -ENOMEM;
}

/* Give each AP what it starts with and issue its start.  Returns how many
 * starts were issued. */
static unsigned int smp_start_all(bool sidecar)
{
	unsigned int started = 0;

	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		struct cpu_info *c = &cpus[cpu];
		struct cpu_start start;

		if ((sidecar ? sidecar_cpu_prepare(cpu, &start) : smp_cpu_prepare(cpu, &start)) != 0) {
			printf("smp: no memory to start cpu %u\n", cpu);
			cpu_start_state[cpu] = CPU_START_ABANDONED;
			continue;
		}
		c->stack_top = start.stack_top;
		c->tls = (void *)(uintptr_t)start.tp;
		cpu_start_state[cpu] = CPU_START_STARTING;
		int rc = arch_cpu_start(cpu, c->hwid, &start);

		if (rc != 0) {
			printf("smp: starting cpu %u (hardware ID %#llx) failed (%d)\n", cpu,
			       (unsigned long long)c->hwid, rc);
			cpu_start_state[cpu] = CPU_START_ABANDONED;
			continue;
		}
		started++;
	}
	return started;
}

/* Wait until every started CPU is online or in the sidecar, or the
 * deadline passes; give up on the rest.  Returns how many APs are up. */
static unsigned int smp_wait_up(uint64_t deadline)
{
	unsigned int up = 0, waiting;

	do {
		waiting = 0;
		for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
			int state = cpu_state(cpu);

			waiting += state == CPU_START_STARTING || state == CPU_START_ARRIVED;
		}
		if (waiting > 0) {
			arch_cpu_relax();
		}
	} while (waiting > 0 && arch_time_ns() < deadline);

	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		if (cpu_state_move(cpu, CPU_START_STARTING, CPU_START_ABANDONED)) {
			printf("smp: cpu %u (hardware ID %#llx) did not start within %llu ms; left offline\n",
			       cpu, (unsigned long long)cpus[cpu].hwid, SMP_START_TIMEOUT_NS / 1000000);
			arch_cpu_start_cancel(cpu, cpus[cpu].hwid);
		} else if (cpu_state_move(cpu, CPU_START_ARRIVED, CPU_START_ABANDONED)) {
			printf("smp: cpu %u started but did not finish its setup within %llu ms; left offline\n",
			       cpu, SMP_START_TIMEOUT_NS / 1000000);
		}
		cpus[cpu].online = cpu_state(cpu) == CPU_START_ONLINE;
		cpus[cpu].sidecar = cpu_state(cpu) == CPU_START_SIDECAR;
		up += cpus[cpu].online || cpus[cpu].sidecar;
	}
	return up;
}

/* VTL2 memory in use: pages taken, plus what the heap hands out (x86_64
 * CPUs starting in the kernel take their interrupt stack from it). */
static uint64_t smp_memory_used(void)
{
	struct page_stats ps;
	struct heap_stats hs;

	page_stats_get(&ps);
	heap_stats(&hs);
	return (ps.total - ps.pages[PAGE_USE_FREE]) * PAGE_SIZE + hs.used;
}

static int smp_init(const struct boot_info *bi)
{
	uint64_t t0 = arch_time_ns(), used0 = 0, used1 = 0;
	bool sidecar = strcmp(kernel_config.sidecar, "off") != 0;
	unsigned int up = 0;

	if (cpu_count > 1) {
		int rc = arch_cpu_start_prepare(bi);

		if (rc != 0) {
			return rc;
		}
		used0 = smp_memory_used(); /* what the CPUs share is not theirs */
		if (smp_start_all(sidecar) > 0) {
			up = smp_wait_up(t0 + SMP_START_TIMEOUT_NS);
		}
		used1 = smp_memory_used();
		arch_cpu_start_finish();
	}
	uint64_t us = (arch_time_ns() - t0) / 1000;

	up++; /* this CPU */
	if (up < cpu_count) {
		printf("smp: %u of %u CPUs %s in %llu us\n", up, cpu_count,
		       sidecar ? "up (online or in the sidecar)" : "online", (unsigned long long)us);
	} else if (sidecar && up > 1) {
		printf("smp: %u CPUs up in %llu us, %u in the sidecar\n", up, (unsigned long long)us,
		       up - 1);
	} else {
		printf("smp: %u CPU%s online in %llu us\n", up, up == 1 ? "" : "s",
		       (unsigned long long)us);
	}
	if (up > 1) {
		/* Between the shared preparation and its undoing, after every AP
		 * finished its setup: what the APs allocated. */
		printf("smp: %llu KiB of VTL2 memory per application processor (%s)\n",
		       (unsigned long long)((used1 - used0) / (up - 1) / 1024),
		       sidecar ? "sidecar" : "full kernel");
	}
	return 0;
}
INIT_CALL(INIT_SMP, smp_init);

/* A CPU the boot CPU gave up on: it must not touch shared state, so it
 * waits here with interrupts off for good. */
_Noreturn void smp_park(void)
{
	arch_irq_disable();
	for (;;) {
		arch_wait_for_interrupt();
	}
}

/* The APs set themselves up in parallel: what their setup shares (the
 * heap, the page allocator, the page tables) takes locks of its own. */
_Noreturn void smp_ap_main(unsigned int cpu)
{
	int rc;

	cpu_id = cpu;
	if (!cpu_state_move(cpu, CPU_START_STARTING, CPU_START_ARRIVED)) {
		smp_park();
	}
	rc = arch_irq_init_cpu();
	if (rc == 0) {
		rc = arch_timer_init_cpu();
	}
	if (rc != 0) {
		printf("smp: cpu %u: setting up its interrupts and timer failed (%d)\n", cpu, rc);
		cpu_state_move(cpu, CPU_START_ARRIVED, CPU_START_ABANDONED);
		smp_park();
	}
	if (!cpu_state_move(cpu, CPU_START_ARRIVED, CPU_START_ONLINE)) {
		smp_park();
	}
	event_loop(NULL);
	smp_park();
}

bool smp_ap_enter_sidecar(unsigned int cpu, int rc)
{
	if (rc != 0) {
		cpu_state_move(cpu, CPU_START_STARTING, CPU_START_ABANDONED);
		return false;
	}
	return cpu_state_move(cpu, CPU_START_STARTING, CPU_START_SIDECAR);
}

/* The interrupt controller was set up in the sidecar; the timer is what a
 * kernel CPU adds.  The client waits for online with its own timeout. */
_Noreturn void smp_ap_join(unsigned int cpu)
{
	int rc;

	if (!cpu_state_move(cpu, CPU_START_SIDECAR, CPU_START_ARRIVED)) {
		smp_park();
	}
	__atomic_store_n(&cpus[cpu].sidecar, false, __ATOMIC_RELEASE);
	rc = arch_timer_init_cpu();
	if (rc != 0) {
		printf("smp: cpu %u: setting up its timer failed (%d)\n", cpu, rc);
		cpu_state_move(cpu, CPU_START_ARRIVED, CPU_START_ABANDONED);
		smp_park();
	}
	cpu_state_move(cpu, CPU_START_ARRIVED, CPU_START_ONLINE);
	__atomic_store_n(&cpus[cpu].online, true, __ATOMIC_RELEASE);
	event_loop(NULL);
	smp_park();
}

/* --- smp_call ---------------------------------------------------------------- */

enum smp_call_state {
	SMP_CALL_FREE,
	SMP_CALL_QUEUED,
	SMP_CALL_RUNNING,
	SMP_CALL_DONE,
	SMP_CALL_ABANDONED, /* the caller gave up before fn started */
};

/* One call in flight.  The slots live in the caller's TLS, so smp_call
 * never allocates; the target writes the result and the state back into
 * them. */
struct smp_call_slot {
	struct work work;
	int (*fn)(void *arg);
	void *arg;
	int result;
	int state;
};

static __thread struct smp_call_slot smp_call_slots[SMP_CALL_SLOTS];

static bool smp_call_move(struct smp_call_slot *s, int from, int to)
{
	return __atomic_compare_exchange_n(&s->state, &from, to, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/* On the target CPU, from its event loop. */
static void smp_call_run(struct work *w, void *arg)
{
	struct smp_call_slot *s = arg;

	(void)w;
	if (!smp_call_move(s, SMP_CALL_QUEUED, SMP_CALL_RUNNING)) {
		/* Abandoned: the caller's arg may be gone; just free the slot. */
		__atomic_store_n(&s->state, SMP_CALL_FREE, __ATOMIC_RELEASE);
		return;
	}
	s->result = s->fn(s->arg);
	__atomic_store_n(&s->state, SMP_CALL_DONE, __ATOMIC_RELEASE);
}

int smp_call(unsigned int cpu, int (*fn)(void *arg), void *arg, uint64_t timeout_ns)
{
	struct smp_call_slot *s = NULL;

	if (cpu >= cpu_count || !__atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE)) {
		return -ENODEV;
	}
	if (cpu == cpu_self()) {
		return fn(arg);
	}
	for (unsigned int i = 0; i < SMP_CALL_SLOTS && !s; i++) {
		if (__atomic_load_n(&smp_call_slots[i].state, __ATOMIC_ACQUIRE) == SMP_CALL_FREE) {
			s = &smp_call_slots[i];
		}
	}
	if (!s) {
		return -EBUSY;
	}
	s->fn = fn;
	s->arg = arg;
	s->state = SMP_CALL_QUEUED;
	work_queue(cpu, &s->work, smp_call_run, s);

	uint64_t deadline = arch_time_ns() + timeout_ns;

	while (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SMP_CALL_DONE) {
		if (arch_time_ns() > deadline && smp_call_move(s, SMP_CALL_QUEUED, SMP_CALL_ABANDONED)) {
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	int result = s->result;

	__atomic_store_n(&s->state, SMP_CALL_FREE, __ATOMIC_RELEASE);
	return result;
}
