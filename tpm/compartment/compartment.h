/*
 * The vTPM compartment's boundary, shared by both sides: its address space,
 * the operations Hillock asks of it, and the calls it may make (docs/vtpm.md,
 * "The compartment").
 *
 * The compartment is its own statically linked program (libtpms, the
 * OpenSSL-API adapter, mbedtls and its own copy of the C runtime), linked
 * at TPM_IMAGE_VA and carried inside Hillock's image.  It runs at user
 * privilege in an address space that holds only its own pages
 * (hillock/user.h).
 *
 * A crossing: Hillock enters at the program's entry with an operation and
 * one parameter (first and second argument registers) on a fresh stack;
 * the compartment works, makes calls, and ends the crossing with
 * TPM_CALL_RETURN.  Its globals and heap persist from one crossing to the
 * next.  Every byte that crosses goes through the shared page, the one page
 * both sides map: a command in at its start, the response back over it,
 * and the calls' data.
 */
#ifndef HILLOCK_TPM_COMPARTMENT_H
#define HILLOCK_TPM_COMPARTMENT_H

/* ---- the address space (used by the linker script too) ---- */

#ifdef __ASSEMBLER__
#define TPM_U64(x) x
#else
#define TPM_U64(x) x##ull
#endif

#define TPM_VA_BASE TPM_U64(0x0000004000000000) /* USER_VA_MIN on both architectures */
#define TPM_IMAGE_VA TPM_VA_BASE	  /* the program, up to 16 MiB */
#define TPM_IMAGE_MAX TPM_U64(0x01000000)
#define TPM_HEAP_VA (TPM_VA_BASE + TPM_U64(0x01000000))
#define TPM_HEAP_SIZE TPM_U64(0x00100000) /* 1 MiB: kernel/heap.c's first region, large blocks */
#define TPM_STACK_VA (TPM_VA_BASE + TPM_U64(0x01400000)) /* an unmapped page below it */
#define TPM_STACK_SIZE TPM_U64(0x00010000)
#define TPM_SHARED_VA (TPM_VA_BASE + TPM_U64(0x01800000))
#define TPM_TLS_VA (TPM_VA_BASE + TPM_U64(0x01801000))
#define TPM_TLS_SIZE TPM_U64(0x1000)
/* The thread pointer Hillock enters with: the middle of the TLS page, so
 * either TLS variant fits around it (the runtime sets the block up). */
#define TPM_TLS_TP (TPM_TLS_VA + TPM_U64(0x800))

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/* The shared page; also the largest command and response (libtpms's
 * TPM 2.0 buffers are 4096 bytes). */
#define TPM_SHARED_SIZE 4096

/* The largest permanent-state blob the compartment loads or stores. */
#define TPM_STATE_MAX (128 * 1024)

/* ---- operations: Hillock -> compartment ---- */

enum tpm_op {
	/* Power on: TPMLIB_MainInit, which loads the permanent state (or
	 * manufactures a TPM when there is none).  Returns 0 or a libtpms
	 * result, and the heap's bytes in use as the second result. */
	TPM_OP_POWER_ON = 1,
	/* Power off (TPMLIB_Terminate); returns 0. */
	TPM_OP_POWER_OFF,
	/* Run the command in the first param bytes of the shared page; the
	 * response replaces it.  Returns 0 and the response length as the
	 * second result, or a libtpms result. */
	TPM_OP_EXECUTE,
	/* The compartment's heap: bytes in use as the result, the peak as the
	 * second result. */
	TPM_OP_HEAP_STATS,
	/* Misbehave on purpose (tests only): param is a TPM_TEST_* below; for
	 * the reads and writes, the address is in the first 8 bytes of the
	 * shared page. */
	TPM_OP_TEST,
};

enum tpm_test {
	TPM_TEST_READ = 1,	   /* read 8 bytes at the address */
	TPM_TEST_WRITE,		   /* write 8 bytes at the address */
	TPM_TEST_SPIN,		   /* loop forever, making no call */
	TPM_TEST_BAD_CALL,	   /* a call number that does not exist */
	TPM_TEST_BAD_ARGUMENT,	   /* TPM_CALL_LOG longer than the shared page */
	TPM_TEST_UNDEFINED,	   /* an undefined instruction */
	TPM_TEST_STACK_OVERFLOW,   /* recurse into the page below the stack */
	TPM_TEST_ABORT,		   /* abort(): the runtime's own exit */
};

/* ---- calls: compartment -> Hillock (user_call() in arch/user.h) ----
 *
 * Lengths and offsets are checked by Hillock; a call with a bad number or
 * a bad argument kills the compartment. */
enum tpm_call {
	/* End the crossing: result, second result. */
	TPM_CALL_RETURN = 1,
	/* A log line: shared[0..len), len <= TPM_SHARED_SIZE. */
	TPM_CALL_LOG,
	/* len bytes of entropy into shared[0..len), len <= TPM_SHARED_SIZE;
	 * returns 0. */
	TPM_CALL_ENTROPY,
	/* Nanoseconds since Hillock started. */
	TPM_CALL_TIME,
	/* Unseal the permanent state into Hillock's staging buffer: returns
	 * its length, TPM_NV_NONE when none was ever stored, TPM_NV_ERROR. */
	TPM_CALL_NV_LOAD,
	/* Copy staging[offset, offset + len) into shared[0..len). */
	TPM_CALL_NV_READ,
	/* Copy shared[0..len) into staging[offset, offset + len). */
	TPM_CALL_NV_WRITE,
	/* Seal staging[0..len) and store it; returns 0 or TPM_NV_ERROR. */
	TPM_CALL_NV_STORE,
	/* The compartment gives up (its runtime's abort, exit or panic):
	 * Hillock kills it as for a fault. */
	TPM_CALL_EXIT,
};

#define TPM_NV_NONE ((uint64_t)-2)
#define TPM_NV_ERROR ((uint64_t)-1)

#endif /* __ASSEMBLER__ */
#endif
