/* The vTPM gate: the one way into the vTPM compartment (kernel/tpm_gate.c,
 * docs/vtpm.md).  Commands and responses cross in one shared page; the
 * gate checks a command's header before it crosses and the response's
 * before it comes back. */
#ifndef HILLOCK_TPM_H
#define HILLOCK_TPM_H

#include <stddef.h>

/* The largest command or response: the shared page. */
#define TPM_COMMAND_MAX 4096

/*
 * Runs one TPM 2.0 command of len bytes and copies its response into resp
 * (cap bytes), its length into *rlen.  Starts the TPM if it is not running
 * yet.  Returns 0 when the TPM answered (its response code is in the
 * response), or:
 *   -EINVAL  the command is malformed: shorter than its 10-byte header,
 *            longer than TPM_COMMAND_MAX, or its size field is not len;
 *            nothing crossed and the TPM is unaffected
 *   -ENOSPC  the response is longer than cap (*rlen says how long)
 *   -EBUSY   another command is in the gate
 *   -ENODEV  the TPM is off (hillock.tpm=off) or failed to start
 *   -EIO     the compartment failed or answered with a malformed response
 */
int tpm_execute(const void *cmd, size_t len, void *resp, size_t cap, size_t *rlen);

/*
 * A power cycle: powers the TPM off (its volatile state is lost) and on
 * again from the persisted state.  Returns 0 or -ENODEV; -EBUSY as above.
 */
int tpm_restart(void);

/* What the TPM costs, for the tests and the memory report. */
struct tpm_stats {
	int running;
	size_t heap_bytes;     /* heap in use by the compartment after power-on */
	size_t state_bytes;    /* the last permanent state stored */
	unsigned state_stores; /* how many times the state was sealed and stored */
	unsigned state_loads;
	unsigned long long start_us; /* how long the last power-on took */
};
void tpm_stats_get(struct tpm_stats *out);

#endif
