/* The kernel's side of the sidecar: posting commands to sidecar CPUs,
 * waiting (bounded) for their answers, converting them; see
 * hillock/sidecar.h and docs/sidecar.md.
 *
 * Clients on several kernel CPUs may address the same sidecar CPU: each
 * claims the CPU's page with a compare-and-swap for the time of one
 * command, so no lock is shared with the sidecar. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/init.h>
#include <hillock/irq.h>
#include <hillock/mmu.h>
#include <hillock/sidecar.h>
#include <hillock/spinlock.h> /* arch_cpu_relax() */

#define NS_PER_MS 1000000ull

int sidecar_wake_irq = -1;

/* Whether a client is between posting a command to the CPU and taking
 * its answer (or giving up on it). */
static int sidecar_claimed[CPU_MAX];

static const char *sidecar_op_name(enum sidecar_op op)
{
	switch (op) {
	case SIDECAR_OP_PING: return "ping";
	case SIDECAR_OP_RUN_FUNCTION: return "run-function";
	case SIDECAR_OP_REGS_READ: return "regs-read";
	case SIDECAR_OP_REGS_WRITE: return "regs-write";
	case SIDECAR_OP_STATUS: return "status";
	case SIDECAR_OP_CONVERT: return "convert";
	case SIDECAR_OP_RUN_VP: return "run-vp";
	}
	return "unknown";
}

/* Claim cpu's page and post the command; *seq is what its answer will
 * carry.  0 or a negative errno. */
static int sidecar_post(unsigned int cpu, enum sidecar_op op, const uint64_t arg[4],
			const uint64_t *regs, uint32_t *seq)
{
	struct sidecar_page *page = sidecar_page_of(cpu);
	int unclaimed = 0;

	if (cpu >= cpu_count || !page || !__atomic_load_n(&cpus[cpu].sidecar, __ATOMIC_ACQUIRE)) {
		return -ENODEV;
	}
	if (!__atomic_compare_exchange_n(&sidecar_claimed[cpu], &unclaimed, 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		return -EBUSY;
	}
	/* A command a client gave up on is still being carried out. */
	if (__atomic_load_n(&page->done_seq, __ATOMIC_ACQUIRE) != page->seq) {
		__atomic_store_n(&sidecar_claimed[cpu], 0, __ATOMIC_RELEASE);
		return -EBUSY;
	}
	page->opcode = op;
	for (unsigned int i = 0; i < 4; i++) {
		page->arg[i] = arg ? arg[i] : 0;
	}
	if (regs) {
		memcpy(page->regs, regs, sizeof(page->regs));
	}
	*seq = page->seq + 1;
	__atomic_store_n(&page->seq, *seq, __ATOMIC_RELEASE);
	irq_send_ipi(cpu, (unsigned int)sidecar_wake_irq);
	return 0;
}

/* The answer to seq, if it is there: taken, and the page given back. */
static bool sidecar_answered(unsigned int cpu, uint32_t seq, uint64_t *regs,
			     struct sidecar_reply *reply)
{
	struct sidecar_page *page = sidecar_page_of(cpu);

	if (__atomic_load_n(&page->done_seq, __ATOMIC_ACQUIRE) != seq) {
		return false;
	}
	reply->status = page->status;
	reply->value = page->value;
	if (regs) {
		memcpy(regs, page->regs, sizeof(page->regs));
	}
	__atomic_store_n(&sidecar_claimed[cpu], 0, __ATOMIC_RELEASE);
	return true;
}

/* The page is given back unanswered: the next command finds it busy
 * until the CPU answers this one. */
static void sidecar_give_up(unsigned int cpu, enum sidecar_op op, uint64_t timeout_ns,
			    struct sidecar_reply *reply)
{
	printf("sidecar: cpu %u did not answer %s within %llu ms\n", cpu, sidecar_op_name(op),
	       (unsigned long long)(timeout_ns / NS_PER_MS));
	reply->status = -ETIMEDOUT;
	reply->value = 0;
	__atomic_store_n(&sidecar_claimed[cpu], 0, __ATOMIC_RELEASE);
}

int sidecar_call(unsigned int cpu, enum sidecar_op op, const uint64_t arg[4], uint64_t *regs,
		 struct sidecar_reply *reply, uint64_t timeout_ns)
{
	uint64_t deadline = arch_time_ns() + timeout_ns;
	uint32_t seq;
	int rc = sidecar_post(cpu, op, arg, regs, &seq);

	*reply = (struct sidecar_reply){rc, 0};
	if (rc != 0) {
		return rc;
	}
	while (!sidecar_answered(cpu, seq, regs, reply)) {
		if (arch_time_ns() > deadline) {
			sidecar_give_up(cpu, op, timeout_ns, reply);
			break;
		}
		arch_cpu_relax();
	}
	return reply->status;
}

unsigned int sidecar_call_set(const struct cpu_set *set, enum sidecar_op op, const uint64_t arg[4],
			      struct sidecar_reply replies[CPU_MAX], uint64_t timeout_ns)
{
	uint64_t deadline = arch_time_ns() + timeout_ns;
	uint32_t seq[CPU_MAX];
	struct cpu_set waiting = {0};
	unsigned int pending = 0, unanswered = 0;

	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		if (!cpu_set_has(set, cpu)) {
			continue;
		}
		int rc = sidecar_post(cpu, op, arg, NULL, &seq[cpu]);

		replies[cpu] = (struct sidecar_reply){rc, 0};
		if (rc == 0) {
			cpu_set_add(&waiting, cpu);
			pending++;
		}
	}
	while (pending > 0) {
		bool late = arch_time_ns() > deadline;

		for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
			if (!cpu_set_has(&waiting, cpu)) {
				continue;
			}
			if (sidecar_answered(cpu, seq[cpu], NULL, &replies[cpu])) {
				pending--;
			} else if (late) {
				sidecar_give_up(cpu, op, timeout_ns, &replies[cpu]);
				pending--;
				unanswered++;
			} else {
				continue;
			}
			waiting.bits[cpu / 64] &= ~(1ull << (cpu % 64));
		}
		arch_cpu_relax();
	}
	return unanswered;
}

int sidecar_convert(unsigned int cpu, uint64_t timeout_ns)
{
	uint64_t deadline = arch_time_ns() + timeout_ns;
	struct sidecar_reply reply;

	if (cpu < cpu_count && __atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE)) {
		return 0;
	}
	uint64_t stack_top = stack_alloc(CPU_STACK_SIZE);

	if (stack_top == 0) {
		printf("sidecar: no memory for cpu %u's kernel stack\n", cpu);
		return -ENOMEM;
	}
	/* On failure the stack stays allocated: a CPU that answers late may
	 * still switch to it. */
	int rc = sidecar_call(cpu, SIDECAR_OP_CONVERT, (const uint64_t[4]){stack_top}, NULL, &reply,
			      timeout_ns);

	if (rc != 0) {
		printf("sidecar: converting cpu %u failed (%d)\n", cpu, rc);
		return rc;
	}
	while (!__atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE)) {
		if (arch_time_ns() > deadline) {
			printf("sidecar: cpu %u accepted convert but was not online within %llu ms\n",
			       cpu, (unsigned long long)(timeout_ns / NS_PER_MS));
			return -ETIMEDOUT;
		}
		arch_cpu_relax();
	}
	return 0;
}

int sidecar_convert_all(uint64_t timeout_ns)
{
	int first = 0;

	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		if (__atomic_load_n(&cpus[cpu].sidecar, __ATOMIC_ACQUIRE)) {
			int rc = sidecar_convert(cpu, timeout_ns);

			first = first ? first : rc;
		}
	}
	return first;
}

/* The wake-up IPI does nothing itself: arriving ends the CPU's wait. */
static void sidecar_wake(unsigned int irq, void *arg)
{
	(void)irq;
	(void)arg;
}

static int sidecar_client_init(const struct boot_info *bi)
{
	int irq = irq_alloc();

	(void)bi;
	if (irq < 0 || irq_register((unsigned int)irq, sidecar_wake, NULL) != 0) {
		printf("sidecar: no interrupt number for the wake-up IPI\n");
		return irq < 0 ? irq : -EBUSY;
	}
	sidecar_wake_irq = irq;
	return 0;
}
INIT_CALL(INIT_CPU, sidecar_client_init);
