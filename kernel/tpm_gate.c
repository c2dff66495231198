/*
 * The vTPM gate (hillock/tpm.h): Hillock's side of the boundary with the
 * vTPM compartment (tpm/compartment/compartment.h, docs/vtpm.md).
 *
 * The compartment is a static program carried inside the image
 * (tpm_compartment_image).  Starting it builds a user address space
 * (hillock/user.h) holding only:
 *
 *   its text and read-only data   mapped straight from the copy in the
 *                                 image (read-only, measured code)
 *   its data and bss, TLS page,   pages of its own, filled, then unmapped
 *   heap arena and stack          from Hillock's tables: from then on
 *                                 Hillock cannot touch them, and they are
 *                                 scrubbed when the compartment dies
 *   the shared page               the one page both sides map
 *
 * A crossing runs the program from its entry with an operation, as a run
 * loop: calls are served here, interrupts go to Hillock's handlers, and
 * the crossing ends when the program returns, or kills it when it faults,
 * makes a bad call, gives up, or overruns its time budget.  A killed
 * compartment is torn down and started again from the last sealed state;
 * the command it was running gets a TPM failure response.
 *
 * The gate serves one command at a time, as a TPM does: a second caller
 * gets -EBUSY rather than waiting with the first holding a lock for the
 * seconds an RSA key generation takes under TCG.  That also makes the
 * compartment the only user code running anywhere, as arch_user_run()
 * requires.
 *
 * Behind the call set: entropy from arch_random_u64() (not key-grade: see
 * docs/vtpm.md), log lines into the kernel log, and the permanent state
 * sealed by nvstore on the medium tpm/nv_platform.c finds, under the key it
 * derives.  A medium whose records all fail to verify (tampered, or sealed
 * under another key) is never overwritten: power-on fails and the TPM
 * stays in failure mode until the host clears or restores the medium.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/config.h>
#include <hillock/heap.h>
#include <hillock/init.h>
#include <hillock/irq.h>
#include <hillock/kmsg.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/timer.h>
#include <hillock/tpm.h>
#include <hillock/tpm2_spec.h>
#include <hillock/user.h>
#include <hillock/user_elf.h>

#include "tpm/compartment/compartment.h"
#include "tpm/nv_platform.h"
#include "tpm/nvstore.h"

_Static_assert(TPM_COMMAND_MAX == TPM_SHARED_SIZE, "commands cross in the shared page");
_Static_assert(TPM_VA_BASE == USER_VA_MIN, "the compartment's range is the user range");
_Static_assert(TPM_SHARED_SIZE == PAGE_SIZE, "one shared page");

extern const uint8_t tpm_compartment_image[], tpm_compartment_image_end[];

/* Each slot holds one sealed record of up to TPM_STATE_MAX bytes. */
#define TPM_NV_SLOT_SIZE (TPM_STATE_MAX + 4096)

/* Far longer than any command takes here: an RSA-2048 key generation
 * under QEMU TCG takes a few seconds. */
#define TPM_BUDGET_DEFAULT_MS 30000u

/* After this many starts in a row that fail, the gate stops trying: every
 * command then gets the failure response. */
#define TPM_START_ATTEMPTS 3

/* The compartment's writable memory, one run of pages per kind. */
enum tpm_region_kind {
	TPM_REGION_DATA,
	TPM_REGION_TLS,
	TPM_REGION_HEAP,
	TPM_REGION_STACK,
	TPM_REGION_COUNT
};

struct tpm_region {
	uint64_t pa;
	size_t pages;
	bool hidden; /* unmapped from Hillock's tables */
};

struct tpm_compartment {
	bool alive;
	struct arch_uspace as;
	struct arch_user_regs regs;
	uint64_t entry;
	struct tpm_region region[TPM_REGION_COUNT];
};

enum tpm_gate_state {
	TPM_GATE_UNSET = 0, /* nothing allocated yet */
	TPM_GATE_OFF,	    /* hillock.tpm=off */
	TPM_GATE_READY,	    /* set up; no compartment running */
	TPM_GATE_RUNNING,
	TPM_GATE_STOPPED, /* starts kept failing: failure responses until tpm_restart() */
	TPM_GATE_FAILED,  /* setup failed: the TPM stays off */
};

static struct {
	enum tpm_gate_state state;
	int busy;
	unsigned int failed_starts;
	uint64_t budget_ns;
	struct user_elf elf;
	uint8_t *shared;
	/* The permanent state in the clear on its way to or from nvstore;
	 * wiped after every crossing that used it. */
	uint8_t *staging;
	size_t staging_len;
	bool staging_loaded, staging_used;
	unsigned int log_lines; /* in this crossing */
	struct tpm_compartment c;
	struct tpm_nv_platform platform;
	struct nvstore nv;
	struct tpm_stats stats;
} tpm_gate;

/* ---- the compartment's memory ---- */

static void tpm_region_release(struct tpm_region *r)
{
	if (r->pa == 0) {
		return;
	}
	if (r->hidden && mmu_map(r->pa, r->pages * PAGE_SIZE, MMU_READ | MMU_WRITE) != 0) {
		/* Cannot scrub what cannot be mapped: keep it out of use. */
		kmsg(KMSG_ERR, "vtpm: %zu pages at %#llx cannot be mapped back; leaked", r->pages,
		     (unsigned long long)r->pa);
		r->pa = 0;
		return;
	}
	memset((void *)(uintptr_t)r->pa, 0, r->pages * PAGE_SIZE);
	page_free(r->pa, r->pages, PAGE_USE_COMPARTMENT);
	r->pa = 0;
	r->hidden = false;
}

static void tpm_compartment_destroy(struct tpm_compartment *c)
{
	if (!c->alive) {
		return;
	}
	arch_uspace_destroy(&c->as);
	for (int k = 0; k < TPM_REGION_COUNT; k++) {
		tpm_region_release(&c->region[k]);
	}
	c->alive = false;
	tpm_gate.stats.running = 0;
	tpm_gate.stats.compartment_bytes = 0;
}

/* Zeroed pages for region kind, mapped for the compartment at va. */
static int tpm_region_add(struct tpm_compartment *c, enum tpm_region_kind kind, uint64_t va,
			  size_t pages, unsigned int flags)
{
	struct tpm_region *r = &c->region[kind];

	r->pa = page_alloc(pages, 1, PAGE_USE_COMPARTMENT);
	if (r->pa == 0) {
		return -ENOMEM;
	}
	r->pages = pages;
	memset((void *)(uintptr_t)r->pa, 0, pages * PAGE_SIZE);
	return arch_uspace_map(&c->as, va, r->pa, pages * PAGE_SIZE, flags);
}

/* Builds the compartment's address space from the checked program. */
static int tpm_compartment_create(struct tpm_compartment *c)
{
	const struct user_elf *elf = &tpm_gate.elf;
	size_t bytes = 0;
	int rc;

	memset(c, 0, sizeof(*c));
	if (arch_uspace_init(&c->as) != 0) {
		return -ENOMEM;
	}
	c->alive = true;
	c->entry = elf->entry;
	for (unsigned int i = 0; i < elf->count; i++) {
		const struct user_elf_segment *s = &elf->segment[i];
		size_t pages = (s->memsz + PAGE_SIZE - 1) / PAGE_SIZE;
		uint64_t file = (uint64_t)(uintptr_t)tpm_compartment_image + s->offset;

		if (!(s->flags & MMU_WRITE)) {
			rc = arch_uspace_map(&c->as, s->va, file, pages * PAGE_SIZE, s->flags);
		} else if (c->region[TPM_REGION_DATA].pa != 0) {
			rc = -EINVAL; /* the linker script makes one data segment */
		} else {
			rc = tpm_region_add(c, TPM_REGION_DATA, s->va, pages, s->flags);
			if (rc == 0) {
				memcpy((void *)(uintptr_t)c->region[TPM_REGION_DATA].pa,
				       (const void *)(uintptr_t)file, s->filesz);
			}
		}
		if (rc != 0) {
			goto fail;
		}
	}
	rc = tpm_region_add(c, TPM_REGION_TLS, TPM_TLS_VA, TPM_TLS_SIZE / PAGE_SIZE,
			    MMU_READ | MMU_WRITE);
	if (rc == 0) {
		rc = tpm_region_add(c, TPM_REGION_HEAP, TPM_HEAP_VA, TPM_HEAP_SIZE / PAGE_SIZE,
				    MMU_READ | MMU_WRITE);
	}
	if (rc == 0) {
		rc = tpm_region_add(c, TPM_REGION_STACK, TPM_STACK_VA, TPM_STACK_SIZE / PAGE_SIZE,
				    MMU_READ | MMU_WRITE);
	}
	if (rc == 0) {
		rc = arch_uspace_map(&c->as, TPM_SHARED_VA, (uint64_t)(uintptr_t)tpm_gate.shared,
				     PAGE_SIZE, MMU_READ | MMU_WRITE);
	}
	/* Filled: now out of Hillock's reach. */
	for (int k = 0; k < TPM_REGION_COUNT && rc == 0; k++) {
		struct tpm_region *r = &c->region[k];

		rc = mmu_unmap(r->pa, r->pages * PAGE_SIZE);
		r->hidden = rc == 0;
		bytes += r->pages * PAGE_SIZE;
	}
	if (rc != 0) {
		goto fail;
	}
	tpm_gate.stats.compartment_bytes = bytes;
	return 0;
fail:
	kmsg(KMSG_ERR, "vtpm: cannot build the compartment's address space: error %d", rc);
	tpm_compartment_destroy(c);
	return rc;
}

/* ---- the call set ---- */

struct tpm_crossing {
	enum tpm_end end;
	uint64_t result, aux;
	struct fault_info fault;
	uint64_t call;
};

/* The compartment's log lines go to the kernel log's ring at debug level:
 * by default not to the console, which the host reads, since a compromised
 * compartment would otherwise have a channel to the host; and at most
 * TPM_LOG_LINES_MAX per crossing, so that it cannot flush the ring of
 * Hillock's own records. */
#define TPM_LOG_LINES_MAX 16

static void tpm_call_log(uint64_t len)
{
	char line[TPM_SHARED_SIZE + 1];

	if (++tpm_gate.log_lines > TPM_LOG_LINES_MAX) {
		return;
	}

	memcpy(line, tpm_gate.shared, len);
	line[len] = '\0';
	/* Only printable ASCII reaches the console. */
	for (size_t i = 0; i < len; i++) {
		if (line[i] < 0x20 || line[i] > 0x7e) {
			line[i] = '?';
		}
	}
	kmsg(KMSG_DEBUG, "vtpm: compartment: %s", line);
}

static void tpm_entropy_fill(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		uint64_t r = arch_random_u64();
		size_t n = len < sizeof(r) ? len : sizeof(r);

		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
}

static int tpm_nvstore_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	tpm_entropy_fill(buf, len);
	return 0;
}

static uint64_t tpm_call_nv_load(void)
{
	struct nvstore_report report;
	enum nvstore_status st;
	size_t len = 0;

	tpm_gate.staging_used = true;
	tpm_gate.staging_loaded = false;
	st = nvstore_load(&tpm_gate.nv, tpm_gate.staging, TPM_STATE_MAX, &len, &report);
	if (st == NVSTORE_EMPTY) {
		return TPM_NV_NONE;
	}
	if (st != NVSTORE_OK) {
		kmsg(KMSG_ERR, "vtpm: loading the state failed: %s (slots: %s, %s)",
		     nvstore_status_name(st), nvstore_slot_state_name(report.slot[0]),
		     nvstore_slot_state_name(report.slot[1]));
		return TPM_NV_ERROR;
	}
	tpm_gate.staging_len = len;
	tpm_gate.staging_loaded = true;
	tpm_gate.stats.state_loads++;
	return len;
}

static uint64_t tpm_call_nv_store(uint64_t len)
{
	enum nvstore_status st = nvstore_store(&tpm_gate.nv, tpm_gate.staging, len);

	if (st != NVSTORE_OK) {
		kmsg(KMSG_ERR, "vtpm: storing %llu bytes of state failed: %s",
		     (unsigned long long)len, nvstore_status_name(st));
		return TPM_NV_ERROR;
	}
	tpm_gate.stats.state_bytes = len;
	tpm_gate.stats.state_stores++;
	return 0;
}

/* Serves one call.  Returns true when the crossing is over (x says how);
 * otherwise *result goes back to the compartment.  Every length and
 * offset is checked against the shared page and the staging buffer; a
 * call that fails a check ends the crossing as a bad call. */
static bool tpm_call_serve(const struct user_exit *e, struct tpm_crossing *x, uint64_t *result)
{
	uint64_t a0 = e->args[0], a1 = e->args[1];

	*result = 0;
	switch (e->call) {
	case TPM_CALL_RETURN:
		x->end = TPM_END_RETURN;
		x->result = a0;
		x->aux = a1;
		return true;
	case TPM_CALL_EXIT:
		x->end = TPM_END_EXIT;
		x->result = a0;
		return true;
	case TPM_CALL_LOG:
		if (a0 > TPM_SHARED_SIZE) {
			break;
		}
		tpm_call_log(a0);
		return false;
	case TPM_CALL_ENTROPY:
		if (a0 > TPM_SHARED_SIZE) {
			break;
		}
		tpm_entropy_fill(tpm_gate.shared, a0);
		return false;
	case TPM_CALL_TIME:
		*result = arch_time_ns();
		return false;
	case TPM_CALL_NV_LOAD:
		*result = tpm_call_nv_load();
		return false;
	case TPM_CALL_NV_READ:
		if (!tpm_gate.staging_loaded || a1 > TPM_SHARED_SIZE || a0 > tpm_gate.staging_len ||
		    a1 > tpm_gate.staging_len - a0) {
			break;
		}
		memcpy(tpm_gate.shared, tpm_gate.staging + a0, a1);
		return false;
	case TPM_CALL_NV_WRITE:
		if (a1 > TPM_SHARED_SIZE || a0 > TPM_STATE_MAX || a1 > TPM_STATE_MAX - a0) {
			break;
		}
		tpm_gate.staging_used = true;
		tpm_gate.staging_loaded = false;
		memcpy(tpm_gate.staging + a0, tpm_gate.shared, a1);
		return false;
	case TPM_CALL_NV_STORE:
		if (a0 == 0 || a0 > TPM_STATE_MAX) {
			break;
		}
		*result = tpm_call_nv_store(a0);
		return false;
	default:
		break;
	}
	x->end = TPM_END_BAD_CALL;
	x->call = e->call;
	return true;
}

/* ---- crossing ---- */

static void tpm_budget_expired(struct timer *t, void *arg)
{
	(void)t;
	(void)arg;
}

/*
 * Runs the compartment from its entry with op and param until it returns
 * or must be killed.  The budget is a timer: its interrupt brings the CPU
 * back here however the compartment spins.  Calls are served with
 * interrupts as the caller had them; the compartment itself runs with them
 * enabled, and each one that arrives goes to Hillock's handler.
 */
static void tpm_cross(uint64_t op, uint64_t param, struct tpm_crossing *x)
{
	struct tpm_compartment *c = &tpm_gate.c;
	uint64_t deadline = arch_time_ns() + tpm_gate.budget_ns;
	struct timer budget = {0};
	struct user_exit e;
	unsigned long flags;

	memset(x, 0, sizeof(*x));
	tpm_gate.log_lines = 0;
	arch_user_regs_init(&c->regs, c->entry, TPM_STACK_VA + TPM_STACK_SIZE, TPM_TLS_TP, op,
			    param);
	timer_start(&budget, deadline, tpm_budget_expired, NULL);
	flags = arch_irq_save();
	for (;;) {
		uint64_t result;

		memset(&e, 0, sizeof(e));
		arch_user_run(&c->as, &c->regs, &e);
		if (e.kind == USER_EXIT_INTERRUPT) {
			arch_user_interrupt(&e);
		} else if (e.kind == USER_EXIT_FAULT) {
			x->end = TPM_END_FAULT;
			x->fault = e.fault;
			break;
		} else {
			bool over;

			arch_irq_restore(flags);
			over = tpm_call_serve(&e, x, &result);
			flags = arch_irq_save();
			if (over) {
				break;
			}
			arch_user_set_result(&c->regs, result);
		}
		if (arch_time_ns() >= deadline) {
			x->end = TPM_END_BUDGET;
			break;
		}
	}
	arch_irq_restore(flags);
	timer_cancel(&budget);
	if (tpm_gate.log_lines > TPM_LOG_LINES_MAX) {
		kmsg(KMSG_DEBUG, "vtpm: compartment: %u more log lines dropped",
		     tpm_gate.log_lines - TPM_LOG_LINES_MAX);
	}
	/* The state in the clear went through the staging buffer and, a page
	 * at a time, the shared page: wipe both (a command's shared page,
	 * which now holds its response, is wiped by tpm_execute() once the
	 * response is out). */
	if (tpm_gate.staging_used) {
		memset(tpm_gate.staging, 0, TPM_STATE_MAX);
		if (op != TPM_OP_EXECUTE) {
			memset(tpm_gate.shared, 0, TPM_SHARED_SIZE);
		}
		tpm_gate.staging_used = false;
		tpm_gate.staging_loaded = false;
	}
}

static void tpm_kill_describe(const struct tpm_crossing *x, struct tpm_kill *kill)
{
	kill->end = x->end;
	kill->fault = x->fault;
	kill->call = x->call;
	switch (x->end) {
	case TPM_END_FAULT:
		kmsg(KMSG_ERR, "vtpm: compartment killed: %s fault at %#llx, pc %#llx (syndrome %#llx)",
		     fault_kind_name(x->fault.kind), (unsigned long long)x->fault.addr,
		     (unsigned long long)x->fault.pc, (unsigned long long)x->fault.syndrome);
		break;
	case TPM_END_BAD_CALL:
		kmsg(KMSG_ERR, "vtpm: compartment killed: bad call %llu or a bad argument",
		     (unsigned long long)x->call);
		break;
	case TPM_END_EXIT:
		kmsg(KMSG_ERR, "vtpm: compartment killed: it gave up (status %llu)",
		     (unsigned long long)x->result);
		break;
	case TPM_END_BUDGET:
		kmsg(KMSG_ERR, "vtpm: compartment killed: still running after its %llu ms budget",
		     (unsigned long long)(tpm_gate.budget_ns / 1000000));
		break;
	case TPM_END_RETURN:
		break;
	}
}

/* Ends the compartment after a crossing that did not return. */
static void tpm_kill(const struct tpm_crossing *x, struct tpm_kill *kill)
{
	struct tpm_kill ignored;

	tpm_kill_describe(x, kill ? kill : &ignored);
	tpm_compartment_destroy(&tpm_gate.c);
	tpm_gate.stats.kills++;
	tpm_gate.state = TPM_GATE_READY;
}

/* ---- power ---- */

/* Builds a compartment and powers the TPM on in it from the sealed state.
 * Returns 0, or -ENODEV (the gate stays READY, or STOPPED after too many
 * attempts). */
static int tpm_start(void)
{
	struct tpm_crossing x;
	uint64_t t0 = arch_time_ns();

	if (tpm_compartment_create(&tpm_gate.c) != 0) {
		goto failed;
	}
	tpm_cross(TPM_OP_POWER_ON, 0, &x);
	if (x.end != TPM_END_RETURN) {
		tpm_kill(&x, NULL);
		goto failed;
	}
	if (x.result != 0) {
		kmsg(KMSG_ERR, "vtpm: power-on failed: libtpms result %#llx",
		     (unsigned long long)x.result);
		tpm_compartment_destroy(&tpm_gate.c);
		goto failed;
	}
	tpm_gate.stats.start_us = (arch_time_ns() - t0) / 1000;
	tpm_gate.stats.heap_bytes = x.aux;
	tpm_gate.state = TPM_GATE_RUNNING;
	tpm_gate.stats.running = 1;
	tpm_gate.failed_starts = 0;
	kmsg(KMSG_DEBUG, "vtpm: TPM 2.0 running, started in %llu us, %zu KiB of memory, %zu KiB of heap",
	     tpm_gate.stats.start_us, tpm_gate.stats.compartment_bytes / 1024,
	     tpm_gate.stats.heap_bytes / 1024);
	return 0;
failed:
	if (++tpm_gate.failed_starts >= TPM_START_ATTEMPTS) {
		kmsg(KMSG_ERR, "vtpm: %u starts failed in a row; the TPM stays in failure mode "
		     "until it is power-cycled", tpm_gate.failed_starts);
		tpm_gate.state = TPM_GATE_STOPPED;
	}
	return -ENODEV;
}

static void tpm_stop(void)
{
	struct tpm_crossing x;

	tpm_cross(TPM_OP_POWER_OFF, 0, &x);
	if (x.end != TPM_END_RETURN) {
		tpm_kill(&x, NULL);
		return;
	}
	tpm_compartment_destroy(&tpm_gate.c);
	tpm_gate.state = TPM_GATE_READY;
}

static int tpm_gate_enter_busy(void)
{
	if (__atomic_exchange_n(&tpm_gate.busy, 1, __ATOMIC_ACQUIRE)) {
		return -EBUSY;
	}
	return 0;
}

static void tpm_gate_leave_busy(void)
{
	__atomic_store_n(&tpm_gate.busy, 0, __ATOMIC_RELEASE);
}

static int tpm_gate_setup(void);

/* Sets the gate up and starts the compartment if it is not running. */
static int tpm_ensure_running(void)
{
	if (tpm_gate.state == TPM_GATE_UNSET) {
		tpm_gate_setup();
	}
	if (tpm_gate.state == TPM_GATE_READY) {
		tpm_start();
	}
	return tpm_gate.state == TPM_GATE_RUNNING ? 0 : -ENODEV;
}

/* ---- commands ---- */

static uint32_t tpm_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void tpm_put_be(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8) {
		p[i] = (uint8_t)v;
	}
}

/* A command or response header the gate has checked against the length
 * of the bytes it came with. */
struct tpm_checked_message {
	uint32_t len;
	uint32_t code;
};

/* The header must be complete, fit the shared page and give the length the
 * bytes really have; what follows it is the TPM's to parse. */
static int tpm_message_decode(const uint8_t *msg, size_t len, struct tpm_checked_message *out)
{
	uint32_t size;

	if (len < sizeof(struct tpm2_header) || len > TPM_SHARED_SIZE) {
		return -EINVAL;
	}
	size = tpm_be32(msg + offsetof(struct tpm2_header, size));
	if (size != len) {
		return -EINVAL;
	}
	out->len = (uint32_t)len;
	out->code = tpm_be32(msg + offsetof(struct tpm2_header, code));
	return 0;
}

/* The response to a command whose compartment was killed. */
static int tpm_failure_response(void *resp, size_t cap, size_t *rlen)
{
	uint8_t r[sizeof(struct tpm2_header)];

	tpm_put_be(r + offsetof(struct tpm2_header, tag), TPM2_ST_NO_SESSIONS, 2);
	tpm_put_be(r + offsetof(struct tpm2_header, size), sizeof(r), 4);
	tpm_put_be(r + offsetof(struct tpm2_header, code), TPM_RC_FAILURE_CODE, 4);
	*rlen = sizeof(r);
	if (cap < sizeof(r)) {
		return -ENOSPC;
	}
	memcpy(resp, r, sizeof(r));
	return 0;
}

int tpm_execute(const void *cmd, size_t len, void *resp, size_t cap, size_t *rlen)
{
	struct tpm_checked_message command, response;
	struct tpm_crossing x;
	int rc;

	*rlen = 0;
	if (tpm_message_decode(cmd, len, &command) != 0) {
		kmsg(KMSG_WARN, "vtpm: refused a malformed command (%zu bytes)", len);
		return -EINVAL;
	}
	rc = tpm_gate_enter_busy();
	if (rc != 0) {
		return rc;
	}
	if (tpm_ensure_running() != 0) {
		/* Configured off: no TPM.  Failing to start: a TPM in
		 * failure mode. */
		rc = tpm_gate.state == TPM_GATE_OFF ? -ENODEV : tpm_failure_response(resp, cap, rlen);
		goto out;
	}
	memcpy(tpm_gate.shared, cmd, command.len);
	/* What crosses is the copy: check the copy, so that a caller whose
	 * buffer changes under us cannot pass a header other than the one
	 * checked. */
	if (tpm_message_decode(tpm_gate.shared, command.len, &command) != 0) {
		rc = -EINVAL;
		goto out;
	}
	tpm_cross(TPM_OP_EXECUTE, command.len, &x);
	if (x.end != TPM_END_RETURN) {
		tpm_kill(&x, NULL);
		kmsg(KMSG_ERR, "vtpm: command %#x gets the failure response; restarting the TPM",
		     command.code);
		rc = tpm_failure_response(resp, cap, rlen);
		tpm_start();
		goto out;
	}
	if (x.result != 0 || x.aux > TPM_SHARED_SIZE ||
	    tpm_message_decode(tpm_gate.shared, x.aux, &response) != 0) {
		kmsg(KMSG_ERR, "vtpm: command %#x: no valid response (libtpms result %#llx, %llu bytes)",
		     command.code, (unsigned long long)x.result, (unsigned long long)x.aux);
		rc = -EIO;
		goto out;
	}
	*rlen = response.len;
	if (response.len > cap) {
		rc = -ENOSPC;
		goto out;
	}
	memcpy(resp, tpm_gate.shared, response.len);
out:
	/* Commands and responses carry secrets too (Unseal, GetRandom). */
	if (tpm_gate.shared) {
		memset(tpm_gate.shared, 0, TPM_SHARED_SIZE);
	}
	tpm_gate_leave_busy();
	return rc;
}

int tpm_restart(void)
{
	int rc = tpm_gate_enter_busy();

	if (rc != 0) {
		return rc;
	}
	if (tpm_gate.state == TPM_GATE_UNSET) {
		tpm_gate_setup();
	}
	if (tpm_gate.state == TPM_GATE_RUNNING) {
		tpm_stop();
	}
	if (tpm_gate.state == TPM_GATE_STOPPED) {
		/* A power cycle is a new attempt: the medium may have been
		 * restored meanwhile. */
		tpm_gate.failed_starts = 0;
		tpm_gate.state = TPM_GATE_READY;
	}
	rc = tpm_gate.state == TPM_GATE_READY ? tpm_start() : -ENODEV;
	tpm_gate_leave_busy();
	return rc;
}

void tpm_stats_get(struct tpm_stats *out)
{
	*out = tpm_gate.stats;
}

/* ---- for the tests ---- */

/* One crossing for a test, with the gate held as for a command: in[0..len)
 * goes into the shared page first.  A crossing that does not return kills
 * the compartment, which is started again; *kill says how.  Returns 0 or
 * an error of tpm_execute(). */
static int tpm_test_cross(uint64_t op, uint64_t param, const void *in, size_t len,
			  struct tpm_crossing *x, struct tpm_kill *kill)
{
	int rc = tpm_gate_enter_busy();

	if (rc != 0) {
		return rc;
	}
	rc = tpm_ensure_running();
	if (rc == 0) {
		if (len > 0) {
			memcpy(tpm_gate.shared, in, len);
		}
		tpm_cross(op, param, x);
		if (x->end != TPM_END_RETURN) {
			tpm_kill(x, kill);
			tpm_start();
		}
	}
	tpm_gate_leave_busy();
	return rc;
}

int tpm_test_misbehave(unsigned int what, uint64_t addr, struct tpm_kill *kill)
{
	struct tpm_crossing x;
	int rc = tpm_test_cross(TPM_OP_TEST, what, &addr, sizeof(addr), &x, kill);

	if (rc == 0 && x.end == TPM_END_RETURN) {
		rc = -EPROTO;
	}
	return rc;
}

void tpm_test_set_budget_ms(unsigned int ms)
{
	tpm_gate.budget_ns = (uint64_t)(ms ? ms : TPM_BUDGET_DEFAULT_MS) * 1000000ull;
}

int tpm_test_heap_stats(size_t *used, size_t *peak)
{
	struct tpm_crossing x;
	int rc = tpm_test_cross(TPM_OP_HEAP_STATS, 0, NULL, 0, &x, NULL);

	if (rc == 0 && x.end != TPM_END_RETURN) {
		rc = -EIO;
	}
	if (rc == 0) {
		*used = x.result;
		*peak = x.aux;
	}
	return rc;
}

const uint8_t *tpm_test_shared_page(void)
{
	return tpm_gate.shared;
}

uint64_t tpm_test_compartment_page(void)
{
	return tpm_gate.c.alive ? tpm_gate.c.region[TPM_REGION_HEAP].pa : 0;
}

/* ---- boot ---- */

/*
 * Sets the gate up on first use: checks the compartment's program, the
 * shared page, the staging buffer, the state store on its medium (the
 * machine's NV flash or RAM) with its key (tpm/nv_platform.c).  Returns 0
 * or -ENODEV.
 */
static int tpm_gate_setup(void)
{
	size_t image_len = (size_t)(tpm_compartment_image_end - tpm_compartment_image);
	uint8_t key[NVSTORE_KEY_SIZE];
	enum nvstore_status st;
	const char *why = NULL;
	uint64_t shared;

	tpm_gate.state = TPM_GATE_FAILED;
	if (tpm_gate.budget_ns == 0) {
		tpm_test_set_budget_ms(0);
	}
	if (user_elf_parse(tpm_compartment_image, image_len, TPM_IMAGE_VA,
			   TPM_IMAGE_VA + TPM_IMAGE_MAX, &tpm_gate.elf, &why) != 0) {
		kmsg(KMSG_ERR, "vtpm: the compartment's program is unusable: %s", why);
		return -ENODEV;
	}
	tpm_gate.stats.image_bytes = image_len;
	shared = page_alloc(1, 1, PAGE_USE_COMPARTMENT);
	tpm_gate.staging = kmalloc(TPM_STATE_MAX);
	if (shared == 0 || tpm_gate.staging == NULL) {
		kmsg(KMSG_ERR, "vtpm: no memory for the gate");
		if (shared != 0) {
			page_free(shared, 1, PAGE_USE_COMPARTMENT);
		}
		kfree(tpm_gate.staging);
		tpm_gate.staging = NULL;
		return -ENODEV;
	}
	tpm_gate.shared = (uint8_t *)(uintptr_t)shared;
	memset(tpm_gate.shared, 0, PAGE_SIZE);
	if (tpm_nv_platform_open(&tpm_gate.platform, TPM_NV_SLOT_SIZE, key) != 0) {
		memset(key, 0, sizeof(key));
		kmsg(KMSG_ERR, "vtpm: no medium for the sealed state");
		return -ENODEV;
	}
	tpm_gate.stats.nv_medium = tpm_gate.platform.medium;
	st = nvstore_init(&tpm_gate.nv, &tpm_gate.platform.backend, key, tpm_nvstore_entropy, NULL);
	memset(key, 0, sizeof(key));
	if (st != NVSTORE_OK) {
		kmsg(KMSG_ERR, "vtpm: the state store refused its key: %s", nvstore_status_name(st));
		return -ENODEV;
	}
	tpm_gate.state = TPM_GATE_READY;
	return 0;
}

/*
 * Powers the TPM on at boot with hillock.tpm=on.  By default the gate sets
 * itself up and starts the TPM at the first command, so a boot that never
 * uses the TPM does not pay for it (docs/config.md).
 */
static int tpm_gate_init(const struct boot_info *bi)
{
	(void)bi;
	if (strcmp(kernel_config.tpm, "off") == 0) {
		tpm_gate.state = TPM_GATE_OFF;
		return 0;
	}
	if (strcmp(kernel_config.tpm, "on") != 0) {
		return 0;
	}
	if (tpm_gate_setup() != 0 || tpm_start() != 0) {
		return -ENODEV;
	}
	return 0;
}
INIT_CALL(INIT_SERVICE, tpm_gate_init);
