/* The vTPM gate: the one way into the vTPM compartment (kernel/tpm_gate.c,
 * docs/vtpm.md).  The compartment runs at user privilege in an address
 * space of its own; commands and responses cross in one shared page; the
 * gate checks a command's header before it crosses and the response's
 * before it comes back.  A compartment that faults, makes a bad call or
 * overruns its time budget is killed and started again from the last
 * persisted state; the command it was running gets a TPM failure
 * response. */
#ifndef HILLOCK_TPM_H
#define HILLOCK_TPM_H

#include <stddef.h>
#include <stdint.h>

#include <hillock/fault.h>

/* The largest command or response: the shared page. */
#define TPM_COMMAND_MAX 4096

/* The response code of the failure response a killed compartment's
 * command gets (TPM_RC_FAILURE: "the TPM is in failure mode"). */
#define TPM_RC_FAILURE_CODE 0x101

/*
 * Runs one TPM 2.0 command of len bytes and copies its response into resp
 * (cap bytes), its length into *rlen.  Starts the TPM if it is not running
 * yet.  Returns 0 when there is a response — the TPM's, or a 10-byte
 * TPM_RC_FAILURE response when the compartment had to be killed or cannot
 * start — or:
 *   -EINVAL  the command is malformed: shorter than its 10-byte header,
 *            longer than TPM_COMMAND_MAX, or its size field is not len;
 *            nothing crossed and the TPM is unaffected
 *   -ENOSPC  the response is longer than cap (*rlen says how long)
 *   -EBUSY   another command is in the gate
 *   -ENODEV  the TPM is off (hillock.tpm=off)
 *   -EIO     the TPM answered with a malformed response
 */
int tpm_execute(const void *cmd, size_t len, void *resp, size_t cap, size_t *rlen);

/*
 * A power cycle: the compartment is torn down (its volatile state is lost)
 * and started afresh from the persisted state; also the way out of the
 * failure mode repeated failed starts leave the TPM in.  Returns 0 or
 * -ENODEV; -EBUSY as above.
 */
int tpm_restart(void);

/* How a crossing into the compartment ended. */
enum tpm_end {
	TPM_END_RETURN = 0, /* it returned: the normal case */
	TPM_END_FAULT,	    /* an exception (fault below) */
	TPM_END_BAD_CALL,   /* an unknown call or a bad argument */
	TPM_END_EXIT,	    /* it gave up: abort, panic */
	TPM_END_BUDGET,	    /* it ran past its time budget */
};

struct tpm_kill {
	enum tpm_end end;
	struct fault_info fault; /* TPM_END_FAULT */
	uint64_t call;		 /* TPM_END_BAD_CALL: the call number */
};

/* What the TPM costs, for the tests and the memory report. */
struct tpm_stats {
	int running;
	size_t compartment_bytes; /* its writable pages: data, TLS, heap arena, stack */
	size_t image_bytes;	  /* its program inside Hillock's image */
	size_t heap_bytes;	  /* its heap in use after power-on */
	size_t state_bytes;	  /* the last permanent state stored */
	unsigned state_stores;	  /* how many times the state was sealed and stored */
	unsigned state_loads;
	unsigned kills;		  /* compartments killed */
	unsigned long long start_us; /* how long the last start took */
	const char *nv_medium;	     /* where the sealed state lives */
};
void tpm_stats_get(struct tpm_stats *out);

/* ---- for the tests (tests/image/test_vtpm.c) ---- */

/* Makes the running compartment misbehave as asked (compartment.h,
 * enum tpm_test; addr for the reads and writes), then restarts it.
 * Returns 0 when it was killed, with how in *kill; -EPROTO if it
 * survived; the errors of tpm_execute() otherwise. */
int tpm_test_misbehave(unsigned int what, uint64_t addr, struct tpm_kill *kill);

/* The time budget of one crossing; 0 restores the default. */
void tpm_test_set_budget_ms(unsigned int ms);

/* The compartment's heap: bytes in use now and at its peak since it
 * started.  0 or an error of tpm_execute(). */
int tpm_test_heap_stats(size_t *used, size_t *peak);

/* The shared page (Hillock's mapping of it), or NULL before setup. */
const uint8_t *tpm_test_shared_page(void);

/* The physical address of a page the running compartment writes (its
 * heap), or 0: Hillock's tables must not map it. */
uint64_t tpm_test_compartment_page(void);

#endif
