/* OpenSSL-compatible random numbers, from mbedtls CTR_DRBG (tpm_adapter.h). */
#ifndef HILLOCK_TPM_OPENSSL_RAND_H
#define HILLOCK_TPM_OPENSSL_RAND_H

int RAND_bytes(unsigned char *buf, int num);
void RAND_add(const void *buf, int num, double randomness);

#endif
