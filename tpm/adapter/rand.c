/*
 * RAND_* on mbedtls CTR_DRBG, seeded from the entropy source the image (or a
 * test) installs with tpm_adapter_set_entropy().  Also the adapter's log and
 * its record of unsupported calls.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>

#include "../openssl/err.h"
#include "../openssl/rand.h"
#include "../tpm_adapter.h"
#include "adapter_internal.h"

static const unsigned char drbg_personalization[] = "hillock-vtpm-adapter";

static struct {
	mbedtls_ctr_drbg_context drbg;
	int initialized; /* drbg has been through mbedtls_ctr_drbg_init */
	int seeded;
	tpm_adapter_entropy_fn entropy;
	void *entropy_arg;
	tpm_adapter_log_fn log;
	unsigned unsupported_count;
	const char *unsupported_last;
} adapter;

void adapter_log(const char *message)
{
	if (adapter.log != NULL) {
		adapter.log(message);
	}
}

void tpm_adapter_set_log(tpm_adapter_log_fn fn)
{
	adapter.log = fn;
}

int adapter_unsupported(const char *what)
{
	char line[128];

	adapter.unsupported_count++;
	adapter.unsupported_last = what;
	snprintf(line, sizeof(line), "tpm adapter: unsupported: %s", what);
	adapter_log(line);
	return 0;
}

unsigned tpm_adapter_unsupported_count(void)
{
	return adapter.unsupported_count;
}

const char *tpm_adapter_unsupported_last(void)
{
	return adapter.unsupported_last;
}

static int drbg_entropy(void *arg, unsigned char *buf, size_t len)
{
	(void)arg;
	if (adapter.entropy == NULL) {
		return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
	}
	return adapter.entropy(adapter.entropy_arg, buf, len) == 0
		       ? 0
		       : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

int tpm_adapter_set_entropy(tpm_adapter_entropy_fn fn, void *arg)
{
	if (adapter.initialized) {
		mbedtls_ctr_drbg_free(&adapter.drbg);
	}
	mbedtls_ctr_drbg_init(&adapter.drbg);
	adapter.initialized = 1;
	adapter.seeded = 0;
	adapter.entropy = fn;
	adapter.entropy_arg = arg;
	if (fn == NULL) {
		return -1;
	}
	if (mbedtls_ctr_drbg_seed(&adapter.drbg, drbg_entropy, NULL,
				  drbg_personalization,
				  sizeof(drbg_personalization) - 1) != 0) {
		adapter_log("tpm adapter: CTR_DRBG seeding failed");
		return -1;
	}
	adapter.seeded = 1;
	return 0;
}

int RAND_bytes(unsigned char *buf, int num)
{
	size_t done = 0, total, chunk;

	if (num < 0) {
		return 0;
	}
	if (!adapter.seeded) {
		adapter_log("tpm adapter: RAND_bytes without an entropy source");
		return 0;
	}
	total = (size_t)num;
	while (done < total) {
		chunk = total - done;
		if (chunk > MBEDTLS_CTR_DRBG_MAX_REQUEST) {
			chunk = MBEDTLS_CTR_DRBG_MAX_REQUEST;
		}
		if (mbedtls_ctr_drbg_random(&adapter.drbg, buf + done, chunk) !=
		    0) {
			adapter_log("tpm adapter: CTR_DRBG generate failed");
			return 0;
		}
		done += chunk;
	}
	return 1;
}

/* Mixes caller-supplied data into the DRBG state as additional input. */
void RAND_add(const void *buf, int num, double randomness)
{
	(void)randomness;
	if (!adapter.seeded || buf == NULL || num <= 0) {
		return;
	}
	if (mbedtls_ctr_drbg_reseed(&adapter.drbg, buf, (size_t)num) != 0) {
		adapter_log("tpm adapter: RAND_add reseed failed");
	}
}

int adapter_rng(void *p_rng, unsigned char *out, size_t len)
{
	(void)p_rng;
	if (len > INT_MAX) {
		return MBEDTLS_ERR_CTR_DRBG_REQUEST_TOO_BIG;
	}
	return RAND_bytes(out, (int)len) == 1
		       ? 0
		       : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

/*
 * The adapter never queues errors (it logs them), so the queue is always
 * empty: 0, exactly what OpenSSL returns for an empty queue.
 */
unsigned long ERR_get_error_line_data(const char **file, int *line,
				      const char **data, int *flags)
{
	if (file != NULL) {
		*file = "";
	}
	if (line != NULL) {
		*line = 0;
	}
	if (data != NULL) {
		*data = "";
	}
	if (flags != NULL) {
		*flags = 0;
	}
	return 0;
}
