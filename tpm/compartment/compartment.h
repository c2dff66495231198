/*
 * The vTPM compartment's boundary: the only functions Hillock calls in it
 * (its entry points, tpm/compartment/entry.c) and the only functions it
 * calls in Hillock (its call set, kernel/tpm_gate.c).
 *
 * The compartment is libtpms, the OpenSSL-API adapter and the mbedtls
 * objects they use, partially linked into one object whose other symbols
 * are all local and whose sections are renamed .tpm.* (docs/vtpm.md).  Today
 * the gate crosses by an ordinary call on the compartment's own stack;
 * when the compartment runs at user privilege, the entry points become the
 * targets of a privilege switch and the call set becomes its system calls,
 * with the same arguments.
 *
 * Data crosses in one shared page of TPM_SHARED_SIZE bytes: a command goes
 * in at its start and the response comes back over it.  The NV calls pass
 * the permanent state by pointer today; the isolation step makes them copy
 * between the compartment's pages and Hillock's.
 */
#ifndef HILLOCK_TPM_COMPARTMENT_H
#define HILLOCK_TPM_COMPARTMENT_H

#include <stddef.h>
#include <stdint.h>

/* The shared page; also the largest command and response (libtpms's
 * TPM 2.0 buffers are 4096 bytes). */
#define TPM_SHARED_SIZE 4096

/* The largest permanent-state blob the compartment loads or stores. */
#define TPM_STATE_MAX (128 * 1024)

/* ---- entry points (the compartment's only global symbols) ---- */

/*
 * Powers the TPM on: selects TPM 2.0, registers libtpms's callbacks and
 * runs TPMLIB_MainInit, which loads the permanent state through
 * tpm_call_nv_load() or manufactures a TPM when there is none.  Startup is
 * the guest's to send, as on a real TPM.  Returns 0, or a libtpms result.
 */
uint32_t tpm_compartment_power_on(void);

/* Powers the TPM off (TPMLIB_Terminate); volatile state is lost. */
void tpm_compartment_power_off(void);

/*
 * Runs the command in the first cmd_len bytes of shared (cmd_len ≤
 * TPM_SHARED_SIZE, its header checked by the gate) and puts the response
 * at the start of shared, its length in *resp_len.  Returns 0, or a
 * libtpms result when no response was produced.
 */
uint32_t tpm_compartment_execute(uint8_t *shared, uint32_t cmd_len,
				 uint32_t *resp_len);

/* ---- the call set (what the compartment may ask of Hillock) ---- */

/* A log line from libtpms or the adapter. */
void tpm_call_log(const char *message);

/* Fills buf with len bytes of entropy; 0 on success. */
int tpm_call_entropy(void *buf, size_t len);

/* Loads the permanent state into buf (cap bytes): 0 and *len on success,
 * 1 when there is none yet (a TPM is manufactured), -1 on failure. */
int tpm_call_nv_load(void *buf, size_t cap, size_t *len);

/* Stores the permanent state; 0 on success, -1 on failure. */
int tpm_call_nv_store(const void *data, size_t len);

#endif
