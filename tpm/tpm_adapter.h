/*
 * The vTPM adapter's own interface: what the image (or a host test) wires up
 * before libtpms runs on the OpenSSL-API adapter.
 */
#ifndef HILLOCK_TPM_ADAPTER_H
#define HILLOCK_TPM_ADAPTER_H

#include <stddef.h>

/*
 * Fills buf with len bytes of entropy; returns 0 on success, non-zero on
 * failure.  Same contract as mbedtls's f_entropy callback.
 */
typedef int (*tpm_adapter_entropy_fn)(void *arg, unsigned char *buf,
				      size_t len);
typedef void (*tpm_adapter_log_fn)(const char *message);

/*
 * Installs the entropy source behind RAND_bytes and reseeds the CTR_DRBG from
 * it.  Until a source is installed RAND_bytes fails.  Tests may install a
 * deterministic source to compare outputs; the image installs its hardware
 * source.  Returns 0 on success.
 */
int tpm_adapter_set_entropy(tpm_adapter_entropy_fn fn, void *arg);

/* Where the adapter's log lines go (default: nowhere). */
void tpm_adapter_set_log(tpm_adapter_log_fn fn);

/*
 * How many times a caller reached a path the adapter does not implement (an
 * unsupported algorithm, padding or object type), and the name of the last
 * one.  libtpms's TPM 2.0 paths never reach them; tests assert the count.
 */
unsigned tpm_adapter_unsupported_count(void);
const char *tpm_adapter_unsupported_last(void);

#endif
