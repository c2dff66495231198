/*
 * Driving libtpms on the build host, for the tests and benchmarks that do
 * (test_tpm_libtpms.c, tests/bench/tpm_latency.c): commands marshalled by
 * tpm_cmd.h, run through TPMLIB_Process, and an in-memory NV store behind
 * libtpms's callbacks.  Each program includes it once.
 */
#ifndef HILLOCK_TESTS_TPM_HOST_H
#define HILLOCK_TESTS_TPM_HOST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>

#include "tpm_cmd.h"

/* Runs one command; rc is the response code, 0xffffffff if none came. */
static inline uint32_t tpm_run(const struct buf *c, struct rsp *r)
{
	unsigned char *resp = NULL;
	uint32_t resp_len = 0, resp_cap = 0;
	TPM_RESULT ret;

	ret = TPMLIB_Process(&resp, &resp_len, &resp_cap, (unsigned char *)c->b,
			     (uint32_t)c->len);
	memset(r, 0, sizeof(*r));
	if (ret != TPM_SUCCESS || resp_len < 10 || resp_len > sizeof(r->b)) {
		free(resp);
		r->rc = 0xffffffff;
		return r->rc;
	}
	memcpy(r->b, resp, resp_len);
	free(resp);
	r->len = resp_len;
	r->off = 6;
	r->rc = get32(r);
	return r->rc;
}

/* ---- in-memory NV storage behind libtpms's callbacks ---- */

#define NV_SLOTS 8

/* libtpms's state blobs by name (permall, volatilestate, savestate). */
static struct {
	char name[32];
	unsigned char *data;
	uint32_t len;
} nv_store[NV_SLOTS];

static inline int nv_find(const char *name)
{
	int i;

	for (i = 0; i < NV_SLOTS; i++) {
		if (nv_store[i].data != NULL &&
		    strcmp(nv_store[i].name, name) == 0) {
			return i;
		}
	}
	return -1;
}

static inline void nv_put(const char *name, const unsigned char *data,
			  uint32_t len)
{
	int i = nv_find(name);

	if (i < 0) {
		for (i = 0; i < NV_SLOTS && nv_store[i].data != NULL; i++) {
		}
	}
	if (i >= NV_SLOTS) {
		return;
	}
	free(nv_store[i].data);
	nv_store[i].data = malloc(len ? len : 1);
	memcpy(nv_store[i].data, data, len);
	nv_store[i].len = len;
	snprintf(nv_store[i].name, sizeof(nv_store[i].name), "%s", name);
}

static inline void nv_clear(void)
{
	int i;

	for (i = 0; i < NV_SLOTS; i++) {
		free(nv_store[i].data);
		nv_store[i].data = NULL;
	}
}

static TPM_RESULT cb_nvram_init(void)
{
	return TPM_SUCCESS;
}

static TPM_RESULT cb_nvram_loaddata(unsigned char **data, uint32_t *length,
				    uint32_t tpm_number, const char *name)
{
	int i = nv_find(name);

	(void)tpm_number;
	if (i < 0) {
		return TPM_RETRY; /* "not found": libtpms manufactures */
	}
	*data = malloc(nv_store[i].len);
	if (*data == NULL) {
		return TPM_FAIL;
	}
	memcpy(*data, nv_store[i].data, nv_store[i].len);
	*length = nv_store[i].len;
	return TPM_SUCCESS;
}

static TPM_RESULT cb_nvram_storedata(const unsigned char *data,
				     uint32_t length, uint32_t tpm_number,
				     const char *name)
{
	(void)tpm_number;
	nv_put(name, data, length);
	return TPM_SUCCESS;
}

static TPM_RESULT cb_nvram_deletename(uint32_t tpm_number, const char *name,
				      TPM_BOOL must_exist)
{
	int i = nv_find(name);

	(void)tpm_number;
	if (i < 0) {
		return must_exist ? TPM_FAIL : TPM_SUCCESS;
	}
	free(nv_store[i].data);
	nv_store[i].data = NULL;
	return TPM_SUCCESS;
}

static TPM_RESULT cb_io_init(void)
{
	return TPM_SUCCESS;
}

static TPM_RESULT cb_io_getlocality(TPM_MODIFIER_INDICATOR *locality,
				    uint32_t tpm_number)
{
	(void)tpm_number;
	*locality = 0;
	return TPM_SUCCESS;
}

static TPM_RESULT cb_io_getphysicalpresence(TPM_BOOL *pp, uint32_t tpm_number)
{
	(void)tpm_number;
	*pp = 0;
	return TPM_SUCCESS;
}

static struct libtpms_callbacks nv_callbacks = {
	.sizeOfStruct = sizeof(struct libtpms_callbacks),
	.tpm_nvram_init = cb_nvram_init,
	.tpm_nvram_loaddata = cb_nvram_loaddata,
	.tpm_nvram_storedata = cb_nvram_storedata,
	.tpm_nvram_deletename = cb_nvram_deletename,
	.tpm_io_init = cb_io_init,
	.tpm_io_getlocality = cb_io_getlocality,
	.tpm_io_getphysicalpresence = cb_io_getphysicalpresence,
};

/*
 * Selects TPM 2.0, registers the callbacks and initializes libtpms, which
 * manufactures a TPM when nv_store holds no permanent state.
 */
static inline int tpm_power_on(void)
{
	return TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2) == TPM_SUCCESS &&
	       TPMLIB_RegisterCallbacks(&nv_callbacks) == TPM_SUCCESS &&
	       TPMLIB_MainInit() == TPM_SUCCESS;
}

#endif
