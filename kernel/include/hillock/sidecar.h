/* The sidecar (sidecar/, docs/sidecar.md): the loop application processors
 * start in.  A CPU in the sidecar runs no kernel work: it waits (HLT /
 * WFI) for a command on its command page, carries it out, answers on the
 * same page and waits again.  It touches no kernel heap and takes no
 * kernel lock.  CONVERT makes it a full kernel CPU (per-CPU setup, event
 * loop), for good.
 *
 * The command page, one per sidecar CPU, shared between the CPU and the
 * kernel's client (sidecar/client.c).  One command is in flight at a time:
 *
 *   client:  opcode, arg[]  ->  seq = seq + 1 (release)  ->  wake-up IPI
 *   CPU:     sees seq != done_seq; status, value (and regs)  ->  done_seq = seq (release)
 *
 * The client posts only when done_seq == seq (the last command answered)
 * and accepts only the answer whose done_seq is its own seq, so an answer
 * that comes after the client gave up is never taken for a later one. */
#ifndef HILLOCK_SIDECAR_H
#define HILLOCK_SIDECAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hillock/cpu.h>

enum sidecar_op {
	SIDECAR_OP_PING = 1,	   /* value: this CPU's hardware ID */
	SIDECAR_OP_RUN_FUNCTION,   /* arg[0]: int (*)(void *) in the image's text, arg[1]: its
				    * argument; value: what it returned */
	SIDECAR_OP_REGS_READ,	   /* VP registers [arg[0], arg[0] + arg[1]) -> regs[] */
	SIDECAR_OP_REGS_WRITE,	   /* regs[] -> VP registers [arg[0], arg[0] + arg[1]) */
	SIDECAR_OP_STATUS,	   /* value: commands served; arg-less */
	SIDECAR_OP_CONVERT,	   /* arg[0]: the top of a kernel stack (CPU_STACK_SIZE, from
				    * stack_alloc()); the CPU joins the kernel on it */
	SIDECAR_OP_RUN_VP,	   /* enter VTL0: -ENOSYS until the VP loop exists */
};

/* The per-VP register block: the VP's registers as the VP loop will load
 * and save them, indexed in the order it defines. */
#define SIDECAR_VP_REGS 32

struct sidecar_page {
	/* Written by the client; seq last. */
	uint32_t seq;
	uint32_t opcode;
	uint64_t arg[4];
	/* Written by the CPU; done_seq last. */
	uint32_t done_seq;
	int32_t status; /* 0, or a negative errno */
	uint64_t value;
	/* Kept by the CPU, readable at any time. */
	uint32_t served; /* commands answered */
	uint32_t errors; /* of those, answered with an error */
	/* The registers REGS_READ and REGS_WRITE transfer. */
	uint64_t regs[SIDECAR_VP_REGS];
	uint8_t reserved[4096 - 64 - 8 * SIDECAR_VP_REGS];
};
_Static_assert(offsetof(struct sidecar_page, seq) == 0, "layout");
_Static_assert(offsetof(struct sidecar_page, arg) == 8, "layout");
_Static_assert(offsetof(struct sidecar_page, done_seq) == 40, "layout");
_Static_assert(offsetof(struct sidecar_page, value) == 48, "layout");
_Static_assert(offsetof(struct sidecar_page, served) == 56, "layout");
_Static_assert(offsetof(struct sidecar_page, regs) == 64, "layout");
_Static_assert(sizeof(struct sidecar_page) == 4096, "one page");

/* What a sidecar CPU takes, all in one allocation (PAGE_USE_SIDECAR): its
 * command page, then its TLS block, descriptor tables, VP registers,
 * interrupt stack and stack (sidecar/sidecar.c has the layout). */
#define SIDECAR_AREA_SIZE (16u << 10)

struct sidecar_reply {
	int status; /* 0, a negative errno from the CPU, or -ETIMEDOUT / -EBUSY / -ENODEV */
	uint64_t value;
};

/* A set of logical CPUs. */
struct cpu_set {
	uint64_t bits[CPU_MAX / 64];
};

static inline void cpu_set_add(struct cpu_set *s, unsigned int cpu)
{
	s->bits[cpu / 64] |= 1ull << (cpu % 64);
}

static inline bool cpu_set_has(const struct cpu_set *s, unsigned int cpu)
{
	return s->bits[cpu / 64] >> (cpu % 64) & 1;
}

/* --- The client (sidecar/client.c) ---------------------------------------- */

/* Send one command to cpu and wait for its answer at most timeout_ns.
 * regs (may be NULL) is copied to the page before the command and back
 * after it.  Returns the reply's status: -ENODEV when cpu is not in the
 * sidecar, -EBUSY when its previous command is still unanswered,
 * -ETIMEDOUT (and a log line naming the CPU) when it does not answer in
 * time; the CPU is never waited on longer. */
int sidecar_call(unsigned int cpu, enum sidecar_op op, const uint64_t arg[4], uint64_t *regs,
		 struct sidecar_reply *reply, uint64_t timeout_ns);

/* The same command to every CPU in set at once (posted to all, then all
 * waited for under one deadline); replies[cpu] for each.  Returns how many
 * did not answer in time (each reported). */
unsigned int sidecar_call_set(const struct cpu_set *set, enum sidecar_op op, const uint64_t arg[4],
			      struct sidecar_reply replies[CPU_MAX], uint64_t timeout_ns);

/* Make cpu a full kernel CPU: give it a kernel stack, send CONVERT, and
 * wait until it is online.  0 (also when it already is), or a negative
 * errno after saying why. */
int sidecar_convert(unsigned int cpu, uint64_t timeout_ns);

/* Convert every CPU still in the sidecar; 0 or the first error. */
int sidecar_convert_all(uint64_t timeout_ns);

/* --- The CPU side (sidecar/sidecar.c) ------------------------------------- */

/* Boot CPU, before starting cpu in the sidecar: take its area and fill in
 * how it starts.  0, or -ENOMEM. */
int sidecar_cpu_prepare(unsigned int cpu, struct cpu_start *start);

/* cpu's command page (NULL if it never had one). */
struct sidecar_page *sidecar_page_of(unsigned int cpu);

/* Where a sidecar CPU starts (struct cpu_start.entry). */
_Noreturn void sidecar_main(unsigned int cpu);

/* The wake-up IPI (the client allocates it at INIT_CPU). */
extern int sidecar_wake_irq;

#endif
