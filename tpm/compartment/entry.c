/*
 * The vTPM compartment's side of the gate: its entry points and the
 * libtpms callbacks, which reach Hillock only through the call set
 * (compartment.h).  Everything in this file, libtpms, the adapter and the
 * mbedtls objects they use is partially linked into one object whose only
 * global symbols are the entry points (tpm/compartment/compartment.mk).
 */
#include <stdlib.h>
#include <string.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>
#include <libtpms/tpm_nvfilename.h>

#include "../tpm_adapter.h"
#include "compartment.h"

/* libtpms's response buffer: allocated by TPMLIB_Process, kept between
 * commands (libtpms grows it when it must). */
static unsigned char *response;
static uint32_t response_cap;

static int compartment_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	return tpm_call_entropy(buf, len);
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

static TPM_RESULT compartment_nvram_loaddata(unsigned char **data, uint32_t *length,
					     uint32_t tpm_number, const char *name)
{
	unsigned char *buf;
	size_t len = 0;
	int rc;

	(void)tpm_number;
	if (!compartment_is_permanent(name)) {
		return TPM_RETRY; /* "not found" */
	}
	buf = malloc(TPM_STATE_MAX);
	if (buf == NULL) {
		return TPM_FAIL;
	}
	rc = tpm_call_nv_load(buf, TPM_STATE_MAX, &len);
	if (rc != 0 || len > TPM_STATE_MAX) {
		free(buf);
		/* Nothing stored yet: TPM_RETRY makes libtpms manufacture. */
		return rc == 1 ? TPM_RETRY : TPM_FAIL;
	}
	*data = buf;
	*length = (uint32_t)len;
	return TPM_SUCCESS;
}

static TPM_RESULT compartment_nvram_storedata(const unsigned char *data, uint32_t length,
					      uint32_t tpm_number, const char *name)
{
	(void)tpm_number;
	if (!compartment_is_permanent(name)) {
		tpm_call_log("vtpm: refused to store a state other than permall");
		return TPM_FAIL;
	}
	return tpm_call_nv_store(data, length) == 0 ? TPM_SUCCESS : TPM_FAIL;
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

uint32_t tpm_compartment_power_on(void)
{
	TPM_RESULT rc;

	tpm_adapter_set_log(tpm_call_log);
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

void tpm_compartment_power_off(void)
{
	TPMLIB_Terminate();
	free(response);
	response = NULL;
	response_cap = 0;
}

uint32_t tpm_compartment_execute(uint8_t *shared, uint32_t cmd_len, uint32_t *resp_len)
{
	uint32_t len = 0;
	TPM_RESULT rc;

	*resp_len = 0;
	rc = TPMLIB_Process(&response, &len, &response_cap, shared, cmd_len);
	if (rc != TPM_SUCCESS) {
		return rc;
	}
	if (len > TPM_SHARED_SIZE) {
		return TPM_SIZE;
	}
	memcpy(shared, response, len);
	*resp_len = len;
	return TPM_SUCCESS;
}
