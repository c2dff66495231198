/* In-image tests of the sidecar (suite sidecar): every sidecar CPU answers
 * each command, bad commands get an error and the CPU keeps serving, a
 * CPU that does not answer is reported instead of waited on, and
 * converted CPUs do what kernel CPUs do while the others stay in the
 * sidecar.
 *
 * Run at boot, with every application processor in the sidecar (the
 * default): the tests convert only the CPUs they need, last.  At SMP 1 or
 * with hillock.sidecar=off there is no sidecar CPU, and the tests check
 * that the client says so. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/cpu.h>
#include <hillock/selftest.h>
#include <hillock/sidecar.h>
#include <hillock/spinlock.h>

#define MS 1000000ull
/* Generous: sixteen TCG vCPUs may share two host cores. */
#define ANSWER_TIMEOUT_NS (2000 * MS)
/* For the CPU that must not answer: short, so the test is quick. */
#define SHORT_TIMEOUT_NS (50 * MS)
#define PING_ROUNDS 21

static struct cpu_set sidecar_cpus(unsigned int *count)
{
	struct cpu_set set = {0};

	*count = 0;
	for (unsigned int cpu = 0; cpu < cpu_count; cpu++) {
		if (cpus[cpu].sidecar) {
			cpu_set_add(&set, cpu);
			++*count;
		}
	}
	return set;
}

/* The lowest CPU still in the sidecar, or 0 (never one). */
static unsigned int first_sidecar_cpu(void)
{
	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		if (cpus[cpu].sidecar) {
			return cpu;
		}
	}
	return 0;
}

/* The runner takes a suite's tests from the last defined to the first:
 * the conversions are defined first, so that they run last. */
static int return_cpu_id(void *arg)
{
	(void)arg;
	return (int)cpu_id;
}

static int return_hwid_matches(void *arg)
{
	(void)arg;
	return arch_cpu_hwid() == cpus[cpu_id].hwid;
}

/* Convert every other sidecar CPU (1, 3, ...): those answer smp_call like
 * any kernel CPU and leave the sidecar; the rest stay there, reported as
 * sidecar CPUs, not online, and still answer their commands. */
TEST(sidecar, convert_some_then_smp_call)
{
	struct sidecar_reply reply;
	int failed = 0;

	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		bool convert = cpu % 2 == 1;

		if (!cpus[cpu].sidecar) {
			continue;
		}
		if (convert) {
			failed |= EXPECT(sidecar_convert(cpu, ANSWER_TIMEOUT_NS) == 0);
			failed |= EXPECT(cpus[cpu].online && !cpus[cpu].sidecar);
			failed |= EXPECT(smp_call(cpu, return_cpu_id, NULL, ANSWER_TIMEOUT_NS) == (int)cpu);
			failed |= EXPECT(smp_call(cpu, return_hwid_matches, NULL, ANSWER_TIMEOUT_NS) == 1);
			failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_PING, NULL, NULL, &reply,
						      ANSWER_TIMEOUT_NS) == -ENODEV);
			/* Converting twice is converting once. */
			failed |= EXPECT(sidecar_convert(cpu, ANSWER_TIMEOUT_NS) == 0);
		} else {
			failed |= EXPECT(smp_call(cpu, return_cpu_id, NULL, ANSWER_TIMEOUT_NS) == -ENODEV);
			failed |= EXPECT(cpus[cpu].sidecar && !cpus[cpu].online);
			failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_PING, NULL, NULL, &reply,
						      ANSWER_TIMEOUT_NS) == 0);
		}
	}
	return failed;
}

static volatile bool spin_release;

static int sidecar_test_spin(void *arg)
{
	uint64_t deadline = arch_time_ns() + 4 * ANSWER_TIMEOUT_NS;

	(void)arg;
	while (!spin_release && arch_time_ns() < deadline) {
		arch_cpu_relax();
	}
	return 42;
}

TEST(sidecar, unresponsive_cpu_times_out)
{
	unsigned int cpu = first_sidecar_cpu();
	struct sidecar_reply reply;
	int failed = 0;

	if (cpu == 0) {
		return 0;
	}
	spin_release = false;
	uint64_t t0 = arch_time_ns();

	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_RUN_FUNCTION,
				      (const uint64_t[4]){(uint64_t)(uintptr_t)sidecar_test_spin}, NULL,
				      &reply, SHORT_TIMEOUT_NS) == -ETIMEDOUT);
	/* Given up on at the timeout, not after the function. */
	failed |= EXPECT(arch_time_ns() - t0 < ANSWER_TIMEOUT_NS);
	/* Still busy with it: the next command is refused, not queued. */
	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_PING, NULL, NULL, &reply, ANSWER_TIMEOUT_NS) ==
			 -EBUSY);
	spin_release = true;
	/* Once the function ends the CPU serves again. */
	uint64_t deadline = arch_time_ns() + ANSWER_TIMEOUT_NS;
	int rc;

	while ((rc = sidecar_call(cpu, SIDECAR_OP_PING, NULL, NULL, &reply, ANSWER_TIMEOUT_NS)) ==
		       -EBUSY &&
	       arch_time_ns() < deadline) {
		arch_cpu_relax();
	}
	failed |= EXPECT(rc == 0 && reply.value == cpus[cpu].hwid);
	return failed;
}

TEST(sidecar, malformed_command_gets_error)
{
	unsigned int cpu = first_sidecar_cpu();
	struct sidecar_reply reply;
	int failed = 0;

	if (cpu == 0) {
		return EXPECT(sidecar_call(1, 999, NULL, NULL, &reply, ANSWER_TIMEOUT_NS) == -ENODEV);
	}
	struct sidecar_page *page = sidecar_page_of(cpu);
	uint32_t errors = page->errors;

	failed |= EXPECT(sidecar_call(cpu, 999, NULL, NULL, &reply, ANSWER_TIMEOUT_NS) == -EOPNOTSUPP);
	failed |= EXPECT(sidecar_call(cpu, 0, NULL, NULL, &reply, ANSWER_TIMEOUT_NS) == -EOPNOTSUPP);
	/* A function outside the image's code; a register range past the
	 * end; one that wraps around. */
	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_RUN_FUNCTION, (const uint64_t[4]){0x10}, NULL,
				      &reply, ANSWER_TIMEOUT_NS) == -EFAULT);
	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_REGS_READ, (const uint64_t[4]){30, 3}, NULL,
				      &reply, ANSWER_TIMEOUT_NS) == -EINVAL);
	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_REGS_WRITE, (const uint64_t[4]){2, ~0ull}, NULL,
				      &reply, ANSWER_TIMEOUT_NS) == -EINVAL);
	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_CONVERT, (const uint64_t[4]){0x1001}, NULL,
				      &reply, ANSWER_TIMEOUT_NS) == -EINVAL);
	/* Defined, not implemented until the VP loop. */
	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_RUN_VP, NULL, NULL, &reply, ANSWER_TIMEOUT_NS) ==
			 -ENOSYS);
	failed |= EXPECT(page->errors == errors + 7);
	/* Still serving, and still in the sidecar. */
	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_PING, NULL, NULL, &reply, ANSWER_TIMEOUT_NS) == 0 &&
			 reply.value == cpus[cpu].hwid);
	failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_STATUS, NULL, NULL, &reply, ANSWER_TIMEOUT_NS) ==
				 0 &&
			 reply.value == page->served - 1);
	failed |= EXPECT(cpus[cpu].sidecar && !cpus[cpu].online);
	return failed;
}

TEST(sidecar, registers_write_read_back)
{
	uint64_t regs[SIDECAR_VP_REGS], back[SIDECAR_VP_REGS];
	struct sidecar_reply reply;
	int failed = 0;

	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		if (!cpus[cpu].sidecar) {
			continue;
		}
		for (unsigned int i = 0; i < SIDECAR_VP_REGS; i++) {
			regs[i] = (uint64_t)cpu << 32 | i;
		}
		failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_REGS_WRITE,
					      (const uint64_t[4]){0, SIDECAR_VP_REGS}, regs, &reply,
					      ANSWER_TIMEOUT_NS) == 0);
		/* A part: registers 4..7 only. */
		for (unsigned int i = 0; i < SIDECAR_VP_REGS; i++) {
			regs[i] = ~regs[i];
		}
		failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_REGS_WRITE, (const uint64_t[4]){4, 4}, regs,
					      &reply, ANSWER_TIMEOUT_NS) == 0);
		memset(back, 0, sizeof(back));
		failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_REGS_READ,
					      (const uint64_t[4]){0, SIDECAR_VP_REGS}, back, &reply,
					      ANSWER_TIMEOUT_NS) == 0);
		for (unsigned int i = 0; i < SIDECAR_VP_REGS; i++) {
			uint64_t want = (uint64_t)cpu << 32 | i;

			want = i >= 4 && i < 8 ? ~want : want;
			if (back[i] != want) {
				printf("  cpu %u: register %u reads %#llx, wrote %#llx\n", cpu, i,
				       (unsigned long long)back[i], (unsigned long long)want);
				failed |= EXPECT(back[i] == want);
			}
		}
	}
	return failed;
}

/* Runs on the sidecar CPU: its TLS (cpu_id) and its canary (the buffer
 * makes this function stack-protected) are its own. */
static int sidecar_test_identify(void *arg)
{
	char text[32];

	snprintf(text, sizeof(text), "cpu %u", cpu_id);
	return (int)(cpu_id * 1000 + strlen(text)) + (int)(uintptr_t)arg;
}

TEST(sidecar, run_function_on_all)
{
	static struct sidecar_reply replies[CPU_MAX];
	unsigned int count;
	struct cpu_set set = sidecar_cpus(&count);
	const uint64_t arg[4] = {(uint64_t)(uintptr_t)sidecar_test_identify, 7};
	int failed = 0;

	failed |= EXPECT(sidecar_call_set(&set, SIDECAR_OP_RUN_FUNCTION, arg, replies,
					  ANSWER_TIMEOUT_NS) == 0);
	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		char text[32];
		int want = (int)(cpu * 1000 + (unsigned int)snprintf(text, sizeof(text), "cpu %u", cpu)) + 7;

		if (cpu_set_has(&set, cpu) &&
		    (replies[cpu].status != 0 || (int)replies[cpu].value != want)) {
			printf("  cpu %u: run-function answered %d, value %d, expected %d\n", cpu,
			       replies[cpu].status, (int)replies[cpu].value, want);
			failed |= EXPECT(replies[cpu].status == 0 && (int)replies[cpu].value == want);
		}
	}
	return failed;
}

TEST(sidecar, every_cpu_answers_ping)
{
	static struct sidecar_reply replies[CPU_MAX];
	unsigned int count;
	struct cpu_set set = sidecar_cpus(&count);
	int failed = 0;

	failed |= EXPECT(!cpus[0].sidecar && cpus[0].online);
	failed |= EXPECT(sidecar_call_set(&set, SIDECAR_OP_PING, NULL, replies, ANSWER_TIMEOUT_NS) == 0);
	for (unsigned int cpu = 1; cpu < cpu_count; cpu++) {
		if (!cpu_set_has(&set, cpu)) {
			continue;
		}
		failed |= EXPECT(!cpus[cpu].online);
		if (replies[cpu].status != 0 || replies[cpu].value != cpus[cpu].hwid) {
			printf("  cpu %u: ping answered %d, hardware ID %#llx\n", cpu, replies[cpu].status,
			       (unsigned long long)replies[cpu].value);
			failed |= EXPECT(replies[cpu].status == 0 && replies[cpu].value == cpus[cpu].hwid);
		}
	}
	/* The round trip of one command: the wake-up IPI, HLT/WFI ending,
	 * the answer seen.  Median of PING_ROUNDS. */
	unsigned int cpu = first_sidecar_cpu();
	uint64_t ns[PING_ROUNDS];
	struct sidecar_reply reply;

	if (cpu != 0) {
		for (unsigned int i = 0; i < PING_ROUNDS; i++) {
			uint64_t t0 = arch_time_ns();

			failed |= EXPECT(sidecar_call(cpu, SIDECAR_OP_PING, NULL, NULL, &reply,
						      ANSWER_TIMEOUT_NS) == 0);
			ns[i] = arch_time_ns() - t0;
			for (unsigned int j = i; j > 0 && ns[j - 1] > ns[j]; j--) {
				uint64_t t = ns[j];

				ns[j] = ns[j - 1];
				ns[j - 1] = t;
			}
		}
		printf("  %u CPU(s) in the sidecar; ping round trip to cpu %u: median %llu us\n", count,
		       cpu, (unsigned long long)(ns[PING_ROUNDS / 2] / 1000));
	}
	/* The boot CPU is not in the sidecar; a CPU beyond the last neither. */
	failed |= EXPECT(sidecar_call(0, SIDECAR_OP_PING, NULL, NULL, &reply, ANSWER_TIMEOUT_NS) ==
			 -ENODEV);
	failed |= EXPECT(sidecar_call(cpu_count, SIDECAR_OP_PING, NULL, NULL, &reply,
				      ANSWER_TIMEOUT_NS) == -ENODEV);
	return failed;
}
