/*
 * The vTPM gate (hillock/tpm.h): Hillock's side of the boundary with the
 * vTPM compartment (tpm/compartment/compartment.h).
 *
 * Everything that crosses goes through tpm_gate_cross(), which today calls
 * the compartment's entry point on the compartment's own stack; the
 * isolation step makes it a switch to user privilege in the compartment's
 * address space and nothing else here changes.  Data crosses in the shared
 * page only: the command's header is decoded and checked before it is
 * copied in, the response's before it is copied out.
 *
 * The gate serves one command at a time, as a TPM does: a second caller
 * gets -EBUSY rather than waiting with the first holding a lock for the
 * seconds an RSA key generation takes under TCG.
 *
 * Behind the call set: entropy from arch_random_u64() (not key-grade: see
 * docs/vtpm.md), log lines into the kernel log, and the permanent state
 * sealed by nvstore into two RAM slots under a key drawn once per boot.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <hillock/arch.h>
#include <hillock/config.h>
#include <hillock/heap.h>
#include <hillock/init.h>
#include <hillock/kmsg.h>
#include <hillock/mmu.h>
#include <hillock/page.h>
#include <hillock/tpm.h>
#include <hillock/tpm2_spec.h>

#include "tpm/compartment/compartment.h"
#include "tpm/nvstore.h"

_Static_assert(TPM_COMMAND_MAX == TPM_SHARED_SIZE, "commands cross in the shared page");

/* The compartment's stack: libtpms's command handlers keep large unions
 * of parameters on it. */
#define TPM_STACK_SIZE (64 * 1024)

/* Each RAM slot holds one sealed record of up to TPM_STATE_MAX bytes. */
#define TPM_NV_SLOT_SIZE (TPM_STATE_MAX + 4096)

enum tpm_gate_state {
	TPM_GATE_UNSET = 0, /* nothing allocated yet */
	TPM_GATE_OFF,	    /* hillock.tpm=off */
	TPM_GATE_READY,	    /* set up, powered off */
	TPM_GATE_RUNNING,
	TPM_GATE_FAILED, /* setup failed: the TPM stays off */
};

static struct {
	enum tpm_gate_state state;
	int busy;
	uint8_t *shared;
	uint64_t stack_top;
	struct nvstore_ram ram;
	struct nv_backend backend;
	struct nvstore nv;
	struct tpm_stats stats;
} tpm_gate;

/* ---- crossing ---- */

enum tpm_gate_op {
	TPM_GATE_POWER_ON,
	TPM_GATE_POWER_OFF,
	TPM_GATE_EXECUTE,
};

/* One crossing: what goes in and what comes back.  Lives on Hillock's
 * stack; only op and cmd_len go in, only rc and resp_len come back. */
struct tpm_crossing {
	enum tpm_gate_op op;
	uint32_t cmd_len;
	uint32_t resp_len;
	uint32_t rc;
};

static long tpm_gate_enter(void *arg)
{
	struct tpm_crossing *x = arg;

	switch (x->op) {
	case TPM_GATE_POWER_ON:
		x->rc = tpm_compartment_power_on();
		break;
	case TPM_GATE_POWER_OFF:
		tpm_compartment_power_off();
		x->rc = 0;
		break;
	case TPM_GATE_EXECUTE:
		x->rc = tpm_compartment_execute(tpm_gate.shared, x->cmd_len, &x->resp_len);
		break;
	}
	return 0;
}

static void tpm_gate_cross(struct tpm_crossing *x)
{
	arch_call_on_stack(tpm_gate.stack_top, tpm_gate_enter, x);
}

/* ---- the call set ---- */

void tpm_call_log(const char *message)
{
	kmsg(KMSG_INFO, "vtpm: %s", message);
}

int tpm_call_entropy(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		uint64_t r = arch_random_u64();
		size_t n = len < sizeof(r) ? len : sizeof(r);

		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
	return 0;
}

static int tpm_gate_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	return tpm_call_entropy(buf, len);
}

int tpm_call_nv_load(void *buf, size_t cap, size_t *len)
{
	struct nvstore_report report;
	enum nvstore_status st = nvstore_load(&tpm_gate.nv, buf, cap, len, &report);

	if (st == NVSTORE_EMPTY) {
		return 1;
	}
	if (st != NVSTORE_OK) {
		kmsg(KMSG_ERR, "vtpm: loading the state failed: %s (slots: %s, %s)",
		     nvstore_status_name(st), nvstore_slot_state_name(report.slot[0]),
		     nvstore_slot_state_name(report.slot[1]));
		return -1;
	}
	tpm_gate.stats.state_loads++;
	return 0;
}

int tpm_call_nv_store(const void *data, size_t len)
{
	enum nvstore_status st = nvstore_store(&tpm_gate.nv, data, len);

	if (st != NVSTORE_OK) {
		kmsg(KMSG_ERR, "vtpm: storing %zu bytes of state failed: %s", len,
		     nvstore_status_name(st));
		return -1;
	}
	tpm_gate.stats.state_bytes = len;
	tpm_gate.stats.state_stores++;
	return 0;
}

/* ---- power ---- */

static int tpm_gate_power_on(void)
{
	struct tpm_crossing x = {.op = TPM_GATE_POWER_ON};
	struct heap_stats before, after;
	uint64_t t0 = arch_time_ns();

	heap_stats(&before);
	tpm_gate_cross(&x);
	heap_stats(&after);
	tpm_gate.stats.start_us = (arch_time_ns() - t0) / 1000;
	if (x.rc != 0) {
		/* Still READY: the next command or restart tries again. */
		kmsg(KMSG_ERR, "vtpm: power-on failed: libtpms result 0x%x", x.rc);
		return -ENODEV;
	}
	tpm_gate.stats.heap_bytes = after.used - before.used;
	tpm_gate.state = TPM_GATE_RUNNING;
	tpm_gate.stats.running = 1;
	kmsg(KMSG_DEBUG, "vtpm: TPM 2.0 running, started in %llu us, %zu KiB of heap",
	     tpm_gate.stats.start_us, tpm_gate.stats.heap_bytes / 1024);
	return 0;
}

static void tpm_gate_power_off(void)
{
	struct tpm_crossing x = {.op = TPM_GATE_POWER_OFF};

	tpm_gate_cross(&x);
	tpm_gate.state = TPM_GATE_READY;
	tpm_gate.stats.running = 0;
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

/* ---- commands ---- */

static uint32_t tpm_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
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

int tpm_execute(const void *cmd, size_t len, void *resp, size_t cap, size_t *rlen)
{
	struct tpm_checked_message command, response;
	struct tpm_crossing x = {.op = TPM_GATE_EXECUTE};
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
	if (tpm_gate.state == TPM_GATE_UNSET) {
		tpm_gate_setup();
	}
	if (tpm_gate.state == TPM_GATE_READY) {
		tpm_gate_power_on();
	}
	if (tpm_gate.state != TPM_GATE_RUNNING) {
		rc = -ENODEV;
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
	x.cmd_len = command.len;
	tpm_gate_cross(&x);
	if (x.rc != 0 || tpm_message_decode(tpm_gate.shared, x.resp_len, &response) != 0) {
		kmsg(KMSG_ERR, "vtpm: command 0x%x: no valid response (libtpms result 0x%x, %u bytes)",
		     command.code, x.rc, x.resp_len);
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
		tpm_gate_power_off();
	}
	rc = tpm_gate.state == TPM_GATE_READY ? tpm_gate_power_on() : -ENODEV;
	tpm_gate_leave_busy();
	return rc;
}

void tpm_stats_get(struct tpm_stats *out)
{
	*out = tpm_gate.stats;
}

/* ---- boot ---- */

/*
 * Sets the gate up on first use: the shared page, the compartment's stack,
 * the two RAM slots of the state store and its key.  Returns 0 or -ENODEV.
 */
static int tpm_gate_setup(void)
{
	size_t slot_pages = TPM_NV_SLOT_SIZE / 4096;
	uint8_t key[NVSTORE_KEY_SIZE];
	enum nvstore_status st;
	uint64_t shared, slots;

	shared = page_alloc(1, 1, PAGE_USE_COMPARTMENT);
	slots = page_alloc(NVSTORE_SLOT_COUNT * slot_pages, 1, PAGE_USE_COMPARTMENT);
	tpm_gate.stack_top = stack_alloc(TPM_STACK_SIZE);
	if (shared == 0 || slots == 0 || tpm_gate.stack_top == 0) {
		kmsg(KMSG_ERR, "vtpm: no memory for the gate");
		tpm_gate.state = TPM_GATE_FAILED;
		return -ENODEV;
	}
	tpm_gate.shared = (uint8_t *)(uintptr_t)shared;
	/* Erased slots: nvstore reads all-zero headers as "never written". */
	memset((void *)(uintptr_t)slots, 0, NVSTORE_SLOT_COUNT * slot_pages * 4096);
	nvstore_ram_init(&tpm_gate.ram, &tpm_gate.backend, (void *)(uintptr_t)slots,
			 TPM_NV_SLOT_SIZE);
	tpm_call_entropy(key, sizeof(key));
	st = nvstore_init(&tpm_gate.nv, &tpm_gate.backend, key, tpm_gate_entropy, NULL);
	memset(key, 0, sizeof(key));
	if (st != NVSTORE_OK) {
		kmsg(KMSG_ERR, "vtpm: the state store refused its key: %s", nvstore_status_name(st));
		tpm_gate.state = TPM_GATE_FAILED;
		return -ENODEV;
	}
	tpm_gate.state = TPM_GATE_READY;
	return 0;
}

/*
 * Powers the TPM on at boot with hillock.tpm=on.  By default the gate sets
 * itself up and powers the TPM on at the first command, so a boot that
 * never uses the TPM does not pay for it (docs/config.md).
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
	if (tpm_gate_setup() != 0 || tpm_gate_power_on() != 0) {
		return -ENODEV;
	}
	return 0;
}
INIT_CALL(INIT_SERVICE, tpm_gate_init);
