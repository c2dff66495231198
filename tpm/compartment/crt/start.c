/* The vTPM compartment's program start.  Every crossing enters _start
 * (<arch>/start.S) on a fresh stack with the operation and its parameter;
 * the first one also sets the runtime up: the TLS block around the thread
 * pointer Hillock enters with (TPM_TLS_TP), the stack-protector canary,
 * and the heap.  The result goes back with TPM_CALL_RETURN, which does not
 * return: the next crossing starts over at _start. */
#include <stdint.h>
#include <string.h>

#include <hillock/cpu.h>
#include <hillock/heap.h>
#include <hillock/page.h>
#include <hillock/panic.h>

#include "crt.h"

/* The canary on aarch64 (x86_64 keeps it at %fs:0x28, in the TLS block). */
uintptr_t __stack_chk_guard;

static int crt_ready;

_Noreturn void tpm_crt_main(uint64_t op, uint64_t param);

/* Changes the canary: neither this nor its caller may check one. */
static __attribute__((no_stack_protector, noinline)) void crt_init(void)
{
	uintptr_t tp = (uintptr_t)TPM_TLS_TP;
	uintptr_t area = tp - arch_tls_tp_offset();
	uint64_t canary = 0;
	uint64_t heap;

	if (crt_entropy(&canary, sizeof(canary)) != 0) {
		panic("no entropy for the stack canary");
	}
	canary &= ~(uint64_t)0xff; /* a zero byte stops string overruns */
	if (area < TPM_TLS_VA ||
	    arch_tls_init((void *)area, TPM_TLS_VA + TPM_TLS_SIZE - area, canary) != tp) {
		panic("the TLS block does not fit its page");
	}
	__stack_chk_guard = canary;
	heap = page_alloc(CRT_HEAP_FIRST_PAGES, 1, PAGE_USE_HEAP);
	if (heap == 0) {
		panic("no pages for the heap");
	}
	heap_init((void *)(uintptr_t)heap, CRT_HEAP_FIRST_PAGES * PAGE_SIZE);
	crt_ready = 1;
}

__attribute__((no_stack_protector)) _Noreturn void tpm_crt_main(uint64_t op, uint64_t param)
{
	uint64_t aux = 0;
	uint64_t rc;

	if (!crt_ready) {
		crt_init();
	}
	rc = tpm_compartment_op(op, param, &aux);
	tpm_call(TPM_CALL_RETURN, rc, aux);
	for (;;) {
		tpm_call(TPM_CALL_EXIT, 0, 0);
	}
}
