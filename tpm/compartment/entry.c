/*
 * The vTPM compartment's operations (compartment.h) and libtpms's
 * callbacks.  This runs at user privilege in the compartment's own
 * address space; it reaches Hillock only through the calls of
 * compartment.h, with every byte in the shared page
 * (tpm/compartment/crt/).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hillock/heap.h>
#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>
#include <libtpms/tpm_nvfilename.h>

#include "../tpm_adapter.h"
#include "compartment.h"
#include "crt/crt.h"

/* libtpms's response buffer: allocated by TPMLIB_Process, kept between
 * commands (libtpms grows it when it must). */
static unsigned char *response;
static uint32_t response_cap;

static int compartment_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	return crt_entropy(buf, len);
}

static void compartment_log(const char *message)
{
	crt_log(message, strlen(message));
}

/*
 * TPM 2.0 keeps everything that survives a power cycle in one blob,
 * "permall" (its NV memory, written back by _plat__NvCommit).  The other
 * names are TPM 1.2's and swtpm's and never occur with TPM 2.0 selected.
 */
static int compartment_is_permanent(const char *name)
{
	return strcmp(name, TPM_PERMANENT_ALL_NAME) == 0;
}

static TPM_RESULT compartment_nvram_init(void)
{
	return TPM_SUCCESS;
}

/* The permanent state comes back from Hillock's staging buffer a shared
 * page at a time. */
static TPM_RESULT compartment_nvram_loaddata(unsigned char **data, uint32_t *length,
					     uint32_t tpm_number, const char *name)
{
	unsigned char *buf;
	uint64_t total;

	(void)tpm_number;
	if (!compartment_is_permanent(name)) {
		return TPM_RETRY; /* "not found" */
	}
	total = tpm_call(TPM_CALL_NV_LOAD, 0, 0);
	if (total == TPM_NV_NONE) {
		return TPM_RETRY; /* nothing stored yet: libtpms manufactures */
	}
	if (total == TPM_NV_ERROR || total == 0 || total > TPM_STATE_MAX) {
		return TPM_FAIL;
	}
	buf = malloc(total);
	if (buf == NULL) {
		return TPM_FAIL;
	}
	for (uint64_t off = 0; off < total; off += TPM_SHARED_SIZE) {
		uint64_t n = total - off < TPM_SHARED_SIZE ? total - off : TPM_SHARED_SIZE;

		if (tpm_call(TPM_CALL_NV_READ, off, n) != 0) {
			free(buf);
			return TPM_FAIL;
		}
		memcpy(buf + off, tpm_shared, n);
	}
	*data = buf;
	*length = (uint32_t)total;
	return TPM_SUCCESS;
}

static TPM_RESULT compartment_nvram_storedata(const unsigned char *data, uint32_t length,
					      uint32_t tpm_number, const char *name)
{
	(void)tpm_number;
	if (!compartment_is_permanent(name)) {
		compartment_log("refused to store a state other than permall");
		return TPM_FAIL;
	}
	if (length > TPM_STATE_MAX) {
		return TPM_FAIL;
	}
	for (uint32_t off = 0; off < length; off += TPM_SHARED_SIZE) {
		uint32_t n = length - off < TPM_SHARED_SIZE ? length - off : TPM_SHARED_SIZE;

		memcpy(tpm_shared, data + off, n);
		if (tpm_call(TPM_CALL_NV_WRITE, off, n) != 0) {
			return TPM_FAIL;
		}
	}
	return tpm_call(TPM_CALL_NV_STORE, length, 0) == 0 ? TPM_SUCCESS : TPM_FAIL;
}

static TPM_RESULT compartment_nvram_deletename(uint32_t tpm_number, const char *name,
					       TPM_BOOL must_exist)
{
	(void)tpm_number;
	(void)name;
	return must_exist ? TPM_FAIL : TPM_SUCCESS;
}

static TPM_RESULT compartment_io_init(void)
{
	return TPM_SUCCESS;
}

/* Locality 0 and no physical presence until the CRB front end says
 * otherwise. */
static TPM_RESULT compartment_io_getlocality(TPM_MODIFIER_INDICATOR *locality,
					     uint32_t tpm_number)
{
	(void)tpm_number;
	*locality = 0;
	return TPM_SUCCESS;
}

static TPM_RESULT compartment_io_getphysicalpresence(TPM_BOOL *pp, uint32_t tpm_number)
{
	(void)tpm_number;
	*pp = 0;
	return TPM_SUCCESS;
}

static struct libtpms_callbacks compartment_callbacks = {
	.sizeOfStruct = sizeof(struct libtpms_callbacks),
	.tpm_nvram_init = compartment_nvram_init,
	.tpm_nvram_loaddata = compartment_nvram_loaddata,
	.tpm_nvram_storedata = compartment_nvram_storedata,
	.tpm_nvram_deletename = compartment_nvram_deletename,
	.tpm_io_init = compartment_io_init,
	.tpm_io_getlocality = compartment_io_getlocality,
	.tpm_io_getphysicalpresence = compartment_io_getphysicalpresence,
};

static uint64_t compartment_power_on(void)
{
	TPM_RESULT rc;

	tpm_adapter_set_log(compartment_log);
	if (tpm_adapter_set_entropy(compartment_entropy, NULL) != 0) {
		return TPM_FAIL;
	}
	rc = TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2);
	if (rc == TPM_SUCCESS) {
		rc = TPMLIB_RegisterCallbacks(&compartment_callbacks);
	}
	if (rc == TPM_SUCCESS) {
		rc = TPMLIB_MainInit();
		if (rc != TPM_SUCCESS) {
			TPMLIB_Terminate();
		}
	}
	return rc;
}

static uint64_t compartment_power_off(void)
{
	TPMLIB_Terminate();
	free(response);
	response = NULL;
	response_cap = 0;
	return 0;
}

/* The command is copied out of the shared page first: libtpms may store
 * its state while it runs, and that goes through the shared page too. */
static uint64_t compartment_execute(uint64_t cmd_len, uint64_t *resp_len)
{
	static unsigned char command[TPM_SHARED_SIZE];
	uint32_t len = 0;
	TPM_RESULT rc;

	*resp_len = 0;
	if (cmd_len > TPM_SHARED_SIZE) {
		return TPM_SIZE;
	}
	memcpy(command, tpm_shared, cmd_len);
	rc = TPMLIB_Process(&response, &len, &response_cap, command, (uint32_t)cmd_len);
	if (rc != TPM_SUCCESS) {
		return rc;
	}
	if (len > TPM_SHARED_SIZE) {
		return TPM_SIZE;
	}
	memcpy(tpm_shared, response, len);
	*resp_len = len;
	return TPM_SUCCESS;
}

/* For the fault-containment tests: each way a compartment can go wrong. */
static __attribute__((noinline)) uint64_t compartment_recurse(volatile uint8_t *below,
								uint64_t depth)
{
	volatile uint8_t frame[512];

	/* Far deeper than the stack: the guard page below it ends this. */
	if (depth > TPM_STACK_SIZE) {
		return 0;
	}
	frame[0] = below ? below[0] + 1 : 1;
	return compartment_recurse(frame, depth + 1) + frame[0];
}

static uint64_t compartment_test(uint64_t what)
{
	volatile uint64_t *addr;

	memcpy(&addr, tpm_shared, sizeof(addr));
	switch (what) {
	case TPM_TEST_READ:
		return *addr;
	case TPM_TEST_WRITE:
		*addr = 0x5a5a5a5a5a5a5a5aull;
		return 0;
	case TPM_TEST_SPIN:
		for (;;) {
			__asm__ volatile("" ::: "memory");
		}
	case TPM_TEST_BAD_CALL:
		return user_call(0x7fff, 0, 0, 0, 0);
	case TPM_TEST_BAD_ARGUMENT:
		return tpm_call(TPM_CALL_LOG, TPM_SHARED_SIZE + 1, 0);
	case TPM_TEST_UNDEFINED:
		__builtin_trap();
	case TPM_TEST_STACK_OVERFLOW:
		return compartment_recurse(NULL, 0);
	case TPM_TEST_ABORT:
		abort();
	default:
		return 1;
	}
}

uint64_t tpm_compartment_op(uint64_t op, uint64_t param, uint64_t *aux)
{
	struct heap_stats hs;
	uint64_t rc;

	*aux = 0;
	switch (op) {
	case TPM_OP_POWER_ON:
		rc = compartment_power_on();
		heap_stats(&hs);
		*aux = hs.used;
		return rc;
	case TPM_OP_POWER_OFF:
		return compartment_power_off();
	case TPM_OP_EXECUTE:
		return compartment_execute(param, aux);
	case TPM_OP_HEAP_STATS:
		heap_stats(&hs);
		*aux = hs.peak;
		return hs.used;
	case TPM_OP_TEST:
		return compartment_test(param);
	default:
		return TPM_FAIL;
	}
}
