/* The vTPM compartment's own runtime (tpm/compartment/crt/): what its
 * program start, libtpms's callbacks and the C runtime use to reach
 * Hillock.  Everything goes through the calls of compartment.h, with data
 * in the shared page. */
#ifndef TPM_CRT_H
#define TPM_CRT_H

#include <stddef.h>
#include <stdint.h>

#include <arch/user.h>

#include "../compartment.h"

/* The heap's first region (kernel/heap.c); the rest of the arena serves
 * its large blocks. */
#define CRT_HEAP_FIRST_PAGES 128
#define CRT_ARENA_PAGES (TPM_HEAP_SIZE / 4096)

#define tpm_shared ((uint8_t *)(uintptr_t)TPM_SHARED_VA)

static inline uint64_t tpm_call(enum tpm_call call, uint64_t a0, uint64_t a1)
{
	return user_call(call, a0, a1, 0, 0);
}

/* A log line (cut to the shared page). */
void crt_log(const char *s, size_t len);

/* len bytes of entropy; 0 on success. */
int crt_entropy(void *buf, size_t len);

/* The operations (entry.c), called by the program start with the runtime
 * ready; the second result goes to *aux. */
uint64_t tpm_compartment_op(uint64_t op, uint64_t param, uint64_t *aux);

#endif
